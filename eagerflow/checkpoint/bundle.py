"""TensorFlow's tensor-bundle checkpoint format (`prefix.index` + `prefix.data-00000-of-00001`).

The index is a LevelDB table mapping each key to a `BundleEntryProto` (dtype, shape, shard,
offset, size, masked crc32c), with a `BundleHeaderProto` under the empty key. The data file holds
the raw little-endian bytes of each tensor; a string tensor is stored as the varint64 lengths of
its elements, a masked crc32c of those lengths (uint32), then the bytes of the elements.

>>> import numpy as np, tempfile, os
>>> from eagerflow.checkpoint.bundle import write_bundle, BundleReader
>>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
>>> write_bundle(prefix, {"w": np.arange(3, dtype=np.float32), "name": np.array(b"ef", dtype=object)})
>>> with BundleReader(prefix) as r:
...     r.keys(), r.read("w"), r.dtype_and_shape("w")
(['name', 'w'], array([0., 1., 2.], dtype=float32), (ef.float32, (3,)))
"""

import contextlib
import difflib
import glob
import os
import re
import shutil
import struct
import tempfile

import numpy as np

from eagerflow import dtypes, errors
from eagerflow.checkpoint._table import build_table, read_table
from eagerflow.checkpoint._wire import decode_entry, decode_header, encode_entry, encode_header, get_varint, put_varint
from eagerflow.checkpoint.checksum import crc32c, mask_crc, unmask_crc

__all__ = ["write_bundle", "read_bundle", "BundleReader", "resolve_prefix", "data_filename",
           "index_filename", "dtype_of_array", "delete_bundle", "bundle_exists", "remove_temporaries"]

_VERSION = 1            # kTensorBundleVersion: the producer version TF writes
_MIN_CONSUMER = 0
_DATA_RE = re.compile(r"\.data-(\d{5})-of-(\d{5})$")


def index_filename(prefix):
    return os.fspath(prefix) + ".index"


def data_filename(prefix, shard_id=0, num_shards=1):
    return f"{os.fspath(prefix)}.data-{shard_id:05d}-of-{num_shards:05d}"


def resolve_prefix(path):
    """The checkpoint prefix named by `path`: a prefix, its `.index` file, or one of its data files.

    Raises `NotFoundError` naming the path when no `.index` file matches it.
    """
    path = os.fspath(path)
    candidates = [path]
    if path.endswith(".index"):
        candidates.insert(0, path[: -len(".index")])
    m = _DATA_RE.search(path)
    if m:
        candidates.insert(0, path[: m.start()])
    for prefix in candidates:
        if bundle_exists(prefix):
            return prefix
    if os.path.isdir(path):   # DataLossError as TF's, whose reader opens the directory as a table file
        raise errors.DataLossError(
            f"Unable to open table file {path}: it is a directory, not a checkpoint. Pass a checkpoint prefix "
            "inside it (e.g. 'dir/ckpt-1'), or find the latest one with ef.train.latest_checkpoint(dir).")
    hint = ""
    parent = os.path.dirname(path) or "."
    if os.path.isdir(parent):
        near = sorted(f[:-len(".index")] for f in os.listdir(parent)
                      if f.endswith(".index") and not f.startswith("."))
        if near:
            hint = f" Checkpoints in '{parent}': {', '.join(near[:5])}{' ...' if len(near) > 5 else ''}."
    raise errors.NotFoundError(
        f"Failed to find a checkpoint at '{path}': no file '{index_filename(candidates[0])}'. "
        f"Pass a checkpoint prefix, its .index file or its data file.{hint}")


def dtype_of_array(array):
    """The eagerflow DType of a NumPy array (`bytes`/`str` object, 'S' and 'U' arrays are strings)."""
    dt = array.dtype
    if dt.kind in "OSU":
        return dtypes.string
    try:
        return dtypes.NP_TO_DTYPE[dt.newbyteorder("=") if dt.byteorder == ">" else dt]
    except KeyError:
        names = ", ".join(d.name for d in dtypes.ALL_DTYPES)
        raise errors.InvalidArgumentError(
            f"Cannot save an array of NumPy dtype {dt} in a checkpoint: TensorFlow checkpoints hold "
            f"{names}. Convert it first, e.g. array.astype(np.float32).") from None


def _string_elements(array):
    out = []
    for x in array.reshape(-1).tolist():
        if isinstance(x, str):
            x = x.encode("utf-8")
        elif isinstance(x, np.bytes_):
            x = bytes(x)
        elif not isinstance(x, (bytes, bytearray, memoryview)):
            raise errors.InvalidArgumentError(
                f"A string tensor holds {type(x).__name__} {x!r}; its elements must be bytes or str. "
                "Convert the elements, e.g. np.array([str(v).encode() for v in values], dtype=object).")
        out.append(bytes(x))
    return out


def _length_words(lengths):
    """The bytes TF checksums for string lengths: each as a little-endian uint32 (uint64 if >= 4 GiB)."""
    if all(n <= 0xFFFFFFFF for n in lengths):
        return np.asarray(lengths, dtype="<u4").tobytes()
    return b"".join(struct.pack("<I" if n <= 0xFFFFFFFF else "<Q", n) for n in lengths)


def _encode_strings(array):
    """TF's on-disk string tensor: varint64 lengths, a masked crc32c of the lengths, then the bytes.

    As in TF's tensor_bundle.cc, the lengths' checksum (and the entry's running checksum) covers
    each length as a uint32, not the varint bytes; returns (pieces to write, entry crc).
    """
    elems = _string_elements(array)
    varints = bytearray()
    for e in elems:
        put_varint(varints, len(e))
    crc = crc32c(_length_words([len(e) for e in elems]))
    length_crc = struct.pack("<I", mask_crc(crc))
    crc = crc32c(length_crc, crc)
    for e in elems:
        crc = crc32c(e, crc)
    return [bytes(varints), length_crc] + elems, crc


def make_directory(directory, prefix):
    """Create `directory` and its parents, as TF does for a checkpoint prefix in a new directory."""
    if not directory:
        return
    try:
        os.makedirs(directory, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise errors.FailedPreconditionError(
            None, None, f"Cannot write checkpoint '{prefix}': '{directory}' cannot be a directory, a file is in the "
            "way. Pick another path or move the file.") from None
    except PermissionError as e:
        raise errors.PermissionDeniedError(
            None, None, f"Cannot create the directory '{directory}' for checkpoint '{prefix}': {e.strerror}. "
            "Pick a writable path.") from None


def _fsync_dir(directory):
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_replace(final):
    """Yield a temporary path beside `final`; when the block succeeds, fsync it, rename it over
    `final` and fsync the directory, so readers see the old file or the whole new one; when the
    block fails, remove it."""
    directory, base = os.path.split(os.fspath(final))
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=directory or ".")
    os.close(fd)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, final)
        tmp = None
        _fsync_dir(directory)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _tempfile(final):
    d, base = os.path.split(final)
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=".tmp", dir=d or ".")
    return os.fdopen(fd, "wb", buffering=0), tmp


# Replacing an existing checkpoint is two renames (data file, then index), which no file system does
# atomically together. So the old pair is first linked (or copied) to hidden "previous" names; after
# both renames the previous pair goes, index first. A previous index that has the same bytes as the
# index in place means the replacement stopped before its new index arrived: the previous pair is
# then the complete checkpoint, and readers and the next writer use it. A previous index always has its
# data file beside it (linked before it, removed after it). So a kill at any point leaves a prefix that
# restores the old values or the new ones.
def _previous(prefix):
    directory, base = os.path.split(os.fspath(prefix))
    return os.path.join(directory, f".{base}.previous")


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _interrupted(prefix):
    """True when a replacement of `prefix` stopped before its new index was in place (see above)."""
    previous = _read_file(index_filename(_previous(prefix)))
    if previous is None:
        return False
    current = _read_file(index_filename(prefix))
    return current is None or current == previous


def _settle(prefix):
    """Finish what a killed replacement of `prefix` left: the complete pair ends up under its own names."""
    prev = _previous(prefix)
    if _interrupted(prefix):
        if os.path.exists(data_filename(prev)):
            os.replace(data_filename(prev), data_filename(prefix))
        if not os.path.exists(index_filename(prefix)):
            os.replace(index_filename(prev), index_filename(prefix))
    _unlink(index_filename(prev))
    _unlink(data_filename(prev))


def _link_or_copy(src, dst, sync):
    _unlink(dst)
    try:
        os.link(src, dst)
        return
    except OSError:   # no hard links on this file system: copy under a temporary name, then rename
        pass
    f, tmp = _tempfile(dst)
    try:
        with f, open(src, "rb") as source:
            shutil.copyfileobj(source, f, 1 << 20)
            if sync:
                os.fsync(f.fileno())
        os.replace(tmp, dst)
        tmp = None
    finally:
        if tmp is not None:
            _unlink(tmp)


def remove_temporaries(prefix, numbered=False):
    """Delete the temporary files a killed write of `prefix` (or of `prefix-N` for any N) left behind.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); open(os.path.join(d, ".ck-3.index.x1y2.tmp"), "w").close()
    >>> remove_temporaries(os.path.join(d, "ck"), numbered=True); os.listdir(d)
    []
    """
    directory, base = os.path.split(os.fspath(prefix))
    stem = glob.escape(base) + ("-[0-9]*" if numbered else "")
    for pattern in (".index.*.tmp", ".data-?????-of-?????.*.tmp", ".previous.*.tmp"):
        for path in glob.glob(os.path.join(glob.escape(directory), f".{stem}{pattern}")):
            _unlink(path)


def delete_bundle(prefix):
    """Delete the checkpoint at `prefix`: its index first (it is gone for readers), then its data files."""
    prefix = os.fspath(prefix)
    _unlink(index_filename(prefix))
    for path in glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        _unlink(path)
    _unlink(index_filename(_previous(prefix)))
    _unlink(data_filename(_previous(prefix)))
    remove_temporaries(prefix)


def bundle_exists(prefix):
    """Whether a complete checkpoint is at `prefix` (also one a killed replacement left under its previous names)."""
    return os.path.isfile(index_filename(prefix)) or os.path.isfile(index_filename(_previous(prefix)))


def _replace_pair(prefix, data_tmp, index_tmp, sync):
    """Rename the new data and index files into place, keeping the old pair until the new index is in."""
    directory = os.path.dirname(prefix)
    data_path, index_path = data_filename(prefix), index_filename(prefix)
    prev = _previous(prefix)
    replacing = os.path.isfile(index_path)
    if replacing:
        if os.path.exists(data_path):
            _link_or_copy(data_path, data_filename(prev), sync)
        _link_or_copy(index_path, index_filename(prev), sync)
        if sync:
            _fsync_dir(directory)
    os.replace(data_tmp, data_path)
    os.replace(index_tmp, index_path)
    if sync:
        _fsync_dir(directory)
    if replacing:
        _unlink(index_filename(prev))
        _unlink(data_filename(prev))


def write_bundle(prefix, tensors, *, sync=True):
    """Write `tensors` (a dict of key -> NumPy array) as a TensorFlow checkpoint at `prefix`.

    Files are written under temporary names in the same directory, flushed, fsynced (unless
    `sync=False`) and renamed: the data file first, then the index; an existing checkpoint at
    `prefix` stays restorable until the new one is complete, whenever the process dies. Values go
    into the data file in the dict's order (as TF's writer, which puts the object graph last), the
    index is sorted; the empty key is reserved for the header. Strings are object arrays of
    `bytes`/`str` (or 'S'/'U' arrays); bfloat16 is `ml_dtypes.bfloat16`. A missing directory is created.

    >>> import numpy as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> write_bundle(p, {"x": np.zeros((2, 2), np.int8)})
    >>> sorted(os.listdir(os.path.dirname(p)))
    ['ckpt.data-00000-of-00001', 'ckpt.index']
    """
    prefix = os.fspath(prefix)
    make_directory(os.path.dirname(prefix), prefix)
    entries = []
    prepared = []
    for key in tensors:
        if key in ("", b""):
            raise errors.InvalidArgumentError(
                "Cannot save a tensor under the empty key: it is reserved for the checkpoint header. "
                "Give the tensor a name.")
        arr = np.asarray(tensors[key])
        dtype = dtype_of_array(arr)
        prepared.append((key, arr, dtype))

    _settle(prefix)
    remove_temporaries(prefix)
    data_tmp = index_tmp = None
    try:
        f, data_tmp = _tempfile(data_filename(prefix))
        with f:
            offset = 0
            for key, arr, dtype in prepared:
                if dtype is dtypes.string:
                    pieces, crc = _encode_strings(arr)
                else:
                    if arr.dtype.byteorder == ">":
                        arr = arr.astype(arr.dtype.newbyteorder("<"))
                    pieces = [np.ascontiguousarray(arr).reshape(-1).view(np.uint8)]
                    crc = crc32c(pieces[0])
                size = 0
                for piece in pieces:
                    f.write(piece)
                    size += len(piece)
                entries.append((key, dtype, arr.shape, offset, size, mask_crc(crc)))
                offset += size
            if sync:
                os.fsync(f.fileno())
        items = [(b"", encode_header(1, 0, _VERSION, _MIN_CONSUMER))]
        for key, dtype, shape, off, size, crc in entries:
            k = key.encode("utf-8") if isinstance(key, str) else bytes(key)
            items.append((k, encode_entry(dtype.as_datatype_enum, shape, 0, off, size, crc)))
        items.sort(key=lambda kv: kv[0])
        table = build_table(items)
        f, index_tmp = _tempfile(index_filename(prefix))
        with f:
            f.write(table)
            if sync:
                os.fsync(f.fileno())
        _replace_pair(prefix, data_tmp, index_tmp, sync)
        data_tmp = index_tmp = None
    finally:
        for tmp in (data_tmp, index_tmp):
            if tmp is not None and os.path.exists(tmp):
                _unlink(tmp)


class BundleReader:
    """Reads a TensorFlow checkpoint: keys, dtypes, shapes and values, every checksum verified.

    `path` is a checkpoint prefix, its `.index` file or its data file. Missing files give
    `NotFoundError`, damaged ones `DataLossError`.

    >>> import numpy as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> write_bundle(p, {"a/b": np.ones(2, np.int32)})
    >>> r = BundleReader(p + ".index"); r.keys(), r.read("a/b"); r.close()
    (['a/b'], array([1, 1], dtype=int32))
    """

    def __init__(self, path):
        self.prefix = resolve_prefix(path)
        self._files = {}
        index_path, raw, self._data_prefix = self._committed_pair()
        self._entries = {}
        header = None
        for key, value in read_table(raw, index_path):
            if key == b"":
                header = decode_header(value)
            else:
                self._entries[key.decode("utf-8", errors="surrogateescape")] = value
        if header is None:
            raise errors.DataLossError(
                f"Checkpoint index '{index_path}' has no header entry (empty key); it is not a complete "
                "TensorFlow tensor bundle. Restore it from a good copy or re-save the checkpoint.")
        if header["endianness"] != 0:
            raise errors.UnimplementedError(
                f"Checkpoint '{self.prefix}' was written on a big-endian machine; only little-endian "
                "checkpoints can be read. Convert it with TensorFlow on a big-endian host.")
        if header["min_consumer"] > _VERSION or _VERSION in header["bad_consumers"]:
            raise errors.InvalidArgumentError(
                f"Checkpoint '{self.prefix}' needs a reader of version >= {header['min_consumer']} "
                f"(bad: {header['bad_consumers']}); this reader is version {_VERSION}. "
                "Re-save it with an older TensorFlow or a newer eagerflow.")
        self.header = header
        self.num_shards = max(1, header["num_shards"])
        self._decoded = {}
        if self.num_shards > 1 << 16:
            raise errors.DataLossError(f"Checkpoint index '{index_path}' claims {self.num_shards} data files; the "
                                       "index is damaged. Restore it from a good copy or re-save the checkpoint.")
        for shard in range(self.num_shards):   # now, with the index: a later replacement cannot mix them
            self._open_data(shard)

    def _committed_pair(self):
        """(index path, its bytes, prefix of its data files): the complete pair of a killed replacement too."""
        for _ in range(3):   # a writer may finish a replacement while we look: look again
            index_path, data_prefix = index_filename(self.prefix), self.prefix
            if _interrupted(self.prefix):
                index_path = data_prefix = _previous(self.prefix)
                index_path = index_filename(data_prefix)
            raw = _read_file(index_path)
            if raw is not None:
                return index_path, raw, data_prefix
        raise errors.NotFoundError(f"Checkpoint index '{index_filename(self.prefix)}' disappeared while opening it; "
                                   "check that no other process is deleting checkpoints.")

    # --- metadata ---------------------------------------------------------------------------
    def keys(self):
        """All tensor keys, sorted (bytewise, as stored)."""
        return list(self._entries)

    def __contains__(self, key):
        return key in self._entries

    def __iter__(self):
        return iter(self._entries)

    def __len__(self):
        return len(self._entries)

    def entry(self, key):
        """The decoded `BundleEntryProto` of `key` (a dict)."""
        e = self._decoded.get(key)
        if e is None:
            if key not in self._entries:
                close = [k for k in self._entries if k.lower() == str(key).lower()]
                close += difflib.get_close_matches(str(key), [k for k in self._entries if k not in close], n=3)
                hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                raise errors.NotFoundError(
                    f"Key '{key}' not found in checkpoint '{self.prefix}' ({len(self._entries)} keys)."
                    f"{hint} List the keys with .keys().")
            e = decode_entry(self._entries[key])
            self._decoded[key] = e
        return e

    def dtype_and_shape(self, key):
        """(DType, shape tuple) of `key`."""
        e = self.entry(key)
        return self._dtype(key, e), e["shape"]

    def _dtype(self, key, e):
        try:
            return dtypes.as_dtype(e["dtype"])
        except (TypeError, KeyError, ValueError):
            raise errors.UnimplementedError(
                f"Tensor '{key}' in checkpoint '{self.prefix}' has TensorFlow DataType {e['dtype']}, "
                "which eagerflow does not support; read it with TensorFlow.") from None

    # --- data ------------------------------------------------------------------------------
    def _open_data(self, shard):
        path = data_filename(self._data_prefix, shard, self.num_shards)
        if self._data_prefix != self.prefix and not os.path.exists(path):
            path = data_filename(self.prefix, shard, self.num_shards)   # shards a replacement does not write
        try:
            self._files[shard] = open(path, "rb", buffering=0)
        except FileNotFoundError:
            self._files[shard] = None

    def _file(self, shard):
        f = self._files.get(shard)
        if f is None:
            path = data_filename(self.prefix, shard, self.num_shards)
            raise errors.NotFoundError(
                f"Checkpoint data file '{path}' is missing (its index '{index_filename(self.prefix)}' "
                "exists). Copy the data file next to the index, or re-save the checkpoint.")
        return f

    def _read_bytes(self, key, e, count):
        if e["shard_id"] >= self.num_shards or e["shard_id"] < 0:
            raise errors.DataLossError(
                f"Tensor '{key}' in checkpoint '{self.prefix}' names shard {e['shard_id']} of "
                f"{self.num_shards}; the index is damaged. Restore it from a good copy.")
        f = self._file(e["shard_id"])
        size = e["size"]
        buf = np.empty(size, np.uint8)
        f.seek(e["offset"])
        got = f.readinto(memoryview(buf)) if size else 0
        while got is not None and 0 < got < size:
            more = f.readinto(memoryview(buf)[got:])
            if not more:
                break
            got += more
        if got != size:
            raise errors.DataLossError(
                f"Checkpoint data file '{f.name}' is truncated: tensor '{key}' needs bytes "
                f"[{e['offset']}, {e['offset'] + size}), the file has {os.fstat(f.fileno()).st_size}. "
                "Restore the file from a good copy or re-save the checkpoint.")
        actual = self._string_crc(key, buf, count) if e["dtype"] == dtypes.string.as_datatype_enum else crc32c(buf)
        if actual != unmask_crc(e["crc32c"]):
            raise errors.DataLossError(
                f"Checksum mismatch for tensor '{key}' in checkpoint data file '{f.name}': computed "
                f"{actual:#010x}, the index says {unmask_crc(e['crc32c']):#010x}. The file is corrupted; "
                "restore it from a good copy or re-save the checkpoint.")
        return buf

    def _string_crc(self, key, buf, count):
        lengths, pos = self._string_lengths(key, buf, count)
        crc = crc32c(_length_words(lengths))
        return crc32c(memoryview(buf)[pos:], crc)

    def _string_lengths(self, key, buf, count):
        mv = memoryview(buf)
        pos, lengths = 0, []
        try:
            for _ in range(count):
                n, pos = get_varint(mv, pos)
                lengths.append(n)
        except errors.DataLossError:
            raise errors.DataLossError(f"String tensor '{key}' in checkpoint '{self.prefix}' has damaged "
                                       "lengths; restore the file or re-save.") from None
        return lengths, pos

    def read(self, key):
        """The value of `key` as a NumPy array (strings: an object array of `bytes`)."""
        e = self.entry(key)
        if e["slices"]:
            raise errors.UnimplementedError(
                f"Tensor '{key}' in checkpoint '{self.prefix}' is saved as partitioned slices; "
                "eagerflow reads whole tensors only. Re-save it unpartitioned with TensorFlow.")
        dtype = self._dtype(key, e)
        shape = e["shape"]
        if shape is None or any(d is None for d in shape):
            raise errors.DataLossError(f"Tensor '{key}' in checkpoint '{self.prefix}' has an unknown shape "
                                       f"{shape}; the index is damaged.")
        count = int(np.prod(shape, dtype=np.int64))
        buf = self._read_bytes(key, e, count)
        if dtype is dtypes.string:
            return self._decode_strings(key, buf, count).reshape(shape)
        np_dtype = np.dtype(dtype.as_numpy_dtype)
        if buf.size != count * np_dtype.itemsize:
            raise errors.DataLossError(
                f"Tensor '{key}' in checkpoint '{self.prefix}' has {buf.size} bytes, but {dtype.name} "
                f"{tuple(shape)} needs {count * np_dtype.itemsize}; the index is damaged.")
        return buf.view(np_dtype).reshape(shape)

    def _decode_strings(self, key, buf, count):
        mv = memoryview(buf)
        lengths, pos = self._string_lengths(key, buf, count)
        if pos + 4 > len(mv):
            raise errors.DataLossError(f"String tensor '{key}' in checkpoint '{self.prefix}' is truncated.")
        stored = struct.unpack_from("<I", mv, pos)[0]
        if unmask_crc(stored) != crc32c(_length_words(lengths)):
            raise errors.DataLossError(f"Checksum mismatch in the lengths of string tensor '{key}' in "
                                       f"checkpoint '{self.prefix}'; restore the file or re-save.")
        pos += 4
        out = np.empty(count, dtype=object)
        raw = buf.tobytes()
        for i, n in enumerate(lengths):
            out[i] = raw[pos:pos + n]
            pos += n
        if pos != len(raw):
            raise errors.DataLossError(f"String tensor '{key}' in checkpoint '{self.prefix}': lengths add "
                                       f"up to {pos} bytes, the entry holds {len(raw)}.")
        return out

    def read_all(self):
        """A dict of every key -> value."""
        return {k: self.read(k) for k in self._entries}

    def close(self):
        for f in self._files.values():
            if f is not None:
                f.close()
        self._files.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def read_bundle(path):
    """Every tensor of the checkpoint at `path` (prefix, .index or data file) as a dict of arrays.

    >>> import numpy as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> write_bundle(p, {"v": np.float64(2.5)})
    >>> read_bundle(p)
    {'v': array(2.5)}
    """
    with BundleReader(path) as r:
        return r.read_all()
