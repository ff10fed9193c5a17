"""DType objects, as_dtype and TF's dtype inference from Python values."""

import subprocess
import sys

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef

ALL = ["float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
       "uint32", "uint64", "bool", "complex64", "complex128", "string"]


@pytest.mark.parametrize("name", ALL)
def test_every_dtype_is_exported_once(name):
    d = getattr(ef, name)
    assert isinstance(d, ef.DType)
    assert d.name == name
    assert ef.as_dtype(name) is d
    assert repr(d) == f"ef.{name}"
    assert str(d) == f"<dtype: '{name}'>"
    assert ef.as_dtype(d) is d


def test_aliases():
    assert ef.half is ef.float16 and ef.double is ef.float64
    assert ef.as_dtype("float") is ef.float32 and ef.as_dtype("half") is ef.float16


@pytest.mark.parametrize("np_type,name", [(np.float32, "float32"), (np.float64, "float64"), (np.int16, "int16"),
                                          (np.uint64, "uint64"), (np.bool_, "bool"), (np.complex64, "complex64"),
                                          (ml_dtypes.bfloat16, "bfloat16"), (np.dtype("int8"), "int8"),
                                          (np.str_, "string"), (np.bytes_, "string")])
def test_as_dtype_from_numpy(np_type, name):
    assert ef.as_dtype(np_type) is getattr(ef, name)


def test_as_dtype_numpy_round_trip():
    for name in ALL:
        d = ef.as_dtype(name)
        if d is not ef.string:
            assert ef.as_dtype(d.as_numpy_dtype) is d
    assert ef.float32.as_numpy_dtype is np.float32
    assert ef.bfloat16.as_numpy_dtype is ml_dtypes.bfloat16


@pytest.mark.parametrize("bad", ["int99", "foo", "float31", ""])
def test_unknown_dtype_name_is_type_error(bad):
    with pytest.raises(TypeError, match=repr(bad).replace("'", ".")):
        ef.as_dtype(bad)


def test_unknown_dtype_objects():
    with pytest.raises(TypeError):
        ef.as_dtype(np.datetime64)
    with pytest.raises(TypeError):
        ef.as_dtype(object())
    with pytest.raises(TypeError):
        ef.constant([1, 2], dtype="int99")


def test_predicates():
    assert ef.float32.is_floating and ef.bfloat16.is_floating and not ef.int32.is_floating
    assert not ef.complex64.is_floating and ef.complex64.is_complex
    assert ef.int8.is_integer and ef.uint64.is_integer and not ef.bool.is_integer
    assert ef.uint8.is_unsigned and not ef.int8.is_unsigned and not ef.float32.is_unsigned
    assert ef.bool.is_bool and not ef.int8.is_bool


@pytest.mark.parametrize("name,lo,hi", [("int8", -128, 127), ("uint8", 0, 255), ("int32", -2**31, 2**31 - 1),
                                        ("uint64", 0, 2**64 - 1), ("int64", -2**63, 2**63 - 1)])
def test_integer_limits(name, lo, hi):
    d = ef.as_dtype(name)
    assert (d.min, d.max) == (lo, hi)


def test_float_limits():
    assert ef.float32.max == float(np.finfo(np.float32).max)
    assert ef.float32.min == -float(np.finfo(np.float32).max)
    assert ef.float16.max == 65504.0
    assert ef.bfloat16.max == float(ml_dtypes.finfo(ml_dtypes.bfloat16).max)
    for d in (ef.float16, ef.bfloat16, ef.float32, ef.float64):  # NumPy scalars of the dtype, as TF
        assert d.min.dtype == d.max.dtype == d.as_numpy_dtype
    for d in (ef.complex64, ef.string, ef.bool):
        with pytest.raises(TypeError, match="Cannot find maximum value"):
            d.max  # noqa: B018
        with pytest.raises(TypeError, match="Cannot find minimum value"):
            d.min  # noqa: B018


def test_string_size_is_zero_as_tf():
    assert ef.string.size == 0


@pytest.mark.parametrize("name,size", [("float16", 2), ("bfloat16", 2), ("float32", 4), ("float64", 8), ("int8", 1),
                                       ("uint16", 2), ("int64", 8), ("bool", 1), ("complex64", 8),
                                       ("complex128", 16)])
def test_size(name, size):
    assert ef.as_dtype(name).size == size


def test_dtype_equality_and_hash():
    assert ef.float32 == "float32" and ef.float32 == np.float32 and ef.float32 != ef.float64
    assert ef.float32 != "nonsense" and ef.float32 != None  # noqa: E711
    assert len({ef.float32, ef.as_dtype("float32"), ef.int32}) == 2


@pytest.mark.parametrize("value,name", [
    (1.0, "float32"), (1, "int32"), (2**31 - 1, "int32"), (2**31, "int64"), (-2**31, "int32"), (-2**31 - 1, "int64"),
    (2**40, "int64"), (-2**63, "int64"), (1j, "complex128"), (True, "bool"), ("a", "string"), (b"a", "string"),
    ([1, 2.5], "float32"), ([1, 2**40], "int64"), ([True, False], "bool"), ([], "float32"), ([[1], [2]], "int32"),
    (np.float64(1.0), "float64"), (np.array([1.0]), "float64"), (np.array([1], np.int16), "int16"),
    ([np.float64(1), 2.0], "float64"), ([np.float16(1), 2.0], "float16"), (np.uint8(3), "uint8"),
    (np.array(["a", "bc"]), "string"), (np.bool_(True), "bool"), (np.array(1.5, np.float16), "float16"),
])
def test_inference_as_tf(value, name):
    assert ef.constant(value).dtype == getattr(ef, name)
    assert ef.convert_to_tensor(value).dtype == getattr(ef, name)


def test_int64_overflow_in_inference_raises():
    with pytest.raises(ValueError):
        ef.constant(2**63)


def test_ml_dtypes_loads_on_first_use():
    # ml_dtypes 0.7 takes most of a second to import: eagerflow imports it only when bfloat16 is used.
    code = ("import sys, numpy as np, eagerflow as ef\n"
            "assert 'ml_dtypes' not in sys.modules\n"
            "t = ef.constant([1.5], ef.bfloat16)\n"
            "import ml_dtypes\n"
            "assert t.numpy().dtype == ml_dtypes.bfloat16\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_bfloat16_arrays_made_before_eagerflow_uses_ml_dtypes():
    code = ("import ml_dtypes, numpy as np, eagerflow as ef\n"
            "a = np.array([2.5, 3], ml_dtypes.bfloat16)\n"
            "t = ef.constant(a, ef.bfloat16)\n"
            "a[0] = 7\n"   # the tensor does not alias the caller's array
            "assert t.dtype is ef.bfloat16 and t.numpy()[0] == 2.5\n"
            "assert ef.as_dtype(ml_dtypes.bfloat16) is ef.bfloat16 and ef.Variable(a).dtype is ef.bfloat16\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr
