"""The math/nn ops added to close common gaps, against values printed by TF 2.21 (CPU) and NumPy."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from conftest import assert_matches, check_op

X = [-0.5, 0.0, 0.25, 0.9]

# tf.math.<name>(tf.constant(X)) in TF 2.21
FROM_TF = {
    "asin": [-0.5235988, 0.0, 0.25268024, 1.1197695],
    "acos": [2.0943952, 1.5707964, 1.3181161, 0.45102686],
    "atan": [-0.4636476, 0.0, 0.24497867, 0.7328151],
    "sinh": [-0.5210953, 0.0, 0.25261232, 1.0265167],
    "cosh": [1.127626, 1.0, 1.0314131, 1.4330864],
    "asinh": [-0.48121184, 0.0, 0.24746647, 0.80886686],
    "atanh": [-0.54930615, 0.0, 0.25541282, 1.4722193],
    "rint": [-0.0, 0.0, 0.0, 1.0],
    "log_sigmoid": [-0.974077, -0.6931472, -0.5759394, -0.34115386],
}


@pytest.mark.parametrize("name", sorted(FROM_TF))
def test_unary_values_from_tf(name):
    # float32 transcendental functions may differ from TF's in the last digit
    assert_matches(getattr(ef.math, name)(ef.constant(X)), np.array(FROM_TF[name], np.float32), rtol=3e-7, atol=1e-7)


@pytest.mark.parametrize("ef_fn,np_fn,low,high", [
    (ef.asin, np.arcsin, -1, 1), (ef.acos, np.arccos, -1, 1), (ef.atan, np.arctan, -5, 5),
    (ef.sinh, np.sinh, -3, 3), (ef.cosh, np.cosh, -3, 3), (ef.asinh, np.arcsinh, -5, 5),
    (ef.acosh, np.arccosh, 1, 5), (ef.atanh, np.arctanh, -0.99, 0.99), (ef.math.rint, np.rint, -5, 5),
    (ef.math.softsign, lambda x: x / (1 + np.abs(x)), -5, 5),
    (ef.math.log_sigmoid, lambda x: -np.logaddexp(0, -x), -8, 8),
])
def test_unary_against_numpy(ef_fn, np_fn, low, high):
    check_op(ef_fn, np_fn, [(3, 4)], dtypes=("float32", "float64"), low=low, high=high)


def test_namespaces_as_tf():
    for name in ("acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cosh", "sinh"):
        assert getattr(ef, name) is getattr(ef.math, name)
    for name in ("rint", "log_sigmoid", "softsign", "xlogy", "xdivy", "multiply_no_nan", "reduce_euclidean_norm",
                 "segment_sum", "unsorted_segment_sum"):
        assert callable(getattr(ef.math, name))
    assert ef.nn.softsign is ef.math.softsign
    for name in ("sigmoid_cross_entropy_with_logits", "dropout", "moments"):
        assert callable(getattr(ef.nn, name))
    assert callable(ef.clip_by_norm) and callable(ef.clip_by_global_norm) and callable(ef.linalg.global_norm)


def test_acosh_softsign_rint_values_from_tf():
    assert_matches(ef.acosh(ef.constant([1.0, 1.5, 3.0])), np.array([0.0, 0.9624237, 1.7627472], np.float32),
                   rtol=3e-7)
    assert_matches(ef.math.softsign(ef.constant([-3.0, 0.0, 1.0])), np.array([-0.75, 0.0, 0.5], np.float32))
    got = ef.math.rint(ef.constant([0.5, 1.5, 2.5, -0.5, -1.7]))
    assert_matches(got, np.array([0.0, 2.0, 2.0, -0.0, -2.0], np.float32))
    assert np.signbit(got.numpy()[3])  # -0.5 rounds to -0., as TF


def test_log_sigmoid_does_not_underflow():
    assert_matches(ef.math.log_sigmoid(ef.constant([-100.0, 0.0, 100.0])),
                   np.array([-100.0, -0.6931472, -0.0], np.float32))


def test_atan2_quadrants_from_tf():
    got = ef.atan2(ef.constant([1.0, -1.0, 0.0, 2.0]), ef.constant([1.0, -1.0, -1.0, 0.0]))
    assert_matches(got, np.array([0.7853982, -2.3561945, 3.1415927, 1.5707964], np.float32), rtol=2e-7)


def test_xlogy_xdivy_multiply_no_nan_from_tf():
    x, y = ef.constant([0.0, 0.0, 2.0, 1.0]), ef.constant([0.0, np.nan, 3.0, 0.0])
    assert_matches(ef.math.xlogy(x, y), np.array([0.0, 0.0, 2.1972246, -np.inf], np.float32))
    assert_matches(ef.math.xdivy(x, y), np.array([0.0, 0.0, 0.6666667, np.inf], np.float32))
    got = ef.math.multiply_no_nan(ef.constant([np.inf, np.nan, 2.0, 1.0]), ef.constant([0.0, 0.0, 3.0, np.inf]))
    assert_matches(got, np.array([0.0, 0.0, 6.0, np.inf], np.float32))
    assert_matches(ef.math.xlogy(ef.constant([[2.0], [0.0]], ef.float64), [1.0, np.e]),
                   np.array([[0.0, 2.0], [0.0, 0.0]]))


@pytest.mark.parametrize("fn", [ef.asin, ef.math.rint, ef.math.softsign, lambda x: ef.atan2(x, x),
                                lambda x: ef.math.xlogy(x, x), lambda x: ef.math.multiply_no_nan(x, x)])
def test_floating_only(fn):
    with pytest.raises(errors.InvalidArgumentError, match="not in the list of allowed values"):
        fn(ef.constant([1, 2]))


def test_reduce_euclidean_norm_from_tf():
    x = ef.constant([[3.0, 4.0], [5.0, 12.0]])
    assert_matches(ef.math.reduce_euclidean_norm(x, axis=1), np.array([5.0, 13.0], np.float32))
    assert_matches(ef.math.reduce_euclidean_norm(x), np.array(13.928389, np.float32))
    assert_matches(ef.math.reduce_euclidean_norm(x, axis=0, keepdims=True),
                   np.array([[5.8309517, 12.649111]], np.float32))
    # integers: the norm rounded toward zero, in the input dtype
    assert_matches(ef.math.reduce_euclidean_norm(ef.constant([[3, 4], [1, 1]]), axis=1), np.array([5, 1], np.int32))
    assert_matches(ef.math.reduce_euclidean_norm(ef.constant([1 + 1j, 1j])), np.array(np.sqrt(3) + 0j))
    check_op(lambda t: ef.math.reduce_euclidean_norm(t, axis=[0, 2]), lambda a: np.sqrt((a * a).sum(axis=(0, 2))),
             [(2, 3, 4)], dtypes=("float32", "float64"))


def test_segment_sum_from_tf():
    got = ef.math.segment_sum(ef.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), ef.constant([0, 0, 2]))
    assert_matches(got, np.array([[4.0, 6.0], [0.0, 0.0], [5.0, 6.0]], np.float32))
    assert_matches(ef.math.segment_sum([1, 2, 3], ef.constant([1, 1, 1], ef.int64)), np.array([0, 6], np.int32))


def test_segment_sum_errors():
    with pytest.raises(errors.InvalidArgumentError, match="segment ids are not increasing.*unsorted_segment_sum"):
        ef.math.segment_sum([1.0, 2.0], [1, 0])
    with pytest.raises(errors.InvalidArgumentError, match="must be >= 0"):
        ef.math.segment_sum([1.0, 2.0], [-1, 0])
    with pytest.raises(errors.InvalidArgumentError, match="size of data's first dimension"):
        ef.math.segment_sum([1.0, 2.0], [0, 0, 1])
    with pytest.raises(errors.InvalidArgumentError, match="int32, int64"):
        ef.math.segment_sum([1.0, 2.0], [0.0, 1.0])


def test_unsorted_segment_sum_from_tf():
    got = ef.math.unsorted_segment_sum(ef.constant([1.0, 2.0, 3.0, 4.0]), ef.constant([2, -1, 0, 2]), num_segments=3)
    assert_matches(got, np.array([3.0, 0.0, 5.0], np.float32))  # the negative id is dropped
    got = ef.math.unsorted_segment_sum(ef.constant([[1, 2], [3, 4]]), ef.constant([[0, 1], [1, 1]]), num_segments=2)
    assert_matches(got, np.array([1, 9], np.int32))
    got = ef.math.unsorted_segment_sum(ef.constant([[1.0, 2.0], [3.0, 4.0]]), [1, 1], ef.constant(3))
    assert_matches(got, np.array([[0.0, 0.0], [4.0, 6.0], [0.0, 0.0]], np.float32))


def test_unsorted_segment_sum_errors():
    with pytest.raises(errors.InvalidArgumentError, match=r"segment_ids\[1\] = 5 is out of range \[0, 3\)"):
        ef.math.unsorted_segment_sum([1.0, 2.0], [1, 5], 3)
    with pytest.raises(errors.InvalidArgumentError, match="does not start with segment_ids.shape"):
        ef.math.unsorted_segment_sum([1.0, 2.0], [[1, 0]], 3)


# ----------------------------------------------------------------------------- nn

def test_sigmoid_cross_entropy_from_tf():
    got = ef.nn.sigmoid_cross_entropy_with_logits(labels=ef.constant([0.0, 1.0, 0.5, 1.0]),
                                                  logits=ef.constant([-2.0, 3.0, 0.0, -100.0]))
    assert_matches(got, np.array([0.12692800, 0.048587352, 0.69314718, 100.0], np.float32))
    got = ef.nn.sigmoid_cross_entropy_with_logits(labels=[[1.0]], logits=ef.constant([[1000.0]], ef.float64))
    assert_matches(got, np.array([[0.0]]))  # stable for large logits
    with pytest.raises(ValueError, match=r"same shape, received \(\(3,\) vs \(2,\)\)"):
        ef.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="labels and logits"):
        ef.nn.sigmoid_cross_entropy_with_logits(logits=[1.0])


def test_moments_from_tf():
    x = ef.constant([[1.0, 2.0], [3.0, 6.0]])
    mean, variance = ef.nn.moments(x, axes=[0])
    assert_matches(mean, np.array([2.0, 4.0], np.float32))
    assert_matches(variance, np.array([1.0, 4.0], np.float32))
    mean, variance = ef.nn.moments(x, axes=[0, 1], keepdims=True)
    assert_matches(mean, np.array([[3.0]], np.float32))
    assert_matches(variance, np.array([[3.5]], np.float32))
    mean, variance = ef.nn.moments(ef.constant([[1.0, 2.0], [3.0, 6.0]], ef.float16), axes=1)
    assert_matches(mean, np.array([1.5, 4.5], np.float16))
    assert_matches(variance, np.array([0.25, 2.25], np.float16))


def test_dropout_scales_kept_values_and_drops_about_rate():
    x = ef.ones([20000])
    y = ef.nn.dropout(x, rate=0.25, seed=1).numpy()
    assert set(np.unique(y).tolist()) == {0.0, float(np.float32(1) / np.float32(0.75))}
    assert abs((y == 0).mean() - 0.25) < 0.02
    assert abs(y.mean() - 1.0) < 0.03  # the expected value is kept


def test_dropout_seeds_noise_shape_and_rate_zero():
    x = ef.constant([1.0, 2.0])
    assert ef.nn.dropout(x, 0.0) is x  # as TF
    ef.random.set_seed(5)
    a = ef.nn.dropout(ef.ones([50]), 0.5, seed=3)
    ef.random.set_seed(5)
    b = ef.nn.dropout(ef.ones([50]), 0.5, seed=3)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    rows = ef.nn.dropout(ef.ones([40, 5]), 0.5, noise_shape=[40, 1]).numpy()
    assert all(len(set(r.tolist())) == 1 for r in rows)  # whole rows kept or dropped
    assert ef.nn.dropout(ef.ones([4], ef.float64), ef.constant(0.5)).dtype == ef.float64


def test_dropout_errors_as_tf():
    with pytest.raises(ValueError, match=r"in the range \[0, 1\). Received: rate=1.0"):
        ef.nn.dropout(ef.constant([1.0]), 1.0)
    with pytest.raises(ValueError, match="floating point tensor"):
        ef.nn.dropout(ef.constant([1, 2]), 0.5)


# ----------------------------------------------------------------------------- clipping

def test_clip_by_norm_from_tf():
    assert_matches(ef.clip_by_norm(ef.constant([[3.0, 4.0], [0.0, 0.0]]), 2.0),
                   np.array([[1.2, 1.6], [0.0, 0.0]], np.float32))
    assert_matches(ef.clip_by_norm(ef.constant([[3.0, 4.0], [0.3, 0.4]]), 1.0, axes=[1]),
                   np.array([[0.6, 0.8], [0.3, 0.4]], np.float32))
    assert_matches(ef.clip_by_norm(ef.constant([0.0, 0.0]), 1.0), np.zeros(2, np.float32))


def test_clip_by_global_norm_from_tf():
    clipped, norm = ef.clip_by_global_norm([ef.constant([3.0, 4.0]), ef.constant([[12.0]])], 6.5)
    assert_matches(norm, np.array(13.0, np.float32))
    assert_matches(clipped[0], np.array([1.5, 2.0], np.float32))
    assert_matches(clipped[1], np.array([[6.0]], np.float32))
    clipped, norm = ef.clip_by_global_norm([ef.constant([3.0, 4.0]), None], 10.0)
    assert clipped[1] is None
    assert_matches(clipped[0], np.array([3.0, 4.0], np.float32))
    assert_matches(norm, np.array(5.0, np.float32))
    assert_matches(ef.linalg.global_norm([[3.0], None, [4.0]]), np.array(5.0, np.float32))


def test_clip_by_global_norm_inf_gives_nan_and_needs_a_list():
    with np.errstate(all="raise"):
        clipped, norm = ef.clip_by_global_norm([ef.constant([np.inf, 1.0])], 1.0)
    assert np.isinf(norm.numpy()) and np.isnan(clipped[0].numpy()).all()
    with pytest.raises(TypeError, match="should be a sequence of tensors"):
        ef.clip_by_global_norm(ef.constant([1.0]), 1.0)
