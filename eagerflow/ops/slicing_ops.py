"""Slicing and scattering by index: `ef.slice`, `ef.strided_slice` (every mask), `ef.scatter_nd` and
`ef.tensor_scatter_nd_update/add/sub/min/max`, as TF's.

`slice` and `strided_slice` build the NumPy key of the slice and run TF's StridedSlice op (the one `t[...]`
runs), so they share its kernel and gradient.
"""

import builtins

import numpy as np

from eagerflow import errors
from eagerflow.device import context, placement
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops.array_ops import _index_tensor

_py_slice = builtins.slice  # `slice` is TF's function here

__all__ = ["slice", "strided_slice", "scatter_nd", "tensor_scatter_nd_update", "tensor_scatter_nd_add",
           "tensor_scatter_nd_sub", "tensor_scatter_nd_min", "tensor_scatter_nd_max"]


def _int_list(value, what, op):
    array = np.asarray(convert_to_tensor(value))
    if array.dtype.kind not in "iu" or array.ndim > 1:
        raise errors.InvalidArgumentError(None, op, f"{what} must be a vector of integers, got {value!r} [Op:{op}]")
    return [int(v) for v in np.atleast_1d(array)]


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    """The slice of `input_` starting at `begin` with `size` elements per dimension (-1: all the rest).

    >>> ef.slice(ef.constant([0, 1, 2, 3, 4]), begin=[1], size=[3]).numpy()
    array([1, 2, 3], dtype=int32)
    """
    x = convert_to_tensor(input_)
    begin, size = _int_list(begin, "begin", "Slice"), _int_list(size, "size", "Slice")
    shape = x.shape.as_list()
    if len(begin) != len(shape) or len(size) != len(shape):
        raise errors.InvalidArgumentError(
            None, "Slice", f"Expected begin and size arguments to be 1-D tensors of size {len(shape)}, but got shapes "
            f"[{len(begin)}] and [{len(size)}] instead. [Op:Slice] Give one begin and one size per dimension.")
    key = []
    for d, (b, s, n) in enumerate(zip(begin, size, shape)):
        if s == -1:
            s = n - b
        if not 0 <= b <= n or not 0 <= s <= n - b:
            raise errors.InvalidArgumentError(
                None, "Slice", f"Expected begin[{d}] in [0, {n}] and size[{d}] in [0, {n - b if 0 <= b <= n else n}], "
                f"but got begin {b} and size {s} [Op:Slice]. The slice must lie inside the input's shape {shape}.")
        key.append(_py_slice(b, b + s))
    if _switches.active and context.placement_logging()[0]:
        with placement.logged_as({"StridedSlice": "Slice"}):  # TF's Slice, run as the equivalent strided slice
            return execute("StridedSlice", (x,), {"key": tuple(key)})
    return execute("StridedSlice", (x,), {"key": tuple(key)})


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    """`input_[begin:end:strides]` per dimension, with TF's masks: bit i of `begin_mask`/`end_mask` ignores
    begin[i]/end[i], of `ellipsis_mask` makes spec i an ellipsis, of `new_axis_mask` a new axis of size 1,
    of `shrink_axis_mask` takes index begin[i] and drops the dimension.

    >>> t = ef.constant([[1, 2, 3], [4, 5, 6]])
    >>> ef.strided_slice(t, [0, 2], [2, 0], [1, -1]).numpy()
    array([[3, 2],
           [6, 5]], dtype=int32)
    >>> ef.strided_slice(t, [1, 0], [2, 3], shrink_axis_mask=1).numpy()
    array([4, 5, 6], dtype=int32)
    """
    x = convert_to_tensor(input_)
    begin, end = _int_list(begin, "begin", "StridedSlice"), _int_list(end, "end", "StridedSlice")
    strides = [1] * len(begin) if strides is None else _int_list(strides, "strides", "StridedSlice")
    if not len(begin) == len(end) == len(strides):
        raise errors.InvalidArgumentError(
            None, "StridedSlice", f"Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"[{len(begin)}], [{len(end)}], and [{len(strides)}] instead. [Op:StridedSlice]")
    if 0 in strides:
        raise errors.InvalidArgumentError(None, "StridedSlice", "strides[i] must be non-zero [Op:StridedSlice]")
    if bin(ellipsis_mask).count("1") > 1:
        raise errors.InvalidArgumentError(None, "StridedSlice", "Multiple ellipses in slice spec not allowed "
                                          "[Op:StridedSlice]. Set at most one bit of ellipsis_mask.")
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            key.append(_py_slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    return execute("StridedSlice", (x,), {"key": tuple(key)})


def scatter_nd(indices, updates, shape, name=None):
    """A tensor of `shape`, zero except the `updates` added at `indices` (repeated indices add up).

    >>> ef.scatter_nd([[1], [3]], [5, 7], [5]).numpy()
    array([0, 5, 0, 7, 0], dtype=int32)
    """
    shape = tuple(_int_list(shape, "shape", "ScatterNd"))
    indices = convert_to_tensor(indices)
    if not indices.dtype.is_integer:  # TF: the op's type check
        raise errors.InvalidArgumentError(
            None, "ScatterNd", f"Value for attr 'Tindices' of {indices.dtype.name} is not in the list of allowed "
            f"values: int16, int32, int64, uint16 [Op:ScatterNd]. Give integer indices.")
    return execute("ScatterNd", (indices, convert_to_tensor(updates)), {"shape": shape}, match=False)


def _tensor_scatter(op, what, example, shows):
    def fn(tensor, indices, updates, name=None):
        tensor = convert_to_tensor(tensor)
        updates = convert_to_tensor(updates, dtype=tensor.dtype)
        return execute(op, (tensor, _index_tensor(indices, what), updates), match=False)
    fn.__name__ = fn.__qualname__ = what
    fn.__doc__ = (f"A copy of `tensor` with `updates` {example} at `indices` (TF's {op}).\n\n"
                  f"    >>> ef.{what}([1, 2, 3], [[0], [2]], [10, 20]).numpy()\n    {shows}\n")
    return fn


tensor_scatter_nd_update = _tensor_scatter("TensorScatterUpdate", "tensor_scatter_nd_update", "written",
                                           "array([10,  2, 20], dtype=int32)")
tensor_scatter_nd_add = _tensor_scatter("TensorScatterAdd", "tensor_scatter_nd_add", "added",
                                        "array([11,  2, 23], dtype=int32)")
tensor_scatter_nd_sub = _tensor_scatter("TensorScatterSub", "tensor_scatter_nd_sub", "subtracted",
                                        "array([ -9,   2, -17], dtype=int32)")
tensor_scatter_nd_min = _tensor_scatter("TensorScatterMin", "tensor_scatter_nd_min", "taken where smaller",
                                        "array([1, 2, 3], dtype=int32)")
tensor_scatter_nd_max = _tensor_scatter("TensorScatterMax", "tensor_scatter_nd_max", "taken where larger",
                                        "array([10,  2, 20], dtype=int32)")
