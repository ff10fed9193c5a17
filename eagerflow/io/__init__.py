"""`ef.io`: TFRecord files (`TFRecordWriter`, `tf_record_iterator`), byte for byte as TensorFlow's.

A TFRecord file is a sequence of records, each framed as
`uint64 length | uint32 masked crc32c(length) | data | uint32 masked crc32c(data)` (little
endian; the crc32c is the checkpoint module's, masked as TF masks it). GZIP and ZLIB
compression wrap the whole stream. A record whose checksum fails, or a truncated one, raises
`DataLossError`.

>>> import eagerflow as ef, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "x.tfrecord")
>>> with ef.io.TFRecordWriter(path) as w:
...     w.write(b"hello"); w.write(b"world")
>>> [r.numpy() for r in ef.data.TFRecordDataset(path)]
[b'hello', b'world']
"""

import os
import struct
import zlib

from eagerflow import errors

__all__ = ["TFRecordWriter", "TFRecordOptions", "TFRecordCompressionType", "tf_record_iterator", "read_records",
           "encode_record"]


def _crc():
    # the project's one crc32c (a compiled one where it is installed)
    from eagerflow.checkpoint.checksum import crc32c, mask_crc
    return crc32c, mask_crc


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {None: "", "": "", "NONE": "", "ZLIB": "ZLIB", "GZIP": "GZIP",
          TFRecordCompressionType.NONE: "", TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP"}


def _compression(value):
    if isinstance(value, TFRecordOptions):
        return value.compression_type
    if hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, bytes):
        value = value.decode()
    try:
        return _NAMES[value]
    except (KeyError, TypeError):
        raise errors.InvalidArgumentError(None, "TFRecordDataset", f"Unsupported compression_type: {value!r}; use "
                                          "'' (none), 'ZLIB' or 'GZIP'.") from None


class TFRecordOptions:
    """Options of a TFRecord file: `compression_type` '' (none), 'ZLIB' or 'GZIP'; `compression_level` 0-9.

    >>> ef.io.TFRecordOptions("GZIP").compression_type
    'GZIP'
    """

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None, output_buffer_size=None,
                 window_bits=None, compression_level=None, compression_method=None, mem_level=None,
                 compression_strategy=None):
        for name, value in (("flush_mode", flush_mode), ("input_buffer_size", input_buffer_size),
                            ("output_buffer_size", output_buffer_size), ("window_bits", window_bits),
                            ("compression_method", compression_method), ("mem_level", mem_level),
                            ("compression_strategy", compression_strategy)):
            if value is not None:
                raise NotImplementedError(f"TFRecordOptions({name}=...) is not supported by eagerflow; only "
                                          "compression_type and compression_level are.")
        self.compression_type = _compression(compression_type)
        if compression_level is not None and not 0 <= int(compression_level) <= 9:
            raise ValueError(f"compression_level must be in [0, 9], got {compression_level}.")
        self.compression_level = None if compression_level is None else int(compression_level)

    @classmethod
    def get_compression_type_string(cls, options):
        return "" if options is None else _compression(options)


def encode_record(data):
    """One record with TF's framing (length, masked crc of the length, data, masked crc of the data)."""
    crc32c, mask = _crc()
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", mask(crc32c(header))) + data + struct.pack("<I", mask(crc32c(data)))


class TFRecordWriter:
    """Writes records to a TFRecord file (`write(bytes)`, `flush()`, `close()`; a context manager).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
    >>> with ef.io.TFRecordWriter(path, "GZIP") as w:
    ...     w.write(b"x")
    >>> [r.numpy() for r in ef.data.TFRecordDataset(path, "GZIP")]
    [b'x']
    """

    def __init__(self, path, options=None):
        path = path.numpy().decode() if hasattr(path, "numpy") else os.fspath(path)
        options = options if isinstance(options, TFRecordOptions) else TFRecordOptions(options)
        self._path = path
        try:
            raw = open(path, "wb")
        except OSError as e:
            raise _os_error(e, path) from None
        level = -1 if options.compression_level is None else options.compression_level
        if options.compression_type:  # zlib's streams with TF's defaults: the same bytes as TF's writer
            self._file, self._raw = _ZlibWriter(raw, level, _WBITS[options.compression_type]), raw
        else:
            self._file, self._raw = raw, None

    def write(self, record):
        """Append one record (bytes, or a scalar string tensor)."""
        if self._file is None:
            raise errors.FailedPreconditionError(None, "TFRecordWriter", f"The TFRecordWriter of {self._path!r} is "
                                                 "closed; open a new one to write more.")
        if hasattr(record, "numpy"):
            record = record.numpy()
        if isinstance(record, str):
            record = record.encode()
        self._file.write(encode_record(bytes(record)))

    def flush(self):
        """Push what was written to the file (and, compressed, a full flush of the stream)."""
        if self._file is not None:
            self._file.flush()

    def close(self):
        """Finish the file."""
        if self._file is not None:
            self._file.close()
            if self._raw is not None:
                self._raw.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


_WBITS = {"ZLIB": 15, "GZIP": 31}  # zlib's header, or gzip's (no name, mtime 0)


class _ZlibWriter:
    def __init__(self, raw, level, wbits):
        self._raw = raw
        self._z = zlib.compressobj(level, zlib.DEFLATED, wbits)

    def write(self, data):
        self._raw.write(self._z.compress(data))

    def flush(self):
        self._raw.write(self._z.flush(zlib.Z_SYNC_FLUSH))
        self._raw.flush()

    def close(self):
        self._raw.write(self._z.flush())
        self._raw.flush()


def _os_error(e, path):
    if isinstance(e, FileNotFoundError):
        return errors.NotFoundError(None, None, f"{path}; No such file or directory")
    if isinstance(e, PermissionError):
        return errors.PermissionDeniedError(None, None, f"{path}; Permission denied")
    return errors.UnknownError(None, None, f"{path}; {e}")


class _ZlibReader:
    def __init__(self, raw, wbits):
        self._raw = raw
        self._z = zlib.decompressobj(wbits)
        self._buf = b""

    def read(self, n=-1):
        if n < 0:  # everything
            n = 1 << 62
        while len(self._buf) < n and not self._z.eof:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                break
            self._buf += self._z.decompress(chunk)
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def close(self):
        self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_for_reading(path, compression_type="", buffer_size=None):
    """A binary file object of `path` (read through a buffer of `buffer_size` bytes), decompressed per
    `compression_type`."""
    try:
        raw = open(path, "rb", buffering=int(buffer_size) if buffer_size else -1)
    except OSError as e:
        raise _os_error(e, path) from None
    kind = _compression(compression_type)
    if kind:
        return _ZlibReader(raw, _WBITS[kind])
    return raw


def read_records(path, compression_type="", skip=0, buffer_size=None):
    """The records of one TFRecord file, as bytes (after skipping `skip` of them); DataLossError on corruption."""
    crc32c, mask = _crc()
    f = open_for_reading(path, compression_type, buffer_size)
    offset = 0
    count = 0
    try:
        while True:
            try:
                header = f.read(12)
            except (OSError, EOFError, zlib.error) as e:
                raise errors.DataLossError(None, "TFRecordDataset", f"{path}: {e}") from None
            if len(header) < 12:  # the end (TF also ends quietly at a partial header)
                return
            (length,) = struct.unpack_from("<Q", header)
            (length_crc,) = struct.unpack_from("<I", header, 8)
            if mask(crc32c(header[:8])) != length_crc:
                raise errors.DataLossError(None, "TFRecordDataset", f"corrupted record at {offset} (in {path}): the "
                                           "checksum of the record length does not match. The file is damaged.")
            try:
                body = f.read(length + 4)
            except (OSError, EOFError, zlib.error) as e:
                raise errors.DataLossError(None, "TFRecordDataset", f"{path}: {e}") from None
            if len(body) < length + 4:
                raise errors.DataLossError(None, "TFRecordDataset", f"truncated record at {offset}' failed with "
                                           f"Read less bytes than requested (in {path})")
            data = body[:length]
            (data_crc,) = struct.unpack_from("<I", body, length)
            if mask(crc32c(data)) != data_crc:
                raise errors.DataLossError(None, "TFRecordDataset", f"corrupted record at {offset} (in {path}): the "
                                           "checksum of the record data does not match. The file is damaged.")
            offset += 12 + length + 4
            count += 1
            if count > skip:
                yield data
    finally:
        f.close()


def tf_record_iterator(path, options=None):
    """The records of a TFRecord file as bytes (TF's `tf.compat.v1.io.tf_record_iterator`).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "b.tfrecord")
    >>> with ef.io.TFRecordWriter(path) as w:
    ...     w.write(b"r")
    >>> list(ef.io.tf_record_iterator(path))
    [b'r']
    """
    return read_records(os.fspath(path), TFRecordOptions.get_compression_type_string(options))
