"""Gradients of the added ops against central finite differences (float64), and TF's special cases."""

import numpy as np
import pytest

import eagerflow as ef
from gradcheck import check_gradients

rng = np.random.default_rng(7)


def r(*shape, lo=-0.8, hi=0.8):
    return rng.uniform(lo, hi, size=shape)


UNARY = [
    ("asin", ef.asin, r(3, 4)),
    ("acos", ef.acos, r(3, 4)),
    ("atan", ef.atan, r(3, 4, lo=-3, hi=3)),
    ("sinh", ef.sinh, r(3, 4, lo=-2, hi=2)),
    ("cosh", ef.cosh, r(3, 4, lo=-2, hi=2)),
    ("asinh", ef.asinh, r(3, 4, lo=-3, hi=3)),
    ("acosh", ef.acosh, r(3, 4, lo=1.2, hi=4)),
    ("atanh", ef.atanh, r(3, 4)),
    ("softsign", ef.math.softsign, r(3, 4, lo=-3, hi=3)),
    ("log_sigmoid", ef.math.log_sigmoid, r(3, 4, lo=-5, hi=5)),
    ("euclidean_norm", ef.math.reduce_euclidean_norm, r(3, 4)),
    ("euclidean_norm_axis", lambda x: ef.math.reduce_euclidean_norm(x, axis=1), r(3, 4)),
    ("euclidean_norm_keepdims", lambda x: ef.math.reduce_euclidean_norm(x, axis=[0, 2], keepdims=True), r(2, 3, 2)),
    ("segment_sum", lambda d: ef.math.segment_sum(d, [0, 0, 2, 3]), r(4, 3)),
    ("unsorted_segment_sum", lambda d: ef.math.unsorted_segment_sum(d, [[2, -1], [0, 2]], 3), r(2, 2, 3)),
    ("moments_mean", lambda x: ef.nn.moments(x, axes=[0])[0], r(3, 4)),
    ("moments_variance", lambda x: ef.nn.moments(x, axes=[0, 1])[1], r(3, 4)),
    ("clip_by_norm_clipped", lambda x: ef.clip_by_norm(x, 0.5), r(3, 4)),
    ("clip_by_norm_axes", lambda x: ef.clip_by_norm(x, 0.7, axes=[1]), r(3, 4)),
    ("clip_by_global_norm", lambda x: ef.clip_by_global_norm([x, 2 * x], 0.5)[0][1], r(3, 4)),
]


@pytest.mark.parametrize("name,fn,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_gradients(name, fn, x):
    check_gradients(fn, [x])


BINARY = [
    ("atan2", ef.atan2, r(3, 4), r(4, lo=0.3, hi=2)),
    ("xlogy", ef.math.xlogy, r(3, 1), r(3, 4, lo=0.5, hi=2)),
    ("xdivy", ef.math.xdivy, r(3, 4), r(4, lo=0.5, hi=2)),
    ("multiply_no_nan", ef.math.multiply_no_nan, r(3, 4), r(1, 4)),
    ("sigmoid_xent", lambda z, x: ef.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
     r(3, 4, lo=0, hi=1), r(3, 4, lo=-3, hi=3)),
]


@pytest.mark.parametrize("name,fn,x,y", BINARY, ids=[b[0] for b in BINARY])
def test_binary_gradients(name, fn, x, y):
    check_gradients(fn, [x, y])


def test_dropout_gradient_is_the_mask_scaled():
    x = ef.ones([200])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.nn.dropout(x, 0.5, seed=2)
    g = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(g, y.numpy())  # 2 where kept, 0 where dropped


def test_xlogy_xdivy_gradients_at_zero_are_zero_as_tf():
    x, y = ef.constant([0.0, 1.0]), ef.constant([0.0, 2.0])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        a = ef.math.xlogy(x, y)
        b = ef.math.xdivy(x, y)
    gx, gy = tape.gradient(a, [x, y])
    np.testing.assert_allclose(gx.numpy(), [0.0, 0.6931472], rtol=1e-6)
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.5])
    gx, gy = tape.gradient(b, [x, y])
    np.testing.assert_allclose(gx.numpy(), [0.0, 0.5])
    np.testing.assert_allclose(gy.numpy(), [0.0, -0.25])


def test_multiply_no_nan_gradient_ignores_nan_where_y_is_zero():
    x, y = ef.constant([np.nan, 2.0]), ef.constant([0.0, 3.0])
    with ef.GradientTape() as tape:
        tape.watch([x, y])
        z = ef.math.multiply_no_nan(x, y)
    gx, _ = tape.gradient(z, [x, y])
    np.testing.assert_array_equal(gx.numpy(), [0.0, 3.0])


def test_rint_has_no_gradient():
    x = ef.constant([1.2])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.math.rint(x)
    assert tape.gradient(y, x) is None


def test_second_derivative_of_atan():
    x = ef.constant(0.5, ef.float64)
    with ef.GradientTape() as outer:
        outer.watch(x)
        with ef.GradientTape() as inner:
            inner.watch(x)
            y = ef.atan(x)
        dy = inner.gradient(y, x)
    np.testing.assert_allclose(outer.gradient(dy, x).numpy(), -2 * 0.5 / (1 + 0.25) ** 2)
