"""A stand-in for CuPy built on NumPy, to test eagerflow's GPU backend on machines without a GPU.

Put `tests/fake_cupy` on PYTHONPATH. `FAKE_CUPY_GPUS` sets how many GPUs it reports (default 1;
"error" makes the device count raise, as a machine without a driver does). Arrays are a NumPy
subclass that remembers its GPU; like CuPy, every function refuses arrays that live on another
GPU than the current one, and allocates on the current GPU. It is not CuPy: it checks placement
and copies, not CUDA kernels.
"""

import os
import threading
import types

import numpy as np

_state = threading.local()


def _current():
    return getattr(_state, "device", 0)


class ndarray(np.ndarray):
    """A NumPy array that says which fake GPU it lives on (`device_id`)."""

    def __array_finalize__(self, obj):
        self.device_id = obj.device_id if isinstance(obj, ndarray) else _current()

    def copy(self, order="C"):
        out = np.array(self, copy=True, order=order).view(ndarray)
        out.device_id = _current()  # as CuPy: the copy lands on the current device
        return out

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        _check(inputs)
        _check(kwargs.get("out", ()))
        plain = tuple(np.asarray(x).view(np.ndarray) if isinstance(x, ndarray) else x for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(x).view(np.ndarray) for x in kwargs["out"])
        return _on_device(getattr(ufunc, method)(*plain, **kwargs))


def _check(args):
    for a in args:
        if isinstance(a, (list, tuple)):
            _check(a)
        elif isinstance(a, ndarray) and a.device_id != _current():
            raise ValueError(f"The device where the array resides ({a.device_id}) is different from the "
                             f"current device ({_current()}).")


def _on_device(result):
    if isinstance(result, tuple):
        return tuple(_on_device(r) for r in result)
    if isinstance(result, ndarray):
        return result
    if isinstance(result, (np.ndarray, np.generic)):
        out = np.asarray(result).view(ndarray)
        out.device_id = _current()
        return out
    return result


class _Function:
    def __init__(self, fn):
        self._fn = fn

    def __call__(self, *args, **kwargs):
        _check(args)
        _check(kwargs.values())
        return _on_device(self._fn(*args, **kwargs))

    def __getattr__(self, name):
        attr = getattr(self._fn, name)
        return _Function(attr) if callable(attr) and not isinstance(attr, type) else attr


def _wrap(attr):
    if isinstance(attr, types.ModuleType):
        return types.SimpleNamespace(**{k: _wrap(v) for k, v in vars(attr).items() if not k.startswith("_")})
    if callable(attr) and not isinstance(attr, type):
        return _Function(attr)
    return attr


def __getattr__(name):
    return _wrap(getattr(np, name))


linalg = _wrap(np.linalg)


def asarray(value, dtype=None):
    if isinstance(value, ndarray) and value.device_id == _current() and (dtype is None or value.dtype == dtype):
        return value
    out = np.array(value, dtype=dtype, copy=True).view(ndarray)
    out.device_id = _current()
    return out


def array(value, dtype=None, copy=True):
    return asarray(value, dtype) if not copy else asarray(np.array(value, dtype=dtype, copy=True))


def asnumpy(value):
    return np.array(np.asarray(value).view(np.ndarray), copy=True)


def _device_count():
    setting = os.environ.get("FAKE_CUPY_GPUS", "1")
    if setting == "error":
        raise RuntimeError("cudaErrorNoDevice: no CUDA-capable device is detected")
    return int(setting)


class Device:
    def __init__(self, device=None):
        self.id = _current() if device is None else int(device)
        if not 0 <= self.id < _device_count():
            raise RuntimeError(f"cudaErrorInvalidDevice: invalid device ordinal {self.id}")

    def __enter__(self):
        stack = getattr(_state, "stack", None)
        if stack is None:
            stack = _state.stack = []
        stack.append(_current())
        _state.device = self.id
        return self

    def __exit__(self, *exc):
        _state.device = _state.stack.pop()


cuda = types.SimpleNamespace(
    Device=Device,
    runtime=types.SimpleNamespace(
        getDeviceCount=_device_count,
        getDeviceProperties=lambda i: {"name": b"Fake GPU", "major": 8, "minor": 0},
    ),
)
__version__ = "0.0-fake"
