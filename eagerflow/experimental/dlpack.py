"""`ef.experimental.dlpack`: tensors to and from DLPack capsules, as `tf.experimental.dlpack`.

A capsule is consumed once. `from_dlpack` shares the producer's memory (no copy), as TF's does: a
later write by the producer shows in the tensor. `to_dlpack` hands out a copy (see
docs/differences_from_tensorflow.md). Tensors also have `__dlpack__`, so `np.from_dlpack(t)` reads
a tensor without a copy (read-only).

>>> a = np.arange(4.0)
>>> t = ef.experimental.dlpack.from_dlpack(a.__dlpack__())
>>> t
<ef.Tensor: shape=(4,), dtype=float64, numpy=array([0., 1., 2., 3.])>
>>> capsule = ef.experimental.dlpack.to_dlpack(ef.constant([1, 2, 3]))
>>> ef.experimental.dlpack.from_dlpack(capsule)
<ef.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>
>>> ef.experimental.dlpack.from_dlpack(capsule)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
eagerflow.errors.InvalidArgumentError: DLPack tensor must be a capsule with name "dltensor", got "used_dltensor". ...
"""

import ctypes
import types

import numpy as np

from eagerflow import dtypes, errors
from eagerflow.device import registry
from eagerflow.framework.execute import wrap
from eagerflow.framework.tensor import Tensor

__all__ = ["to_dlpack", "from_dlpack"]

_CPU, _CUDA = 1, 2           # DLDeviceType
_UINT, _BFLOAT = 1, 4        # DLDataTypeCode
_NAME = b"dltensor"          # TF takes and gives unversioned capsules only
_CapsuleType = getattr(types, "CapsuleType", None) or type(np.empty(0).__dlpack__())


class _DLDevice(ctypes.Structure):
    _fields_ = [("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32)]


class _DLDataType(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint8), ("bits", ctypes.c_uint8), ("lanes", ctypes.c_uint16)]


class _DLTensor(ctypes.Structure):  # the first member of a DLManagedTensor
    _fields_ = [("data", ctypes.c_void_p), ("device", _DLDevice), ("ndim", ctypes.c_int32), ("dtype", _DLDataType),
                ("shape", ctypes.POINTER(ctypes.c_int64)), ("strides", ctypes.POINTER(ctypes.c_int64)),
                ("byte_offset", ctypes.c_uint64)]


_capsule_name = ctypes.pythonapi.PyCapsule_GetName
_capsule_name.restype, _capsule_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype, _capsule_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]

# Types DLPack has no code for: TF refuses them with this error.
_NOT_EXPORTABLE = {dtypes.string, dtypes.resource, dtypes.variant}


def _header(capsule):
    """The DLTensor of an unconsumed "dltensor" capsule (its fields are the producer's memory)."""
    return _DLTensor.from_address(_capsule_pointer(capsule, _NAME))


def to_dlpack(tf_tensor):
    """A DLPack capsule ("dltensor") holding `tf_tensor`'s value, for another library to consume once.

    >>> capsule = ef.experimental.dlpack.to_dlpack(ef.constant([1.0, 2.0]))
    >>> capsule  # doctest: +ELLIPSIS
    <capsule object "dltensor" at 0x...>
    """
    if type(tf_tensor) is not Tensor:
        raise errors.InvalidArgumentError(
            f"The argument to `to_dlpack` must be a TF tensor, not {type(tf_tensor).__name__} "
            f"{_short(tf_tensor)}. Convert it first: ef.convert_to_tensor(x) (a variable: v.read_value()).")
    dtype = tf_tensor.dtype
    if dtype in _NOT_EXPORTABLE:
        raise errors.InvalidArgumentError(
            f"{dtype.name} is not supported by dlpack: the tensor {tf_tensor!r} has no DLPack type. "
            f"DLPack carries bool, integer, floating and complex tensors.")
    value = tf_tensor._value
    if dtype is dtypes.bfloat16:  # NumPy exports no bfloat16: its bits (a copy, as below), relabelled
        capsule = np.array(value.view(np.uint16), copy=True).__dlpack__()  # bfloat16 lives on CPUs only
        _header(capsule).dtype.code = _BFLOAT
        return capsule
    # Tensor.__dlpack__ gives an unversioned consumer its own copy (it could not be told "read-only")
    return tf_tensor.__dlpack__()


class _Producer:
    """What `np.from_dlpack`/`cupy.from_dlpack` read: the capsule and the device it names."""

    def __init__(self, capsule, device):
        self._capsule = capsule
        self._device = device

    def __dlpack__(self, **kwargs):
        return self._capsule

    def __dlpack_device__(self):
        return self._device


def _compact_row_major(header):
    """TF's rule: strides (in elements) absent, or those of a C-ordered array; size-1 dimensions may have any,
    and an empty array any strides."""
    if not header.strides or any(header.shape[i] == 0 for i in range(header.ndim)):
        return True
    expected = 1
    for i in reversed(range(header.ndim)):
        size = header.shape[i]
        if size == 1:
            continue
        if header.strides[i] != expected:
            return False
        expected *= size
    return True


def _gpu_device(index):
    for device in registry.devices():
        if device.device_type == "GPU" and getattr(device.backend, "index", None) == index:
            return device
    return None


def from_dlpack(dlcapsule):
    """The tensor a DLPack capsule ("dltensor", unconsumed) holds, sharing its memory.

    A CPU capsule gives a tensor on CPU:0, a CUDA capsule one on that GPU. Consumes the capsule.

    >>> ef.experimental.dlpack.from_dlpack(np.array([[1, 2], [3, 4]], np.uint8).__dlpack__())
    <ef.Tensor: shape=(2, 2), dtype=uint8, numpy=
    array([[1, 2],
           [3, 4]], dtype=uint8)>
    >>> ef.experimental.dlpack.from_dlpack(np.arange(3.0))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: from_dlpack takes a DLPack capsule (a PyCapsule named "dltensor"), got ndarray ... pass x.__dlpack__().
    """
    if type(dlcapsule) is not _CapsuleType:
        raise TypeError(f'from_dlpack takes a DLPack capsule (a PyCapsule named "dltensor"), got '
                        f"{type(dlcapsule).__name__} {_short(dlcapsule)}. For an array x that has __dlpack__, "
                        f"pass x.__dlpack__().")
    name = _capsule_name(dlcapsule)
    if name != _NAME:
        name = "" if name is None else name.decode(errors="replace")
        raise errors.InvalidArgumentError(
            f'DLPack tensor must be a capsule with name "dltensor", got "{name}". A DLPack capsule may be '
            f"consumed at most once, and a versioned one (\"dltensor_versioned\") is not taken: ask its "
            f"producer for x.__dlpack__() without max_version.")
    header = _header(dlcapsule)
    code, bits, lanes = header.dtype.code, header.dtype.bits, header.dtype.lanes
    if lanes != 1:
        raise errors.InvalidArgumentError(f"DLPack lanes must be 1, got {lanes}: vector types have no "
                                          f"TensorFlow dtype.")
    kind, index = header.device.device_type, header.device.device_id
    bfloat = code == _BFLOAT
    if bfloat:
        if bits != 16:
            raise errors.InvalidArgumentError(f"Unsupported DLPack bfloat{bits}: only bfloat16 is taken.")
        if kind != _CPU:
            raise errors.InvalidArgumentError("A bfloat16 DLPack tensor must be in CPU memory: eagerflow's GPU "
                                              "backend (CuPy) has no bfloat16. Cast it to float32 first.")
        header.dtype.code = _UINT  # its bits as uint16 (NumPy imports no bfloat16), seen as bfloat16 below
    if not _compact_row_major(header):
        shape = tuple(header.shape[i] for i in range(header.ndim))
        strides = tuple(header.strides[i] for i in range(header.ndim))
        raise errors.InvalidArgumentError(
            f"Invalid strides array from DLPack: shape {shape} with strides {strides} (in elements) is not "
            f"a C-ordered (row-major) array. Make the producer's array contiguous first "
            f"(np.ascontiguousarray).")
    if kind == _CPU:
        device = registry.cpu0()
        try:
            array = np.from_dlpack(_Producer(dlcapsule, (kind, index)))
        except (BufferError, TypeError, ValueError) as e:
            raise errors.InvalidArgumentError(f"Unsupported DLPack type (code {code}, {bits} bits): "
                                              f"{e}") from None
    elif kind == _CUDA:
        device = _gpu_device(index)
        if device is None:
            raise errors.InvalidArgumentError(
                f"The DLPack capsule holds a tensor of GPU {index}, which this process does not see "
                f"(ef.config.list_physical_devices('GPU') lists the GPUs).")
        cupy = device.backend._cupy
        with cupy.cuda.Device(index):
            array = cupy.from_dlpack(_Producer(dlcapsule, (kind, index)))
    else:
        raise errors.InvalidArgumentError(
            f"Unsupported Device Type {kind} of a DLPack capsule: TensorFlow takes CPU ({_CPU}) and "
            f"CUDA ({_CUDA}) memory.")
    if bfloat:
        array = array.view(dtypes.bfloat16.as_numpy_dtype)
    dtype = dtypes.from_numpy(array.dtype)
    if dtype is None:
        raise errors.InvalidArgumentError(f"Unsupported DLPack type {array.dtype} (code {code}, "
                                          f"{bits} bits).")
    return wrap(array, device, dtype)


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
