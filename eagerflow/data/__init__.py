"""`ef.data`: input pipelines with tf.data's API and semantics, in eager form (loaded on first use).

>>> import eagerflow as ef
>>> ds = ef.data.Dataset.from_tensor_slices(([1, 2, 3, 4], [0, 1, 0, 1])).shuffle(4, seed=0).batch(2)
>>> [tuple(x.shape) for x, y in ds]
[(2,), (2,)]
"""

from eagerflow.data import experimental  # noqa: F401
from eagerflow.data.dataset import (  # noqa: F401
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, NumpyIterator, OwnedIterator,
)
from eagerflow.data.options import Options, ThreadingOptions  # noqa: F401
from eagerflow.data.readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset  # noqa: F401
from eagerflow.data.structure import DatasetSpec  # noqa: F401

Iterator = OwnedIterator
DatasetV2 = Dataset

__all__ = ["Dataset", "DatasetV2", "Iterator", "Options", "ThreadingOptions", "AUTOTUNE", "INFINITE_CARDINALITY",
           "UNKNOWN_CARDINALITY", "TextLineDataset", "TFRecordDataset", "FixedLengthRecordDataset", "DatasetSpec",
           "experimental", "NumpyIterator", "OwnedIterator"]
