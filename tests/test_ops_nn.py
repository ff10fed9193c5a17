"""ef.nn against NumPy formulas (and values printed by TF 2.21 where noted)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as ef
from eagerflow import errors
from conftest import assert_matches, check_op

FLOATS = ("float32", "float64")


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


_erf = np.vectorize(math.erf)
_erfc = np.vectorize(math.erfc)


@pytest.mark.parametrize("ef_fn,np_fn", [
    (ef.nn.relu, lambda x: np.maximum(x, 0)),
    (ef.nn.relu6, lambda x: np.clip(x, 0, 6)),
    (ef.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    (ef.nn.softplus, lambda x: np.log1p(np.exp(x))),
    (ef.nn.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    (ef.nn.tanh, np.tanh),
    # TF's gelu casts its constants from float32 (math_ops.cast of a Python float), in float64 too
    (ef.nn.gelu, lambda x: 0.5 * x * _erfc(-x * np.float64(np.float32(0.7071067811865476)))),
    (lambda x: ef.nn.gelu(x, approximate=True),
     lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + np.float64(np.float32(0.044715)) * x ** 3)))),
    (ef.nn.softmax, _softmax),
    (ef.nn.log_softmax, _log_softmax),
    (lambda x: ef.nn.softmax(x, axis=0), lambda x: _softmax(x, axis=0)),
    (lambda x: ef.nn.log_softmax(x, axis=0), lambda x: _log_softmax(x, axis=0)),
])
def test_activations(ef_fn, np_fn):
    check_op(ef_fn, np_fn, [(3, 5)], dtypes=FLOATS, low=-8, high=8)
    check_op(ef_fn, np_fn, [(7,)], dtypes=("float16",), low=-4, high=4, rtol=1e-2, atol=1e-2)


def test_activation_values_from_tf():
    assert_matches(ef.nn.relu6(ef.constant([-1.0, 3.0, 8.0])), np.array([0, 3, 6], np.float32))
    assert_matches(ef.nn.elu(ef.constant([1.0, -1.0])), np.array([1.0, -0.63212055], np.float32))
    assert_matches(ef.nn.gelu(ef.constant([1.0, -1.0])), np.array([0.8413447, -0.15865526], np.float32))
    assert_matches(ef.nn.gelu(ef.constant([1.0, -1.0]), approximate=True),
                   np.array([0.841192, -0.158808], np.float32), rtol=1e-5)
    assert_matches(ef.nn.softmax(ef.constant([1.0, 2.0])), np.array([0.26894143, 0.73105854], np.float32))
    assert_matches(ef.nn.log_softmax(ef.constant([1.0, 2, 3])), np.array([-2.407606, -1.4076059, -0.40760595],
                                                                         np.float32))
    assert_matches(ef.nn.softplus(ef.constant([-100.0, 0.0, 100.0])), np.array([0.0, 0.6931472, 100.0], np.float32))


def test_relu_keeps_integers():
    assert_matches(ef.nn.relu(ef.constant([-1, 2])), np.array([0, 2], np.int32))


def test_softmax_is_stable_for_large_logits():
    assert_matches(ef.nn.softmax(ef.constant([1000.0, 1000.0])), np.array([0.5, 0.5], np.float32))
    assert_matches(ef.nn.log_softmax(ef.constant([1000.0, 0.0])), np.array([0.0, -1000.0], np.float32))


@pytest.mark.parametrize("fn", [ef.nn.softmax, ef.nn.elu, ef.nn.log_softmax])
def test_floating_only(fn):
    with pytest.raises(errors.InvalidArgumentError):
        fn(ef.constant([1, 2]))


def test_sparse_softmax_cross_entropy():
    logits = np.array([[1.0, 2.0], [3.0, 1.0]], np.float32)
    got = ef.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    want = -_log_softmax(logits.astype(np.float64))[[0, 1], [0, 1]]
    assert_matches(got, want.astype(np.float32))
    assert_matches(got, np.array([1.3132616, 2.126928], np.float32))  # TF 2.21
    batch = np.random.default_rng(0).normal(size=(2, 3, 5))
    labels = np.array([[0, 4, 2], [1, 1, 3]], np.int64)
    want = -np.take_along_axis(_log_softmax(batch), labels[..., None], axis=-1)[..., 0]
    assert_matches(ef.nn.sparse_softmax_cross_entropy_with_logits(labels, batch), want)


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(errors.InvalidArgumentError, match="label value of 5"):
        ef.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 5], logits=[[1.0, 2.0], [3.0, 1.0]])
    with pytest.raises(ValueError):
        ef.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=[[1.0, 2.0]])
    with pytest.raises((TypeError, errors.InvalidArgumentError)):
        ef.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0], logits=[[1.0, 2.0]])


def test_softmax_cross_entropy():
    labels = np.array([[0.0, 1.0], [0.5, 0.5]], np.float32)
    logits = np.array([[1.0, 2.0], [3.0, 1.0]], np.float32)
    got = ef.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert_matches(got, -(labels * _log_softmax(logits)).sum(-1))
    assert_matches(got, np.array([0.31326166, 1.126928], np.float32))  # TF 2.21
    got0 = ef.nn.softmax_cross_entropy_with_logits(labels=labels.T, logits=logits.T, axis=0)
    assert_matches(got0, -(labels * _log_softmax(logits)).sum(-1))
    with pytest.raises(errors.InvalidArgumentError):
        ef.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1.0, 2.0, 3.0]])


def test_l2_loss():
    assert_matches(ef.nn.l2_loss(ef.constant([1.0, 2.0])), np.float32(2.5))
    check_op(ef.nn.l2_loss, lambda x: np.sum(x.astype(np.float64) ** 2) / 2, [(4, 3)], dtypes=FLOATS)


def test_bias_add():
    assert_matches(ef.nn.bias_add(ef.constant([[1.0, 2]]), ef.constant([1.0, 2])), np.array([[2, 4]], np.float32))
    check_op(ef.nn.bias_add, np.add, [(2, 3, 4), (4,)], dtypes=("float32", "int32"))
    with pytest.raises((ValueError, errors.InvalidArgumentError)):
        ef.nn.bias_add(ef.constant([1.0, 2]), ef.constant([1.0, 2]))
    with pytest.raises((ValueError, errors.InvalidArgumentError)):
        ef.nn.bias_add([[1.0, 2]], [1.0, 2, 3])


def test_namespaces():
    assert ef.nn.sigmoid is ef.math.sigmoid and ef.nn.tanh is ef.math.tanh
    assert ef.math.softplus is ef.nn.softplus and ef.math.top_k is not None
    assert ef.linalg.matmul is ef.matmul
    for name in ("add", "reduce_sum", "argmax", "cumsum", "logical_xor", "floormod"):
        assert getattr(ef.math, name) is not None


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(st.sampled_from([np.float32, np.float64]), hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.floats(-30, 30, width=32)))
def test_property_softmax_rows_sum_to_one(x):
    s = ef.nn.softmax(x).numpy()
    assert s.dtype == x.dtype and np.all(s >= 0)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(ef.nn.log_softmax(x).numpy(), _log_softmax(x.astype(np.float64)), atol=1e-5)
    np.testing.assert_allclose(ef.nn.relu(x).numpy(), np.maximum(x, 0))
