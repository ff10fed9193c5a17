"""Shared test helpers: NumPy as the oracle for eagerflow ops.

`check_op(ef.add, np.add, shapes=[(3, 4), (4,)], dtypes=["float32", "int32"])` draws random inputs
of those shapes and dtypes, runs both functions and compares values, shape and dtype.
"""

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef

FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
SIGNED_DTYPES = ("int8", "int16", "int32", "int64")
COMPLEX_DTYPES = ("complex64", "complex128")

_TOLERANCE = {"float16": 2e-3, "bfloat16": 2e-2, "float32": 2e-5, "float64": 1e-12,
              "complex64": 2e-5, "complex128": 1e-12}


def np_dtype(name):
    """The NumPy dtype of an eagerflow dtype name (bfloat16 from ml_dtypes)."""
    return np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)


def random_array(rng, shape, dtype, low=-5, high=5, positive=False, nonzero=False):
    """A random array of `dtype`; small magnitudes so integer ops don't overflow."""
    dt = np_dtype(dtype)
    if dt.kind == "b":
        return rng.random(shape) < 0.5
    if dt.kind == "u" or positive:
        low = max(low, 1 if nonzero else 0)
    if dt.kind in "iu":
        out = rng.integers(low, high + 1, size=shape).astype(dt)
        if nonzero:
            out[out == 0] = 1
        return out
    if dt.kind == "c":
        out = rng.uniform(low, high, size=shape) + 1j * rng.uniform(low, high, size=shape)
        return out.astype(dt)
    out = rng.uniform(low, high, size=shape)
    if nonzero:
        out[np.abs(out) < 0.1] = 0.5
    return out.astype(dt)


def assert_matches(got, want, dtype=None, rtol=None, atol=None):
    """`got` (a Tensor) equals `want` (array-like) in shape, dtype and values (NaNs equal)."""
    want = np.asarray(want)
    assert isinstance(got, ef.Tensor), f"expected a Tensor, got {type(got).__name__}"
    assert tuple(got.shape) == want.shape, f"shape {tuple(got.shape)} != {want.shape}"
    assert got.dtype == ef.as_dtype(want.dtype if dtype is None else dtype), f"dtype {got.dtype} != {want.dtype}"
    value = got.numpy()
    kind = value.dtype.kind
    if kind in "fcV" and got.dtype.name in _TOLERANCE:
        tol = _TOLERANCE[got.dtype.name]
        np.testing.assert_allclose(value.astype(np.complex128 if kind == "c" else np.float64),
                                   want.astype(np.complex128 if kind == "c" else np.float64),
                                   rtol=tol if rtol is None else rtol, atol=tol if atol is None else atol,
                                   equal_nan=True)
    else:
        np.testing.assert_array_equal(value, want)


def check_op(ef_fn, np_fn, shapes, dtypes=("float32",), out_dtype=None, seed=0, rtol=None, atol=None, **draw):
    """Compare `ef_fn(*tensors)` with `np_fn(*arrays)` on random inputs of `shapes`, for each dtype.

    `out_dtype`: the expected result dtype (a name, or a function of the input dtype name); by
    default the input dtype. `draw` goes to `random_array` (low, high, positive, nonzero).
    """
    rng = np.random.default_rng(seed)
    for dtype in dtypes:
        arrays = [random_array(rng, s, dtype, **draw) for s in shapes]
        got = ef_fn(*[ef.constant(a) for a in arrays])
        want = np.asarray(np_fn(*arrays))
        expected = out_dtype(dtype) if callable(out_dtype) else (out_dtype or dtype)
        assert_matches(got, want.astype(np_dtype(expected)), expected, rtol, atol)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _fresh_random_seed():
    """Each test starts without a global random seed, whatever the test before it set."""
    ef.random.set_seed(None)
    yield
    ef.random.set_seed(None)


@pytest.fixture(params=__import__("eagerflow.checkpoint.checksum", fromlist=["x"]).available_implementations())
def crc_implementation(request):
    """Run the test once with each crc32c implementation that imports (google_crc32c, crc32c, pure)."""
    from eagerflow.checkpoint import checksum

    with checksum.use_implementation(request.param):
        yield request.param
