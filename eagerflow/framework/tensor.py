"""`Tensor`: an immutable array of one dtype, living on one device.

A Tensor holds its device's array (`_value`, a NumPy or CuPy array), its DType and its Device.
Nothing ever writes into `_value`: ops make new arrays, and `numpy()` hands out a copy.
Operators go through `execute`, like every op.
"""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.tensor_shape import TensorShape

__all__ = ["Tensor", "TensorOperators", "Reference", "newaxis", "numpy_text", "normalize_index",
           "set_value_read_hook", "set_shape_read_hook", "check_truediv_dtypes"]

newaxis = None

# Called with the array whenever a value is read into Python (numpy(), bool(), int(), printing): a
# tracing ef.function must know that its Python code depended on a value (framework/recording.py).
_value_read_hook = None
_symbolic_text_hook = None  # while tracing: TF's text for a graph tensor (Tensor("x:0", ...)), or None


# Called with the array whenever a tensor's shape is read (`.shape`): while a dataset infers a map
# function's output spec, a shape with unknown dimensions read into Python (data/_spec_inference.py).
_shape_read_hook = None


def set_shape_read_hook(hook):
    global _shape_read_hook
    _shape_read_hook = hook


def set_value_read_hook(hook, symbolic_text=None):
    global _value_read_hook, _symbolic_text_hook
    _value_read_hook = hook
    _symbolic_text_hook = symbolic_text


def numpy_text(array, is_repr=False):
    """TF's rendering of a value inside a Tensor/Variable repr or str."""
    if array.ndim == 0:
        # TF: str of the NumPy scalar (`2.1474836e+09`), repr of the Python value (`0.10000000149011612`)
        if is_repr:
            value = array.item()
            text = repr(float(value) if array.dtype.kind == "V" else value)  # bfloat16's item() stays bfloat16
        else:
            text = str(array[()])
    else:
        text = repr(array) if is_repr else str(array)
    return "\n" + text if "\n" in text else text


class Reference:
    """A hashable reference to a Tensor or Variable (`t.ref()`), compared by identity."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


class TensorOperators:
    """Python's operators for tensor-like objects (Tensor and Variable), each one op."""

    __slots__ = ()
    __array_priority__ = 100  # NumPy defers `ndarray + x` (and `@`, `*`, ...) to x.__radd__

    def __add__(self, other):
        try:
            return _ex.execute("AddV2", (self, other))
        except TypeError:  # TF's `+` is the generated op: a value of another kind is its InvalidArgumentError
            return _ex.execute("AddV2", _ex.raw_op_inputs((self, other)))

    def __radd__(self, other):
        return _ex.execute("AddV2", (other, self))

    def __sub__(self, other):
        try:
            return _ex.execute("Sub", (self, other))
        except (TypeError, ValueError) as e:
            return _reflected(e, "sub", self, other)

    def __rsub__(self, other):
        return _ex.execute("Sub", (other, self))

    def __mul__(self, other):
        try:
            return _ex.execute("Mul", (self, other))
        except errors.InvalidArgumentError:
            if self._dtype is _dtypes.bool:  # TF: `*` of bools is logical and (tf.multiply refuses them)
                return _bool_times(self, other)
            raise
        except (TypeError, ValueError) as e:
            if self._dtype is _dtypes.bool:
                return _bool_times(self, other)
            return _reflected(e, "mul", self, other)  # `ef.constant(3) * "a"` is "aaa", as TF

    def __rmul__(self, other):
        try:
            return _ex.execute("Mul", (other, self))
        except errors.InvalidArgumentError:
            if self._dtype is _dtypes.bool:
                return _ex.execute("LogicalAnd", (other, self))
            raise

    def __truediv__(self, other):
        try:
            return _ex.execute("RealDiv", (self, other))
        except errors.InvalidArgumentError:
            check_truediv_dtypes(self, other)
            raise
        except (TypeError, ValueError) as e:
            return _reflected(e, "truediv", self, other)

    def __rtruediv__(self, other):
        try:
            return _ex.execute("RealDiv", (other, self))
        except errors.InvalidArgumentError:
            check_truediv_dtypes(other, self)
            raise

    def __floordiv__(self, other):
        try:
            return _ex.execute("FloorDiv", (self, other))
        except (TypeError, ValueError) as e:
            return _reflected(e, "floordiv", self, other)

    def __rfloordiv__(self, other):
        return _ex.execute("FloorDiv", (other, self))

    def __mod__(self, other):
        try:
            return _ex.execute("FloorMod", (self, other))
        except (TypeError, ValueError) as e:
            return _reflected(e, "mod", self, other)

    def __rmod__(self, other):
        return _ex.execute("FloorMod", (other, self))

    def __pow__(self, other):
        try:
            return _ex.execute("Pow", (self, other))
        except (TypeError, ValueError) as e:
            return _reflected(e, "pow", self, other)

    def __rpow__(self, other):
        return _ex.execute("Pow", (other, self))

    def __matmul__(self, other):
        return _ex.execute("MatMul", (self, other))

    def __rmatmul__(self, other):
        return _ex.execute("MatMul", (other, self))

    def __neg__(self):
        return _ex.execute("Neg", (self,))

    def __abs__(self):
        return _ex.execute("Abs", (self,))

    def __invert__(self):
        return _ex.execute("LogicalNot" if self._dtype is _dtypes.bool else "Invert", (self,))

    def __and__(self, other):
        return _ex.execute("LogicalAnd" if self._dtype is _dtypes.bool else "BitwiseAnd", (self, other))

    def __rand__(self, other):
        return _ex.execute("LogicalAnd" if self._dtype is _dtypes.bool else "BitwiseAnd", (other, self))

    def __or__(self, other):
        try:
            return _ex.execute("LogicalOr" if self._dtype is _dtypes.bool else "BitwiseOr", (self, other))
        except (TypeError, ValueError):
            if _ex.is_tensor_like(other):
                raise
            return other.__ror__(self)  # TF: a value without `__ror__` is an AttributeError

    def __ror__(self, other):
        return _ex.execute("LogicalOr" if self._dtype is _dtypes.bool else "BitwiseOr", (other, self))

    def __xor__(self, other):
        return _ex.execute("NotEqual" if self._dtype is _dtypes.bool else "BitwiseXor", (self, other))

    def __rxor__(self, other):
        return _ex.execute("NotEqual" if self._dtype is _dtypes.bool else "BitwiseXor", (other, self))

    def __lt__(self, other):
        return _ex.execute("Less", (self, other))

    def __le__(self, other):
        return _ex.execute("LessEqual", (self, other))

    def __gt__(self, other):
        return _ex.execute("Greater", (self, other))

    def __ge__(self, other):
        return _ex.execute("GreaterEqual", (self, other))

    def __eq__(self, other):
        return elementwise_equality("Equal", self, other)

    def __ne__(self, other):
        return elementwise_equality("NotEqual", self, other)

    def __getitem__(self, key):
        if _is_mask(key):  # as TF: a bool tensor or NumPy bool array indexes as ef.boolean_mask
            from eagerflow.ops import array_ops  # ops build on this module: only a mask needs them

            return array_ops.boolean_mask(self, key)
        if _ex._switches.active and _ex.context.placement_logging()[0]:
            _log_slice_bounds(key)
        return _ex.execute("StridedSlice", (self,), {"key": normalize_index(key)})


def _log_slice_bounds(key):
    """Log how TF makes a slice's begin, end and strides, each a tensor: one _EagerConst of Python values, or a
    Pack where a slice has a tensor bound (its missing bounds then int32 constants 0 and 1, made first)."""
    packed = [False, False, False]
    for item in key if type(key) is tuple else (key,):
        if type(item) is not slice:
            continue
        bounds = (item.start, item.stop, item.step)
        if any(_ex.is_tensor_like(b) for b in bounds):
            for i, b in enumerate(bounds):
                if b is None:
                    _ex.log_constants("StridedSlice", 1 if i == 2 else 0)
                packed[i] = packed[i] or b is None or _ex.is_tensor_like(b)
    device = _ex.target_device("Pack", _dtypes.int32)
    for is_packed in packed:
        if is_packed:
            _ex.placement.log_op("Pack", device, _ex.placement.DTYPE_DEFAULT)
        else:
            _ex.log_constants("StridedSlice", None)


class Tensor(TensorOperators):
    """An immutable multidimensional array with a dtype and a device.

    >>> t = ef.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> t.shape, t.dtype
    (TensorShape([2, 2]), ef.float32)
    >>> print(t[0])
    ef.Tensor([1. 2.], shape=(2,), dtype=float32)
    """

    __slots__ = ("_value", "_dtype", "_device", "__weakref__")

    # ------------------------------------------------------------------ properties
    @property
    def shape(self):
        if _shape_read_hook is not None:
            _shape_read_hook(self._value)
        return TensorShape._from_tuple(self._value.shape)

    def get_shape(self):
        return self.shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def device(self):
        """The full TF name of the device the tensor lives on."""
        return self._device.name

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def backing_device(self):
        return self._device.name

    def set_shape(self, shape):
        """Check that the tensor's shape is compatible with `shape` (an eager tensor's shape is always known).

        >>> ef.constant([1, 2]).set_shape([None])
        """
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape {TensorShape(shape)}.")

    # Graph members: undefined for an eager tensor, as TF says.
    value_index = property(lambda self: _graph_only("Tensor.value_index"))
    name = property(lambda self: _graph_only("Tensor.name"))
    op = property(lambda self: _graph_only("Tensor.op"))
    graph = property(lambda self: _graph_only("Tensor.graph"))

    def consumers(self):
        raise NotImplementedError("Tensor.consumers is undefined when eager execution is enabled.")

    def cpu(self):
        """A copy of the tensor on CPU:0 (TF's deprecated form of `with ef.device('CPU:0'): ef.identity(t)`)."""
        return self._copied_to("CPU:0")

    def gpu(self, gpu_index=0):
        """A copy of the tensor on GPU `gpu_index`; RuntimeError when there is no such GPU, as TF."""
        return self._copied_to(f"GPU:{gpu_index}")

    def _copied_to(self, short_name):
        from eagerflow.device import registry
        target = registry.get_device(f"{registry.LOCAL_PREFIX}/device:{short_name}")
        if target is None:
            raise RuntimeError(f"{short_name} unknown device.")
        value = self._value if target is self._device else _ex.placement.copy_to(self._value, self._device, target)
        return _ex.wrap(value, target, self._dtype)

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, is .numpy() what you're "
                                  "looking for?")

    def numpy(self):
        """A NumPy copy of the value: changing it never changes the tensor. A scalar tensor gives a
        NumPy scalar, as TF (`ef.constant(2.5).numpy()` is `np.float32(2.5)`)."""
        if _value_read_hook is not None:
            _value_read_hook(self._value)
        if self._dtype is _RESOURCE:
            _refuse_resource()
        value = self._device.backend.to_host(self._value)
        return value[()] if value.ndim == 0 else value.copy()

    def _host(self):
        """The value as a NumPy array, without a copy where it already is one (read-only use)."""
        if _value_read_hook is not None:
            _value_read_hook(self._value)
        if self._dtype is _RESOURCE:
            _refuse_resource()
        return self._device.backend.to_host(self._value)

    def __array__(self, dtype=None, copy=None):
        value = self._host()
        if copy is False and (dtype is not None and np.dtype(dtype) != value.dtype):
            raise ValueError("Cannot convert the tensor to the requested dtype without a copy.")
        out = value.copy() if copy is not False or value is self._value else value
        return out if dtype is None else out.astype(dtype, copy=False)

    def __dlpack__(self, **kwargs):
        """Export the value, read-only: the buffer may be a variable's (copy-on-write), and no array made
        from the capsule may write into it. A consumer that cannot take a read-only tensor (DLPack < 1.0)
        gets a copy, and so does every consumer of a GPU tensor (CuPy arrays have no read-only flag)."""
        value = self._value
        if type(value) is np.ndarray:
            if (kwargs.get("max_version") or (0, 0)) >= (1, 0):
                value = value.view()
                value.flags.writeable = False
            else:
                value = value.copy()
        else:
            value = self._device.backend.copy(value)
        return value.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._value.__dlpack_device__()

    def ref(self):
        """A hashable reference to this tensor, for use as a dict key or set member."""
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        from eagerflow.framework.execute import convert_to_tensor
        return convert_to_tensor, (self.numpy(),)

    # ------------------------------------------------------------------ Python protocol
    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError(f"Scalar tensor has no `len()`: {self}")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))

    def _scalar(self, what):
        if self._value.ndim != 0 and self._value.size != 1:
            raise ValueError(f"Only a tensor with one element can be converted to {what}; this one has "
                             f"shape {self.shape}. Reduce it first (ef.reduce_any, ef.reduce_sum, ...).")
        return self._host().reshape(())[()]

    def _only_scalar(self, what):
        """The value of a 0-d tensor; TF (through NumPy) refuses int()/float()/index of shape (1,) too."""
        if self._value.ndim != 0:
            raise TypeError(f"Only a scalar (0-dimensional) tensor can be converted to {what}; this one has "
                            f"shape {self.shape}. Index or reduce it first.")
        return self._host()[()]

    def __bool__(self):
        if self._value.size == 0 and self._value.ndim:  # TF: an empty tensor is False
            return False
        return bool(self._scalar("a Python bool"))

    def __int__(self):
        return int(self._only_scalar("a Python int"))

    def __float__(self):
        return float(self._only_scalar("a Python float"))

    def __complex__(self):
        return complex(self._only_scalar("a Python complex"))

    def __index__(self):
        value = self._only_scalar("an index")
        if not self._dtype.is_integer:
            # TF asks the NumPy value for its index: an AttributeError naming NumPy's scalar type
            kind = type(value)
            name = f"numpy.{kind.__name__}" if kind.__module__ == "numpy" else kind.__name__
            raise AttributeError(f"'{name}' object has no attribute '__index__' (a {self._dtype.name} tensor is "
                                 f"no index: cast it first, e.g. ef.cast(t, ef.int32))")
        return int(value)

    def __bytes__(self):
        # bytes(t) as CPython gives it for TF's tensor, which has an __index__ and the buffer protocol: an integer
        # scalar is that many zero bytes, other tensors are their buffer's bytes (C order)
        try:
            count = self.__index__()
        except TypeError:
            return self._host().tobytes()
        return bytes(count)

    def __round__(self, ndigits=None):
        if self._dtype.is_complex:
            from eagerflow.backends import dtype_support
            raise dtype_support.refusal("Round", self._dtype)
        raise AttributeError(f"{type(self).__name__} object has no attribute 'astype' (as TF: Python's round() "
                             "does not take a tensor). Use ef.round(t) or ef.math.round(t).")

    def __format__(self, spec):
        # as TF: the NumPy value formats itself (f"{t}" is "[1 2]", f"{scalar:.2f}" works, f"{vector:.2f}" raises)
        return self._host().__format__(spec)

    # ------------------------------------------------------------------ text
    def __str__(self):
        if _symbolic_text_hook is not None:
            text = _symbolic_text_hook(self)
            if text is not None:
                return text
        return f"ef.Tensor({self._text()}, shape={self.shape}, dtype={self._dtype.name})"

    def __repr__(self):
        if _symbolic_text_hook is not None:
            text = _symbolic_text_hook(self)
            if text is not None:
                return text
        if self._dtype is _RESOURCE:
            return f"<ef.Tensor: shape={self.shape}, dtype=resource, value={self._text()}>"
        return f"<ef.Tensor: shape={self.shape}, dtype={self._dtype.name}, numpy={numpy_text(self._host(), True)}>"

    def _text(self):
        if self._dtype is _RESOURCE:  # the handles themselves (no NumPy value to show)
            return repr(self._value[()]) if self._value.ndim == 0 else str(self._value.tolist())
        return numpy_text(self._host())


_RESOURCE = _dtypes.resource


def _refuse_resource():
    raise errors.InvalidArgumentError(None, None, "Cannot convert a Tensor of dtype resource to a NumPy array. A "
                                      "resource tensor is a variable's handle: read the variable instead.")


def _graph_only(what):
    raise AttributeError(f"{what} is undefined when eager execution is enabled.")


def _is_mask(key):
    return (isinstance(key, Tensor) and key._dtype is _dtypes.bool) or (
        isinstance(key, np.ndarray) and key.dtype == np.bool_)


def normalize_index(key):
    """A NumPy basic-indexing key from TF's accepted index forms (ints, slices, ..., newaxis). As TF, a
    list is the same key as a tuple (`t[[0, 1]]` is `t[0, 1]`), and a lone bool is a scalar mask (ValueError)."""
    if isinstance(key, (bool, np.bool_)):
        raise ValueError(f"mask cannot be scalar: indexing with {key!r} would be a boolean mask. Index with "
                         f"integers, or use ef.boolean_mask(t, mask) with a mask of the tensor's leading shape.")
    items = key if isinstance(key, (tuple, list)) else (key,)
    out = []
    for item in items:
        if item is None or item is Ellipsis:
            out.append(item)
        elif isinstance(item, slice):
            out.append(slice(_index_int(item.start), _index_int(item.stop), _index_int(item.step)))
        else:
            out.append(_index_int(item))
    return tuple(out)


def _index_int(item):
    if item is None or type(item) is int:
        return item
    if isinstance(item, (bool, np.bool_)) or not hasattr(item, "__index__"):
        raise TypeError("Only integers, slices (`:`), ellipsis (`...`), ef.newaxis (`None`) and scalar "
                        f"ef.int32/ef.int64 tensors are valid indices, got {item!r}")
    try:
        return item.__index__()
    except AttributeError:  # a non-integer scalar tensor
        raise TypeError("Only integers, slices (`:`), ellipsis (`...`), ef.newaxis (`None`) and scalar "
                        f"ef.int32/ef.int64 tensors are valid indices, got {item!r}") from None


def _bool_times(x, y):
    """TF's `bool_tensor * y` for any `y`: y cast to int32, then to bool, and-ed with x (`[True, False] * 2` is
    `[True, False]`, `* 0.5` all False, as int32(0.5) is 0). (`y * bool_tensor` stays a conversion error.)"""
    y = _ex.convert_to_tensor(y)
    if y._dtype is _dtypes.string:
        raise errors.UnimplementedError(None, "Cast", "Cast string to int32 is not supported [Op:Cast]. Strings "
                                        "and numbers do not cast into each other; use ef.strings.to_number.")
    if y._dtype is not _dtypes.bool:
        if y._dtype is not _dtypes.int32:
            y = _ex.execute("Cast", (y,), {"dtype": _dtypes.int32._np})
        y = _ex.execute("Cast", (y,), {"dtype": _dtypes.bool._np})
    return _ex.execute("LogicalAnd", (x, y))


def _reflected(error, name, x, y):
    """TF's operators after a failed conversion of `y`: its reflected operator gets a chance (`3 * "a"` is
    "aaa", through the tensor's __index__); when it declines, the conversion error stands."""
    reflected = getattr(type(y), f"__r{name}__", None)
    if reflected is None or _ex.is_tensor_like(y):
        raise error
    try:
        out = reflected(y, x)
    except (TypeError, ValueError):
        raise error from None
    if out is NotImplemented:
        raise error
    return out


def check_truediv_dtypes(x, y):
    """TF's truediv refuses two tensors of different dtypes with a TypeError (other ops: InvalidArgumentError)."""
    if _ex.is_tensor_like(x) and _ex.is_tensor_like(y) and x.dtype is not y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}. Cast one of them "
                        f"first, e.g. ef.cast(y, {x.dtype!r}).")


def elementwise_equality(op, x, y):
    """TF 2's `==`/`!=`: elementwise. As TF (`incompatible_shape_error=False`), shapes that don't broadcast
    give a scalar False (True for `!=`) tensor; `None` gives a Python bool; values that cannot be
    converted to x's dtype raise, and so do two tensors of different dtypes."""
    if y is None:
        return op == "NotEqual"
    try:
        return _ex.execute(op, (x, y))
    except errors.InvalidArgumentError:
        try:
            np.broadcast_shapes(_shape_of(x), _shape_of(y))
        except ValueError:
            return _ex.convert_to_tensor(op == "NotEqual")
        raise  # not a shape problem (a dtype mismatch): raise it, as TF


def _shape_of(value):
    if _ex.is_tensor_like(value):
        return tuple(_ex.convert_to_tensor(value).shape)
    return np.shape(value)


# execute.py imports this module for Tensor, so execute is reached through the module at call time.
from eagerflow.framework import execute as _ex  # noqa: E402
