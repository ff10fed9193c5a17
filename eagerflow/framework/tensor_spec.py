"""`TensorSpec`: the shape and dtype a tensor is expected to have (for `ef.function` signatures)."""

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import is_tensor_like
from eagerflow.tensor_shape import TensorShape

__all__ = ["TensorSpec"]


class TensorSpec:
    """A value describing tensors: a shape (dimensions may be None), a dtype and an optional name.

    >>> spec = ef.TensorSpec([None, 2], ef.float32)
    >>> spec
    TensorSpec(shape=(None, 2), dtype=ef.float32, name=None)
    >>> spec.is_compatible_with(ef.constant([[1.0, 2.0]])), spec.is_compatible_with(ef.constant([[1, 2]]))
    (True, False)
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=_dtypes.float32, name=None):
        self._shape = TensorShape(shape)
        self._dtype = _dtypes.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of `tensor` (its shape and dtype).

        >>> ef.TensorSpec.from_tensor(ef.constant([1, 2]))
        TensorSpec(shape=(2,), dtype=ef.int32, name=None)
        """
        return cls(tensor.shape, tensor.dtype, name)

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    def is_compatible_with(self, spec_or_tensor):
        """True for a tensor, variable or TensorSpec of this dtype whose shape fits this shape."""
        if not (isinstance(spec_or_tensor, TensorSpec) or is_tensor_like(spec_or_tensor)):
            return False
        return spec_or_tensor.dtype is self._dtype and self._shape.is_compatible_with(spec_or_tensor.shape)

    def __eq__(self, other):
        return (type(other) is type(self) and self._dtype is other._dtype and self._name == other._name
                and self._shape == other._shape)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((self._shape.rank, None if self._shape.rank is None else tuple(self._shape.as_list()),
                     self._dtype.name, self._name))

    def __repr__(self):
        shape = "None" if self._shape.rank is None else repr(tuple(self._shape.as_list()))
        return f"TensorSpec(shape={shape}, dtype=ef.{self._dtype.name}, name={self._name!r})"
