"""ef.experimental.dlpack: capsules out (a copy, every DLPack dtype) and in (shared memory, TF's rules and errors)."""

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef
from eagerflow.experimental import dlpack as dl

DTYPES = [ef.float16, ef.bfloat16, ef.float32, ef.float64, ef.int8, ef.int16, ef.int32, ef.int64, ef.uint8,
          ef.uint16, ef.uint32, ef.uint64, ef.bool, ef.complex64, ef.complex128]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.name)
def test_round_trip_keeps_dtype_shape_and_values(dtype):
    expected = np.array([[1, 0, 3], [2, 5, 0]]).astype(dtype.as_numpy_dtype)
    t = ef.constant(expected)
    back = dl.from_dlpack(dl.to_dlpack(t))
    assert back.dtype is dtype and back.device == t.device
    np.testing.assert_array_equal(back.numpy(), expected)


def test_to_dlpack_gives_a_copy_so_no_consumer_writes_into_a_variable():
    v = ef.Variable([1.0, 2.0])
    t = v.read_value()  # shares the variable's buffer (copy-on-write)
    capsule = dl.to_dlpack(t)
    assert dl._header(capsule).data != t._value.ctypes.data
    assert dl._header(capsule).data != v._buf.ctypes.data


def test_bfloat16_capsule_carries_dlpacks_bfloat_code():
    capsule = dl.to_dlpack(ef.constant([1.5, -2.0], ef.bfloat16))
    header = dl._header(capsule)
    assert (header.dtype.code, header.dtype.bits, header.dtype.lanes) == (4, 16, 1)
    bits = np.array([1.5, -2.0], ml_dtypes.bfloat16).view(np.uint16)
    foreign = bits.__dlpack__()           # another producer's bfloat16 capsule: its bits, labelled bfloat16
    dl._header(foreign).dtype.code = 4
    t = dl.from_dlpack(foreign)
    assert t.dtype is ef.bfloat16
    np.testing.assert_array_equal(t.numpy().view(np.uint16), bits)


def test_from_dlpack_shares_the_producers_memory():
    a = np.arange(4, dtype=np.float32)
    t = dl.from_dlpack(a.__dlpack__())
    a[1] = 7
    np.testing.assert_array_equal(t.numpy(), [0, 7, 2, 3])
    v = ef.Variable(t)  # a variable owns its buffer: the producer's later writes do not reach it
    a[2] = 9
    np.testing.assert_array_equal(v.numpy(), [0, 7, 2, 3])


def test_refused_strides_leave_the_capsule_unconsumed():
    capsule = np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2].__dlpack__()
    with pytest.raises(ef.errors.InvalidArgumentError, match=r"shape \(2, 2\) with strides \(3, 2\)"):
        dl.from_dlpack(capsule)
    assert dl._capsule_name(capsule) == b"dltensor"


def test_size_one_dimensions_may_have_any_stride():
    a = np.arange(4, dtype=np.float32).reshape(4, 1).T  # strides (1, 1) in elements
    np.testing.assert_array_equal(dl.from_dlpack(a.__dlpack__()).numpy(), a)


def test_vector_lanes_and_other_devices_are_refused():
    capsule = np.zeros(3, np.float32).__dlpack__()
    header = dl._header(capsule)
    header.dtype.lanes = 4
    with pytest.raises(ef.errors.InvalidArgumentError, match="lanes must be 1, got 4"):
        dl.from_dlpack(capsule)
    header.dtype.lanes = 1
    header.device.device_type = 4  # OpenCL
    with pytest.raises(ef.errors.InvalidArgumentError, match="Unsupported Device Type 4"):
        dl.from_dlpack(capsule)
    header.device.device_type = 1
    np.testing.assert_array_equal(dl.from_dlpack(capsule).numpy(), [0, 0, 0])


def test_a_consumed_or_versioned_capsule_is_refused_with_its_name():
    capsule = np.zeros(2).__dlpack__()
    dl.from_dlpack(capsule)
    with pytest.raises(ef.errors.InvalidArgumentError, match='got "used_dltensor".*at most once'):
        dl.from_dlpack(capsule)
    with pytest.raises(ef.errors.InvalidArgumentError, match='got "dltensor_versioned"'):
        dl.from_dlpack(np.zeros(2).__dlpack__(max_version=(1, 0)))


def test_from_dlpack_takes_capsules_only():
    with pytest.raises(TypeError, match=r"got ndarray .*pass x.__dlpack__\(\)"):
        dl.from_dlpack(np.zeros(2))
    with pytest.raises(TypeError, match="got Tensor"):
        dl.from_dlpack(ef.constant(1.0))


@pytest.mark.parametrize("value", [np.ones(2), [1.0], 2.0, ef.Variable([1.0])], ids=type)
def test_to_dlpack_takes_tensors_only(value):
    with pytest.raises(ef.errors.InvalidArgumentError, match=f"not {type(value).__name__}"):
        dl.to_dlpack(value)


def test_strings_have_no_dlpack_type():
    with pytest.raises(ef.errors.InvalidArgumentError, match="string is not supported by dlpack"):
        dl.to_dlpack(ef.constant(["a"]))


def test_gpu_tensors_go_through_cupy():
    cupy = pytest.importorskip("cupy")
    if not ef.config.list_physical_devices("GPU"):
        pytest.skip("CuPy sees no GPU")
    with ef.device("GPU:0"):
        t = ef.constant([[1.0, 2.0], [3.0, 4.0]])
    back = dl.from_dlpack(dl.to_dlpack(t))
    assert back.device.endswith("GPU:0") and type(back._value) is cupy.ndarray
    np.testing.assert_array_equal(back.numpy(), t.numpy())
    c = cupy.arange(3, dtype=cupy.float32)
    shared = dl.from_dlpack(c.toDlpack())
    c[0] = 5
    np.testing.assert_array_equal(shared.numpy(), [5, 1, 2])
