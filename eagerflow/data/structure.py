"""Elements of datasets: nested tuples, namedtuples and dicts of tensors (or datasets), as tf.data.

A value given to `from_tensors`/`from_tensor_slices` or returned by a `map` function is
*normalised*: tuples, namedtuples and dicts stay structure, every other leaf becomes a Tensor
(a Python list is one tensor, as in tf.data; a list returned by a function becomes a tuple).
`spec_of` gives the `element_spec` of an element; `DatasetSpec` describes a dataset nested in
an element (`window` yields those).

>>> from eagerflow.data.structure import normalize, spec_of
>>> spec_of(normalize({"x": [1.0, 2.0], "n": 3}))
{'x': TensorSpec(shape=(2,), dtype=ef.float32, name=None), 'n': TensorSpec(shape=(), dtype=ef.int32, name=None)}
"""

import collections.abc

from eagerflow import dtypes as _dtypes
from eagerflow.framework import nest
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.tensor_shape import TensorShape

__all__ = ["normalize", "normalize_output", "spec_of", "DatasetSpec", "is_dataset", "batch_spec",
           "unbatch_spec", "check_same_structure", "most_specific_common", "call_with_element"]


def is_dataset(value):
    from eagerflow.data.dataset import Dataset
    return isinstance(value, Dataset)


def _leaf(value, dtype=None):
    if type(value) is Tensor:
        if dtype is not None and value.dtype is not dtype:
            raise TypeError(f"Expected a tensor of dtype {dtype.name}, got {value.dtype.name}: {value}.")
        return value
    if is_dataset(value):
        return value
    return convert_to_tensor(value, dtype)


def normalize(value):
    """`value` with tuples/namedtuples/dicts kept and every other leaf (lists too) a Tensor."""
    if isinstance(value, tuple):
        items = [normalize(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, collections.abc.Mapping):
        return type(value)((k, normalize(v)) for k, v in value.items()) if type(value) is not dict else {
            k: normalize(v) for k, v in value.items()}
    return _leaf(value)


def normalize_output(value):
    """A function's return value as an element: lists become tuples (as tf.data), leaves Tensors."""
    if type(value) is Tensor:
        return value
    if type(value) is tuple:
        for v in value:
            if type(v) is not Tensor:
                break
        else:
            return value
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, tuple):
        items = [normalize_output(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, collections.abc.Mapping):
        return {k: normalize_output(v) for k, v in value.items()} if type(value) is dict else type(value)(
            (k, normalize_output(v)) for k, v in value.items())
    if value is None:
        raise TypeError("The function passed to a dataset transformation returned None: return the tensors of the "
                        "new element, e.g. `lambda x: x * 2`.")
    return _leaf(value)


def call_with_element(fn, element):
    """`fn(*element)` for a tuple element (not a namedtuple), else `fn(element)`, as tf.data."""
    if type(element) is tuple:
        return fn(*element)
    return fn(element)


class DatasetSpec:
    """The spec of a dataset inside an element: its element_spec and its (unknown or known) shape.

    >>> import eagerflow as ef
    >>> ef.data.DatasetSpec(ef.TensorSpec([], ef.int64))
    DatasetSpec(TensorSpec(shape=(), dtype=ef.int64, name=None), TensorShape([]))
    """

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    element_spec = property(lambda self: self._element_spec)

    @staticmethod
    def from_value(value):
        return DatasetSpec(value.element_spec)

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and self._element_spec == other._element_spec

    def __hash__(self):
        return hash(repr(self))

    def __repr__(self):
        return f"DatasetSpec({self._element_spec!r}, TensorShape({self._dataset_shape.as_list()!r}))"


def spec_of(element):
    """The element_spec of a normalised element."""
    if type(element) is Tensor:
        return TensorSpec(element.shape, element.dtype)
    if isinstance(element, tuple):
        items = [spec_of(v) for v in element]
        return type(element)(*items) if hasattr(element, "_fields") else tuple(items)
    if isinstance(element, collections.abc.Mapping):
        return {k: spec_of(v) for k, v in element.items()} if type(element) is dict else type(element)(
            (k, spec_of(v)) for k, v in element.items())
    if is_dataset(element):
        return DatasetSpec.from_value(element)
    if is_tensor_like(element):
        return TensorSpec(element.shape, element.dtype)
    raise TypeError(f"Not a dataset element: {element!r}")


def _map_specs(fn, spec):
    if isinstance(spec, (TensorSpec, DatasetSpec)):
        return fn(spec)
    if isinstance(spec, tuple):
        items = [_map_specs(fn, s) for s in spec]
        return type(spec)(*items) if hasattr(spec, "_fields") else tuple(items)
    return {k: _map_specs(fn, v) for k, v in spec.items()} if type(spec) is dict else type(spec)(
        (k, _map_specs(fn, v)) for k, v in spec.items())


def batch_spec(spec, size):
    """The spec of a batch of `spec` elements: a leading dimension `size` (None when unknown)."""
    def one(s):
        if isinstance(s, DatasetSpec):
            return DatasetSpec(s.element_spec, [size] + s._dataset_shape.as_list())
        return TensorSpec(TensorShape([size]).concatenate(s.shape), s.dtype)
    return _map_specs(one, spec)


def unbatch_spec(spec):
    """The spec of the rows of `spec` elements (each must have a rank of at least 1)."""
    def one(s):
        if s.shape.rank == 0:
            raise ValueError(f"Cannot unbatch an input with scalar components: {s!r}. Every component needs a "
                             "leading (batch) dimension.")
        return TensorSpec(s.shape[1:] if s.shape.rank is not None else None, s.dtype)
    return _map_specs(one, spec)


def check_same_structure(a, b, what):
    """TypeError unless two element specs have the same structure and dtypes (shapes may differ)."""
    try:
        nest.assert_same_structure(a, b, check_types=False)
    except (ValueError, TypeError):
        raise TypeError(f"Incompatible dataset elements in {what}:\n  {repr(a)}\nvs.\n  {repr(b)}.\n"
                        "Both datasets need elements of the same structure and dtypes; map one of them to "
                        "match the other.") from None
    for x, y in zip(nest.flatten(a), nest.flatten(b)):
        if type(x) is not type(y) or (isinstance(x, TensorSpec) and x.dtype is not y.dtype):
            raise TypeError(f"Incompatible dataset elements in {what}: {repr(x)} vs. {repr(y)} "
                            f"(whole specs {repr(a)} and {repr(b)}). Cast one of them to match, "
                            f"e.g. with .map(lambda x: ef.cast(x, ef.{getattr(x, 'dtype', _dtypes.float32).name})).")


def most_specific_common(a, b):
    """The spec that both `a` and `b` satisfy (dims that differ become None)."""
    def one(x, y):
        if isinstance(x, DatasetSpec):
            return x
        if x.shape.rank is None or y.shape.rank is None or x.shape.rank != y.shape.rank:
            return TensorSpec(None, x.dtype)
        return TensorSpec([p if p == q else None for p, q in zip(x.shape.as_list(), y.shape.as_list())], x.dtype)
    flat = [one(x, y) for x, y in zip(nest.flatten(a), nest.flatten(b))]
    return nest.pack_sequence_as(a, flat)
