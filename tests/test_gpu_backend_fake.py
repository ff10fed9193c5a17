"""The GPU backend (`backends/cupy_gpu.py`) driven by a NumPy stand-in for CuPy (tests/fake_cupy).

No GPU is needed: the stand-in's arrays remember their GPU and refuse to mix with arrays of
another GPU, so these tests check the backend's placement, copies, device contexts and kernel
overrides. Real GPUs are tested by tests/test_gpu.py. Each test runs in a fresh interpreter
because devices are fixed once initialized.
"""

import os
import subprocess
import sys
import textwrap

import pytest

FAKE = os.path.join(os.path.dirname(__file__), "fake_cupy")

PRELUDE = """
import numpy as np
import eagerflow as ef
from eagerflow.device import placement
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
GPU1 = "/job:localhost/replica:0/task:0/device:GPU:1"
"""


def run_fake(script, gpus="1"):
    env = dict(os.environ, PYTHONPATH=FAKE + os.pathsep + os.environ.get("PYTHONPATH", ""), FAKE_CUPY_GPUS=gpus)
    done = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(script) + "\nprint('OK')"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK"), done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("gpus", ["0", "error"])
def test_no_gpu_means_no_gpu_devices(gpus):
    run_fake("""
        assert ef.test.is_built_with_cuda()
        assert not ef.test.is_gpu_available()
        assert ef.config.list_physical_devices("GPU") == []
        assert ef.constant([1.0]).device == CPU0
    """, gpus)


def test_one_gpu_default_placement_and_dtypes():
    run_fake("""
        assert ef.test.is_gpu_available() and ef.test.is_gpu_available(min_cuda_compute_capability=(7, 0))
        assert ef.test.gpu_device_name() == "/device:GPU:0"
        x = ef.constant([1.0, 2.0])
        assert x.device == GPU0 and type(x.numpy()) is np.ndarray
        assert (x + 1).device == GPU0 and (x * x).numpy().tolist() == [1.0, 4.0]
        assert ef.constant("text").device == CPU0              # strings always on the CPU
        assert ef.constant([1.0], dtype=ef.bfloat16).device == CPU0   # no bfloat16 kernels in CuPy
        with ef.device("GPU:0"):
            s = ef.constant(["a"])                             # soft placement: no string kernels
        assert s.device == CPU0
        ef.config.set_soft_device_placement(False)
        with ef.device("GPU:0"):
            try:
                ef.identity(s)
            except ef.errors.InvalidArgumentError as e:
                assert "GPU:0" in str(e) and "string" in str(e) and "Identity" in str(e)
            else:
                raise AssertionError("expected InvalidArgumentError")
        ef.config.set_soft_device_placement(True)
    """)


def test_guide_example_copies_to_the_gpu():
    run_fake("""
        with ef.device("CPU:0"):
            a = ef.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            b = ef.Variable([[1.0, 2.0, 3.0]])
        assert a.device == CPU0 and b.device == CPU0
        ef.debugging.reset_copy_stats()
        with ef.device("GPU:0"):
            k = a * b
        assert k.device == GPU0
        np.testing.assert_array_equal(k.numpy(), [[1, 4, 9], [4, 10, 18]])
        assert ef.debugging.copy_stats() == {(CPU0, GPU0): {"copies": 2, "bytes": 36}}
        assert a.device == CPU0                                 # the variable stays where it was made
        back = ef.identity(k)                                   # GPU result back to the host on read
        assert back.numpy().dtype == np.float32
    """)


def test_variables_on_gpu():
    run_fake("""
        v = ef.Variable([1.0, 2.0, 3.0], name="w")
        assert v.device == GPU0
        info = ef.config.experimental.get_memory_info("GPU:0")
        assert info["current"] == 12 and info["peak"] == 12
        v.assign_add([1.0, 1.0, 1.0]); v.assign_sub([0.5, 0.5, 0.5]); v.assign([5.0, 6.0, 7.0])
        r = v.read_value(); v.assign_add([1.0, 1.0, 1.0])      # copy-on-write keeps r
        assert r.numpy().tolist() == [5.0, 6.0, 7.0] and v.numpy().tolist() == [6.0, 7.0, 8.0]
        v.scatter_nd_add([[0], [0]], [1.0, 2.0])
        assert v.numpy().tolist() == [9.0, 7.0, 8.0]
        v.scatter_nd_sub([[2]], [8.0])
        assert v.numpy().tolist() == [9.0, 7.0, 0.0]
        with ef.device("CPU:0"):
            c = v + 1                                           # copied to the scope's device
        assert c.device == CPU0 and c.numpy().tolist() == [10.0, 8.0, 1.0]
        row = ef.debugging.memory_report()[0]
        assert row["device"] == GPU0 and row["name"] == "w:0" and row["bytes"] == 12
        del v, r
        import gc; gc.collect()
        assert ef.config.experimental.get_memory_info("GPU:0")["current"] == 0
    """)


def test_kernel_overrides_match_the_cpu():
    run_fake("""
        def both(fn, *args):
            with ef.device("CPU:0"):
                want = fn(*[ef.constant(a) for a in args])
            with ef.device("GPU:0"):
                got = fn(*[ef.constant(a) for a in args])
            for w, g in zip(want if isinstance(want, (tuple, list)) else [want],
                            got if isinstance(got, (tuple, list)) else [got]):
                assert g.device == GPU0, g.device
                np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-6)

        x = [[3.0, 1.0, 2.0], [0.5, 0.5, -1.0]]
        both(lambda t: ef.argsort(t, direction="DESCENDING"), x)
        both(lambda t: ef.argsort(t), x)
        both(lambda t: ef.sort(t), x)
        both(lambda t: ef.math.cumsum(t, axis=1, exclusive=True, reverse=True), x)
        both(lambda t: ef.math.top_k(t, k=2), x)
        both(lambda t: ef.math.erf(t), x)
        both(lambda t: ef.reduce_sum(t, axis=0), x)
        both(lambda t, u: ef.matmul(t, u), x, [[1.0], [2.0], [3.0]])
        both(lambda t: ef.sigmoid(t), x)
        with ef.device("GPU:0"):
            assert ef.range(1, 7, 2).numpy().tolist() == [1, 3, 5]
            assert ef.fill([2], 3.0).numpy().tolist() == [3.0, 3.0]
            assert ef.linspace(0.0, 1.0, 3).numpy().tolist() == [0.0, 0.5, 1.0]
            assert ef.range(3).device == GPU0
    """)


def test_two_gpus_copy_between_them():
    run_fake("""
        assert [d.name for d in ef.config.list_logical_devices("GPU")] == ["/device:GPU:0", "/device:GPU:1"]
        with ef.device("GPU:1"):
            v = ef.Variable([1.0, 2.0])
            t = ef.constant([10.0, 20.0])
        assert v.device == GPU1 and t.device == GPU1 and t._value.device_id == 1
        v.assign_add([1.0, 1.0])                  # runs under GPU 1, or the fake CuPy would refuse
        r = v.read_value(); v.assign_add([1.0, 1.0])
        assert v._buf.device_id == 1 and r.numpy().tolist() == [2.0, 3.0]
        u = ef.constant([1.0, 1.0])               # on GPU:0
        ef.debugging.reset_copy_stats()
        with ef.device("GPU:1"):
            w = u + t
        assert w.device == GPU1 and w._value.device_id == 1 and w.numpy().tolist() == [11.0, 21.0]
        assert ef.debugging.copy_stats() == {(GPU0, GPU1): {"copies": 1, "bytes": 8}}
        z = t + u                                 # no scope: the default device GPU:0, t is copied
        assert z.device == GPU0 and z._value.device_id == 0
        with ef.debugging.transfer_guard("disallow"):
            try:
                t + u
            except ef.errors.InvalidArgumentError as e:
                assert GPU1 in str(e) and GPU0 in str(e)
            else:
                raise AssertionError("expected the transfer guard to refuse")
    """, gpus="2")


def test_kernels_avoid_numpy_only_api():
    """The stand-in refuses what real CuPy refuses (see its docstring): scatter adds of dtypes without CUDA
    atomics, `subtract.at`, a device array as pad's fill, silent singular inverses and negative integer powers."""
    run_fake("""
        from eagerflow.framework.execute import execute

        def both(fn, *args, dtype=None):
            with ef.device("CPU:0"):
                want = fn(*[ef.constant(a, dtype=dtype) for a in args])
            with ef.device("GPU:0"):
                got = fn(*[ef.constant(a, dtype=dtype) for a in args])
            assert got.device == GPU0, got.device
            np.testing.assert_array_equal(got.numpy(), want.numpy())

        both(lambda t: ef.pad(t, [[1, 1], [2, 0]], constant_values=7.0), [[1.0, 2.0]])
        both(lambda t: ef.pad(t, [[1, 2]], mode="REFLECT"), [1, 2, 3])
        for dt in (ef.int64, ef.int8, ef.uint8, ef.int16, ef.complex64, ef.float32, ef.int32, ef.float16):
            with ef.device("GPU:0"):
                v = ef.Variable(ef.constant([1, 2, 3], dtype=dt))
                v.scatter_nd_add([[0], [0], [2]], ef.constant([5, 6, 7], dtype=dt))
                v.scatter_nd_sub([[1], [1]], ef.constant([1, 1], dtype=dt))
            assert v.device == GPU0
            np.testing.assert_array_equal(v.numpy(), np.array([12, 0, 10], dtype=dt.as_numpy_dtype), dt.name)
            both(lambda d: ef.math.unsorted_segment_sum(d, [0, 2, 0, -1], 3), [1, 2, 3, 4], dtype=dt)
        with ef.device("GPU:0"):
            v = ef.Variable(ef.constant([100, 0], dtype=ef.int8))
            v.scatter_nd_add([[0], [0]], ef.constant([100, 100], dtype=ef.int8))  # wraps modulo 256, as NumPy
            assert v.numpy().tolist() == [44, 0], v.numpy()
            big = ef.Variable(ef.constant([2**40, -5], dtype=ef.int64))
            big.scatter_nd_add([[1], [1]], ef.constant([-2**41, 3], dtype=ef.int64))
            assert big.numpy().tolist() == [2**40, -5 - 2**41 + 3]
        for fn in (lambda p: ef.gather(p, [0, 0, 2]), lambda p: ef.gather_nd(p, [[0], [0]])):
            grads = []
            for dev in ("CPU:0", "GPU:0"):
                with ef.device(dev):
                    p = ef.Variable([1.0, 2.0, 3.0])
                    with ef.GradientTape() as tape:
                        y = ef.reduce_sum(fn(p) * 2.0)
                    grads.append(ef.convert_to_tensor(tape.gradient(y, p)).numpy())
            np.testing.assert_array_equal(grads[1], grads[0])
        for dev in ("CPU:0", "GPU:0"):           # the same error on both devices
            for fn, words in [(lambda: ef.linalg.inv([[1.0, 2.0], [2.0, 4.0]]), "Singular matrix"),
                              (lambda: ef.pow(ef.constant([2, 3]), ef.constant([1, -1])), "negative integer powers"),
                              (lambda: execute("BitwiseAnd", (ef.constant([1.0]), ef.constant([2.0]))), "float32")]:
                with ef.device(dev):
                    try:
                        fn()
                    except ef.errors.InvalidArgumentError as e:
                        assert words in str(e), (dev, e)
                    else:
                        raise AssertionError(f"no error on {dev}")
            with ef.device(dev):
                np.testing.assert_allclose(ef.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy(), [[0.5, 0], [0, 0.25]])
                assert ef.pow(ef.constant([2, 3]), ef.constant([2, 0])).numpy().tolist() == [4, 1]
    """)


def test_dlpack_export_of_a_gpu_tensor_is_a_copy():
    run_fake("""
        v = ef.Variable([1.0, 2.0])
        t = v.read_value()                       # shares the variable's buffer (copy-on-write)
        import cupy
        exported = [None]
        orig = cupy.ndarray.__dlpack__
        def spy(self, **kwargs):
            exported[0] = self
            return orig(self, **kwargs)
        cupy.ndarray.__dlpack__ = spy
        t.__dlpack__()
        assert exported[0] is not t._value and not np.shares_memory(exported[0], t._value)
        assert exported[0].tolist() == [1.0, 2.0]
    """)


def test_complex_division_follows_the_cuda_kernels_formula():
    """On a GPU, complex x / y and 1 / y are TF's CUDA kernels' textbook formula (Eigen's device-side
    complex_divide_fast), not the CPU kernels' scaled packet and Smith paths: the oracle is that formula in
    NumPy, part by part, in the same precision. A divisor too large to square shows the two apart."""
    run_fake("""
        for dt, big in ((np.complex64, 1e30), (np.complex128, 1e300)):
            x = np.array([1 + 2j, 3 - 1j, -2 + 0.5j, 1j, 1 + 1j, 2 + 0j], dtype=dt)
            y = np.array([0.5 - 1j, 2 + 2j, 0j, -1j, big + big * 1j, 1e-3 + 4j], dtype=dt)
            a, b, c, d = x.real, x.imag, y.real, y.imag
            with np.errstate(all="ignore"):
                norm = c * c + d * d
                want = np.empty_like(x)
                want.real, want.imag = (a * c + b * d) / norm, (b * c - a * d) / norm
                ones = np.ones_like(x)
                inverse = np.empty_like(x)
                inverse.real, inverse.imag = (1 * c + 0 * d) / norm, (0 * c - 1 * d) / norm
            with ef.device("GPU:0"):
                q = ef.constant(x) / ef.constant(y)
                r = ef.math.reciprocal(ef.constant(y))
                s = ef.math.divide(ef.constant(x), ef.constant(y))
            assert q.device == GPU0 and r.device == GPU0
            np.testing.assert_array_equal(q.numpy(), want)
            np.testing.assert_array_equal(s.numpy(), want)
            np.testing.assert_array_equal(r.numpy(), inverse)
            assert np.isnan(q.numpy()[2].real) and np.isnan(q.numpy()[2].imag)   # 0j divisor: 0 / 0
            assert q.numpy()[4] == 0                                            # |y|**2 overflows to inf
            with ef.device("CPU:0"):
                cpu = (ef.constant(x) / ef.constant(y)).numpy()
            assert cpu[4] != 0                                                  # the CPU scales y first
            # real dtypes keep the shared kernel
            with ef.device("GPU:0"):
                assert (ef.constant([1.0, 3.0]) / ef.constant([2.0, 4.0])).numpy().tolist() == [0.5, 0.75]
                assert ef.math.reciprocal(ef.constant([4.0])).numpy().tolist() == [0.25]
    """)
