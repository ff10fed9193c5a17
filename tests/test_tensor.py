"""ef.Tensor: properties, NumPy interop, the Python protocols, indexing, repr/str as TF's."""

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors

# NumPy and ml_dtypes format bfloat16 arrays differently from version to version; TF shows what they show.
_BF16 = np.array([1.5, 2], dtype=ml_dtypes.bfloat16)

# ----------------------------------------------------------------------------- properties


def test_properties():
    t = ef.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert t.shape == ef.TensorShape([2, 3]) and t.dtype is ef.float32 and t.ndim == 2
    assert t.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert isinstance(t, ef.Tensor) and ef.is_tensor(t) and not ef.is_tensor([1])


def test_numpy_is_a_copy():
    t = ef.constant([1, 2, 3])
    a = t.numpy()
    assert isinstance(a, np.ndarray) and a.dtype == np.int32
    a[0] = 100
    np.testing.assert_array_equal(t.numpy(), [1, 2, 3])


def test_numpy_of_scalar_and_string():
    assert ef.constant(2.5).numpy() == np.float32(2.5) and ef.constant(2.5).numpy().shape == ()
    np.testing.assert_array_equal(ef.constant(["a", "bc"]).numpy(), np.array([b"a", b"bc"], dtype=object))


def test_array_protocol():
    t = ef.constant([[1, 2], [3, 4]])
    a = np.asarray(t)
    assert a.dtype == np.int32 and a.shape == (2, 2)
    a[0, 0] = 9  # writing the array must not change the tensor
    assert int(t[0, 0]) == 1
    assert np.array(t, dtype=np.float64).dtype == np.float64
    assert float(np.sum(t)) == 10.0


def test_dlpack():
    t = ef.constant([1.0, 2.0, 3.0])
    a = np.from_dlpack(t)
    np.testing.assert_array_equal(a, [1.0, 2.0, 3.0])
    assert a.dtype == np.float32


def test_numpy_operand_defers_to_tensor():
    out = np.array([1.0, 2.0], dtype=np.float32) + ef.constant([1.0, 1.0])
    assert isinstance(out, ef.Tensor)
    np.testing.assert_array_equal(out.numpy(), [2.0, 3.0])


# ----------------------------------------------------------------------------- python protocols


def test_len_and_iter():
    t = ef.constant([[1, 2], [3, 4], [5, 6]])
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3 and all(isinstance(r, ef.Tensor) for r in rows)
    np.testing.assert_array_equal(rows[2].numpy(), [5, 6])
    with pytest.raises(TypeError, match="len"):
        len(ef.constant(1))
    with pytest.raises(TypeError):
        iter(ef.constant(1))


def test_scalar_conversions():
    assert bool(ef.constant(True)) is True and bool(ef.constant(0)) is False
    assert int(ef.constant(7)) == 7 and int(ef.constant(1.7)) == 1
    assert float(ef.constant(1)) == 1.0 and float(ef.constant(2.5)) == 2.5
    assert complex(ef.constant(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][ef.constant(2)] == 30
    assert [10, 20, 30][ef.constant(1, dtype=ef.int64)] == 20
    assert f"{ef.constant(2.5):.2f}" == "2.50"


def test_bool_of_one_element_tensor_and_ambiguous_bool():
    assert bool(ef.constant([[True]])) is True  # NumPy's rule, as TF
    with pytest.raises(ValueError):
        bool(ef.constant([True, False]))


@pytest.mark.parametrize("fn", [int, float, complex])
def test_non_scalar_to_python_number_is_type_error(fn):
    with pytest.raises(TypeError):
        fn(ef.constant([1]))  # TF: only 0-dimensional arrays can be converted to Python scalars


def test_index_rules():
    with pytest.raises(AttributeError, match="numpy.float32"):  # TF asks the NumPy scalar for its index
        [1, 2][ef.constant(1.0)]
    with pytest.raises(TypeError):
        [1, 2][ef.constant([1])]


def test_unhashable_and_ref():
    t = ef.constant([1, 2])
    with pytest.raises(TypeError, match=r"unhashable.*ref\(\)"):
        hash(t)
    with pytest.raises(TypeError):
        {t: 1}  # noqa: B018
    u = ef.constant([1, 2])
    d = {t.ref(): "t", u.ref(): "u"}
    assert d[t.ref()] == "t" and d[u.ref()] == "u" and len(d) == 2
    assert t.ref().deref() is t and t.ref() == t.ref() and t.ref() != u.ref()


def test_tensors_are_immutable():
    t = ef.constant([1, 2])
    with pytest.raises(TypeError):
        t[0] = 5
    with pytest.raises(AttributeError):
        t.assign([3, 4])


# ----------------------------------------------------------------------------- indexing

M = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


@pytest.mark.parametrize("key", [
    0, -1, 1, (1, 2), (1, 2, 3), (-1, -1, -1), slice(None), slice(0, 1), slice(None, None, -1),
    (slice(None), 1), (slice(None), slice(None, None, 2)), (slice(None), slice(1, None), slice(None, None, -2)),
    Ellipsis, (Ellipsis, 0), (0, Ellipsis), (0, Ellipsis, 1), None, (None, 0), (Ellipsis, None),
    (slice(None), None, 1), (slice(1, 100),), (slice(-100, 2),), (slice(5, 10),), (1, slice(None, None, -1), -2),
])
def test_getitem_matches_numpy(key):
    got = ef.constant(M)[key]
    want = M[key]
    assert got.dtype is ef.int32 and tuple(got.shape) == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


def test_getitem_with_newaxis_and_tensor_index():
    t = ef.constant([[1, 2], [3, 4]])
    assert ef.newaxis is None
    assert t[..., ef.newaxis, -1].shape == ef.TensorShape([2, 1])
    assert int(ef.constant([1, 2, 3, 4, 5])[ef.constant(1)]) == 2
    np.testing.assert_array_equal(ef.constant([1, 2, 3, 4, 5])[::-2].numpy(), [5, 3, 1])


@pytest.mark.parametrize("key", [5, -3, (slice(None), 5), (0, 0, 0)])
def test_out_of_range_index_is_invalid_argument(key):
    with pytest.raises(errors.InvalidArgumentError):
        ef.constant([[1, 2], [3, 4]])[key]


def test_bad_index_types():
    t = ef.constant([1, 2, 3])
    for key in (1.0, "a"):
        with pytest.raises(TypeError):
            t[key]
    with pytest.raises(ef.errors.InvalidArgumentError):  # TF: a list is the tuple (0, 1), too many indices
        t[[0, 1]]
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        t[True]


# ----------------------------------------------------------------------------- text (expected values are TF 2.21's)


@pytest.mark.parametrize("make,text", [
    (lambda: ef.constant([1, 1], dtype=ef.int64), "ef.Tensor([1 1], shape=(2,), dtype=int64)"),
    (lambda: ef.constant([1, 2]), "ef.Tensor([1 2], shape=(2,), dtype=int32)"),
    (lambda: ef.constant(1.5), "ef.Tensor(1.5, shape=(), dtype=float32)"),
    (lambda: ef.constant(3), "ef.Tensor(3, shape=(), dtype=int32)"),
    (lambda: ef.constant(True), "ef.Tensor(True, shape=(), dtype=bool)"),
    (lambda: ef.constant(0.1), "ef.Tensor(0.1, shape=(), dtype=float32)"),
    (lambda: ef.constant(1e-8), "ef.Tensor(1e-08, shape=(), dtype=float32)"),
    (lambda: ef.constant(-0.0), "ef.Tensor(-0.0, shape=(), dtype=float32)"),
    (lambda: ef.constant("hi"), "ef.Tensor(b'hi', shape=(), dtype=string)"),
    (lambda: ef.constant(["a", "bc"]), "ef.Tensor([b'a' b'bc'], shape=(2,), dtype=string)"),
    (lambda: ef.constant([b"\xff", b"a'b"]), "ef.Tensor([b'\\xff' b\"a'b\"], shape=(2,), dtype=string)"),
    (lambda: ef.constant([1 + 2j, 3j]), "ef.Tensor([1.+2.j 0.+3.j], shape=(2,), dtype=complex128)"),
    (lambda: ef.constant([1.5, 2], dtype=ef.bfloat16), f"ef.Tensor({_BF16}, shape=(2,), dtype=bfloat16)"),
    (lambda: ef.constant([1.5, 2], dtype=ef.float16), "ef.Tensor([1.5 2. ], shape=(2,), dtype=float16)"),
    (lambda: ef.constant([np.inf, -np.inf, np.nan]), "ef.Tensor([ inf -inf  nan], shape=(3,), dtype=float32)"),
    (lambda: ef.zeros([2, 0]), "ef.Tensor([], shape=(2, 0), dtype=float32)"),
    (lambda: ef.constant([[1.0, 2.0], [3.0, 4.0]]),
     "ef.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"),
    (lambda: ef.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
     "ef.Tensor(\n[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]], shape=(2, 2, 2), dtype=int32)"),
    (lambda: ef.range(2000), "ef.Tensor([   0    1    2 ... 1997 1998 1999], shape=(2000,), dtype=int32)"),
    (lambda: ef.ones([3, 1001]),
     "ef.Tensor(\n[[1. 1. 1. ... 1. 1. 1.]\n [1. 1. 1. ... 1. 1. 1.]\n [1. 1. 1. ... 1. 1. 1.]], "
     "shape=(3, 1001), dtype=float32)"),
    (lambda: ef.reshape(ef.range(10000.0), [100, 100]),
     "ef.Tensor(\n"
     "[[0.000e+00 1.000e+00 2.000e+00 ... 9.700e+01 9.800e+01 9.900e+01]\n"
     " [1.000e+02 1.010e+02 1.020e+02 ... 1.970e+02 1.980e+02 1.990e+02]\n"
     " [2.000e+02 2.010e+02 2.020e+02 ... 2.970e+02 2.980e+02 2.990e+02]\n"
     " ...\n"
     " [9.700e+03 9.701e+03 9.702e+03 ... 9.797e+03 9.798e+03 9.799e+03]\n"
     " [9.800e+03 9.801e+03 9.802e+03 ... 9.897e+03 9.898e+03 9.899e+03]\n"
     " [9.900e+03 9.901e+03 9.902e+03 ... 9.997e+03 9.998e+03 9.999e+03]], shape=(100, 100), dtype=float32)"),
])
def test_str_as_tf(make, text):
    assert str(make()) == text


@pytest.mark.parametrize("make,text", [
    (lambda: ef.constant([1, 2]), "<ef.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: ef.constant(1.5), "<ef.Tensor: shape=(), dtype=float32, numpy=1.5>"),
    (lambda: ef.constant(3), "<ef.Tensor: shape=(), dtype=int32, numpy=3>"),
    (lambda: ef.constant(np.uint8(3)), "<ef.Tensor: shape=(), dtype=uint8, numpy=3>"),
    (lambda: ef.constant(np.float64(0.1)), "<ef.Tensor: shape=(), dtype=float64, numpy=0.1>"),
    (lambda: ef.constant([True, False]), "<ef.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>"),
    (lambda: ef.constant("hi"), "<ef.Tensor: shape=(), dtype=string, numpy=b'hi'>"),
    (lambda: ef.constant(["a", "bc"]),
     "<ef.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>"),
    (lambda: ef.constant([1 + 2j, 3j]), "<ef.Tensor: shape=(2,), dtype=complex128, numpy=array([1.+2.j, 0.+3.j])>"),
    (lambda: ef.constant([1.5, 2], dtype=ef.bfloat16),
     f"<ef.Tensor: shape=(2,), dtype=bfloat16, numpy={_BF16!r}>"),
    (lambda: ef.zeros([2, 0]),
     "<ef.Tensor: shape=(2, 0), dtype=float32, numpy=array([], shape=(2, 0), dtype=float32)>"),
    (lambda: ef.constant([[1.5, 2], [3, 4]], dtype=ef.float64),
     "<ef.Tensor: shape=(2, 2), dtype=float64, numpy=\narray([[1.5, 2. ],\n       [3. , 4. ]])>"),
    (lambda: ef.range(2000),
     "<ef.Tensor: shape=(2000,), dtype=int32, numpy=\narray([   0,    1,    2, ..., 1997, 1998, 1999],\n"
     "      shape=(2000,), dtype=int32)>"),
])
def test_repr_as_tf(make, text):
    assert repr(make()) == text


@pytest.mark.parametrize("make,text_repr,text_str", [
    (lambda: ef.constant(0.1), "numpy=0.10000000149011612>", "ef.Tensor(0.1, shape=(), dtype=float32)"),
    (lambda: ef.constant(0.1, ef.float16), "numpy=0.0999755859375>", "ef.Tensor(0.1, shape=(), dtype=float16)"),
    (lambda: ef.constant(0.1, ef.bfloat16), "numpy=0.10009765625>", "ef.Tensor(0.100098, shape=(), dtype=bfloat16)"),
    (lambda: ef.constant(2147483600.0), "numpy=2147483648.0>", "ef.Tensor(2.1474836e+09, shape=(), dtype=float32)"),
    (lambda: ef.constant(65504., ef.float16), "numpy=65504.0>", "ef.Tensor(6.55e+04, shape=(), dtype=float16)"),
    (lambda: ef.constant(1 + 2j, ef.complex64), "numpy=(1+2j)>", "ef.Tensor((1+2j), shape=(), dtype=complex64)"),
    (lambda: ef.constant(np.uint8(3)), "numpy=3>", "ef.Tensor(3, shape=(), dtype=uint8)"),
])
def test_scalar_text_as_tf(make, text_repr, text_str):
    # TF 2.21: repr shows the Python value of the scalar, str the NumPy scalar
    t = make()
    assert repr(t).endswith(text_repr) and str(t) == text_str


def test_scalar_variable_repr_as_tf():
    assert repr(ef.Variable(0.1)) == "<ef.Variable 'Variable:0' shape=() dtype=float32, numpy=0.10000000149011612>"


def test_scalar_numpy_is_a_numpy_scalar_as_tf():
    for t, want in [(ef.constant(2.5), np.float32(2.5)), (ef.constant(3), np.int32(3)), (ef.constant(True), np.True_),
                    (ef.Variable(3.5), np.float32(3.5))]:
        got = t.numpy()
        assert type(got) is type(want) and got == want
    assert ef.constant(b"x").numpy() == b"x" and isinstance(ef.constant(b"x").numpy(), bytes)
    assert type(ef.constant([1.0]).numpy()) is np.ndarray


def test_format_goes_to_the_numpy_value_as_tf():
    assert f"{ef.constant([[1, 2, 3], [4, 5, 6]])}" == "[[1 2 3]\n [4 5 6]]"
    assert f"{ef.constant(2.5)}" == "2.5" and f"{ef.constant(2.5):.2f}" == "2.50" and f"{ef.constant([])}" == "[]"
    with pytest.raises(TypeError):
        f"{ef.constant([1.0, 2.0]):.2f}"
