"""LevelDB-format sorted tables ("SSTables"), as TensorFlow's `tensorflow/core/lib/io/table*`.

A table file is: data blocks, a metaindex block (empty), an index block, and a 48-byte footer.
Each block holds entries ``varint shared | varint unshared | varint value_len | key suffix | value``
with a full key every `restart_interval` entries, then the restart offsets (uint32 each) and their
count; it is followed by a 5-byte trailer: compression type (0, none) and the masked crc32c of
block + type. The footer holds the metaindex and index block handles (varint offset, varint size)
padded to 40 bytes, then the magic number 0xdb4775248b80fb57.

>>> from eagerflow.checkpoint._table import build_table, read_table
>>> read_table(build_table([(b"a", b"1"), (b"b", b"2")]))
[(b'a', b'1'), (b'b', b'2')]
"""

import struct

from eagerflow import errors
from eagerflow.checkpoint._wire import get_varint, put_varint
from eagerflow.checkpoint.checksum import crc32c, mask_crc, unmask_crc

__all__ = ["build_table", "read_table", "TABLE_MAGIC", "FOOTER_SIZE"]

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
_HANDLE_PAD = 40
_TRAILER = 5
_NO_COMPRESSION = 0


class _BlockBuilder:
    def __init__(self, restart_interval):
        self.interval = restart_interval
        self.buf = bytearray()
        self.restarts = [0]
        self.count = 0          # entries since the last restart
        self.last_key = b""
        self.empty = True

    def add(self, key, value):
        shared = 0
        if self.count < self.interval:
            limit = min(len(key), len(self.last_key))
            while shared < limit and key[shared] == self.last_key[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buf))
            self.count = 0
        put_varint(self.buf, shared)
        put_varint(self.buf, len(key) - shared)
        put_varint(self.buf, len(value))
        self.buf += key[shared:]
        self.buf += value
        self.last_key = key
        self.count += 1
        self.empty = False

    def size_estimate(self):
        return len(self.buf) + 4 * len(self.restarts) + 4

    def finish(self):
        out = self.buf + struct.pack(f"<{len(self.restarts)}I", *self.restarts)
        out += struct.pack("<I", len(self.restarts))
        return bytes(out)


def _encode_handle(offset, size):
    out = bytearray()
    put_varint(out, offset)
    put_varint(out, size)
    return bytes(out)


def _short_successor(key):
    """A short key >= `key` (LevelDB's FindShortSuccessor), used for the last block's index entry."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


def _short_separator(start, limit):
    """A short key in [start, limit) (LevelDB's FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def build_table(items, block_size=262144, restart_interval=16):
    """Return the bytes of a table holding `items`, an iterable of (key, value) bytes pairs.

    Keys must be strictly increasing (bytewise), as LevelDB requires.
    """
    out = bytearray()

    def emit(block):
        offset = len(out)
        out.extend(block)
        out.append(_NO_COMPRESSION)
        out.extend(struct.pack("<I", mask_crc(crc32c(bytes([_NO_COMPRESSION]), crc32c(block)))))
        return _encode_handle(offset, len(block))

    index = _BlockBuilder(1)
    block = _BlockBuilder(restart_interval)
    prev = pending = None
    for key, value in items:
        key, value = bytes(key), bytes(value)
        if prev is not None and key <= prev:
            raise errors.InvalidArgumentError(
                f"Table keys must be added in strictly increasing order: {key!r} comes after {prev!r}. "
                "Sort the keys (bytewise) and drop duplicates before building the table.")
        if pending is not None:
            index.add(_short_separator(pending[0], key), pending[1])
            pending = None
        block.add(key, value)
        prev = key
        if block.size_estimate() >= block_size:
            pending = (block.last_key, emit(block.finish()))
            block = _BlockBuilder(restart_interval)
    if pending is not None:
        index.add(_short_successor(pending[0]), pending[1])
    if not block.empty:
        index.add(_short_successor(block.last_key), emit(block.finish()))
    meta_handle = emit(_BlockBuilder(restart_interval).finish())
    index_handle = emit(index.finish())
    footer = (meta_handle + index_handle).ljust(_HANDLE_PAD, b"\0")
    footer += struct.pack("<II", TABLE_MAGIC & 0xFFFFFFFF, TABLE_MAGIC >> 32)
    out.extend(footer)
    return bytes(out)


def _corrupt(name, what):
    return errors.DataLossError(
        f"Checkpoint index '{name}' is corrupted or truncated: {what}. "
        "Restore the file from a good copy or re-save the checkpoint.")


def _read_block(data, offset, size, name):
    if offset < 0 or size < 0 or offset + size + _TRAILER > len(data):
        raise _corrupt(name, f"block at offset {offset} of size {size} runs past the end of the "
                             f"{len(data)}-byte file")
    block = data[offset:offset + size]
    kind = data[offset + size]
    stored = struct.unpack_from("<I", data, offset + size + 1)[0]
    actual = crc32c(bytes([kind]), crc32c(block))
    if unmask_crc(stored) != actual:
        raise _corrupt(name, f"block at offset {offset} has checksum {actual:#010x}, "
                             f"the file says {unmask_crc(stored):#010x}")
    if kind != _NO_COMPRESSION:
        raise errors.DataLossError(
            f"Checkpoint index '{name}': block at offset {offset} uses compression type {kind}; "
            "only uncompressed tables (type 0, what TensorFlow writes for checkpoints) are supported.")
    return block


def _iter_block(block, name):
    if len(block) < 4:
        raise _corrupt(name, f"a block of {len(block)} bytes is too short to hold its restart count")
    nrestarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    limit = len(block) - 4 - 4 * nrestarts
    if limit < 0:
        raise _corrupt(name, f"a block claims {nrestarts} restart points, more than its {len(block)} bytes hold")
    pos, key = 0, b""
    try:
        while pos < limit:
            shared, pos = get_varint(block, pos, limit)
            unshared, pos = get_varint(block, pos, limit)
            vlen, pos = get_varint(block, pos, limit)
            if shared > len(key) or pos + unshared + vlen > limit:
                raise _corrupt(name, "an entry runs past its block")
            key = key[:shared] + bytes(block[pos:pos + unshared])
            pos += unshared
            yield key, block[pos:pos + vlen]
            pos += vlen
    except errors.DataLossError as e:
        if "Checkpoint index" in str(e):
            raise
        raise _corrupt(name, str(e)) from None


def read_table(data, name="<memory>"):
    """Parse the table bytes `data`; return the list of (key, value) pairs, checksums verified.

    Raises `DataLossError` naming `name` when the table is truncated or corrupted.
    """
    data = memoryview(data)
    if len(data) < FOOTER_SIZE:
        raise _corrupt(name, f"the file has {len(data)} bytes, fewer than the {FOOTER_SIZE}-byte footer")
    footer = data[len(data) - FOOTER_SIZE:]
    lo, hi = struct.unpack_from("<II", footer, _HANDLE_PAD)
    magic = lo | (hi << 32)
    if magic != TABLE_MAGIC:
        raise _corrupt(name, f"the footer magic number is {magic:#x}, expected {TABLE_MAGIC:#x} "
                             "(is this a TensorFlow checkpoint index, complete?)")
    try:
        meta_off, p = get_varint(footer, 0, _HANDLE_PAD)
        meta_size, p = get_varint(footer, p, _HANDLE_PAD)
        index_off, p = get_varint(footer, p, _HANDLE_PAD)
        index_size, p = get_varint(footer, p, _HANDLE_PAD)
    except errors.DataLossError:
        raise _corrupt(name, "the footer's block handles are damaged") from None
    canonical = bytearray()
    for v in (meta_off, meta_size, index_off, index_size):
        put_varint(canonical, v)
    if footer[:p] != canonical:   # e.g. a varint with a needless continuation byte: never written, so damage
        raise _corrupt(name, "the footer's block handles are not encoded as TF writes them")
    if any(footer[p:_HANDLE_PAD]):
        raise _corrupt(name, "the footer's padding is not zero")
    for _ in _iter_block(_read_block(data, meta_off, meta_size, name), name):
        pass  # TF's checkpoints have an empty metaindex; reading it verifies its checksum
    index = _read_block(data, index_off, index_size, name)
    items = []
    prev = None
    for _sep, handle in _iter_block(index, name):
        try:
            off, p = get_varint(handle, 0)
            size, p = get_varint(handle, p)
        except errors.DataLossError:
            raise _corrupt(name, "an index entry's block handle is damaged") from None
        for key, value in _iter_block(_read_block(data, off, size, name), name):
            if prev is not None and key <= prev:
                raise _corrupt(name, f"keys are out of order ({key!r} after {prev!r})")
            items.append((key, bytes(value)))
            prev = key
    return items
