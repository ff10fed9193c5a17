"""ef.random.Generator: its draws follow their distributions (SciPy as the oracle), are the stateless ops at the
key and counter the state held, repeat run to run, and its state moves, replays and checkpoints as TF's does (the
state values themselves are compared with TF in tests/conformance/cases/nn_random_generator_state.py)."""

import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from scipy import stats

import eagerflow as ef

N = 20000
P = 1e-3  # each stream is fixed by its seed, so a test that passes once passes every time


@pytest.mark.parametrize("dtype", [ef.float32, ef.float64])
def test_continuous_draws_follow_their_distributions(dtype):
    g = ef.random.Generator.from_seed(7)
    assert stats.kstest(g.normal([N], 1.5, 2.0, dtype).numpy(), stats.norm(1.5, 2.0).cdf).pvalue > P
    assert stats.kstest(g.uniform([N], -1.0, 3.0, dtype).numpy(), stats.uniform(-1.0, 4.0).cdf).pvalue > P
    unit = g.uniform([N], dtype=dtype).numpy()
    assert unit.min() >= 0 and unit.max() < 1 and stats.kstest(unit, stats.uniform.cdf).pvalue > P
    truncated = g.truncated_normal([N], -1.0, 0.5, dtype).numpy()
    assert truncated.min() >= -2.0 and truncated.max() <= 0.0
    assert stats.kstest(truncated, stats.truncnorm(-2, 2, loc=-1.0, scale=0.5).cdf).pvalue > P
    for x in (g.normal([N], dtype=dtype), truncated, unit):
        assert x.dtype == dtype.as_numpy_dtype


def _chisquare(sample, pmf, support):
    observed = np.array([(sample == k).sum() for k in support])
    assert observed.sum() == sample.size
    return stats.chisquare(observed, pmf * sample.size).pvalue


def test_discrete_draws_follow_their_distributions():
    g = ef.random.Generator.from_seed(8)
    ints = g.uniform([N], 2, 7, ef.int64).numpy()
    assert ints.dtype == np.int64 and _chisquare(ints, np.full(5, 0.2), range(2, 7)) > P
    b = g.binomial([N], 10.0, 0.3).numpy()
    assert b.dtype == np.int32 and _chisquare(b, stats.binom(10, 0.3).pmf(np.arange(11)), range(11)) > P
    rows = g.binomial([N // 10, 2], [4.0, 50.0], [0.5, 0.9]).numpy()  # one (counts, probs) pair per column
    np.testing.assert_allclose(rows.mean(0), [2.0, 45.0], rtol=0.02)
    for dtype, bits in ((ef.uint64, 64), (ef.int64, 64), (ef.int32, 32), (ef.uint32, 32)):
        words = np.asarray(g.uniform_full_int([N], dtype).numpy())
        ones = np.unpackbits(words.view(np.uint8)).reshape(N, bits).mean(0)
        assert np.abs(ones - 0.5).max() < 0.02  # every bit is a fair coin


def test_successive_draws_and_split_generators_are_uncorrelated():
    g = ef.random.Generator.from_seed(9)
    first, second = g.normal([N]).numpy(), g.normal([N]).numpy()
    children = g.split(3)
    streams = [first, second] + [c.normal([N]).numpy() for c in children]
    correlations = np.corrcoef(streams)[np.triu_indices(len(streams), 1)]
    assert np.abs(correlations).max() < 4 / np.sqrt(N)
    neighbours = [ef.random.Generator.from_seed(s).normal([N]).numpy() for s in (1, 2)]
    assert abs(np.corrcoef(neighbours)[0, 1]) < 4 / np.sqrt(N)


@pytest.mark.parametrize("draw,stateless", [
    (lambda g: g.normal([5], 1.0, 2.0), lambda s: ef.random.stateless_normal([5], s, 1.0, 2.0)),
    (lambda g: g.uniform([5], -1.0, 1.0), lambda s: ef.random.stateless_uniform([5], s, -1.0, 1.0)),
    (lambda g: g.uniform([5], 0, 9, ef.int32), lambda s: ef.random.stateless_uniform([5], s, 0, 9, ef.int32)),
    (lambda g: g.truncated_normal([5]), lambda s: ef.random.stateless_truncated_normal([5], s)),
    (lambda g: g.uniform_full_int([5], ef.int64),
     lambda s: ef.random.stateless_uniform([5], s, None, None, ef.int64)),
])
def test_a_draw_is_the_stateless_op_at_the_key_and_counter_the_state_held(draw, stateless):
    # as TF: state [counter low, counter high, key] draws as the stateless op whose seed [key, counter low] gives
    # that key and counter (StatelessRandomGetKeyCounter: counter high 0)
    key, low = 12345, 678
    g = ef.random.Generator.from_state([low, 0, key], "philox")
    np.testing.assert_array_equal(draw(g).numpy(), stateless([key, low]).numpy())
    assert g.state.numpy().tolist() == [low + 5 * 256, 0, key]


def test_skip_moves_the_state_as_a_draw_of_that_many_values():
    g, h = ef.random.Generator.from_seed(3), ef.random.Generator.from_seed(3)
    g.normal([4, 5])
    before = h.skip(20)
    assert before.numpy().tolist() == [3, 0, 0]
    assert g.state.numpy().tolist() == h.state.numpy().tolist()
    np.testing.assert_array_equal(g.uniform([6]).numpy(), h.uniform([6]).numpy())


def test_state_replays_and_generators_sharing_it_move_it_together():
    g = ef.random.Generator.from_seed(11)
    start = g.state.numpy()
    first = g.normal([4]).numpy()
    np.testing.assert_array_equal(ef.random.Generator.from_state(start, "philox").normal([4]).numpy(), first)
    g.reset(start)
    np.testing.assert_array_equal(g.normal([4]).numpy(), first)
    shared = ef.random.Generator.from_state(g.state, "philox")
    a = shared.normal([4]).numpy()
    b = g.normal([4]).numpy()
    assert not np.array_equal(a, b) and g.state.numpy()[0] == start[0] + 3 * 4 * 256


def test_seeded_streams_repeat_run_to_run():
    script = ("import eagerflow as ef; g = ef.random.Generator.from_seed(5); g.split(2)\n"
              "print(g.normal([3]).numpy().tolist(), g.binomial([2], 5.0, 0.5).numpy().tolist(), "
              "g.make_seeds(2).numpy().tolist(), ef.random.experimental.index_shuffle(ef.range(6), [1, 2], 5)"
              ".numpy().tolist())")
    env = dict(os.environ, PYTHONHASHSEED="random")
    runs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
            .stdout for _ in range(2)}
    g = ef.random.Generator.from_seed(5)
    g.split(2)
    here = (f"{g.normal([3]).numpy().tolist()} {g.binomial([2], 5.0, 0.5).numpy().tolist()} "
            f"{g.make_seeds(2).numpy().tolist()} "
            f"{ef.random.experimental.index_shuffle(ef.range(6), [1, 2], 5).numpy().tolist()}\n")
    assert runs == {here}


def test_checkpoint_restores_the_stream(tmp_path):
    g = ef.random.Generator.from_seed(4)
    g.normal([3])
    path = ef.train.Checkpoint(g=g).save(str(tmp_path / "ckpt"))
    expected = g.normal([3]).numpy()
    g.uniform([10])
    ef.train.Checkpoint(g=g).restore(path)
    np.testing.assert_array_equal(g.normal([3]).numpy(), expected)


def test_traced_function_draws_as_eager_calls_do():
    g, h = ef.random.Generator.from_seed(6), ef.random.Generator.from_seed(6)

    def draws(gen):
        return gen.normal([2]), gen.uniform([3], 0, 5, ef.int32), gen.binomial([2], 3.0, 0.5), gen.make_seeds(2)

    traced = ef.function(lambda: draws(g))
    for _ in range(3):
        for x, y in zip(traced(), draws(h)):
            np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert g.state.numpy().tolist() == h.state.numpy().tolist()


def test_threads_drawing_from_one_state_never_share_a_counter():
    g = ef.random.Generator.from_seed(2)
    start = int(g.state.numpy()[0])
    users = [ef.random.Generator.from_state(g.state, "philox") for _ in range(4)]
    out = [[] for _ in users]

    def draw(i):
        for _ in range(25):
            out[i].append(users[i].normal([8]).numpy())

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(g.state.numpy()[0]) == start + 4 * 25 * 8 * 256
    assert len({d.tobytes() for row in out for d in row}) == 100


def test_refused_draws_leave_the_state_unchanged():
    g = ef.random.Generator.from_seed(1)
    for draw, error in ((lambda: g.uniform([2], 3, 3, ef.int32), ef.errors.InvalidArgumentError),
                        (lambda: g.normal([2 ** 20, 2 ** 20, 2 ** 8]), ef.errors.ResourceExhaustedError),
                        (lambda: g.binomial([3], [1.0, 2.0], 0.5), ef.errors.InvalidArgumentError),
                        (lambda: g.skip([1, 2]), ef.errors.InvalidArgumentError)):
        with pytest.raises(error):
            draw()
        assert g.state.numpy().tolist() == [1, 0, 0]
    t = ef.random.Generator.from_seed(1, "threefry")
    with pytest.raises(ef.errors.UnimplementedError, match="ThreeFry"):
        t.normal([2])
    assert t.state.numpy().tolist() == [1, 0]


def test_non_deterministic_generators_differ_and_respect_op_determinism():
    a, b = (ef.random.Generator.from_non_deterministic_state() for _ in range(2))
    assert a.state.numpy().tolist() != b.state.numpy().tolist()
    from eagerflow.device import context
    saved = context.settings.op_determinism
    context.settings.op_determinism = True
    try:
        with pytest.raises(RuntimeError, match="determinism"):
            ef.random.Generator.from_non_deterministic_state()
    finally:
        context.settings.op_determinism = saved


@pytest.mark.parametrize("top", [0, 1, 9, 1000])
def test_index_shuffle_is_a_permutation_fixed_by_seed_and_max_index(top):
    shuffle = ef.random.experimental.index_shuffle
    moved = shuffle(ef.range(top + 1), [4, 5], top).numpy()
    assert sorted(moved.tolist()) == list(range(top + 1))
    assert [int(shuffle(i, [4, 5], top)) for i in range(min(top + 1, 20))] == moved[:20].tolist()
    if top >= 9:
        assert not np.array_equal(moved, shuffle(ef.range(top + 1), [4, 6], top).numpy())
        # uniform: where index 0 goes, over many seeds
        landing = [int(shuffle(0, [s, 1], 9)) for s in range(2000)]
        assert _chisquare(np.array(landing), np.full(10, 0.1), range(10)) > P


@pytest.mark.parametrize("dtype,top", [(ef.int64, 2 ** 40), (ef.int64, 2 ** 63 - 1), (ef.uint64, 2 ** 64 - 1)])
def test_index_shuffle_of_a_huge_range_is_one_to_one_without_making_the_permutation(dtype, top):
    shuffle = ef.random.experimental.index_shuffle
    index = np.concatenate([np.arange(50000, dtype=np.uint64), np.uint64(top) - np.arange(50000, dtype=np.uint64)])
    moved = shuffle(ef.constant(index.astype(dtype.as_numpy_dtype)), [7, 8], ef.constant(top, dtype)).numpy()
    assert len(np.unique(moved)) == index.size and moved.astype(np.uint64).max() <= top
    # spread over the whole range: the mean lands near its middle
    assert abs(moved.astype(np.float64).mean() / top - 0.5) < 0.01
