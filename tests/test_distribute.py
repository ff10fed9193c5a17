"""ef.distribute on one machine: MirroredStrategy over two logical CPUs (each test in a fresh interpreter,
as logical devices are configured before the first op). TF's printed behaviour is pinned by
tests/conformance/cases/distribute_*.py; these check what a printout cannot."""

import os
import subprocess
import sys
import textwrap

TWO_CPUS = """
import threading
import numpy as np
import eagerflow as ef
cpu = ef.config.list_physical_devices("CPU")[0]
ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)
strategy = ef.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
CPU0, CPU1 = strategy.extended.worker_devices
"""


def run_two_cpus(script):
    env = dict(os.environ)
    env.pop("FAKE_CUPY_GPUS", None)
    done = subprocess.run([sys.executable, "-c", TWO_CPUS + textwrap.dedent(script) + "\nprint('OK')"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK"), done.stdout + done.stderr


def test_replicas_run_concurrently_each_on_its_device():
    run_two_cpus("""
        barrier = threading.Barrier(2, timeout=10)  # would time out if the replicas ran one after the other
        def fn(x):
            barrier.wait()
            return x * 2.0
        out = strategy.run(fn, args=(ef.constant([1.0, 2.0]),))
        a, b = strategy.experimental_local_results(out)
        assert a.device == CPU0 and b.device == CPU1, (a.device, b.device)
        np.testing.assert_array_equal(b.numpy(), [2.0, 4.0])
    """)


def test_all_reduce_copies_between_devices_and_counts_them():
    run_two_cpus("""
        ef.debugging.reset_copy_stats()
        def fn():
            ctx = ef.distribute.get_replica_context()
            local = ef.ones([256], ef.float32) * ef.cast(ctx.replica_id_in_sync_group + 1, ef.float32)
            return ctx.all_reduce("SUM", local)
        out = strategy.run(fn)
        for t in strategy.experimental_local_results(out):
            np.testing.assert_array_equal(t.numpy(), np.full(256, 3.0, np.float32))
        stats = ef.debugging.copy_stats()
        assert sum(s["bytes"] for s in stats.values()) >= 2 * 256 * 4, stats   # to CPU:0 and back to CPU:1
    """)


def test_all_reduce_packs_small_tensors_into_one_copy_per_device_with_the_same_bits():
    run_two_cpus("""
        from eagerflow.distribute import cross_device
        rng = np.random.default_rng(0)
        shapes = [(3,), (4, 5), (), (7, 2, 2)]
        data = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(2)]
        ints = [np.arange(6, dtype=np.int32) * (r + 1) for r in range(2)]
        big = [rng.standard_normal(cross_device.PACK_BYTES // 4).astype(np.float32) for _ in range(2)]
        def fn():
            r = int(ef.distribute.get_replica_context().replica_id_in_sync_group)
            values = [ef.constant(a) for a in data[r]] + [ef.constant(ints[r]), ef.constant(big[r])]
            return ef.distribute.get_replica_context().all_reduce("SUM", values)
        ef.debugging.reset_copy_stats()
        out = strategy.run(fn)
        stats = ef.debugging.copy_stats()
        # one pack of the float32 tensors, one of the int32, the large tensor alone: 3 copies each way
        assert stats[(CPU1, CPU0)]["copies"] == 3 and stats[(CPU0, CPU1)]["copies"] == 3, stats
        for r, local in enumerate(strategy.experimental_local_results(out)):
            for k, t in enumerate(local):
                a, b = (data[0][k], data[1][k]) if k < 4 else ((ints[0], ints[1]) if k == 4 else (big[0], big[1]))
                np.testing.assert_array_equal(t.numpy(), a + b)   # the bits of summing each on its own
                assert t.shape == a.shape and t.device == (CPU0, CPU1)[r]
        mean = strategy.run(lambda: ef.distribute.get_replica_context().all_reduce(
            "MEAN", [ef.constant([1.0, 3.0]), ef.constant([5])]))
        a, b = strategy.experimental_local_results(mean)[1]
        np.testing.assert_array_equal(a.numpy(), [1.0, 3.0]) and np.testing.assert_array_equal(b.numpy(), [5])
        def mismatched():
            r = int(ef.distribute.get_replica_context().replica_id_in_sync_group)
            return ef.distribute.get_replica_context().all_reduce("SUM", [ef.ones([2 + r]), ef.ones([2])])
        try:
            strategy.run(mismatched)
        except (ValueError, ef.errors.InvalidArgumentError) as e:
            assert "shape" in str(e), e
        else:
            raise AssertionError("expected a shape error")
    """)


def test_a_reduction_never_refills_a_buffer_an_earlier_result_still_uses():
    run_two_cpus("""
        big = (300, 300)   # above the pack size: reduced alone, into spare buffers
        def fn(scale):
            r = ef.cast(ef.distribute.get_replica_context().replica_id_in_sync_group + 1, ef.float32)
            return ef.distribute.get_replica_context().all_reduce(
                "SUM", [ef.ones(big) * r * scale, ef.ones([3]) * r * scale])
        kept = strategy.run(fn, args=(1.0,))
        view = strategy.experimental_local_results(kept)[1][1]._value[1:]   # a view keeps its buffer too
        for scale in (2.0, 4.0, 8.0):
            out = strategy.run(fn, args=(scale,))
            for local in strategy.experimental_local_results(out):
                assert local[0].numpy().tolist() == np.full(big, 3 * scale).tolist()
        for local in strategy.experimental_local_results(kept):
            assert local[0].numpy().tolist() == np.full(big, 3.0).tolist() and local[1].numpy().tolist() == [3.0] * 3
        assert view.tolist() == [3.0, 3.0]
    """)


def test_batch_reduce_to_gives_mirrored_values_on_the_destinations():
    run_two_cpus("""
        with strategy.scope():
            v = ef.Variable([0.0, 0.0])
        per = strategy.experimental_distribute_values_from_function(
            lambda ctx: ef.constant([1.0, 2.0]) * ef.cast(ctx.replica_id_in_sync_group + 1, ef.float32))
        total, on_one = strategy.extended.batch_reduce_to("SUM", [(per, v), (per, "CPU:1")])
        assert type(total).__name__ == "Mirrored" and [c.device for c in total.values] == [CPU0, CPU1]
        np.testing.assert_array_equal(total.values[1].numpy(), [3.0, 6.0])
        assert on_one.device == CPU1 and on_one.numpy().tolist() == [3.0, 6.0]
        mean = strategy.extended.reduce_to("MEAN", per, v)
        assert mean.values[0].numpy().tolist() == [1.5, 3.0]
        try:
            strategy.extended.reduce_to("SUM", ef.constant(1.0), v)
        except ValueError as e:
            assert "non-DistributedValues" in str(e)
        else:
            raise AssertionError("expected ValueError")
    """)


def test_training_keeps_components_equal_and_sums_gradients():
    run_two_cpus("""
        with strategy.scope():
            w = ef.Variable([[1.0], [2.0]])
            opt = ef.optimizers.SGD(0.1, momentum=0.5)
        assert isinstance(w, ef.distribute.MirroredVariable) and isinstance(w, ef.Variable)
        def step(x):
            with ef.GradientTape() as tape:
                loss = ef.reduce_sum(ef.matmul(x, w))
            opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
            return loss
        per_replica_x = strategy.experimental_distribute_values_from_function(
            lambda ctx: ef.constant([[1.0, 1.0]]) * ef.cast(ctx.replica_id_in_sync_group + 1, ef.float32))
        for _ in range(3):
            strategy.run(step, args=(per_replica_x,))
        c0, c1 = w.values
        np.testing.assert_array_equal(c0.numpy(), c1.numpy())
        assert c0.device == CPU0 and c1.device == CPU1
        # the summed gradient is 1 + 2 = 3 per element; SGD with momentum 0.5 over three steps
        m, v = 0.0, np.array([[1.0], [2.0]], np.float32)
        for _ in range(3):
            m = np.float32(0.5) * m - np.float32(0.1) * np.float32(3.0)
            v = v + m
        np.testing.assert_allclose(c0.numpy(), v, rtol=1e-6)
        assert int(opt.iterations) == 3 and all(int(c.numpy()) == 3 for c in opt.iterations.value.values)
    """)


def test_replica_zero_runs_in_the_caller_with_a_new_threads_state():
    run_two_cpus("""
        x = ef.Variable(2.0)
        with ef.GradientTape() as tape, ef.device("CPU:1"), ef.name_scope("outer"):
            out = strategy.run(lambda: (x * 3.0, threading.current_thread().name))
            after = ef.constant(1.0)
        (y0, y1), names = strategy.experimental_local_results(out[0]), out[1]
        assert y0.device == CPU0 and y1.device == CPU1, (y0.device, y1.device)  # the replicas' own devices
        assert threading.current_thread().name in names.values and "ef-replica_1" in names.values, names
        assert tape.gradient(y0, x) is None  # the caller's tape does not see a replica's ops
        assert after.device == CPU1  # the caller's scopes are back
        for _ in range(3):  # the threads are reused
            assert strategy.run(lambda: threading.current_thread().name).values[1] == "ef-replica_1"
    """)


def test_replicas_split_the_blas_threads_while_they_run():
    run_two_cpus("""
        from eagerflow.backends import blas_threads
        if blas_threads.threads() is not None:
            blas_threads.set_threads(4)  # as a 4-core machine's OpenBLAS: each replica's products get 2
            seen = strategy.run(lambda: ef.constant(blas_threads.threads()))
            assert [int(t) for t in seen.values] == [2, 2], seen
            assert blas_threads.threads() == 4  # given back after the run
            with blas_threads.shared_by(2):  # overlapping runs (two threads' strategies): the last gives back
                with blas_threads.shared_by(2):
                    assert blas_threads.threads() == 2
                assert blas_threads.threads() == 2
            assert blas_threads.threads() == 4
            blas_threads.set_threads(1)  # one thread already: nothing to split
            assert strategy.run(lambda: blas_threads.threads()) == 1 and blas_threads.threads() == 1
            blas_threads.set_threads(4)
            try:
                strategy.run(lambda: 1 / 0)
                raise AssertionError("no error")
            except ZeroDivisionError:
                pass
            assert blas_threads.threads() == 4  # a failing replica gives them back too
            first, second = blas_threads.single_threaded(), blas_threads.single_threaded()
            first.__enter__()  # two convolutions in two threads, the first to start ends first
            second.__enter__()
            first.__exit__(None, None, None)
            assert blas_threads.threads() == 1  # the other still spreads its own GEMMs
            second.__exit__(None, None, None)
            assert blas_threads.threads() == 4  # the last gives back the count from before the first
            with blas_threads.shared_by(2):
                with blas_threads.single_threaded():  # a convolution inside a replica
                    assert blas_threads.threads() == 1
                assert blas_threads.threads() == 2  # the replicas' share again
            assert blas_threads.threads() == 4
            with blas_threads.shared_by(2):
                blas_threads.set_threads(3)  # set by the user meanwhile: kept
            assert blas_threads.threads() == 3
    """)


def test_sync_on_read_variables_aggregate_when_read():
    run_two_cpus("""
        with strategy.scope():
            total = ef.Variable(0.0, synchronization=ef.VariableSynchronization.ON_READ,
                                aggregation=ef.VariableAggregation.SUM, trainable=False)
        def fn():
            ctx = ef.distribute.get_replica_context()
            total.assign_add(ef.cast(ctx.replica_id_in_sync_group + 1, ef.float32))
        strategy.run(fn)
        strategy.run(fn)
        assert float(total.numpy()) == 6.0  # replica 0 added 1 twice, replica 1 added 2 twice
        assert [float(c.numpy()) for c in total.values] == [2.0, 4.0]
    """)


def test_a_failing_replica_raises_and_never_hangs_the_others():
    run_two_cpus("""
        def fn():
            ctx = ef.distribute.get_replica_context()
            if int(ctx.replica_id_in_sync_group) == 1:
                raise ValueError("replica 1 fails")
            return ctx.all_reduce("SUM", ef.constant(1.0))  # replica 0 waits here for replica 1
        try:
            strategy.run(fn)
        except (ValueError, RuntimeError) as e:
            assert "replica 1 fails" in str(e) or "Another replica failed" in str(e), e
        else:
            raise AssertionError("expected the replica's error")
    """)


def test_contexts_and_the_default_strategy():
    run_two_cpus("""
        assert not ef.distribute.has_strategy() and not ef.distribute.in_cross_replica_context()
        default = ef.distribute.get_strategy()
        assert default.num_replicas_in_sync == 1 and ef.distribute.get_replica_context() is not None
        with strategy.scope():
            assert ef.distribute.get_strategy() is strategy and ef.distribute.in_cross_replica_context()
            assert ef.distribute.get_replica_context() is None
            assert ef.distribute.get_cross_replica_context() is strategy
        seen = strategy.run(lambda: (ef.distribute.in_cross_replica_context(),
                                     ef.distribute.get_strategy() is strategy))
        assert seen == (False, True), seen
        try:
            ef.distribute.MirroredStrategy(["CPU:0", "CPU:7"])
        except ValueError as e:
            assert "CPU:7" in str(e)
        else:
            raise AssertionError("expected ValueError for a missing device")
    """)


def test_distribute_is_imported_on_first_use():
    code = "import sys, eagerflow as ef; assert 'eagerflow.distribute' not in sys.modules; ef.distribute; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_distributed_training_example_learns_the_digits():
    pytest = __import__("pytest")
    pytest.importorskip("sklearn")
    example = os.path.join(os.path.dirname(__file__), os.pardir, "examples", "distributed_training.py")
    done = subprocess.run([sys.executable, example], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    mirrored, _, ps = done.stdout.partition("\n\n")  # MirroredStrategy, then ParameterServerStrategy on Ray
    lines = mirrored.splitlines()
    losses = [float(line.split()[-1]) for line in lines if line.startswith("epoch")]
    assert len(losses) == 10 and losses[-1] < losses[0] / 10
    accuracy = float(next(line for line in lines if line.startswith("test accuracy")).split()[-1])
    assert accuracy >= 0.93 and lines[-1] == "replica copies equal: True"
    lines = ps.splitlines()
    losses = [float(line.split()[-1]) for line in lines if line.startswith("epoch")]
    assert len(losses) == 5 and losses[-1] < losses[0] / 4, ps
    assert lines[-1].startswith("test accuracy") and float(lines[-1].split()[2]) >= 0.9, ps
