"""crc32c (Castagnoli), as TensorFlow's `crc32c::Value` / `Extend`, and TF's masked form.

Three implementations give the same numbers: `google-crc32c` (a core dependency: it ships
wheels for the common platforms), the `crc32c` package, and a pure NumPy one that always works.
The first that imports is used; `EAGERFLOW_CRC32C=pure|crc32c|google_crc32c` picks one.
Each is handed what it accepts without copying the data: `crc32c` takes any buffer,
`google_crc32c.extend` takes `bytes` or a contiguous NumPy array (not a memoryview or bytearray),
so other buffers reach it as a zero-copy NumPy view.

>>> from eagerflow.checkpoint.checksum import crc32c, mask_crc, unmask_crc
>>> hex(crc32c(b"123456789")), crc32c(b"6789", crc32c(b"12345")) == crc32c(b"123456789")
('0xe3069283', True)
>>> unmask_crc(mask_crc(0xE3069283)) == 0xE3069283
True
"""

import contextlib
import os

import numpy as np

__all__ = ["crc32c", "crc32c_numpy", "mask_crc", "unmask_crc", "implementation", "available_implementations",
           "use_implementation", "IMPLEMENTATIONS"]

# The pure path is table driven and vectorised with NumPy. A CRC register is a linear function
# of the message over GF(2), so a buffer is cut into 16-byte rows, each row's contribution is a
# XOR of 8 lookups in position-dependent 16-bit tables (all rows at once), and the row values are
# folded pairwise with "advance by 2^k rows of zeros" tables.

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


def _bytes_view(data):
    """`data` as something `google_crc32c.extend` takes without a copy: bytes, or a 1-D uint8 array."""
    if type(data) is bytes:
        return data
    return _as_bytes_array(data)


def _load_crc32c():
    import crc32c as mod  # ICRAR's package: takes any buffer (bytes, memoryview, arrays)

    fn = mod.crc32c

    def run(data, crc):
        if isinstance(data, np.ndarray) and not data.flags.c_contiguous:
            data = np.ascontiguousarray(data)
        return fn(data, crc)

    return run


def _load_google_crc32c():
    import google_crc32c as mod

    if getattr(mod, "implementation", "c") != "c":  # its pure-Python fallback is slower than ours
        raise ImportError("google_crc32c has no compiled extension on this platform")
    extend = mod.extend
    return lambda data, crc: extend(crc, _bytes_view(data))


# name -> loader; the order is the order of preference
_LOADERS = {"google_crc32c": _load_google_crc32c, "crc32c": _load_crc32c, "pure": lambda: crc32c_numpy}
IMPLEMENTATIONS = tuple(_LOADERS)
_loaded = {}


def _load(name):
    fn = _loaded.get(name)
    if fn is None:
        if name not in _LOADERS:
            raise ValueError(f"Unknown crc32c implementation {name!r}; use one of {', '.join(IMPLEMENTATIONS)}.")
        try:
            fn = _LOADERS[name]()
        except Exception as e:  # noqa: BLE001 - a broken install counts as absent
            raise ImportError(f"crc32c implementation {name!r} is not available: {e}. Install it "
                              f"(pip install {name.replace('_', '-')}) or pick another.") from None
        _loaded[name] = fn
    return fn


def available_implementations():
    """The names of the crc32c implementations that import here, in order of preference.

    >>> "pure" in available_implementations()
    True
    """
    out = []
    for name in IMPLEMENTATIONS:
        try:
            _load(name)
        except ImportError:
            continue
        out.append(name)
    return out


def _choose():
    wanted = os.environ.get("EAGERFLOW_CRC32C")
    if wanted:
        return wanted, _load(wanted)
    for name in IMPLEMENTATIONS:
        try:
            return name, _load(name)
        except ImportError:
            continue
    raise AssertionError("unreachable: the pure implementation always loads")


_current_name, _current = _choose()


def implementation():
    """The name of the crc32c implementation in use ('google_crc32c', 'crc32c' or 'pure').

    >>> implementation() in IMPLEMENTATIONS
    True
    """
    return _current_name


@contextlib.contextmanager
def use_implementation(name):
    """Use the crc32c implementation `name` inside the block (process-wide: for tests and benchmarks).

    >>> with use_implementation("pure"):
    ...     implementation(), hex(crc32c(b"123456789"))
    ('pure', '0xe3069283')
    """
    global _current_name, _current
    fn = _load(name)
    saved = _current_name, _current
    _current_name, _current = name, fn
    try:
        yield
    finally:
        _current_name, _current = saved


def crc32c(data, crc=0):
    """The crc32c (Castagnoli) of `data`, continuing from a previous value `crc`.

    `data` is bytes, a bytearray, a memoryview or a NumPy array (its raw bytes, in C order).

    >>> hex(crc32c(b"123456789")), crc32c(b"6789", crc32c(b"12345")) == crc32c(b"123456789")
    ('0xe3069283', True)
    """
    return _current(data, crc)


def mask_crc(crc):
    """TF's masked crc (stored CRCs are masked so that a CRC of CRCs stays strong).

    >>> hex(mask_crc(0))
    '0xa282ead8'
    """
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask_crc(masked):
    """The crc that `mask_crc` masked.

    >>> unmask_crc(mask_crc(0x12345678)) == 0x12345678
    True
    """
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32
