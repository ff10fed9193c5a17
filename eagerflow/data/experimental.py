"""`ef.data.experimental`: TF's experimental names for dataset helpers, and `Optional`.

>>> import eagerflow as ef
>>> int(ef.data.experimental.cardinality(ef.data.Dataset.range(4)))
4
"""

from eagerflow import errors
from eagerflow.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset  # noqa: F401
from eagerflow.data.options import (  # noqa: F401
    AutoShardPolicy, AutotuneAlgorithm, AutotuneOptions, DistributeOptions, ExternalStatePolicy, OptimizationOptions,
    ServiceOptions, ThreadingOptions,
)

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality", "sample_from_datasets",
           "choose_from_datasets", "get_single_element", "AutoShardPolicy", "Optional", "DistributeOptions",
           "ThreadingOptions", "AutotuneAlgorithm", "AutotuneOptions", "ExternalStatePolicy", "OptimizationOptions",
           "ServiceOptions", "enumerate_dataset", "ignore_errors", "unique", "rebatch"]


def cardinality(dataset):
    """`dataset.cardinality()`."""
    return dataset.cardinality()


def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False):
    """`Dataset.sample_from_datasets`."""
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    """`Dataset.choose_from_datasets`."""
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def get_single_element(dataset):
    """`dataset.get_single_element()`."""
    return dataset.get_single_element()


def enumerate_dataset(start=0):
    """A transformation for `apply`: `ds.enumerate(start)`."""
    return lambda ds: ds.enumerate(start)


def ignore_errors(log_warning=False):
    """A transformation for `apply`: `ds.ignore_errors()`."""
    return lambda ds: ds.ignore_errors(log_warning)


def unique():
    """A transformation for `apply`: `ds.unique()`."""
    return lambda ds: ds.unique()


def rebatch(dataset, batch_size, drop_remainder=False):
    """`dataset.rebatch(batch_size, drop_remainder)`."""
    return dataset.rebatch(batch_size, drop_remainder)


class Optional:
    """A value that may be absent (`iterator.get_next_as_optional()`), as `tf.experimental.Optional`.

    >>> o = iter(ef.data.Dataset.range(1)).get_next_as_optional()
    >>> bool(o.has_value()), int(o.get_value())
    (True, 0)
    """

    def __init__(self, value, spec, present):
        self._value, self._spec, self._present = value, spec, present

    @staticmethod
    def from_value(value):
        from eagerflow.data.structure import spec_of
        return Optional(value, spec_of(value), True)

    @staticmethod
    def empty(element_spec):
        return Optional(None, element_spec, False)

    @property
    def element_spec(self):
        return self._spec

    def has_value(self, name=None):
        from eagerflow.framework.execute import convert_to_tensor
        return convert_to_tensor(self._present)

    def get_value(self, name=None):
        if not self._present:
            raise errors.InvalidArgumentError(None, "OptionalGetValue", "The optional does not have a value.")
        return self._value
