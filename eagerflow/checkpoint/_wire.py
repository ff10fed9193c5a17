"""Low-level encodings of TensorFlow's checkpoint files: a small protobuf codec.

Only what the tensor-bundle format needs: varints, length-delimited fields, fixed32/64, and the
messages `BundleHeaderProto`, `BundleEntryProto`, `TensorShapeProto` and `TensorSliceProto`
(the object graph lives in `object_graph.py`, checksums in `checksum.py`). Plain Python.

>>> from eagerflow.checkpoint._wire import encode_fields, iter_fields, VARINT
>>> [(n, w, v) for n, w, v in iter_fields(encode_fields([(1, VARINT, 300)]))]
[(1, 0, 300)]
"""

import struct

from eagerflow import errors

__all__ = [
    "put_varint", "get_varint", "encode_fields", "iter_fields", "ProtoError",
    "encode_shape", "decode_shape", "encode_header", "decode_header", "encode_entry", "decode_entry",
]

# --------------------------------------------------------------------------------------------
# protobuf wire format
# --------------------------------------------------------------------------------------------

VARINT, I64, LEN, I32 = 0, 1, 2, 5
_U32 = 0xFFFFFFFF


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
