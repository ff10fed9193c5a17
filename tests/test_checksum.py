"""crc32c: every implementation (the `crc32c` package, `google-crc32c`, pure NumPy) gives TF's values
for every kind of input, continues a running crc, and takes large inputs without copying them."""

import tracemalloc

import numpy as np
import pytest

from eagerflow.checkpoint import checksum

AVAILABLE = checksum.available_implementations()


def _crc_reference(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


@pytest.fixture(params=AVAILABLE)
def impl(request):
    with checksum.use_implementation(request.param):
        yield request.param


def test_the_compiled_implementations_are_installed():
    # both are in the `test` extra (google-crc32c is a core dependency): CI runs every implementation
    assert AVAILABLE == list(checksum.IMPLEMENTATIONS)


def test_known_values_and_masking(impl):
    assert checksum.implementation() == impl
    assert checksum.crc32c(b"123456789") == 0xE3069283
    assert checksum.crc32c(b"") == 0 and checksum.crc32c(bytes(32)) == 0x8A9136AA
    assert checksum.crc32c(b"", 0x1234) == 0x1234
    assert checksum.unmask_crc(checksum.mask_crc(0x12345678)) == 0x12345678
    assert checksum.mask_crc(0) == 0xA282EAD8


def _kinds(raw):
    arr = np.frombuffer(raw, np.uint8).copy()
    yield "bytes", raw
    yield "bytearray", bytearray(raw)
    yield "memoryview", memoryview(raw)
    yield "writable memoryview", memoryview(bytearray(raw))
    yield "uint8 array", arr
    yield "read-only array", np.frombuffer(raw, np.uint8)
    if len(raw) % 4 == 0:
        yield "float32 array", arr.view(np.float32)
        yield "2-d array", arr.view(np.float32).reshape(2, -1) if len(raw) % 8 == 0 else arr
        yield "memoryview of float32", memoryview(arr.view(np.float32))


@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 511, 512, 513, 4099, 65536 + 3, (1 << 20) + 37])
def test_every_input_kind_matches_the_bitwise_definition(impl, n):
    raw = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    short = raw[:3000]
    want_short = _crc_reference(short, 7)
    assert checksum.crc32c(short, 7) == want_short
    want = checksum.crc32c_numpy(raw)      # proven against the reference on short inputs below
    for kind, data in _kinds(raw):
        assert checksum.crc32c(data) == want, kind
    cut = n // 3
    assert checksum.crc32c(raw[cut:], checksum.crc32c(raw[:cut])) == want


@pytest.mark.parametrize("n", [1, 16, 513, 4099, 65536 + 3])
def test_numpy_implementation_matches_the_bitwise_definition(n):
    raw = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    assert checksum.crc32c_numpy(raw, 99) == _crc_reference(raw, 99)


def test_non_contiguous_and_scalar_arrays_are_their_c_order_bytes(impl):
    a = np.arange(64, dtype=np.int32).reshape(8, 8)
    for view in (a.T, a[::2], a[:, 1:3]):
        assert checksum.crc32c(view) == _crc_reference(np.ascontiguousarray(view).tobytes())
    s = np.array(3.5, np.float64)
    assert checksum.crc32c(s) == _crc_reference(s.tobytes())


@pytest.mark.parametrize("kind", ["array", "memoryview", "bytearray", "bytes"])
def test_large_inputs_are_not_copied(kind):
    compiled = [name for name in AVAILABLE if name != "pure"]
    if not compiled:
        pytest.skip("no compiled crc32c installed")
    big = np.random.default_rng(0).integers(0, 256, 32 << 20, dtype=np.uint8)
    data = {"array": big, "memoryview": memoryview(big), "bytearray": bytearray(big.tobytes()),
            "bytes": big.tobytes()}[kind]
    want = checksum.crc32c_numpy(big)
    for name in compiled:
        with checksum.use_implementation(name):
            tracemalloc.start()
            try:
                got = checksum.crc32c(data)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
        assert got == want, name
        assert peak < 1 << 20, f"{name} allocated {peak} bytes for a {len(big)}-byte {kind}"


def test_choosing_an_implementation():
    with pytest.raises(ValueError, match="Unknown crc32c implementation 'nope'"):
        with checksum.use_implementation("nope"):
            pass
    before = checksum.implementation()
    with checksum.use_implementation("pure"):
        assert checksum.implementation() == "pure"
    assert checksum.implementation() == before
