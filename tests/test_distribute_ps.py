"""ef.distribute on Ray: ParameterServerStrategy, ClusterCoordinator, RayClusterResolver.

One local Ray (2 CPUs) and one cluster (2 workers, 2 parameter servers) for the module; the tests that kill
tasks run last (a worker, then a parameter server). TF's partitioner shapes are pinned by
tests/conformance/cases/distribute_partitioners.py.
"""

import logging
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import eagerflow as ef

ray = pytest.importorskip("ray")
cloudpickle = pytest.importorskip("cloudpickle")
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this test module

pytestmark = pytest.mark.distributed


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False,
             configure_logging=False)
    resolver = ef.distribute.cluster_resolver.RayClusterResolver(num_workers=2, num_ps=2)
    strategy = ef.distribute.ParameterServerStrategy(resolver)
    coordinator = ef.distribute.coordinator.ClusterCoordinator(strategy)
    yield resolver, strategy, coordinator
    resolver.shutdown()
    ray.shutdown()


def run_python(code):
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_import_eagerflow_never_imports_ray():
    out = run_python("import sys, eagerflow as ef; ef.distribute.ParameterServerStrategy; "
                     "ef.distribute.cluster_resolver.RayClusterResolver(); print('ray' in sys.modules)")
    assert out.strip() == "False"


def test_without_ray_the_first_distributed_call_says_how_to_install_it():
    out = run_python("import sys; sys.modules['ray'] = None\n"
                     "import eagerflow as ef\n"
                     "r = ef.distribute.cluster_resolver.RayClusterResolver()\n"
                     "try:\n    ef.distribute.ParameterServerStrategy(r)\n"
                     "except ImportError as e:\n    print(e)\n")
    assert "pip install 'eagerflow[distributed]'" in out


def test_resolver_names_the_tasks_as_tf_jobs(cluster):
    resolver, strategy, _ = cluster
    spec = resolver.cluster_spec()
    assert spec.jobs == ["ps", "worker"] and spec.num_tasks("worker") == 2 and spec.num_tasks("ps") == 2
    assert spec.task_address("worker", 1).endswith("/job:worker/replica:0/task:1")
    assert (resolver.task_type, resolver.task_id, resolver.rpc_layer) == ("chief", 0, "ray")
    assert strategy.num_replicas_in_sync == 1
    with pytest.raises(ValueError, match="num_workers >= 1"):
        ef.distribute.cluster_resolver.RayClusterResolver(num_workers=0)


def test_variables_live_on_the_parameter_servers_round_robin(cluster):
    _, strategy, _ = cluster
    strategy._next_ps = 0
    with strategy.scope():
        a = ef.Variable([1.0, 2.0, 3.0], name="a")
        b = ef.Variable(5.0, name="b")
        c = ef.Variable(1, name="c")
        with ef.device("/job:ps/task:1"):
            d = ef.Variable(1, name="d")
    assert [v.device for v in (a, b, c, d)] == [f"/job:ps/replica:0/task:{i}/device:CPU:0" for i in (0, 1, 0, 1)]
    assert repr(a) == "<ef.Variable 'a:0' shape=(3,) dtype=float32, numpy=array([1., 2., 3.], dtype=float32)>"
    assert repr(b.assign_add(1.0)) == "<ef.Variable 'UnreadVariable' shape=() dtype=float32, numpy=6.0>"
    np.testing.assert_array_equal((a + 1.0).numpy(), [2.0, 3.0, 4.0])
    r = a.read_value()
    a.assign([4.0, 5.0, 6.0])
    np.testing.assert_array_equal(r.numpy(), [1.0, 2.0, 3.0])  # a read never changes
    np.testing.assert_array_equal(a.numpy(), [4.0, 5.0, 6.0])
    with pytest.raises(ValueError, match="Shape mismatch.The variable shape \\(3,\\)"):
        a.assign([1.0, 2.0])
    np.testing.assert_array_equal(a.numpy(), [4.0, 5.0, 6.0])  # a refused update changes nothing
    with pytest.raises(ef.errors.InvalidArgumentError, match="2 parameter server"):
        with strategy.scope(), ef.device("/job:ps/task:5"):
            ef.Variable(1.0)


def test_sharded_variables_split_the_first_axis_as_tf(cluster, tmp_path):
    resolver, _, _ = cluster
    partitioner = ef.distribute.experimental.partitioners.FixedShardsPartitioner(2)
    strategy = ef.distribute.ParameterServerStrategy(resolver, variable_partitioner=partitioner)
    value = np.arange(10, dtype=np.float32).reshape(5, 2)
    with strategy.scope():
        c = ef.Variable(value, name="c")
        one_row = ef.Variable(np.zeros((1, 2), np.float32), name="c3")
    assert isinstance(c, ef.distribute.ShardedVariable) and isinstance(one_row, ef.Variable)
    assert [v.name for v in c.variables] == ["c/part_0:0", "c/part_1:0"]
    assert [tuple(v.shape) for v in c.variables] == [(3, 2), (2, 2)]
    assert [v.device[:17] for v in c.variables] == ["/job:ps/replica:0", "/job:ps/replica:0"]
    assert c.variables[0].device != c.variables[1].device
    np.testing.assert_array_equal(ef.convert_to_tensor(c).numpy(), value)
    c.assign_add(np.ones((5, 2), np.float32))
    np.testing.assert_array_equal(c.numpy(), value + 1)

    # in a module its shards are the variables (as TF's); a checkpoint holds it as one full variable
    module = ef.Module()
    module.c = c
    assert [v.name for v in module.trainable_variables] == ["c/part_0:0", "c/part_1:0"]
    path = ef.train.Checkpoint(model=module).write(str(tmp_path / "sharded"))
    assert ef.train.list_variables(path)[1:] == [("model/c/.ATTRIBUTES/VARIABLE_VALUE", [5, 2])]
    plain = ef.Module()
    plain.c = ef.Variable(np.zeros((5, 2), np.float32))
    ef.train.Checkpoint(model=plain).read(path).assert_consumed()
    np.testing.assert_array_equal(plain.c.numpy(), value + 1)
    plain.c.assign(plain.c * 2)
    ef.train.Checkpoint(model=module).read(ef.train.Checkpoint(model=plain).write(str(tmp_path / "plain")))
    np.testing.assert_array_equal(c.numpy(), 2 * (value + 1))
    with pytest.raises(ValueError, match="the checkpoint holds shape \\(5, 2\\), the variable has shape"):
        small = ef.Module()
        with strategy.scope():
            small.c = ef.Variable(np.zeros((4, 2), np.float32), name="c")
        ef.train.Checkpoint(model=small).read(path)


def _bad_and_good_updates(v, i, s):
    """Updates of v (float32 [1, 2, 3], 'a'), i (int32 1, 'i') and s (string, 's'): refused ones (TF's
    error class and eagerflow's message) and accepted ones of every kind."""
    slices = ef.IndexedSlices
    return [lambda: v.assign([1.0, 2.0]), lambda: v.assign_add([1.0, 2.0]), lambda: v.assign_sub([[1.0, 2.0, 3.0]]),
            lambda: v.assign(ef.constant([1, 2, 3])), lambda: v.assign_add(ef.constant([1, 2, 3])),
            lambda: v.assign("abc"), lambda: i.assign(1.5), lambda: i.assign(2 ** 40), lambda: s.assign_add("y"),
            lambda: v.scatter_nd_update([[0]], [1.0, 2.0]), lambda: v.scatter_nd_add([[5]], [1.0]),
            lambda: v.scatter_nd_add([[1]], ef.constant([1])), lambda: v[0:2].assign([1.0, 2.0, 3.0]),
            lambda: v.scatter_update([9.0]), lambda: v.assign(None),
            lambda: v.assign_add(ef.constant([0.5, 0.5, 0.5])), lambda: v.scatter_nd_max([[0]], [7.0]),
            lambda: v.scatter_update(slices(ef.constant([9.0]), ef.constant([1]))),
            lambda: v.scatter_max(slices(ef.constant([8.0]), ef.constant([2]))),
            lambda: v.batch_scatter_update(slices(ef.constant([5.0]), ef.constant([0]))),
            lambda: v[1:3].assign([4.0, 6.0]), lambda: i.count_up_to(5), lambda: s.assign("z")]


def _outcomes(v, i, s):
    out = []
    for update in _bad_and_good_updates(v, i, s):
        try:
            result = update()
            out.append(("ok", None if result is None else np.asarray(result).tolist()))
        except Exception as e:  # noqa: BLE001  (what the caller sees is compared)
            out.append((type(e).__name__, str(e)))
    return out + [(v.numpy().tolist(), int(i.numpy()), s.numpy())]


def test_remote_variables_update_and_refuse_as_local_ones(cluster):
    _, strategy, coordinator = cluster

    def variables():
        return (ef.Variable([1.0, 2.0, 3.0], name="a"), ef.Variable(1, name="i"), ef.Variable("x", name="s"))
    local = _outcomes(*variables())
    assert local[-1] == ([5.0, 4.0, 6.0], 2, b"z") and sum(o[0] == "ok" for o in local[:-1]) == 8
    with strategy.scope():
        on_coordinator = variables()
        on_worker = variables()
    assert _outcomes(*on_coordinator) == local  # each update one call, run by the server's Variable
    in_step = coordinator.schedule(_outcomes, args=on_worker).fetch()  # on the step's copies, then sent
    assert [tuple(o) if isinstance(o, list) and len(o) == 2 else o for o in in_step[:-1]] == local[:-1]
    assert (on_worker[0].numpy().tolist(), int(on_worker[1].numpy()), on_worker[2].numpy()) == local[-1]


def test_eight_concurrent_assign_add_streams_lose_nothing(cluster):
    _, strategy, coordinator = cluster
    with strategy.scope():
        counter = ef.Variable(0.0, name="counter")

    def stream():
        for _ in range(25):
            counter.assign_add(1.0)
    threads = [threading.Thread(target=stream) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert float(counter.numpy()) == 200.0

    def step():  # on the workers: each pushes its delta; the PS adds them one at a time
        counter.assign_add(1.0)
        return counter.read_value()
    values = [coordinator.schedule(step) for _ in range(8 * 10)]
    coordinator.join()
    assert float(counter.numpy()) == 280.0
    assert all(200.0 < float(v.fetch()) <= 280.0 for v in values)


def test_each_function_reads_at_its_start_what_the_server_holds_with_its_worker_s_earlier_updates(cluster):
    _, strategy, coordinator = cluster
    with strategy.scope():
        total = ef.Variable(0.0, name="total")

    def add_and_read():  # the read sees the value pulled at the start plus this function's own update
        total.assign_add(1.0)
        return ef.distribute.coordinator.experimental_get_current_worker_index(), total.read_value()
    results = [coordinator.schedule(add_and_read) for _ in range(60)]
    coordinator.join()
    assert float(total.numpy()) == 60.0
    by_worker = {}
    for worker, value in (r.fetch() for r in results):
        by_worker.setdefault(worker, []).append(float(value))
    for values in by_worker.values():  # a worker's next function starts after its updates arrived on the server
        assert all(a < b for a, b in zip(values, values[1:])), values
    assert all(1.0 <= v <= 60.0 for values in by_worker.values() for v in values)


def test_count_up_to_in_functions_counts_on_the_server_as_tf(cluster):
    _, strategy, coordinator = cluster
    with strategy.scope():
        counter = ef.Variable(0, name="up_to")
        total = ef.Variable(0, name="counted")

    def count():  # the server's count (each worker's copy is behind the other worker's counts), as TF
        total.assign_add(1)
        found = counter.count_up_to(25)
        return found, counter.read_value()
    results = [coordinator.schedule(count) for _ in range(60)]
    with pytest.raises(ef.errors.OutOfRangeError):
        coordinator.join()
    counts = []
    for r in results:
        try:
            found, after = r.fetch()
            assert after == found + 1  # the step reads the count it made
            counts.append(int(found))
        except ef.errors.OutOfRangeError as e:
            assert "Reached limit of 25" in str(e)
    assert sorted(counts) == list(range(25))  # each value once, over both workers
    assert int(counter.numpy()) == 25
    # the function's updates made before the count went with it (to each server, as TF has run them by then):
    # the functions the counter refused had made theirs
    assert int(total.numpy()) == 60

    with strategy.scope():
        start = ef.Variable(0, name="restart")

    def restart():  # the function's own earlier update of the counter is applied before the count
        start.assign(10)
        return start.count_up_to(12)
    assert int(coordinator.schedule(restart).fetch()) == 10
    assert int(start.numpy()) == 11


def test_a_function_scheduled_again_is_sent_once_and_again_when_what_it_refers_to_changes(cluster):
    _, strategy, coordinator = cluster
    with strategy.scope():
        seen = ef.Variable(0.0, name="seen")
    settings = {"scale": 2.0}
    history = []

    def scaled():  # settings by value (as it is when scheduled); history: the worker's copy, fresh each run
        history.append(1)
        seen.assign_add(1.0)
        return settings["scale"], len(history)
    known = coordinator._payloads._next
    first = [coordinator.schedule(scaled) for _ in range(6)]
    coordinator.join()
    settings["scale"] = 3.0  # what the function captures changed: it pickles to other bytes, and is sent anew
    second = [coordinator.schedule(scaled) for _ in range(6)]
    coordinator.join()
    assert [r.fetch() for r in first + second] == [(2.0, 1)] * 6 + [(3.0, 1)] * 6  # no run sees an earlier one's
    assert float(seen.numpy()) == 12.0
    assert coordinator._payloads._next == known + 2  # two payloads (each sent to a worker once: see below)


def test_two_coordinators_on_one_cluster_run_each_its_own_functions(cluster):
    resolver, _, first = cluster
    second = ef.distribute.coordinator.ClusterCoordinator(ef.distribute.ParameterServerStrategy(resolver))
    assert second is not first

    def one():
        return 1

    def two():
        return 2
    for _ in range(3):  # each sends its own payloads to the same workers, and refers to them by id
        values = [(c.schedule(f), f()) for c, f in ((first, one), (second, two)) for _ in range(4)]
        first.join()
        second.join()
        assert [v.fetch() for v, _ in values] == [want for _, want in values]


def test_payload_ids_and_what_a_worker_holds():
    from eagerflow.distribute.coordinator import _Payloads, _Shipped
    payloads = _Payloads()
    a, b = payloads.id_of(b"one" * 100), payloads.id_of(b"two" * 100)
    assert payloads.id_of(b"one" * 100) == a != b
    assert payloads.id_of(bytes(bytearray(b"two" * 100))) == b  # the bytes decide, not the object
    huge = payloads.id_of(bytes(_Payloads._BYTES))  # over its bytes the oldest are forgotten (not the newest)
    assert payloads.id_of(b"one" * 100) not in (a, huge) and payloads.id_of(bytes(_Payloads._BYTES)) != huge

    class Closure:
        def __init__(self, payload_id, size):
            self.payload_id, self.payload, self.pulls = payload_id, b"x" * size, {0: ["k"]}
    shipped = _Shipped()
    items, drops = shipped.call_args([Closure(1, 10), Closure(1, 10), Closure(2, 10)])
    assert items == [(1, b"x" * 10, {0: ["k"]}), (1, None, None), (2, b"x" * 10, {0: ["k"]})] and drops == []
    items, drops = shipped.call_args([Closure(2, 10)])
    assert items == [(2, None, None)] and drops == []
    # over its entries the least recently used goes, never one sent in the same call
    closures = [Closure(i, 10) for i in range(3, 3 + _Shipped._ENTRIES)]
    items, drops = shipped.call_args(closures)
    assert drops == [1, 2] and all(payload is not None for _, payload, _ in items)
    big = _Shipped._BYTES // 2 + 1
    items, drops = shipped.call_args([Closure(100, big), Closure(101, big)])
    assert 100 in drops and [payload is not None for _, payload, _ in items] == [True, True]
    items, drops = shipped.call_args([Closure(100, big)])  # dropped in an earlier call: sent again
    assert items[0][1] is not None and drops == [101]
    shipped.clear()
    assert shipped.call_args([Closure(100, 10)])[0][0][1] is not None


def _digits():
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    order = np.random.default_rng(0).permutation(len(x))
    return x[order[:1400]], y[order[:1400]], x[order[1400:]], y[order[1400:]]


def _model_and_optimizer():
    ef.random.set_seed(0)
    model = ef.keras.Sequential([ef.keras.layers.Dense(64, activation="relu"), ef.keras.layers.Dense(10)])
    model.build((None, 64))
    # a small step: asynchronous workers kept busy read the variables about one step behind (the other
    # worker's update in flight), which a large Adam step turns into noise in the final accuracy
    optimizer = ef.keras.optimizers.Adam(0.002)
    optimizer.build(model.trainable_variables)
    return model, optimizer


def _train_step(model, optimizer, x, y):
    with ef.GradientTape() as tape:
        loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=model(x)))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def _accuracy(model, x, y):
    return float(np.mean(ef.argmax(model(ef.constant(x)), axis=1, output_type=ef.int32).numpy() == y))


def test_ps_training_of_the_digits_mlp_matches_single_process_accuracy(cluster, tmp_path):
    _, strategy, coordinator = cluster
    x, y, x_test, y_test = _digits()
    steps = 15 * len(x) // 50

    model, optimizer = _model_and_optimizer()
    batches = iter(ef.data.Dataset.from_tensor_slices((x, y)).shuffle(1400, seed=0).batch(50).repeat())
    for _ in range(steps):
        _train_step(model, optimizer, *next(batches))
    single = _accuracy(model, x_test, y_test)

    with strategy.scope():
        ps_model, ps_optimizer = _model_and_optimizer()
    assert all(v.device.startswith("/job:ps/") for v in list(ps_model.variables) + list(ps_optimizer.variables))

    def dataset_fn():  # each worker its own order (dataset_fn runs on the worker)
        seed = ef.distribute.coordinator.experimental_get_current_worker_index()
        return ef.data.Dataset.from_tensor_slices((x, y)).shuffle(1400, seed=seed).batch(50).repeat()
    iterator = iter(coordinator.create_per_worker_dataset(dataset_fn))

    def worker_fn(iterator):
        x_batch, y_batch = next(iterator)
        return strategy.run(_train_step, args=(ps_model, ps_optimizer, x_batch, y_batch))
    losses = [coordinator.schedule(worker_fn, args=(iterator,)) for _ in range(steps)]
    losses[0].fetch()
    assert int(ps_optimizer.iterations.numpy()) >= 1  # a function done has its updates applied
    coordinator.join()
    assert coordinator.done()
    assert int(ps_optimizer.iterations.numpy()) == steps  # every step's update arrived
    assert float(np.mean([v.fetch() for v in losses[-10:]])) < float(np.mean([v.fetch() for v in losses[:10]]))
    distributed = _accuracy(ps_model, x_test, y_test)
    assert single > 0.9 and distributed >= single - 0.03, (single, distributed)

    # a checkpoint saved from the coordinator (values pulled from the PS) restores after a restart
    path = ef.train.Checkpoint(model=ps_model).write(str(tmp_path / "ps"))
    restored, _ = _model_and_optimizer()
    ef.train.Checkpoint(model=restored).read(path).assert_consumed()
    assert _accuracy(restored, x_test, y_test) == distributed
    for v, w in zip(ps_model.variables, restored.variables):
        np.testing.assert_array_equal(v.numpy(), w.numpy())
    saved = [v.numpy() for v in ps_model.variables]
    for v in ps_model.variables:
        v.assign(np.zeros(v.shape, np.float32))
    ef.train.Checkpoint(model=ps_model).read(path)
    for v, value in zip(ps_model.variables, saved):
        np.testing.assert_array_equal(v.numpy(), value)


def test_errors_of_a_scheduled_function_reach_fetch_and_join(cluster):
    _, strategy, coordinator = cluster
    with strategy.scope():
        touched = ef.Variable(0.0, name="touched")

    def bad():
        touched.assign_add(1.0)
        ef.debugging.assert_equal(ef.constant(1), ef.constant(2))
    value = coordinator.schedule(bad)
    with pytest.raises(ef.errors.InvalidArgumentError):
        coordinator.join()
    with pytest.raises(ef.errors.InvalidArgumentError):
        value.fetch()
    assert coordinator.done()
    assert float(touched.numpy()) == 0.0  # a function that failed applies none of its updates


def test_a_killed_worker_s_function_is_retried_and_its_slot_replaced(cluster):
    resolver, strategy, coordinator = cluster
    with strategy.scope():
        done = ef.Variable(0, name="done")
    first = iter(coordinator.create_per_worker_dataset(lambda: ef.data.Dataset.range(100)))

    def slow():
        time.sleep(1.0)
        done.assign_add(1)
        return ef.distribute.coordinator.experimental_get_current_worker_index()
    values = [coordinator.schedule(slow) for _ in range(4)]
    time.sleep(0.5)  # worker 0 is inside its first function
    killed = resolver.actor("worker", 0)
    ray.kill(killed)
    coordinator.join()
    assert int(done.numpy()) == 4  # each exactly once: the killed run's update was never sent
    assert all(v.fetch() in (0, 1) for v in values)

    # the slot has a new worker, with the per-worker dataset made again (its iterator from the start, as TF)
    assert resolver.actor("worker", 0) is not killed
    assert resolver.cluster_spec().num_tasks("worker") == 2

    def take(iterator):
        time.sleep(0.2)
        return ef.distribute.coordinator.experimental_get_current_worker_index(), next(iterator)
    taken = [coordinator.schedule(take, args=(first,)) for _ in range(6)]
    coordinator.join()
    by_worker = {}
    for index, element in (v.fetch() for v in taken):
        by_worker.setdefault(index, []).append(int(element))
    assert sorted(by_worker) == [0, 1]  # both slots serve again
    assert by_worker[0] == list(range(len(by_worker[0])))


def test_a_killed_parameter_server_gives_unavailable_error(cluster):
    resolver, strategy, coordinator = cluster
    with strategy.scope(), ef.device("/job:ps/task:1"):
        v = ef.Variable(1.0, name="on_ps1")
    ray.kill(resolver.actor("ps", 1))

    def step():
        v.assign_add(1.0)
    value = coordinator.schedule(step)
    with pytest.raises(ef.errors.UnavailableError, match="/job:ps/replica:0/task:1"):
        coordinator.join()
    with pytest.raises(ef.errors.UnavailableError):
        value.fetch()
    with pytest.raises(ef.errors.UnavailableError):
        v.numpy()
