"""Ops and variables on a real GPU (CuPy). Skipped where CuPy is missing or sees no GPU."""

import numpy as np
import pytest

import eagerflow as ef

pytestmark = pytest.mark.gpu

pytest.importorskip("cupy", reason="CuPy is not installed (pip install eagerflow[gpu])")
if not ef.config.list_physical_devices("GPU"):
    pytest.skip("CuPy sees no GPU", allow_module_level=True)

import cupy  # noqa: E402

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype(np.float32)
Y = RNG.standard_normal((3, 4)).astype(np.float32)

OPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "maximum": ef.maximum, "pow": lambda a, b: ef.abs(a) ** b,
    "matmul": lambda a, b: ef.matmul(a, ef.transpose(b)), "exp": lambda a, b: ef.exp(a),
    "log": lambda a, b: ef.math.log(ef.abs(a) + 1), "sigmoid": lambda a, b: ef.sigmoid(a),
    "tanh": lambda a, b: ef.tanh(a), "erf": lambda a, b: ef.math.erf(a), "sum": lambda a, b: ef.reduce_sum(a, 1),
    "mean": lambda a, b: ef.reduce_mean(a, 0), "max": lambda a, b: ef.reduce_max(a),
    "argmax": lambda a, b: ef.argmax(a, 1),
    "softmax": lambda a, b: ef.nn.softmax(a), "relu": lambda a, b: ef.nn.relu(a),
    "cumsum": lambda a, b: ef.math.cumsum(a, axis=1, exclusive=True), "sort": lambda a, b: ef.sort(a),
    "argsort": lambda a, b: ef.argsort(a, direction="DESCENDING"), "concat": lambda a, b: ef.concat([a, b], 0),
    "gather": lambda a, b: ef.gather(a, [2, 0]), "reshape": lambda a, b: ef.reshape(a, [4, 3]),
    "where": lambda a, b: ef.where(a > b, a, b), "slice": lambda a, b: a[1:, ::2],
    "cast": lambda a, b: ef.cast(a, ef.int32), "transpose": lambda a, b: ef.transpose(a),
    "pad": lambda a, b: ef.pad(a, [[1, 0], [0, 2]], constant_values=3.0), "top_k": lambda a, b: ef.math.top_k(a, 2)[1],
    "segment_sum": lambda a, b: ef.math.unsorted_segment_sum(a, [1, 1, -1], 2),
    "inv": lambda a, b: ef.linalg.inv(ef.matmul(a, ef.transpose(a)) + ef.eye(3)),
}


@pytest.fixture
def full_float32():
    """TF32 off (TF's default is on): GPU float32 matmuls then round as the CPU's do."""
    ef.config.experimental.enable_tensor_float_32_execution(False)
    yield
    ef.config.experimental.enable_tensor_float_32_execution(True)


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_on_gpu_matches_cpu(name, full_float32):
    fn = OPS[name]
    with ef.device("CPU:0"):
        want = fn(ef.constant(X), ef.constant(Y))
    with ef.device("GPU:0"):
        got = fn(ef.constant(X), ef.constant(Y))
    assert got.device == GPU0 and isinstance(got._value, cupy.ndarray)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=2e-5, atol=1e-6)


def test_tensor_float_32_rounds_matmul_inputs_on_capable_gpus():
    capability = ef.config.experimental.get_device_details(ef.config.list_physical_devices("GPU")[0])
    rng = np.random.default_rng(3)
    a = rng.uniform(1, 2, (256, 256)).astype(np.float32)
    b = rng.uniform(1, 2, (256, 256)).astype(np.float32)
    exact = a.astype(np.float64) @ b.astype(np.float64)
    with ef.device("GPU:0"):
        ta, tb = ef.constant(a), ef.constant(b)
        ef.config.experimental.enable_tensor_float_32_execution(False)
        full = ef.matmul(ta, tb).numpy()
        ef.config.experimental.enable_tensor_float_32_execution(True)
        tf32 = ef.matmul(ta, tb).numpy()
    full_error = np.abs(full - exact).max() / np.abs(exact).max()
    tf32_error = np.abs(tf32 - exact).max() / np.abs(exact).max()
    assert full_error < 1e-6
    if capability.get("compute_capability", (0, 0)) >= (8, 0):
        assert 1e-5 < tf32_error < 5e-3, tf32_error   # 10-bit mantissas: about 2**-11 relative
    else:
        assert tf32_error < 1e-6


def test_default_device_is_the_gpu_and_strings_stay_on_the_cpu():
    assert ef.constant([1.0]).device == GPU0
    assert ef.constant("s").device == CPU0
    with ef.device("GPU:0"):
        assert ef.constant(["s"]).device == CPU0


def test_variable_on_gpu():
    v = ef.Variable(X, name="g")
    assert v.device == GPU0
    before = ef.config.experimental.get_memory_info("GPU:0")["current"]
    assert before >= X.nbytes
    r = v.read_value()
    v.assign_add(Y)
    v.assign_sub(ef.constant(Y))
    v.assign(X * 2)
    np.testing.assert_allclose(r.numpy(), X)
    np.testing.assert_allclose(v.numpy(), X * 2)
    v.scatter_nd_add([[0], [0]], np.ones((2, 4), np.float32))
    np.testing.assert_allclose(v.numpy()[0], X[0] * 2 + 2, rtol=1e-6)
    del v, r
    import gc
    gc.collect()
    assert ef.config.experimental.get_memory_info("GPU:0")["current"] == before - X.nbytes


def test_host_gpu_copies_are_real_and_counted():
    with ef.device("CPU:0"):
        a = ef.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        b = ef.Variable([[1.0, 2.0, 3.0]])
    ef.debugging.reset_copy_stats()
    with ef.device("GPU:0"):
        k = a * b                                       # the guide's example: really on the GPU
    assert k.device == GPU0 and isinstance(k._value, cupy.ndarray)
    np.testing.assert_array_equal(k.numpy(), [[1, 4, 9], [4, 10, 18]])
    assert ef.debugging.copy_stats() == {(CPU0, GPU0): {"copies": 2, "bytes": 36}}
    with ef.device("CPU:0"):
        back = k + 0                                    # GPU -> host copy
    assert back.device == CPU0 and type(back._value) is np.ndarray
    assert ef.debugging.copy_stats()[(GPU0, CPU0)] == {"copies": 1, "bytes": 24}
    with ef.debugging.transfer_guard("disallow"), pytest.raises(ef.errors.InvalidArgumentError):
        with ef.device("CPU:0"):
            k + 0


@pytest.mark.parametrize("dtype", [ef.int8, ef.int32, ef.int64, ef.float16, ef.float32, ef.complex64])
def test_scatter_adds_every_dtype(dtype):
    v = ef.Variable(ef.constant([1, 2, 3], dtype=dtype))
    v.scatter_nd_add([[0], [0], [2]], ef.constant([5, 6, 7], dtype=dtype))   # repeated indices add up
    v.scatter_nd_sub([[1], [1]], ef.constant([1, 1], dtype=dtype))
    assert v.device == GPU0
    np.testing.assert_array_equal(v.numpy(), np.array([12, 0, 10], dtype=dtype.as_numpy_dtype))


def test_errors_match_the_cpu():
    with pytest.raises(ef.errors.InvalidArgumentError, match="Singular matrix"):
        ef.linalg.inv([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(ef.errors.InvalidArgumentError, match="negative integer powers"):
        ef.pow(ef.constant([2, 3]), ef.constant([1, -1]))


def test_gather_gradient_adds_repeats():
    p = ef.Variable([1.0, 2.0, 3.0])
    with ef.GradientTape() as tape:
        y = ef.reduce_sum(ef.gather(p, [0, 0, 2]))
    assert ef.convert_to_tensor(tape.gradient(y, p)).numpy().tolist() == [2.0, 0.0, 1.0]


def test_channels_first_runs_on_the_gpu_as_nhwc_transposed():
    # TF's CPU refuses NCHW (tests/test_nn_conv.py); its GPU kernels, and CuPy's, compute it
    x, w = RNG.standard_normal((2, 3, 6, 5)), RNG.standard_normal((3, 3, 3, 2))
    nchw = ef.nn.conv2d(x, w, [1, 1, 2, 1], "SAME", data_format="NCHW").numpy()
    nhwc = ef.nn.conv2d(x.transpose(0, 2, 3, 1), w, [1, 2, 1, 1], "SAME").numpy()
    np.testing.assert_allclose(nchw, nhwc.transpose(0, 3, 1, 2))
    pooled = ef.nn.max_pool2d(x, 2, 2, "SAME", data_format="NCHW").numpy()
    np.testing.assert_allclose(pooled, ef.nn.max_pool2d(x.transpose(0, 2, 3, 1), 2, 2, "SAME").numpy()
                               .transpose(0, 3, 1, 2))
