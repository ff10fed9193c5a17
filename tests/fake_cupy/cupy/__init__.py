"""A stand-in for CuPy built on NumPy, to test eagerflow's GPU backend on machines without a GPU.

Put `tests/fake_cupy` on PYTHONPATH. `FAKE_CUPY_GPUS` sets how many GPUs it reports (default 1;
"error" makes the device count raise, as a machine without a driver does). Arrays are a NumPy
subclass that remembers its GPU; like CuPy, every function refuses arrays that live on another
GPU than the current one, and allocates on the current GPU. It is not CuPy: it checks placement
and copies, not CUDA kernels.

Where CuPy 13's API is known to differ from NumPy's, the stand-in differs the same way, so that kernels
written only for NumPy fail here as they would on a GPU: no `errstate`, `frompyfunc` or object arrays;
reductions give 0-d arrays, never scalars; sort/argsort take `kind` None or 'stable' only; `add.at` (like
`cupyx.scatter_add`) takes CUDA atomicAdd's dtypes only and other `ufunc.at` raise NotImplementedError;
`pad` refuses a device array as `constant_values`; `linalg.inv` of a singular matrix returns garbage
unless `cupyx.errstate(linalg="raise")`, and refuses float16; integers to negative integer powers give 0
instead of raising; dtype errors of ufuncs read "Wrong type (...) of arguments for cupy_<name>".
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
        if method == "at":
            _check_at(ufunc, inputs[0])
        plain = tuple(np.asarray(x).view(np.ndarray) if isinstance(x, ndarray) else x for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(x).view(np.ndarray) for x in kwargs["out"])
        if ufunc is np.power and method == "__call__" and all(np.asarray(x).dtype.kind in "iu" for x in plain):
            return _on_device(_int_power(*plain, **kwargs))
        try:
            return _on_device(getattr(ufunc, method)(*plain, **kwargs))
        except TypeError as e:
            if "not supported for the input types" in str(e):  # CuPy's words for a dtype without a loop
                types = tuple(np.asarray(x).dtype.type for x in plain)
                raise TypeError(f"Wrong type ({types}) of arguments for cupy_{ufunc.__name__}") from None
            raise


# CUDA's atomicAdd: the dtypes CuPy's scatter add (`add.at`, `cupyx.scatter_add`) takes
_ATOMIC_ADD = frozenset(np.dtype(t) for t in ("int32", "uint32", "uint64", "float16", "float32", "float64"))


def _check_at(ufunc, a):
    if ufunc is not np.add:
        raise NotImplementedError(f"`cupy_{ufunc.__name__}.at` is not supported yet")
    if np.dtype(a.dtype) not in _ATOMIC_ADD:
        raise TypeError("scatter_add only supports int32, float16, float32, float64, uint32, uint64, as data type")


def _int_power(x, y, **kwargs):
    """CuPy's integer power: a negative exponent gives 0 (NumPy raises ValueError)."""
    y = np.asarray(y)
    return np.where(y < 0, 0, np.power(x, np.abs(y), **kwargs)).astype(np.result_type(x, y))


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


_MISSING = frozenset({"errstate", "frompyfunc", "seterr", "geterr", "object_"})


def __getattr__(name):
    if name in _MISSING:
        raise AttributeError(f"module 'cupy' has no attribute {name!r}")
    return _wrap(getattr(np, name))


def _refuse_object(dtype):
    if dtype is not None and np.dtype(dtype).kind == "O":
        raise ValueError("Unsupported dtype object")


def asarray(value, dtype=None):
    _refuse_object(dtype)
    if isinstance(value, ndarray) and value.device_id == _current() and (dtype is None or value.dtype == dtype):
        return value
    host = np.array(value, dtype=dtype, copy=True)
    _refuse_object(host.dtype)
    out = host.view(ndarray)
    out.device_id = _current()
    return out


for _name in ("zeros", "ones", "empty", "full"):
    def _creation(*args, _fn=getattr(np, _name), **kwargs):
        _refuse_object(kwargs.get("dtype"))
        out = _on_device(_fn(*args, **kwargs))
        _refuse_object(out.dtype)
        return out
    globals()[_name] = _Function(_creation)


def _sorter(fn):
    def sort(a, axis=-1, kind=None):
        if kind not in (None, "stable"):
            raise ValueError("kind can only be None or 'stable'")
        return fn(a, axis=axis)
    return _Function(sort)


sort = _sorter(np.sort)
argsort = _sorter(np.argsort)


def pad(array, pad_width, mode="constant", **kwargs):
    """CuPy's pad reads `constant_values` with numpy.array(), which refuses a device array."""
    if isinstance(kwargs.get("constant_values"), ndarray):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct a "
                        "NumPy array explicitly.")
    _check((array,))
    return _on_device(np.pad(np.asarray(array).view(np.ndarray), pad_width, mode=mode, **kwargs))


def _inv(a):
    if a.dtype == np.float16:
        raise TypeError("float16 is unsupported in linalg")
    _check((a,))
    try:
        return _on_device(np.linalg.inv(np.asarray(a).view(np.ndarray)))
    except np.linalg.LinAlgError:
        import cupyx

        if cupyx._linalg_config() == "raise":
            raise np.linalg.LinAlgError("Error reported by getrf in cuSOLVER. devInfo = 1. Please refer to the "
                                        "cuSOLVER documentation.") from None
        return _on_device(np.full(a.shape, np.nan, dtype=np.result_type(a.dtype, np.float32)))


linalg = _wrap(np.linalg)
linalg.inv = _Function(_inv)


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

    def synchronize(self):
        _synchronized.append(self.id)  # NumPy work is done when it returns: only remembered, for the tests


_synchronized = []


cuda = types.SimpleNamespace(
    Device=Device,
    runtime=types.SimpleNamespace(
        getDeviceCount=_device_count,
        getDeviceProperties=lambda i: {"name": b"Fake GPU", "major": 8, "minor": 0},
        memGetInfo=lambda: (int(os.environ.get("FAKE_CUPY_FREE_BYTES", 16 << 30)), 16 << 30),  # (free, total)
    ),
)


def _set_compute_type(dtype, compute_type):
    # CuPy keeps one cuBLAS compute type per float kind (half, float/complex64, double)
    _compute_types[np.dtype(dtype).char.lower()] = compute_type


_compute_types = {}
_core = types.SimpleNamespace(_routines_linalg=types.SimpleNamespace(
    COMPUTE_TYPE_DEFAULT=1, COMPUTE_TYPE_TF32=7, set_compute_type=_set_compute_type,
    get_compute_type=lambda dtype: _compute_types.get(np.dtype(dtype).char.lower(), 1)))
__version__ = "0.0-fake"
