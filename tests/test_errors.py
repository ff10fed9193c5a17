"""Every error case of issue 2: the class TF raises (or the documented eagerflow difference), and no change."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors


def test_error_classes():
    assert issubclass(errors.InvalidArgumentError, errors.OpError)
    assert errors.InvalidArgumentError.error_code == 3 and errors.OutOfRangeError.error_code == 11
    e = errors.InvalidArgumentError(None, "AddV2", "bad")
    assert str(e) == "bad" and e.message == "bad" and e.op == "AddV2"
    assert ef.errors.NotFoundError is errors.NotFoundError


@pytest.mark.parametrize("value", [[[1, 2], [3]], [1, [2]], [[1.0], []], [[[1], [2]], [3]]])
def test_ragged_lists(value):
    with pytest.raises(ValueError, match="non-rectangular"):
        ef.constant(value)
    with pytest.raises(ValueError):
        ef.Variable(value)


def test_unconvertible_values():
    for value in (None, object(), {"a": 1}, [None], [1, None]):
        with pytest.raises(ValueError):
            ef.constant(value)
    with pytest.raises(ValueError, match="mixed types"):
        ef.constant([1, "a"])
    with pytest.raises(ValueError, match="Unsupported numpy type"):
        ef.constant(np.datetime64("2020"))


@pytest.mark.parametrize("name", ["int99", "floot32", "tf.float32", "str32"])
def test_unknown_dtype_names(name):
    with pytest.raises(TypeError, match="Cannot convert"):
        ef.as_dtype(name)
    with pytest.raises(TypeError):
        ef.zeros([2], dtype=name)
    with pytest.raises(TypeError):
        ef.Variable([1.0], dtype=name)


@pytest.mark.parametrize("fn", [ef.add, ef.subtract, ef.multiply, ef.maximum, ef.equal, ef.less, ef.matmul])
def test_dtype_mismatch_between_tensors(fn):
    x, y = ef.constant([[1.0, 2.0]]), ef.constant([[1], [2]])
    with pytest.raises(errors.InvalidArgumentError, match="expected to be a float tensor but is a int32 tensor"):
        fn(x, y)


def test_dtype_mismatch_message_as_tf():
    with pytest.raises(errors.InvalidArgumentError) as info:
        ef.constant([1.0, 2]) + ef.constant([1, 2], dtype=ef.float64)
    assert str(info.value).startswith("cannot compute AddV2 as input #1(zero-based) was expected to be a float tensor "
                                      "but is a double tensor [Op:AddV2]")


@pytest.mark.parametrize("fn", [lambda x: 1.5 * x, lambda x: ef.multiply(x, 1.5), lambda x: 1.5 + x,
                                lambda x: x - 2.0, lambda x: ef.maximum(x, 0.1)])
def test_python_float_into_integer_op_is_type_error(fn):
    with pytest.raises(TypeError, match="Cannot convert .* to EagerTensor of dtype int32"):
        fn(ef.constant([1, 2]))


@pytest.mark.parametrize("fn", [lambda x: x + 1.5, lambda x: ef.add(x, 0.5), lambda x: ef.add(0.5, x)])
def test_python_float_into_integer_add_is_invalid_argument(fn):
    # TF: `+` and tf.add are the generated op, which converts the float on its own and then finds two dtypes
    with pytest.raises(errors.InvalidArgumentError, match="expected to be a (int32|float) tensor but is a"):
        fn(ef.constant([1, 2]))


def test_python_values_take_the_tensor_dtype():
    out = ef.constant([1.0, 2.0], dtype=ef.float16) + 1
    assert out.dtype is ef.float16


@pytest.mark.parametrize("make", [lambda: ef.constant([1, 2]) + [1, 2, 3],
                                  lambda: ef.add(ef.ones([2, 3]), ef.ones([4])),
                                  lambda: ef.equal([1, 2], [1, 2, 3]), lambda: ef.ones([3]) * ef.ones([2, 2])])
def test_shape_mismatch_in_ops(make):
    with pytest.raises(errors.InvalidArgumentError):
        make()


def test_shape_mismatch_on_variables():
    v = ef.Variable([[1.0, 2.0]])
    with pytest.raises(ValueError, match="Shape mismatch"):
        v.assign([1.0, 2.0])
    with pytest.raises(errors.InvalidArgumentError):
        v.assign_add([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(v.numpy(), [[1, 2]])


@pytest.mark.parametrize("make", [
    lambda: ef.constant([1, 2])[2], lambda: ef.constant([1, 2])[-3], lambda: ef.constant([[1, 2]])[0, 2],
    lambda: ef.gather([1, 2, 3], [3]), lambda: ef.gather([1, 2, 3], [-1]), lambda: ef.gather_nd([[1]], [[1, 0]]),
    lambda: ef.Variable([1, 2])[2], lambda: ef.Variable([1, 2]).scatter_nd_update([[2]], [1]),
    lambda: ef.Variable([1, 2]).scatter_nd_add([[-1]], [1]),
    lambda: ef.nn.sparse_softmax_cross_entropy_with_logits([2], [[1.0, 2.0]]),
    lambda: ef.math.argmax([[1, 2]], axis=5), lambda: ef.reduce_sum([1, 2], axis=1),
])
def test_out_of_range_indices(make):
    with pytest.raises(errors.InvalidArgumentError):
        make()


@pytest.mark.parametrize("value,dtype", [("a", ef.int32), (["1", "2"], ef.float32), (b"x", ef.bool),
                                         ("1.5", ef.complex64)])
def test_strings_into_numbers(value, dtype):
    with pytest.raises(TypeError, match="Cannot convert"):
        ef.constant(value, dtype=dtype)
    with pytest.raises(TypeError):
        ef.zeros([1], dtype=dtype) - value
    with pytest.raises(errors.InvalidArgumentError):  # `+` is TF's generated op: a string tensor of the wrong dtype
        ef.zeros([1], dtype=dtype) + value
    zero = False if dtype is ef.bool else 0
    v = ef.Variable([zero] if np.ndim(value) == 0 else [zero, zero], dtype=dtype)
    before = v.numpy()
    with pytest.raises(TypeError):
        v.assign(value)
    np.testing.assert_array_equal(v.numpy(), before)


def test_numbers_into_strings():
    with pytest.raises(TypeError):
        ef.constant(1, dtype=ef.string)
    with pytest.raises(TypeError):
        ef.Variable("a").assign(1)


# ----------------------------------------------------------------------------- where TF loses data: eagerflow raises


@pytest.mark.parametrize("value,dtype", [(300, ef.int8), (-1, ef.uint8), (256, ef.uint8), (2**31, ef.int32),
                                         ([1, 2**40], ef.int32), (2**64, ef.uint64), (-129, ef.int8)])
def test_out_of_range_integer_conversion_raises(value, dtype):
    # TF silently wraps: constant(300, dtype=int8) is 44
    with pytest.raises(ValueError, match=f"to dtype {dtype.name}: .* out of its range"):
        ef.constant(value, dtype=dtype)


def test_out_of_range_numpy_conversion_raises():
    with pytest.raises(ValueError):
        ef.constant(np.array([300]), dtype=ef.int8)
    with pytest.raises(ValueError):
        ef.constant([1, 2], dtype=ef.int8) + 1000


def test_constant_300_int8_message():
    with pytest.raises(ValueError) as info:
        ef.constant(300, dtype=ef.int8)
    text = str(info.value)
    assert "300" in text and "int8" in text and "[-128, 127]" in text and "ef.cast" in text


def test_int32_variable_assign_2_pow_40_changes_nothing():
    v = ef.Variable(7, dtype=ef.int32)
    address = v._buf.ctypes.data
    for update in (v.assign, v.assign_add, v.assign_sub):
        with pytest.raises(ValueError, match="1099511627776"):
            update(2**40)
    assert int(v) == 7 and v.dtype is ef.int32 and v._buf.ctypes.data == address
    w = ef.Variable([1, 2], dtype=ef.int8)
    with pytest.raises(ValueError):
        w.scatter_nd_update([[0]], [1000])
    with pytest.raises(ValueError):
        w[0].assign(128)
    np.testing.assert_array_equal(w.numpy(), [1, 2])


def test_in_range_edge_values_are_accepted():
    assert int(ef.constant(127, dtype=ef.int8)) == 127 and int(ef.constant(-128, dtype=ef.int8)) == -128
    assert int(ef.constant(2**64 - 1, dtype=ef.uint64)) == 2**64 - 1
    v = ef.Variable(0, dtype=ef.int32)
    v.assign(2**31 - 1)
    assert int(v) == 2**31 - 1


def test_explicit_cast_still_wraps():
    assert int(ef.cast(ef.constant(300), ef.int8)) == 44


def test_integer_arithmetic_still_wraps():
    v = ef.Variable(2**31 - 1)
    v.assign_add(1)
    assert int(v) == -2**31


def test_scalar_conversion_errors():
    with pytest.raises(TypeError):
        len(ef.constant(1))
    with pytest.raises(TypeError):
        int(ef.constant([1, 2]))
    with pytest.raises(ValueError):
        bool(ef.constant([True, False]))
    with pytest.raises(TypeError):
        iter(ef.constant(2))


def test_unsupported_dtype_for_op():
    with pytest.raises(errors.InvalidArgumentError, match=r"\[Op:Sin\]"):
        ef.sin(ef.constant(1))  # TF: Value for attr 'T' of int32 is not in the list of allowed values
    with pytest.raises(errors.InvalidArgumentError):
        ef.nn.softmax(ef.constant([1, 2]))
