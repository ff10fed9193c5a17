"""`execute()`: the single path every op takes.

1. convert the inputs to tensors (Python values take the dtype of the tensor inputs; tensors
   of different dtypes are an InvalidArgumentError, as in TF);
2. pick the device (scope, variable's device, dtype default, soft fallback), with its reason;
3. copy inputs that live elsewhere to that device, counting bytes per device pair;
4. log the placement when logging is on;
5. run the kernel from the device's table;
6. wrap the result, and record the op on every active tape.

The fast path skips 2-4 while nothing but tapes is switched on for this thread (no scope, logging
block or transfer guard of its own, no global logging: `context.switches` counts them, and other
threads' switches never count here) and all inputs are tensors on the device ops default to; it does
step 6 only when a tape of this thread is active. Device scopes that name a device of this process
(a replica's, under a strategy) keep the fast path for ops whose inputs all live on that device.
"""

import warnings as _warnings

import numpy as np

import eagerflow.backends  # noqa: F401  (registers the CPU and GPU backends)
from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.backends import dtype_support
from eagerflow.backends import kernels as _kernels
from eagerflow.backends.kernels import rerun_silenced
from eagerflow.device import context, placement
from eagerflow.framework.tensor import Tensor
from eagerflow.tensor_shape import TensorShape

__all__ = ["execute", "convert_to_tensor", "convert_inputs", "raw_op_inputs", "register_readable", "wrap", "to_array",
           "announce",
           "target_device",
           "run_kernel", "on_device", "push_recorder", "pop_recorder", "is_tensor_like", "host_event"]

_switches = context.switches
_state = context.thread_state()
_settings = context.settings
_new = object.__new__
_NP_TO_DTYPE = _dtypes.NP_TO_DTYPE
_ndarray = np.ndarray
_NO_ATTRS = {}


def wrap(value, device, dtype=None):
    """A new Tensor around array `value` on `device` (the array is not copied)."""
    t = _new(Tensor)
    if type(value) is not device.array_type:
        # a kernel on 0-d object arrays returns the bare object (b'a' + b'b'): keep it a string tensor
        value = device.xp.asarray(value, dtype=object if type(value) is bytes else None)
    t._value = value
    t._dtype = dtype or _NP_TO_DTYPE[value.dtype]
    t._device = device
    return t


_readable = set()  # classes whose objects ops read through `_ef_read()` (Variable)


def register_readable(cls):
    """Let ops accept objects of `cls` as inputs, read with `obj._ef_read() -> Tensor`, as TF's
    tensor conversion registry does for variables."""
    _readable.add(cls)
    return cls


def is_tensor_like(x):
    return isinstance(x, Tensor) or type(x) in _readable


# ----------------------------------------------------------------------------- step 1: conversion

def _kind_compatible(target, source):
    """TF's IsCompatible: may a value of dtype `source` be converted to `target` implicitly?"""
    if target is source:
        return True
    if target.is_integer:  # a bool converts to 1/0, as TF (`tf.constant([1, 2]) + True`)
        return source.is_integer or source.is_bool
    if target.is_floating:
        return source.is_floating or source.is_integer or source.is_bool
    if target.is_complex:
        return source.is_floating or source.is_integer or source.is_complex or source.is_bool
    return False


def to_array(value, dtype=None, pack=True):
    """(NumPy array, DType) for a Python value or NumPy array, with TF's conversion rules.

    A value converts to `dtype` when its kind allows (ints into floats, floats into complex); a
    float into an integer dtype is a TypeError, as in TF. Unlike TF, an integer that does not fit
    the target dtype is an error instead of wrapping around (docs/differences_from_tensorflow.md).
    A nested list holding tensors is packed as TF's `convert_to_tensor` does (`pack=False`: refused, as
    `ef.constant` refuses it; `pack=None`: `dtypes.HoldsTensors` is raised for the caller to
    `pack_tensors`). A fully known `TensorShape` is its dimensions, int32 (as TF).
    """
    if isinstance(value, TensorShape):
        value = _shape_to_array(value, dtype)
    if isinstance(value, (_ndarray, np.generic)):
        # A tensor never shares memory with the caller's array: copy it here, unless the cast below does.
        given = np.asarray(value).dtype
        must_copy = dtype is None or (_NP_TO_DTYPE.get(given) or _dtypes.from_numpy(given)) is dtype
        array = np.array(value, copy=True if must_copy else None)
        if array.dtype.kind in "SU":
            array = np.vectorize(_to_bytes, otypes=[object])(array) if array.size else array.astype(object)
        elif array.dtype.kind == "O" and array.size:  # an object array of str: TF stores UTF-8 bytes
            odd = next((x for x in array.flat if not isinstance(x, (str, bytes))), None)
            if odd is not None:
                raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported object type "
                                 f"{type(odd).__name__}): an object array converts only when it holds strings. "
                                 f"Convert it first, e.g. array.astype(np.float32).")
            array = np.vectorize(_str_to_bytes, otypes=[object])(array)
        source = _NP_TO_DTYPE.get(array.dtype) or _dtypes.from_numpy(array.dtype)
        if source is None:
            raise ValueError(f"Failed to convert a NumPy array to a Tensor (Unsupported numpy type: "
                             f"{array.dtype}): eagerflow has no such dtype. Convert it first, e.g. "
                             f"array.astype(np.float32).")
    else:
        try:
            source = _dtypes.infer_dtype_strict(value)
        except _dtypes.HoldsTensors:
            if pack is None:
                raise  # the caller packs with ops (`pack_tensors`), on the tape
            if not pack:
                raise ValueError(f"Can't convert {_short(value)} to a constant: it holds tensors. Use "
                                 f"ef.stack or ef.convert_to_tensor to pack tensors into one.") from None
            return _pack(value, dtype)
        except (_dtypes.OutOfRange, _dtypes.MixedKinds) as e:
            # TF converts straight into a requested dtype (`constant([True, 1], dtype=int32)`, 2**64 - 1 into
            # uint64) when every leaf's kind converts into it; without one, the inference error stands.
            if dtype is None or dtype is _dtypes.complex64:  # TF has no direct converter for complex64
                raise ValueError(str(e)) from None
            for leaf in _leaves(value):
                leaf_dtype = _dtypes.int64 if type(leaf) is int else _dtypes.infer_dtype(leaf)  # only its kind counts
                if not _kind_compatible(dtype, leaf_dtype):
                    raise TypeError(f"Cannot convert {_short(leaf)} to EagerTensor of dtype {dtype.name}: it is "
                                    f"{leaf_dtype.name}. Give values of that kind, or convert with ef.cast.") from None
            return _python_to_array(value, dtype), dtype
        if dtype is not None and dtype is not source and _no_leaves(value):
            # an empty list takes any dtype, as TF (`constant([], dtype=int32)`, the shape of a scalar)
            return np.empty(np.shape(value), dtype=dtype._np), dtype
        if dtype is not None and dtype is not source and _kind_compatible(dtype, source):
            # Python numbers straight into the target dtype: never through float32 (0.1 into float64), and
            # every integer the target holds (2**64 - 1 into uint64); NumPy refuses the ones it cannot hold
            return _python_to_array(value, dtype), dtype
        array = _python_to_array(value, source)
        if dtype is None and source is _dtypes.float32 and array.size and not np.isfinite(array).all():
            _check_float_range(value, array)
    if dtype is None or dtype is source:
        return array, source
    if not _kind_compatible(dtype, source):
        if _dtypes.string in (source, dtype):
            way_out = "strings and numbers never convert into each other implicitly; give a value of that dtype"
        elif source.is_bool or dtype.is_bool:
            way_out = f"convert explicitly with ef.cast(x, ef.{dtype.name})"
        else:
            way_out = f"convert explicitly with ef.cast(x, ef.{dtype.name}) if you mean to truncate"
        raise TypeError(f"Cannot convert {_short(value)} to EagerTensor of dtype {dtype.name}: its values are "
                        f"{source.name}; {way_out}.")
    if dtype.is_integer and array.size:
        lo, hi = array.min(), array.max()
        if lo < dtype.min or hi > dtype.max:
            bad = lo if lo < dtype.min else hi
            raise ValueError(f"Cannot convert {_short(value)} to dtype {dtype.name}: {bad} is out of its range "
                             f"[{dtype.min}, {dtype.max}] (TensorFlow would silently wrap it around). Use a "
                             f"wider dtype, or ef.cast to wrap on purpose.")
    return array.astype(dtype._np), dtype


def _pack(value, dtype):
    """TF's autopacking of a nested list holding tensors: every leaf takes the dtype of the first tensor
    (or the requested one); a tensor of another dtype is Pack's InvalidArgumentError."""
    leaves, tensors = [], []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
        else:
            leaves.append(item)
            if is_tensor_like(item):
                tensors.append(convert_to_tensor(item))
    packed = tensors[0]._dtype if dtype is None else dtype
    arrays = []
    for leaf in leaves:
        if is_tensor_like(leaf):
            t = convert_to_tensor(leaf)
            if dtype is None and t._dtype is not packed:
                raise _mismatch("Pack", len(arrays), packed, t._dtype)
            leaf = t._host()
        arrays.append(to_array(leaf, packed)[0])
    return np.array(_nest_like(value, iter(arrays)), dtype=packed._np), packed


def pack_tensors(value, dtype=None):
    """A nested list holding tensors as one tensor, packed with TF's Pack op (so gradients flow to the
    tensors): every leaf takes the dtype of the first tensor (or `dtype`); a tensor of another dtype is
    Pack's InvalidArgumentError."""
    if dtype is None:
        stack = [value]
        while dtype is None:
            item = stack.pop()
            if isinstance(item, (list, tuple)):
                stack.extend(reversed(item))
            elif is_tensor_like(item):
                dtype, requested = convert_to_tensor(item)._dtype, False
    else:
        requested = True

    def pack(item, index):
        if isinstance(item, (list, tuple)):
            return execute("Pack", tuple(pack(v, i) for i, v in enumerate(item)), {"axis": 0})
        if is_tensor_like(item):
            t = convert_to_tensor(item)
            if t._dtype is dtype:
                return t
            if not requested:
                raise _mismatch("Pack", index, dtype, t._dtype)
            to_array(t._host(), dtype)  # raises where the kinds do not convert; the Cast keeps the tape
            return execute("Cast", (t,), {"dtype": dtype._np})
        return convert_to_tensor(item, dtype)

    return pack(value, 0)


def _nest_like(value, leaves):
    if isinstance(value, (list, tuple)):
        return [_nest_like(v, leaves) for v in value]
    return next(leaves)


def _check_float_range(value, array):
    """TF refuses Python floats beyond float32's range when it infers float32 (a requested dtype takes inf)."""
    wide = np.asarray(value, dtype=np.float64)
    if (np.isinf(array) & np.isfinite(wide)).any():
        raise ValueError(f"Can't convert Python sequence with a value out of range for a double-precision float: "
                         f"{_short(value)} holds a float beyond float32's range. Give dtype=ef.float64.")


def _leaves(value):
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple, range)):
            stack.extend(item)
        else:
            yield item


def _shape_to_array(shape, dtype):
    if not shape.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a Tensor. Use ef.shape(x) for "
                         f"the dimensions a tensor has at run time.")
    if dtype is not None and not dtype.is_integer:
        raise TypeError(f"Cannot convert {shape!r} to EagerTensor of dtype {dtype.name}: a shape converts to "
                        f"int32 or int64.")
    dims = shape.as_list()
    wide = any(d >= 2 ** 31 for d in dims)
    return np.array(dims, dtype=np.int64 if wide or dtype is _dtypes.int64 else np.int32)


def _no_leaves(value):
    return isinstance(value, (list, tuple)) and all(_no_leaves(v) for v in value)


def _str_to_bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _to_bytes(s):
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_BUILT_FROM = frozenset((list, tuple, int, float, bool, complex))  # values NumPy always copies out of


def _python_to_array(value, dtype):
    if dtype is _dtypes.string:
        flat = np.array(value, dtype=object)
        if flat.size and any(isinstance(x, (list, tuple)) for x in flat.flat):  # NumPy keeps ragged rows as lists
            raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {_short(value)}. "
                             f"Every row must have the same length.")
        return np.vectorize(_to_bytes, otypes=[object])(flat) if flat.size else flat
    try:
        if type(value) in _BUILT_FROM:
            if dtype.is_floating:  # a float beyond the dtype's range is inf, silently, as TF
                with np.errstate(over="ignore"):
                    return np.asarray(value, dtype=dtype._np)
            return np.asarray(value, dtype=dtype._np)  # a new array: NumPy builds it from Python objects
        # an object with __array__ or the buffer protocol (a pandas-style column) may hand out its own memory,
        # whatever `copy` it is asked for: copy what it gives
        return np.asarray(value, dtype=dtype._np).copy()
    except ValueError as e:
        if "inhomogeneous" in str(e) or "sequence" in str(e):
            raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {_short(value)}. "
                             f"Every row must have the same length.") from None
        raise
    except OverflowError:
        raise ValueError(f"Cannot convert {_short(value)} to dtype {dtype.name}: a value is out of its range "
                         f"[{dtype.min}, {dtype.max}] (TensorFlow would silently wrap it around). Use a wider dtype, "
                         f"or ef.cast to wrap on purpose.") from None


def on_device(host_array, device):
    """`host_array` (a NumPy array nobody else holds) as an array of `device`: itself on a CPU."""
    return host_array if device.array_type is _ndarray else device.backend.from_host(host_array)


_scalar_cache = {}


_PY_SCALARS = (int, float, bool)


def _constant_on(value, dtype, device):
    """A device array of `value` converted to `dtype` (cached for Python scalars: tensors are
    immutable and kernels never write into their inputs, so one array can serve every use)."""
    # NaN never equals a key, and 0.0 == -0.0 would mix up the two zeros: neither is cached.
    cacheable = type(value) in _PY_SCALARS and value == value and (value or type(value) is not float)
    if cacheable:
        key = (value, type(value), dtype._np, device)
        cached = _scalar_cache.get(key)
        if cached is not None:
            return cached
    array = on_device(to_array(value, dtype)[0], device)
    if cacheable and len(_scalar_cache) < 4096:
        _scalar_cache[key] = array
    return array


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """`value` as a Tensor: tensors pass through, variables are read, other values are converted.

    >>> ef.convert_to_tensor([1, 2]).dtype
    ef.int32
    """
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if type(value) is Tensor:
        _check_requested(value, dtype)
        return value
    read = getattr(value, "_ef_read", None)
    if read is not None:
        t = read()
        _check_requested(t, dtype)
        return t
    if isinstance(value, Tensor):  # a variable's slice
        _check_requested(value, dtype)
        return value
    requested = dtype  # the dtype TF converts to, which keys its cache of Python scalars' tensors
    try:
        if dtype is None and dtype_hint is not None:
            try:
                requested = _dtypes.as_dtype(dtype_hint)
                array, source = to_array(value, requested, pack=None)
            except (TypeError, ValueError):
                requested = None
                array, source = to_array(value, pack=None)
        else:
            array, source = to_array(value, dtype, pack=None)
    except _dtypes.HoldsTensors:
        return pack_tensors(value, dtype)
    return place_new(array, source, value=value, requested=requested)


def _check_requested(t, dtype):
    if dtype is not None and t._dtype is not dtype:
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                         f"{t._dtype.name}: {t}. Use ef.cast(x, ef.{dtype.name}) to change its dtype.")


def target_device(op, dtype):
    """The device a new value of `dtype` made by `op` lands on: the scope's, or the dtype's default."""
    return placement.place(op, dtype)[0] if _switches.active else placement.default_device(dtype)


tensor_made = False  # whether a tensor was made of a host value yet: TF's context starts then (placer_log.py)


def place_new(host_array, dtype, op="Const", value=None, requested=None):
    """A new tensor from a host array, on the scope's device or the dtype's default device
    (`op` names the op the value is an input of, for placement errors; `value` is the Python value the
    array was made of and `requested` the dtype it was converted to (None: inferred), for the placement log:
    TF logs a Python scalar's _EagerConst on its first use with that requested dtype only)."""
    global tensor_made
    tensor_made = True
    device = target_device(op, dtype)
    if _warnings.filters is not _kernels._installed_in:
        _kernels.silence_runtime_warnings()
    if _switches.active and context.placement_logging()[0]:  # as TF: a Python value becomes a tensor by an op
        placement.log_constant(device, value, requested, dtype.name)
    return wrap(on_device(host_array, device), device, dtype)


def log_constants(op, *values, dtype=_dtypes.int32):
    """Log the _EagerConsts of arguments TF passes to `op` as tensors and eagerflow as attrs (StridedSlice's begin,
    end and strides, a reduction's axis, Fill's dims...), each the Python value given or None for one made of a
    list, converted to `dtype`; a tensor given is one already, and logs nothing (only called when switches are
    on)."""
    if context.placement_logging()[0]:
        device = target_device(op, dtype)
        for value in values:
            if not is_tensor_like(value):
                placement.log_constant(device, value, dtype, dtype and dtype.name)


def convert_inputs(op, inputs, match=True):
    """Step 1: every input as a Tensor, dtypes matched (variables are read, and the read recorded)."""
    tensors = [None] * len(inputs)
    dtype = None
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor):
            tensors[i] = x
        else:
            read = getattr(x, "_ef_read", None)
            if read is not None:
                tensors[i] = read()
        if match and tensors[i] is not None:
            if dtype is None:
                dtype = tensors[i]._dtype
            elif tensors[i]._dtype is not dtype:
                raise _mismatch(op, i, dtype, tensors[i]._dtype)
    for i, x in enumerate(inputs):
        if tensors[i] is None:
            try:
                array, source = to_array(x, dtype if match else None, pack=None)
            except _dtypes.HoldsTensors:
                tensors[i] = pack_tensors(x, dtype if match else None)
                source = tensors[i]._dtype
            else:
                tensors[i] = place_new(array, source, op, x, dtype if match else None)
            if match and dtype is None:
                dtype = source
    return tensors


def raw_op_inputs(inputs):
    """The inputs converted as TF's generated op functions convert them (`tf.add`, forward `+`), left to
    right: a value after a tensor takes its dtype when its kind allows and its own dtype otherwise, a value
    before any tensor its own, so a kind mismatch is the op's InvalidArgumentError ("expected to be a int32
    tensor but is a float tensor"), not a conversion TypeError. (TF's other functions and operators convert
    to the first tensor's dtype and raise TypeError: that is `execute`'s own rule.)"""
    out = list(inputs)
    dtype = None
    for i, x in enumerate(out):
        if is_tensor_like(x):
            dtype = dtype or convert_to_tensor(x)._dtype
            continue
        try:
            out[i] = convert_to_tensor(x, dtype)
        except TypeError:
            out[i] = convert_to_tensor(x)
        dtype = dtype or out[i]._dtype
    return out


def _mismatch(op, index, expected, got):
    return errors.InvalidArgumentError(
        None, op, f"cannot compute {op} as input #{index}(zero-based) was expected to be a {_tf_name(expected)} "
        f"tensor but is a {_tf_name(got)} tensor [Op:{op}]. Cast one input with ef.cast(x, ef.{expected.name}).")


def _tf_name(dtype):
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


# ----------------------------------------------------------------------------- steps 5-6

_KERNEL_ERRORS = (ValueError, IndexError, ZeroDivisionError, TypeError, MemoryError)


def run_kernel(device, op, arrays, attrs, dtype=None):
    """Step 5: the device's kernel for `op` (for a first input of `dtype`), with kernel failures as TF's
    error classes; a dtype TF has no kernel for is refused as TF refuses it."""
    kernel = device.kernels.get(op) if dtype is None else device.typed_kernels[dtype._index].get(op)
    if kernel is None and _kernels.load_areas():  # the op's kernel area had not been needed yet
        kernel = device.kernels.get(op) if dtype is None else device.typed_kernels[dtype._index].get(op)
    if kernel is None:
        refused = dtype_support.refusal(op, dtype) if dtype is not None else None
        if refused is not None:
            raise refused
        raise errors.NotFoundError(None, op, f"No kernel for op {op} on device {device.name}.")
    try:
        try:
            return kernel(*arrays, **attrs) if attrs else kernel(*arrays)
        except RuntimeWarning:  # a NumPy nan/inf report the user's warnings filters made an error: TF has none
            return rerun_silenced(kernel, arrays, attrs)
    except _KERNEL_ERRORS as e:
        raise _kernel_error(op, device, arrays, e) from None


def _kernel_error(op, device, arrays, e):
    if isinstance(e, MemoryError):  # an output the arguments' checks could not foresee (a matmul's, an einsum's)
        return errors.ResourceExhaustedError(
            None, op, f"OOM when running {op} on {device.name}: {e} [Op:{op}]. Use smaller inputs, or free memory.")
    # NumPy: "ufunc 'x' not supported for the input types"; CuPy: "Wrong type (...) of arguments for cupy_x"
    if isinstance(e, TypeError) and ("ufunc" in str(e) or "not supported" in str(e) or "Wrong type" in str(e)):
        types = ", ".join(str(getattr(a, "dtype", type(a).__name__)) for a in arrays)
        return errors.InvalidArgumentError(
            None, op, f"Op {op} has no kernel for input dtypes ({types}) on {device.name}: {e} [Op:{op}]")
    if isinstance(e, TypeError):
        return e
    if isinstance(e, ValueError) and len(arrays) == 2:  # TF's words for the two commonest shape errors
        shapes = [_shape_text(a) for a in arrays]
        if "could not be broadcast" in str(e):
            return errors.InvalidArgumentError(None, op, f"Incompatible shapes: {shapes[0]} vs. {shapes[1]} "
                                                         f"[Op:{op}]")
        if op == "MatMul" and all(getattr(a, "ndim", 0) == 2 for a in arrays):
            return errors.InvalidArgumentError(None, op, f"Matrix size-incompatible: In[0]: {shapes[0]}, In[1]: "
                                                         f"{shapes[1]} [Op:{op}]")
    return errors.InvalidArgumentError(None, op, f"{e} [Op:{op}]")


def _shape_text(array):
    """A shape as TF writes it in messages: [2,3]."""
    return "[" + ",".join(str(d) for d in getattr(array, "shape", ())) + "]"


def _wrap_outputs(out, device):
    if type(out) is tuple:
        return tuple(wrap(o, device) for o in out)
    return wrap(out, device)


# ----------------------------------------------------------------------------- recording

def push_recorder(recorder):
    """Make `recorder.record(op, inputs, outputs, attrs)` see every op of this thread."""
    _state.recorders.append(recorder)
    _switches.enable()


def pop_recorder(recorder):
    _state.recorders.remove(recorder)
    _switches.disable()


def announce(op, device, reason, inputs, outputs, attrs=None, logged_inputs=None, logged_attrs=None):
    """Steps 4 and 6 for ops that run their own kernel call (the variable ops). `logged_inputs`, `logged_attrs`:
    the dtype names of TF's inputs and TF's attrs for the log, where `inputs` and `attrs` do not show them."""
    local = _state.log_placement
    if _settings.log_placement if local is None else local[0]:
        logged = logged_attrs or attrs
        resources = tuple((x._dtype.name, tuple(x.shape)) for x in inputs if not isinstance(x, Tensor))
        if resources:  # TF keys an op's function by its variables' dtypes and shapes too
            logged = dict(logged or {}, _resources=resources)
        placement.log_op(op, device, reason, logged_inputs or tuple(map(_logged_dtype, inputs)),
                         tuple(map(_logged_dtype, outputs)), logged)
    recorders = _state.recorders
    if recorders:
        for recorder in tuple(recorders):
            recorder.record(op, inputs, outputs, attrs or _NO_ATTRS)


def _logged_dtype(value):
    """A value's dtype name as TF's op sees it: a variable is its resource handle."""
    return value._dtype.name if isinstance(value, Tensor) else "resource"


def host_event(op, fn, inputs=()):
    """Run `fn(*inputs)`, work done on the host that must happen on every call of a traced function
    (printing, drawing random numbers), and tell recorders, which may call `fn` again with other
    tensors. `fn` returns a tensor, a tuple of tensors, or None."""
    if not _switches.active:
        return fn(*inputs)
    _state.host_inputs = frozenset(id(t._value) for t in inputs)  # fn reads these values on purpose
    try:
        if context.placement_logging()[0]:  # TF runs one op: how fn makes its outputs is not in the log
            with placement.logged_as(placement.EVERY_OP_UNLOGGED):
                out = fn(*inputs)
        else:
            out = fn(*inputs)
    finally:
        _state.host_inputs = ()
    outputs = () if out is None else (out if type(out) is tuple else (out,))
    device = outputs[0]._device if outputs else placement.default_device(_dtypes.string)
    announce(op, device, placement.DTYPE_DEFAULT, tuple(inputs), outputs, {"_host": fn})
    return out


# ----------------------------------------------------------------------------- the path

def execute(op, inputs, attrs=None, match=True):
    """Run TF op `op` on `inputs` with `attrs`; return a Tensor (a tuple for multi-output ops).

    `match=False` leaves each input its own dtype (indices, conditions, shapes).

    >>> execute("AddV2", (ef.constant([1.0]), 2.0))
    <ef.Tensor: shape=(1,), dtype=float32, numpy=array([3.], dtype=float32)>
    """
    active = _switches.active
    scope = None  # the device of this thread's device scopes when they are all its switches have
    if not active or not (_switches.globals or _state.switched) or (
            not _switches.globals and _state.switched == _state.scoped and (scope := _state.scope_device) is not None):
        # The fast path: tensors (or Python scalars beside a tensor) already on the device ops
        # default to (or that this thread's device scope names), nothing to place or log; at most
        # this thread's tapes to tell (switches in other threads are theirs). Everything is
        # inlined: each frame costs ~50 ns.
        device = None
        if len(inputs) == 2:
            x, y = inputs
            if type(x) is Tensor:
                device = x._device
                dtype = x._dtype
                if type(y) is Tensor:
                    if device is y._device and (dtype is y._dtype or not match):
                        args = (x._value, y._value)
                    else:
                        device = None
                elif match and type(y) in _PY_SCALARS:
                    yv = _scalar_cache.get((y, type(y), dtype._np, device))
                    args = (x._value, _constant_on(y, dtype, device) if yv is None else yv)
                else:
                    device = None
            elif type(y) is Tensor and match and type(x) in _PY_SCALARS:
                device = y._device
                dtype = y._dtype
                xv = _scalar_cache.get((x, type(x), dtype._np, device))
                args = (_constant_on(x, dtype, device) if xv is None else xv, y._value)
        elif len(inputs) == 1 and type(inputs[0]) is Tensor:
            device = inputs[0]._device
            dtype = inputs[0]._dtype
            args = (inputs[0]._value,)
        if device is not None and (device.fast if scope is None else device is scope):
            kernel = device.typed_kernels[dtype._index].get(op)
            if kernel is not None:
                try:
                    out = kernel(*args, **attrs) if attrs else kernel(*args)
                except _KERNEL_ERRORS as e:
                    raise _kernel_error(op, device, args, e) from None
                except RuntimeWarning:
                    out = run_kernel(device, op, args, attrs, dtype)
                if type(out) is device.array_type:
                    t = _new(Tensor)
                    t._value = out
                    np_dtype = out.dtype  # most ops keep their input's dtype: no table lookup then
                    t._dtype = dtype if np_dtype is dtype._np else _NP_TO_DTYPE[np_dtype]
                    t._device = device
                else:
                    t = _wrap_outputs(out, device)
                if active and _state.recorders:
                    _record(op, inputs, args, device, t, attrs)
                return t
        if _readable.intersection(map(type, inputs)):
            # Variables: read them (sharing the buffer) and take the fast path with the tensors.
            return execute(op, [i._ef_read() if type(i) in _readable else i for i in inputs], attrs, match)
    return _execute_slow(op, inputs, attrs, match)


def _record(op, inputs, args, device, outputs, attrs):
    """Step 6 of the fast path: tell this thread's tapes (Python scalars become tensors for them)."""
    tensors = tuple(x if type(x) is Tensor else wrap(a, device) for x, a in zip(inputs, args))
    announce(op, device, placement.DTYPE_DEFAULT, tensors, outputs if type(outputs) is tuple else (outputs,), attrs)


def _execute_slow(op, inputs, attrs, match):
    if _warnings.filters is not _kernels._installed_in:
        _kernels.silence_runtime_warnings()
    tensors = convert_inputs(op, inputs, match)
    dtype = tensors[0]._dtype if tensors else None
    if _switches.active:
        device, reason = placement.place(op, dtype)
    else:
        device, reason = placement.default_device(dtype), placement.DTYPE_DEFAULT
    arrays = [t._value if t._device is device else placement.copy_input(op, i, t, device)
              for i, t in enumerate(tensors)]
    outputs = _wrap_outputs(run_kernel(device, op, arrays, attrs, dtype), device)
    if _switches.active:
        announce(op, device, reason, tensors, outputs if type(outputs) is tuple else (outputs,), attrs)
    return outputs

