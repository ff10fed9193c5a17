"""Stateless ops, distributions, generators and candidate samplers: determinism, moments, errors."""

import numpy as np
import pytest

import eagerflow as ef

SEED = [3, 4]


@pytest.mark.parametrize("draw", [
    lambda s: ef.random.stateless_uniform([50], s),
    lambda s: ef.random.stateless_normal([50], s),
    lambda s: ef.random.stateless_truncated_normal([50], s),
    lambda s: ef.random.stateless_categorical([[0.0, 1.0, 2.0]], 50, s),
    lambda s: ef.random.stateless_binomial([50], s, 10.0, 0.3),
    lambda s: ef.random.stateless_gamma([50], s, 2.0),
    lambda s: ef.random.stateless_poisson([50], s, 3.0),
    lambda s: ef.random.stateless_parameterized_truncated_normal([50], s, 0.0, 1.0, 1.0, 3.0),
    lambda s: ef.random.experimental.stateless_shuffle(ef.range(50), s),
])
def test_stateless_ops_are_functions_of_the_seed(draw):
    a, b, c = draw(SEED).numpy(), draw(SEED).numpy(), draw([3, 5]).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_distribution_moments():
    n = 20000
    g = ef.random.stateless_gamma([n, 2], SEED, alpha=[0.5, 3.0], beta=[1.0, 2.0]).numpy()
    np.testing.assert_allclose(g.mean(0), [0.5, 1.5], rtol=0.05)
    p = ef.random.stateless_poisson([n], SEED, lam=4.0).numpy()
    assert abs(p.mean() - 4.0) < 0.1 and abs(p.var() - 4.0) < 0.2
    b = ef.random.stateless_binomial([n], SEED, counts=20.0, probs=0.25).numpy()
    assert abs(b.mean() - 5.0) < 0.1
    c = ef.random.stateless_categorical(np.log([[0.2, 0.3, 0.5]]), n, SEED).numpy()
    np.testing.assert_allclose(np.bincount(c[0], minlength=3) / n, [0.2, 0.3, 0.5], atol=0.015)
    t = ef.random.stateless_parameterized_truncated_normal([n], SEED, 1.0, 2.0, 0.0, 4.0).numpy()
    assert t.min() >= 0.0 and t.max() <= 4.0 and abs(t.mean() - 1.7) < 0.1
    tail = ef.random.stateless_parameterized_truncated_normal([n], SEED, 0.0, 1.0, -np.inf, -4.0).numpy()
    assert tail.max() <= -4.0 and abs(tail.mean() + 4.2256) < 0.02   # E[Z | Z < -4] = -phi(4)/Phi(-4)
    u = ef.random.stateless_uniform([n], SEED, 2, 5, ef.int32).numpy()
    assert set(np.unique(u).tolist()) == {2, 3, 4}
    assert ef.random.gamma([n], 2.0, 4.0, seed=1).numpy().mean() == pytest.approx(0.5, rel=0.05)
    assert ef.random.poisson([n], 2.0, seed=1).numpy().mean() == pytest.approx(2.0, rel=0.05)


def test_generator_state_moves_and_replays():
    g = ef.random.Generator.from_seed(11)
    start = g.state.numpy()
    first = g.normal([4]).numpy()
    assert not np.array_equal(g.state.numpy(), start)
    again = ef.random.Generator.from_state(start, "philox").normal([4]).numpy()
    np.testing.assert_array_equal(first, again)
    g.reset(start)
    np.testing.assert_array_equal(g.normal([4]).numpy(), first)
    g.reset(start)
    g.skip(5)
    assert not np.array_equal(g.normal([4]).numpy(), first)
    a, b = ef.random.Generator.from_seed(11).split(2)
    assert not np.array_equal(a.normal([4]).numpy(), b.normal([4]).numpy())


def test_seeds_split_and_fold_in():
    seeds = ef.random.split(SEED, 4).numpy()
    assert seeds.shape == (4, 2) and len({tuple(s) for s in seeds.tolist()}) == 4
    assert ef.random.fold_in(SEED, 9).numpy()[1] == 9
    perm = ef.random.experimental.index_shuffle(ef.range(10), SEED, 9).numpy()
    assert sorted(perm.tolist()) == list(range(10))


def test_unique_sampler_expected_counts():
    s, t, e = ef.random.log_uniform_candidate_sampler([[0, 5]], 2, 20, True, 50, seed=4)
    assert len(set(s.numpy().tolist())) == 20
    p = (np.log(s.numpy() + 2.0) - np.log(s.numpy() + 1.0)) / np.log(51)
    tries = np.log1p(-e.numpy()) / np.log1p(-p)   # the same number of tries for every class
    np.testing.assert_allclose(tries, tries[0], rtol=1e-4)
    assert tries[0] >= 20


@pytest.mark.parametrize("call,error", [
    (lambda: ef.random.stateless_uniform([2], [1, 2, 3]), ef.errors.InvalidArgumentError),
    (lambda: ef.random.stateless_uniform([2], [1.0, 2.0]), ef.errors.InvalidArgumentError),
    (lambda: ef.random.stateless_uniform([2], SEED, 0, None, ef.int32), ValueError),
    (lambda: ef.random.stateless_uniform([2], SEED, 5, 5, ef.int32), ef.errors.InvalidArgumentError),
    (lambda: ef.random.stateless_gamma([2, 3], SEED, [1.0, 2.0]), ValueError),
    (lambda: ef.random.stateless_parameterized_truncated_normal([2], SEED, 0.0, 1.0, 2.0, 1.0),
     ef.errors.InvalidArgumentError),
    (lambda: ef.random.uniform_candidate_sampler([[1]], 1, 5, True, 3), ef.errors.InvalidArgumentError),
    (lambda: ef.random.uniform_candidate_sampler([[1]], 2, 5, True, 3), ef.errors.InvalidArgumentError),
    (lambda: ef.random.fixed_unigram_candidate_sampler([[1]], 1, 2, False, 5, unigrams=[1, 2]),
     ef.errors.InvalidArgumentError),
    (lambda: ef.random.categorical([1.0, 2.0], 2), ef.errors.InvalidArgumentError),
    (lambda: ef.random.create_rng_state(1, "mersenne"), ValueError),
    (lambda: ef.random.poisson([2], -1.0), ValueError),
    (lambda: ef.random.set_global_generator(3), TypeError),
])
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_traced_functions_draw_from_their_seed_and_state():
    @ef.function
    def stateless(seed):
        return ef.random.stateless_normal([3], seed)
    a, b, c = stateless(ef.constant([1, 2])), stateless(ef.constant([1, 3])), stateless(ef.constant([1, 2]))
    np.testing.assert_array_equal(a.numpy(), c.numpy())
    assert not np.array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(a.numpy(), ef.random.stateless_normal([3], [1, 2]).numpy())
    g = ef.random.Generator.from_seed(1)

    @ef.function
    def stateful():
        return g.normal([3])
    assert not np.array_equal(stateful().numpy(), stateful().numpy())


def test_draws_too_large_to_allocate_are_resource_exhausted():
    # TF: ResourceExhaustedError from its kernels (tests/conformance/cases/nn_random_huge_shapes.py); its
    # categorical wraps 2**40 samples to 0 where eagerflow refuses (docs/differences_from_tensorflow.md)
    big = [2 ** 20, 2 ** 20, 2 ** 8]
    g = ef.random.Generator.from_seed(1)
    state = g.state.numpy()
    for draw in (lambda: g.normal(big), lambda: g.make_seeds(2 ** 40), lambda: ef.random.poisson(big, 1.0),
                 lambda: ef.random.stateless_gamma(big, [1, 2], 1.0),
                 lambda: ef.random.categorical([[0.0, 1.0]], 2 ** 40),
                 lambda: ef.random.stateless_categorical([[0.0, 1.0]], 2 ** 40, [1, 2])):
        with pytest.raises(ef.errors.ResourceExhaustedError):
            draw()
    np.testing.assert_array_equal(g.state.numpy(), state)   # a refused draw moves nothing on
