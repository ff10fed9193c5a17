"""Tensor constructors and array ops: thin functions over `execute`, as TensorFlow's."""

import builtins
import collections

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context, placement
from eagerflow.device.context import switches as _switches
from eagerflow.framework import arguments
from eagerflow.framework.execute import (
    convert_inputs, convert_to_tensor, execute, is_tensor_like, log_constants, place_new, target_device, to_array,
)
from eagerflow.framework.tensor import Tensor

__all__ = [
    "constant", "convert_to_tensor", "identity", "zeros", "ones", "fill", "zeros_like", "ones_like",
    "range", "eye", "linspace", "reshape", "transpose", "concat", "stack", "unstack", "split", "squeeze",
    "expand_dims", "gather", "gather_nd", "tile", "pad", "where", "broadcast_to", "shape", "size", "rank",
    "one_hot", "boolean_mask", "reverse", "sort", "argsort", "top_k", "stop_gradient", "is_tensor",
]


def _ints(value, what, op=None):
    """A tuple of Python ints from a list, tuple, TensorShape or integer tensor (floats: TypeError)."""
    return arguments.integers(value, what, op)


def constant(value, dtype=None, shape=None, name="Const"):
    """A tensor holding `value` (converted to `dtype`, and reshaped or filled to `shape`).

    >>> print(ef.constant([1, 1], dtype=ef.int64))
    ef.Tensor([1 1], shape=(2,), dtype=int64)
    >>> ef.constant(0.0, shape=[2]).numpy()
    array([0., 0.], dtype=float32)
    """
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    requested = dtype
    if is_tensor_like(value) and not isinstance(value, Tensor) and dtype is not None:
        value = convert_to_tensor(value).numpy()  # TF converts a variable's value to the dtype asked for
    if is_tensor_like(value):
        t = convert_to_tensor(value)
        if dtype is not None and t.dtype is not dtype:
            raise TypeError(f"Expected tensor {np.asarray(t)} with dtype ef.{dtype.name}, but got dtype "
                            f"ef.{t.dtype.name}. Use ef.cast(x, ef.{dtype.name}) to change its dtype.")
        array, dtype = None, t.dtype
    else:
        array, dtype = to_array(value, dtype, pack=False)
        t = None
    if shape is not None:
        shape = arguments.dims(shape, "Const", negative=ValueError)
        arguments.check_allocation(shape, dtype, target_device("Const", dtype), "Const")
        have = array if array is not None else t._host().copy()  # an array even for a scalar
        want = int(np.prod(shape, dtype=np.int64))
        if have.size == want:
            array = have.reshape(shape)
        elif have.size == 1:
            array = np.full(shape, have.reshape(()), dtype=have.dtype)
        else:
            raise TypeError(f"Eager execution of ef.constant with unsupported shape. Value {_brief(have)} has "
                            f"{have.size} elements, but got `shape` {shape} with {want} elements. Give a "
                            f"value with {want} elements or a scalar to fill with.")
        t = None
    if t is not None:
        return t
    return place_new(array, dtype, value=value if shape is None else None, requested=requested)


def _brief(array):
    text = np.array2string(array, threshold=8)
    return text if len(text) < 60 else text[:57] + "..."


def is_tensor(x):
    """Whether `x` is an eagerflow tensor or variable (lists and NumPy arrays are not).

    >>> ef.is_tensor(ef.constant(1)), ef.is_tensor(ef.Variable(1.0)), ef.is_tensor([1])
    (True, True, False)
    """
    return is_tensor_like(x)


def identity(input, name=None):
    """A tensor with the same value (for a variable: its current value, a snapshot).

    >>> v = ef.Variable([1, 2]); snapshot = ef.identity(v); _ = v.assign([3, 4])
    >>> snapshot.numpy()
    array([1, 2], dtype=int32)
    """
    return execute("Identity", (input,))


def stop_gradient(input, name=None):
    """The same value, but gradients do not flow back through it.

    >>> x = ef.Variable(3.0)
    >>> with ef.GradientTape() as tape:
    ...     y = x * x + ef.stop_gradient(x * x)
    >>> print(tape.gradient(y, x))
    ef.Tensor(6.0, shape=(), dtype=float32)
    """
    return execute("StopGradient", (input,))


def zeros(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with 0 (b'' for strings). `ef.zeros([2, 3])`.

    >>> ef.zeros([2, 3]).numpy()
    array([[0., 0., 0.],
           [0., 0., 0.]], dtype=float32)
    """
    dtype = _dtypes.as_dtype(dtype)
    given, shape = shape, arguments.dims(shape, "Fill")  # floats: a TypeError (TF converts the shape to int32)
    # as TF: fill with constant(zero, dtype) of a Python zero (its tensor is cached, so logged once)
    zero = b"" if dtype is _dtypes.string else False if dtype is _dtypes.bool else 0
    return _fill(shape, lambda: convert_to_tensor(zero, dtype=dtype), given)


def ones(shape, dtype=_dtypes.float32, name=None):
    """A tensor of `shape` filled with 1.

    >>> ef.ones([2], dtype=ef.int32).numpy()
    array([1, 1], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    if dtype is _dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string: ef.ones has no string form.")
    return _fill(arguments.dims(shape, "Fill"), lambda: convert_to_tensor(True if dtype is _dtypes.bool else 1,
                                                                          dtype=dtype))


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with `value`. `ef.fill([2], 7)` -> [7, 7] (int32).

    >>> ef.fill([2], 7).numpy()
    array([7, 7], dtype=int32)
    """
    return _fill(dims, lambda: convert_to_tensor(value))


def _fill(dims, make_value, given=None):
    """Fill's tensor of shape `dims` filled with the scalar tensor `make_value()` makes: made after the dims are
    logged, as TF converts Fill's inputs in order (`given`: the dims as the caller gave them, if not `dims`)."""
    given = dims if given is None else given
    dims = arguments.dims(dims, "Fill", "dims", error=errors.InvalidArgumentError)
    if _switches.active:  # TF's dims are a tensor
        log_constants("Fill", None if isinstance(given, (list, tuple)) else given)
    v = make_value()
    if v.ndim != 0:
        raise errors.InvalidArgumentError(None, "Fill", f"value must be a scalar, got shape {v.shape} [Op:Fill]")
    arguments.check_allocation(dims, v._dtype, target_device("Fill", v._dtype), "Fill")
    return execute("Fill", (v,), {"dims": dims})


def zeros_like(input, dtype=None, name=None):
    """A tensor of zeros with the shape (and dtype, unless given) of `input`.

    >>> ef.zeros_like([[1, 2]]).numpy()
    array([[0, 0]], dtype=int32)
    """
    x = convert_to_tensor(input)
    if dtype is not None and _dtypes.as_dtype(dtype) is not x.dtype:  # as TF: zeros of x's Shape, by Fill
        return zeros(shape(x), dtype)
    return execute("ZerosLike", (x,))


def ones_like(input, dtype=None, name=None):
    """A tensor of ones with the shape (and dtype, unless given) of `input`.

    >>> ef.ones_like([1, 2], dtype=ef.float32).numpy()
    array([1., 1.], dtype=float32)
    """
    x = convert_to_tensor(input)
    out = execute("OnesLike", (x,))
    return out if dtype is None else _cast(out, dtype)


def _cast(x, dtype):
    from eagerflow.ops.math_ops import cast
    return cast(x, dtype)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Numbers from `start` up to (not including) `limit` by `delta`. `ef.range(3)` -> [0, 1, 2].

    >>> ef.range(3).numpy(), ef.range(1, 2, 0.5).numpy()
    (array([0, 1, 2], dtype=int32), array([1. , 1.5], dtype=float32))
    """
    if limit is None:
        start, limit = 0, start
    requested = None if dtype is None else _dtypes.as_dtype(dtype)
    values = [convert_to_tensor(v) if is_tensor_like(v) else v for v in (start, limit, delta)]
    if dtype is None:
        kinds = [_dtypes.infer_dtype(v) if not is_tensor_like(v) else v.dtype for v in values]
        order = [_dtypes.int32, _dtypes.int64, _dtypes.float32, _dtypes.float64]
        dtype = builtins.max(kinds, key=lambda d: order.index(d) if d in order else 0)
    dtype = _dtypes.as_dtype(dtype)
    step = float(np.asarray(values[2]))
    if step == 0:
        raise errors.InvalidArgumentError(None, "Range", "Requires delta != 0 [Op:Range]")
    lo, hi = float(np.asarray(values[0])), float(np.asarray(values[1]))
    if (step > 0 and lo > hi) or (step < 0 and lo < hi):
        raise errors.InvalidArgumentError(
            None, "Range", f"Requires start {'<=' if step > 0 else '>='} limit when delta {'>' if step > 0 else '<'}"
            f" 0: {np.asarray(values[0])}/{np.asarray(values[1])} [Op:Range]")
    count = builtins.max(int(np.ceil((hi - lo) / step)), 0)
    arguments.check_allocation((count,), dtype, target_device("Range", dtype), "Range")
    operands = tuple(_range_operand(v, dtype, requested) for v in values)
    return execute("Range", operands)


def _range_operand(value, dtype, requested):
    """A bound of `range` as a tensor of `dtype`: a tensor cast, a Python value converted as TF converts it
    (`requested`: the dtype asked for, or None), so that the log names the same _EagerConsts."""
    if is_tensor_like(value):
        t = convert_to_tensor(value)
        return t if t.dtype is dtype else _cast(t, dtype)
    return place_new(np.asarray(value).astype(dtype._np), dtype, "Range", value=value, requested=requested)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, both included, along a new `axis` (start and stop may
    be tensors of any shapes that broadcast).

    >>> ef.linspace(0.0, 1.0, 3).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    >>> ef.linspace([0.0, 5.0], [10.0, 40.0], 3, axis=-1).numpy()
    array([[ 0. ,  5. , 10. ],
           [ 5. , 22.5, 40. ]], dtype=float32)
    """
    # As TF's function, whose ops the placement log names: start + delta * [1 .. num - 2] along the axis, between
    # start and stop, sliced to num (so num 0 and 1 need no division by zero); integer ends divide to float64.
    from eagerflow.ops import math_ops, numeric_ops, slicing_ops
    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, dtype=start.dtype)
    num_int = convert_to_tensor(num, dtype_hint=_dtypes.int32)
    if not num_int.dtype.is_integer:
        raise TypeError(f"Argument `num` must be of an integer dtype. Received: num={num} of dtype "
                        f"{num_int.dtype.name}. Give the number of values as an int.")
    if num_int.ndim == 0 and int(num_int.numpy()) > 0:  # where TF's int32 num wraps to a wrong shape
        arguments.check_allocation((int(num_int.numpy()),), start.dtype, target_device("LinSpace", start.dtype),
                                   "LinSpace")
    num_int = execute("Cast", (num_int,), {"dtype": np.dtype(np.int32)})  # a Cast even from int32, as TF's
    math_ops.cast(num_int, start.dtype)  # (TF makes it, and uses it no more)
    both = numeric_ops.broadcast_dynamic_shape(shape(start), shape(stop))
    start, stop = broadcast_to(start, both), broadcast_to(stop, both)
    expanded_start, expanded_stop = expand_dims(start, axis=axis), expand_dims(stop, axis=axis)
    full_shape = shape(expanded_start)
    ndims = shape(full_shape)[0]
    axis = where(axis >= 0, axis, ndims + axis)
    num_fill = math_ops.maximum(num_int - 2, 0)
    n_steps = math_ops.maximum(num_int - 1, 1)
    difference, divisor = expanded_stop - expanded_start, math_ops.cast(n_steps, expanded_stop.dtype)
    if difference.dtype.is_integer:  # TF's integer division casts both to a float (Cast, Cast, then RealDiv)
        as_float = _dtypes.float32 if difference.dtype._np.itemsize <= 2 else _dtypes.float64
        difference, divisor = math_ops.cast(difference, as_float), math_ops.cast(divisor, as_float)
    delta = difference / divisor
    expanded_start = math_ops.cast(expanded_start, delta.dtype)
    expanded_stop = math_ops.cast(expanded_stop, delta.dtype)
    range_end = where(num_int >= 0, n_steps, -1)  # a negative num: Range's error
    steps = math_ops.cast(range(1, range_end, dtype=_dtypes.int64), delta.dtype)
    along_axis = where(math_ops.equal(axis, range(ndims)), num_fill, 1)  # [1, ..., num - 2, ..., 1]
    middle = expanded_start + delta * reshape(steps, along_axis)
    joined = concat((expanded_start, middle, expanded_stop), axis=axis)
    begin = zeros_like(full_shape)
    size = concat((full_shape[0:axis], reshape(num_int, [1]), full_shape[axis + 1:]), axis=0)
    return slicing_ops.slice(joined, begin, size)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=_dtypes.float32, name=None):
    """The identity matrix (`num_rows` x `num_columns`), optionally batched.

    >>> ef.eye(2, 3, dtype=ef.int32).numpy()
    array([[1, 0, 0],
           [0, 1, 0]], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    rows = arguments.integer(num_rows, "num_rows", "Eye")
    columns = rows if num_columns is None else arguments.integer(num_columns, "num_columns", "Eye")
    batch = () if batch_shape is None else arguments.dims(batch_shape, "Eye", "batch_shape")
    shape = arguments.dims(batch + (rows, columns), "Eye", "the shape of the identity")
    arguments.check_allocation(shape, dtype, target_device("Eye", dtype), "Eye")
    from eagerflow.ops import linalg_ops
    ones_on_diagonal = ones(list(batch) + [min(rows, columns)], dtype=dtype)
    if rows == columns:  # as TF: ones on the diagonal (MatrixDiagV3), or set on zeros (MatrixSetDiagV3)
        return linalg_ops.diag(ones_on_diagonal)
    return linalg_ops.set_diag(zeros(list(shape), dtype=dtype), ones_on_diagonal)


def reshape(tensor, shape, name=None):
    """A new tensor with the same values in `shape` (one dimension may be -1). Variables are not
    reshaped: this returns a new tensor.

    >>> print(ef.reshape(ef.Variable([[1.0, 2.0], [3.0, 4.0]]), [1, 4]))
    ef.Tensor([[1. 2. 3. 4.]], shape=(1, 4), dtype=float32)
    """
    given = shape
    shape = arguments.dims(shape, "Reshape", error=errors.InvalidArgumentError, unknown=True)
    x = convert_to_tensor(tensor)
    size = int(np.prod(x._value.shape, dtype=np.int64))  # (not x.shape: a check, not a shape read into Python)
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if -1 in shape and shape.count(-1) == 1 and known == 0 and size == 0:
        # TF: with a 0 among the sizes, zeros on both sides are left out, so -1 takes the input's other dims
        # (`reshape(zeros([0, 3]), [-1, 0])` is shape (3, 0))
        rest = int(np.prod([d for d in x.shape.as_list() if d > 0], dtype=np.int64))
        nonzero = int(np.prod([d for d in shape if d > 0], dtype=np.int64))
        if rest % nonzero == 0:
            shape = tuple(rest // nonzero if d == -1 else d for d in shape)
    if shape.count(-1) > 1 or (-1 not in shape and known != size) or (-1 in shape and (known == 0 or size % known)):
        raise errors.InvalidArgumentError(
            None, "Reshape", f"Input to reshape is a tensor with {size} values, but the requested shape "
            f"{list(shape)} has {known} [Op:Reshape]. The number of elements must match.")
    return reshape_checked(x, shape, given)


def reshape_checked(x, shape, given=None):
    """Tensor `x` reshaped to `shape`, a tuple of ints checked to fit it; `given` is the shape as the caller
    gave it (None: the tuple itself), for the placement log."""
    if _switches.active:  # TF's shape is a tensor: an _EagerConst made of a Python value
        given = shape if given is None else given
        if isinstance(given, (list, tuple)):
            # TF converts [] twice: first to float32 (an empty list's default), which Reshape refuses, then int32
            log_constants("Reshape", *((None, None) if not given else (None,)))
        else:
            log_constants("Reshape", given)
    return execute("Reshape", (x,), {"shape": shape})


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permute the dimensions (reversed when `perm` is None).

    >>> ef.transpose([[1, 2, 3], [4, 5, 6]]).numpy()
    array([[1, 4],
           [2, 5],
           [3, 6]], dtype=int32)
    """
    x = convert_to_tensor(a)
    given = perm
    perm = tuple(builtins.range(x.ndim))[::-1] if perm is None else _ints(perm, "perm")
    if sorted(p % builtins.max(x.ndim, 1) for p in perm) != list(builtins.range(x.ndim)):
        raise errors.InvalidArgumentError(None, "Transpose", f"perm {list(perm)} is not a permutation of "
                                          f"0..{x.ndim - 1} for a tensor of rank {x.ndim} [Op:Transpose]")
    out = transpose_checked(x, perm, given)
    if conjugate and out.dtype.is_complex:
        out = execute("Conj", (out,))
    return out


def transpose_checked(x, perm, given=None):
    """Tensor `x` with its dimensions permuted by `perm`, a tuple of ints checked to be a permutation of them;
    `given` is the permutation as the caller gave it (None: made of Python values), for the placement log."""
    if _switches.active:  # TF's perm is a tensor: an _EagerConst unless one was given
        log_constants("Transpose", None if given is None or isinstance(given, (list, tuple)) else given)
    return execute("Transpose", (x,), {"perm": perm})


def concat(values, axis, name="concat"):
    """Join tensors along an existing `axis`.

    >>> ef.concat([[[1, 2]], [[3, 4]]], axis=1).numpy()
    array([[1, 2, 3, 4]], dtype=int32)
    """
    values = list(values)
    if not values:
        raise ValueError("concat needs at least one tensor.")
    if len(values) == 1:
        return identity(values[0])
    if _switches.active:  # TF's axis is a tensor
        log_constants("ConcatV2", axis)
    return execute("ConcatV2", tuple(values), {"axis": int(axis)})


def stack(values, axis=0, name="stack"):
    """Join tensors of one shape along a new `axis`.

    >>> ef.stack([[1, 2], [3, 4]], axis=1).numpy()
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    values = list(values)
    if not values:
        raise ValueError("stack needs at least one tensor.")
    shapes = {v._value.shape if type(v) is Tensor else tuple(v.shape) if is_tensor_like(v) else np.shape(v)
              for v in values}
    if len(shapes) > 1:
        raise errors.InvalidArgumentError(None, "Pack", f"Shapes of all inputs must match: got {sorted(shapes)} "
                                          "[Op:Pack]")
    return execute("Pack", tuple(values), {"axis": _python_axis(axis, len(next(iter(shapes))) + 1)})


def _python_axis(axis, rank):
    """An axis that TF checks in Python (stack, unstack): out of range is a ValueError."""
    a = arguments.integer(axis, "axis", None)
    if not -rank <= a < rank:
        raise ValueError(f"Argument `axis` = {a} not in range [{-rank}, {rank}). Give an axis inside the shape.")
    return a % rank


def unstack(value, num=None, axis=0, name="unstack"):
    """The list of slices of `value` along `axis`.

    >>> [t.numpy() for t in ef.unstack([[1, 2], [3, 4]], axis=1)]
    [array([1, 3], dtype=int32), array([2, 4], dtype=int32)]
    """
    x = convert_to_tensor(value)
    if x.ndim == 0:
        raise ValueError("Cannot unstack a scalar; it has no axis.")
    axis = _python_axis(axis, x.ndim)
    n = x.shape[axis]
    if num is not None and num != n:
        raise ValueError(f"unstack: num={num} does not match the dimension {n} of axis {axis}.")
    return list(execute("Unpack", (x,), {"axis": int(axis), "num": n}))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Split into `num_or_size_splits` equal parts, or parts of the given sizes (one may be -1).

    >>> [t.numpy() for t in ef.split([1, 2, 3, 4, 5], [2, -1])]
    [array([1, 2], dtype=int32), array([3, 4, 5], dtype=int32)]
    """
    x = convert_to_tensor(value)
    rank = x._value.ndim
    given_axis, a = axis, arguments.integer(axis, "axis", "Split")
    if not -rank <= a < rank:
        raise errors.InvalidArgumentError(None, "Split", f"-input rank(-{rank}) <= split_dim < input rank ({rank}), "
                                          f"but got {a} [Op:Split]")
    axis = a % rank
    dim = x.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(num_or_size_splits, bool):
        parts = int(num_or_size_splits)
        if parts <= 0 or dim % parts:
            raise errors.InvalidArgumentError(
                None, "Split", f"Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {axis} (size = {dim}) and num_split {parts} [Op:Split]")
        sizes = [dim // parts] * parts
    else:
        sizes = list(_ints(num_or_size_splits, "size_splits"))
        if sizes.count(-1) == 1:
            sizes[sizes.index(-1)] = dim - (builtins.sum(sizes) + 1)
        if builtins.sum(sizes) != dim or builtins.min(sizes) < 0:
            raise errors.InvalidArgumentError(
                None, "SplitV", f"Determined shape must either match input shape along split_dim exactly if fully "
                f"specified, or be less than the size of the input along split_dim if not fully specified. Got "
                f"sizes {sizes} for dimension {dim} [Op:SplitV]")
    indices = tuple(np.cumsum(sizes)[:-1].tolist())
    if _switches.active and context.placement_logging()[0]:
        return _logged_split(x, indices, axis, given_axis, num_or_size_splits)
    return list(execute("SplitV", (x,), {"indices": indices, "axis": axis}))


def _logged_split(x, indices, axis, given_axis, num_or_size_splits):
    """`split` with logging on: TF's Split (a number of parts) or SplitV (sizes), with the constants TF makes."""
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(num_or_size_splits, bool):
        log_constants("Split", given_axis)
        with placement.logged_as({"SplitV": "Split"}):
            return list(execute("SplitV", (x,), {"indices": indices, "axis": axis}))
    log_constants("SplitV", None if isinstance(num_or_size_splits, (list, tuple)) else num_or_size_splits,
                  given_axis)
    return list(execute("SplitV", (x,), {"indices": indices, "axis": axis}))


def squeeze(input, axis=None, name=None):
    """Remove dimensions of size 1 (all, or those in `axis`).

    >>> ef.squeeze(ef.zeros([1, 2, 1])).shape, ef.squeeze(ef.zeros([1, 2, 1]), axis=[2]).shape
    (TensorShape([2]), TensorShape([1, 2]))
    """
    attrs = {"axis": None if axis is None else _ints(axis, "axis")}
    return execute("Squeeze", (input,), attrs)


def expand_dims(input, axis, name=None):
    """Insert a dimension of size 1 at `axis`.

    >>> ef.expand_dims([1, 2], 0).numpy()
    array([[1, 2]], dtype=int32)
    """
    attrs = {"axis": arguments.integer(axis, "axis", "ExpandDims")}
    if _switches.active:  # TF's axis is a tensor
        log_constants("ExpandDims", axis)
    return execute("ExpandDims", (input,), attrs)


def _index_tensor(indices, op):
    t = convert_to_tensor(indices, dtype_hint=_dtypes.int32)  # an empty list is int32 here, as TF
    if not t.dtype.is_integer:
        raise TypeError(f"{op}: indices must be int32 or int64, got {t.dtype.name}.")
    return t


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of `params` along `axis` at `indices`. Out-of-range indices raise InvalidArgumentError.

    >>> ef.gather([10, 20, 30], [2, 0]).numpy()
    array([30, 10], dtype=int32)
    """
    p = convert_to_tensor(params)
    rank = p._value.ndim
    batch_dims = arguments.integer(batch_dims, "batch_dims", "GatherV2")
    given_axis = batch_dims if axis is None else axis
    axis = batch_dims if axis is None else arguments.integer(axis, "axis", "GatherV2", errors.InvalidArgumentError)
    if not -rank <= axis < rank:
        raise errors.InvalidArgumentError(
            None, "GatherV2", f"Shape must be at least rank {axis + 1 if axis >= 0 else -axis} but is rank {rank}: "
            f"axis {axis} is outside the params of shape {list(p._value.shape)} [Op:GatherV2]. Give an axis in "
            f"[{-rank}, {rank}).")
    axis %= rank
    indices = _index_tensor(indices, "gather")
    if batch_dims < 0:
        batch_dims += indices.ndim
    if _switches.active:  # TF's axis is a tensor
        log_constants("GatherV2", given_axis, dtype=None)  # GatherV2's Taxis has no default dtype
    return execute("GatherV2", (p, indices), {"axis": axis, "batch_dims": int(batch_dims)}, match=False)


def gather_nd(params, indices, batch_dims=0, name=None):
    """Slices of `params` at the index tuples in the last dimension of `indices`.

    >>> ef.gather_nd([[1, 2], [3, 4]], [[0, 1], [1, 0]]).numpy()
    array([2, 3], dtype=int32)
    """
    if batch_dims:
        raise NotImplementedError("gather_nd with batch_dims > 0 is not supported yet; use gather with batch_dims.")
    return execute("GatherNd", (params, _index_tensor(indices, "gather_nd")), match=False)


def tile(input, multiples, name=None):
    """Repeat `input` `multiples[i]` times along dimension i.

    >>> ef.tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    x = convert_to_tensor(input)
    given = None if isinstance(multiples, (list, tuple)) else multiples
    multiples = arguments.integers(multiples, "multiples", "Tile", errors.InvalidArgumentError)
    if len(multiples) != x.ndim:
        raise errors.InvalidArgumentError(None, "Tile", f"Expected multiples argument to be a vector of length "
                                          f"{x.ndim} but got length {len(multiples)} [Op:Tile]")
    for i, m in enumerate(multiples):
        if m < 0:
            raise errors.InvalidArgumentError(None, "Tile", f"Expected multiples[{i}] >= 0, but got {m} [Op:Tile]. "
                                              f"A multiple counts repetitions.")
    shape = tuple(d * m for d, m in zip(x._value.shape, multiples))
    arguments.check_allocation(shape, x._dtype, x._device, "Tile")
    if _switches.active:  # TF's multiples are a tensor
        log_constants("Tile", given)
    return execute("Tile", (x,), {"multiples": multiples})


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pad with `paddings[i] = [before, after]` per dimension; mode CONSTANT, REFLECT or SYMMETRIC.

    >>> ef.pad([[1, 2]], [[1, 0], [0, 1]]).numpy()
    array([[0, 0, 0],
           [1, 2, 0]], dtype=int32)
    >>> ef.pad([1, 2, 3], [[2, 2]], mode="REFLECT").numpy()
    array([3, 2, 1, 2, 3, 2, 1], dtype=int32)
    """
    x = convert_to_tensor(tensor)
    pads = np.asarray(convert_to_tensor(paddings)).astype(np.int64)
    mode = mode.upper()
    if pads.shape != (x.ndim, 2):
        raise errors.InvalidArgumentError(None, "PadV2", f"paddings must be a matrix of shape [{x.ndim}, 2], got "
                                          f"{list(pads.shape)} [Op:PadV2]")
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"pad: mode must be CONSTANT, REFLECT or SYMMETRIC, got {mode!r}.")
    attrs = {"paddings": tuple(map(tuple, pads.tolist())), "mode": mode}
    shape = tuple(int(d) + int(b) + int(a) for d, (b, a) in zip(x._value.shape, attrs["paddings"]))
    if builtins.min(shape, default=0) >= 0:  # negative: the kernel's InvalidArgumentError says which
        arguments.check_allocation(shape, x._dtype, x._device, "PadV2")
    if x.dtype is _dtypes.string and type(constant_values) is int and constant_values == 0:
        constant_values = ""  # TF: the default pads strings with empty strings
    if _switches.active and context.placement_logging()[0] and (mode != "CONSTANT" or _is_python_zero(constant_values)):
        # TF's Pad and MirrorPad have no constant input
        with placement.logged_as({"PadV2": "Pad" if mode == "CONSTANT" else "MirrorPad", "_EagerConst": None}):
            return execute("PadV2", (x, constant_values), attrs)
    return execute("PadV2", (x, constant_values), attrs)


def _is_python_zero(value):
    """Whether TF's pad runs its Pad op for `constant_values` (a zero that is no tensor)."""
    return not is_tensor_like(value) and np.ndim(value) == 0 and value == np.zeros_like(value)


def where(condition, x=None, y=None, name=None):
    """`x` where `condition` is True, else `y` (broadcast); with one argument, the indices of True values.

    >>> ef.where([True, False], [1, 2], [10, 20]).numpy()
    array([ 1, 20], dtype=int32)
    >>> print(ef.where([[True, False], [False, True]]))
    ef.Tensor(
    [[0 0]
     [1 1]], shape=(2, 2), dtype=int64)
    """
    cond = convert_to_tensor(condition)
    if cond.dtype is not _dtypes.bool:
        raise TypeError(f"where: condition must be a bool tensor, got {cond.dtype.name}.")
    if x is None and y is None:
        return execute("Where", (cond,))
    if x is None or y is None:
        raise ValueError("where: give both x and y, or neither.")
    xt, yt = convert_inputs("SelectV2", (x, y))
    return execute("SelectV2", (cond, xt, yt), match=False)


def broadcast_to(input, shape, name=None):
    """`input` broadcast to `shape`.

    >>> ef.broadcast_to([1, 2], [2, 2]).numpy()
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    given = None if isinstance(shape, (list, tuple)) else shape
    shape = arguments.dims(shape, "BroadcastTo", error=errors.InvalidArgumentError)
    x = convert_to_tensor(input)
    arguments.check_allocation(shape, x._dtype, x._device, "BroadcastTo")
    if _switches.active:  # TF's shape is a tensor
        log_constants("BroadcastTo", given)
    return execute("BroadcastTo", (x,), {"shape": shape})


def shape(input, out_type=_dtypes.int32, name=None):
    """The shape of `input` as a 1-D integer tensor.

    >>> print(ef.shape([[1, 2, 3], [4, 5, 6]]))
    ef.Tensor([2 3], shape=(2,), dtype=int32)
    """
    x = convert_to_tensor(input)
    if _switches.active and context.placement_logging()[0]:
        # made on the host, as TF's Shape op reads it there
        with placement.logged_as({"_EagerConst": ("Shape", (x._dtype.name,))}):
            return constant(list(x.shape), dtype=out_type)
    return constant(list(x.shape), dtype=out_type)


def size(input, out_type=_dtypes.int32, name=None):
    """The number of elements of `input` as a scalar tensor.

    >>> print(ef.size([[1, 2, 3], [4, 5, 6]]))
    ef.Tensor(6, shape=(), dtype=int32)
    """
    x = convert_to_tensor(input)
    return constant(int(np.prod(x.shape.as_list(), dtype=np.int64)), dtype=out_type)


def rank(input, name=None):
    """The number of dimensions of `input` as a scalar int32 tensor.

    >>> print(ef.rank([[1, 2, 3], [4, 5, 6]]))
    ef.Tensor(2, shape=(), dtype=int32)
    """
    x = convert_to_tensor(input)
    return constant(x.ndim, dtype=_dtypes.int32)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors of length `depth` (indices outside [0, depth) give all `off_value`).

    >>> ef.one_hot([0, 2, -1], 3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]], dtype=float32)
    """
    idx = _index_tensor(indices, "one_hot")
    if dtype is None:
        dtype = (convert_to_tensor(on_value).dtype if on_value is not None else
                 convert_to_tensor(off_value).dtype if off_value is not None else _dtypes.float32)
    dtype = _dtypes.as_dtype(dtype)
    on = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype)
    off = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype)
    given_depth, depth = depth, arguments.non_negative(depth, "depth", "OneHot")
    axis = -1 if axis is None else arguments.integer(axis, "axis", "OneHot")
    rank = idx._value.ndim + 1
    if not (axis == -1 or 0 <= axis < rank):
        raise errors.InvalidArgumentError(None, "OneHot", f"Expected axis to be -1 or between [0, {rank}). But "
                                          f"received: {axis} [Op:OneHot]")
    shape = list(idx._value.shape)
    shape.insert(rank - 1 if axis == -1 else axis, depth)
    arguments.check_allocation(shape, dtype, target_device("OneHot", dtype), "OneHot")
    if _switches.active:  # TF's depth is a tensor
        log_constants("OneHot", given_depth)
    return execute("OneHot", (idx, on, off), {"depth": depth, "axis": axis}, match=False)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The elements (or slices) of `tensor` where `mask` is True.

    >>> ef.boolean_mask([1, 2, 3], [True, False, True]).numpy()
    array([1, 3], dtype=int32)
    """
    x = convert_to_tensor(tensor)
    m = convert_to_tensor(mask)
    if m.dtype is not _dtypes.bool:
        raise TypeError(f"boolean_mask: mask must be bool, got {m.dtype.name}.")
    axis = 0 if axis is None else int(axis)
    k = m.ndim
    if k == 0:
        raise ValueError("boolean_mask: mask cannot be a scalar.")
    lead = x.shape.as_list()
    if lead[axis:axis + k] != m.shape.as_list():
        raise ValueError(f"boolean_mask: mask shape {m.shape} must match the dimensions {axis}..{axis + k - 1} "
                         f"of tensor shape {x.shape}.")
    flat = reshape(x, lead[:axis] + [-1] + lead[axis + k:])
    picks = squeeze(execute("Where", (reshape(m, [-1]),)), axis=[1])
    return gather(flat, picks, axis=axis)


def reverse(tensor, axis, name=None):
    """Reverse the order of elements along the dimensions in `axis`.

    >>> ef.reverse([[1, 2], [3, 4]], [1]).numpy()
    array([[2, 1],
           [4, 3]], dtype=int32)
    """
    x = convert_to_tensor(tensor)
    axes = _ints(axis, "axis", "ReverseV2")
    if x._value.ndim == 0:  # as TF: a scalar has nothing to reverse, whatever the axes
        return identity(x)
    if _switches.active:  # TF's axis is a tensor
        log_constants("ReverseV2", None if isinstance(axis, (list, tuple)) else axis)
    return execute("ReverseV2", (x,), {"axis": axes})


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """The values sorted along `axis`.

    >>> ef.sort([3, 1, 2], direction="DESCENDING").numpy()
    array([3, 2, 1], dtype=int32)
    """
    return _sort_or_argsort(values, axis, direction, indices=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis` (ties keep their order).

    >>> ef.argsort([3, 1, 2]).numpy()
    array([1, 2, 0], dtype=int32)
    """
    return _sort_or_argsort(values, axis, direction, indices=True)


def _sort_or_argsort(values, axis, direction, indices):
    """As TF's function, whose ops the placement log names and whose gradient is theirs: top_k over the whole
    axis, of the values turned around for an ascending order (floats negated, signed integers -x - 1, unsigned
    ones max - x: orders that keep ties in place), the axis swapped with the last one and back where it is not
    last."""
    descending = _descending(direction)
    axis_tensor = convert_to_tensor(axis)
    if axis_tensor.ndim != 0:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis_tensor}. Give one "
                         f"axis as an int.")
    axis = int(axis_tensor.numpy())
    x = convert_to_tensor(values)
    if descending:
        return _descending_sort(x, axis, indices)
    if x.dtype.is_unsigned:
        top = x.dtype.max
        out = _descending_sort(top - x, axis, indices)
        return out if indices else top - out
    if x.dtype.is_integer:
        out = _descending_sort(-x - 1, axis, indices)
        return out if indices else -out - 1
    out = _descending_sort(-x, axis, indices)
    return out if indices else -out


def _descending_sort(x, axis, indices):
    k = shape(x)[axis]
    ndim = rank(x).numpy()  # (a constant, as TF's for a known rank)
    if axis == -1 or axis + 1 == ndim:
        return top_k(x, k)[1 if indices else 0]
    axis = axis + ndim if axis < 0 else axis
    # swap axis and the last one: the permutation is its own inverse
    swap = constant(np.r_[np.arange(axis), [ndim - 1], np.arange(axis + 1, ndim - 1), [axis]])
    return transpose(top_k(transpose(x, swap), k)[1 if indices else 0], swap)


def _descending(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                         f"direction={direction}")
    return direction == "DESCENDING"


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type=_dtypes.int32, name=None):
    """The `k` largest values along the last dimension and their indices (ties: lower index first).

    `sorted=True` gives them largest first; `sorted=False` the same k values in the order TF's CPU kernel
    leaves them (the storage order of its heap; sorted for k equal to the last dimension). TF documents that
    order as unspecified.

    >>> values, indices = ef.math.top_k([1, 5, 3, 5], k=2)
    >>> values.numpy(), indices.numpy()
    (array([5, 5], dtype=int32), array([1, 3], dtype=int32))
    """
    given, k = k, arguments.non_negative(k, "k", "TopKV2", errors.InvalidArgumentError)
    if _switches.active:  # TF's k is a tensor
        log_constants("TopKV2", given)
    values, indices = execute("TopKV2", (input,), {"k": k, "sorted": bool(sorted)})
    return TopKV2(values, indices if _dtypes.as_dtype(index_type) is _dtypes.int32 else _cast(indices, index_type))
