"""Normalisation, losses and layout ops of ef.nn: NumPy oracles, finite-difference gradients, errors."""

import numpy as np
import pytest

import eagerflow as ef
from gradcheck import check_gradients

rng = np.random.default_rng(2)
X = rng.uniform(-2, 2, (2, 3, 4, 6))

GRADIENT_CASES = {
    "batch_normalization": lambda x: ef.nn.batch_normalization(x, 0.5, 2.0, 0.1, 3.0, 1e-3),
    "weighted_moments": lambda x: ef.nn.weighted_moments(x, [1, 2], x * x)[1],
    "l2_normalize": lambda x: ef.nn.l2_normalize(x, [1, 3]),
    "lrn": lambda x: ef.nn.local_response_normalization(x, 2, 0.5, 0.3, 0.75),
    "embedding_lookup max_norm": lambda x: ef.nn.embedding_lookup(ef.reshape(x, [12, 12]), [[3, 1], [3, 0]],
                                                                  max_norm=1.0),
    "log_poisson_loss": lambda x: ef.nn.log_poisson_loss(ef.abs(x) * 3, x, compute_full_loss=True),
    "weighted_cross_entropy": lambda x: ef.nn.weighted_cross_entropy_with_logits(ef.sigmoid(x), x * 3, 2.5),
    "selu": lambda x: ef.nn.selu(x),
    "crelu": lambda x: ef.nn.crelu(x),
    "depth_to_space": lambda x: ef.nn.depth_to_space(x[..., :4], 2) ** 2,
    "space_to_batch": lambda x: ef.nn.space_to_batch(x, [2, 3], [[1, 0], [1, 1]]) ** 2,
    # TF's gradient is right for 2-D inputs (tests/conformance/cases/ops_cpu_refusals.py: its shapes for others)
    "isotonic_regression": lambda x: ef.nn.isotonic_regression(x[0, 0], axis=0)[0] ** 2,
    "with_space_to_batch": lambda x: ef.nn.with_space_to_batch(
        x, [2, 1], "SAME", lambda t, n, p: ef.nn.conv2d(t, ef.ones([2, 2, 6, 1], ef.float64), 1, p),
        filter_shape=[2, 2]),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients(name):
    check_gradients(GRADIENT_CASES[name], [X])


def test_with_space_to_batch_is_the_dilated_op():
    w = rng.standard_normal((2, 2, 6, 2))
    op = lambda t, n, p: ef.nn.conv2d(t, w, 1, p)  # noqa: E731
    for padding in ("VALID", "SAME"):
        got = ef.nn.with_space_to_batch(X, [2, 2], padding, op, filter_shape=[2, 2]).numpy()
        np.testing.assert_allclose(got, ef.nn.conv2d(X, w, 1, padding, dilations=2).numpy(), rtol=1e-10)


def test_moments_oracles():
    w = rng.uniform(0, 1, (2, 3, 4, 1))
    mean, var = ef.nn.weighted_moments(X, [0, 1, 2], w)
    wb = np.broadcast_to(w, X.shape)
    m = (wb * X).sum((0, 1, 2)) / wb.sum((0, 1, 2))
    np.testing.assert_allclose(mean.numpy(), m)
    np.testing.assert_allclose(var.numpy(), (wb * (X - m) ** 2).sum((0, 1, 2)) / wb.sum((0, 1, 2)))
    c, ms, vs, _ = ef.nn.sufficient_statistics(X, [0, 2])
    mean, var = ef.nn.normalize_moments(c, ms, vs, None)
    np.testing.assert_allclose(mean.numpy(), X.mean((0, 2)))
    np.testing.assert_allclose(var.numpy(), X.var((0, 2)))


def test_lrn_oracle():
    got = ef.nn.lrn(X, depth_radius=1, bias=2.0, alpha=0.5, beta=0.6).numpy()
    sq = np.pad(X ** 2, [(0, 0)] * 3 + [(1, 1)])
    total = sq[..., :-2] + sq[..., 1:-1] + sq[..., 2:]
    np.testing.assert_allclose(got, X / (2.0 + 0.5 * total) ** 0.6)


def test_isotonic_regression_is_monotone_and_least_squares():
    x = rng.standard_normal((5, 9))
    y, seg = ef.nn.isotonic_regression(x, decreasing=False)
    y = y.numpy()
    assert (np.diff(y, axis=1) >= -1e-12).all()
    for row, s in zip(range(5), seg.numpy()):
        for k in np.unique(s):  # each segment's fit is the mean of its inputs
            np.testing.assert_allclose(y[row, s == k], x[row, s == k].mean())


@pytest.mark.parametrize("call,error", [
    (lambda: ef.nn.depth_to_space(X, 1), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.space_to_depth(X, 2), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.log_poisson_loss([1.0, 2.0], [1.0]), ValueError),
    (lambda: ef.nn.lrn(X[0]), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.embedding_lookup(X[0, 0], [7]), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.in_top_k([0.5], [[1.0, 2.0]], 1), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.compute_average_loss(3.0), ValueError),
    (lambda: ef.nn.selu(ef.constant([1, 2])), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.embedding_lookup([], [0]), ValueError),
    (lambda: ef.nn.with_space_to_batch(X, [2, 2], "SAME", lambda t, n, p: t), ValueError),
])
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_sampled_losses_with_every_class_are_the_full_losses():
    w, b = rng.standard_normal((6, 3)), rng.standard_normal(6)
    x = rng.standard_normal((4, 3))
    labels = ef.constant([[1], [0], [5], [2]], ef.int64)
    every = ef.random.all_candidate_sampler(labels, 1, 6, True)
    logits = x @ w.T + b
    got = ef.nn.sampled_softmax_loss(w, b, labels, x, 6, 6, sampled_values=every).numpy()
    full = ef.nn.sparse_softmax_cross_entropy_with_logits(labels[:, 0], logits).numpy()
    np.testing.assert_allclose(got, full, rtol=1e-10)   # the accidental hit removes the true class's duplicate
    check_gradients(lambda w_, x_: ef.nn.sampled_softmax_loss(w_, b, labels, x_, 6, 6, sampled_values=every), [w, x])
    check_gradients(lambda w_, x_: ef.nn.nce_loss(w_, b, labels, x_, 6, 6, sampled_values=every,
                                                  remove_accidental_hits=True), [w, x])


def test_ctc_loss_matches_brute_force_and_finite_differences():
    import itertools
    logits = rng.standard_normal((4, 2, 3))
    labels, label_length, logit_length = ef.constant([[1, 2], [2, 2]]), ef.constant([2, 1]), ef.constant([4, 3])
    loss = ef.nn.ctc_loss(labels, logits.astype(np.float32), label_length, logit_length).numpy()
    for b, (target, steps) in enumerate([((1, 2), 4), ((2,), 3)]):
        p = np.exp(logits[:steps, b]) / np.exp(logits[:steps, b]).sum(-1, keepdims=True)
        total = 0.0
        for path in itertools.product(range(3), repeat=steps):   # every path that collapses to the target
            collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1])]
            if tuple(collapsed) == target:
                total += np.prod([p[t, c] for t, c in enumerate(path)])
        assert loss[b] == pytest.approx(-np.log(total), rel=1e-5)
    # TF computes in float32 (float64 logits are an error there): differentiate through a cast
    check_gradients(lambda x: ef.cast(ef.nn.ctc_loss(labels, ef.cast(x, ef.float32), label_length, logit_length),
                                      ef.float64), [logits], eps=1e-3, rtol=2e-3, atol=1e-4)


def test_ctc_loss_of_an_impossible_labelling_is_large_and_finite_as_tf():
    # two frames cannot spell "1 1" (a blank must separate the repeats); TF's priors log(1e-307) keep it finite
    loss = ef.nn.ctc_loss(ef.constant([[1, 1]]), ef.zeros([2, 1, 3]), [2], [2]).numpy()
    assert loss[0] == pytest.approx(707.70459, rel=1e-6)   # TF 2.21's value
    with pytest.raises(ef.errors.InvalidArgumentError):
        ef.nn.ctc_loss(ef.constant([[1]]), ef.zeros([2, 1, 3], ef.float64), [1], [2])


@pytest.mark.parametrize("pseudo_random", [False, True])
@pytest.mark.parametrize("overlapping", [False, True])
def test_fractional_pools_pool_their_grid(pseudo_random, overlapping):
    x = rng.standard_normal((2, 7, 9, 3))
    ef.random.set_seed(3)
    out, rows, cols = ef.nn.fractional_max_pool(x, [1.0, 1.6, 2.2, 1.0], pseudo_random, overlapping, seed=5)
    rows, cols = rows.numpy(), cols.numpy()
    assert out.shape == (2, 4, 4, 3) and rows[0] == 0 and rows[-1] == 7 and cols[-1] == 9
    assert (np.diff(rows) >= 1).all() and (np.diff(cols) >= 1).all()
    extra = 1 if overlapping else 0
    for i in range(4):
        for j in range(4):
            window = x[:, rows[i]:rows[i + 1] + extra, cols[j]:cols[j + 1] + extra]
            np.testing.assert_allclose(out.numpy()[:, i, j], window.max(axis=(1, 2)))
    ef.random.set_seed(3)
    again = ef.nn.fractional_max_pool(x, [1.0, 1.6, 2.2, 1.0], pseudo_random, overlapping, seed=5)[1].numpy()
    ef.random.set_seed(None)
    np.testing.assert_array_equal(again, rows)   # the global seed makes the grid reproducible

    def avg(t):
        ef.random.set_seed(3)   # the same grid on every evaluation
        return ef.nn.fractional_avg_pool(t, [1.0, 1.6, 2.2, 1.0], pseudo_random, overlapping, seed=5)[0]
    try:
        check_gradients(avg, [x])
    finally:
        ef.random.set_seed(None)
