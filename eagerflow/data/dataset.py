"""`ef.data.Dataset`: tf.data's input pipelines in eager form.

A dataset is a description (a source and a chain of transformations); `iter(ds)` builds a
chain of Python iterators, one per stage, that produce elements (nested tuples, namedtuples
and dicts of Tensors). Work happens in the backend: `from_tensor_slices(x).shuffle(n).batch(b)`
never makes per-element tensors; its batch iterator asks the stages below for a block of row
indices (the shuffle's order is computed for a whole epoch at once, with TF's buffer semantics)
and takes one gather per component. `prefetch` runs its input in a background thread with a
bounded buffer, `map(num_parallel_calls=...)` in a pool of threads; both stop when their
iterator is dropped.

Iterators of the chain source/map/batch/shuffle/repeat/take/skip (and filter, enumerate, zip,
concatenate, flat_map, interleave, prefetch, cache, unbatch, shard, padded_batch, range,
from_tensors, the file readers) save and restore their position: `ef.train.Checkpoint(iterator=it)`;
the others raise FailedPreconditionError when saved, as TF's from_generator does.

>>> import eagerflow as ef
>>> ds = ef.data.Dataset.range(10).map(lambda x: x * 2).batch(4)
>>> [b.numpy().tolist() for b in ds]
[[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]
"""

import collections
import collections.abc
import concurrent.futures
import glob as _glob
import os
import threading
import time
import weakref

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.data import _state
from eagerflow.data import structure as _st
from eagerflow.data.options import Options
from eagerflow.framework import nest, recording
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like, on_device, wrap
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.tensor_shape import TensorShape

__all__ = ["Dataset", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "OwnedIterator",
           "NumpyIterator"]

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
_INF, _UNKNOWN = INFINITE_CARDINALITY, UNKNOWN_CARDINALITY


def _threads(n, what):
    """The number of threads for `num_parallel_calls=n` (AUTOTUNE: the machine's cores)."""
    if n == AUTOTUNE:
        return max(2, os.cpu_count() or 2)
    n = int(n)
    if n <= 0:
        raise ValueError(f"{what}: num_parallel_calls must be positive or ef.data.AUTOTUNE (-1), got {n}.")
    return n


def _positive(value, what, allow_autotune=False):
    v = _int(value)
    if allow_autotune and v == AUTOTUNE:
        return v
    if v <= 0:
        raise errors.InvalidArgumentError(None, what, f"{what} must be greater than zero, got {v}.")
    return v


def _int(value):
    if is_tensor_like(value):
        value = value.numpy()
    return int(value)


def _random_seed(seed):
    """A 63-bit seed for a random transformation, as tf.data's: (global seed or TF's default, op seed) when
    an op seed is given; from the global seed and a counter when only that is set; else random."""
    from eagerflow.ops import random_ops
    if seed is None:
        return int(random_ops._op_rng(None).integers(2 ** 63))
    global_seed = random_ops._GlobalSeed.seed
    return int(np.random.SeedSequence([87654321 if global_seed is None else global_seed, _int(seed)])
               .generate_state(1, np.uint64)[0] >> np.uint64(1))


_building = threading.local()  # the options of the pipeline whose iterator is being built


def _pipeline_options(dataset):
    """The options of the whole pipeline being iterated (set anywhere in it), else those upstream of `dataset`."""
    options = getattr(_building, "options", None)
    return options if options is not None else dataset.options()


def _build(dataset, options):
    """`dataset._iterator()` with `options` as the pipeline's options."""
    previous = getattr(_building, "options", None)
    _building.options = options
    try:
        return dataset._iterator()
    finally:
        _building.options = previous


def _random_datasets(dataset):
    """The datasets upstream of `dataset` that count their iterations for reshuffling, in a fixed order."""
    out, stack, seen = [], [dataset], set()
    while stack:
        d = stack.pop()
        if id(d) in seen:
            continue
        seen.add(id(d))
        if "_epochs" in d.__dict__:
            out.append(d)
        stack.extend(reversed(d._inputs))
    return out


def _rng(seed, epoch):
    return np.random.Generator(np.random.PCG64([seed, epoch]))


def _not_saveable(what):
    # FailedPreconditionError, as TF's for a stage it cannot save (from_generator's "PyFunc is stateful")
    return errors.FailedPreconditionError(
        None, "SerializeIterator",
        f"Cannot save the position of an iterator over {what}: this transformation does not save its state in "
        "eagerflow (checkpointable: from_tensor_slices, from_tensors, range, map, filter, batch, padded_batch, "
        "unbatch, shuffle, repeat, take, skip, shard, enumerate, zip, concatenate, flat_map, interleave, prefetch, "
        "cache, TFRecord and text files). Save the model only, or restart the pipeline when restoring.")


class _It:
    """An iterator of one stage. Stages that can be checkpointed define `save()` and `restore(state)`."""

    what = "a dataset"

    def __iter__(self):
        return self

    def save(self):
        raise _not_saveable(self.what)

    def restore(self, state):
        raise _not_saveable(self.what)


class _GenIt(_It):
    """A stage written as a Python generator (not checkpointable)."""

    __slots__ = ("_gen", "what")

    def __init__(self, gen, what):
        self._gen = gen
        self.what = what

    def __next__(self):
        return next(self._gen)


# =============================================================================================
# Dataset
# =============================================================================================

class Dataset:
    """A potentially large set of elements, as `tf.data.Dataset`.

    >>> import eagerflow as ef
    >>> ds = ef.data.Dataset.from_tensor_slices(([1, 2, 3], [4.0, 5.0, 6.0]))
    >>> ds.element_spec
    (TensorSpec(shape=(), dtype=ef.int32, name=None), TensorSpec(shape=(), dtype=ef.float32, name=None))
    >>> [(int(a), float(b)) for a, b in ds.skip(1)]
    [(2, 5.0), (3, 6.0)]
    """

    _tf_name = "DatasetV2"
    _inputs = ()

    # -- what subclasses define -----------------------------------------------------------------
    def _element_spec(self):
        raise NotImplementedError

    def _cardinality(self):
        return _UNKNOWN

    def _iterator(self):
        raise NotImplementedError

    # -- introspection --------------------------------------------------------------------------
    @property
    def element_spec(self):
        """The nested structure of `TensorSpec`s of an element (computed on first use).

        >>> ef.data.Dataset.range(3).batch(2).element_spec
        TensorSpec(shape=(None,), dtype=ef.int64, name=None)
        """
        spec = self.__dict__.get("_spec")
        if spec is None:
            spec = self.__dict__["_spec"] = self._element_spec()
        return spec

    def cardinality(self):
        """The number of elements as an int64 tensor: INFINITE_CARDINALITY (-1) or UNKNOWN_CARDINALITY (-2).

        >>> int(ef.data.Dataset.range(5).repeat().cardinality()), int(ef.data.Dataset.range(5).cardinality())
        (-1, 5)
        """
        return convert_to_tensor(np.int64(self._cardinality()))

    def __len__(self):
        n = self._cardinality()
        if n == _INF:
            raise TypeError("The dataset is infinite.")
        if n == _UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True

    def __repr__(self):
        return f"<{self._tf_name} element_spec={self.element_spec!r}>"

    def options(self):
        """The `ef.data.Options` of this dataset (those set with `with_options` anywhere upstream, merged).

        >>> o = ef.data.Options(); o.deterministic = False
        >>> ef.data.Dataset.range(3).with_options(o).map(lambda x: x).options().deterministic
        False
        """
        merged = Options()
        for d in self._inputs:
            merged = merged.merge(d.options())
        own = self.__dict__.get("_own_options")
        return merged.merge(own) if own is not None else merged

    def with_options(self, options, name=None):
        """A dataset with `options` set (merged into those already set upstream)."""
        if not isinstance(options, Options):
            raise TypeError(f"with_options expects an ef.data.Options, got {type(options).__name__}.")
        return _OptionsDataset(self, options)

    # -- iteration ------------------------------------------------------------------------------
    def __iter__(self):
        return OwnedIterator(self)

    def as_numpy_iterator(self):
        """An iterator of the elements as NumPy values (bytes for strings).

        >>> list(ef.data.Dataset.range(3).as_numpy_iterator())
        [np.int64(0), np.int64(1), np.int64(2)]
        """
        for s in nest.flatten(self.element_spec):
            if not isinstance(s, TensorSpec):
                raise TypeError(f"as_numpy_iterator() does not support datasets containing {type(s).__name__}: "
                                f"element_spec is {self.element_spec!r}.")
        return NumpyIterator(iter(self))

    def as_numpy(self):
        return self.as_numpy_iterator()

    def get_single_element(self, name=None):
        """The only element of the dataset; InvalidArgumentError when it has none or more.

        >>> int(ef.data.Dataset.from_tensors(7).get_single_element())
        7
        """
        it = self._iterator()
        try:
            first = next(it)
        except StopIteration:
            raise errors.InvalidArgumentError(None, "DatasetToSingleElement", "Dataset was empty.") from None
        try:
            next(it)
        except StopIteration:
            return first
        raise errors.InvalidArgumentError(None, "DatasetToSingleElement", "Dataset had more than one element.")

    def reduce(self, initial_state, reduce_func, name=None):
        """`reduce_func(state, element)` folded over the dataset from `initial_state`.

        >>> int(ef.data.Dataset.range(5).reduce(ef.constant(0, ef.int64), lambda s, x: s + x))
        10
        """
        state = _st.normalize(initial_state)
        for element in self._iterator():
            args = (state,) + (element if type(element) is tuple else (element,))
            state = _st.normalize_output(reduce_func(*args))
        return state

    # =========================================================================================
    # sources
    # =========================================================================================
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """The slices of `tensors` along their first dimension, one element each.

        >>> [int(x) for x in ef.data.Dataset.from_tensor_slices([1, 2, 3])]
        [1, 2, 3]
        """
        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """One element: `tensors`.

        >>> ef.data.Dataset.from_tensors([1, 2]).element_spec
        TensorSpec(shape=(2,), dtype=ef.int32, name=None)
        """
        return _TensorDataset(tensors)

    @staticmethod
    def range(*args, **kwargs):
        """`range(stop)`, `range(start, stop[, step])`: int64 scalars (`output_type` to change it).

        >>> [int(x) for x in ef.data.Dataset.range(1, 8, 3)]
        [1, 4, 7]
        """
        return _RangeDataset(*args, **kwargs)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None,
                       name=None):
        """Elements from a Python generator function (called again for each iteration).

        >>> def gen():
        ...     yield from ([1, 2], [3, 4])
        >>> ds = ef.data.Dataset.from_generator(gen, output_signature=ef.TensorSpec([2], ef.int32))
        >>> [x.numpy().tolist() for x in ds]
        [[1, 2], [3, 4]]
        """
        return _GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def zip(*datasets, name=None):
        """Elements of several datasets side by side (stops at the shortest).

        >>> a = ef.data.Dataset.range(3); b = ef.data.Dataset.range(10, 12)
        >>> [(int(x), int(y)) for x, y in ef.data.Dataset.zip((a, b))]
        [(0, 10), (1, 11)]
        """
        if len(datasets) == 1 and not isinstance(datasets[0], Dataset):
            datasets = datasets[0]
        return _ZipDataset(datasets)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        """Elements drawn at random from `datasets` with probabilities `weights` (uniform by default).

        >>> ds = ef.data.Dataset.sample_from_datasets([ef.data.Dataset.range(3), ef.data.Dataset.range(3)], seed=1)
        >>> sorted(int(x) for x in ds)
        [0, 0, 1, 1, 2, 2]
        """
        return _DirectedInterleaveDataset.sampling(datasets, weights, seed, stop_on_empty_dataset,
                                                   rerandomize_each_iteration)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """The next element of `datasets[i]` for each `i` of `choice_dataset` (int64 scalars).

        >>> a, b = ef.data.Dataset.from_tensors(1).repeat(), ef.data.Dataset.from_tensors(2).repeat()
        >>> choice = ef.data.Dataset.from_tensor_slices(ef.constant([0, 1, 1], ef.int64))
        >>> [int(x) for x in ef.data.Dataset.choose_from_datasets([a, b], choice)]
        [1, 2, 2]
        """
        return _DirectedInterleaveDataset.choosing(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """An infinite dataset of random int64 scalars (non-negative).

        >>> ds = ef.data.Dataset.random(seed=4).take(3)
        >>> [int(x) for x in ds] == [int(x) for x in ds]
        True
        """
        return _RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The file names matching `file_pattern` (a glob, or a list of them), shuffled unless shuffle=False.

        >>> import tempfile, os; d = tempfile.mkdtemp(); _ = open(os.path.join(d, "a.txt"), "w")
        >>> [os.path.basename(f.numpy().decode()) for f in ef.data.Dataset.list_files(d + "/*.txt")]
        ['a.txt']
        """
        patterns = _strings(file_pattern)
        files = sorted({f for p in patterns for f in _glob.glob(p)})
        if not files:
            raise errors.InvalidArgumentError(
                None, "MatchingFiles", f"Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized "
                f"data: b'No files matched pattern: {', '.join(patterns)}'")
        ds = Dataset.from_tensor_slices(np.array([f.encode() for f in files], dtype=object))
        if shuffle is None or shuffle:
            ds = ds.shuffle(len(files), seed=seed)
        return ds

    @staticmethod
    def counter(start=0, step=1, dtype=_dtypes.int64, name=None):
        """start, start + step, ... for ever.

        >>> [int(x) for x in ef.data.Dataset.counter(5).take(2)]
        [5, 6]
        """
        return _RangeDataset(start, np.iinfo(np.int64).max if _int(step) > 0 else np.iinfo(np.int64).min, step,
                             output_type=dtype, infinite=True)

    # =========================================================================================
    # transformations
    # =========================================================================================
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """`map_func` applied to each element (tuples are unpacked into arguments).

        `num_parallel_calls` runs it in that many threads (AUTOTUNE: one per core); the order of the
        input is kept unless `deterministic=False`.

        >>> [int(x) for x in ef.data.Dataset.range(3).map(lambda x: x + 1, num_parallel_calls=2)]
        [1, 2, 3]
        """
        if num_parallel_calls is None:
            return _MapDataset(self, map_func)
        return _ParallelMapDataset(self, map_func, _threads(num_parallel_calls, "map"), deterministic,
                                   autotuned=_int(num_parallel_calls) == AUTOTUNE)

    def filter(self, predicate, name=None):
        """The elements for which `predicate` returns True (a scalar bool tensor).

        >>> [int(x) for x in ef.data.Dataset.range(6).filter(lambda x: x % 2 == 0)]
        [0, 2, 4]
        """
        return _FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        """Consecutive elements stacked into batches of `batch_size` (the last may be smaller).

        With `num_parallel_calls`, that many batches are made ahead in a background thread (the input
        is consumed in order, so the batches are TF's in either `deterministic` mode).

        >>> [b.numpy().tolist() for b in ef.data.Dataset.range(5).batch(2, drop_remainder=True)]
        [[0, 1], [2, 3]]
        """
        ahead = None if num_parallel_calls is None else _threads(num_parallel_calls, "batch")
        return _BatchDataset(self, _positive(batch_size, "batch_size"), bool(drop_remainder), ahead)

    def unbatch(self, name=None):
        """The rows of each element (the inverse of batch).

        >>> [int(x) for x in ef.data.Dataset.range(4).batch(3).unbatch()]
        [0, 1, 2, 3]
        """
        return _UnbatchDataset(self)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
        """Batches of elements padded to a common shape (the longest in the batch, or `padded_shapes`).

        >>> ds = ef.data.Dataset.range(1, 4).map(lambda x: ef.fill([x], x))
        >>> ds.padded_batch(2).take(1).get_single_element().numpy().tolist()
        [[1, 0], [2, 2]]
        """
        return _PaddedBatchDataset(self, _positive(batch_size, "batch_size"), padded_shapes, padding_values,
                                   bool(drop_remainder))

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """Elements drawn at random from a buffer of `buffer_size` (TF's buffer semantics).

        The buffer is filled with the first `buffer_size` elements; each output is a uniformly chosen
        element of the buffer, replaced by the next input. `buffer_size=1` keeps the order; a buffer as
        large as the dataset gives a uniform permutation. Each iteration reshuffles unless
        `reshuffle_each_iteration=False`.

        >>> sorted(int(x) for x in ef.data.Dataset.range(5).shuffle(5, seed=3))
        [0, 1, 2, 3, 4]
        """
        return _ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """The dataset `count` times (for ever when None or -1).

        >>> [int(x) for x in ef.data.Dataset.range(2).repeat(2)]
        [0, 1, 0, 1]
        """
        return _RepeatDataset(self, -1 if count is None else _int(count))

    def take(self, count, name=None):
        """The first `count` elements (all with -1).

        >>> [int(x) for x in ef.data.Dataset.range(5).take(2)]
        [0, 1]
        """
        return _TakeDataset(self, _int(count))

    def skip(self, count, name=None):
        """All but the first `count` elements (none with -1).

        >>> [int(x) for x in ef.data.Dataset.range(5).skip(3)]
        [3, 4]
        """
        return _SkipDataset(self, _int(count))

    def prefetch(self, buffer_size, name=None):
        """The same elements, produced ahead by a background thread into a buffer of `buffer_size`.

        >>> [int(x) for x in ef.data.Dataset.range(3).prefetch(ef.data.AUTOTUNE)]
        [0, 1, 2]
        """
        return _PrefetchDataset(self, _int(buffer_size))

    def cache(self, filename="", name=None):
        """The elements of the first complete iteration kept (in memory, or in `filename`) and replayed.

        >>> calls = []
        >>> ds = ef.data.Dataset.range(2).map(lambda x: calls.append(1) or x).cache()
        >>> _ = list(ds); _ = list(ds); len(calls)
        2
        """
        return _CacheDataset(self, os.fspath(filename) if not is_tensor_like(filename) else filename.numpy().decode())

    def enumerate(self, start=0, name=None):
        """(index, element) pairs, the index an int64 from `start`.

        >>> [(int(i), int(x)) for i, x in ef.data.Dataset.range(10, 12).enumerate()]
        [(0, 10), (1, 11)]
        """
        counter = Dataset.counter(start)
        return _ZipDataset((counter, self))

    def concatenate(self, dataset, name=None):
        """This dataset's elements, then `dataset`'s (their specs must agree: TypeError otherwise).

        >>> [int(x) for x in ef.data.Dataset.range(2).concatenate(ef.data.Dataset.range(5, 6))]
        [0, 1, 5]
        """
        return _ConcatenateDataset(self, dataset)

    def flat_map(self, map_func, name=None):
        """The elements of the datasets `map_func` returns, one dataset after the other.

        >>> ds = ef.data.Dataset.range(3).flat_map(lambda x: ef.data.Dataset.from_tensors(x).repeat(x))
        >>> [int(x) for x in ds]
        [1, 2, 2]
        """
        return _FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None,
                   deterministic=None, name=None):
        """The datasets of `map_func` interleaved: `cycle_length` open at a time, `block_length` elements each.

        >>> ds = ef.data.Dataset.range(1, 3).interleave(lambda x: ef.data.Dataset.from_tensors(x).repeat(3),
        ...                                             cycle_length=2, block_length=2)
        >>> [int(x) for x in ds]
        [1, 1, 2, 2, 1, 2]
        """
        return _InterleaveDataset(self, map_func, cycle_length, block_length, num_parallel_calls, deterministic)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Windows of `size` consecutive elements, each a dataset (a structure of datasets), `shift` apart.

        >>> ds = ef.data.Dataset.range(5).window(3, shift=2)
        >>> [[int(x) for x in w] for w in ds]
        [[0, 1, 2], [2, 3, 4], [4]]
        """
        return _WindowDataset(self, _positive(size, "size"), _positive(size if shift is None else shift, "shift"),
                              _positive(stride, "stride"), bool(drop_remainder))

    def scan(self, initial_state, scan_func, name=None):
        """`scan_func(state, element) -> (new_state, output)` over the dataset: the outputs.

        >>> ds = ef.data.Dataset.range(4).scan(ef.constant(0, ef.int64), lambda s, x: (s + x, s + x))
        >>> [int(x) for x in ds]
        [0, 1, 3, 6]
        """
        return _ScanDataset(self, initial_state, scan_func)

    def unique(self, name=None):
        """Each distinct element once, in first-seen order (int or string scalars, or vectors' rows).

        >>> [int(x) for x in ef.data.Dataset.from_tensor_slices([1, 3, 1, 2, 3]).unique()]
        [1, 3, 2]
        """
        return _UniqueDataset(self)

    def apply(self, transformation_func):
        """`transformation_func(self)` (a function from dataset to dataset).

        >>> [int(x) for x in ef.data.Dataset.range(4).apply(lambda ds: ds.skip(2))]
        [2, 3]
        """
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"`transformation_func` must return a Dataset. Got {out!r}.")
        return out

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Batches of `batch_size` rows (a list of sizes cycles) cut from the rows of this dataset's batches.

        >>> [b.numpy().tolist() for b in ef.data.Dataset.range(6).batch(4).rebatch(3)]
        [[0, 1, 2], [3, 4, 5]]
        """
        return _RebatchDataset(self, batch_size, bool(drop_remainder))

    def group_by_window(self, key_func, reduce_func, window_size=None, window_size_func=None, name=None):
        """Elements grouped by `key_func` (int64); each full window of a key is a dataset given to `reduce_func`.

        >>> ds = ef.data.Dataset.range(6).group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), window_size=3)
        >>> [b.numpy().tolist() for b in ds]
        [[0, 2, 4], [1, 3, 5]]
        """
        if (window_size is None) == (window_size_func is None):
            raise ValueError("Either the `window_size` argument or the `window_size_func` argument must be "
                             "specified.")
        if window_size is not None:
            size = _positive(window_size, "window_size")
            window_size_func = lambda key: size  # noqa: E731
        return _GroupByWindowDataset(self, key_func, reduce_func, window_size_func)

    def bucket_by_sequence_length(self, element_length_func, bucket_boundaries, bucket_batch_sizes,
                                  padded_shapes=None, padding_values=None, pad_to_bucket_boundary=False,
                                  no_padding=False, drop_remainder=False, name=None):
        """Elements batched with others of similar length (`element_length_func`), padded per bucket.

        >>> ds = ef.data.Dataset.from_tensor_slices([[1, 0], [1, 1], [2, 2]]).map(lambda x: x[: x[0]])
        >>> ds = ds.bucket_by_sequence_length(lambda x: ef.shape(x)[0], [2], [2, 2])
        >>> [b.numpy().tolist() for b in ds]
        [[[1], [1]], [[2, 2]]]
        """
        boundaries = [int(b) for b in bucket_boundaries]
        sizes = [int(b) for b in bucket_batch_sizes]
        if len(sizes) != len(boundaries) + 1:
            raise ValueError(f"len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1, got "
                             f"{len(sizes)} and {len(boundaries)}.")
        if sorted(boundaries) != boundaries:
            raise ValueError(f"bucket_boundaries must be sorted, got {boundaries}.")
        edges = [np.iinfo(np.int64).min] + boundaries + [np.iinfo(np.int64).max]

        def key_func(*args):
            length = int(_st.call_with_element(element_length_func, args[0] if len(args) == 1 else args))
            for i in range(len(sizes)):
                if edges[i] <= length < edges[i + 1]:
                    return convert_to_tensor(np.int64(i))
            raise AssertionError("unreachable")

        def batching(bucket, window):
            b = int(bucket)
            if no_padding:
                return window.batch(sizes[b], drop_remainder=drop_remainder)
            shapes = padded_shapes
            if pad_to_bucket_boundary:
                if b == len(boundaries):
                    raise errors.InvalidArgumentError(
                        None, "BucketBySequenceLength", "When pad_to_bucket_boundary=True, elements must have "
                        f"length < max(bucket_boundaries) = {boundaries[-1]}.")
                shapes = nest.map_structure(lambda s: TensorShape([boundaries[b] - 1]).concatenate(s.shape[1:]),
                                            window.element_spec)
            return window.padded_batch(sizes[b], shapes, padding_values, drop_remainder=drop_remainder)

        return _GroupByWindowDataset(self, key_func, batching, lambda key: sizes[int(key)], spec_rank_unknown=True)

    def ignore_errors(self, log_warning=False, name=None):
        """The elements whose production raised no error (the failing ones are dropped).

        >>> ds = ef.data.Dataset.from_tensor_slices([0, 5, 1]).map(lambda i: ef.gather([10, 20], i))
        >>> [int(x) for x in ds.ignore_errors()]
        [10, 20]
        """
        return _IgnoreErrorsDataset(self, log_warning)

    def take_while(self, predicate, name=None):
        """The elements up to (not including) the first one for which `predicate` is False.

        >>> [int(x) for x in ef.data.Dataset.range(6).take_while(lambda x: x < 3)]
        [0, 1, 2]
        """
        return _TakeWhileDataset(self, predicate)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element, from `index` (for one worker of `num_shards`).

        >>> [int(x) for x in ef.data.Dataset.range(7).shard(3, 1)]
        [1, 4]
        """
        n, i = _int(num_shards), _int(index)
        if n <= 0:
            raise errors.InvalidArgumentError(None, "ShardDataset", f"Number of shards must be greater than zero "
                                              f"(currently num_shards = {n}).")
        if not 0 <= i < n:
            raise errors.InvalidArgumentError(None, "ShardDataset", f"Index must be between 0 and {n - 1} "
                                              f"(currently index = {i}).")
        return _ShardDataset(self, n, i)


def _strings(value):
    if is_tensor_like(value):
        value = value.numpy()
    if isinstance(value, np.ndarray):
        return [v.decode() if isinstance(v, bytes) else str(v) for v in value.ravel()]
    if isinstance(value, (str, bytes, os.PathLike)):
        value = [value]
    return [v.decode() if isinstance(v, bytes) else os.fspath(v) for v in value]


# =============================================================================================
# the iterator users hold
# =============================================================================================

class OwnedIterator:
    """The iterator of a dataset (`iter(ds)`), as TF's `OwnedIterator`; checkpointable.

    >>> it = iter(ef.data.Dataset.range(3))
    >>> int(next(it)), int(it.get_next()), [int(x) for x in it]
    (0, 1, [2])
    """

    def __init__(self, dataset):
        self._dataset = dataset
        self._options = dataset.options()
        self._it = _build(dataset, self._options)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def _next(self):
        if recording.tracing():  # a replay would give the same element again: the trace runs eagerly
            recording.note_python_state("it takes elements from a dataset iterator in Python")
        return next(self._it)

    def __next__(self):
        return self._next()

    def next(self):
        return self._next()

    def get_next(self, name=None):
        """The next element; OutOfRangeError at the end (where `next()` raises StopIteration)."""
        try:
            return self._next()
        except StopIteration:
            raise errors.OutOfRangeError(None, "IteratorGetNext", "End of sequence") from None

    def get_next_as_optional(self):
        """The next element as an `ef.experimental.Optional` (empty at the end)."""
        from eagerflow.data.experimental import Optional
        try:
            return Optional.from_value(self._next())
        except StopIteration:
            return Optional.empty(self._dataset.element_spec)

    # TF's Trackable hooks: `ef.train.Checkpoint(iterator=it)` saves `iterator/.ATTRIBUTES/ITERATOR_STATE`.
    def _serialize_to_tensors(self):
        # with the iteration counters of the random stages: later epochs reshuffle as they would have
        epochs = [d._epochs for d in _random_datasets(self._dataset)]
        blob = _state.encode({"it": self._it.save(), "epochs": epochs})
        value = np.empty((), dtype=object)
        value[()] = blob
        return {"ITERATOR_STATE": value}

    def _restore_from_tensors(self, restored_tensors):
        state = _state.decode(restored_tensors["ITERATOR_STATE"])
        randoms = _random_datasets(self._dataset)
        before = [d._epochs for d in randoms]
        try:
            if len(state["epochs"]) != len(randoms):
                raise ValueError(f"{len(state['epochs'])} random stages saved, {len(randoms)} in this pipeline")
            it = _build(self._dataset, self._options)
            it.restore(state["it"])
            for d, n in zip(randoms, state["epochs"]):
                d._epochs = int(n)
        except (KeyError, IndexError, TypeError, ValueError) as e:
            for d, n in zip(randoms, before):
                d._epochs = n
            raise errors.InvalidArgumentError(
                None, "DeserializeIterator", f"The saved iterator state does not fit this pipeline ({e!r}): restore "
                f"into an iterator of the same dataset {self._dataset!r}.") from None
        self._it = it  # only now: a failed restore leaves the iterator where it was

    def __repr__(self):
        return f"<eagerflow.data.OwnedIterator object at {id(self):#x}>"


class NumpyIterator:
    """Elements as NumPy values (`Dataset.as_numpy_iterator()`)."""

    def __init__(self, iterator):
        self._iterator = iterator

    def __iter__(self):
        return self

    def __next__(self):
        return nest.map_structure(_to_numpy, next(self._iterator))

    next = __next__

    def _serialize_to_tensors(self):
        return self._iterator._serialize_to_tensors()

    def _restore_from_tensors(self, restored_tensors):
        return self._iterator._restore_from_tensors(restored_tensors)

    def __repr__(self):
        return f"NumpyIterator(iterator={self._iterator!r})"


def _to_numpy(t):
    if isinstance(t, Dataset):
        return t
    value = t.numpy()
    return value.item() if value.ndim == 0 and value.dtype == object else (value[()] if value.ndim == 0 else value)


# =============================================================================================
# sources
# =============================================================================================

class _TensorSliceDataset(Dataset):
    _tf_name = "_TensorSliceDataset"

    def __init__(self, tensors):
        element = _st.normalize(tensors)
        flat = nest.flatten(element)
        for t in flat:
            if isinstance(t, Dataset):
                raise TypeError("from_tensor_slices does not accept datasets; use Dataset.zip or concatenate.")
            if t.shape.rank == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1: got a scalar "
                    f"{t}. Use from_tensors for a single element.")
        n = flat[0].shape[0]
        for t in flat[1:]:
            if t.shape[0] != n:
                raise ValueError(f"All components must have the same size in the 0th dimension: "
                    f"{flat[0].shape[0]} and {t.shape[0]} ({[tuple(f.shape) for f in flat]}).")
        self._structure = element
        self._flat = flat
        self._n = n
        self._parts = [(t._value, t._device, t._dtype) for t in flat]
        # how a row is packed: one tensor, a flat tuple, or any nest
        self._single = not nest.is_nested(element)
        self._tuple = type(element) is tuple and not any(nest.is_nested(c) for c in element)

    def _element_spec(self):
        return nest.map_structure(lambda t: TensorSpec(t.shape[1:], t.dtype), self._structure)

    def _cardinality(self):
        return self._n

    def _iterator(self):
        return _SliceIt(self)

    def rows(self, indices):
        """The batch (nested) of rows `indices` of every component: one gather each, or a view of the
        components when the rows are consecutive (an unshuffled pipeline; tensors are immutable)."""
        n = len(indices)
        if n and indices[-1] - indices[0] == n - 1 and (n < 3 or bool((np.diff(indices) == 1).all())):
            i = int(indices[0])
            return self._pack([wrap(v[i:i + n], d, dt) for v, d, dt in self._parts])
        # the stages above give indices in [0, n) (a restored order is checked): no bounds check here
        out = [wrap(d.xp.take(v, on_device(indices, d), axis=0), d, dt) for v, d, dt in self._parts]
        return self._pack(out)

    def row(self, i):
        """Element `i` (0 <= i < n): views of row i of the components (tensors are immutable)."""
        if self._single:
            v, d, dt = self._parts[0]
            return wrap(v[i, ...], d, dt)
        return self._pack([wrap(v[i, ...], d, dt) for v, d, dt in self._parts])

    def _pack(self, flat):
        if self._single:
            return flat[0]
        return tuple(flat) if self._tuple else nest.pack_sequence_as(self._structure, flat)


class _SliceIt(_It):
    """Rows of the source one at a time, or `indices(n)` for a batch above (the gather path)."""

    what = "from_tensor_slices"

    def __init__(self, ds):
        self.source = ds
        self._pos = 0
        self._n = ds._n
        self._row = ds.row

    def __next__(self):
        i = self._pos
        if i >= self._n:
            raise StopIteration
        self._pos = i + 1
        return self._row(i)

    def indices(self, n):
        i = self._pos
        j = min(self._n, i + n)
        self._pos = j
        return np.arange(i, j, dtype=np.int64)

    def save(self):
        return {"pos": self._pos}

    def restore(self, state):
        pos = int(state["pos"])
        if not 0 <= pos <= self._n:
            raise ValueError(f"position {pos} out of range of the source's {self._n} rows")
        self._pos = pos


class _TensorDataset(Dataset):
    _tf_name = "_TensorDataset"

    def __init__(self, tensors):
        self._element = _st.normalize(tensors)

    def _element_spec(self):
        return _st.spec_of(self._element)

    def _cardinality(self):
        return 1

    def _iterator(self):
        return _OnceIt(self._element)


class _OnceIt(_It):
    what = "from_tensors"

    def __init__(self, element):
        self._element = element
        self._done = False

    def __next__(self):
        if self._done:
            raise StopIteration
        self._done = True
        return self._element

    def save(self):
        return {"done": self._done}

    def restore(self, state):
        self._done = bool(state["done"])


class _RangeDataset(Dataset):
    _tf_name = "_RangeDataset"

    def __init__(self, *args, output_type=_dtypes.int64, infinite=False, name=None):
        args = [_int(a) for a in args]
        if len(args) == 1:
            start, stop, step = 0, args[0], 1
        elif len(args) == 2:
            (start, stop), step = args, 1
        elif len(args) == 3:
            start, stop, step = args
        else:
            raise ValueError(f"Dataset.range takes 1 to 3 arguments (stop; start, stop[, step]), got {len(args)}.")
        if step == 0:
            raise errors.InvalidArgumentError(None, "RangeDataset", "step must be a non-zero integer.")
        self._start, self._stop, self._step = start, stop, step
        self._dtype = _dtypes.as_dtype(output_type)
        self._infinite = infinite

    def _element_spec(self):
        return TensorSpec([], self._dtype)

    def _cardinality(self):
        if self._infinite:
            return _INF
        return len(range(self._start, self._stop, self._step))

    def _iterator(self):
        return _RangeIt(self)


class _RangeIt(_It):
    what = "range"

    def __init__(self, ds):
        self._next, self._stop, self._step = ds._start, ds._stop, ds._step
        self._np = ds._dtype._np.type

    def __next__(self):
        v = self._next
        if (self._step > 0 and v >= self._stop) or (self._step < 0 and v <= self._stop):
            raise StopIteration
        self._next = v + self._step
        return convert_to_tensor(self._np(v))

    def save(self):
        return {"next": self._next}

    def restore(self, state):
        self._next = int(state["next"])


class _GeneratorDataset(Dataset):
    _tf_name = "_FlatMapDataset"  # TF builds from_generator as a flat_map over a one-element dataset

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is not None:
            if output_types is not None or output_shapes is not None:
                raise TypeError("The `output_types` and `output_shapes` arguments can only be used without "
                                "`output_signature`; pass the structure of TensorSpecs alone.")
            for s in nest.flatten(output_signature):
                if not isinstance(s, (TensorSpec, _st.DatasetSpec)):
                    raise TypeError(f"`output_signature` must contain objects that are subclass of `tf.TypeSpec` "
                                    f"but found {type(s)} which is not.")
            spec = output_signature
        else:
            if output_types is None:
                raise TypeError("from_generator needs `output_signature` (or the older `output_types`).")
            types = nest.map_structure(_dtypes.as_dtype, output_types)
            if output_shapes is None:
                shapes = nest.map_structure(lambda _: None, types)
            else:
                shapes = _shapes_like(types, output_shapes)
            spec = nest.map_structure(lambda d, s: TensorSpec(s, d), types, shapes)
        self._generator = generator
        self._args = tuple(args) if args is not None else ()
        self._signature = spec

    def _element_spec(self):
        return self._signature

    def _iterator(self):
        return _GenIt(self._run(), "from_generator")

    def _run(self):
        args = [a.numpy() if is_tensor_like(a) else a for a in self._args]
        flat_specs = nest.flatten(self._signature)
        for value in self._generator(*args):
            values = _flatten_like(self._signature, value)
            out = []
            for v, s in zip(values, flat_specs):
                out.append(_conform(v, s))
            yield nest.pack_sequence_as(self._signature, out)


def _shapes_like(types, shapes):
    # `output_shapes` holds lists as shapes: walk `types` and read the matching entry of `shapes`
    if isinstance(types, collections.abc.Mapping):
        return {k: _shapes_like(types[k], shapes[k]) for k in types}
    if isinstance(types, tuple):
        return tuple(_shapes_like(t, s) for t, s in zip(types, shapes))
    return TensorShape(shapes)


def _flatten_like(signature, value):
    """The leaves of `value` matching `signature` (lists are tensors where the signature has a leaf)."""
    if isinstance(signature, collections.abc.Mapping):
        if not isinstance(value, collections.abc.Mapping) or set(value) != set(signature):
            raise _generator_mismatch(signature, value)
        return [x for k in sorted(signature) for x in _flatten_like(signature[k], value[k])]
    if isinstance(signature, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(signature):
            raise _generator_mismatch(signature, value)
        return [x for s, v in zip(signature, value) for x in _flatten_like(s, v)]
    return [value]


def _generator_mismatch(signature, value):
    return errors.InvalidArgumentError(
        None, "PyFunc", f"TypeError: `generator` yielded an element that did not match the expected structure. The "
        f"expected structure was {signature!r}, but the yielded element was {value!r}.")


def _conform(value, spec):
    if isinstance(spec, _st.DatasetSpec):
        return value
    try:
        t = convert_to_tensor(value, dtype=spec.dtype)
    except (TypeError, ValueError) as e:
        raise errors.InvalidArgumentError(
            None, "PyFunc", f"TypeError: `generator` yielded an element that could not be converted to the expected "
            f"type. The expected type was {spec.dtype.name}, but the yielded element was {value!r}. ({e})") from None
    if not spec.shape.is_compatible_with(t.shape):
        raise errors.InvalidArgumentError(
            None, "PyFunc", f"`generator` yielded an element of shape {t.shape} where an element of shape "
            f"{spec.shape} was expected.")
    return t


class _RandomDataset(Dataset):
    _tf_name = "_RandomDataset"

    def __init__(self, seed, rerandomize):
        self._seed = _random_seed(seed)
        self._rerandomize = bool(rerandomize)
        self._epochs = 0

    def _element_spec(self):
        return TensorSpec([], _dtypes.int64)

    def _cardinality(self):
        return _INF

    def _iterator(self):
        epoch = self._epochs
        if self._rerandomize:
            self._epochs += 1
        rng = _rng(self._seed, epoch)

        def gen():
            while True:
                for v in rng.integers(0, 2 ** 63 - 1, size=256, dtype=np.int64):
                    yield convert_to_tensor(v)
        return _GenIt(gen(), "Dataset.random")


class _DirectedInterleaveDataset(Dataset):
    _tf_name = "_DirectedInterleaveDataset"

    @classmethod
    def sampling(cls, datasets, weights, seed, stop_on_empty, rerandomize):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
        if weights is None:
            w = np.full(len(datasets), 1.0 / len(datasets))
        elif isinstance(weights, Dataset):
            raise NotImplementedError("sample_from_datasets with a dataset of weights is not supported yet; pass a "
                                      "list or tensor of weights.")
        else:
            w = np.asarray(weights.numpy() if is_tensor_like(weights) else weights, np.float64).ravel()
            if w.size != len(datasets):
                raise ValueError(f"Invalid `weights`. The shape of `weights` should be compatible with "
                                 f"`[len(datasets)]` but is {list(w.shape)}.")
        self = cls(datasets, stop_on_empty)
        self._weights = w
        self._seed = _random_seed(seed)
        self._rerandomize = rerandomize is None or bool(rerandomize)
        self._epochs = 0
        self._choice = None
        return self

    @classmethod
    def choosing(cls, datasets, choice, stop_on_empty):
        datasets = list(datasets)
        if not datasets:
            raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
        if not isinstance(choice, Dataset):
            raise TypeError("Invalid `choice_dataset`. `choice_dataset` needs to be a `tf.data.Dataset` but is "
                            f"{type(choice).__name__}.")
        spec = choice.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype is _dtypes.int64 and spec.shape.rank == 0):
            raise TypeError(f"Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar of `tf.int64` "
                            f"dtype, but got {spec!r}.")
        self = cls(datasets, stop_on_empty)
        self._choice = choice
        return self

    def __init__(self, datasets, stop_on_empty):
        for d in datasets:
            if not isinstance(d, Dataset):
                raise TypeError(f"Invalid `datasets`. `datasets` should contain datasets, found {d!r}.")
        self._datasets = datasets
        self._inputs = tuple(datasets)
        self._stop_on_empty = bool(stop_on_empty)

    def _element_spec(self):
        spec = self._datasets[0].element_spec
        for d in self._datasets[1:]:
            _st.check_same_structure(spec, d.element_spec, "sample_from_datasets/choose_from_datasets")
            spec = _st.most_specific_common(spec, d.element_spec)
        return spec

    def _cardinality(self):
        cards = [d._cardinality() for d in self._datasets]
        if self._choice is None and all(c == _INF for c in cards):
            return _INF
        return _UNKNOWN

    def _iterator(self):
        its = [d._iterator() for d in self._datasets]
        if self._choice is not None:
            return _GenIt(self._choose(its, self._choice._iterator()), "choose_from_datasets")
        epoch = self._epochs
        if self._rerandomize:
            self._epochs += 1
        return _GenIt(self._sample(its, _rng(self._seed, epoch)), "sample_from_datasets")

    def _choose(self, its, choices):
        alive = [True] * len(its)
        for c in choices:
            i = int(c)
            if not 0 <= i < len(its):
                raise errors.InvalidArgumentError(None, "DirectedInterleave", f"Selector index out of range: {i} >= "
                                                  f"{len(its)}")
            if not alive[i]:
                continue
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop_on_empty:
                    return
                alive[i] = False

    def _sample(self, its, rng):
        w = self._weights.copy()
        alive = w > 0
        while alive.any():
            p = np.where(alive, w, 0.0)
            i = int(rng.choice(len(its), p=p / p.sum()))
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop_on_empty:
                    return
                alive[i] = False


# =============================================================================================
# transformations of one input
# =============================================================================================

class _UnaryDataset(Dataset):
    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"Expected a Dataset, got {type(input_dataset).__name__}.")
        self._input = input_dataset
        self._inputs = (input_dataset,)

    def _element_spec(self):
        return self._input.element_spec

    def _cardinality(self):
        return self._input._cardinality()


class _OptionsDataset(_UnaryDataset):
    _tf_name = "_OptionsDataset"

    def __init__(self, input_dataset, options):
        super().__init__(input_dataset)
        self._own_options = options

    def _iterator(self):
        return self._input._iterator()


def _zeros_of(spec):
    shape = [d or 0 for d in spec.shape.as_list()] if spec.shape.rank is not None else [0]
    if spec.dtype is _dtypes.string:
        return convert_to_tensor(np.full(shape, b"", dtype=object))
    return convert_to_tensor(np.zeros(shape, spec.dtype._np))


class _MapDataset(_UnaryDataset):
    _tf_name = "_MapDataset"

    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        if not callable(fn):
            raise TypeError(f"map_func must be callable, got {fn!r}.")
        self._fn = fn

    def _element_spec(self):
        """TF's spec: `fn` traced on the input spec (see `_spec_inference`), on the first element (or zeros)."""
        from eagerflow.data import _spec_inference
        it = self._input._iterator()
        try:
            element = next(it)
        except StopIteration:
            element = nest.map_structure(_zeros_of, self._input.element_spec)
        spec = _spec_inference.map_output_spec(self._fn, element, self._input.element_spec,
                                               lambda fn, e: _st.normalize_output(_st.call_with_element(fn, e)))
        if spec is None:  # not all tensors (datasets, ragged): the output's own spec
            spec = _st.spec_of(_st.normalize_output(_st.call_with_element(self._fn, element)))
        return spec

    def _iterator(self):
        return _MapIt(self._input._iterator(), self._fn)


class _MapIt(_It):
    what = "map"

    def __init__(self, inp, fn):
        self._in = inp
        self._fn = fn

    def __next__(self):
        element = next(self._in)
        out = self._fn(*element) if type(element) is tuple else self._fn(element)
        return out if type(out) is Tensor else _st.normalize_output(out)

    def save(self):
        return {"in": self._in.save()}

    def restore(self, state):
        self._in.restore(state["in"])


class _ParallelMapDataset(_MapDataset):
    _tf_name = "_ParallelMapDataset"

    def __init__(self, input_dataset, fn, threads, deterministic, autotuned=False):
        super().__init__(input_dataset, fn)
        self._threads = threads
        self._deterministic = deterministic
        self._autotuned = autotuned  # AUTOTUNE: Options.autotune.cpu_budget caps the threads

    def _iterator(self):
        options = _pipeline_options(self)
        deterministic = self._deterministic
        if deterministic is None:
            deterministic = options.deterministic
        size = options.threading.private_threadpool_size
        threads = min(self._threads, size) if size else self._threads
        budget = options.autotune.cpu_budget
        if self._autotuned and budget:
            threads = max(1, min(threads, budget))
        return _ParallelMapIt(self._input._iterator(), self._fn, threads, deterministic is not False)


def _apply(fn, element):
    out = fn(*element) if type(element) is tuple else fn(element)
    return out if type(out) is Tensor else _st.normalize_output(out)


class _ParallelMapIt(_It):
    """Up to `threads` calls in flight in a thread pool; results in input order when deterministic.

    The pool's threads end when the iterator is dropped (the pool is shut down by a finalizer).
    Saving waits for the calls in flight and saves their results with the input's position.
    """

    what = "map"

    def __init__(self, inp, fn, threads, deterministic):
        self._in = inp
        self._fn = fn
        self._threads = threads
        self._deterministic = deterministic
        self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="ef.data.map")
        weakref.finalize(self, self._pool.shutdown, wait=False, cancel_futures=True)
        self._pending = collections.deque()
        self._done = False

    def _fill(self):
        while not self._done and len(self._pending) < self._threads:
            try:
                element = next(self._in)
            except StopIteration:
                self._done = True
                break
            self._pending.append(self._pool.submit(_apply, self._fn, element))

    def __next__(self):
        self._fill()
        if not self._pending:
            raise StopIteration
        if self._deterministic:
            future = self._pending.popleft()
        else:
            done, _ = concurrent.futures.wait(self._pending, return_when=concurrent.futures.FIRST_COMPLETED)
            future = next(f for f in self._pending if f in done)
            self._pending.remove(future)
        out = future.result()  # an exception of map_func is raised here, at its element
        self._fill()
        return out

    def save(self):
        results = [f.result() for f in self._pending]
        return {"in": self._in.save(), "ready": [nest.flatten(r) for r in results], "done": self._done,
                "structure": _structure_code(results[0]) if results else None}

    def restore(self, state):
        self._in.restore(state["in"])
        self._done = bool(state["done"])
        for flat in state["ready"]:
            f = concurrent.futures.Future()
            f.set_result(_unflatten(state["structure"], flat))
            self._pending.append(f)


class _FilterDataset(_UnaryDataset):
    _tf_name = "_FilterDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._predicate = predicate

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        return _FilterIt(self._input._iterator(), self._predicate)


def _predicate_value(value, what):
    if is_tensor_like(value):
        if value.dtype is not _dtypes.bool or value.shape.rank != 0:
            raise ValueError(f"Invalid `predicate`. `predicate` of {what} must return a scalar boolean tensor, got "
                             f"{value!r}.")
        return bool(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"The predicate of {what} must return a scalar bool tensor, got {value!r}.")


class _FilterIt(_It):
    what = "filter"

    def __init__(self, inp, predicate):
        self._in = inp
        self._predicate = predicate

    def __next__(self):
        while True:
            element = next(self._in)
            if _predicate_value(_st.call_with_element(self._predicate, element), "filter"):
                return element

    def save(self):
        return {"in": self._in.save()}

    def restore(self, state):
        self._in.restore(state["in"])


def _stack(elements, what="batch"):
    """One batch from a list of nested elements: one stack per component (TF's error on shape mismatch)."""
    first = elements[0]
    if type(first) is Tensor:
        return _stack_component(elements, 0, what)
    if type(first) is tuple and all(type(c) is Tensor for c in first):  # the common (features, label)
        return tuple(_stack_component(column, k, what) for k, column in enumerate(zip(*elements)))
    flats = [nest.flatten(e) for e in elements]
    out = [_stack_component([f[k] for f in flats], k, what) for k in range(len(flats[0]))]
    return nest.pack_sequence_as(first, out)


def _stack_component(tensors, k, what):
    t0 = tensors[0]
    if isinstance(t0, Dataset):
        raise TypeError(f"Cannot {what} elements that contain datasets (component {k}); batch their elements instead.")
    arrays = [t._value for t in tensors]
    shape = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != shape:
            raise errors.InvalidArgumentError(
                None, "BatchDatasetV2", f"Cannot batch tensors with different shapes in component {k}. First element "
                f"had shape {list(shape)} and element {i} had shape {list(a.shape)}. Use padded_batch for "
                "elements of different lengths.")
    device = t0._device
    return wrap(device.xp.stack(arrays), device, t0._dtype)


class _BatchDataset(_UnaryDataset):
    _tf_name = "_BatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder, ahead=None):
        super().__init__(input_dataset)
        self._size = batch_size
        self._drop = drop_remainder
        self._ahead = ahead  # batches made ahead in a thread (num_parallel_calls)
        if ahead is not None:
            self._tf_name = "_ParallelBatchDataset"

    def _element_spec(self):
        return _st.batch_spec(self._input.element_spec, self._size if self._drop else None)

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (_INF, _UNKNOWN):
            return n
        return n // self._size if self._drop else -(-n // self._size)

    def _iterator(self):
        it = self._vectorized_map()
        if it is None:
            inp = self._input._iterator()
            if hasattr(inp, "indices") and getattr(inp, "source", None) is not None:
                it = _GatherBatchIt(inp, self._size, self._drop)
            else:
                it = _BatchIt(inp, self._size, self._drop)
        return it if self._ahead is None else _PrefetchIt(it, self._ahead)

    def _vectorized_map(self):
        """`map(fn).batch(n)` over a from_tensor_slices chain as one call of `fn` per batch, where that is
        provably the same: `fn`, recorded on the first element, only combines its element's tensors
        elementwise with scalars, through ops that round exactly (tf.data's map vectorization)."""
        if type(self._input) is not _MapDataset:
            return None
        optimization = _pipeline_options(self).experimental_optimization
        if optimization.map_and_batch_fusion is False or optimization.apply_default_optimizations is False:
            return None
        source = self._input._input._iterator()
        if not (hasattr(source, "indices") and getattr(source, "source", None) is not None):
            return None
        rows = source.source
        if not rows._n:
            return None
        element = rows.row(0)  # any row shows the shapes and dtypes; no iterator is made (no reshuffle)
        if not _elementwise(self._input._fn, element):
            return None
        return _VectorizedMapBatchIt(source, self._input._fn, self._size, self._drop)


class _BatchIt(_It):
    what = "batch"

    def __init__(self, inp, size, drop):
        self._in, self._size, self._drop = inp, size, drop

    def __next__(self):
        inp = self._in
        elements = []
        append = elements.append
        try:
            for _ in range(self._size):
                append(next(inp))
        except StopIteration:
            if not elements or self._drop:
                raise
        return _stack(elements)

    def save(self):
        return {"in": self._in.save()}

    def restore(self, state):
        self._in.restore(state["in"])


class _GatherBatchIt(_BatchIt):
    """A batch of a from_tensor_slices chain: a block of row indices from below, one gather per component."""

    def __next__(self):
        idx = self._in.indices(self._size)
        if not len(idx) or (self._drop and len(idx) < self._size):
            raise StopIteration
        return self._in.source.rows(idx)


# Kernels that compute each output element from the same elements of their inputs with one exactly
# rounded operation: a batch through them equals its elements through them, bit for bit.
_EXACT_ELEMENTWISE = {"AddV2", "Sub", "Mul", "RealDiv", "Neg", "Abs", "Maximum", "Minimum", "Sqrt", "Square",
                      "Floor", "Ceil", "Rint", "Round", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
                      "GreaterEqual", "LogicalAnd", "LogicalOr", "LogicalNot", "Cast", "Identity"}


def _elementwise(fn, element):
    """Whether `fn` on `element` (recorded) is elementwise in the sense of `_vectorized_map`."""
    tensors = [t for t in nest.flatten(element) if isinstance(t, Tensor)]
    if len(tensors) != len(nest.flatten(element)):
        return False
    tracer = recording.Tracer(tensors, allow_variable_creation=False)
    try:
        with tracer:
            outputs = nest.flatten(_st.call_with_element(fn, element))
            if not outputs or not all(isinstance(t, Tensor) for t in outputs):
                return False
            if any(tracer.slot_of(t) in tracer.constants for t in outputs):
                return False  # a value made inside fn, not from the element: one per element, not per batch
    except Exception:  # noqa: BLE001 - not provable: the per-element path runs it (and raises) as usual
        return False
    if tracer.unsafe is not None:
        return False
    for kind, op, _, ins, _attrs, outs, _ in tracer.events:
        if kind != "kernel" or op not in _EXACT_ELEMENTWISE:
            return False
        shapes = {tracer.shapes[s] for s in ins if s not in tracer.constants}
        if len(shapes) > 1 or any(tracer.shapes[s] != () for s in ins if s in tracer.constants):
            return False  # a per-element broadcast, or a constant that is not a scalar
        if shapes and tracer.shapes[outs[0]] not in shapes:
            return False
    return True


class _VectorizedMapBatchIt(_BatchIt):
    """A batch of a from_tensor_slices chain through an elementwise `map` function: one call per batch."""

    def __init__(self, inp, fn, size, drop):
        super().__init__(inp, size, drop)
        self._fn = fn

    def __next__(self):
        idx = self._in.indices(self._size)
        if not len(idx) or (self._drop and len(idx) < self._size):
            raise StopIteration
        out = _st.call_with_element(self._fn, self._in.source.rows(idx))
        return out if type(out) is Tensor else _st.normalize_output(out)

    def save(self):  # the state of the unfused map(batch) chain: checkpoints move between the two paths
        return {"in": {"in": self._in.save()}}

    def restore(self, state):
        self._in.restore(state["in"]["in"])


class _UnbatchDataset(_UnaryDataset):
    _tf_name = "_UnbatchDataset"

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self.__dict__["_spec"] = _st.unbatch_spec(input_dataset.element_spec)  # refuses scalars now, as TF

    def _element_spec(self):
        return _st.unbatch_spec(self._input.element_spec)

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        return _UnbatchIt(self._input._iterator())


class _UnbatchIt(_It):
    what = "unbatch"

    def __init__(self, inp):
        self._in = inp
        self._flat = None   # the current batch's components
        self._structure = None
        self._row = 0
        self._rows = 0

    def __next__(self):
        while self._row >= self._rows:
            batch = next(self._in)
            flat = nest.flatten(batch)
            rows = {t.shape[0] for t in flat}
            if len(rows) != 1:
                raise errors.InvalidArgumentError(
                    None, "UnbatchDataset", f"Cannot unbatch an element whose components have different leading "
                    f"dimensions: {[tuple(t.shape) for t in flat]}.")
            self._flat, self._structure, self._row, self._rows = flat, batch, 0, rows.pop()
        i = self._row
        self._row = i + 1
        row = [wrap(t._value[i, ...], t._device, t._dtype) for t in self._flat]
        return row[0] if type(self._structure) is Tensor else nest.pack_sequence_as(self._structure, row)

    def save(self):
        return {"in": self._in.save(), "batch": self._flat, "row": self._row, "rows": self._rows,
                "structure": None if self._structure is None else _structure_code(self._structure)}

    def restore(self, state):
        self._in.restore(state["in"])
        self._row, self._rows = int(state["row"]), int(state["rows"])
        if state["batch"] is not None:
            self._flat = state["batch"]
            self._structure = _unflatten(state["structure"], self._flat)


class _PaddedBatchDataset(_UnaryDataset):
    _tf_name = "_PaddedBatchDataset"

    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(input_dataset)
        self._size, self._drop = batch_size, drop_remainder
        self._padded_shapes = padded_shapes
        self._padding_values = padding_values

    def _shapes(self):
        spec = self._input.element_spec
        if self._padded_shapes is None:  # every dimension to the longest in the batch
            return nest.map_structure(lambda s: TensorShape([None] * s.shape.rank) if s.shape.rank is not None
                                      else s.shape, spec)
        return _zip_shapes_spec(spec, self._padded_shapes)

    def _element_spec(self):
        spec = self._input.element_spec
        shapes = nest.flatten(self._shapes()) if nest.is_nested(spec) else [self._shapes()]
        flat = [TensorSpec(TensorShape([self._size if self._drop else None]).concatenate(
            TensorShape([None if d is None else d for d in sh.as_list()]) if self._padded_shapes is not None
            else TensorShape([None] * len(s.shape.as_list()))), s.dtype)
            for s, sh in zip(nest.flatten(spec), shapes)]
        return nest.pack_sequence_as(spec, flat) if nest.is_nested(spec) else flat[0]

    def _cardinality(self):
        return _BatchDataset._cardinality(self)

    def _iterator(self):
        spec = self._input.element_spec
        flat_specs = nest.flatten(spec)
        shapes = nest.flatten(self._shapes()) if nest.is_nested(spec) else [self._shapes()]
        if self._padding_values is None:
            values = [b"" if s.dtype is _dtypes.string else 0 for s in flat_specs]
        elif nest.is_nested(spec):
            values = nest.flatten(self._padding_values) if nest.is_nested(self._padding_values) else [
                self._padding_values] * len(flat_specs)
        else:
            values = [self._padding_values]
        values = [v.numpy() if is_tensor_like(v) else v for v in values]
        for v, s in zip(values, flat_specs):
            if is_tensor_like(v) and v.dtype is not s.dtype:
                raise TypeError(f"padding_values {v} does not match the element dtype {s.dtype.name}.")
        return _PaddedBatchIt(self._input._iterator(), self._size, self._drop, shapes, values)


def _zip_shapes_spec(spec, shapes):
    if isinstance(spec, collections.abc.Mapping):
        return {k: _zip_shapes_spec(spec[k], shapes[k]) for k in spec}
    if isinstance(spec, tuple):
        out = [_zip_shapes_spec(s, p) for s, p in zip(spec, shapes)]
        return type(spec)(*out) if hasattr(spec, "_fields") else tuple(out)
    shape = TensorShape(shapes.numpy().tolist() if is_tensor_like(shapes) else shapes)
    shape = TensorShape([None if d == -1 else d for d in shape.as_list()]) if shape.rank is not None else shape
    if shape.rank is not None and spec.shape.rank is not None and shape.rank != spec.shape.rank:
        raise ValueError(f"The padded shape {shape} is not compatible with the shape {spec.shape} of the "
                         "corresponding input component.")
    return shape


class _PaddedBatchIt(_BatchIt):
    what = "padded_batch"

    def __init__(self, inp, size, drop, shapes, values):
        super().__init__(inp, size, drop)
        self._shapes, self._values = shapes, values

    def __next__(self):
        elements = []
        try:
            for _ in range(self._size):
                elements.append(next(self._in))
        except StopIteration:
            if not elements or self._drop:
                raise
        flats = [nest.flatten(e) for e in elements]
        out = []
        for k in range(len(flats[0])):
            parts = [f[k] for f in flats]
            arrays = [p._value for p in parts]
            target = list(self._shapes[k].as_list()) if self._shapes[k].rank is not None else [None] * arrays[0].ndim
            for a in arrays:
                if a.ndim != len(target):
                    raise errors.InvalidArgumentError(None, "PaddedBatchDatasetV2", "All elements in a batch must "
                                                      f"have the same rank as the padded shape for component{k}: "
                                                      f"expected rank {len(target)} but got element with rank {a.ndim}")
            full = [max(a.shape[d] for a in arrays) if t is None else t for d, t in enumerate(target)]
            for a in arrays:
                if any(s > f for s, f in zip(a.shape, full)):
                    raise errors.InvalidArgumentError(
                        None, "PaddedBatchDatasetV2", f"Attempted to pad to a smaller size than the input element: "
                        f"element of shape {list(a.shape)}, padded shape {full}.")
            p0 = parts[0]
            xp = p0._device.xp
            batch = xp.full([len(arrays)] + full, self._values[k], dtype=arrays[0].dtype)
            for i, a in enumerate(arrays):
                batch[(i,) + tuple(slice(0, s) for s in a.shape)] = a
            out.append(wrap(batch, p0._device, p0._dtype))
        return nest.pack_sequence_as(elements[0], out) if type(elements[0]) is not Tensor else out[0]


class _ShuffleDataset(_UnaryDataset):
    _tf_name = "_ShuffleDataset"

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        size = _int(buffer_size)
        if size == AUTOTUNE:
            raise errors.InvalidArgumentError(None, "ShuffleDatasetV3", "buffer_size must be greater than zero or "
                                              "tf.data.experimental.AUTOTUNE; AUTOTUNE is not supported by shuffle in "
                                              "eagerflow: give the number of elements to mix.")
        if size <= 0:
            raise errors.InvalidArgumentError(None, "ShuffleDatasetV3", f"buffer_size must be greater than zero, "
                                              f"got {size}.")
        self._buffer = size
        self._seed = _random_seed(seed)
        self._reshuffle = reshuffle_each_iteration is None or bool(reshuffle_each_iteration)
        self._epochs = 0

    def _iterator(self):
        epoch = self._epochs
        if self._reshuffle:
            self._epochs += 1
        inp = self._input._iterator()
        n = self._input._cardinality()
        if hasattr(inp, "indices") and getattr(inp, "source", None) is not None and 0 <= n <= (1 << 27):
            return _ShuffleIndexIt(inp, n, self._buffer, self._seed, epoch)
        return _ShuffleIt(inp, self._buffer, self._seed, epoch)


def buffer_shuffle_order(n, buffer_size, rng):
    """The order in which a shuffle buffer of `buffer_size` emits `n` inputs (TF's buffer semantics).

    Step t (while inputs remain) emits the element in a uniformly chosen slot r_t and puts input
    t + buffer_size there; so it emits the input written by the last earlier step that chose the
    same slot, or the slot's initial input. The buffer left when the inputs run out is emitted in a
    uniformly random order. Vectorised: one stable sort of the slot choices.

    >>> order = buffer_shuffle_order(10, 3, np.random.default_rng(0))
    >>> sorted(order.tolist()) == list(range(10)), buffer_shuffle_order(5, 1, np.random.default_rng(0)).tolist()
    (True, [0, 1, 2, 3, 4])
    """
    b = min(buffer_size, n)
    steps = n - b
    slots = rng.integers(0, b, size=steps) if steps and b > 1 else np.zeros(steps, np.int64)
    order = np.empty(n, np.int64)
    if steps:
        # stable sort of the slot numbers: NumPy radix-sorts 16-bit keys (15x faster than int64's merge sort)
        keys = slots.astype(np.uint16) if b <= 1 << 16 else slots
        t = np.argsort(keys, kind="stable")
        prev = np.empty(steps, np.int64)
        prev[t[0]] = -1
        same = slots[t[1:]] == slots[t[:-1]]
        prev[t[1:]] = np.where(same, t[:-1], -1)
        order[:steps] = np.where(prev >= 0, prev + b, slots)
        # what each slot holds at the end: the last write to it, or its initial input
        final = np.arange(b, dtype=np.int64)
        last = np.full(b, -1, np.int64)
        last[slots[t]] = t
        final = np.where(last >= 0, last + b, final)
    else:
        final = np.arange(b, dtype=np.int64)
    order[steps:] = final[rng.permutation(b)] if b > 1 else final
    return order


class _ShuffleIndexIt(_It):
    """A shuffle over a from_tensor_slices chain: the epoch's whole order computed at once, as indices."""

    what = "shuffle"

    def __init__(self, inp, n, buffer_size, seed, epoch):
        self.source = inp.source
        self._in = inp
        positions = inp.indices(n)
        self._order = positions[buffer_shuffle_order(len(positions), buffer_size, _rng(seed, epoch))]
        self._pos = 0

    def indices(self, n):
        i = self._pos
        self._pos = min(len(self._order), i + n)
        return self._order[i: self._pos]

    def __next__(self):
        i = self._pos
        if i >= len(self._order):
            raise StopIteration
        self._pos = i + 1
        return self.source.row(int(self._order[i]))

    def save(self):
        return {"order": self._order, "pos": self._pos}

    def restore(self, state):
        order = np.asarray(state["order"], np.int64)
        if order.size and (order.min() < 0 or order.max() >= self.source._n):
            raise ValueError("shuffle order out of range of the source")
        self._order, self._pos = order, int(state["pos"])


class _ShuffleIt(_It):
    """TF's shuffle buffer over any input: fill, then emit a random slot and refill it."""

    what = "shuffle"

    def __init__(self, inp, buffer_size, seed, epoch):
        self._in = inp
        self._size = buffer_size
        self._rng = _rng(seed, epoch)
        self._buffer = []
        self._exhausted = False
        self._uniform = np.empty(0)
        self._u = 0

    def __next__(self):
        buf = self._buffer
        while not self._exhausted and len(buf) < self._size:
            try:
                buf.append(next(self._in))
            except StopIteration:
                self._exhausted = True
        if not buf:
            raise StopIteration
        if self._u >= len(self._uniform):
            self._uniform, self._u = self._rng.random(1024), 0
        r = int(self._uniform[self._u] * len(buf))
        self._u += 1
        out = buf[r]
        if not self._exhausted:
            try:
                buf[r] = next(self._in)
                return out
            except StopIteration:
                self._exhausted = True
        buf[r] = buf[-1]
        buf.pop()
        return out

    def save(self):
        return {"in": self._in.save(), "buffer": [nest.flatten(e) for e in self._buffer],
                "structure": _structure_code(self._buffer[0]) if self._buffer else None,
                "exhausted": self._exhausted, "rng": self._rng.bit_generator.state,
                "uniform": self._uniform, "u": self._u}

    def restore(self, state):
        self._in.restore(state["in"])
        code = state["structure"]
        self._buffer = [_unflatten(code, flat) for flat in state["buffer"]]
        self._exhausted = bool(state["exhausted"])
        self._rng.bit_generator.state = state["rng"]
        self._uniform, self._u = np.asarray(state["uniform"]), int(state["u"])


def _structure_code(element):
    """A JSON description of an element's structure (tuples, dicts, namedtuples as tuples of fields)."""
    if isinstance(element, tuple):
        return {"t": [_structure_code(e) for e in element],
                "f": list(element._fields) if hasattr(element, "_fields") else None,
                "n": type(element).__name__}
    if isinstance(element, collections.abc.Mapping):
        return {"d": [[k, _structure_code(element[k])] for k in element]}
    return None


def _unflatten(code, flat):
    it = iter(flat)

    def build(c):
        if c is None:
            return next(it)
        if "d" in c:
            # nest flattens dicts in sorted key order
            keys = [k for k, _ in c["d"]]
            sub = dict(c["d"])
            built = {k: build(sub[k]) for k in sorted(keys)}
            return {k: built[k] for k in keys}
        items = [build(x) for x in c["t"]]
        if c["f"] is not None:
            return collections.namedtuple(c["n"], c["f"])(*items)
        return tuple(items)
    return build(code)


class _RepeatDataset(_UnaryDataset):
    _tf_name = "_RepeatDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count < 0:
            return 0 if n == 0 else _INF
        if n in (_INF, _UNKNOWN):
            return n
        return n * self._count

    def _iterator(self):
        return _RepeatIt(self._input, self._count)


class _RepeatIt(_It):
    """The input again and again; over a from_tensor_slices chain it also hands out index blocks."""

    what = "repeat"

    def __init__(self, dataset, count):
        self._ds = dataset
        self._options = getattr(_building, "options", None)
        self._count = count
        self._epoch = 0
        self._produced = False  # whether this epoch gave an element (repeat() of an empty input ends)
        self._cur = dataset._iterator() if count != 0 else None
        self.source = getattr(self._cur, "source", None) if hasattr(self._cur, "indices") else None

    def _advance(self, produced):
        self._epoch += 1
        if (self._count >= 0 and self._epoch >= self._count) or (not produced and self._count < 0):
            self._cur = None
            return False
        self._cur = _build(self._ds, self._options)
        return True

    def __next__(self):
        while self._cur is not None:
            try:
                element = next(self._cur)
                self._produced = True
                return element
            except StopIteration:
                produced = self._produced
                self._produced = False
                if not self._advance(produced):
                    break
        raise StopIteration

    def indices(self, n):
        parts = []
        need = n
        while need and self._cur is not None:
            got = self._cur.indices(need)
            if len(got):
                parts.append(got)
                need -= len(got)
                self._produced = True
            else:
                produced = self._produced
                self._produced = False
                if not self._advance(produced):
                    break
        return np.concatenate(parts) if len(parts) > 1 else (parts[0] if parts else np.empty(0, np.int64))

    def save(self):
        return {"epoch": self._epoch, "cur": None if self._cur is None else self._cur.save(),
                "produced": self._produced}

    def restore(self, state):
        self._epoch = int(state["epoch"])
        self._produced = bool(state["produced"])
        if state["cur"] is None:
            self._cur = None
        else:
            self._cur = _build(self._ds, self._options)
            self._cur.restore(state["cur"])


class _TakeDataset(_UnaryDataset):
    _tf_name = "_TakeDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count < 0:
            return n
        if n == _UNKNOWN:
            return _UNKNOWN
        return self._count if n == _INF else min(n, self._count)

    def _iterator(self):
        return _TakeIt(self._input._iterator(), self._count)


class _TakeIt(_It):
    what = "take"

    def __init__(self, inp, count):
        self._in = inp
        self._left = count  # negative: all
        self.source = getattr(inp, "source", None) if hasattr(inp, "indices") else None

    def __next__(self):
        if self._left == 0:
            raise StopIteration
        element = next(self._in)
        if self._left > 0:
            self._left -= 1
        return element

    def indices(self, n):
        if self._left >= 0:
            n = min(n, self._left)
        got = self._in.indices(n) if n else np.empty(0, np.int64)
        if self._left > 0:
            self._left -= len(got)
        return got

    def save(self):
        return {"in": self._in.save(), "left": self._left}

    def restore(self, state):
        self._in.restore(state["in"])
        self._left = int(state["left"])


class _SkipDataset(_UnaryDataset):
    _tf_name = "_SkipDataset"

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (_INF, _UNKNOWN):
            return n
        return 0 if self._count < 0 else max(0, n - self._count)

    def _iterator(self):
        return _SkipIt(self._input._iterator(), self._count)


class _SkipIt(_TakeIt):
    what = "skip"

    def _skip(self):
        if self._left < 0:  # skip(-1): everything
            for _ in self._in:
                pass
            self._left = 0
        while self._left > 0:
            if hasattr(self._in, "indices") and self.source is not None:
                got = self._in.indices(self._left)
                if not len(got):
                    self._left = 0
                    break
                self._left -= len(got)
            else:
                try:
                    next(self._in)
                except StopIteration:
                    self._left = 0
                    break
                self._left -= 1

    def __next__(self):
        if self._left:
            self._skip()
        return next(self._in)

    def indices(self, n):
        if self._left:
            self._skip()
        return self._in.indices(n)


class _ShardDataset(_UnaryDataset):
    _tf_name = "_ShardDataset"

    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._n, self._i = num_shards, index

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (_INF, _UNKNOWN):
            return n
        return n // self._n + (1 if self._i < n % self._n else 0)

    def _iterator(self):
        return _ShardIt(self._input._iterator(), self._n, self._i)


class _ShardIt(_It):
    what = "shard"

    def __init__(self, inp, n, i):
        self._in, self._n, self._i = inp, n, i
        self._seen = 0
        self.source = getattr(inp, "source", None) if hasattr(inp, "indices") else None

    def __next__(self):
        while True:
            element = next(self._in)
            k = self._seen
            self._seen += 1
            if k % self._n == self._i:
                return element

    def indices(self, n):
        out = []
        have = 0
        while have < n:
            got = self._in.indices((n - have) * self._n)
            if not len(got):
                break
            pos = self._seen + np.arange(len(got))
            self._seen += len(got)
            keep = got[pos % self._n == self._i]
            out.append(keep)
            have += len(keep)
        flat = np.concatenate(out) if out else np.empty(0, np.int64)
        if len(flat) > n:
            raise AssertionError("shard took more rows than asked")  # cannot happen: n * shards inputs give n
        return flat

    def save(self):
        return {"in": self._in.save(), "seen": self._seen}

    def restore(self, state):
        self._in.restore(state["in"])
        self._seen = int(state["seen"])


class _PrefetchDataset(_UnaryDataset):
    _tf_name = "_PrefetchDataset"

    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        if buffer_size < -1:
            raise errors.InvalidArgumentError(None, "PrefetchDataset", f"buffer_size must be >= 0 or AUTOTUNE (-1), "
                                              f"got {buffer_size}.")
        self._size = buffer_size

    def _iterator(self):
        inp = self._input._iterator()
        if self._size == 0:
            return inp
        adaptive = _pipeline_options(self).autotune.enabled is not False
        return _PrefetchIt(inp, 8 if self._size == AUTOTUNE else self._size, adaptive=adaptive)


class _Channel:
    """The bounded buffer between a prefetch thread and its consumer (the thread holds only this).

    Appends and pops are deque operations (atomic); the lock and condition are taken only to wait
    and to wake a side that said it waits. Wake-ups cost more than the elements of a fast pipeline
    (under the GIL each is a thread switch), so they come in runs: a full buffer lets its producer
    sleep until the consumer has taken `run` elements (half the buffer), and a consumer that found
    it empty sleeps until `run` elements are ready, the input ended, or `_HANDOFF_WAIT` passed with
    at least one ready (a slow source is not held back to fill a run).
    """

    def __init__(self, size):
        self.size = size
        self.run = max(1, size // 2)
        self.low = size - self.run   # the producer resumes at this many buffered elements
        self.items = collections.deque()
        self.cond = threading.Condition()
        self.stop = False
        self.paused = False
        self.ended = False           # the input's end (or an error) is in `items`
        self.idle = False            # the producer waits (or has ended): what save() waits for
        self.producer_waiting = False
        self.consumer_waiting = False
        self.produce_s = 0.0         # the producer's moving average of seconds per element


_END = object()
_HANDOFF_WAIT = 0.002  # seconds a consumer waits for a whole run when some elements are ready


def _produce(channel, inp):
    cond, items, size, run = channel.cond, channel.items, channel.size, channel.run
    while True:
        if channel.stop or channel.paused or len(items) >= size:
            with cond:
                # the flag first, then the test: a pop after the test sees the flag and wakes this thread
                channel.producer_waiting = True
                while not channel.stop and (channel.paused or len(items) > channel.low):
                    channel.idle = True
                    cond.notify_all()
                    cond.wait()
                channel.producer_waiting = False
                if channel.stop:
                    channel.idle = True
                    return
                channel.idle = False
        start = time.perf_counter()
        try:
            item = (True, next(inp))
        except StopIteration:
            item = (False, _END)
        except BaseException as e:  # handed to the consumer at this element, as TF
            item = (False, e)
        channel.produce_s += (time.perf_counter() - start - channel.produce_s) * 0.125
        items.append(item)
        if not item[0]:
            with cond:
                channel.ended = channel.idle = True
                cond.notify_all()
            return
        if channel.consumer_waiting and len(items) >= run:
            with cond:
                cond.notify_all()
                # Block until the consumer is awake: a thread woken while this one runs Python waits for
                # the GIL up to the switch interval (5 ms); blocked here, this thread hands it over at once.
                # (Re-tested under the lock: a consumer that took some and waits again has not seen a run.)
                while channel.consumer_waiting and len(items) >= run and not channel.stop:
                    cond.wait(_HANDOFF_WAIT)


def _stop_channel(channel):
    with channel.cond:
        channel.stop = True
        channel.cond.notify_all()


# Below this many seconds per element on either side, a prefetch thread cannot gain what its hand-offs
# cost (a thread switch, and under the GIL often a wait for it): the consumer then produces inline.
_OVERLAP_WORTH = 200e-6
_WARMUP = 4  # elements measured inline before the first decision


class _PrefetchIt(_It):
    """Elements produced ahead by a background thread into a bounded buffer of `size`.

    With `adaptive` (the `prefetch` transformation), the consumer produces an element itself while
    producing or consuming one takes under `_OVERLAP_WORTH`: overlapping two sides of which one is
    that cheap gains less than the thread hand-offs cost, so the thread runs only when both sides
    take longer (measured on every element, and re-decided as the pipeline's speed changes). The
    elements, their order, and where errors arise are the same either way.

    The thread ends when the iterator is dropped (a finalizer stops it), at the input's end, or at
    an error, which the consumer receives at that element.
    """

    what = "prefetch"

    def __init__(self, inp, size, adaptive=False):
        self._in = inp
        self._channel = _Channel(size)
        self._thread = None
        self._finished = False
        self._input_ended = False  # a restored state already holds the input's end
        self._inline = adaptive
        self._adaptive = adaptive
        self._produce_s = self._consume_s = 0.0  # moving averages: seconds per element on each side
        self._measured = 0
        self._returned = None  # when the last element was handed to the consumer

    def _start(self):
        self._thread = threading.Thread(target=_produce, args=(self._channel, self._in), daemon=True,
                                        name="ef.data.prefetch")
        weakref.finalize(self, _stop_channel, self._channel)
        self._thread.start()

    def __next__(self):
        ch = self._channel
        items = ch.items
        if self._adaptive:
            now = time.perf_counter()
            if self._returned is not None:
                self._consume_s += (now - self._returned - self._consume_s) * 0.125
        if not items:
            if self._finished:
                raise StopIteration
            if self._inline:
                return self._next_inline(now)
            if self._thread is None and not self._input_ended:
                self._start()
            self._await_run(ch)
        ok, item = items.popleft()
        if ch.producer_waiting and len(items) <= ch.low and not ch.paused:
            with ch.cond:
                ch.cond.notify_all()
        if ok:
            if self._adaptive:
                self._decide()
            return item
        self._finished = True
        if item is _END:
            raise StopIteration
        raise item

    def _next_inline(self, start):
        try:
            item = next(self._in)
        except BaseException:  # the input's end or an error, at this element (as from the thread)
            self._finished = True
            if self._thread is not None:
                _stop_channel(self._channel)
            raise
        self._decide(time.perf_counter() - start)
        return item

    def _decide(self, produced_in=None):
        """Fold in an element's timings (`produced_in` seconds when made inline, else the thread's own
        average); switch between the thread and inline production."""
        if produced_in is None:
            self._produce_s = self._channel.produce_s
        else:
            self._produce_s += (produced_in - self._produce_s) * 0.125
        self._measured += 1
        self._returned = time.perf_counter()
        if self._measured < _WARMUP:
            return
        worth = min(self._produce_s, self._consume_s)
        if self._inline and worth > _OVERLAP_WORTH:
            self._inline = False
            self._channel.produce_s = self._produce_s
            if self._thread is not None:
                self._resume()
        elif not self._inline and worth < _OVERLAP_WORTH / 2:  # half: no flapping at the boundary
            self._inline = True
            if self._thread is not None:
                self._pause()  # parked between elements; what it made ahead is served first

    @staticmethod
    def _await_run(ch):
        items, run = ch.items, ch.run
        with ch.cond:
            ch.consumer_waiting = True  # the flag first, then the test (see _produce)
            while len(items) < run and not ch.ended:
                if not ch.cond.wait(_HANDOFF_WAIT) and items:
                    break
            ch.consumer_waiting = False
            ch.cond.notify_all()  # the producer waits for this to go on (see _produce)

    def _pause(self):
        ch = self._channel
        with ch.cond:
            ch.paused = True
            ch.cond.notify_all()
            while not ch.idle:
                ch.cond.wait()

    def _resume(self):
        ch = self._channel
        with ch.cond:
            ch.paused = False
            ch.cond.notify_all()

    def save(self):
        if self._thread is not None:
            self._pause()
        try:
            items = list(self._channel.items)
            for ok, item in items:
                if not ok and item is not _END:
                    raise errors.FailedPreconditionError(
                        None, "SerializeIterator", f"Cannot save an iterator whose next prefetched element is an "
                        f"error ({item!r}); consume or skip the failing element first.")
            ready = [nest.flatten(item) for ok, item in items if ok]
            code = _structure_code(items[0][1]) if items and items[0][0] else None
            ended = any(item is _END for _, item in items) or self._finished
            return {"in": self._in.save(), "ready": ready, "structure": code, "ended": ended}
        finally:
            if self._thread is not None and not self._inline:
                self._resume()

    def restore(self, state):
        self._in.restore(state["in"])
        code = state["structure"]
        for flat in state["ready"]:
            self._channel.items.append((True, _unflatten(code, flat)))
        if state["ended"]:
            self._channel.items.append((False, _END))
            self._channel.ended = self._input_ended = True


class _CacheDataset(_UnaryDataset):
    _tf_name = "CacheDataset"

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset)
        self._filename = filename
        self._memory = None  # the elements of a completed first iteration
        self._lock = threading.Lock()

    def _iterator(self):
        if self._filename:
            from eagerflow.data.readers import file_cache_iterator
            return file_cache_iterator(self)
        if self._memory is not None:
            return _ListIt(self._memory)
        return _CacheFillIt(self)


class _ListIt(_It):
    what = "cache"

    def __init__(self, elements):
        self._elements = elements
        self._pos = 0

    def __next__(self):
        i = self._pos
        if i >= len(self._elements):
            raise StopIteration
        self._pos = i + 1
        return self._elements[i]

    def save(self):
        return {"pos": self._pos, "cached": True}

    def restore(self, state):
        if not state.get("cached"):
            raise ValueError("state of an uncached iteration")
        self._pos = int(state["pos"])


class _CacheFillIt(_It):
    what = "cache"

    def __init__(self, ds):
        self._ds = ds
        self._in = ds._input._iterator()
        self._seen = []

    def __next__(self):
        try:
            element = next(self._in)
        except StopIteration:
            with self._ds._lock:
                if self._ds._memory is None:
                    self._ds._memory = self._seen
            raise
        self._seen.append(element)
        return element

    def save(self):
        return {"in": self._in.save(), "cached": False, "seen": [nest.flatten(e) for e in self._seen],
                "structure": _structure_code(self._seen[0]) if self._seen else None}

    def restore(self, state):
        if state.get("cached"):
            raise ValueError("state of a cached iteration")
        self._in.restore(state["in"])
        self._seen = [_unflatten(state["structure"], flat) for flat in state["seen"]]


# =============================================================================================
# transformations of several inputs
# =============================================================================================

class _ZipDataset(Dataset):
    _tf_name = "_ZipDataset"

    def __init__(self, datasets):
        for d in nest.flatten(datasets):
            if not isinstance(d, Dataset):
                raise TypeError(f"Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                                f"`tf.data.Dataset` objects. Python `list` is not supported and you should use "
                                f"`tuple` instead. Got {type(d).__name__}.")
        if isinstance(datasets, list):
            raise TypeError("Invalid input to `zip`. Inputs are expected to be (nested) structures of "
                            "`tf.data.Dataset` objects. Python `list` is not supported and you should use `tuple` "
                            "instead.")
        self._structure = datasets
        self._flat = nest.flatten(datasets)
        self._inputs = tuple(self._flat)

    def _element_spec(self):
        return nest.map_structure(lambda d: d.element_spec, self._structure)

    def _cardinality(self):
        cards = [d._cardinality() for d in self._flat]
        finite = [c for c in cards if c >= 0]
        if finite:
            return min(finite)
        return _UNKNOWN if _UNKNOWN in cards else _INF

    def _iterator(self):
        return _ZipIt(self)


class _ZipIt(_It):
    what = "zip"

    def __init__(self, ds):
        self._ds = ds
        self._its = [d._iterator() for d in ds._flat]

    def __next__(self):
        return nest.pack_sequence_as(self._ds._structure, [next(it) for it in self._its])

    def save(self):
        return {"its": [it.save() for it in self._its]}

    def restore(self, state):
        for it, s in zip(self._its, state["its"]):
            it.restore(s)


class _ConcatenateDataset(Dataset):
    _tf_name = "_ConcatenateDataset"

    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"concatenate expects a Dataset, got {type(second).__name__}.")
        _st.check_same_structure(first.element_spec, second.element_spec, "concatenate")
        self._a, self._b = first, second
        self._inputs = (first, second)

    def _element_spec(self):
        return _st.most_specific_common(self._a.element_spec, self._b.element_spec)

    def _cardinality(self):
        a, b = self._a._cardinality(), self._b._cardinality()
        if _INF in (a, b):
            return _INF
        if _UNKNOWN in (a, b):
            return _UNKNOWN
        return a + b

    def _iterator(self):
        return _ConcatIt(self)


class _ConcatIt(_It):
    what = "concatenate"

    def __init__(self, ds):
        self._ds = ds
        self._second = False
        self._cur = ds._a._iterator()

    def __next__(self):
        try:
            return next(self._cur)
        except StopIteration:
            if self._second:
                raise
            self._second = True
            self._cur = self._ds._b._iterator()
            return next(self._cur)

    def save(self):
        return {"second": self._second, "cur": self._cur.save()}

    def restore(self, state):
        self._second = bool(state["second"])
        self._cur = (self._ds._b if self._second else self._ds._a)._iterator()
        self._cur.restore(state["cur"])


def _as_dataset(value, what):
    if not isinstance(value, Dataset):
        raise TypeError(f"The function passed to {what} must return a Dataset, got {type(value).__name__}.")
    return value


class _FlatMapDataset(_UnaryDataset):
    _tf_name = "_FlatMapDataset"

    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = fn

    def _element_spec(self):
        it = self._input._iterator()
        for element in it:
            return _as_dataset(_st.call_with_element(self._fn, element), "flat_map").element_spec
        raise ValueError("Cannot tell the element_spec of a flat_map over an empty dataset in eagerflow.")

    def _cardinality(self):
        return _UNKNOWN

    def _open(self, element):
        return _as_dataset(_st.call_with_element(self._fn, element), "flat_map")._iterator()

    def _iterator(self):
        return _FlatMapIt(self)


class _Opened:
    """An iterator of a dataset made by a function from an input element, with that element (so that a
    restored state can make the dataset again)."""

    __slots__ = ("element", "it")

    def __init__(self, element, it):
        self.element, self.it = element, it

    def save(self):
        return {"element": nest.flatten(self.element), "structure": _structure_code(self.element),
                "it": self.it.save()}

    @staticmethod
    def restore(state, open_):
        element = _unflatten(state["structure"], state["element"])
        opened = _Opened(element, open_(element))
        opened.it.restore(state["it"])
        return opened


class _FlatMapIt(_It):
    what = "flat_map"

    def __init__(self, ds):
        self._ds = ds
        self._in = ds._input._iterator()
        self._cur = None

    def __next__(self):
        while True:
            if self._cur is None:
                element = next(self._in)
                self._cur = _Opened(element, self._ds._open(element))
            try:
                return next(self._cur.it)
            except StopIteration:
                self._cur = None

    def save(self):
        return {"in": self._in.save(), "cur": None if self._cur is None else self._cur.save()}

    def restore(self, state):
        self._in.restore(state["in"])
        self._cur = None if state["cur"] is None else _Opened.restore(state["cur"], self._ds._open)


class _InterleaveDataset(_FlatMapDataset):
    _tf_name = "_InterleaveDataset"

    def __init__(self, input_dataset, fn, cycle_length, block_length, num_parallel_calls, deterministic):
        super().__init__(input_dataset, fn)
        self._cycle = _threads(AUTOTUNE if cycle_length is None else _int(cycle_length), "interleave")
        self._block = 1 if block_length is None else _positive(block_length, "block_length")
        self._parallel = None if num_parallel_calls is None else _threads(num_parallel_calls, "interleave")
        self._deterministic = deterministic
        if num_parallel_calls is not None:
            self._tf_name = "_ParallelInterleaveDataset"

    def _open(self, element):
        it = _as_dataset(_st.call_with_element(self._fn, element), "interleave")._iterator()
        # parallel: each open dataset is produced ahead in a thread; the order stays TF's
        return it if self._parallel is None else _PrefetchIt(it, max(1, self._block))

    def _iterator(self):
        return _InterleaveIt(self)


class _InterleaveIt(_It):
    """TF's interleave loop: an exhausted slot is refilled from the input when the cycle comes back to it."""

    what = "interleave"

    def __init__(self, ds):
        self._ds = ds
        self._in = ds._input._iterator()
        self._cycle = [None] * ds._cycle
        self._index = self._block_index = self._num_open = 0
        self._end_of_input = False

    def __next__(self):
        cycle, length, block = self._cycle, len(self._cycle), self._ds._block
        while not self._end_of_input or self._num_open:
            current = cycle[self._index]
            if current is not None:
                try:
                    element = next(current.it)
                except StopIteration:
                    cycle[self._index] = None
                    self._num_open -= 1
                    self._index, self._block_index = (self._index + 1) % length, 0
                    continue
                self._block_index += 1
                if self._block_index == block:
                    self._index, self._block_index = (self._index + 1) % length, 0
                return element
            if not self._end_of_input:
                try:
                    source = next(self._in)
                except StopIteration:
                    self._end_of_input = True
                    continue
                cycle[self._index] = _Opened(source, self._ds._open(source))
                self._num_open += 1
            else:
                self._index, self._block_index = (self._index + 1) % length, 0
        raise StopIteration

    def save(self):
        return {"in": self._in.save(), "cycle": [None if c is None else c.save() for c in self._cycle],
                "index": self._index, "block_index": self._block_index, "num_open": self._num_open,
                "end_of_input": self._end_of_input}

    def restore(self, state):
        if len(state["cycle"]) != len(self._cycle):
            raise ValueError(f"cycle_length {len(state['cycle'])} saved, {len(self._cycle)} in this pipeline")
        self._in.restore(state["in"])
        self._cycle = [None if c is None else _Opened.restore(c, self._ds._open) for c in state["cycle"]]
        self._index, self._block_index = int(state["index"]), int(state["block_index"])
        self._num_open, self._end_of_input = int(state["num_open"]), bool(state["end_of_input"])


class _WindowDataset(_UnaryDataset):
    _tf_name = "_WindowDataset"

    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        super().__init__(input_dataset)
        self._size, self._shift, self._stride, self._drop = size, shift, stride, drop_remainder

    def _element_spec(self):
        return nest.map_structure(lambda s: _st.DatasetSpec(s), self._input.element_spec)

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (_INF, _UNKNOWN):
            return n
        if self._drop:
            span = (self._size - 1) * self._stride + 1
            return max(0, (n - span) // self._shift + 1) if n >= span else 0
        return -(-n // self._shift)

    def _iterator(self):
        spec = self._input.element_spec

        def gen():
            buf = []
            it = self._input._iterator()
            done = False
            span = (self._size - 1) * self._stride + 1
            while True:
                while not done and len(buf) < span:
                    try:
                        buf.append(next(it))
                    except StopIteration:
                        done = True
                if not buf:
                    return
                window = buf[: span: self._stride]
                if len(window) < self._size and (self._drop or done and not window):
                    return
                yield _window_element(spec, window)
                if done and len(buf) <= self._shift:
                    return
                drop = self._shift
                while drop > len(buf) and not done:
                    try:
                        next(it)
                        drop -= 1
                    except StopIteration:
                        done = True
                buf = buf[drop:]
        return _GenIt(gen(), "window")


def _window_element(spec, window):
    flats = [nest.flatten(e) for e in window]
    comps = []
    for k, s in enumerate(nest.flatten(spec)):
        comps.append(_ElementsDataset([f[k] for f in flats], s))
    return nest.pack_sequence_as(spec, comps) if nest.is_nested(spec) else comps[0]


class _ElementsDataset(Dataset):
    """A dataset of given elements (the windows of `window`, the groups of `group_by_window`)."""

    _tf_name = "_VariantDataset"

    def __init__(self, elements, spec):
        self._elements = elements
        self._spec_value = spec

    def _element_spec(self):
        return self._spec_value

    def _cardinality(self):
        return len(self._elements)

    def _iterator(self):
        return _ListIt(self._elements)


class _ScanDataset(_UnaryDataset):
    _tf_name = "_ScanDataset"

    def __init__(self, input_dataset, initial_state, fn):
        super().__init__(input_dataset)
        self._initial = _st.normalize(initial_state)
        self._fn = fn

    def _step(self, state, element):
        args = (state,) + (element if type(element) is tuple else (element,))
        result = self._fn(*args)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(f"The scan function must return a pair (new_state, output), got {result!r}.")
        new_state = _st.normalize_output(result[0])
        try:
            _st.check_same_structure(_st.spec_of(state), _st.spec_of(new_state), "scan's state")
        except TypeError as e:
            raise TypeError(f"The element types for the new state must match the initial state: {e}") from None
        return new_state, _st.normalize_output(result[1])

    def _element_spec(self):
        it = self._input._iterator()
        for element in it:
            return _st.spec_of(self._step(self._initial, element)[1])
        raise ValueError("Cannot tell the element_spec of a scan over an empty dataset in eagerflow.")

    def _iterator(self):
        def gen():
            state = self._initial
            for element in self._input._iterator():
                state, out = self._step(state, element)
                yield out
        return _GenIt(gen(), "scan")


class _UniqueDataset(_UnaryDataset):
    _tf_name = "_UniqueDataset"

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        ok = (_dtypes.int32, _dtypes.int64, _dtypes.string)
        if not isinstance(spec, TensorSpec) or spec.dtype not in ok or spec.shape.rank not in (0, 1):
            raise TypeError(f"Dataset.unique() supports only datasets with a single tf.int32, tf.int64 or tf.string "
                            f"component of rank 0 or 1; got {spec!r}.")

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        def gen():
            seen = set()
            for t in self._input._iterator():
                value = t.numpy()
                key = value if isinstance(value, bytes) else (
                    value.item() if value.ndim == 0 else tuple(value.tolist()))
                if key not in seen:
                    seen.add(key)
                    yield t
        return _GenIt(gen(), "unique")


class _RebatchDataset(_UnaryDataset):
    _tf_name = "_RebatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        sizes = batch_size.numpy().tolist() if is_tensor_like(batch_size) else batch_size
        self._sizes = [int(s) for s in (sizes if isinstance(sizes, (list, tuple)) else [sizes])]
        if not self._sizes or any(s < 0 for s in self._sizes):
            raise errors.InvalidArgumentError(None, "RebatchDatasetV2", f"batch_size must be a non-negative int or a "
                                              f"non-empty list of them, got {batch_size!r}.")
        self._drop = drop_remainder
        for s in nest.flatten(input_dataset.element_spec):
            if s.shape.rank == 0:
                raise ValueError("Cannot rebatch a dataset whose elements have no batch dimension: "
                                 f"{input_dataset.element_spec!r}.")

    def _element_spec(self):
        size = self._sizes[0] if self._drop and len(set(self._sizes)) == 1 else None
        return _st.batch_spec(_st.unbatch_spec(self._input.element_spec), size)

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        sizes, drop = self._sizes, self._drop

        def gen():
            rows = _UnbatchIt(self._input._iterator())
            k = 0
            while True:
                size = sizes[k % len(sizes)]
                k += 1
                batch = []
                try:
                    for _ in range(size):
                        batch.append(next(rows))
                except StopIteration:
                    if batch and not drop:
                        yield _stack(batch, "rebatch")
                    return
                if size == 0:
                    continue
                yield _stack(batch, "rebatch")
        return _GenIt(gen(), "rebatch")


class _GroupByWindowDataset(_UnaryDataset):
    _tf_name = "_GroupByWindowDataset"

    def __init__(self, input_dataset, key_func, reduce_func, window_size_func, spec_rank_unknown=False):
        super().__init__(input_dataset)
        self._key, self._reduce, self._size_of = key_func, reduce_func, window_size_func

    def _key_of(self, element):
        k = _st.call_with_element(self._key, element)
        if is_tensor_like(k) and k.dtype is not _dtypes.int64:
            raise ValueError(f"Invalid `key_func`. `key_func` must return a single tf.int64 tensor. Got type="
                             f"{k.dtype!r} and shape={k.shape}.")
        return int(k)

    def _element_spec(self):
        spec = self._input.element_spec
        for element in self._input._iterator():
            key = self._key_of(element)
            window = _ElementsDataset([element], spec)
            out = _as_dataset(self._reduce(convert_to_tensor(np.int64(key)), window), "group_by_window")
            return nest.map_structure(lambda s: TensorSpec([None] * len(s.shape.as_list()), s.dtype)
                                      if s.shape.rank is not None else s, out.element_spec)
        raise ValueError("Cannot tell the element_spec of group_by_window over an empty dataset in eagerflow.")

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        spec = self._input.element_spec

        def gen():
            groups = {}
            order = []
            for element in self._input._iterator():
                key = self._key_of(element)
                if key not in groups:
                    groups[key] = []
                    order.append(key)
                groups[key].append(element)
                size = int(self._size_of(convert_to_tensor(np.int64(key))))
                if len(groups[key]) >= size:
                    window = _ElementsDataset(groups.pop(key), spec)
                    order.remove(key)
                    yield from _as_dataset(self._reduce(convert_to_tensor(np.int64(key)), window),
                                           "group_by_window")._iterator()
            for key in order:
                window = _ElementsDataset(groups.pop(key), spec)
                yield from _as_dataset(self._reduce(convert_to_tensor(np.int64(key)), window),
                                       "group_by_window")._iterator()
        return _GenIt(gen(), "group_by_window")


class _IgnoreErrorsDataset(_UnaryDataset):
    _tf_name = "_IgnoreErrorsDataset"

    def __init__(self, input_dataset, log_warning):
        super().__init__(input_dataset)
        self._log = log_warning

    def _cardinality(self):
        return _INF if self._input._cardinality() == _INF else _UNKNOWN

    def _iterator(self):
        def gen():
            it = self._input._iterator()
            while True:
                try:
                    yield next(it)
                except StopIteration:
                    return
                except errors.OpError as e:
                    if self._log:
                        import logging
                        logging.getLogger("eagerflow.data").warning("Skipping an element: %s", e)
        return _GenIt(gen(), "ignore_errors")


class _TakeWhileDataset(_UnaryDataset):
    _tf_name = "_TakeWhileDataset"

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._predicate = predicate

    def _cardinality(self):
        return _UNKNOWN

    def _iterator(self):
        def gen():
            for element in self._input._iterator():
                if not _predicate_value(_st.call_with_element(self._predicate, element), "take_while"):
                    return
                yield element
        return _GenIt(gen(), "take_while")
