"""`ef.function`: trace a Python function once per input signature, replay the recording after.

The first call for a signature runs the Python body eagerly while a `recording.Tracer` records
every event (see framework/recording.py); that call's results are the eager results. Later calls
with a matching signature replay the compiled recording on the new inputs without running the
Python body, so Python side effects (`print`, appending to a list) happen once per trace, while
`ef.print` and random ops, which are events, run on every call, as in TF.

Signatures follow TF: tensors by dtype and shape, variables by identity, other Python values by
value (hashable ones) or identity. `input_signature` and `reduce_retracing=True` generalise
dimensions to None for what TF shows (tracing counts, concrete signatures); eagerflow still keeps
one recording per concrete shape, because a recording holds the shapes the Python code saw
(docs/differences_from_tensorflow.md).

A trace that read a value computed from its inputs into Python (`if x > 0:` on a tensor) is not
replayed: that signature runs the Python body on every call, with eager results, and a log line
says why once.
"""

import collections
import functools
import inspect
import itertools
import logging
import re
import threading
import types
import weakref

import numpy as np

from eagerflow import dtypes
from eagerflow.device import context, placement
from eagerflow.device.context import switches as _switches
from eagerflow.framework import recording
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like, wrap
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.tensor_shape import TensorShape

__all__ = ["function", "Function", "ConcreteFunction", "executing_eagerly", "get_static_value",
           "run_functions_eagerly", "functions_run_eagerly"]

_log = logging.getLogger("eagerflow.function")


_NOT_A_TENSOR = object()  # never a key of Function._by_tensors
_function_ids = itertools.count(1)  # TF numbers its functions' graphs by a global uid: ours count them
_calling = threading.local()        # .concrete: the ConcreteFunction this thread's logged call ran


def _graph_name(function):
    """The Python function's name as TF names its graphs (letters, digits and underscores)."""
    return re.sub(r"\W", "_", getattr(function.python_function, "__name__", "function"))


class _Settings:
    run_eagerly = False


def run_functions_eagerly(run_eagerly):
    """Make every `ef.function` run its Python body on every call (for debugging), as TF's
    `tf.config.run_functions_eagerly`.

    >>> ef.config.run_functions_eagerly(True); ef.config.functions_run_eagerly()
    True
    >>> ef.config.run_functions_eagerly(False)
    """
    _Settings.run_eagerly = bool(run_eagerly)


def functions_run_eagerly():
    """Whether `run_functions_eagerly(True)` is in effect."""
    return _Settings.run_eagerly


def executing_eagerly():
    """False while an `ef.function` is being traced, True otherwise (as TF).

    >>> ef.executing_eagerly()
    True
    """
    return not recording.tracing()


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


# ----------------------------------------------------------------------------- signatures

class _Literal:
    """A Python value in a signature (TF shows it as `Literal[2]`)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Literal[{self.value!r}]"


def _describe(value, tensors, relaxed=None):
    """(TF-visible key, concrete key) of one argument, collecting its tensors into `tensors`.

    `relaxed` is the TensorShape TF would show for this tensor (None: its own shape)."""
    if isinstance(value, Tensor):
        tensors.append(value)
        shape = tuple(value._value.shape)
        return ("T", value._dtype, shape), ("T", value._dtype, shape)
    if is_tensor_like(value):  # a variable: by identity
        return ("V", id(value)), ("V", id(value))
    if isinstance(value, (list, tuple)):
        parts = [_describe(v, tensors) for v in value]
        kind = type(value) if not hasattr(value, "_fields") else (type(value), value._fields)
        return (kind, tuple(p[0] for p in parts)), (kind, tuple(p[1] for p in parts))
    if isinstance(value, dict):
        keys = sorted(value, key=repr)
        parts = [_describe(value[k], tensors) for k in keys]
        return (dict, tuple(keys), tuple(p[0] for p in parts)), (dict, tuple(keys), tuple(p[1] for p in parts))
    try:
        hash(value)
        key = ("P", type(value), value)
    except TypeError:
        key = ("O", id(value))
    return key, key


def _spec_key(dtype, shape):
    return ("T", dtype, tuple(shape))


def _relax(old, new):
    """TF's reduce_retracing: the most specific key covering both (dimensions that differ become None),
    or None when the two differ in more than shapes."""
    if type(old) is not tuple or type(new) is not tuple or len(old) != len(new):
        return None
    if old and type(old[0]) is str and old[0] == "T" and new[0] == "T":
        if old[1] is not new[1] or len(old[2]) != len(new[2]):
            return None
        return ("T", old[1], tuple(a if a == b else None for a, b in zip(old[2], new[2])))
    parts = []
    for a, b in zip(old, new):
        if a == b:
            parts.append(a)
            continue
        relaxed = _relax(a, b)
        if relaxed is None:
            return None
        parts.append(relaxed)
    return tuple(parts)


def _covers(general, key):
    if general == key:
        return True
    if type(general) is tuple and type(key) is tuple and len(general) == len(key):
        if type(general[0]) is str and general[0] == "T" and key[0] == "T":
            return general[1] is key[1] and len(general[2]) == len(key[2]) and all(
                g is None or g == k for g, k in zip(general[2], key[2]))
        return all(_covers(g, k) if type(g) is tuple else g == k for g, k in zip(general, key))
    return False


def _spec_text(key, name=None):
    if type(key) is tuple and key and key[0] == "T":
        return f"TensorSpec(shape={TensorShape(list(key[2]))}, dtype={key[1]!r}, name={name!r})"
    if type(key) is tuple and key and key[0] == "P":
        return repr(_Literal(key[2]))
    if type(key) is tuple and key and key[0] == "V":
        return "TensorSpec(shape=(), dtype=tf.resource, name=None)"
    return repr(key)


# ----------------------------------------------------------------------------- concrete functions

class ConcreteFunction:
    """One traced signature of an `ef.function`: callable with tensors of that signature."""

    def __init__(self, owner, parameters, visible_key, plan, output_structure, output_slots, unsafe):
        self._owner = owner
        self._parameters = parameters        # [(name, kind, visible key)]
        self._visible_key = visible_key
        self._plan = plan                    # recording.Plan, or None when the body must run eagerly
        self._output_structure = output_structure
        self._output_slots = output_slots
        self.unsafe_reason = unsafe
        self._logged_name = f"__inference_{_graph_name(owner)}_{next(_function_ids)}"  # the op TF's log names

    @property
    def structured_input_signature(self):
        args = tuple(_signature_value(k, name) for name, _, k in self._parameters)
        return args, {}

    @property
    def structured_outputs(self):
        return self._output_structure

    @property
    def function_type_text(self):
        lines = ["Input Parameters:"]
        for name, kind, key in self._parameters:
            lines.append(f"  {name} ({kind}): {_spec_text(key)}")
        lines.append("Output Type:")
        lines.append(f"  {_output_text(self._output_structure)}")
        lines.append("Captures:")
        variables = self._plan.captured_variables() if self._plan is not None else []
        lines.extend(f"  {id(v)}: TensorSpec(shape=(), dtype={dtypes.resource!r}, name=None)" for v in variables)
        if not variables:
            lines.append("  None")
        return "\n".join(lines)

    def pretty_printed_signature(self, verbose=True):
        return self.function_type_text

    def __call__(self, *args, **kwargs):
        return self._owner(*args, **kwargs)

    def __str__(self):
        return f"ConcreteFunction {self.function_type_text}"

    def __repr__(self):
        params = ", ".join(f"{name}: {_spec_text(key)}" for name, _, key in self._parameters)
        return f"<ConcreteFunction ({params}) -> {_output_text(self._output_structure)} at 0x{id(self):X}>"


def _signature_value(key, name):
    if type(key) is tuple and key and key[0] == "T":
        return TensorSpec(list(key[2]), key[1], name)
    if type(key) is tuple and key and key[0] == "P":
        return key[2]
    return key


def _output_text(structure):
    from eagerflow.framework import nest
    flat = nest.flatten(structure)
    if len(flat) == 1 and not nest.is_nested(structure):
        return _leaf_text(structure)
    return repr(nest.pack_sequence_as(structure, [_OutputText(_leaf_text(x)) for x in flat]))


class _OutputText(str):
    def __repr__(self):
        return str(self)


def _leaf_text(x):
    if isinstance(x, TensorSpec):
        return f"TensorSpec(shape={x.shape}, dtype={x.dtype!r}, name=None)"
    return repr(_Literal(x)) if x is not None else "None"


# ----------------------------------------------------------------------------- Function

_WARN_THRESHOLD = 5     # TF: warn when this many calls in a row retraced ...
_WARN_MAX = 2           # ... at most this many times per function


class Function:
    """What `ef.function` returns: a callable that traces its Python function once per input
    signature and replays the recording on later calls (see the module docstring).

    It keeps the function's name and docstring, `__wrapped__` and `python_function`, and binds
    per instance when it decorates a method (each instance has its own traces, as TF).
    """

    def __init__(self, python_function, input_signature=None, jit_compile=None, reduce_retracing=False,
                 autograph=True, name=None):
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
        self._lock = threading.RLock()
        self._concrete = {}        # concrete key -> ConcreteFunction
        self._by_tensors = {}      # ((dtype, shape) of each argument) -> ConcreteFunction, for tensor-only calls
        self._visible = []         # TF-visible keys traced so far, in order
        self._recent = collections.deque(maxlen=_WARN_THRESHOLD)
        self._warnings = 0
        self._traced_once = False
        self._bound = weakref.WeakKeyDictionary()
        try:
            self._signature = inspect.signature(python_function)
        except (TypeError, ValueError):
            self._signature = None
        functools.update_wrapper(self, python_function)

    @property
    def python_function(self):
        """The function that was decorated."""
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def experimental_get_tracing_count(self):
        """How many times the Python body was traced for a new signature (as TF counts)."""
        return len(self._visible)

    # ------------------------------------------------------------------ calling
    def __call__(self, *args, **kwargs):
        if _switches.active and getattr(_calling, "logged", None) is not self and context.placement_logging()[0] \
                and not _Settings.run_eagerly:
            return self._logged_call(args, kwargs)
        if _Settings.run_eagerly:
            if self._input_signature is not None:
                args = self._bind(args, kwargs)
            return self._python_function(*args, **kwargs)
        if self._input_signature is not None:
            args, kwargs = self._bind(args, kwargs), {}
        elif not kwargs:
            # a call with tensors only: its concrete function by their dtypes and shapes, without binding
            fn = self._by_tensors.get(tuple((a._dtype, a._value.shape) if type(a) is Tensor else _NOT_A_TENSOR
                                            for a in args))
            if fn is not None:
                self._recent.append(False)
                return self._run(fn, args, kwargs, list(args))
        parameters, values = self._arguments(args, kwargs)
        tensors = []
        visible, concrete = [], []
        for value in values:
            v, c = _describe(value, tensors)
            visible.append(v)
            concrete.append(c)
        key = tuple(concrete)
        fn = self._concrete.get(key)
        if fn is not None:
            self._recent.append(False)
            if (not kwargs and self._input_signature is None and len(tensors) == len(args)
                    and all(type(a) is Tensor for a in args)):  # the tensors are the arguments (no defaults')
                self._by_tensors[tuple((a._dtype, a._value.shape) for a in args)] = fn
            return self._run(fn, args, kwargs, tensors)
        with self._lock:
            return self._trace(parameters, values, tuple(visible), key, args, kwargs, tensors)

    def _logged_call(self, args, kwargs):
        """A call with placement logging on: as TF, one op for the whole call (its graph's function), not the ops
        of the body."""
        outer = getattr(_calling, "concrete", None), getattr(_calling, "logged", None)  # a calling function's
        _calling.concrete, _calling.logged = None, self
        try:
            with placement.logged_as(placement.EVERY_OP_UNLOGGED):
                result = self(*args, **kwargs)
            fn = _calling.concrete
        finally:
            _calling.concrete, _calling.logged = outer
        if fn is not None:
            device, reason = placement.place(fn._logged_name, None)
            placement.log_op(fn._logged_name, device, reason)
        return result

    def _arguments(self, args, kwargs):
        """[(name, kind)], [values] of one call: bound to the Python signature, defaults applied."""
        if self._signature is None:
            names = [(f"arg{i}", "POSITIONAL_ONLY") for i in range(len(args))]
            names += [(k, "KEYWORD_ONLY") for k in sorted(kwargs)]
            return names, list(args) + [kwargs[k] for k in sorted(kwargs)]
        bound = self._signature.bind(*args, **kwargs)
        bound.apply_defaults()
        names, values = [], []
        for name, value in bound.arguments.items():
            param = self._signature.parameters[name]
            names.append((name, param.kind.name))
            values.append(value)
        return names, values

    def _visible_key(self, visible):
        """The key TF would trace under: the input signature's, or relaxed by reduce_retracing."""
        if self._input_signature is not None:
            return tuple(_spec_key(s.dtype, s.shape.as_list() if s.shape.rank is not None else ()) for s in
                         self._input_signature)
        for old in self._visible:
            if _covers(old, visible):
                return old
        if self._options["reduce_retracing"]:
            for old in reversed(self._visible):
                relaxed = _relax(old, visible)
                if relaxed is not None:
                    return relaxed
        return visible

    def _trace(self, parameters, values, visible, key, args, kwargs, tensors):
        fn = self._concrete.get(key)
        if fn is not None:
            return self._run(fn, args, kwargs, tensors)
        visible_key = self._visible_key(visible)
        new_signature = visible_key not in self._visible
        tracer = recording.Tracer(tensors, allow_variable_creation=not self._traced_once,
                                  names=_argument_names(parameters, values))
        from eagerflow.framework import nest
        with tracer:
            result = self._python_function(*args, **kwargs)
            # TF returns Python numbers and strings as tensors, and variables as their values
            result = nest.map_structure(_as_output, result)
            flat = nest.flatten(result)
            output_slots, structure, leaves = [], [], []
            for x in flat:
                if isinstance(x, Tensor):
                    output_slots.append(tracer.output_slot(x))
                    structure.append(TensorSpec(x.shape, x.dtype))
                    leaves.append(True)
                else:
                    structure.append(x)
                    leaves.append(False)
        self._traced_once = True
        if new_signature:
            self._visible.append(visible_key)
            self._recent.append(True)
            self._warn_if_retracing_often()
        unsafe = tracer.unsafe
        plan = None
        if unsafe is None:
            plan = recording.Plan(tracer, output_slots)
        else:
            name = getattr(self._python_function, "__qualname__", "function")
            _log.warning("ef.function %r runs eagerly for this signature: %s. Use ef.cond / ef.while_loop for "
                         "control flow on tensor values, or keep Python values out of tensors.", name, unsafe)
        fn = ConcreteFunction(self, [(n, k, v) for (n, k), v in zip(parameters, visible_key)], visible_key, plan,
                              nest.pack_sequence_as(result, structure) if flat else result, output_slots, unsafe)
        fn._flat_result = (nest.pack_sequence_as(result, [None if leaf else x for x, leaf in zip(flat, leaves)])
                           if flat else result, leaves)
        # objects keyed by identity stay alive with the trace, so that their id is never reused meanwhile
        fn._held = [v for v in values if not isinstance(v, Tensor)]
        self._concrete[key] = fn
        _calling.concrete = fn
        return result

    def _warn_if_retracing_often(self):
        if (len(self._recent) == _WARN_THRESHOLD and all(self._recent) and self._warnings < _WARN_MAX):
            self._warnings += 1
            n = _WARN_THRESHOLD + self._warnings - 1
            _log.warning(
                "%d out of the last %d calls to %r triggered tf.function retracing. Tracing is expensive and the "
                "excessive number of tracings could be due to (1) creating @tf.function repeatedly in a loop, (2) "
                "passing tensors with different shapes, (3) passing Python objects instead of tensors. For (1), "
                "please define your @tf.function outside of the loop. For (2), @tf.function has "
                "reduce_retracing=True option that can avoid unnecessary retracing. For (3), please refer to "
                "https://www.tensorflow.org/guide/function#controlling_retracing and "
                "https://www.tensorflow.org/api_docs/python/tf/function for  more details.", n, n,
                self._python_function)

    def _run(self, fn, args, kwargs, tensors):
        if _switches.active:  # a logged call names it (see _logged_call)
            _calling.concrete = fn
        if fn._plan is None:
            return self._python_function(*args, **kwargs)
        outputs = fn._plan.run(tensors)
        result, leaves = fn._flat_result
        from eagerflow.framework import nest
        flat = nest.flatten(result)
        it = iter(zip(outputs, fn._output_slots))
        values = []
        plan = fn._plan
        for x, is_tensor in zip(flat, leaves):
            if is_tensor:
                out, slot = next(it)
                values.append(out if isinstance(out, Tensor) else wrap(out, plan.devices[slot], plan.dtypes[slot]))
            else:
                values.append(x)
        if not flat:
            return result
        if len(flat) == 1 and not nest.is_nested(result):
            return values[0]
        return nest.pack_sequence_as(result, values)

    # ------------------------------------------------------------------ concrete functions
    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for a call with `args` (tensors, or TensorSpecs with known shapes).

        A signature not traced yet is traced now on zeros of the specs' shapes, with every variable
        update rolled back afterwards, so that asking for a concrete function changes no state.
        """
        if not args and not kwargs and self._input_signature is not None:
            args = self._input_signature
        real = [_zeros_for(a) if isinstance(a, TensorSpec) else a for a in args]
        real_kwargs = {k: _zeros_for(v) if isinstance(v, TensorSpec) else v for k, v in kwargs.items()}
        if self._input_signature is not None:
            real, real_kwargs = self._bind(real, real_kwargs), {}
        parameters, values = self._arguments(real, real_kwargs)
        tensors = []
        concrete = tuple(_describe(v, tensors)[1] for v in values)
        if concrete not in self._concrete:
            with recording.rolled_back():
                self(*real, **real_kwargs)
        fn = self._concrete[concrete]
        specs = [a for a in args if isinstance(a, TensorSpec)]
        if specs and self._input_signature is None:  # TF shows the specs asked for
            names = [n for n, _, _ in fn._parameters]
            params = list(fn._parameters)
            for i, a in enumerate(args):
                if isinstance(a, TensorSpec) and i < len(params):
                    params[i] = (names[i], params[i][1], _spec_key(a.dtype, a.shape.as_list()))
            shown = ConcreteFunction(self, params, fn._visible_key, fn._plan, fn._output_structure,
                                     fn._output_slots, fn.unsafe_reason)
            shown._flat_result = fn._flat_result
            return shown
        return fn

    def pretty_printed_concrete_signatures(self, verbose=True):
        seen, texts = set(), []
        for fn in self._concrete.values():
            if fn._visible_key in seen:
                continue
            seen.add(fn._visible_key)
            texts.append(fn.function_type_text)
        return "\n\n".join(texts)

    # ------------------------------------------------------------------ input_signature
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
        try:
            bound = self._bound.get(instance)
        except TypeError:  # not weakly referenceable: a new binding each time (no shared traces)
            bound = None
        if bound is None:
            bound = Function(types.MethodType(self._python_function, instance), None, **self._options)
            bound._input_signature = self._input_signature
            if self._input_signature is not None:
                bound._signature = inspect.signature(bound._python_function)
            try:
                self._bound[instance] = bound
            except TypeError:
                pass
        return bound

    def __repr__(self):
        return f"<ef.function of {self._python_function!r}>"


def _as_output(x):
    if isinstance(x, Tensor) or x is None:
        return x
    if is_tensor_like(x) or isinstance(x, (int, float, complex, str, bytes, np.generic, np.ndarray)):
        return convert_to_tensor(x)
    return x


def _argument_names(parameters, values):
    """TF's names of the argument tensors while tracing: the parameter's name, `name_1`, ... for nests."""
    names = []
    for (name, _), value in zip(parameters, values):
        from eagerflow.framework import nest
        leaves = [x for x in nest.flatten(value) if isinstance(x, Tensor)]
        names.extend(name if i == 0 else f"{name}_{i}" for i in range(len(leaves)))
    return names


def _zeros_for(spec):
    from eagerflow.ops.array_ops import zeros
    shape = [1 if d is None else d for d in (spec.shape.as_list() if spec.shape.rank is not None else [])]
    return zeros(shape, dtype=spec.dtype)


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False,
             experimental_implements=None, experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None, experimental_follow_type_hints=None):
    """TF's `tf.function`: trace once per input signature, then replay the recording.

    The first call for a signature runs the Python body (Python side effects such as `print` happen
    then, once per trace); later calls replay the ops it ran, on the new inputs. `ef.print` and random
    ops run on every call. `input_signature` fixes the signature (arguments are converted and checked),
    `reduce_retracing` generalises shapes after a retrace. `jit_compile` and `autograph` are accepted for
    compatibility; a trace whose Python code reads tensor values (data-dependent `if`) runs eagerly on
    every call instead of being replayed. Usable as `@ef.function`, `@ef.function(...)` and
    `ef.function(fn)`, on functions and methods.

    >>> @ef.function
    ... def square_sum(x, y):
    ...     print("tracing")
    ...     return ef.reduce_sum(x * x + y)
    >>> print(square_sum(ef.constant([1.0, 2.0]), 1.0))
    tracing
    ef.Tensor(7.0, shape=(), dtype=float32)
    >>> print(square_sum(ef.constant([3.0, 4.0]), 1.0))   # replayed: no "tracing"
    ef.Tensor(27.0, shape=(), dtype=float32)
    >>> square_sum.experimental_get_tracing_count()
    1
    """
    if experimental_compile is not None and jit_compile is None:
        jit_compile = experimental_compile
    if experimental_relax_shapes and not reduce_retracing:
        reduce_retracing = True

    def decorate(fn):
        return Function(fn, input_signature=input_signature, jit_compile=jit_compile,
                        reduce_retracing=reduce_retracing, autograph=autograph)

    return decorate if func is None else decorate(func)
