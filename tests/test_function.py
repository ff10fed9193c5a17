"""ef.function traces once per signature and replays the recording (framework/function.py, recording.py).

TF's printed behaviour is pinned by tests/conformance/cases/function_*.py; these tests check what a
printout cannot: replayed results equal eager ones bit for bit, gradients through a call, state never
changed by get_concrete_function, eager fallback of data-dependent traces, threads.
"""

import logging
import threading
import weakref

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.framework import recording


def _mlp(seed):
    rng = np.random.default_rng(seed)
    model = ef.layers.Sequential([ef.layers.Dense(16, activation="relu"), ef.layers.Dense(3)])
    x = ef.constant(rng.standard_normal((8, 5)).astype(np.float32))
    y = ef.constant(rng.integers(0, 3, size=8).astype(np.int32))
    model(x)
    for v in model.trainable_variables:
        v.assign(rng.standard_normal(v.shape).astype(np.float32) * 0.3)
    return model, x, y


@pytest.mark.parametrize("make_optimizer", [lambda: ef.optimizers.SGD(0.1),
                                            lambda: ef.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
                                            lambda: ef.optimizers.Adam(0.01)])
def test_training_loop_under_function_gives_the_eager_losses_bit_for_bit(make_optimizer):
    losses = {}
    for mode in ("eager", "function"):
        model, x, y = _mlp(0)
        optimizer = make_optimizer()

        def step(x, y, model=model, optimizer=optimizer):
            with ef.GradientTape() as tape:
                logits = model(x)
                loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        run = ef.function(step) if mode == "function" else step
        losses[mode] = [run(x, y).numpy() for _ in range(6)]
        if mode == "function":
            assert run.experimental_get_tracing_count() == 1
            assert int(optimizer.iterations) == 6
    assert losses["eager"] == losses["function"]


def test_sgd_steps_are_replayed_and_follow_a_changed_learning_rate():
    v = ef.Variable([1.0, 2.0])
    opt = ef.optimizers.SGD(0.5)

    @ef.function
    def step(g):
        opt.apply_gradients([(g, v)])

    step(ef.constant([1.0, 1.0]))
    concrete = next(iter(step._concrete.values()))
    assert concrete._plan is not None  # replayed, not run eagerly
    opt.learning_rate = 0.25  # a variable: the replay reads it
    step(ef.constant([1.0, 1.0]))
    np.testing.assert_array_equal(v.numpy(), [0.25, 1.25])


def test_gradients_through_a_traced_call_equal_the_eager_ones():
    w = ef.Variable([[1.0, -2.0], [0.5, 3.0]])

    def f(x):
        return ef.reduce_sum(ef.tanh(ef.matmul(x, w)) * x)

    traced = ef.function(f)
    x = ef.constant([[0.3, -0.7]])
    traced(x)  # trace
    for fn in (f, traced):
        with ef.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        gx, gw = tape.gradient(y, [x, w])
        if fn is f:
            want = (gx.numpy(), gw.numpy())
    np.testing.assert_array_equal(gx.numpy(), want[0])
    np.testing.assert_array_equal(gw.numpy(), want[1])


def test_data_dependent_python_control_flow_runs_eagerly_with_both_branches(caplog):
    traces = []

    @ef.function
    def f(x):
        traces.append(1)
        return x * 2 if x > 0 else -x

    with caplog.at_level(logging.WARNING, logger="eagerflow.function"):
        assert float(f(ef.constant(2.0))) == 4.0
        assert float(f(ef.constant(-3.0))) == 3.0
        assert float(f(ef.constant(5.0))) == 10.0
    assert len(traces) == 3  # the body runs on every call: its branch depends on the value
    assert sum("runs eagerly" in r.message for r in caplog.records) == 1
    assert f.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("reader", [lambda t: t.numpy(), lambda t: int(t), lambda t: float(t), np.asarray,
                                    lambda t: [i for i in ef.range(t)]])
def test_every_value_read_of_a_computed_tensor_marks_the_trace(reader):
    @ef.function
    def f(x):
        reader(x + 1)
        return x

    f(ef.constant(2))
    assert next(iter(f._concrete.values())).unsafe_reason is not None


def test_reading_a_variable_into_python_marks_the_trace():
    v = ef.Variable(1.0)

    @ef.function
    def f(x):
        return x * float(v.numpy())

    f(ef.constant(1.0))
    v.assign(5.0)
    assert float(f(ef.constant(1.0))) == 5.0


def test_get_concrete_function_from_specs_changes_no_state():
    v = ef.Variable([1.0, 2.0])

    @ef.function
    def f(x):
        v.assign_add(x)
        return v * 2

    cf = f.get_concrete_function(ef.TensorSpec([2], ef.float32))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])  # traced, nothing assigned
    assert cf.structured_input_signature == ((ef.TensorSpec([2], ef.float32, name="x"),), {})  # TF names it
    np.testing.assert_array_equal(cf(ef.constant([1.0, 1.0])).numpy(), [4.0, 6.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])


def test_a_replayed_call_that_fails_raises_tf_class_and_names_the_op():
    @ef.function
    def f(params, i):
        return ef.gather(params, i) * 2

    params = ef.constant([1.0, 2.0, 3.0])
    assert float(f(params, ef.constant(1))) == 4.0
    with pytest.raises(ef.errors.InvalidArgumentError) as info:
        f(params, ef.constant(9))
    assert "GatherV2" in str(info.value) or "Gather" in str(info.value)


def test_variables_created_on_a_retrace_are_refused():
    @ef.function
    def f(x):
        return ef.Variable(x) * 2

    assert float(f(ef.constant(1.0))) == 2.0
    with pytest.raises(ValueError, match="singleton tf.Variables created on the first call"):
        f(ef.constant([1.0, 2.0]))


def test_input_signature_and_reduce_retracing_counts():
    @ef.function(input_signature=[ef.TensorSpec([None], ef.float32)])
    def g(x):
        return x + 1

    for n in range(1, 4):
        g(ef.zeros([n]))
    assert g.experimental_get_tracing_count() == 1

    @ef.function(reduce_retracing=True)
    def h(x):
        return x + 1

    for n in range(1, 5):
        np.testing.assert_array_equal(h(ef.zeros([n])).numpy(), np.ones(n, np.float32))
    assert h.experimental_get_tracing_count() == 2


def test_run_functions_eagerly_runs_the_body_every_call():
    calls = []

    @ef.function
    def f(x):
        calls.append(ef.executing_eagerly())
        return x

    ef.config.run_functions_eagerly(True)
    try:
        f(1.0)
        f(2.0)
    finally:
        ef.config.run_functions_eagerly(False)
    assert calls == [True, True]


def test_threads_share_traces_safely():
    v = ef.Variable(0.0)

    @ef.function
    def add(x):
        v.assign_add(x)
        return x * 2

    add(ef.constant(1.0))
    errors = []

    def worker():
        try:
            for _ in range(200):
                assert float(add(ef.constant(1.0))) == 2.0
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert float(v) == 801.0  # no lost update
    assert add.experimental_get_tracing_count() == 1


def test_the_replay_keeps_copy_on_write_reads_intact():
    v = ef.Variable([1.0, 2.0])

    @ef.function
    def f():
        before = v.read_value()
        v.assign_add([10.0, 10.0])
        return before, v.read_value()

    f()
    before, after = f()
    np.testing.assert_array_equal(before.numpy(), [11.0, 12.0])
    np.testing.assert_array_equal(after.numpy(), [21.0, 22.0])


def test_tracing_state_is_per_thread_and_restored():
    assert not recording.tracing()
    seen = []

    @ef.function
    def f(x):
        seen.append(recording.tracing())
        return x

    f(ef.constant(1))
    assert seen == [True] and not recording.tracing() and ef.executing_eagerly()


def test_a_replay_writes_elementwise_results_into_reused_buffers():
    import tracemalloc

    @ef.function
    def f(x, y):
        z = x * y + x
        return ef.reduce_sum(ef.sqrt(z * z + 1.0) - y)

    x, y = ef.constant(np.arange(4096, dtype=np.float32)), ef.constant(np.ones(4096, np.float32))
    want = f.python_function(x, y).numpy()
    assert f(x, y).numpy() == want  # the trace
    plan = next(iter(f._concrete.values()))._plan
    assert len(plan.buffered) >= 4  # every elementwise intermediate
    assert f(x, y).numpy() == want
    buffers = list(plan._thread_buffers())
    tracemalloc.start()
    try:
        for _ in range(5):
            f(x, y)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(a is b for a, b in zip(buffers, plan._thread_buffers()))
    assert peak < 4096 * 4  # no new 16 KB intermediate in steady state: only the scalar result
    assert f(x, y).numpy() == want


def test_results_that_leave_a_call_never_share_a_replay_buffer():
    @ef.function
    def f(x):
        a = x * 2.0
        return a, ef.reshape(a + 1.0, [2, 2])

    x = ef.constant([1.0, 2.0, 3.0, 4.0])
    f(x)
    first = f(x)
    second = f(ef.constant([10.0, 20.0, 30.0, 40.0]))
    np.testing.assert_array_equal(first[0].numpy(), [2.0, 4.0, 6.0, 8.0])
    np.testing.assert_array_equal(first[1].numpy(), [[3.0, 5.0], [7.0, 9.0]])
    np.testing.assert_array_equal(second[1].numpy(), [[21.0, 41.0], [61.0, 81.0]])


def test_threads_replay_into_buffers_of_their_own():
    @ef.function
    def f(x):
        return ef.reduce_sum((x * 3.0 + 1.0) * x)

    f(ef.constant(np.ones(1000, np.float32)))
    errors = []

    def worker(k):
        x = ef.constant(np.full(1000, float(k), np.float32))
        want = float(np.sum((np.float32(k) * 3 + 1) * np.float32(k) * np.ones(1000, np.float32)))
        for _ in range(300):
            got = float(f(x))
            if got != want:
                errors.append((k, got, want))

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_taking_elements_from_a_dataset_iterator_runs_the_trace_eagerly():
    it = iter(ef.data.Dataset.range(5))

    @ef.function
    def take():
        return next(it) * 10

    assert [int(take()) for _ in range(3)] == [0, 10, 20]  # each call takes the next element, as TF

    @ef.function
    def total(ds):
        s = ef.constant(0, ef.int64)
        for x in ds:
            s += x
        return s

    ds = ef.data.Dataset.range(4).shuffle(4)
    assert int(total(ds)) == 6 and int(total(ds)) == 6


def _mlp_step(model, optimizer):
    def step(x, y):
        with ef.GradientTape() as tape:
            logits = model(x)
            loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    return step


def test_a_training_step_replays_without_allocating_and_updates_variables_in_place():
    import tracemalloc

    rng = np.random.default_rng(3)
    model = ef.layers.Sequential([ef.layers.Dense(64, activation="relu"), ef.layers.Dense(10)])
    x = ef.constant(rng.standard_normal((128, 32)).astype(np.float32))
    y = ef.constant(rng.integers(0, 10, size=128).astype(np.int32))
    model(x)
    step = ef.function(_mlp_step(model, ef.optimizers.SGD(0.1)))
    step(x, y)
    step(x, y)
    plan = next(iter(step._concrete.values()))._plan
    views = {"Reshape", "ExpandDims", "BroadcastTo"}
    unbuffered = [op for kind, op, _, _, _, outs, _ in plan.events
                  if kind == "kernel" and op not in views and not set(outs) & set(plan.outputs)
                  and not set(outs) <= set(plan.buffered)]
    assert unbuffered == []  # every intermediate result has a buffer of its own (views have none: they copy nothing)
    buffers = list(plan._thread_buffers())
    # the layers' Keras variables wrap the ef.Variables that own the buffers
    variables = [(v.value, weakref.ref(v.value._buf)) for v in model.trainable_variables]  # held: copy on write
    tracemalloc.start()
    try:
        for _ in range(3):
            step(x, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the intermediates are 4 KB (128 x 10 float32) to 32 KB each: none of them is allocated again
    assert peak < 4096, peak
    assert all(a is b for a, b in zip(buffers, plan._thread_buffers()))
    assert all(v._buf is buf() for v, buf in variables)  # SGD wrote into the variables' own buffers


def test_a_replayed_step_leaves_earlier_reads_of_its_variables_intact():
    model, x, y = _mlp(1)
    step = ef.function(_mlp_step(model, ef.optimizers.SGD(0.1)))
    step(x, y)
    kernel = model.trainable_variables[0]
    held = kernel.value.value()
    want = held.numpy().copy()
    step(x, y)
    np.testing.assert_array_equal(held.numpy(), want)  # copy-on-write: the update went into a fresh buffer
    assert not np.array_equal(kernel.numpy(), want)
    step(x, y)  # and with nothing holding it, in place again
    np.testing.assert_array_equal(held.numpy(), want)


def test_a_bad_label_on_replay_raises_tf_class_and_changes_no_variable():
    model, x, y = _mlp(2)
    step = ef.function(_mlp_step(model, ef.optimizers.SGD(0.1)))
    step(x, y)
    before = [v.numpy().copy() for v in model.trainable_variables]
    bad = ef.constant(np.array([0, 1, 2, 7, 0, 1, 2, 0], np.int32))
    with pytest.raises(ef.errors.InvalidArgumentError, match="SparseSoftmaxCrossEntropyWithLogits") as info:
        step(x, bad)
    assert "label value of 7" in str(info.value)
    for v, b in zip(model.trainable_variables, before):
        np.testing.assert_array_equal(v.numpy(), b)


@pytest.mark.parametrize("shapes", [((3, 4), (4,)), ((3, 1), (1, 4)), ((1,), (3, 4)), ((), (3, 4)),
                                    ((1, 4), (4,)), ((2, 3, 4), (3, 1))])
def test_broadcasting_ops_replay_bit_for_bit(shapes):
    rng = np.random.default_rng(4)
    a, b = (ef.constant(rng.standard_normal(s).astype(np.float32)) for s in shapes)

    def f(a, b):
        return ef.reduce_sum(ef.tanh(a * b + a) - ef.maximum(a, b) / (b * b + 1.0), axis=0), a - b

    traced = ef.function(f)
    for _ in range(3):
        for got, want in zip(traced(a, b), f(a, b)):
            np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_products_reductions_and_their_results_replay_bit_for_bit_and_stay_the_callers():
    rng = np.random.default_rng(5)

    def f(a, b, c):
        p = ef.matmul(a, b, transpose_b=True)
        q = ef.matmul(a, b, transpose_a=False, adjoint_b=True) + ef.matmul(c, a, transpose_a=True)
        r = ef.nn.relu(p - 0.5)
        return (ef.matmul(r, q), ef.reduce_max(r, axis=1, keepdims=True), ef.reduce_mean(q, axis=[0, 1]),
                ef.reduce_prod(r + 1.0, axis=0), ef.matmul(ef.cast(a, ef.complex64), ef.cast(b, ef.complex64),
                                                           adjoint_b=True))

    args = [ef.constant(rng.standard_normal(s).astype(np.float32)) for s in ((5, 5), (5, 5), (5, 5))]
    traced = ef.function(f)
    first = [t.numpy().copy() for t in traced(*args)]
    kept = traced(*args)
    for got, want in zip(kept, f(*args)):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    other = [ef.constant(rng.standard_normal((5, 5)).astype(np.float32)) for _ in range(3)]
    for got, want in zip(traced(*other), f(*other)):
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    for got, want in zip(kept, first):  # results of an earlier call never change
        np.testing.assert_array_equal(got.numpy(), want)


def test_calls_with_tensors_only_find_their_trace_by_dtype_and_shape():
    seen = []

    @ef.function
    def f(x, scale=ef.constant(2.0)):
        seen.append(x.shape)
        return x * scale

    one, two = ef.constant([1.0]), ef.constant([1.0, 2.0])
    for _ in range(2):
        np.testing.assert_array_equal(f(one).numpy(), [2.0])
        np.testing.assert_array_equal(f(two).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(f(two, ef.constant(3.0)).numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(f(ef.constant([1.0, 2.0], ef.float64), ef.constant(1.0, ef.float64)).numpy(),
                                  [1.0, 2.0])
    assert f.experimental_get_tracing_count() == 3 and len(seen) == 3


def test_a_broadcast_view_of_a_variable_read_does_not_keep_its_update_from_writing_in_place():
    v = ef.Variable([1.0, 2.0, 3.0, 4.0])

    @ef.function
    def f(x):
        y = ef.tanh(x + v) * 2.0  # v (4,) is viewed as (1, 4) for the broadcasting add
        v.assign_add(ef.reduce_sum(y, axis=0))
        return y

    x = ef.constant(np.full((1, 4), 0.5, np.float32))
    f(x)
    f(x)
    buf = weakref.ref(v._buf)
    want = v.numpy().copy()
    got = f(x).numpy()
    np.testing.assert_array_equal(got, (np.tanh(0.5 + want) * 2).astype(np.float32).reshape(1, 4))
    assert v._buf is buf()


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float64", "int32", "uint8", "complex64"])
def test_replays_of_other_dtypes_equal_eager(dtype):
    rng = np.random.default_rng(6)
    a, b = (ef.cast(ef.constant(rng.integers(1, 4, size=s).astype(np.float32)), dtype) for s in ((3, 4), (4,)))

    def f(a, b):
        c = a * b + a - b
        m = ef.matmul(c, ef.reshape(ef.tile(b, [3]), [4, 3])) if dtype != "uint8" else c
        return ef.reduce_sum(c, axis=0), ef.reduce_prod(c - a + b), m, ef.equal(c, a)

    traced = ef.function(f)
    for _ in range(3):
        for got, want in zip(traced(a, b), f(a, b)):
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_string_joins_replay():
    @ef.function
    def f(s, t):
        return s + t + s

    s, t = ef.constant([b"a", b"bc"]), ef.constant(b"-")
    f(s, t)
    assert list(f(s, t).numpy()) == [b"a-a", b"bc-bc"]
    assert list(f(ef.constant([b"x", b"y"]), t).numpy()) == [b"x-x", b"y-y"]
