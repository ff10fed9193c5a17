"""The segment reductions beyond the sum (`ef.math.segment_*`, `ef.math.unsorted_segment_*`), as TF's.

Unsorted reductions run TF's UnsortedSegmentMax/Min/Prod kernels (an empty segment holds the
reduction's identity: the dtype's lowest value for max, highest for min, 1 for prod); means and
sqrt_n divide a sum by the count. The sorted forms check that the ids are sorted and non-negative and
reduce into max(id) + 1 segments, where an empty segment holds 0 (1 for prod), as TF.
"""

from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.ops import math_ops

__all__ = ["segment_max", "segment_min", "segment_mean", "segment_prod", "unsorted_segment_max",
           "unsorted_segment_min", "unsorted_segment_mean", "unsorted_segment_prod", "unsorted_segment_sqrt_n"]


def _num(num_segments):
    return int(convert_to_tensor(num_segments).numpy()) if is_tensor_like(num_segments) else int(num_segments)


def _unsorted(op, data, segment_ids, num_segments, what):
    return execute(op, (convert_to_tensor(data), math_ops._segment_ids(segment_ids, what)),
                   {"num_segments": _num(num_segments)}, match=False)


def _counts(data, ids, num_segments):
    """How many slices fall into each segment, shaped to broadcast against the result."""
    ones = execute("OnesLike", (execute("Cast", (ids,), {"dtype": data.dtype._np}),))
    counts = math_ops.unsorted_segment_sum(ones, ids, num_segments)
    return execute("Reshape", (counts,), {"shape": (num_segments,) + (1,) * (data.ndim - ids.ndim)})


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """The largest slice of `data` per segment id; an empty segment holds the dtype's lowest value.

    >>> ef.math.unsorted_segment_max([1, 5, 3, 2], [0, 0, 2, 2], num_segments=3).numpy()
    array([          5, -2147483648,           3], dtype=int32)
    """
    return _unsorted("UnsortedSegmentMax", data, segment_ids, num_segments, "unsorted_segment_max")


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """The smallest slice of `data` per segment id; an empty segment holds the dtype's highest value.

    >>> ef.math.unsorted_segment_min([1.0, 5.0, 3.0], [1, 1, 0], num_segments=2).numpy()
    array([3., 1.], dtype=float32)
    """
    return _unsorted("UnsortedSegmentMin", data, segment_ids, num_segments, "unsorted_segment_min")


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """The product of the slices of `data` per segment id; an empty segment holds 1.

    >>> ef.math.unsorted_segment_prod([2, 3, 4], [0, 0, 2], num_segments=3).numpy()
    array([6, 1, 4], dtype=int32)
    """
    return _unsorted("UnsortedSegmentProd", data, segment_ids, num_segments, "unsorted_segment_prod")


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """The mean of the slices of `data` per segment id; an empty segment holds 0.

    >>> ef.math.unsorted_segment_mean([1.0, 3.0, 5.0], [0, 0, 1], num_segments=3).numpy()
    array([2., 5., 0.], dtype=float32)
    """
    data, n = convert_to_tensor(data), _num(num_segments)
    ids = math_ops._segment_ids(segment_ids, "unsorted_segment_mean")
    total = math_ops.unsorted_segment_sum(data, ids, n)
    return math_ops.truediv(total, math_ops.maximum(_counts(data, ids, n), 1))


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """The sum of the slices of `data` per segment id divided by the square root of their count.

    >>> ef.math.unsorted_segment_sqrt_n([1.0, 3.0, 5.0], [0, 0, 1], num_segments=2).numpy()
    array([2.828427, 5.      ], dtype=float32)
    """
    data, n = convert_to_tensor(data), _num(num_segments)
    ids = math_ops._segment_ids(segment_ids, "unsorted_segment_sqrt_n")
    total = math_ops.unsorted_segment_sum(data, ids, n)
    return math_ops.truediv(total, math_ops.sqrt(math_ops.maximum(_counts(data, ids, n), 1)))


def _sorted(data, segment_ids, what):
    """(data, ids, number of segments) after TF's checks of sorted segment ids."""
    data = convert_to_tensor(data)
    ids = math_ops._segment_ids(segment_ids, what)
    values = ids.numpy()
    op = "Segment" + what.split("_")[1].capitalize()
    if values.ndim != 1 or data.ndim == 0 or values.shape[0] != data.shape[0]:
        raise errors.InvalidArgumentError(
            None, op, f"segment_ids should be the same size as dimension 0 of input, got segment_ids of shape "
            f"{list(values.shape)} for data of shape {data.shape.as_list()} [Op:{op}]")
    if values.size and (values.min() < 0 or (values[1:] < values[:-1]).any()):
        raise errors.InvalidArgumentError(
            None, op, f"segment ids are not increasing or are negative: {values.tolist()} [Op:{op}]. Sort data by "
            f"id, or use ef.math.unsorted_{what}.")
    return data, ids, int(values[-1]) + 1 if values.size else 0


def _sorted_extreme(op, data, segment_ids, what):
    data, ids, n = _sorted(data, segment_ids, what)
    out = execute(op, (data, ids), {"num_segments": n}, match=False)
    present = math_ops.greater(_counts(data, ids, n), 0)
    return execute("SelectV2", (present, out, execute("ZerosLike", (out,))), match=False)


def segment_max(data, segment_ids, name=None):
    """The largest row of `data` per sorted segment id (0 for an id with no rows).

    >>> ef.math.segment_max([1, 5, 3, 2], [0, 0, 2, 2]).numpy()
    array([5, 0, 3], dtype=int32)
    """
    return _sorted_extreme("UnsortedSegmentMax", data, segment_ids, "segment_max")


def segment_min(data, segment_ids, name=None):
    """The smallest row of `data` per sorted segment id (0 for an id with no rows).

    >>> ef.math.segment_min([4, 5, 3, 2], [0, 0, 2, 2]).numpy()
    array([4, 0, 2], dtype=int32)
    """
    return _sorted_extreme("UnsortedSegmentMin", data, segment_ids, "segment_min")


def segment_prod(data, segment_ids, name=None):
    """The product of the rows of `data` per sorted segment id (1 for an id with no rows).

    >>> ef.math.segment_prod([2, 3, 4], [0, 0, 2]).numpy()
    array([6, 1, 4], dtype=int32)
    """
    data, ids, n = _sorted(data, segment_ids, "segment_prod")
    return execute("UnsortedSegmentProd", (data, ids), {"num_segments": n}, match=False)


def segment_mean(data, segment_ids, name=None):
    """The mean of the rows of `data` per sorted segment id (0 for an id with no rows).

    >>> ef.math.segment_mean([1.0, 3.0, 5.0], [0, 0, 1]).numpy()
    array([2., 5.], dtype=float32)
    """
    data, ids, n = _sorted(data, segment_ids, "segment_mean")
    total, count = math_ops.unsorted_segment_sum(data, ids, n), math_ops.maximum(_counts(data, ids, n), 1)
    if data.dtype.is_integer:  # TF: an integer mean, rounded toward zero
        return math_ops.truncatediv(total, count)
    return math_ops.truediv(total, count)
