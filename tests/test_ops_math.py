"""Math ops against NumPy: elementwise with broadcasting, operators, reductions, products."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as ef
from eagerflow import errors
from conftest import FLOAT_DTYPES, INT_DTYPES, SIGNED_DTYPES, assert_matches, check_op, np_dtype

NUMERIC = FLOAT_DTYPES + INT_DTYPES
BROADCAST = [[(3, 4), (4,)], [(2, 1, 3), (4, 1)], [(), (5,)], [(2, 3), (2, 3)], [(0, 3), (3,)]]

# ----------------------------------------------------------------------------- binary elementwise


@pytest.mark.parametrize("shapes", BROADCAST)
@pytest.mark.parametrize("ef_fn,np_fn", [(ef.add, np.add), (ef.subtract, np.subtract), (ef.multiply, np.multiply),
                                         (ef.maximum, np.maximum), (ef.minimum, np.minimum)])
def test_arithmetic(ef_fn, np_fn, shapes):
    check_op(ef_fn, np_fn, shapes, dtypes=NUMERIC, low=0, high=10)
    check_op(ef_fn, np_fn, shapes, dtypes=SIGNED_DTYPES + ("float32",), low=-10, high=10)


@pytest.mark.parametrize("ef_fn,np_fn", [(ef.equal, np.equal), (ef.not_equal, np.not_equal), (ef.less, np.less),
                                         (ef.less_equal, np.less_equal), (ef.greater, np.greater),
                                         (ef.greater_equal, np.greater_equal)])
def test_comparisons(ef_fn, np_fn):
    for shapes in BROADCAST:
        check_op(ef_fn, np_fn, shapes, dtypes=NUMERIC, out_dtype="bool", low=0, high=3)


def test_truediv():
    check_op(ef.divide, np.true_divide, [(3, 4), (4,)], dtypes=FLOAT_DTYPES, nonzero=True)
    check_op(ef.truediv, np.true_divide, [(3, 4), (4,)], dtypes=("float32", "float64"), nonzero=True)
    # TF divides integers as floats: 8/16-bit -> float32, 32/64-bit -> float64
    check_op(ef.divide, np.true_divide, [(5,), (5,)], dtypes=("int8", "int16", "uint8"), out_dtype="float32",
             nonzero=True)
    check_op(ef.divide, np.true_divide, [(5,), (5,)], dtypes=("int32", "int64"), out_dtype="float64", nonzero=True)
    assert_matches(ef.constant([7, -7]) / 2, np.array([3.5, -3.5]))
    assert_matches(ef.constant([1.0, -1.0, 0.0]) / 0, np.array([np.inf, -np.inf, np.nan], np.float32))


def test_floordiv_floormod():
    check_op(ef.math.floordiv, np.floor_divide, [(4, 5), (5,)], dtypes=("float32", "float64") + INT_DTYPES,
             nonzero=True)
    check_op(ef.math.floormod, np.remainder, [(4, 5), (5,)], dtypes=("float32", "float64") + INT_DTYPES, nonzero=True)
    check_op(ef.math.floordiv, np.floor_divide, [(4, 5), (5,)], dtypes=SIGNED_DTYPES, nonzero=True, low=-9, high=9)
    check_op(ef.math.mod, np.remainder, [(4, 5), (5,)], dtypes=SIGNED_DTYPES, nonzero=True, low=-9, high=9)
    assert_matches(ef.constant([7, -7]) // 2, np.array([3, -4], np.int32))
    assert_matches(ef.constant([7, -7]) % 3, np.array([1, 2], np.int32))
    assert_matches(ef.constant([7.0, -7]) % 3, np.array([1, 2], np.float32))
    assert_matches(ef.math.floormod(ef.constant([-7, 7]), ef.constant([3, -3])), np.array([2, -2], np.int32))


@pytest.mark.parametrize("fn", [ef.math.floordiv, ef.math.floormod])
def test_integer_division_by_zero(fn):
    with pytest.raises(errors.InvalidArgumentError, match="Integer division by zero"):
        fn(ef.constant([1, 2]), 0)


def test_pow():
    check_op(ef.pow, np.power, [(3, 4), (4,)], dtypes=("float32", "float64"), positive=True, low=0, high=3)
    check_op(ef.pow, np.power, [(6,), (6,)], dtypes=("int32", "int64"), positive=True, low=0, high=4)
    assert_matches(ef.constant([2, 3]) ** 2, np.array([4, 9], np.int32))
    assert_matches(2 ** ef.constant([2, 3]), np.array([4, 8], np.int32))
    assert_matches(ef.constant([4.0, 9.0]) ** 0.5, np.array([2, 3], np.float32))
    with pytest.raises(errors.InvalidArgumentError, match="negative integer powers"):
        ef.constant([2, 3]) ** -1


def test_integer_arithmetic_wraps():
    # only *conversion* of out-of-range Python numbers raises; arithmetic wraps like TF
    a = ef.constant([100], dtype=ef.int8)
    assert_matches(a + a, np.array([-56], np.int8))
    assert_matches(ef.constant([2**31 - 1]) + 1, np.array([-2**31], np.int32))


# ----------------------------------------------------------------------------- unary


@pytest.mark.parametrize("ef_fn,np_fn,draw", [
    (ef.negative, np.negative, {}), (ef.abs, np.abs, {}), (ef.sign, np.sign, {}), (ef.square, np.square, {}),
])
def test_unary_all_signed(ef_fn, np_fn, draw):
    check_op(ef_fn, np_fn, [(3, 4)], dtypes=FLOAT_DTYPES + SIGNED_DTYPES, **draw)


def _erf_free_sigmoid(x):
    return 1 / (1 + np.exp(-x.astype(np.float64)))


@pytest.mark.parametrize("ef_fn,np_fn,draw", [
    (ef.sqrt, np.sqrt, {"positive": True}),
    (ef.math.rsqrt, lambda x: 1 / np.sqrt(x.astype(np.float64)), {"positive": True, "nonzero": True}),
    (ef.exp, np.exp, {}), (ef.math.log, np.log, {"positive": True, "nonzero": True}),
    (ef.math.log1p, np.log1p, {"positive": True}), (ef.sin, np.sin, {}), (ef.cos, np.cos, {}),
    (ef.tan, np.tan, {"low": -1, "high": 1}), (ef.tanh, np.tanh, {}), (ef.sigmoid, _erf_free_sigmoid, {}),
    (ef.math.sigmoid, _erf_free_sigmoid, {}), (ef.floor, np.floor, {}), (ef.math.ceil, np.ceil, {}),
    (ef.round, np.round, {}),
])
def test_unary_floating(ef_fn, np_fn, draw):
    check_op(ef_fn, np_fn, [(4, 5)], dtypes=("float16", "float32", "float64"), **draw)


def test_round_half_to_even():
    assert_matches(ef.round(ef.constant([0.5, 1.5, 2.5, -0.5, -1.5])), np.array([0, 2, 2, -0.0, -2], np.float32))
    assert_matches(ef.round(ef.constant([1, 2])), np.array([1, 2], np.int32))


def test_complex_unary():
    assert_matches(ef.abs(ef.constant([-1 + 0j, 3 + 4j])), np.array([1, 5], np.float64))
    assert_matches(ef.square(ef.constant([1 + 1j])), np.array([2j]))
    check_op(ef.exp, np.exp, [(3,)], dtypes=("complex64", "complex128"), low=-1, high=1)


@pytest.mark.parametrize("fn", [ef.sin, ef.sqrt, ef.exp, ef.math.log, ef.floor, ef.sigmoid, ef.tanh])
def test_floating_only_ops_refuse_integers(fn):
    # TF: "Value for attr 'T' of int32 is not in the list of allowed values"
    with pytest.raises(errors.InvalidArgumentError):
        fn(ef.constant([1, 2]))


def test_sigmoid_extremes_do_not_overflow():
    assert_matches(ef.sigmoid(ef.constant([-1000.0, 0.0, 1000.0])), np.array([0, 0.5, 1], np.float32))


def test_log_of_zero_and_negative():
    assert_matches(ef.math.log(ef.constant([0.0, -1.0])), np.array([-np.inf, np.nan], np.float32))


# ----------------------------------------------------------------------------- operators


def test_python_operators():
    a, b = ef.constant([6, 3]), ef.constant([3, 1])
    assert_matches(a + b, np.array([9, 4], np.int32))
    assert_matches(a - b, np.array([3, 2], np.int32))
    assert_matches(a * b, np.array([18, 3], np.int32))
    assert_matches(a / b, np.array([2.0, 3.0]))
    assert_matches(a // b, np.array([2, 3], np.int32))
    assert_matches(a % b, np.array([0, 0], np.int32))
    assert_matches(a ** b, np.array([216, 3], np.int32))
    assert_matches(-a, np.array([-6, -3], np.int32))
    with pytest.raises(TypeError):  # as TF: a tensor has no unary +
        _ = +a
    assert_matches(abs(ef.constant([-1.5])), np.array([1.5], np.float32))
    assert_matches(a & b, np.array([2, 1], np.int32))
    assert_matches(a | b, np.array([7, 3], np.int32))
    assert_matches(a ^ b, np.array([5, 2], np.int32))
    assert_matches(~ef.constant([1, 2]), np.array([-2, -3], np.int32))
    assert_matches(a < b, np.array([False, False]))
    assert_matches(a <= 3, np.array([False, True]))
    assert_matches(a > 3, np.array([True, False]))
    assert_matches(a >= 6, np.array([True, False]))


def test_reflected_operators():
    a = ef.constant([1.0, 2.0])
    assert_matches(1 + a, np.array([2, 3], np.float32))
    assert_matches(1 - a, np.array([0, -1], np.float32))
    assert_matches(2 * a, np.array([2, 4], np.float32))
    assert_matches(2 / a, np.array([2, 1], np.float32))
    assert_matches(5 // a, np.array([5, 2], np.float32))
    assert_matches(5 % a, np.array([0, 1], np.float32))
    assert_matches(2 ** a, np.array([2, 4], np.float32))
    assert_matches([[1.0, 0.0]] @ ef.constant([[1.0], [2.0]]), np.array([[1.0]], np.float32))
    assert_matches(True & ef.constant([True, False]), np.array([True, False]))
    assert_matches(False | ef.constant([True, False]), np.array([True, False]))
    assert_matches(True ^ ef.constant([True, False]), np.array([False, True]))


def test_bool_operators():
    t, u = ef.constant([True, False]), ef.constant([True, True])
    assert_matches(t & u, np.array([True, False]))
    assert_matches(t | u, np.array([True, True]))
    assert_matches(t ^ u, np.array([False, True]))
    assert_matches(~t, np.array([False, True]))
    with pytest.raises(errors.InvalidArgumentError):
        ef.constant([1.0]) & ef.constant([1.0])
    with pytest.raises(errors.InvalidArgumentError):
        -ef.constant([True])


def test_equality_operators():
    t = ef.constant([1, 2])
    assert_matches(t == [1, 3], np.array([True, False]))
    assert_matches(t != 2, np.array([True, False]))
    assert (t == None) is False and (t != None) is True  # noqa: E711
    # TF: shapes that do not broadcast compare unequal as a scalar tensor
    assert_matches(t == [1, 2, 3], np.bool_(False))
    assert_matches(t != ef.constant([1, 2, 3]), np.bool_(True))
    with pytest.raises(TypeError):
        t == "a"  # noqa: B015
    with pytest.raises(TypeError):
        t == 1.5  # noqa: B015
    with pytest.raises(errors.InvalidArgumentError):
        t == ef.constant([1.0, 2.0])  # noqa: B015
    assert_matches(ef.constant(["a", "b"]) == "a", np.array([True, False]))


def test_python_scalars_take_the_tensor_dtype():
    assert_matches(ef.constant([1.0, 2.0], dtype=ef.float64) + 1, np.array([2, 3], np.float64))
    assert_matches(ef.constant([1, 2], dtype=ef.int8) * 2, np.array([2, 4], np.int8))
    assert_matches(ef.constant([1, 2]) + True, np.array([2, 3], np.int32))
    assert_matches(ef.constant([1.0, 2.0], dtype=ef.float16) * 0.5, np.array([0.5, 1], np.float16))


def test_string_concatenation():
    assert ef.add(ef.constant("a"), "b").numpy() == b"ab"
    np.testing.assert_array_equal((ef.constant(["a", "c"]) + "b").numpy(), np.array([b"ab", b"cb"], object))


# ----------------------------------------------------------------------------- logical


def test_logical():
    x, y = [True, False, True, False], [True, True, False, False]
    assert_matches(ef.logical_and(x, y), np.logical_and(x, y))
    assert_matches(ef.logical_or(x, y), np.logical_or(x, y))
    assert_matches(ef.logical_not(x), np.logical_not(x))
    assert_matches(ef.math.logical_xor(x, y), np.logical_xor(x, y))
    assert_matches(ef.logical_and([[True], [False]], [True, False]), np.logical_and([[True], [False]], [True, False]))


# ----------------------------------------------------------------------------- reductions

REDUCTIONS = [(ef.reduce_sum, np.sum), (ef.reduce_max, np.max), (ef.reduce_min, np.min), (ef.reduce_prod, np.prod)]


@pytest.mark.parametrize("ef_fn,np_fn", REDUCTIONS)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), [0, 1, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions(ef_fn, np_fn, axis, keepdims):
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    check_op(lambda x: ef_fn(x, axis=axis, keepdims=keepdims), lambda x: np_fn(x, axis=np_axis, keepdims=keepdims),
             [(2, 3, 4)], dtypes=("float32", "float64", "int32", "int64"), low=-2, high=2)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reduce_mean(axis):
    check_op(lambda x: ef.reduce_mean(x, axis=axis), lambda x: np.mean(x, axis=axis), [(3, 4)],
             dtypes=("float32", "float64"))


def test_integer_mean_truncates_toward_zero_as_tf():
    assert_matches(ef.reduce_mean(ef.constant([1, 2])), np.int32(1))
    assert_matches(ef.reduce_mean(ef.constant([-1, -2])), np.int32(-1))
    assert_matches(ef.reduce_mean(ef.constant([-3, 2])), np.int32(0))
    assert_matches(ef.reduce_mean(ef.constant([1, 2, 4])), np.int32(2))
    assert_matches(ef.reduce_mean(ef.constant([[1, 2], [4, 5]]), axis=1), np.array([1, 4], np.int32))
    assert_matches(ef.reduce_mean(ef.constant([1, 2], dtype=ef.uint8)), np.uint8(1))


def test_reductions_of_empty_tensors_as_tf():
    assert_matches(ef.reduce_sum(ef.zeros([0])), np.float32(0))
    assert_matches(ef.reduce_prod(ef.zeros([0])), np.float32(1))
    assert_matches(ef.reduce_max(ef.zeros([0])), np.float32(-np.inf))
    assert_matches(ef.reduce_min(ef.zeros([0], dtype=ef.int32)), np.int32(2**31 - 1))
    assert_matches(ef.reduce_mean(ef.zeros([0])), np.float32(np.nan))
    assert_matches(ef.reduce_all(ef.zeros([0], dtype=ef.bool)), np.bool_(True))
    assert_matches(ef.reduce_any(ef.zeros([0], dtype=ef.bool)), np.bool_(False))
    assert_matches(ef.reduce_max(ef.zeros([0, 3]), axis=0), np.full(3, -np.inf, np.float32))
    assert_matches(ef.reduce_min(ef.zeros([0, 3], ef.uint8), axis=0), np.full(3, 255, np.uint8))
    assert_matches(ef.reduce_sum(ef.zeros([0, 3], ef.int32), axis=1), np.zeros(0, np.int32))


def test_reduce_any_all():
    x = np.array([[True, False], [True, True]])
    for axis in (None, 0, 1):
        assert_matches(ef.reduce_any(x, axis=axis), np.any(x, axis=axis))
        assert_matches(ef.reduce_all(x, axis=axis), np.all(x, axis=axis))
    assert_matches(ef.reduce_any([[True, False]], axis=1, keepdims=True), np.array([[True]]))


def test_reduction_errors():
    with pytest.raises(errors.InvalidArgumentError):
        ef.reduce_sum(ef.constant([[1, 2], [3, 4]]), axis=2)
    with pytest.raises(errors.InvalidArgumentError):
        ef.reduce_sum(ef.constant([True, True]))  # TF has no bool Sum kernel
    with pytest.raises(errors.InvalidArgumentError):
        ef.reduce_mean(ef.constant([True, False]))


def test_reductions_keep_integer_dtype_and_wrap():
    assert_matches(ef.reduce_sum(ef.constant([100, 100], dtype=ef.int8)), np.int8(-56))
    assert_matches(ef.reduce_sum(ef.constant([[1, 2], [3, 4]]), axis=[0, 1]), np.int32(10))


def test_other_reductions():
    x = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    assert_matches(ef.math.reduce_std(x), np.float32(np.std(x)))
    assert_matches(ef.math.reduce_variance(x), np.float32(np.var(x)))
    assert_matches(ef.math.reduce_logsumexp([1.0, 2.0]), np.float32(np.log(np.exp(1) + np.exp(2))))


# ----------------------------------------------------------------------------- argmax / argmin / cumsum


def test_argmax_argmin():
    check_op(lambda x: ef.argmax(x), lambda x: np.argmax(x, axis=0), [(5, 3)], dtypes=("float32", "int32"),
             out_dtype="int64")
    check_op(lambda x: ef.math.argmin(x, axis=1), lambda x: np.argmin(x, axis=1), [(5, 3)],
             dtypes=("float32", "uint8"), out_dtype="int64")
    check_op(lambda x: ef.argmax(x, axis=-1, output_type=ef.int32), lambda x: np.argmax(x, axis=-1), [(2, 3, 4)],
             out_dtype="int32")


def test_argmax_ties_pick_the_first():
    assert_matches(ef.math.argmax([1, 3, 3, 1]), np.int64(1))
    assert_matches(ef.math.argmin([1, 0, 0, 1]), np.int64(1))
    assert_matches(ef.math.argmax([[1, 3], [3, 3]], axis=1), np.array([1, 0], np.int64))
    assert_matches(ef.math.argmin(ef.constant([[3, 1], [1, 1]]), axis=0), np.array([1, 0], np.int64))


def test_argmax_errors():
    with pytest.raises(errors.InvalidArgumentError):
        ef.math.argmax(ef.constant(1))
    with pytest.raises(errors.InvalidArgumentError, match="empty"):
        ef.math.argmax([])
    with pytest.raises(errors.InvalidArgumentError):
        ef.math.argmax([[1, 2]], axis=2)
    with pytest.raises((TypeError, errors.InvalidArgumentError)):
        ef.math.argmax([2.0, 1.0], output_type=ef.float32)


def test_cumsum():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    assert_matches(ef.cumsum(x), np.cumsum(x, axis=0, dtype=np.int32))
    assert_matches(ef.cumsum(x, axis=1), np.cumsum(x, axis=1, dtype=np.int32))
    assert_matches(ef.cumsum([1, 2, 3], exclusive=True), np.array([0, 1, 3], np.int32))
    assert_matches(ef.cumsum([1, 2, 3], reverse=True), np.array([6, 5, 3], np.int32))
    assert_matches(ef.cumsum([1, 2, 3], exclusive=True, reverse=True), np.array([5, 3, 0], np.int32))
    check_op(lambda a: ef.cumsum(a, axis=1), lambda a: np.cumsum(a, axis=1), [(3, 5)], dtypes=("float32", "float64"))


# ----------------------------------------------------------------------------- products


@pytest.mark.parametrize("shapes", [[(2, 3), (3, 4)], [(5, 2, 3), (5, 3, 4)], [(1, 2, 3), (4, 3, 2)],
                                    [(2, 3), (4, 3, 5)], [(1, 1), (1, 1)]])
def test_matmul(shapes):
    check_op(ef.matmul, np.matmul, shapes, dtypes=("float32", "float64", "int32", "complex64"), low=-3, high=3)
    check_op(ef.linalg.matmul, np.matmul, shapes, dtypes=("float32",))


def test_matmul_transposes():
    a, b = np.arange(6.0, dtype=np.float32).reshape(3, 2), np.arange(12.0, dtype=np.float32).reshape(4, 3)
    assert_matches(ef.matmul(a, b, transpose_a=True, transpose_b=True), a.T @ b.T)
    assert_matches(ef.matmul(a.T, b.T, transpose_b=False), a.T @ b.T)
    c = np.array([[1 + 1j, 2], [3, 4j]], np.complex64)
    assert_matches(ef.matmul(c, c, adjoint_a=True), c.conj().T @ c)
    assert_matches(ef.matmul([[1, 2]], [[3], [4]]), np.array([[11]], np.int32))


def test_matmul_errors():
    with pytest.raises(errors.InvalidArgumentError):
        ef.matmul(ef.ones([2, 3]), ef.ones([2, 3]))
    with pytest.raises(errors.InvalidArgumentError, match="ndims must be >= 2"):
        ef.matmul(ef.ones([3]), ef.ones([3, 2]))
    with pytest.raises(errors.InvalidArgumentError):
        ef.matmul(ef.constant([[1, 2]]), ef.constant([[1.0], [2.0]]))


def test_tensordot_and_einsum():
    a, b = np.arange(6.0, dtype=np.float32).reshape(2, 3), np.arange(12.0, dtype=np.float32).reshape(3, 4)
    assert_matches(ef.tensordot(a, b, axes=1), np.tensordot(a, b, axes=1))
    assert_matches(ef.tensordot([1.0, 2.0], [3.0, 4.0], axes=0), np.tensordot([1.0, 2.0], [3.0, 4.0], 0)
                   .astype(np.float32))
    assert_matches(ef.tensordot(a, b, axes=[[1], [0]]), a @ b)
    assert_matches(ef.einsum("ij,jk->ik", a, b), a @ b)
    assert_matches(ef.einsum("i,i->", ef.constant([1, 2]), ef.constant([3, 4])), np.int32(11))
    assert_matches(ef.einsum("bij->bji", np.ones((2, 3, 4), np.float32)), np.ones((2, 4, 3), np.float32))


# ----------------------------------------------------------------------------- clip, add_n, linalg


def test_clip_by_value():
    assert_matches(ef.clip_by_value(ef.constant([1, 5, 10]), 2, 8), np.array([2, 5, 8], np.int32))
    assert_matches(ef.clip_by_value(ef.constant([1.0, 5, 10]), 2, 8), np.array([2, 5, 8], np.float32))
    assert_matches(ef.clip_by_value(ef.constant([[1.0, 5.0]]), [0.0, 6.0], 8.0), np.array([[1, 6]], np.float32))
    with pytest.raises(TypeError):
        ef.clip_by_value(ef.constant([1, 5]), 2.5, 8)


def test_add_n():
    assert_matches(ef.add_n([ef.constant([1, 2]), ef.constant([3, 4]), [5, 6]]), np.array([9, 12], np.int32))
    assert_matches(ef.add_n([[1.0], [2.0]]), np.array([3.0], np.float32))
    assert_matches(ef.add_n([ef.Variable([1.0]), ef.constant([2.0])]), np.array([3.0], np.float32))
    with pytest.raises(ValueError):
        ef.add_n([])
    with pytest.raises((ValueError, errors.InvalidArgumentError)):
        ef.add_n([ef.constant([1]), ef.constant([1, 2])])
    with pytest.raises(errors.InvalidArgumentError):
        ef.add_n([ef.constant([1]), ef.constant([1.0])])


def test_linalg():
    m = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    assert_matches(ef.linalg.inv(m), np.linalg.inv(m), rtol=1e-5)
    assert_matches(ef.linalg.det(m), np.float32(-2.0), rtol=1e-5)
    assert_matches(ef.linalg.det(np.stack([m, 2 * m]).astype(np.float64)), np.array([-2.0, -8.0]))
    assert_matches(ef.linalg.norm([3.0, 4.0]), np.float32(5))
    assert_matches(ef.linalg.norm([[3.0, 4.0], [0.0, 0.0]]), np.float32(5))
    assert_matches(ef.linalg.norm([[3.0, 4.0]], ord=1, axis=1), np.array([7], np.float32))
    assert_matches(ef.linalg.norm([[1.0, -2.0]], ord=np.inf, axis=1), np.array([2], np.float32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.linalg.inv([[1, 2], [3, 4]])
    with pytest.raises(errors.InvalidArgumentError):
        ef.linalg.det([[1, 2], [3, 4]])


# ----------------------------------------------------------------------------- property tests

BINARY = [("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply), ("maximum", np.maximum),
          ("minimum", np.minimum), ("less", np.less), ("equal", np.equal), ("greater_equal", np.greater_equal)]
PROPERTY_DTYPES = ("float16", "float32", "float64", "int8", "int32", "int64", "uint8", "uint32")


@st.composite
def broadcast_pair(draw):
    dtype = draw(st.sampled_from(PROPERTY_DTYPES))
    shape_a, shape_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4)).input_shapes
    dt = np_dtype(dtype)
    if dt.kind == "f":
        elements = st.floats(-100, 100, width=dt.itemsize * 8, allow_nan=False)
    else:
        info = np.iinfo(dt)
        elements = st.integers(max(info.min, -100), min(info.max, 100))
    a = draw(hnp.arrays(dt, shape_a, elements=elements))
    b = draw(hnp.arrays(dt, shape_b, elements=elements))
    return a, b


@settings(max_examples=60, deadline=None)
@given(pair=broadcast_pair(), op=st.sampled_from(BINARY))
def test_property_binary_ops_match_numpy(pair, op):
    a, b = pair
    name, np_fn = op
    got = getattr(ef, name)(ef.constant(a), ef.constant(b))
    with np.errstate(over="ignore"):
        want = np_fn(a, b)
    assert_matches(got, want, rtol=0, atol=0)


@settings(max_examples=40, deadline=None)
@given(pair=broadcast_pair())
def test_property_operators_equal_functions(pair):
    a, b = pair
    ta, tb = ef.constant(a), ef.constant(b)
    np.testing.assert_array_equal((ta + tb).numpy(), ef.add(ta, tb).numpy())
    np.testing.assert_array_equal((ta * tb).numpy(), ef.multiply(ta, tb).numpy())
    np.testing.assert_array_equal((ta < tb).numpy(), ef.less(ta, tb).numpy())


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(st.sampled_from([np.float32, np.float64, np.int32, np.int64]),
                    hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                    elements=st.integers(-50, 50)),
       data=st.data())
def test_property_reductions_match_numpy(x, data):
    axis = data.draw(st.sampled_from([None] + list(range(-x.ndim, x.ndim))))
    keepdims = data.draw(st.booleans())
    for ef_fn, np_fn in [(ef.reduce_sum, np.sum), (ef.reduce_max, np.max), (ef.reduce_min, np.min)]:
        if x.size == 0 and np_fn is not np.sum:
            continue
        assert_matches(ef_fn(x, axis=axis, keepdims=keepdims),
                       np_fn(x, axis=axis, keepdims=keepdims).astype(x.dtype), rtol=1e-6, atol=1e-6)


# ----------------------------------------------------------------------------- differential tests against TF 2.21
# Literal values TensorFlow 2.21 (CPU) gave for the same expressions.


def test_float_floordiv_and_floormod_as_tf():
    x = ef.constant([-5.5, 5.5, 7., -7., 1., 0.5, -0.5])
    y = ef.constant([float("inf"), -float("inf"), 0., 0., float("nan"), -0.25, 0.25])
    q = (x // y).numpy()
    np.testing.assert_array_equal(q, [-0., -0., np.inf, -np.inf, np.nan, -2., -2.])
    assert np.signbit(q[0]) and np.signbit(q[1])
    m = ef.math.floormod(x, y).numpy()
    np.testing.assert_array_equal(m, [np.inf, -np.inf, np.nan, np.nan, np.nan, 0., -0.])
    assert not np.signbit(m[5]) and np.signbit(m[6])  # TF: 0.5 % -0.25 is +0.0 (NumPy: -0.0)


def test_truncatediv_truncatemod_top_level_as_tf():
    x, y = ef.constant([7, -7, 7, -7, -2**31]), ef.constant([2, 2, -2, -2, -1])
    assert ef.truncatediv(x, y).numpy().tolist() == [3, -3, -3, 3, -2**31]
    assert ef.truncatemod(x, y).numpy().tolist() == [1, -1, 1, -1, 0]
    assert ef.truncatemod(ef.constant([-7.5]), 2.).numpy().tolist() == [-1.5]
    with pytest.raises(errors.InvalidArgumentError):
        ef.truncatemod(ef.constant([1]), ef.constant([0]))


def test_integer_mean_accumulates_wide_as_tf():
    assert ef.reduce_mean(ef.constant([100, 100, 100], dtype=ef.int8)).numpy() == 100
    assert ef.reduce_mean(ef.constant([-100, -100, 50], dtype=ef.int8)).numpy() == -50
    assert ef.reduce_mean(ef.constant([250, 250], dtype=ef.uint8)).numpy() == 250
    assert ef.reduce_mean(ef.constant([60000, 60000], dtype=ef.uint16)).numpy() == 60000
    assert ef.reduce_mean(ef.constant([2**30, 2**30, 2**30])).numpy() == 2**30
    out = ef.reduce_mean(ef.constant([[250, 250], [1, 2]], dtype=ef.uint8), axis=0)
    assert out.dtype == ef.uint8 and out.numpy().tolist() == [125, 126]
    assert ef.reduce_mean(ef.constant([-7, 2])).numpy() == -2


def test_reduce_logsumexp_with_infinities_as_tf():
    assert ef.reduce_logsumexp(ef.constant([float("inf"), 1.])).numpy() == np.inf
    assert ef.reduce_logsumexp(ef.constant([-float("inf"), -float("inf")])).numpy() == -np.inf
    x = ef.constant([[1., float("nan"), 3.], [float("inf"), -float("inf"), 0.]])
    out = ef.reduce_logsumexp(x, axis=0).numpy()
    assert out[0] == np.inf and np.isnan(out[1]) and out[2] == pytest.approx(3.0485873)
    out = ef.reduce_logsumexp(x, axis=1, keepdims=True).numpy()
    assert out.shape == (2, 1) and np.isnan(out[0, 0]) and out[1, 0] == np.inf


def test_divide_no_nan_of_integers_divides_as_floats_as_tf():
    out = ef.math.divide_no_nan(ef.constant([1, 2]), ef.constant([0, 4]))
    assert out.dtype == ef.float64 and out.numpy().tolist() == [0.0, 0.5]
    out = ef.math.divide_no_nan(ef.constant([-7, 5], dtype=ef.int8), ef.constant([2, 0], dtype=ef.int8))
    assert out.dtype == ef.float32 and out.numpy().tolist() == [-3.5, 0.0]
    out = ef.math.divide_no_nan(ef.constant([1., 2.]), ef.constant([0., float("nan")])).numpy()
    assert out[0] == 0 and np.isnan(out[1])


def test_complex_sigmoid_and_squared_difference_as_tf():
    out = ef.sigmoid(ef.constant([1 + 2j, 3j])).numpy()
    np.testing.assert_allclose(out, [1.0214153641721806 + 0.40343870608154253j, 0.5 + 7.05070997j], rtol=1e-7)
    out = ef.math.squared_difference(ef.constant([1 + 2j, -0.5 + 0j]), ef.constant([2 + 0j, 1j]))
    assert out.numpy().tolist() == [5 + 0j, 1.25 + 0j]


@pytest.mark.parametrize("fn", [ef.logical_and, ef.logical_or, ef.math.logical_xor])
@pytest.mark.parametrize("dtype", [ef.int32, ef.float32, ef.uint8])
def test_logical_ops_need_bool_tensors_as_tf(fn, dtype):
    x = ef.constant([1, 0], dtype=dtype)
    with pytest.raises(errors.InvalidArgumentError, match="was expected to be a bool tensor"):
        fn(x, x)
    with pytest.raises(errors.InvalidArgumentError, match="was expected to be a bool tensor"):
        ef.logical_not(x)


def test_cumprod_as_tf():
    out = ef.math.cumprod(ef.constant([[3, -1, 2], [5, 7, -4]]))
    assert out.dtype == ef.int32 and out.numpy().tolist() == [[3, -1, 2], [15, -7, -8]]
    assert ef.math.cumprod([1., 2., 3.], exclusive=True, reverse=True).numpy().tolist() == [6., 3., 1.]
    x = ef.Variable([1., -2., 3.])
    with ef.GradientTape() as tape:
        y = ef.reduce_sum(ef.math.cumprod(x))
    assert tape.gradient(y, x).numpy().tolist() == [-7., 4., -2.]
