"""More of TensorFlow's math and array functions: counting, sorting and searching, rolling and repeating,
grids, permutations, partitions, bit shifts and small numeric helpers (`ef.math.*`, `ef.*`, `ef.bitwise`).
"""

import collections

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context, placement
from eagerflow.device.context import switches as _switches
from eagerflow.backends import dtype_support
from eagerflow.framework.execute import convert_inputs, convert_to_tensor, execute, is_tensor_like, log_constants
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.array_ops import _ints

__all__ = ["bincount", "unique", "unique_with_counts", "searchsorted", "histogram_fixed_width",
           "histogram_fixed_width_bins", "invert_permutation", "roll", "meshgrid", "repeat", "angle", "complex",
           "cumulative_logsumexp", "accumulate_n", "confusion_matrix", "is_non_decreasing", "is_strictly_increasing",
           "polyval", "reciprocal_no_nan", "scalar_mul", "realdiv", "bitcast", "broadcast_dynamic_shape",
           "broadcast_static_shape", "dynamic_partition", "dynamic_stitch", "parallel_stack", "reverse_sequence",
           "sequence_mask", "shape_n", "unravel_index", "lbeta", "left_shift", "right_shift", "bitwise_and",
           "bitwise_or", "bitwise_xor", "invert", "sobol_sample"]


def _t(x):
    return convert_to_tensor(x)


def _scalar(x, what):
    if is_tensor_like(x):
        x = convert_to_tensor(x).numpy()
    try:
        return int(np.asarray(x).reshape(()))
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a scalar, got {x!r}") from None


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=_dtypes.int32, name=None, axis=None,
             binary_output=False):
    """Counts of each value in `arr` (or the sums of `weights` at them), as TF's bincount: the output has
    max(arr) + 1 entries, at least `minlength`, at most `maxlength`; `axis=-1` counts each row.

    >>> ef.math.bincount([1, 1, 3]).numpy()
    array([0, 2, 0, 1], dtype=int32)
    >>> ef.math.bincount([0, 2], weights=[0.5, 1.5], minlength=4).numpy()
    array([0.5, 0. , 1.5, 0. ], dtype=float32)
    """
    a = _t(arr)
    if not a.dtype.is_integer:
        raise errors.InvalidArgumentError(None, "Bincount", f"bincount needs integer values, got {a.dtype.name}")
    if axis not in (None, 0, -1):
        raise ValueError(f"Unsupported axis value {axis}. Only 0 and -1 are currently supported.")
    if axis == -1 and a.ndim != 2:
        raise ValueError(f"bincount with axis=-1 needs a 2-D input, got shape {a.shape}")
    a_np = a.numpy()
    size = int(a_np.max()) + 1 if a_np.size else 0
    if minlength is not None:
        size = max(size, _scalar(minlength, "minlength"))
    if maxlength is not None:
        size = min(size, _scalar(maxlength, "maxlength"))
    if weights is not None:
        w = _t(weights)
        if tuple(w.shape) != tuple(a.shape):
            raise errors.InvalidArgumentError(None, "Bincount", f"weights must have the shape of arr {a.shape}, "
                                              f"got {w.shape}")
    else:
        w = array_ops.zeros([0], dtype=_dtypes.as_dtype(dtype))
    return execute("Bincount", (a, w), {"size": size, "binary_output": bool(binary_output),
                                        "axis": None if axis is None else int(axis)}, match=False)


Unique = collections.namedtuple("Unique", ["y", "idx"])  # TF's names for the outputs
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique(x, out_idx=_dtypes.int32, name=None):
    """(y, idx): the unique values of 1-D `x` in order of first appearance, and for each element of x the
    index of its value in y.

    >>> y, idx = ef.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    >>> y.numpy(), idx.numpy()
    (array([1, 2, 4, 7, 8], dtype=int32), array([0, 0, 1, 2, 2, 2, 3, 4, 4], dtype=int32))
    """
    t = _t(x)
    if t.ndim != 1:
        raise errors.InvalidArgumentError(None, "Unique", f"unique expects a 1D vector, got shape {t.shape}")
    attrs = {"out_idx": _dtypes.as_dtype(out_idx)._np}
    if _switches.active and context.placement_logging()[0]:
        with placement.logged_as({"UniqueV2": "Unique"}):  # TF's Unique: eagerflow's UniqueV2 along axis 0
            return Unique(*execute("UniqueV2", (t,), attrs))
    return Unique(*execute("UniqueV2", (t,), attrs))


def unique_with_counts(x, out_idx=_dtypes.int32, name=None):
    """(y, idx, count): as `unique`, with how often each unique value occurs.

    >>> y, idx, count = ef.unique_with_counts([1, 1, 2, 4, 4, 4])
    >>> count.numpy()
    array([2, 1, 3], dtype=int32)
    """
    t = _t(x)
    if t.ndim != 1:
        raise errors.InvalidArgumentError(None, "Unique", f"unique expects a 1D vector, got shape {t.shape}")
    return UniqueWithCounts(*execute("UniqueWithCountsV2", (t,), {"out_idx": _dtypes.as_dtype(out_idx)._np}))


def searchsorted(sorted_sequence, values, side="left", out_type=_dtypes.int32, name=None):
    """Where `values` would be inserted into each innermost row of `sorted_sequence` to keep it sorted.

    >>> ef.searchsorted([[0, 3, 9, 9, 10], [1, 2, 3, 4, 5]], [[2, 4, 9], [0, 2, 6]]).numpy()
    array([[1, 2, 2],
           [0, 1, 5]], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    seq = _t(sorted_sequence)
    vals = convert_to_tensor(values, dtype=seq.dtype)
    return execute("SearchSorted", (seq, vals), {"side": side, "out_type": _dtypes.as_dtype(out_type)._np})


def histogram_fixed_width(values, value_range, nbins=100, dtype=_dtypes.int32, name=None):
    """Counts of `values` in `nbins` equal bins over `value_range` = [lo, hi]; values outside go to the end bins.

    >>> ef.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5).numpy()
    array([2, 1, 1, 0, 2], dtype=int32)
    """
    v = _t(values)
    r = convert_to_tensor(value_range, dtype=v.dtype)
    return execute("HistogramFixedWidth", (v, r), {"nbins": _scalar(nbins, "nbins"),
                                                   "dtype": _dtypes.as_dtype(dtype)._np})


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=_dtypes.int32, name=None):
    """The bin index of each value, as `histogram_fixed_width` counts them.

    >>> ef.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5).numpy()
    array([0, 0, 1, 2, 4, 4], dtype=int32)
    """
    v = _t(values)
    r = convert_to_tensor(value_range, dtype=v.dtype)
    return execute("HistogramFixedWidthBins", (v, r), {"nbins": _scalar(nbins, "nbins"),
                                                       "dtype": _dtypes.as_dtype(dtype)._np})


def invert_permutation(x, name=None):
    """The inverse permutation: y[x[i]] = i.

    >>> ef.math.invert_permutation([3, 4, 0, 2, 1]).numpy()
    array([2, 4, 3, 0, 1], dtype=int32)
    """
    return execute("InvertPermutation", (x,))


def roll(input, shift, axis, name=None):
    """Elements shifted cyclically by `shift` along `axis` (ints or lists of them).

    >>> ef.roll([0, 1, 2, 3, 4], shift=2, axis=0).numpy()
    array([3, 4, 0, 1, 2], dtype=int32)
    """
    shifts, axes = _ints(shift, "shift"), _ints(axis, "axis")
    if len(shifts) != len(axes):
        raise errors.InvalidArgumentError(None, "Roll", f"shift and axis must have the same size, got "
                                          f"{len(shifts)} shifts and {len(axes)} axes")
    x = _t(input)
    for a in axes:
        if not -x.ndim <= a < max(x.ndim, 1):
            raise errors.InvalidArgumentError(None, "Roll", f"axis {a} is out of range for a tensor of rank {x.ndim}")
    if _switches.active:  # TF's shift and axis are tensors (of no default dtype)
        log_constants("Roll", *(None if isinstance(v, (list, tuple)) else v for v in (shift, axis)), dtype=None)
    return execute("Roll", (x,), {"shift": shifts, "axis": axes})


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D coordinate vectors; `indexing='xy'` (default) or 'ij', as NumPy.

    >>> X, Y = ef.meshgrid([1, 2, 3], [4, 5])
    >>> X.numpy()
    array([[1, 2, 3],
           [1, 2, 3]], dtype=int32)
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unexpected keyword arguments: {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise TypeError(f"indexing parameter must be either 'xy' or 'ij', got {indexing!r}")
    xs = [array_ops.reshape(_t(a), [-1]) for a in args]
    n = len(xs)
    sizes = [int(x.shape[0]) for x in xs]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, x in enumerate(xs):
        shape = [1] * n
        pos = i
        if indexing == "xy" and n > 1 and i < 2:
            pos = 1 - i
        shape[pos] = -1
        out.append(array_ops.broadcast_to(array_ops.reshape(x, shape), sizes))
    return out


def repeat(input, repeats, axis=None, name=None):
    """Each element (or slice along `axis`) repeated `repeats` times; with no axis, `input` is flattened.

    >>> ef.repeat([[1, 2], [3, 4]], repeats=[2, 3], axis=0).numpy()
    array([[1, 2],
           [1, 2],
           [3, 4],
           [3, 4],
           [3, 4]], dtype=int32)
    """
    x = _t(input)
    if axis is None:
        x = array_ops.reshape(x, [-1])
        axis = 0
    axis = int(axis) % max(x.ndim, 1)
    reps = np.asarray(convert_to_tensor(repeats).numpy() if is_tensor_like(repeats) else repeats)
    if reps.dtype.kind not in "iu":
        raise TypeError(f"repeats must be integers, got {reps.dtype}")
    n = x.shape[axis]
    if reps.ndim == 0:
        reps = np.full(n, int(reps))
    if reps.shape != (n,) and reps.size != 1:
        raise errors.InvalidArgumentError(None, "Repeat", f"repeats must be a scalar or have {n} elements "
                                          f"(the size of axis {axis}), got shape {reps.shape}")
    index = np.repeat(np.arange(n), np.broadcast_to(reps, (n,)))
    return array_ops.gather(x, array_ops.constant(index.astype(np.int32)), axis=axis)


def angle(input, name=None):
    """The argument of each complex element (atan2(imag, real)); 0 or pi for real input, as TF.

    >>> ef.math.angle([1j, -1 + 0j]).numpy()
    array([1.57079633, 3.14159265])
    """
    x = _t(input)
    if x.dtype.is_complex:
        return execute("Angle", (x,))
    # as TF: pi where x < 0, else 0 (NaN too); integers fail converting pi, as in TF
    return array_ops.where(x < 0, np.pi * array_ops.ones_like(x), array_ops.zeros_like(x))


def complex(real, imag, name=None):  # noqa: A001 - TF's name
    """real + imag * 1j: complex64 from float32 parts, complex128 from float64.

    >>> ef.complex([1.0], [2.0]).numpy()
    array([1.+2.j], dtype=complex64)
    """
    re = _t(real)
    im = convert_to_tensor(imag, dtype=re.dtype)
    return execute("Complex", (re, im))


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """log(cumsum(exp(x))) along `axis`, computed stably.

    >>> ef.math.cumulative_logsumexp([0.0, 0.0, 0.0]).numpy()
    array([0.       , 0.6931472, 1.0986123], dtype=float32)
    """
    t = _t(x)
    return execute("CumulativeLogsumexp", (t,), {"axis": _scalar(axis, "axis") % max(t.ndim, 1),
                                                 "exclusive": bool(exclusive), "reverse": bool(reverse)})


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The elementwise sum of a list of tensors (as `add_n`; TF deprecates this name).

    >>> ef.math.accumulate_n([[1, 2], [3, 4]]).numpy()
    array([4, 6], dtype=int32)
    """
    total = math_ops.add_n(inputs)
    if shape is not None and tuple(total.shape) != tuple(_ints(shape, "shape")):
        raise ValueError(f"shape {tuple(_ints(shape, 'shape'))} does not match the inputs' shape {total.shape}")
    if tensor_dtype is not None and total.dtype is not _dtypes.as_dtype(tensor_dtype):
        raise TypeError(f"tensor_dtype {_dtypes.as_dtype(tensor_dtype).name} does not match the inputs' dtype "
                        f"{total.dtype.name}")
    return total


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=_dtypes.int32, name=None):
    """The num_classes x num_classes matrix counting (label, prediction) pairs (or summing `weights`).

    >>> ef.math.confusion_matrix([1, 2, 4], [2, 2, 4]).numpy()
    array([[0, 0, 0, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 1, 0, 0],
           [0, 0, 0, 0, 0],
           [0, 0, 0, 0, 1]], dtype=int32)
    """
    lab = math_ops.cast(array_ops.reshape(labels, [-1]), _dtypes.int64)
    pred = math_ops.cast(array_ops.reshape(predictions, [-1]), _dtypes.int64)
    lab_np, pred_np = lab.numpy(), pred.numpy()
    if (lab_np < 0).any() or (pred_np < 0).any():
        raise errors.InvalidArgumentError(None, "ConfusionMatrix", "labels and predictions must be non-negative")
    if num_classes is None:
        n = int(max(lab_np.max(initial=-1), pred_np.max(initial=-1))) + 1
    else:
        n = _scalar(num_classes, "num_classes")
        if (lab_np >= n).any() or (pred_np >= n).any():
            raise errors.InvalidArgumentError(None, "ConfusionMatrix", f"labels and predictions must be less than "
                                              f"num_classes = {n}")
    dtype = _dtypes.as_dtype(dtype)
    values = (array_ops.ones(lab.shape, dtype) if weights is None
              else math_ops.cast(array_ops.reshape(weights, [-1]), dtype))
    flat = lab * n + pred
    counts = math_ops.unsorted_segment_sum(values, flat, n * n)
    return array_ops.reshape(counts, [n, n])


def _pairs(x):
    t = array_ops.reshape(_t(x), [-1])
    return t[:-1], t[1:]


def is_non_decreasing(x, name=None):
    """True when each element is >= the one before it (in row-major order); True for fewer than 2.

    >>> print(ef.math.is_non_decreasing([1, 1, 2]))
    ef.Tensor(True, shape=(), dtype=bool)
    """
    a, b = _pairs(x)
    return math_ops.reduce_all(math_ops.less_equal(a, b))


def is_strictly_increasing(x, name=None):
    """True when each element is > the one before it (in row-major order); True for fewer than 2.

    >>> print(ef.math.is_strictly_increasing([1, 1, 2]))
    ef.Tensor(False, shape=(), dtype=bool)
    """
    a, b = _pairs(x)
    return math_ops.reduce_all(math_ops.less(a, b))


def polyval(coeffs, x, name=None):
    """The polynomial coeffs[0] * x**(n-1) + ... + coeffs[n-1] at `x`, by Horner's rule.

    >>> float(ef.math.polyval([1.0, 2.0, 3.0], 2.0))
    11.0
    """
    if not isinstance(coeffs, (list, tuple)):
        raise ValueError(f"Argument coeffs must be list type, got {type(coeffs).__name__}")
    x = _t(x)
    if not coeffs:
        return array_ops.zeros_like(x)
    out = convert_to_tensor(coeffs[0], dtype=x.dtype) + array_ops.zeros_like(x)
    for c in coeffs[1:]:
        out = out * x + c
    return out


def reciprocal_no_nan(x, name=None):
    """1 / x, and 0 where x is 0.

    >>> ef.math.reciprocal_no_nan([2.0, 0.0]).numpy()
    array([0.5, 0. ], dtype=float32)
    """
    t = _t(x)
    return math_ops.divide_no_nan(array_ops.ones_like(t), t)


def scalar_mul(scalar, x, name=None):
    """`scalar * x` for a scalar (a Python number or 0-d tensor).

    >>> ef.math.scalar_mul(2, ef.constant([1.0, 2.0])).numpy()
    array([2., 4.], dtype=float32)
    """
    dtype = _dtypes.as_dtype(x.dtype)  # as TF: x has a dtype (a tensor, variable or NumPy array)
    s = convert_to_tensor(scalar, dtype=dtype)
    if s.shape.rank != 0:
        raise ValueError(f"Only scalar multiply works, got shape {s.shape}.")
    return execute("Mul", (s, x))


def realdiv(x, y, name=None):
    """x / y for real (floating) tensors, elementwise.

    >>> ef.realdiv([1.0, 3.0], 2.0).numpy()
    array([0.5, 1.5], dtype=float32)
    """
    x, y = convert_inputs("RealDiv", (x, y))
    refused = dtype_support.refusal("RealDiv", x.dtype, extended=False)  # TF's RealDiv has no integer kernels
    if refused is not None:
        raise refused
    return execute("RealDiv", (x, y))


def bitcast(input, type, name=None):  # noqa: A002 - TF's name
    """The bits of `input` reinterpreted as dtype `type`: a last dimension is added or removed when the
    sizes differ, as TF.

    >>> int(ef.bitcast(ef.constant(1.0), ef.int32))
    1065353216
    """
    t = _t(input)
    dtype = _dtypes.as_dtype(type)
    for d in (t.dtype, dtype):  # TF's Bitcast lists every number type but bool
        refused = dtype_support.refusal("Bitcast", d, extended=False)
        if refused is not None:
            raise refused
    src, dst = t.dtype._np.itemsize, np.dtype(dtype._np).itemsize
    if src < dst and (t.shape.rank == 0 or t.shape[-1] != dst // src):
        raise errors.InvalidArgumentError(None, "Bitcast", f"Cannot bitcast from {t.dtype.name} to {dtype.name}: "
                                          f"the last dimension must be {dst // src}, got shape {t.shape}")
    return execute("Bitcast", (t,), {"type": np.dtype(dtype._np)})


def broadcast_dynamic_shape(shape_x, shape_y):
    """The shape broadcasting gives two shapes, as an int32 tensor.

    >>> ef.broadcast_dynamic_shape([1, 2, 3], [5, 1, 3]).numpy()
    array([5, 2, 3], dtype=int32)
    """
    x, y = _ints(shape_x, "shape_x"), _ints(shape_y, "shape_y")
    try:
        out = np.broadcast_shapes(x, y)
    except ValueError:
        raise errors.InvalidArgumentError(None, "BroadcastArgs", f"Incompatible shapes: {list(x)} vs. {list(y)}") \
            from None
    dtype = convert_to_tensor(shape_x).dtype if is_tensor_like(shape_x) else _dtypes.int32
    if _switches.active and context.placement_logging()[0]:
        with placement.logged_as({"_EagerConst": "BroadcastArgs"}):  # made on the host, as TF's BroadcastArgs
            return array_ops.constant(list(out), dtype=dtype)
    return array_ops.constant(list(out), dtype=dtype)


def broadcast_static_shape(shape_x, shape_y):
    """The TensorShape broadcasting gives two TensorShapes (unknown dimensions allowed).

    >>> ef.broadcast_static_shape(ef.TensorShape([1, 2, 3]), ef.TensorShape([5, 1, 3]))
    TensorShape([5, 2, 3])
    """
    from eagerflow.tensor_shape import TensorShape
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    xs, ys = x.as_list(), y.as_list()
    n = max(len(xs), len(ys))
    xs, ys = [1] * (n - len(xs)) + xs, [1] * (n - len(ys)) + ys
    out = []
    for a, b in zip(xs, ys):
        if a == 1:
            out.append(b)
        elif b == 1 or b is None or a == b:
            out.append(a if a is not None else (b if b != 1 else None))
        elif a is None:
            out.append(b)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible if for each dimension "
                             f"pair they are either equal or one of them is 1. Received: {x} and {y}.")
    return TensorShape(out)


def dynamic_partition(data, partitions, num_partitions, name=None):
    """`data` split into `num_partitions` tensors by the partition index of each leading slice.

    >>> [p.numpy() for p in ef.dynamic_partition([10, 20, 30, 40], [0, 1, 0, 1], 2)]
    [array([10, 30], dtype=int32), array([20, 40], dtype=int32)]
    """
    d = _t(data)
    p = _t(partitions)
    p_np = p.numpy()
    if tuple(d.shape[:p.ndim]) != tuple(p.shape):
        raise errors.InvalidArgumentError(None, "DynamicPartition", f"data.shape must start with partitions.shape, "
                                          f"got data.shape = {d.shape}, partitions.shape = {p.shape}")
    if p_np.size and (p_np.min() < 0 or p_np.max() >= num_partitions):
        raise errors.InvalidArgumentError(None, "DynamicPartition", f"partitions must be in [0, {num_partitions}), "
                                          f"got values from {p_np.min()} to {p_np.max()}")
    flat = array_ops.reshape(d, [-1] + list(d.shape[p.ndim:]))
    ids = p_np.reshape(-1)
    return [array_ops.gather(flat, array_ops.constant(np.flatnonzero(ids == i).astype(np.int32)))
            for i in range(int(num_partitions))]


def dynamic_stitch(indices, data, name=None):
    """Interleave `data` into one tensor: result[indices[m][i]] = data[m][i] (later ones win on repeats).

    >>> ef.dynamic_stitch([[0, 2], [1]], [[10, 30], [20]]).numpy()
    array([10, 20, 30], dtype=int32)
    """
    idx = [np.asarray(_t(i).numpy()).reshape(-1) for i in indices]
    parts = [_t(d) for d in data]
    if len(idx) != len(parts):
        raise ValueError(f"dynamic_stitch needs as many index tensors as data tensors, got {len(idx)} and {len(parts)}")
    slices = [array_ops.reshape(d, [-1] + list(d.shape[_t(i).ndim:])) for i, d in zip(indices, parts)]
    stacked = array_ops.concat(slices, axis=0)
    all_idx = np.concatenate(idx) if idx else np.zeros(0, np.int64)
    size = int(all_idx.max()) + 1 if all_idx.size else 0
    last = np.full(size, -1, dtype=np.int64)
    last[all_idx] = np.arange(all_idx.size)  # NumPy assigns in order, so the last occurrence wins
    if (last < 0).any():
        raise errors.InvalidArgumentError(None, "DynamicStitch", f"indices must cover 0..{size - 1}; missing "
                                          f"{np.flatnonzero(last < 0).tolist()[:5]}")
    return array_ops.gather(stacked, array_ops.constant(last.astype(np.int32)))


def parallel_stack(values, name="parallel_stack"):
    """The tensors of `values` (one shape) stacked along a new first axis.

    >>> ef.parallel_stack([[1, 2], [3, 4]]).numpy()
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    return array_ops.stack(values, axis=0)


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):
    """For each batch entry b, the first seq_lengths[b] elements along `seq_axis` reversed.

    >>> ef.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1, batch_axis=0).numpy()
    array([[2, 1, 3],
           [6, 5, 4]], dtype=int32)
    """
    x = _t(input)
    seq_axis = int(seq_axis) % x.ndim
    batch_axis = int(batch_axis or 0) % x.ndim
    lengths = np.asarray(_t(seq_lengths).numpy()).reshape(-1)
    n, t = x.shape[batch_axis], x.shape[seq_axis]
    if lengths.shape[0] != n:
        raise errors.InvalidArgumentError(None, "ReverseSequence", f"len(seq_lengths) != input.dims({batch_axis}), "
                                          f"({lengths.shape[0]} vs. {n})")
    if (lengths > t).any() or (lengths < 0).any():
        raise errors.InvalidArgumentError(None, "ReverseSequence", f"seq_lengths must be in [0, {t}], got "
                                          f"{lengths.tolist()}")
    # index[b, s]: the source position along seq_axis for batch b
    pos = np.broadcast_to(np.arange(t), (n, t)).copy()
    for b, length in enumerate(lengths):
        pos[b, :length] = pos[b, :length][::-1]
    moved = array_ops.transpose(x, [batch_axis, seq_axis] + [a for a in range(x.ndim) if a not in (batch_axis,
                                                                                                 seq_axis)])
    gathered = array_ops.gather(moved, array_ops.constant(pos.astype(np.int32)), axis=1, batch_dims=1)
    order = [batch_axis, seq_axis] + [a for a in range(x.ndim) if a not in (batch_axis, seq_axis)]
    return array_ops.transpose(gathered, np.argsort(order).tolist())


def sequence_mask(lengths, maxlen=None, dtype=_dtypes.bool, name=None):
    """mask[..., j] = j < lengths[...], with `maxlen` columns (default: the largest length).

    >>> ef.sequence_mask([1, 3], 4).numpy()
    array([[ True, False, False, False],
           [ True,  True,  True, False]])
    """
    lens = _t(lengths)
    if maxlen is None:
        maxlen = int(np.max(lens.numpy(), initial=0))
    maxlen = _scalar(maxlen, "maxlen")
    row = array_ops.range(maxlen, dtype=lens.dtype)
    mask = math_ops.less(row, array_ops.expand_dims(lens, -1))
    dtype = _dtypes.as_dtype(dtype)
    return mask if dtype is _dtypes.bool else math_ops.cast(mask, dtype)


def shape_n(input, out_type=_dtypes.int32, name=None):
    """The shapes of a list of tensors, each as a tensor of `out_type`.

    >>> [s.numpy() for s in ef.shape_n([ef.zeros([2, 3]), ef.zeros([4])])]
    [array([2, 3], dtype=int32), array([4], dtype=int32)]
    """
    return [array_ops.shape(x, out_type=out_type) for x in input]


def unravel_index(indices, dims, name=None):
    """The coordinates in an array of shape `dims` of each flat index: one row per dimension.

    >>> ef.unravel_index([2, 5, 7], [3, 3]).numpy()
    array([[0, 1, 2],
           [2, 2, 1]], dtype=int32)
    """
    idx = _t(indices)
    shape = _ints(dims, "dims")
    flat = np.asarray(idx.numpy())
    total = int(np.prod(shape))
    if flat.size and (flat.min() < 0 or flat.max() >= total):
        raise errors.InvalidArgumentError(None, "UnravelIndex", f"index out of bounds for dims {list(shape)}: "
                                          f"indices must be in [0, {total})")
    return array_ops.constant(np.stack(np.unravel_index(flat, shape)).astype(idx.dtype._np), dtype=idx.dtype)


def lbeta(x, name=None):
    """log(|Beta(x)|) over the last dimension: sum(lgamma(x)) - lgamma(sum(x)).

    >>> float(ef.math.lbeta([1.0, 1.0]))
    0.0
    """
    t = _t(x)
    lg = execute("Lgamma", (t,))
    return math_ops.reduce_sum(lg, axis=-1) - execute("Lgamma", (math_ops.reduce_sum(t, axis=-1),))


def left_shift(x, y, name=None):
    """x << y elementwise, for integers.

    >>> ef.bitwise.left_shift([1, 2], 3).numpy()
    array([ 8, 16], dtype=int32)
    """
    return execute("LeftShift", (x, y))


def right_shift(x, y, name=None):
    """x >> y elementwise, for integers (arithmetic for signed types).

    >>> ef.bitwise.right_shift([-8, 16], 2).numpy()
    array([-2,  4], dtype=int32)
    """
    return execute("RightShift", (x, y))


def _integer_check(op, *xs):
    """The inputs as tensors of one dtype, as TF matches them (2.5 beside an int32 tensor: TypeError); TF's
    bitwise kernels take integers only (NumPy would also take bools)."""
    tensors = convert_inputs(op, xs)
    if not tensors[0].dtype.is_integer:
        raise errors.InvalidArgumentError(None, op, f"{op} needs integer tensors, got {tensors[0].dtype.name}")
    return tensors


def bitwise_and(x, y, name=None):
    """x & y elementwise, for integers.

    >>> ef.bitwise.bitwise_and([12, 10], 6).numpy()
    array([4, 2], dtype=int32)
    """
    return execute("BitwiseAnd", _integer_check("BitwiseAnd", x, y))


def bitwise_or(x, y, name=None):
    """x | y elementwise, for integers.

    >>> ef.bitwise.bitwise_or([12, 10], 1).numpy()
    array([13, 11], dtype=int32)
    """
    return execute("BitwiseOr", _integer_check("BitwiseOr", x, y))


def bitwise_xor(x, y, name=None):
    """x ^ y elementwise, for integers.

    >>> ef.bitwise.bitwise_xor([12, 10], 6).numpy()
    array([10, 12], dtype=int32)
    """
    return execute("BitwiseXor", _integer_check("BitwiseXor", x, y))


def invert(x, name=None):
    """~x elementwise (every bit flipped), for integers.

    >>> ef.bitwise.invert(ef.constant([0, 255], ef.uint8)).numpy()
    array([255,   0], dtype=uint8)
    """
    return execute("Invert", _integer_check("Invert", x))


def sobol_sample(dim, num_results, skip=0, dtype=_dtypes.float32, name=None):
    """`num_results` points of the (unscrambled) Sobol sequence in [0, 1)^dim, after skipping `skip` points and
    the all-zero first one, as TF (Joe and Kuo's direction numbers, through SciPy).

    >>> ef.math.sobol_sample(2, 3).numpy()
    array([[0.5 , 0.5 ],
           [0.75, 0.25],
           [0.25, 0.75]], dtype=float32)
    """
    import warnings

    from scipy.stats import qmc

    dim, num_results, skip = _scalar(dim, "dim"), _scalar(num_results, "num_results"), _scalar(skip, "skip")
    dtype = _dtypes.as_dtype(dtype)
    if dtype not in (_dtypes.float32, _dtypes.float64):
        raise errors.InvalidArgumentError(None, "SobolSample", f"dtype must be float32 or float64, got {dtype.name}")
    if dim < 1 or dim > 1111:
        raise errors.InvalidArgumentError(None, "SobolSample", f"dim must be in [1, 1111], got {dim}")
    if num_results < 1:
        raise errors.InvalidArgumentError(None, "SobolSample", f"num_results must be at least 1, got {num_results}")
    if skip < 0:
        raise errors.InvalidArgumentError(None, "SobolSample", f"skip must be non-negative, got {skip}")
    engine = qmc.Sobol(dim, scramble=False)
    engine.fast_forward(skip + 1)
    with warnings.catch_warnings():  # SciPy warns that n is not a power of 2 (its balance): TF takes any n
        warnings.simplefilter("ignore")
        points = engine.random(num_results)
    return array_ops.constant(points.astype(dtype._np), dtype=dtype)
