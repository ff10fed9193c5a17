"""Tensor constructors: constant, convert_to_tensor, identity, cast, fills, ranges, random."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from conftest import assert_matches

# ----------------------------------------------------------------------------- constant


def test_constant_with_dtype():
    assert_matches(ef.constant([1, 2], dtype=ef.float32), np.array([1, 2], np.float32))
    assert_matches(ef.constant([1, 2], dtype="int64"), np.array([1, 2], np.int64))
    assert_matches(ef.constant(1, dtype=ef.complex64), np.complex64(1))
    assert_matches(ef.constant([1.0, 2.0], dtype=ef.float16), np.array([1, 2], np.float16))
    assert_matches(ef.constant(True, dtype=ef.int32), np.int32(1))  # TF converts bools to numbers
    assert_matches(ef.constant(np.array([1.0, 2.0]), dtype=ef.float32), np.array([1, 2], np.float32))


@pytest.mark.parametrize("value,dtype", [(1.5, ef.int32), ("a", ef.int32), (1, ef.bool), (1j, ef.float32),
                                         ([1.0, 2], ef.int32)])
def test_constant_refuses_lossy_kinds(value, dtype):
    with pytest.raises(TypeError, match=f"Cannot convert .* to EagerTensor of dtype {dtype.name}"):
        ef.constant(value, dtype=dtype)


@pytest.mark.parametrize("value,shape,want", [
    ([1, 2], [2, 1], [[1], [2]]),
    ([1, 2, 3, 4], [2, 2], [[1, 2], [3, 4]]),
    ([[1, 2], [3, 4]], [4], [1, 2, 3, 4]),
    (7, [2, 3], [[7, 7, 7], [7, 7, 7]]),
    ([7], [2], [7, 7]),
    (1, [], 1),
    ([1], [], 1),
    (5, [0], np.zeros([0], np.int32)),
])
def test_constant_shape_reshapes_or_fills(value, shape, want):
    assert_matches(ef.constant(value, shape=shape), np.asarray(want, dtype=np.int32))


def test_constant_shape_accepts_tensor_shape_and_strings():
    assert ef.constant([1, 2], shape=ef.TensorShape([2, 1])).shape == [2, 1]
    np.testing.assert_array_equal(ef.constant("abc", shape=[2]).numpy(), np.array([b"abc", b"abc"], object))


@pytest.mark.parametrize("value,shape", [([1, 2], [3]), ([1, 2, 3], [2]), ([1, 2], [4, 1])])
def test_constant_shape_mismatch_is_type_error(value, shape):
    with pytest.raises(TypeError, match="Eager execution of ef.constant with unsupported shape"):
        ef.constant(value, shape=shape)


def test_constant_of_tensor():
    t = ef.constant([1, 2])
    assert_matches(ef.constant(t), np.array([1, 2], np.int32))
    with pytest.raises(TypeError, match="Expected tensor"):
        ef.constant(t, dtype=ef.float32)  # TF refuses to convert a tensor's dtype here


def test_constant_strings():
    assert ef.constant("é").numpy() == "é".encode()
    assert ef.constant(b"\xff").numpy() == b"\xff"
    np.testing.assert_array_equal(ef.constant([b"a", "b"]).numpy(), np.array([b"a", b"b"], object))
    np.testing.assert_array_equal(ef.constant(np.array(["a", "bc"])).numpy(), np.array([b"a", b"bc"], object))
    np.testing.assert_array_equal(ef.constant(np.array(["a"], dtype=object)).numpy(), np.array([b"a"], object))


def test_constant_keeps_numpy_dtype_and_copies():
    a = np.array([1.0, 2.0])
    t = ef.constant(a)
    assert t.dtype is ef.float64
    a[0] = 100.0
    assert float(t[0]) == 1.0  # the tensor does not see later writes to the source array


# ----------------------------------------------------------------------------- convert_to_tensor / identity


def test_convert_to_tensor():
    t = ef.constant([1, 2])
    assert ef.convert_to_tensor(t) is t
    assert_matches(ef.convert_to_tensor([1, 2], dtype=ef.float32), np.array([1, 2], np.float32))
    assert_matches(ef.convert_to_tensor([1], dtype_hint=ef.float32), np.array([1], np.float32))
    assert_matches(ef.convert_to_tensor([1.5], dtype_hint=ef.int32), np.array([1.5], np.float32))
    assert_matches(ef.convert_to_tensor(1.0, dtype_hint=ef.float64), np.float64(1.0))
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor with dtype int32"):
        ef.convert_to_tensor(t, dtype=ef.float32)
    with pytest.raises(TypeError):
        ef.convert_to_tensor([1.5], dtype=ef.int32)


def test_identity():
    t = ef.constant([1, 2])
    i = ef.identity(t)
    assert isinstance(i, ef.Tensor) and i.dtype is ef.int32
    np.testing.assert_array_equal(i.numpy(), [1, 2])
    assert_matches(ef.identity([1.5]), np.array([1.5], np.float32))


# ----------------------------------------------------------------------------- cast


@pytest.mark.parametrize("value,dtype,want", [
    ([1.7, -1.7], ef.int32, np.array([1, -1], np.int32)),
    ([1.9, -1.9], ef.int8, np.array([1, -1], np.int8)),
    ([True, False], ef.float32, np.array([1, 0], np.float32)),
    ([0.5, 0.0], ef.bool, np.array([True, False])),
    ([2, 0], ef.bool, np.array([True, False])),
    ([1 + 2j], ef.float32, np.array([1], np.float32)),
    ([1, 2], "float64", np.array([1, 2], np.float64)),
    ([1.0], ef.complex64, np.array([1], np.complex64)),
    ([1.0], ef.bfloat16, np.array([1.0], np.float32)),
])
def test_cast(value, dtype, want):
    got = ef.cast(ef.constant(value), dtype)
    assert got.dtype == ef.as_dtype(dtype)
    np.testing.assert_array_equal(got.numpy().astype(want.dtype), want)


def test_cast_wraps_integers_on_purpose():
    np.testing.assert_array_equal(ef.cast(ef.constant([200]), ef.int8).numpy(), [-56])
    np.testing.assert_array_equal(ef.cast(ef.constant([-1]), ef.uint8).numpy(), [255])


def test_cast_same_dtype_and_variable():
    t = ef.constant([1.0])
    assert ef.cast(t, ef.float32) is t
    assert_matches(ef.cast(ef.Variable([1]), ef.float32), np.array([1], np.float32))


def test_cast_strings_refused():
    with pytest.raises(ef.errors.UnimplementedError, match="Cast string to int32 is not supported"):
        ef.cast(ef.constant(["1"]), ef.int32)
    with pytest.raises(ef.errors.UnimplementedError):
        ef.cast(ef.constant([1.0]), ef.string)


# ----------------------------------------------------------------------------- fills


def test_zeros_ones():
    assert_matches(ef.zeros([2, 3]), np.zeros([2, 3], np.float32))
    assert_matches(ef.zeros(3), np.zeros(3, np.float32))
    assert_matches(ef.zeros([]), np.float32(0))
    assert_matches(ef.zeros(ef.constant([2])), np.zeros(2, np.float32))
    assert_matches(ef.zeros([2], dtype=ef.int32), np.zeros(2, np.int32))
    assert_matches(ef.ones([2, 1], ef.bool), np.ones([2, 1], bool))
    assert_matches(ef.ones([2], dtype=ef.complex64), np.ones(2, np.complex64))
    assert_matches(ef.ones([2], dtype="int8"), np.ones(2, np.int8))
    assert ef.ones([2], dtype=ef.bfloat16).dtype is ef.bfloat16
    np.testing.assert_array_equal(ef.zeros([2], dtype=ef.string).numpy(), np.array([b"", b""], object))
    with pytest.raises(TypeError):
        ef.ones([2], dtype=ef.string)
    with pytest.raises(errors.InvalidArgumentError):
        ef.zeros([-1])


def test_fill():
    assert_matches(ef.fill([2, 2], 7), np.full([2, 2], 7, np.int32))
    assert_matches(ef.fill([2], 7.5), np.full([2], 7.5, np.float32))
    assert_matches(ef.fill([2], True), np.array([True, True]))
    np.testing.assert_array_equal(ef.fill([2], "a").numpy(), np.array([b"a", b"a"], object))
    with pytest.raises(errors.InvalidArgumentError):
        ef.fill([2], [1, 2])
    with pytest.raises(errors.InvalidArgumentError):
        ef.fill([-1], 1)


def test_zeros_like_ones_like():
    assert_matches(ef.zeros_like([1.5, 2]), np.zeros(2, np.float32))
    assert_matches(ef.zeros_like([1, 2], dtype=ef.float64), np.zeros(2, np.float64))
    assert_matches(ef.zeros_like(ef.Variable([1, 2])), np.zeros(2, np.int32))
    assert_matches(ef.ones_like(ef.constant([1, 2]), dtype=ef.float32), np.ones(2, np.float32))
    assert_matches(ef.ones_like([[True]]), np.ones([1, 1], bool))
    np.testing.assert_array_equal(ef.zeros_like(ef.constant(["a"])).numpy(), np.array([b""], object))
    with pytest.raises(errors.InvalidArgumentError):
        ef.ones_like(ef.constant(["a"]))


# ----------------------------------------------------------------------------- ranges


@pytest.mark.parametrize("args,kwargs,want", [
    ((5,), {}, np.arange(5, dtype=np.int32)),
    ((1, 5, 2), {}, np.array([1, 3], np.int32)),
    ((1.0, 2.0, 0.25), {}, np.arange(1, 2, 0.25, dtype=np.float32)),
    ((5,), {"dtype": ef.float32}, np.arange(5, dtype=np.float32)),
    ((5, 1, -1), {}, np.array([5, 4, 3, 2], np.int32)),
    ((3,), {"dtype": ef.int64}, np.arange(3, dtype=np.int64)),
    ((0.5, 2), {}, np.array([0.5, 1.5], np.float32)),
    ((1, 3, 0.5), {}, np.arange(1, 3, 0.5, dtype=np.float32)),
    ((3,), {"dtype": ef.float64}, np.arange(3, dtype=np.float64)),
])
def test_range(args, kwargs, want):
    assert_matches(ef.range(*args, **kwargs), want)


def test_range_of_tensor_and_errors():
    assert_matches(ef.range(ef.constant(3)), np.arange(3, dtype=np.int32))
    with pytest.raises(errors.InvalidArgumentError, match="delta != 0"):
        ef.range(0, 1, 0)
    with pytest.raises(errors.InvalidArgumentError, match="start <= limit"):
        ef.range(3, 1)


def test_eye():
    assert_matches(ef.eye(2), np.eye(2, dtype=np.float32))
    assert_matches(ef.eye(2, 3, dtype=ef.int32), np.eye(2, 3, dtype=np.int32))
    assert_matches(ef.eye(2, 1), np.eye(2, 1, dtype=np.float32))
    assert_matches(ef.eye(0), np.eye(0, dtype=np.float32))
    assert_matches(ef.eye(2, dtype=ef.bool), np.eye(2, dtype=bool))
    assert_matches(ef.eye(2, batch_shape=[3]), np.broadcast_to(np.eye(2, dtype=np.float32), (3, 2, 2)))


def test_linspace():
    assert_matches(ef.linspace(0.0, 1.0, 5), np.linspace(0, 1, 5, dtype=np.float32))
    assert_matches(ef.linspace(1.0, 0.0, 3), np.array([1, 0.5, 0], np.float32))
    assert_matches(ef.linspace(0.0, 1.0, 1), np.array([0.0], np.float32))
    assert_matches(ef.linspace(0, 1, 3), np.array([0, 0.5, 1]))  # TF: integer endpoints give float64
    assert_matches(ef.linspace(ef.constant(0.0, ef.float64), 1.0, 3), np.array([0, 0.5, 1]))


# ----------------------------------------------------------------------------- random


def test_uniform_shape_dtype_and_range():
    ef.random.set_seed(0)
    u = ef.random.uniform([1000], minval=2.0, maxval=3.0)
    assert u.dtype is ef.float32 and u.shape == [1000]
    a = u.numpy()
    assert a.min() >= 2.0 and a.max() < 3.0 and 2.4 < a.mean() < 2.6
    i = ef.random.uniform([1000], minval=5, maxval=7, dtype=ef.int64)
    assert i.dtype is ef.int64 and set(np.unique(i.numpy())) == {5, 6}
    assert ef.random.uniform([2, 3], dtype=ef.float64).dtype is ef.float64
    with pytest.raises(ValueError):
        ef.random.uniform([2], dtype=ef.int32)  # integer uniform needs maxval, as TF


def test_normal_statistics():
    ef.random.set_seed(0)
    n = ef.random.normal([20000], mean=3.0, stddev=2.0).numpy()
    assert abs(n.mean() - 3.0) < 0.1 and abs(n.std() - 2.0) < 0.1
    assert ef.random.normal([2, 3], dtype=ef.float64).dtype is ef.float64


def test_set_seed_replays_the_sequence():
    ef.random.set_seed(42)
    a1, b1 = ef.random.uniform([5]).numpy(), ef.random.normal([5]).numpy()
    ef.random.set_seed(42)
    a2, b2 = ef.random.uniform([5]).numpy(), ef.random.normal([5]).numpy()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, ef.random.uniform([5]).numpy())  # the next op draws new values
    ef.random.set_seed(43)
    assert not np.array_equal(a1, ef.random.uniform([5]).numpy())


def test_op_seed_is_reproducible():
    ef.random.set_seed(1)
    a = ef.random.uniform([4], seed=7).numpy()
    ef.random.set_seed(1)
    np.testing.assert_array_equal(a, ef.random.uniform([4], seed=7).numpy())


def test_generator_from_seed():
    g1, g2 = ef.random.Generator.from_seed(1), ef.random.Generator.from_seed(1)
    x1, x2 = g1.normal([3]), g2.normal([3])
    assert x1.dtype is ef.float32
    np.testing.assert_array_equal(x1.numpy(), x2.numpy())
    assert not np.array_equal(x1.numpy(), g1.normal([3]).numpy())  # the state advances
    np.testing.assert_array_equal(ef.random.Generator.from_seed(5).uniform([4]).numpy(),
                                  ef.random.Generator.from_seed(5).uniform([4]).numpy())
    assert not np.array_equal(ef.random.Generator.from_seed(5).uniform([4]).numpy(),
                              ef.random.Generator.from_seed(6).uniform([4]).numpy())
    u = ef.random.Generator.from_seed(3).uniform([100], minval=-1, maxval=1).numpy()
    assert u.min() >= -1 and u.max() < 1


def test_python_floats_into_float64_keep_full_precision():
    # regression: Python floats used to be rounded through float32 on the way to float64
    assert ef.constant(0.1, dtype=ef.float64).numpy().item() == 0.1
    assert (ef.constant([1.0], ef.float64) + 0.1).numpy()[0] == 1.0 + 0.1
    assert ef.constant([0.1, 1e300], dtype=ef.float64).numpy().tolist() == [0.1, 1e300]
    assert ef.constant(0.1, dtype=ef.complex128).numpy().item() == 0.1 + 0j
    assert ef.Variable(1.0, dtype=ef.float64).assign(0.1).numpy().item() == 0.1


def test_empty_list_takes_any_dtype_as_tf():
    for dtype in (ef.int32, ef.int8, ef.uint64, ef.bool, ef.complex64, ef.string):
        t = ef.constant([], dtype=dtype)
        assert t.dtype == dtype and t.shape == (0,)
    assert ef.constant([[], []], dtype=ef.int32).shape == (2, 0)
    assert ef.Variable([], dtype=ef.int64).shape == (0,)
    s = ef.shape(ef.constant(5.0))  # the shape of a scalar: an empty int32 vector
    assert s.dtype == ef.int32 and s.shape == (0,)
