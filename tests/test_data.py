"""ef.data beyond the TF-recorded cases (tests/conformance/cases/data_*.py): shuffling statistics and
buffer semantics, the gather path against stacking, parallel map order, threads ending with their
iterator, checkpointed iterators, file caches, TFRecord corruption, and the lazy import."""

import gc
import os
import random
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.data.dataset import buffer_shuffle_order

D = ef.data.Dataset


def values(ds):
    return [ef.nest.map_structure(lambda t: t.numpy().tolist(), e) for e in ds]


def _generator_of(n):
    """The same elements as range(n), through a path with no index blocks (the general shuffle/batch)."""
    return D.from_generator(lambda: iter(range(n)), output_signature=ef.TensorSpec((), ef.int64))


# --------------------------------------------------------------------------------------------- shuffle

def _reference_order(n, b, rng):
    """TF's buffer shuffle simulated step by step with the slot choices buffer_shuffle_order draws."""
    b = min(b, n)
    steps = n - b
    slots = rng.integers(0, b, size=steps) if steps and b > 1 else np.zeros(steps, np.int64)
    buf, out = list(range(b)), []
    for t in range(steps):
        out.append(buf[slots[t]])
        buf[slots[t]] = t + b
    perm = rng.permutation(b) if b > 1 else np.arange(b)
    return out + [buf[i] for i in perm]


@pytest.mark.parametrize("n,b", [(1, 1), (10, 1), (10, 3), (10, 10), (10, 50), (1000, 64), (257, 256)])
def test_vectorised_shuffle_is_the_buffer_process(n, b):
    got = buffer_shuffle_order(n, b, np.random.default_rng(n * 31 + b))
    assert got.tolist() == _reference_order(n, b, np.random.default_rng(n * 31 + b))


@pytest.mark.parametrize("source", ["slices", "generator"])
def test_every_element_once_per_epoch_and_buffer_bounds(source):
    n, b = 500, 37
    ds = (D.from_tensor_slices(np.arange(n)) if source == "slices" else _generator_of(n)).shuffle(b, seed=5)
    for _ in range(3):
        order = [int(x) for x in ds]
        assert sorted(order) == list(range(n))
        # a buffer of b never emits an element it has not read yet: output i comes from inputs < i + b
        assert all(x < i + b for i, x in enumerate(order))


@pytest.mark.parametrize("source", ["slices", "generator"])
def test_buffer_of_one_keeps_the_order(source):
    ds = (D.from_tensor_slices(np.arange(50)) if source == "slices" else _generator_of(50)).shuffle(1)
    assert [int(x) for x in ds] == list(range(50))
    assert values(ds.batch(7))[0] == list(range(7))


@pytest.mark.parametrize("source", ["slices", "generator"])
def test_full_buffer_is_a_uniform_permutation(source):
    # where element 0 lands over many epochs: uniform over 0..n-1 (chi-square, 9 degrees of freedom)
    n, epochs = 10, 4000
    ds = (D.from_tensor_slices(np.arange(n)) if source == "slices" else _generator_of(n)).shuffle(n, seed=11)
    counts = np.zeros(n)
    for _ in range(epochs):
        counts[[int(x) for x in ds].index(0)] += 1
    expected = epochs / n
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < 27.9  # p = 0.001


def test_small_buffer_mixes_locally():
    # with a buffer of 2, the first output is element 0 or 1, each about half the time
    ds = D.from_tensor_slices(np.arange(100)).shuffle(2, seed=3)
    firsts = [int(next(iter(ds))) for _ in range(2000)]
    assert set(firsts) == {0, 1} and 900 < firsts.count(0) < 1100


def test_reshuffle_seed_and_determinism():
    a = D.range(100).shuffle(100, seed=7)
    e1, e2 = [int(x) for x in a], [int(x) for x in a]
    assert e1 != e2  # reshuffled each iteration
    b = D.range(100).shuffle(100, seed=7)
    assert [int(x) for x in b] == e1 and [int(x) for x in b] == e2  # the same seed, the same epochs
    c = D.range(100).shuffle(100, seed=7, reshuffle_each_iteration=False)
    assert [int(x) for x in c] == [int(x) for x in c]
    ef.random.set_seed(3)
    g1 = [int(x) for x in D.range(50).shuffle(50)]
    ef.random.set_seed(3)
    g2 = [int(x) for x in D.range(50).shuffle(50)]
    ef.random.set_seed(None)
    assert g1 == g2


def test_shuffle_then_repeat_reshuffles_each_epoch():
    order = [int(x) for x in D.from_tensor_slices(np.arange(20)).shuffle(20, seed=1).repeat(3)]
    epochs = [order[i * 20:(i + 1) * 20] for i in range(3)]
    assert all(sorted(e) == list(range(20)) for e in epochs) and epochs[0] != epochs[1]


# --------------------------------------------------------------------------------------------- the gather path

@pytest.mark.parametrize("chain", [
    lambda d: d.batch(4), lambda d: d.batch(4, drop_remainder=True), lambda d: d.skip(3).take(9).batch(4),
    lambda d: d.repeat(3).batch(7), lambda d: d.take(5).repeat(2).batch(3), lambda d: d.shard(3, 1).batch(2),
    lambda d: d.skip(-1).batch(2), lambda d: d.take(0).batch(2),
])
def test_gather_batches_equal_stacked_batches(chain):
    x = np.arange(26, dtype=np.float32).reshape(13, 2)
    y = np.arange(13)
    fast = chain(D.from_tensor_slices({"x": x, "y": y}))
    slow = chain(D.zip({"x": D.from_tensor_slices(x).map(lambda v: v), "y": _generator_of(13)}))
    assert values(fast) == values(slow)
    assert fast.element_spec == slow.element_spec


def test_shuffled_batches_are_gathers_of_the_shuffled_rows():
    x = np.arange(40).reshape(20, 2)
    batches = values(D.from_tensor_slices((x, np.arange(20))).shuffle(8, seed=2).batch(6))
    rows = [r for xb, yb in batches for r in zip(xb, yb)]
    assert sorted(i for _, i in rows) == list(range(20))
    assert all(r == x[i].tolist() for r, i in rows)
    assert [len(yb) for _, yb in batches] == [6, 6, 6, 2]


def test_source_arrays_are_not_aliased():
    x = np.arange(6)
    ds = D.from_tensor_slices(x).batch(3)
    x[:] = 0
    assert values(ds) == [[0, 1, 2], [3, 4, 5]]


# --------------------------------------------------------------------------------------------- parallel map

def _slow_identity(x):
    time.sleep(random.random() * 0.01)
    return x


def test_parallel_map_keeps_the_order():
    ds = D.range(60).map(_slow_identity, num_parallel_calls=6)
    assert [int(x) for x in ds] == list(range(60))


def test_parallel_map_runs_in_several_threads_and_nondeterministic_gives_everything():
    seen = set()

    def record(x):
        seen.add(threading.get_ident())
        time.sleep(0.002)
        return x

    got = [int(x) for x in D.range(40).map(record, num_parallel_calls=4, deterministic=False)]
    assert sorted(got) == list(range(40)) and len(seen) > 1


def test_private_threadpool_size_caps_the_threads():
    seen = set()

    def record(x):
        seen.add(threading.get_ident())
        time.sleep(0.001)
        return x

    options = ef.data.Options()
    options.threading.private_threadpool_size = 1
    ds = D.range(30).map(record, num_parallel_calls=8).with_options(options)
    assert [int(x) for x in ds] == list(range(30)) and len(seen) == 1


# --------------------------------------------------------------------------------------------- threads end

def _data_threads():
    return [t for t in threading.enumerate() if t.name.startswith("ef.data")]


def _wait_for_no_data_threads(timeout=5.0):
    deadline = time.time() + timeout
    while _data_threads() and time.time() < deadline:
        gc.collect()
        time.sleep(0.01)
    return _data_threads()


def _slow(x):
    time.sleep(0.001)
    return x


@pytest.mark.parametrize("make", [
    # a prefetch thread runs where both sides take long enough to gain from overlapping (both sleep here)
    lambda: D.range(10_000).map(_slow).prefetch(4),
    lambda: D.range(10_000).map(lambda x: x + 1, num_parallel_calls=3),
    lambda: D.range(10_000).map(_slow, num_parallel_calls=2).prefetch(2).prefetch(3),
    lambda: D.range(100).interleave(lambda x: D.range(x), cycle_length=3, num_parallel_calls=2),
])
def test_no_thread_left_after_the_iterator_is_dropped(make):
    assert not _wait_for_no_data_threads()
    it = iter(make())
    for _ in range(12):
        next(it)
        time.sleep(0.001)
    assert _data_threads()
    del it
    assert not _wait_for_no_data_threads()


def _run_where(x):
    """Element x, noting the thread that made it; elements 8-19 and 32-43 are slow to make."""
    _made_in.add(threading.current_thread().name)
    if 8 <= int(x) < 20 or 32 <= int(x) < 44:
        time.sleep(0.002)
    return x


_made_in = set()


def test_prefetch_switches_between_its_thread_and_inline_with_the_same_elements():
    # slow phases (both sides >= 1 ms) run in the thread, fast ones inline: all in order, the thread ends
    _made_in.clear()
    ds = D.range(60).map(_run_where).prefetch(4)
    got = []
    for x in ds:
        got.append(int(x))
        time.sleep(0.001)
    assert got == list(range(60))
    assert {"MainThread", "ef.data.prefetch"} <= _made_in
    assert not _wait_for_no_data_threads()


@pytest.mark.parametrize("worth", [0.0, float("inf")], ids=["thread", "inline"])
def test_prefetch_modes_keep_errors_at_their_element_and_checkpoints(worth, monkeypatch, tmp_path):
    from eagerflow.data import dataset as impl
    monkeypatch.setattr(impl, "_OVERLAP_WORTH", worth)

    def fail_at_5(x):
        if int(x) == 5:
            raise ValueError("element 5")
        return x
    it = iter(D.range(10).map(fail_at_5).prefetch(3))
    assert [int(next(it)) for _ in range(5)] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="element 5"):
        next(it)
    ds = D.from_tensor_slices(np.arange(40)).shuffle(16, seed=3).batch(3).prefetch(4)
    it = iter(ds)
    for _ in range(6):
        next(it)
    path = ef.train.Checkpoint(iterator=it).save(str(tmp_path / "ck"))
    rest = values(it)
    it2 = iter(ds)
    ef.train.Checkpoint(iterator=it2).restore(path).assert_consumed()
    assert values(it2) == rest and len(rest) == 14 - 6
    assert not _wait_for_no_data_threads()


def test_prefetch_thread_ends_at_the_end_of_the_input():
    it = iter(D.range(5).prefetch(2))
    assert [int(x) for x in it] == list(range(5))
    assert not _wait_for_no_data_threads()
    del it


# --------------------------------------------------------------------------------------------- checkpoints

CHAINS = {
    "slices_shuffle_batch": lambda: D.from_tensor_slices((np.arange(50), np.arange(50) * 2.0)).shuffle(
        16, seed=4).batch(5),
    "map_batch_repeat": lambda: D.from_tensor_slices(np.arange(12)).map(lambda x: x * 3).batch(5).repeat(3),
    "repeat_take_skip": lambda: D.range(7).repeat().skip(3).take(30),
    "general_shuffle": lambda: D.range(40).map(lambda x: (x, {"sq": x * x})).shuffle(10, seed=9).batch(3),
    "prefetch_parallel": lambda: D.range(30).map(lambda x: x + 1, num_parallel_calls=3).prefetch(4),
    "zip_enumerate_filter": lambda: D.zip((D.range(20), D.range(100, 120))).filter(
        lambda a, b: a % 3 != 0).enumerate(),
    "concat_unbatch_padded": lambda: D.range(4).batch(3).concatenate(D.range(10, 16).batch(2)).unbatch().map(
        lambda x: ef.fill([x % 3], x)).padded_batch(2),
    "shuffle_repeat_fused": lambda: D.from_tensor_slices(np.arange(9)).shuffle(9, seed=1).repeat(4).batch(4),
    "flat_map": lambda: D.range(6).flat_map(lambda x: D.range(x).map(lambda v: v * 10 + x)),
    "interleave": lambda: D.range(1, 6).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2,
                                                   block_length=2),
    "interleave_parallel_shuffled": lambda: D.range(1, 6).interleave(
        lambda x: D.range(x * 10, x * 10 + x).shuffle(3, seed=2), cycle_length=3, num_parallel_calls=2),
}


@pytest.mark.parametrize("name", sorted(CHAINS))
def test_checkpoint_restores_the_position(name, tmp_path):
    ds = CHAINS[name]()
    it = iter(ds)
    for _ in range(4):
        next(it)
    ckpt = ef.train.Checkpoint(iterator=it)
    path = ckpt.save(str(tmp_path / "ck"))
    rest = values(it)
    assert rest  # something was left to compare
    it2 = iter(ds)
    next(it2)
    ef.train.Checkpoint(iterator=it2).restore(path).assert_consumed()
    assert values(it2) == rest


def test_checkpoint_in_a_training_loop_with_a_manager(tmp_path):
    ds = D.from_tensor_slices(np.arange(30, dtype=np.float32)).shuffle(30, seed=2).batch(4).repeat(2)
    step = ef.Variable(0)
    it = iter(ds)
    manager = ef.train.CheckpointManager(ef.train.Checkpoint(step=step, iterator=it), str(tmp_path), max_to_keep=2)
    seen = []
    for _ in range(5):
        seen.append(next(it).numpy().tolist())
        step.assign_add(1)
    manager.save()
    expected = [b.numpy().tolist() for b in it]
    step2 = ef.Variable(0)
    it2 = iter(ds)
    ef.train.Checkpoint(step=step2, iterator=it2).restore(manager.latest_checkpoint).assert_consumed()
    assert int(step2) == 5 and [b.numpy().tolist() for b in it2] == expected


def test_not_checkpointable_stages_say_so(tmp_path):
    it = iter(D.from_generator(lambda: iter([1, 2]), output_signature=ef.TensorSpec((), ef.int32)))
    with pytest.raises(ef.errors.FailedPreconditionError, match="from_generator"):
        ef.train.Checkpoint(iterator=it).save(str(tmp_path / "ck"))


def test_a_state_of_another_pipeline_is_refused_and_changes_nothing(tmp_path):
    it = iter(D.range(10).batch(2))
    next(it)
    path = ef.train.Checkpoint(iterator=it).save(str(tmp_path / "ck"))
    other = iter(D.zip((D.range(5), D.range(5))))
    next(other)
    with pytest.raises(ef.errors.InvalidArgumentError, match="does not fit"):
        ef.train.Checkpoint(iterator=other).restore(path)
    assert [int(a) for a, _ in other] == [1, 2, 3, 4]


def test_tfrecord_iterator_position_is_saved(tmp_path):
    files = []
    for k in range(2):
        path = str(tmp_path / f"f{k}.tfrecord")
        with ef.io.TFRecordWriter(path) as w:
            for i in range(4):
                w.write(f"{k}-{i}".encode())
        files.append(path)
    ds = ef.data.TFRecordDataset(files)
    it = iter(ds)
    for _ in range(5):
        next(it)
    ck = ef.train.Checkpoint(iterator=it).save(str(tmp_path / "ck"))
    rest = [r.numpy() for r in it]
    it2 = iter(ds)
    ef.train.Checkpoint(iterator=it2).restore(ck)
    assert [r.numpy() for r in it2] == rest == [b"1-1", b"1-2", b"1-3"]


# --------------------------------------------------------------------------------------------- cache, files

def test_file_cache_is_written_once_complete_and_replayed(tmp_path):
    calls = []
    base = str(tmp_path / "cache")
    ds = D.range(5).map(lambda x: (calls.append(1), x)[1]).cache(base)
    it = iter(ds)
    next(it)
    del it
    gc.collect()
    assert not [f for f in os.listdir(tmp_path)]  # a partial pass leaves nothing
    assert [int(x) for x in ds] == list(range(5))
    first = len(calls)
    assert [int(x) for x in ds] == list(range(5)) and len(calls) == first
    assert [int(x) for x in D.range(5).map(lambda x: x * 100).cache(base)] == list(range(5))  # the file wins


def test_tfrecord_checksums_detect_every_flipped_byte(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with ef.io.TFRecordWriter(path) as w:
        w.write(b"payload")
    good = open(path, "rb").read()
    for i in range(len(good)):
        bad = bytearray(good)
        bad[i] ^= 0x10
        open(path, "wb").write(bytes(bad))
        with pytest.raises(ef.errors.DataLossError):
            list(ef.data.TFRecordDataset(path))


def test_writer_refuses_writes_after_close(tmp_path):
    w = ef.io.TFRecordWriter(str(tmp_path / "c.tfrecord"))
    w.close()
    with pytest.raises(ef.errors.FailedPreconditionError):
        w.write(b"x")


# --------------------------------------------------------------------------------------------- import

def test_import_eagerflow_does_not_load_data_or_io():
    code = ("import sys, eagerflow as ef; assert 'eagerflow.data' not in sys.modules; "
            "assert 'eagerflow.io' not in sys.modules; ef.data.Dataset; assert 'eagerflow.data' in sys.modules")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(ef.__file__))))
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


# --------------------------------------------------------------------------------------------- random sources

def test_sample_from_datasets_follows_the_weights():
    a, b = D.from_tensors(0).repeat(), D.from_tensors(1).repeat()
    picks = [int(x) for x in D.sample_from_datasets([a, b], weights=[0.8, 0.2], seed=4).take(5000)]
    assert 0.77 < picks.count(0) / 5000 < 0.83


def test_sample_from_datasets_ends_when_asked():
    short, long = D.range(2), D.range(100, 110)
    assert len([int(x) for x in D.sample_from_datasets([short, long], seed=1)]) == 12
    stopped = [int(x) for x in D.sample_from_datasets([short, long], seed=1, stop_on_empty_dataset=True)]
    assert len(stopped) < 12 and sorted(x for x in stopped if x < 100) == [0, 1]


def test_random_dataset_is_reproducible_and_rerandomizes_when_asked():
    ds = D.random(seed=3).take(5)
    assert [int(x) for x in ds] == [int(x) for x in D.random(seed=3).take(5)]
    again = D.random(seed=3, rerandomize_each_iteration=True).take(5)
    assert [int(x) for x in again] != [int(x) for x in again]
    assert all(int(x) >= 0 for x in D.random(seed=9).take(50))


def test_list_files_sorted_without_shuffle_and_all_with(tmp_path):
    for name in "cab":
        (tmp_path / f"{name}.txt").write_text(name)
    names = [os.path.basename(f.numpy().decode()) for f in D.list_files(str(tmp_path / "*.txt"), shuffle=False)]
    assert names == ["a.txt", "b.txt", "c.txt"]
    shuffled = [os.path.basename(f.numpy().decode()) for f in D.list_files(str(tmp_path / "*.txt"), seed=1)]
    assert sorted(shuffled) == names


def test_a_tf_checkpoint_with_tf_iterator_state(tmp_path):
    """TF's iterator state is a variant eagerflow cannot restore: the variables still restore without it,
    and restoring it into an eagerflow iterator is refused with nothing changed."""
    path = os.path.join(os.path.dirname(__file__), "data", "tfrecords", "tf_iterator_ckpt")
    v = ef.Variable(0.0)
    ef.train.Checkpoint(v=v).read(path).expect_partial()
    assert float(v) == 3.0
    v.assign(0.0)
    it = iter(D.range(10).batch(2))
    with pytest.raises(ef.errors.UnimplementedError, match="variant"):
        ef.train.Checkpoint(v=v, iterator=it).read(path)
    assert float(v) == 0.0 and next(it).numpy().tolist() == [0, 1]


# --------------------------------------------------------------------------------------------- options acted on

def test_autotune_disabled_keeps_the_prefetch_thread_for_a_cheap_pipeline():
    options = ef.data.Options()
    options.autotune.enabled = False
    it = iter(D.range(1000).prefetch(4).with_options(options))
    assert [int(next(it)) for _ in range(20)] == list(range(20))
    assert _data_threads()
    del it
    assert not _wait_for_no_data_threads()


def test_cpu_budget_caps_autotuned_map_threads():
    seen = set()

    def record(x):
        seen.add(threading.get_ident())
        time.sleep(0.002)
        return x
    options = ef.data.Options()
    options.autotune.cpu_budget = 1
    ds = D.range(12).map(record, num_parallel_calls=ef.data.AUTOTUNE).with_options(options)
    assert [int(x) for x in ds] == list(range(12)) and len(seen) == 1


def test_map_and_batch_fusion_off_calls_map_per_element():
    calls = []

    def scale(x):
        calls.append(tuple(x.shape))
        return x * 2.0
    base = D.from_tensor_slices(np.arange(8, dtype=np.float32)).map(scale).batch(4)
    fused = values(base)
    n_fused = len(calls)
    options = ef.data.Options()
    options.experimental_optimization.map_and_batch_fusion = False
    calls.clear()
    assert values(base.with_options(options)) == fused
    assert calls == [()] * 8 and n_fused < 8
