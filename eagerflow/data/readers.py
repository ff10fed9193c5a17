"""Datasets read from files: `TFRecordDataset`, `TextLineDataset`, `FixedLengthRecordDataset`, and the
file behind `Dataset.cache(filename)`.

Each yields scalar string tensors, one file after the other (interleaved with
`num_parallel_reads`), and saves its position (file and record) in a checkpoint.

>>> import eagerflow as ef, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "t.txt")
>>> _ = open(path, "w").write("a\\nbb\\n")
>>> [l.numpy() for l in ef.data.TextLineDataset(path)]
[b'a', b'bb']
"""

import os

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.data import _state
from eagerflow.data.dataset import _UNKNOWN, Dataset, _It, _ListIt, _strings, _structure_code, _unflatten
from eagerflow.framework import nest
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.framework.tensor_spec import TensorSpec

__all__ = ["TFRecordDataset", "TextLineDataset", "FixedLengthRecordDataset", "file_cache_iterator"]


def _filenames(filenames, what):
    if isinstance(filenames, Dataset):
        spec = filenames.element_spec
        if not (isinstance(spec, TensorSpec) and spec.dtype is _dtypes.string and spec.shape.rank == 0):
            raise TypeError(f"`filenames` must be a `tf.data.Dataset` of scalar `tf.string` elements, got {spec!r}.")
        return filenames
    names = _strings(filenames)
    return Dataset.from_tensor_slices(np.array([n.encode() for n in names], dtype=object).reshape(-1))


def _string(b):
    value = np.empty((), dtype=object)
    value[()] = b
    return convert_to_tensor(value)


class _FileRecordsDataset(Dataset):
    """Records of files (subclasses say how a file splits into records)."""

    def __init__(self, filenames, compression_type=None, num_parallel_reads=None, buffer_size=None):
        from eagerflow.io import _compression
        self._files = _filenames(filenames, type(self).__name__)
        self._inputs = (self._files,)
        self._compression = _compression(compression_type)
        if buffer_size is not None and int(buffer_size) < 0:
            raise errors.InvalidArgumentError(None, type(self).__name__, f"buffer_size must be >= 0 (0: the default), "
                                              f"got {buffer_size}.")
        self._buffer = None if not buffer_size else int(buffer_size)  # the files' read buffer, in bytes
        self._parallel = None if num_parallel_reads is None else int(num_parallel_reads)

    def _element_spec(self):
        return TensorSpec([], _dtypes.string)

    def _cardinality(self):
        return _UNKNOWN

    def _records(self, path, skip):
        raise NotImplementedError

    def _iterator(self):
        if self._parallel and self._parallel > 1:
            one = type(self).__new__(type(self))
            one.__dict__.update(self.__dict__)
            one._parallel = None
            return self._files.interleave(
                lambda f: _single_file(one, f), cycle_length=self._parallel, block_length=1)._iterator()
        return _FilesIt(self)


def _single_file(template, filename):
    ds = type(template).__new__(type(template))
    ds.__dict__.update(template.__dict__)
    ds.__dict__.pop("_spec", None)
    ds._files = Dataset.from_tensors(filename)
    ds._inputs = (ds._files,)
    return ds


class _FilesIt(_It):
    def __init__(self, ds):
        self._ds = ds
        self.what = ds._tf_name
        self._names = ds._files._iterator()
        self._records = None
        self._count = 0     # records taken from the current file

    def _open(self, skip=0):
        name = next(self._names).numpy()
        self._path = name.decode() if isinstance(name, bytes) else str(name)
        self._records = self._ds._records(self._path, skip)
        self._count = skip

    def __next__(self):
        while True:
            if self._records is None:
                self._open()
            try:
                record = next(self._records)
            except StopIteration:
                self._records = None
                continue
            self._count += 1
            return _string(record)

    def save(self):
        return {"names": self._names.save(), "open": self._records is not None, "count": self._count}

    def restore(self, state):
        if state["open"]:
            # the names iterator was saved after handing out the open file: step back one name
            names_state = state["names"]
            self._names.restore(_back_one(names_state))
            self._open(int(state["count"]))
        self._names.restore(state["names"])


def _back_one(state):
    if "pos" in state:
        return {**state, "pos": int(state["pos"]) - 1}
    if "done" in state:
        return {**state, "done": False}
    raise ValueError("cannot restore a file reader whose list of files is not from_tensor_slices or from_tensors")


class TFRecordDataset(_FileRecordsDataset):
    """The records of TFRecord files (`compression_type` '', 'ZLIB' or 'GZIP'), as scalar strings.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "c.tfrecord")
    >>> with ef.io.TFRecordWriter(path) as w:
    ...     w.write(b"a")
    >>> ef.data.TFRecordDataset([path]).element_spec
    TensorSpec(shape=(), dtype=ef.string, name=None)
    """

    _tf_name = "TFRecordDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        super().__init__(filenames, compression_type, num_parallel_reads, buffer_size)

    def _records(self, path, skip):
        from eagerflow.io import read_records
        return read_records(path, self._compression, skip, self._buffer)


class TextLineDataset(_FileRecordsDataset):
    """The lines of text files as scalar strings: split at '\\n', without the '\\r's (as TF reads them)."""

    _tf_name = "TextLineDatasetV2"

    def __init__(self, filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
        super().__init__(filenames, compression_type, num_parallel_reads, buffer_size)

    def _records(self, path, skip):
        from eagerflow.io import open_for_reading
        with open_for_reading(path, self._compression, self._buffer) as f:
            lines = iter(f) if hasattr(f, "readline") else _lines_of(f.read())
            for i, line in enumerate(lines):
                if i < skip:
                    continue
                if line.endswith(b"\n"):
                    line = line[:-1]
                yield line.replace(b"\r", b"") if b"\r" in line else line  # TF drops every '\r' of a line


def _lines_of(data):
    """The lines of `data`, each with its b'\\n' (only '\\n' ends a line: a lone '\\r' does not)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


class FixedLengthRecordDataset(_FileRecordsDataset):
    """Records of `record_bytes` bytes each, after `header_bytes` and before `footer_bytes`, of each file."""

    _tf_name = "FixedLengthRecordDatasetV2"

    def __init__(self, filenames, record_bytes, header_bytes=None, footer_bytes=None, buffer_size=None,
                 compression_type=None, num_parallel_reads=None, name=None):
        super().__init__(filenames, compression_type, num_parallel_reads, buffer_size)
        self._record = int(record_bytes)
        if self._record <= 0:
            raise errors.InvalidArgumentError(None, "FixedLengthRecordDataset", f"record_bytes must be greater than "
                                              f"zero, got {self._record}.")
        self._header = int(header_bytes or 0)
        self._footer = int(footer_bytes or 0)

    def _records(self, path, skip):
        from eagerflow.io import open_for_reading
        with open_for_reading(path, self._compression, self._buffer) as f:
            data = f.read()
        body = data[self._header: len(data) - self._footer]
        if len(body) % self._record:
            raise errors.DataLossError(None, "FixedLengthRecordDataset", f"Excluding the header ({self._header} "
                                       f"bytes) and footer ({self._footer} bytes), input file \"{path}\" has body "
                                       f"length {len(body)} bytes, which is not an exact multiple of the record "
                                       f"length ({self._record} bytes).")
        for i in range(skip, len(body) // self._record):
            yield body[i * self._record: (i + 1) * self._record]


# --------------------------------------------------------------------------------------------- cache(filename)

def file_cache_iterator(ds):
    """The iterator of `ds.cache(filename)`: replay the file when a complete one exists, else fill it.

    The file (TFRecord framing, one encoded element per record) is written under a temporary name
    and renamed only when the iteration completes, so a partial pass never leaves a cache behind.
    """
    path = ds._filename + ".efcache"
    if os.path.exists(path):
        from eagerflow.io import read_records
        return _ListIt([_decode_element(r) for r in read_records(path)])
    return _FileCacheFillIt(ds, path)


def _encode_element(element):
    return _state.encode({"flat": nest.flatten(element), "structure": _structure_code(element)})


def _decode_element(record):
    s = _state.decode(record)
    return _unflatten(s["structure"], s["flat"])


class _FileCacheFillIt(_It):
    what = "cache"

    def __init__(self, ds, path):
        from eagerflow.io import TFRecordWriter
        self._in = ds._input._iterator()
        self._path = path
        self._tmp = f"{path}.tmp-{os.getpid()}-{id(self):x}"
        if os.path.exists(self._path + ".lock"):
            raise errors.AlreadyExistsError(None, "CacheDataset", f"There appears to be a concurrent caching "
                                            f"iterator running - cache lockfile already exists ('{path}.lock').")
        self._writer = TFRecordWriter(self._tmp)

    def __next__(self):
        try:
            element = next(self._in)
        except StopIteration:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
                os.replace(self._tmp, self._path)
            raise
        self._writer.write(_encode_element(element))
        return element

    def __del__(self):
        if getattr(self, "_writer", None) is not None:
            self._writer.close()
            try:
                os.remove(self._tmp)
            except OSError:
                pass
