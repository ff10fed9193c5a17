"""`ef.TensorArray`: a list of tensors of one dtype, as TF's eager TensorArray.

Values are kept as the tensors written, so a tape sees through `write`/`read`/`stack` naturally.
"""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.ops import array_ops
from eagerflow.tensor_shape import TensorShape, as_shape

__all__ = ["TensorArray", "TensorArraySpec"]


def _index(i):
    return int(convert_to_tensor(i).numpy()) if is_tensor_like(i) else int(i)


class TensorArray:
    """A growable (`dynamic_size=True`) or fixed-size array of tensors of `dtype`.

    >>> ta = ef.TensorArray(ef.float32, size=2)
    >>> ta = ta.write(0, [1.0, 2.0]).write(1, [3.0, 4.0])
    >>> ta.stack().numpy()
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """

    def __init__(self, dtype, size=None, dynamic_size=None, clear_after_read=None, tensor_array_name=None,
                 handle=None, flow=None, infer_shape=True, element_shape=None, colocate_with_first_write_call=True,
                 name=None):
        if handle is not None:
            raise ValueError("TensorArray handles are not supported when eager execution is enabled.")
        if size is None:
            raise ValueError("Size must be declared for TensorArrays when eager execution is enabled.")
        self._dtype = _dtypes.as_dtype(dtype)
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = infer_shape
        self._element_shape = as_shape(element_shape) if element_shape is not None else TensorShape(None)
        self._previously_read = set()
        self._tensors = [None] * _index(size)
        self._flow = array_ops.constant(0)

    @property
    def dtype(self):
        return self._dtype

    @property
    def dynamic_size(self):
        return self._dynamic_size

    @property
    def element_shape(self):
        return self._element_shape

    @property
    def flow(self):
        """A dummy int32 scalar, as TF's eager TensorArray (graphs order ops by it)."""
        return self._flow

    @property
    def handle(self):
        return None

    def size(self, name=None):
        """The number of elements, as an int32 scalar tensor."""
        return array_ops.constant(len(self._tensors))

    def _zeros_at(self, i):
        t = self._tensors[i]
        if t is None:
            if not self._element_shape.is_fully_defined():
                raise errors.InvalidArgumentError(
                    None, "TensorArrayRead", f"Could not read from TensorArray index {i}: it was never written and "
                    f"the element shape {self._element_shape} is not fully known, so no zeros can stand in for it.")
            t = self._tensors[i] = array_ops.zeros(self._element_shape.as_list(), dtype=self._dtype)
        return t

    def read(self, index, name=None):
        """The element at `index` (zeros of the element shape if it was never written)."""
        i = _index(index)
        if i < 0:
            raise errors.OutOfRangeError(None, None, f"Reading from negative indices (index {i}) is not allowed.")
        if i >= len(self._tensors):
            raise errors.OutOfRangeError(None, None, f"Tried to read from index {i} but array size is: "
                                                     f"{len(self._tensors)} ")
        t = self._tensors[i]
        if t is None:
            if i in self._previously_read:
                raise errors.InvalidArgumentError(
                    None, None, f"Could not read index {i} twice because it was cleared after a previous read "
                    f"(perhaps try setting clear_after_read = false?)")
            t = self._zeros_at(i)
        if self._clear_after_read:
            self._tensors[i] = None
            self._previously_read.add(i)
        return t

    def _write(self, index, value):
        i = _index(index)
        if i < 0:
            raise errors.OutOfRangeError(None, None, f"Writing to negative indices (index {i}) is not allowed.")
        if i >= len(self._tensors):
            if not self._dynamic_size:
                raise errors.OutOfRangeError(None, None, f"Tried to write to index {i} but array is not resizeable "
                                                         f"and size is: {len(self._tensors)} ")
            self._tensors.extend([None] * (i + 1 - len(self._tensors)))
        t = convert_to_tensor(value, dtype_hint=self._dtype)
        if t.dtype is not self._dtype:
            raise errors.InvalidArgumentError(None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying "
                                                          f"to write dtype {t.dtype.name} ")
        if not self._element_shape.is_compatible_with(t.shape):
            raise ValueError(f"Incompatible shape for value ({t.shape}), expected ({self._element_shape})")
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(t.shape)
        self._tensors[i] = t

    def write(self, index, value, name=None):
        """Store `value` at `index`; returns the TensorArray (write-then-reassign works as in TF)."""
        self._write(index, value)
        return self

    def stack(self, name=None):
        """All elements stacked along a new first axis (unwritten ones as zeros)."""
        for i in range(len(self._tensors)):
            self._zeros_at(i)
        if not self._tensors:
            shape = [0] + (self._element_shape.as_list() if self._element_shape.is_fully_defined() else [])
            return array_ops.zeros(shape, dtype=self._dtype)
        return array_ops.stack(self._tensors)

    def gather(self, indices, name=None):
        """The elements at `indices`, stacked."""
        idx = np.asarray(convert_to_tensor(indices).numpy() if is_tensor_like(indices) else indices).reshape(-1)
        return array_ops.stack([self._zeros_at(int(i)) for i in idx])

    def concat(self, name=None):
        """All elements concatenated along their first axis."""
        parts = [self._zeros_at(i) for i in range(len(self._tensors))]
        for i, t in enumerate(parts):
            if t.ndim == 0:
                raise errors.InvalidArgumentError(None, None, f"Concat saw a scalar shape at index {i} but requires "
                                                              f"at least vectors.")
        return array_ops.concat(parts, 0)

    def unstack(self, value, name=None):
        """The slices of `value` along its first axis as the elements."""
        t = convert_to_tensor(value, dtype_hint=self._dtype) if not is_tensor_like(value) else value
        parts = array_ops.unstack(t)
        if len(parts) > len(self._tensors) and not self._dynamic_size:
            raise ValueError(f"Cannot unstack {len(parts)} tensors into a TensorArray of static size "
                             f"{len(self._tensors)} ")
        self._tensors = [None] * len(parts)
        for i, p in enumerate(parts):
            self._write(i, p)
        return self

    def scatter(self, indices, value, name=None):
        """The slices of `value` written at `indices`."""
        idx = np.asarray(convert_to_tensor(indices).numpy() if is_tensor_like(indices) else indices).reshape(-1)
        t = convert_to_tensor(value, dtype_hint=self._dtype) if not is_tensor_like(value) else value
        for i, p in zip(idx, array_ops.unstack(t)):
            self._write(int(i), p)
        return self

    def split(self, value, lengths, name=None):
        """`value` split along its first axis into pieces of `lengths`, as the elements."""
        t = convert_to_tensor(value, dtype_hint=self._dtype) if not is_tensor_like(value) else convert_to_tensor(value)
        if t.dtype is not self._dtype:
            raise errors.InvalidArgumentError(None, None, f"TensorArray dtype is {self._dtype.name} but Op is trying "
                                                          f"to write dtype {t.dtype.name} ")
        lens = np.asarray(convert_to_tensor(lengths).numpy())
        if lens.ndim != 1:
            raise errors.InvalidArgumentError(None, None, f"Expected lengths to be a vector, received shape: "
                                                          f"{list(lens.shape)} ")
        if t.ndim == 0:
            raise errors.InvalidArgumentError(None, None, f"Expected value to be at least a vector, but received "
                                                          f"shape: {t.shape.as_list()} ")
        if int(lens.sum()) != t.shape[0]:
            raise errors.InvalidArgumentError(None, None, f"Expected sum of lengths to be equal to values.shape[0], "
                                                          f"but sum of lengths is {int(lens.sum())} and value's shape "
                                                          f"is: {t.shape.as_list()} ")
        if not self._dynamic_size and lens.shape[0] != len(self._tensors):
            raise errors.InvalidArgumentError(None, None, f"TensorArray's size is not equal to the size of lengths "
                                                          f"({len(self._tensors)} vs. {lens.shape[0]}), and the "
                                                          f"TensorArray is not marked as dynamically resizeable.")
        self._tensors = list(array_ops.split(t, [int(v) for v in lens]))
        return self

    def identity(self):
        return self

    def close(self, name=None):
        self._tensors = []

    def __repr__(self):
        return f"<ef.TensorArray dtype={self._dtype.name} size={len(self._tensors)}>"


class TensorArraySpec:
    """The type of a TensorArray: element shape, dtype, dynamic_size, infer_shape.

    >>> ef.TensorArraySpec([2], ef.float32)
    TensorArraySpec(TensorShape([2]), ef.float32, False, True)
    """

    def __init__(self, element_shape=None, dtype=_dtypes.float32, dynamic_size=False, infer_shape=True):
        self._element_shape = as_shape(element_shape) if element_shape is not None else TensorShape(None)
        self._dtype = _dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    @classmethod
    def from_value(cls, value):
        return cls(value.element_shape, value.dtype, value.dynamic_size, value._infer_shape)

    def is_compatible_with(self, other):
        if isinstance(other, TensorArray):
            other = TensorArraySpec.from_value(other)
        return (isinstance(other, TensorArraySpec) and self._dtype is other._dtype
                and self._element_shape.is_compatible_with(other._element_shape)
                and self._dynamic_size == other._dynamic_size)

    def __eq__(self, other):
        return (isinstance(other, TensorArraySpec) and self._dtype is other._dtype
                and self._element_shape == other._element_shape and self._dynamic_size == other._dynamic_size
                and self._infer_shape == other._infer_shape)

    def __hash__(self):
        return hash((self._dtype, self._dynamic_size, self._infer_shape))

    def __repr__(self):
        return (f"TensorArraySpec({self._element_shape!r}, {self._dtype!r}, {self._dynamic_size}, "
                f"{self._infer_shape})")
