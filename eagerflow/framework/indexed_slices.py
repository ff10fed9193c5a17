"""`ef.IndexedSlices`: rows `values` of a dense tensor of shape `dense_shape` at row `indices` (repeated
rows add up): the gradient of `gather` as TF gives it, so an optimizer can update only the rows used.

Ops accept it wherever a tensor goes (it converts to its dense tensor, by an unsorted segment sum, as TF's
conversion does), and `convert_to_tensor` densifies it.
"""

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor, execute, register_readable
from eagerflow.tensor_shape import TensorShape

__all__ = ["IndexedSlices", "IndexedSlicesSpec"]


@register_readable
class IndexedSlices:
    """A sparse representation of a dense tensor by slices along its first dimension.

    >>> s = ef.IndexedSlices(ef.constant([[1.0, 2.0], [3.0, 4.0]]), ef.constant([2, 2]), ef.constant([3, 2]))
    >>> ef.convert_to_tensor(s).numpy()
    array([[0., 0.],
           [0., 0.],
           [4., 6.]], dtype=float32)
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        if not self._indices.dtype.is_integer:
            raise TypeError(f"IndexedSlices indices must be int32 or int64, got {self._indices.dtype.name}")
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    @property
    def values(self):
        return self._values

    @property
    def indices(self):
        return self._indices

    @property
    def dense_shape(self):
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self):
        return self._values.device

    @property
    def shape(self):
        if self._dense_shape is None:
            return TensorShape([None] + self._values.shape.as_list()[1:])
        return TensorShape([int(d) for d in self._dense_shape.numpy()])

    def _ef_read(self):
        """The dense tensor (an unsorted segment sum of the values into their rows)."""
        if self._dense_shape is None:
            raise ValueError("Cannot convert an IndexedSlices without dense_shape to a tensor: give it dense_shape.")
        rows = int(self._dense_shape.numpy()[0])
        return execute("UnsortedSegmentSum", (self._values, self._indices), {"num_segments": rows}, match=False)

    def numpy(self):
        return self._ef_read().numpy()

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def with_values(self, values):
        """The same rows, holding `values`."""
        return IndexedSlices(values, self._indices, self._dense_shape)

    def __repr__(self):
        return (f"IndexedSlices(indices={str(self._indices)}, values={str(self._values)}, "
                f"dense_shape={str(self._dense_shape)})")

    __str__ = __repr__


def concat(parts):
    """One IndexedSlices holding every row of `parts` (how a tape adds sparse gradients, as TF)."""
    from eagerflow.ops import array_ops

    first = parts[0]
    indices = [p.indices if p.indices.dtype is first.indices.dtype else
               execute("Cast", (p.indices,), {"dtype": first.indices.dtype._np}) for p in parts]
    return IndexedSlices(array_ops.concat([p.values for p in parts], 0), array_ops.concat(indices, 0),
                         first.dense_shape)


class IndexedSlicesSpec:
    """The type of an IndexedSlices: dense shape, dtype, indices dtype.

    >>> ef.IndexedSlicesSpec([None, 2], ef.float32)
    IndexedSlicesSpec(TensorShape([None, 2]), ef.float32, ef.int64, None, TensorShape(None))
    """

    def __init__(self, shape=None, dtype=_dtypes.float32, indices_dtype=_dtypes.int64, dense_shape_dtype=None,
                 indices_shape=None):
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._indices_dtype = _dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else _dtypes.as_dtype(dense_shape_dtype)
        self._indices_shape = TensorShape(indices_shape)

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    def is_compatible_with(self, other):
        if isinstance(other, IndexedSlices):
            return other.dtype is self._dtype and self._shape.is_compatible_with(other.shape)
        return (isinstance(other, IndexedSlicesSpec) and other._dtype is self._dtype
                and self._shape.is_compatible_with(other._shape))

    def __eq__(self, other):
        return isinstance(other, IndexedSlicesSpec) and repr(self) == repr(other)

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return (f"IndexedSlicesSpec({self._shape!r}, {self._dtype!r}, {self._indices_dtype!r}, "
                f"{self._dense_shape_dtype!r}, {self._indices_shape!r})")
