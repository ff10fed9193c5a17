"""Low-level encodings of TensorFlow's checkpoint files: crc32c and a small protobuf codec.

Only what the tensor-bundle format needs: varints, length-delimited fields, fixed32/64, and the
messages `BundleHeaderProto`, `BundleEntryProto`, `TensorShapeProto` and `TensorSliceProto`
(the object graph lives in `object_graph.py`). Everything here is plain Python + NumPy.

>>> from eagerflow.checkpoint._wire import crc32c, mask_crc, unmask_crc
>>> hex(crc32c(b"123456789"))
'0xe3069283'
>>> unmask_crc(mask_crc(0xE3069283)) == 0xE3069283
True
"""

import os
import struct

import numpy as np

from eagerflow import errors

__all__ = [
    "crc32c", "crc32c_numpy", "mask_crc", "unmask_crc",
    "put_varint", "get_varint", "encode_fields", "iter_fields", "ProtoError",
    "encode_shape", "decode_shape", "encode_header", "decode_header", "encode_entry", "decode_entry",
]

# --------------------------------------------------------------------------------------------
# crc32c (Castagnoli), reflected polynomial 0x82F63B78, as TF's `crc32c::Value` / `Extend`.
#
# The pure path is table driven and vectorised with NumPy. A CRC register is a linear function
# of the message over GF(2), so a buffer is cut into 16-byte rows, each row's contribution is a
# XOR of 8 lookups in position-dependent 16-bit tables (all rows at once), and the row values are
# folded pairwise with "advance by 2^k rows of zeros" tables.  A compiled `crc32c` /
# `google_crc32c` package is used instead when it happens to be importable (never required);
# EAGERFLOW_PURE_CRC32C=1 forces the NumPy path.
# --------------------------------------------------------------------------------------------

_POLY = 0x82F63B78
_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF


def _make_byte_table():
    t = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        t = np.where(t & 1, (t >> 1) ^ np.uint32(_POLY), t >> 1).astype(np.uint32)
    return t


_T8 = _make_byte_table()
_T8_LIST = [int(v) for v in _T8]


def _advance_zero_bytes(states, n):
    """Run `n` zero bytes through CRC registers `states` (a uint32 array), with no pre/post xor."""
    s = states.astype(np.uint32, copy=True)
    for _ in range(n):
        s = _T8[s & 0xFF] ^ (s >> 8)
    return s


class _Tables:
    """Lazily built lookup tables for the vectorised path (about 2.5 MB once built)."""

    ROW = 16           # bytes per leaf row
    WIDE_LEVELS = 3    # fold levels that use 16-bit tables (the large ones); the rest use 8-bit

    def __init__(self):
        self._leaf = None
        self._z8 = []      # z8[k]: (4, 256) tables advancing a register by ROW * 2**k zero bytes
        self._z16 = []     # z16[k]: (2, 65536) tables for the same shift

    @property
    def leaf(self):
        if self._leaf is None:
            v = np.arange(65536, dtype=np.uint32)
            s = _T8[v & 0xFF]
            s = _T8[(s ^ (v >> 8)) & 0xFF] ^ (s >> 8)
            cols = []
            for j in range(self.ROW // 2):
                cols.append(_advance_zero_bytes(s, self.ROW - 2 * j - 2))
            self._leaf = np.stack(cols)
        return self._leaf

    def z8(self, k):
        while len(self._z8) <= k:
            if not self._z8:
                basis = np.arange(256, dtype=np.uint32)[None, :] << (8 * np.arange(4, dtype=np.uint32))[:, None]
                self._z8.append(_advance_zero_bytes(basis, self.ROW))
            else:
                prev = self._z8[-1]
                self._z8.append(_apply8(prev, prev))
        return self._z8[k]

    def z16(self, k):
        while len(self._z16) <= k:
            a = self.z8(len(self._z16))
            v = np.arange(65536, dtype=np.uint32)
            lo = a[0][v & 0xFF] ^ a[1][v >> 8]
            hi = a[2][v & 0xFF] ^ a[3][v >> 8]
            self._z16.append(np.stack([lo, hi]))
        return self._z16[k]


def _apply8(tables, x):
    """Apply the linear map given by 4 byte tables to the uint32 array (or int) `x`."""
    if isinstance(x, int):
        return (int(tables[0][x & 0xFF]) ^ int(tables[1][(x >> 8) & 0xFF])
                ^ int(tables[2][(x >> 16) & 0xFF]) ^ int(tables[3][x >> 24]))
    return tables[0][x & 0xFF] ^ tables[1][(x >> 8) & 0xFF] ^ tables[2][(x >> 16) & 0xFF] ^ tables[3][x >> 24]


_TABLES = _Tables()
_SMALL = 512                # below this many bytes a Python loop is faster than NumPy
_PIECE = 1 << 20            # bytes per vectorised piece (temporaries stay in cache)


def _crc_small(state, data):
    t = _T8_LIST
    for b in data:
        state = t[(state ^ b) & 0xFF] ^ (state >> 8)
    return state


def _advance(state, nbytes):
    """Advance register `state` (int) over `nbytes` zero bytes in O(log n)."""
    rows, tail = divmod(nbytes, _Tables.ROW)
    k = 0
    while rows:
        if rows & 1:
            state = _apply8(_TABLES.z8(k), state)
        rows >>= 1
        k += 1
    return _crc_small(state, bytes(tail))


def _raw_piece(buf):
    """CRC register contribution of `buf` (uint8 array, length a multiple of 16) from state 0."""
    leaf = _TABLES.leaf
    cols = buf.view(np.uint16).reshape(-1, _Tables.ROW // 2)
    acc = np.take(leaf[0], cols[:, 0])
    tmp = np.empty_like(acc)
    for j in range(1, _Tables.ROW // 2):
        np.take(leaf[j], cols[:, j], out=tmp)
        acc ^= tmp
    level = 0
    while len(acc) > 1:
        if len(acc) & 1:       # a leading zero row changes nothing and makes the count even
            acc = np.concatenate([np.zeros(1, np.uint32), acc])
        if level < _Tables.WIDE_LEVELS:
            z = _TABLES.z16(level)
            halves = acc.view(np.uint16).reshape(-1, 4)
            folded = np.take(z[0], halves[:, 0])
            np.take(z[1], halves[:, 1], out=tmp[: len(folded)])
            folded ^= tmp[: len(folded)]
        else:
            z = _TABLES.z8(level)
            pairs = acc.view(np.uint8).reshape(-1, 8)
            folded = np.take(z[0], pairs[:, 0])
            for i in range(1, 4):
                folded ^= np.take(z[i], pairs[:, i])
        folded ^= acc[1::2]
        acc = folded
        level += 1
    return int(acc[0]) if len(acc) else 0


def crc32c_numpy(data, crc=0):
    """crc32c of `data` (bytes-like or contiguous array) continuing from `crc`, in NumPy only."""
    buf = _as_bytes_array(data)
    state = crc ^ _U32
    n = len(buf)
    if n < _SMALL:
        return _crc_small(state, buf.tobytes()) ^ _U32
    body = n - n % _Tables.ROW
    pos = 0
    while pos < body:
        end = min(pos + _PIECE, body)
        state = _advance(state, end - pos) ^ _raw_piece(buf[pos:end])
        pos = end
    state = _crc_small(state, buf[body:].tobytes())
    return state ^ _U32


def _as_bytes_array(data):
    if isinstance(data, np.ndarray):
        if not data.flags.c_contiguous:
            data = np.ascontiguousarray(data)
        return data.reshape(-1).view(np.uint8)
    return np.frombuffer(memoryview(data).cast("B"), dtype=np.uint8)


def _load_compiled():
    if os.environ.get("EAGERFLOW_PURE_CRC32C"):
        return None
    try:  # optional accelerators, never required
        import crc32c as _mod  # noqa: F401

        return lambda data, crc: _mod.crc32c(data, crc)
    except Exception:
        pass
    try:
        import google_crc32c as _gmod

        if getattr(_gmod, "implementation", "c") == "c":
            return lambda data, crc: _gmod.extend(crc, data)
    except Exception:
        pass
    return None


_COMPILED = _load_compiled()


def crc32c(data, crc=0):
    """The crc32c (Castagnoli) of `data`, continuing from a previous value `crc`.

    `data` is bytes, a bytearray, a memoryview or a contiguous NumPy array (its raw bytes).

    >>> hex(crc32c(b"123456789")), crc32c(b"6789", crc32c(b"12345")) == crc32c(b"123456789")
    ('0xe3069283', True)
    """
    if _COMPILED is not None:
        if isinstance(data, np.ndarray):
            data = _as_bytes_array(data)
        return _COMPILED(memoryview(data).cast("B"), crc)
    return crc32c_numpy(data, crc)


def mask_crc(crc):
    """TF's masked crc (stored CRCs are masked so that a CRC of CRCs stays strong)."""
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask_crc(masked):
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32


# --------------------------------------------------------------------------------------------
# protobuf wire format
# --------------------------------------------------------------------------------------------

VARINT, I64, LEN, I32 = 0, 1, 2, 5


class ProtoError(errors.DataLossError):
    """A protobuf message that cannot be parsed (truncated or corrupted)."""


def put_varint(out, value):
    """Append `value` as a varint to the bytearray `out` (negative ints as 64-bit two's complement)."""
    if value < 0:
        value += 1 << 64
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(buf, pos, end=None):
    """Decode a varint at `buf[pos]`; returns (value, new position)."""
    end = len(buf) if end is None else end
    result = shift = 0
    while True:
        if pos >= end:
            raise ProtoError("Truncated varint in a protobuf message or table block; the file is damaged. "
                             "Restore it from a good copy or re-save the checkpoint.")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ProtoError("Varint longer than 10 bytes in a protobuf message; the file is damaged.")


def _signed(v, bits=64):
    v &= (1 << 64) - 1
    if bits == 32:
        v &= _U32
        return v - (1 << 32) if v >> 31 else v
    return v - (1 << 64) if v >> 63 else v


def encode_fields(fields):
    """Encode [(field_number, wire_type, value), ...]; LEN values are bytes or str."""
    out = bytearray()
    for number, wire, value in fields:
        put_varint(out, (number << 3) | wire)
        if wire == VARINT:
            put_varint(out, int(value))
        elif wire == LEN:
            if isinstance(value, str):
                value = value.encode("utf-8")
            put_varint(out, len(value))
            out += value
        elif wire == I32:
            out += struct.pack("<I", value & _U32)
        elif wire == I64:
            out += struct.pack("<Q", value & ((1 << 64) - 1))
        else:
            raise ValueError(f"Unknown protobuf wire type {wire} for field {number}; use 0, 1, 2 or 5.")
    return bytes(out)


def iter_fields(buf, what="message"):
    """Yield (field_number, wire_type, value) of an encoded message; LEN values are memoryviews."""
    mv = memoryview(buf)
    pos, end = 0, len(mv)
    while pos < end:
        key, pos = get_varint(mv, pos, end)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, pos = get_varint(mv, pos, end)
        elif wire == LEN:
            n, pos = get_varint(mv, pos, end)
            if pos + n > end:
                raise ProtoError(f"Truncated field {number} in {what}: it claims {n} bytes, "
                                 f"{end - pos} remain. The file is damaged; restore it or re-save.")
            value = mv[pos:pos + n]
            pos += n
        elif wire == I32:
            if pos + 4 > end:
                raise ProtoError(f"Truncated fixed32 field {number} in {what}; the file is damaged.")
            value = struct.unpack_from("<I", mv, pos)[0]
            pos += 4
        elif wire == I64:
            if pos + 8 > end:
                raise ProtoError(f"Truncated fixed64 field {number} in {what}; the file is damaged.")
            value = struct.unpack_from("<Q", mv, pos)[0]
            pos += 8
        else:
            raise ProtoError(f"Unsupported protobuf wire type {wire} (field {number}) in {what}; "
                             "the file is damaged or not a TensorFlow checkpoint.")
        if number == 0:
            raise ProtoError(f"Field number 0 in {what}; the file is damaged.")
        yield number, wire, value


def _str(v):
    return bytes(v).decode("utf-8", errors="surrogateescape")


# TensorShapeProto: repeated Dim dim = 2 {int64 size = 1; string name = 2}; bool unknown_rank = 3.
def encode_shape(shape):
    """Encode a tuple of ints (None for an unknown dim -> -1) as a TensorShapeProto; None = unknown rank."""
    if shape is None:
        return encode_fields([(3, VARINT, 1)])
    fields = []
    for d in shape:
        size = -1 if d is None else int(d)
        fields.append((2, LEN, encode_fields([(1, VARINT, size)]) if size else b""))
    return encode_fields(fields)


def decode_shape(buf):
    dims, unknown_rank = [], False
    for number, wire, value in iter_fields(buf, "TensorShapeProto"):
        if number == 2 and wire == LEN:
            size = 0
            for n2, w2, v2 in iter_fields(value, "TensorShapeProto.Dim"):
                if n2 == 1 and w2 == VARINT:
                    size = _signed(v2)
            dims.append(None if size < 0 else size)
        elif number == 3 and wire == VARINT:
            unknown_rank = bool(value)
    return None if unknown_rank else tuple(dims)


# BundleHeaderProto: int32 num_shards = 1; Endianness endianness = 2 (LITTLE=0, BIG=1);
# VersionDef version = 3 {int32 producer = 1; int32 min_consumer = 2; repeated int32 bad_consumers = 3}.
def encode_header(num_shards=1, endianness=0, producer=1, min_consumer=0):
    version = []
    if producer:
        version.append((1, VARINT, producer))
    if min_consumer:
        version.append((2, VARINT, min_consumer))
    fields = []
    if num_shards:
        fields.append((1, VARINT, num_shards))
    if endianness:
        fields.append((2, VARINT, endianness))
    fields.append((3, LEN, encode_fields(version)))
    return encode_fields(fields)


def decode_header(buf):
    header = {"num_shards": 0, "endianness": 0, "producer": 0, "min_consumer": 0, "bad_consumers": []}
    for number, wire, value in iter_fields(buf, "BundleHeaderProto"):
        if number == 1 and wire == VARINT:
            header["num_shards"] = _signed(value, 32)
        elif number == 2 and wire == VARINT:
            header["endianness"] = value
        elif number == 3 and wire == LEN:
            for n2, w2, v2 in iter_fields(value, "VersionDef"):
                if n2 == 1 and w2 == VARINT:
                    header["producer"] = _signed(v2, 32)
                elif n2 == 2 and w2 == VARINT:
                    header["min_consumer"] = _signed(v2, 32)
                elif n2 == 3 and w2 == VARINT:
                    header["bad_consumers"].append(_signed(v2, 32))
                elif n2 == 3 and w2 == LEN:  # packed
                    p = 0
                    while p < len(v2):
                        x, p = get_varint(v2, p)
                        header["bad_consumers"].append(_signed(x, 32))
    return header


# BundleEntryProto: DataType dtype = 1; TensorShapeProto shape = 2; int32 shard_id = 3;
# int64 offset = 4; int64 size = 5; fixed32 crc32c = 6; repeated TensorSliceProto slices = 7.
# TensorSliceProto: repeated Extent extent = 1 {int64 start = 1; int64 length = 2 (absent: all)}.
def encode_entry(dtype_enum, shape, shard_id=0, offset=0, size=0, crc=0):
    fields = [(1, VARINT, dtype_enum), (2, LEN, encode_shape(shape))]
    if shard_id:
        fields.append((3, VARINT, shard_id))
    if offset:
        fields.append((4, VARINT, offset))
    if size:
        fields.append((5, VARINT, size))
    if crc:
        fields.append((6, I32, crc))
    return encode_fields(fields)


def decode_entry(buf):
    entry = {"dtype": 0, "shape": (), "shard_id": 0, "offset": 0, "size": 0, "crc32c": 0, "slices": []}
    for number, wire, value in iter_fields(buf, "BundleEntryProto"):
        if number == 1 and wire == VARINT:
            entry["dtype"] = value
        elif number == 2 and wire == LEN:
            entry["shape"] = decode_shape(value)
        elif number == 3 and wire == VARINT:
            entry["shard_id"] = _signed(value, 32)
        elif number == 4 and wire == VARINT:
            entry["offset"] = _signed(value)
        elif number == 5 and wire == VARINT:
            entry["size"] = _signed(value)
        elif number == 6 and wire == I32:
            entry["crc32c"] = value
        elif number == 7 and wire == LEN:
            extents = []
            for n2, w2, v2 in iter_fields(value, "TensorSliceProto"):
                if n2 == 1 and w2 == LEN:
                    start, length = 0, None
                    for n3, w3, v3 in iter_fields(v2, "TensorSliceProto.Extent"):
                        if n3 == 1 and w3 == VARINT:
                            start = _signed(v3)
                        elif n3 == 2 and w3 == VARINT:
                            length = _signed(v3)
                    extents.append((start, length))
            entry["slices"].append(extents)
    return entry
