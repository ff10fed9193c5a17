"""Eager-only shims for TF-2 code written for graphs: `ef.function`, `ef.executing_eagerly`,
`ef.get_static_value`.

eagerflow has no graphs: every op runs as it is called. `ef.function` therefore runs the Python
function itself, on every call, so that code decorated with `@tf.function` runs unchanged.
"""

import functools
import types

from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec

__all__ = ["function", "Function", "executing_eagerly", "get_static_value"]


def executing_eagerly():
    """True: eagerflow always executes eagerly (also inside `ef.function`, unlike TF).

    >>> ef.executing_eagerly()
    True
    """
    return True


def get_static_value(tensor, partial=False):
    """The value of `tensor` as a NumPy array; a non-tensor value is returned as it is.

    As TF, a variable's value is not static: it gives None (use `v.numpy()`).

    >>> ef.get_static_value(ef.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    if type(tensor) is Tensor:
        return tensor.numpy()
    if is_tensor_like(tensor):
        return None
    return tensor


class Function:
    """What `ef.function` returns: a callable that runs the Python function eagerly.

    It keeps the function's name and docstring, `__wrapped__` and `python_function` (the
    undecorated function), and binds like a method when it decorates one. With an
    `input_signature`, positional arguments are checked against the TensorSpecs and converted to
    tensors of their dtypes (a mismatch is a TypeError, as TF).
    """

    def __init__(self, python_function, input_signature=None, jit_compile=None, reduce_retracing=False,
                 autograph=True):
        if not callable(python_function):
            raise TypeError(f"ef.function needs a callable, got {python_function!r} of type "
                            f"{type(python_function).__name__!r}. Use it as @ef.function above a def.")
        self._python_function = python_function
        if input_signature is not None:
            input_signature = tuple(input_signature)
            for spec in input_signature:
                if not isinstance(spec, TensorSpec):
                    raise TypeError(f"input_signature must be a sequence of ef.TensorSpec, got {spec!r}. "
                                    f"Write ef.TensorSpec(shape, dtype) for each positional argument.")
        self._input_signature = input_signature
        self._options = {"jit_compile": jit_compile, "reduce_retracing": reduce_retracing, "autograph": autograph}
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        """The function that was decorated."""
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def __call__(self, *args, **kwargs):
        if self._input_signature is not None:
            args = self._bind(args, kwargs)
        return self._python_function(*args, **kwargs)

    def _bind(self, args, kwargs):
        name = getattr(self._python_function, "__name__", "function")
        signature = self._input_signature
        if len(args) != len(signature) or kwargs:
            raise TypeError(f"Binding inputs to ef.function '{name}' failed: it has an input_signature of "
                            f"{len(signature)} tensors, got {len(args)} positional and {len(kwargs)} keyword "
                            f"arguments. Pass one positional argument per TensorSpec.")
        out = []
        for i, (value, spec) in enumerate(zip(args, signature)):
            try:
                t = convert_to_tensor(value) if is_tensor_like(value) else convert_to_tensor(value, dtype=spec.dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(f"Binding inputs to ef.function '{name}' failed: argument {i} ({value!r}) does not "
                                f"convert to {spec}: {e}") from None
            if not spec.is_compatible_with(t):
                raise TypeError(f"Binding inputs to ef.function '{name}' failed: argument {i} is "
                                f"{TensorSpec.from_tensor(t)}, which does not match {spec}. Cast it or reshape it "
                                f"to fit the signature.")
            out.append(t)
        return tuple(out)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        bound = Function(types.MethodType(self._python_function, instance), None, **self._options)
        if self._input_signature is not None:
            bound._input_signature = self._input_signature
        return bound

    def __repr__(self):
        return f"<ef.function of {self._python_function!r}>"


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_implements=None, experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None, experimental_follow_type_hints=None):
    """TF's `tf.function`, for eager code: the decorated function runs eagerly, as plain Python.

    eagerflow has no graphs, so nothing is traced or compiled: Python side effects (print,
    appending to a list) run on every call, not once per trace, and `jit_compile`,
    `reduce_retracing` and `autograph` are accepted and ignored. `input_signature` is honoured:
    arguments are converted to tensors of the specs' dtypes and checked against their shapes.
    Usable as `@ef.function`, `@ef.function(...)` and `ef.function(fn)`, on functions and methods.

    >>> @ef.function
    ... def square_sum(x, y):
    ...     return ef.reduce_sum(x * x + y)
    >>> print(square_sum(ef.constant([1.0, 2.0]), 1.0))
    ef.Tensor(7.0, shape=(), dtype=float32)
    >>> @ef.function(input_signature=[ef.TensorSpec([None], ef.float32)])
    ... def double(x):
    ...     return 2 * x
    >>> double([1, 2]).numpy(), double.python_function.__name__
    (array([2., 4.], dtype=float32), 'double')
    """
    if experimental_compile is not None and jit_compile is None:
        jit_compile = experimental_compile

    def decorate(fn):
        return Function(fn, input_signature=input_signature, jit_compile=jit_compile,
                        reduce_retracing=reduce_retracing, autograph=autograph)

    return decorate if func is None else decorate(func)
