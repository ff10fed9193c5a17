"""ef.test beyond the TF-recorded case (api_test_utils.py): failure messages, compute_gradient against finite
differences of NumPy functions, Benchmark's serialized report (bytes TF's protobuf wrote), main's benchmark
runner, sync_devices."""

import os
import subprocess
import sys
import textwrap
import unittest

import numpy as np
import pytest

import eagerflow as ef

FAKE = os.path.join(os.path.dirname(__file__), "fake_cupy")


class _Case(ef.test.TestCase):
    def runTest(self):
        pass


@pytest.fixture
def case():
    c = _Case()
    c.setUp()
    return c


def test_assert_all_close_names_the_mismatch(case):
    with pytest.raises(AssertionError, match=r"not close where = \(array\(\[1\]\),\)[\s\S]*not close lhs = \[2\.\]"):
        case.assertAllClose(ef.constant([1.0, 2.0]), [1.0, 2.5])
    with pytest.raises(AssertionError, match=r"Shape mismatch: expected \(2,\), got \(3,\)"):
        case.assertAllClose(ef.constant([1.0, 2.0]), [1.0, 2.0, 3.0])
    with pytest.raises(AssertionError, match=r"Shape mismatch: expected \(2,\), got \(1,\) with contents \[2\.\]"):
        case.assertAllClose([1.0, [2.0, 3.0]], [1.0, [2.0]])  # element by element: TF's [1] is compared alone
    with pytest.raises(AssertionError, match=r"Mismatched value: a\[x\]\[0\] is different from b\[x\]\[0\]"):
        case.assertAllClose({"x": [np.ones(2), 1.0]}, {"x": [np.zeros(2), 1.0]})


def test_assert_all_in_range_lists_the_offenders(case):
    with pytest.raises(AssertionError, match=r"1 of the 4 element\(s\) are outside the range \[1\.0, 4\.0\)"
                                              r"[\s\S]*\[1, 1\] : 4\.0"):
        case.assertAllInRange(ef.constant([[1.0, 2.0], [3.0, 4.0]]), 1.0, 4.0, open_upper_bound=True)
    with pytest.raises(AssertionError, match=r"1 of the 2 element\(s\) are NaN"):
        case.assertAllInRange([1.0, np.nan], 0.0, 2.0)


def test_assert_near_and_raises_op_error_messages(case):
    with pytest.raises(AssertionError, match=r"1\.000000 != 1\.500000 \+/- 0\.100000 \(difference: 0\.5\) \(why\)"):
        case.assertNear(1.0, 1.5, 0.1, msg="why")
    with pytest.raises(AssertionError, match="OpError not raised"):
        with case.assertRaisesOpError("x"):
            pass
    with pytest.raises(AssertionError, match="Exception of type <class 'ValueError'>"):
        with case.assertRaisesOpError("x"):
            int("x")


def test_kernel_shape_errors_use_tfs_words(case):
    with case.assertRaisesIncompatibleShapesError():
        ef.ones([2, 2]) + ef.ones([3])
    with case.assertRaisesOpError(r"Matrix size-incompatible: In\[0\]: \[2,2\], In\[1\]: \[3,3\]"):
        ef.matmul(ef.ones([2, 2]), ef.ones([3, 3]))


def test_session_stand_ins(case):
    with case.cached_session() as sess:
        assert sess.run({"a": ef.constant(2) * 3}) == {"a": 6}
        with pytest.raises(RuntimeError, match="feed_dict is not supported"):
            sess.run(ef.constant(1), feed_dict={"x": 1})
    with case.session() as sess:
        with pytest.raises(AttributeError, match="there is no session"):
            sess.run(ef.constant(1))


def test_setup_seeds_every_generator_as_tf():
    import random

    class Seeds(ef.test.TestCase):
        def test_seeds(self):
            self.values = (random.random(), np.random.rand(), ef.random.uniform([]).numpy())

    first, second = Seeds("test_seeds"), Seeds("test_seeds")
    for c in (first, second):
        assert unittest.TextTestRunner(stream=open(os.devnull, "w")).run(c).wasSuccessful()
    assert first.values == second.values
    assert first.values[0] == random.Random(87654321).random()


@pytest.mark.parametrize("fn, np_fn, shape, dtype", [
    (ef.tanh, np.tanh, (2, 3), np.float64),
    (lambda a: ef.reduce_logsumexp(a, axis=1), lambda a: np.log(np.exp(a).sum(1)), (3, 4), np.float64),
    (lambda a: ef.linalg.inv(a + 3 * ef.eye(3, dtype=a.dtype)), lambda a: np.linalg.inv(a + 3 * np.eye(3)),
     (3, 3), np.float64),
    (lambda a: ef.nn.softmax(a), lambda a: np.exp(a) / np.exp(a).sum(-1, keepdims=True), (2, 3), np.float32),
])
def test_compute_gradient_matches_finite_differences_of_numpy(fn, np_fn, shape, dtype):
    x = np.random.default_rng(0).uniform(-1, 1, shape).astype(dtype)
    theoretical, numerical = ef.test.compute_gradient(fn, [x])
    h = 1e-6 if dtype == np.float64 else 1e-3
    want = np.zeros((np.asarray(np_fn(x)).size, x.size))
    for col in range(x.size):
        e = np.zeros(x.size)
        e[col] = h
        plus = np_fn((x.astype(np.float64).ravel() + e).reshape(shape))
        minus = np_fn((x.astype(np.float64).ravel() - e).reshape(shape))
        want[:, col] = ((plus - minus) / (2 * h)).ravel()
    tol = 1e-6 if dtype == np.float64 else 2e-3
    np.testing.assert_allclose(theoretical[0], want, atol=tol)
    np.testing.assert_allclose(numerical[0], want, atol=tol * 10)
    assert theoretical[0].dtype == numerical[0].dtype == dtype


def test_compute_gradient_of_an_unconnected_argument_is_zero():
    theoretical, numerical = ef.test.compute_gradient(lambda a, b: a * 2.0, [[1.0, 2.0], [3.0]])
    assert theoretical[1].tolist() == [[0.0], [0.0]] and numerical[1].tolist() == [[0.0], [0.0]]


def test_benchmark_writes_tfs_serialized_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_REPORT_FILE_PREFIX", str(tmp_path) + "/bench_")

    class A(ef.test.Benchmark):
        def b(self):
            self.report_benchmark(iters=3, wall_time=0.5, extras={"k": 2.0},
                                  metrics=[{"name": "m", "value": 1.5, "min_value": 0.25}])

    A().b()
    # the bytes TF 2.21's protobuf serializes for this entry (test_log_pb2.BenchmarkEntries)
    tf_bytes = bytes.fromhex("0a390a03412e62100321000000000000e03f320e0a016b12090900000000000000403a170a016d11000000"
                             "000000f83f1a0909000000000000d03f")
    assert (tmp_path / "bench_A.b").read_bytes() == tf_bytes
    with pytest.raises(OSError, match="File already exists"):
        A().b()


def test_main_runs_the_chosen_benchmarks(tmp_path):
    script = tmp_path / "bench.py"
    script.write_text(textwrap.dedent("""
        import eagerflow as ef

        class Fast(ef.test.Benchmark):
            def benchmark_one(self):
                self.report_benchmark(iters=1)

            def benchmark_two(self):
                self.report_benchmark(iters=2)

        class Plain(ef.test.TestCase):
            def test_ok(self):
                self.assertAllEqual(ef.constant([1]), [1])

        if __name__ == "__main__":
            ef.test.main()
    """))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(script), "--benchmark_filter=Fast.benchmark_t"], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert 'name: "Fast.benchmark_two"' in done.stdout and "benchmark_one" not in done.stdout
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    # test_session is collected and skipped ("Not a test."), as under TF
    assert done.returncode == 0 and "Ran 2 tests" in done.stderr and "skipped=1" in done.stderr, done.stderr
    assert "entry" not in done.stdout


def test_sync_devices_waits_for_each_gpu_and_refuses_tracing():
    env = dict(os.environ, PYTHONPATH=FAKE + os.pathsep + os.environ.get("PYTHONPATH", ""), FAKE_CUPY_GPUS="2")
    script = """
        import cupy
        import eagerflow as ef
        assert not ef.test.is_built_with_rocm()          # the fake is a CUDA build (no runtime.is_hip)
        ef.test.experimental.sync_devices()
        assert cupy._synchronized == [0, 1], cupy._synchronized

        @ef.function
        def f():
            ef.test.experimental.sync_devices()
        try:
            f()
            raise AssertionError("no error")
        except RuntimeError as e:
            assert "Eager mode" in str(e)
        print("OK")
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.stdout.strip().endswith("OK"), done.stdout + done.stderr
