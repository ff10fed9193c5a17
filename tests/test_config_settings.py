"""ef.config settings with TF's semantics beyond what the TF-recorded cases show (api_config_*.py,
api_device_policy.py): what each setting changes, thread-locality, refusals that change nothing, and
the settings the GPU backend applies (on the fake CuPy of tests/fake_cupy)."""

import os
import subprocess
import sys
import textwrap

import pytest

import eagerflow as ef
from eagerflow.config import optimizer

FAKE = os.path.join(os.path.dirname(__file__), "fake_cupy")


def run_fresh(script, fake_gpus=None, prelude=""):
    env = dict(os.environ)
    env.pop("FAKE_CUPY_GPUS", None)
    if fake_gpus is not None:
        env.update(PYTHONPATH=FAKE + os.pathsep + env.get("PYTHONPATH", ""), FAKE_CUPY_GPUS=fake_gpus)
    done = subprocess.run([sys.executable, "-c", "import numpy as np\nimport eagerflow as ef\n"
                           + prelude + textwrap.dedent(script) + "\nprint('OK')"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK"), done.stdout + done.stderr
    return done


TWO_CPUS = """
cpu = ef.config.list_physical_devices("CPU")[0]
ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)
CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1"
"""


def test_warn_policy_copies_and_logs_explicit_refuses_and_changes_nothing():
    done = run_fresh("""
        import logging
        logging.basicConfig(level=logging.WARNING, format="%(name)s %(message)s")
        x = ef.constant([1.0, 2.0])
        with ef.device("CPU:1"):
            w = ef.Variable([5.0, 6.0])
        ef.config.experimental.set_device_policy("warn")
        with ef.device("CPU:1"):
            assert (x + 1.0).device == CPU1
        ef.config.experimental.set_device_policy("explicit")
        try:
            w.assign(x)
            raise AssertionError("copied")
        except ef.errors.InvalidArgumentError as e:
            assert "AssignVariableOp" in str(e) and "set_device_policy('silent')" in str(e), e
        assert w.numpy().tolist() == [5.0, 6.0]      # nothing written
        with ef.device("CPU:1"):
            assert ef.identity(x).device == CPU1       # the explicit copy
        ef.config.experimental.set_device_policy(None)
        assert w.assign(x).numpy().tolist() == [1.0, 2.0]
    """, prelude=TWO_CPUS)
    assert "eagerflow.placement Copying an input of AddV2: input #0 was expected to be on " in done.stderr


def test_device_policy_is_per_thread():
    import threading

    seen = []
    ef.config.experimental.set_device_policy("explicit")
    try:
        t = threading.Thread(target=lambda: seen.append(ef.config.experimental.get_device_policy()))
        t.start()
        t.join()
        assert seen == ["silent"] and ef.config.experimental.get_device_policy() == "explicit"
    finally:
        ef.config.experimental.set_device_policy(None)


@pytest.mark.parametrize("policy", ["bogus", 3, "SILENT", ["silent"]])
def test_unknown_device_policy_is_refused_and_changes_nothing(policy):
    with pytest.raises(ValueError, match="Invalid argument `device_policy`"):
        ef.config.experimental.set_device_policy(policy)
    assert ef.config.experimental.get_device_policy() == "silent"


def test_thread_counts_are_fixed_at_initialization():
    run_fresh("""
        ef.config.threading.set_intra_op_parallelism_threads(3)
        ef.config.threading.set_inter_op_parallelism_threads(-1)
        try:
            ef.config.threading.set_intra_op_parallelism_threads(2.0)
            raise AssertionError("accepted")
        except TypeError as e:
            assert "must be an integer" in str(e)
        assert ef.config.threading.get_intra_op_parallelism_threads() == 3
        ef.constant(1.0)
        ef.config.threading.set_intra_op_parallelism_threads(3)   # unchanged: fine
        try:
            ef.config.threading.set_inter_op_parallelism_threads(4)
            raise AssertionError("accepted")
        except RuntimeError as e:
            assert "it is -1" in str(e)
        assert ef.config.threading.get_inter_op_parallelism_threads() == -1
    """)


def test_visible_gpus_decide_the_logical_gpus():
    run_fresh("""
        gpus = ef.config.list_physical_devices("GPU")
        assert len(gpus) == 2
        ef.config.set_visible_devices(gpus[1:], "GPU")
        assert ef.config.get_visible_devices() == ef.config.list_physical_devices("CPU") + gpus[1:]
        assert [d.name for d in ef.config.list_logical_devices("GPU")] == ["/device:GPU:0"]
        with ef.device("GPU:0"):
            x = ef.constant([1.0])
        assert x._device.backend.index == 1      # logical GPU:0 is the second physical GPU
        with ef.device("GPU:1"):                  # hidden: soft placement falls back to the CPU
            assert ef.constant([1.0]).device.endswith("CPU:0")
    """, fake_gpus="2")


def test_an_unknown_graph_optimizer_option_sets_nothing():
    before = optimizer.get_experimental_options()
    with pytest.raises(ValueError, match="'constant_foldng'"):
        optimizer.set_experimental_options({"remapping": False, "constant_foldng": False})
    assert optimizer.get_experimental_options() == before


def test_tensor_float_32_reaches_cupy_on_capable_gpus():
    run_fresh("""
        import cupy
        linalg = cupy._core._routines_linalg
        assert ef.constant(1.0).device.endswith("GPU:0")  # the GPU backend is set up with the devices
        assert linalg.get_compute_type(np.float32) == linalg.COMPUTE_TYPE_TF32   # TF's default: on
        ef.config.experimental.enable_tensor_float_32_execution(False)
        assert linalg.get_compute_type(np.float32) == linalg.COMPUTE_TYPE_DEFAULT
        ef.config.experimental.enable_tensor_float_32_execution(True)
        assert linalg.get_compute_type(np.float32) == linalg.COMPUTE_TYPE_TF32
        cupy.cuda.runtime.getDeviceProperties = lambda i: {"name": b"Old GPU", "major": 7, "minor": 5}
        ef.config.experimental.enable_tensor_float_32_execution(True)
        assert linalg.get_compute_type(np.float32) == linalg.COMPUTE_TYPE_DEFAULT  # no TF32 before 8.0
        assert ef.config.experimental.tensor_float_32_execution_enabled()
    """, fake_gpus="1")


def test_op_determinism_adds_gpu_float_scatters_in_input_order():
    run_fresh("""
        import cupyx
        calls = []
        atomic = cupyx.scatter_add
        cupyx.scatter_add = lambda *a: (calls.append(a[0].dtype), atomic(*a))
        idx = [[0], [1], [0], [0]]
        upd = np.array([1e8, 1.0, -1e8, 0.5], np.float32)
        x = ef.constant(np.zeros(2, np.float32))
        assert x.device.endswith("GPU:0")
        before = ef.tensor_scatter_nd_add(x, idx, upd).numpy()
        assert calls == [np.float32]
        ef.config.experimental.enable_op_determinism()
        calls.clear()
        got = ef.tensor_scatter_nd_add(x, idx, upd)
        want = np.zeros(2, np.float32); np.add.at(want, [0, 1, 0, 0], upd)
        assert calls == [] and got.numpy().tolist() == want.tolist() == before.tolist(), (got, want)
        ints = ef.tensor_scatter_nd_add(ef.constant([0, 0]), idx, [1, 2, 3, 4])  # exact anyway: still atomic
        assert calls == [np.dtype(np.int32)] and ints.numpy().tolist() == [8, 2]
        s = ef.math.unsorted_segment_sum(ef.constant([[1.0, 2.0], [3.0, 4.0]]), [1, 1], 2)
        assert s.numpy().tolist() == [[0, 0], [4, 6]]
    """, fake_gpus="1")


def test_deprecated_run_functions_eagerly_names_are_the_same_switch():
    try:
        ef.config.experimental_run_functions_eagerly(True)
        assert ef.config.functions_run_eagerly() and ef.config.experimental_functions_run_eagerly()
    finally:
        ef.config.run_functions_eagerly(False)
    assert not ef.config.experimental_functions_run_eagerly()


def test_synchronous_execution_is_per_thread_and_errors_stay_at_their_op():
    ef.config.experimental.set_synchronous_execution(False)
    try:
        with pytest.raises(ef.errors.InvalidArgumentError):
            ef.matmul(ef.ones([2, 3]), ef.ones([2, 3]))   # raised by the op itself, as TF's async mode permits
        assert not ef.config.experimental.get_synchronous_execution()
    finally:
        ef.config.experimental.set_synchronous_execution(None)
    assert ef.config.experimental.get_synchronous_execution()



def test_intra_op_threads_size_numpys_blas():
    from eagerflow.backends import blas_threads
    if blas_threads.threads() is None:
        pytest.skip("NumPy's BLAS is neither OpenBLAS nor MKL here: eagerflow cannot size its threads")
    run_fresh("""
        from eagerflow.backends import blas_threads
        ef.config.threading.set_intra_op_parallelism_threads(1)
        assert blas_threads.threads() == 1
        a = ef.random.normal([64, 64])
        assert abs(float(ef.reduce_sum(a @ ef.eye(64) - a))) < 1e-4   # matmuls run on the one thread
        ef.config.threading.set_intra_op_parallelism_threads(1)   # unchanged after initialization: fine
        try:
            ef.config.threading.set_intra_op_parallelism_threads(0)
            raise AssertionError("accepted")
        except RuntimeError:
            pass
        assert blas_threads.threads() == 1
    """)
    run_fresh("""
        from eagerflow.backends import blas_threads
        own = blas_threads.threads()
        ef.config.threading.set_intra_op_parallelism_threads(own + 1)
        assert blas_threads.threads() == own + 1
        ef.config.threading.set_intra_op_parallelism_threads(0)
        assert blas_threads.threads() == own
    """)
