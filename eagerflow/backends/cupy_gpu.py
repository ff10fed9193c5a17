"""The GPU backend: CuPy arrays on NVIDIA GPUs, one physical device per visible GPU.

Registered by `eagerflow.backends` only where CuPy is installed (`pip install eagerflow[gpu]`).
CuPy itself is imported only when the devices are first listed (`GpuBackend.count()`), so
`import eagerflow` stays fast; any CUDA error there (no driver, no device) means zero GPUs, and
GPU devices simply do not exist.

The kernels are the shared table (`backends/kernels.py`) bound to a CuPy namespace. Where CuPy
differs from NumPy the namespace fills the gap (`errstate`, a no-op: GPU kernels raise no floating-point
warnings; `argsort` without `kind`, which CuPy before 12 refuses; `scatter_add` for every dtype, where
CuPy's `add.at` covers only CUDA's atomicAdd types), and a few entries are overridden (`_OVERRIDES`: `erf`
from cupyx; a singular `MatrixInverse` raises, as on the CPU, instead of returning garbage; integers to
negative integer powers raise, as NumPy and TF do, where CuPy returns 0; complex division and reciprocal
by the formula of TF's CUDA kernels, not its CPU kernels).
On a machine with several GPUs each kernel runs under `cupy.cuda.Device(index)`.
"""

import contextlib
import functools
import threading
import types

import numpy as np

from eagerflow.backends import dtype_support
from eagerflow.backends.kernels import KERNELS, bind, on_new_kernels
from eagerflow.device import context

__all__ = ["GpuBackend"]

_SUPPORTED_KINDS = frozenset("biufc")  # bool, ints, floats (16/32/64), complex; not strings, bfloat16, fp8

_lock = threading.RLock()
_cupy = None       # the cupy module once imported
_count = None      # visible GPUs, once asked


def _import_cupy():
    global _cupy
    if _cupy is None:
        import cupy

        _cupy = cupy
    return _cupy


class _Namespace(types.ModuleType):
    """`cupy` as an array module for the shared kernels: everything of cupy, plus `errstate` (a no-op: GPU
    kernels never raise floating-point warnings), an `argsort` that accepts NumPy's `kind` (CuPy's sort is
    always stable; CuPy 12+ takes only kind=None or 'stable', older CuPy no `kind` at all) and `scatter_add`
    (NumPy's `add.at` for every dtype; see `_scatter_add`)."""

    def __getattr__(self, name):
        return getattr(_cupy, name)


class _OnDevice:
    """A cupy function (or submodule, or ufunc) that runs with GPU `index` current, so that what it
    allocates lands on that GPU; attributes (`add.at`, `linalg.inv`) are wrapped the same way."""

    __slots__ = ("_target", "_index")

    def __init__(self, target, index):
        self._target = target
        self._index = index

    def __call__(self, *args, **kwargs):
        with _cupy.cuda.Device(self._index):
            return self._target(*args, **kwargs)

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        return _OnDevice(attr, self._index) if callable(attr) or isinstance(attr, types.ModuleType) else attr


class _DeviceNamespace(_Namespace):
    """The namespace of one GPU among several: its functions run with that GPU current."""

    def __getattr__(self, name):
        attr = getattr(_cupy, name)
        if isinstance(attr, types.ModuleType) or (callable(attr) and not isinstance(attr, type)):
            attr = _OnDevice(attr, self._index)
        self.__dict__[name] = attr
        return attr


def _namespace(cupy, index=None):
    """`cupy` plus `errstate`; with `index`, every function runs with GPU `index` current."""
    if index is None:
        ns = _Namespace("eagerflow_cupy")
        ns.__dict__.update({k: v for k, v in vars(cupy).items() if not k.startswith("__")})
    else:
        ns = _DeviceNamespace(f"eagerflow_cupy_{index}")
        ns._index = index
        ns.ndarray = cupy.ndarray
    ns.errstate = lambda **kwargs: contextlib.nullcontext()
    argsort = ns.argsort
    ns.argsort = lambda a, axis=-1, kind=None: argsort(a, axis=axis)  # always stable; takes no `kind`
    ns.scatter_add = _scatter_add
    return ns


# ----------------------------------------------------------------------------- overrides


def _erf(xp, x):
    from cupyx.scipy.special import erf

    return erf(x).astype(x.dtype, copy=False)


# CuPy's scatter add (`cupyx.scatter_add`, `cupy.add.at`) is CUDA's atomicAdd: these dtypes only; others raise
# TypeError ('scatter_add only supports int32, float16, float32, float64, uint32, uint64').
_ATOMIC_ADD = frozenset(np.dtype(t) for t in ("int32", "uint32", "uint64", "float16", "float32", "float64"))


def _scatter_add(a, index, b):
    """`a[index] += b` with repeated indices adding up (NumPy's `add.at`), in place, for every dtype."""
    import cupyx

    cupy = _cupy
    dtype = a.dtype
    b = cupy.asarray(b).astype(dtype, copy=False)
    # atomicAdd of floats sums repeated indices in whatever order the threads arrive: not under op determinism
    deterministic = context.settings.op_determinism and dtype.kind in "fc"
    if dtype in _ATOMIC_ADD and not deterministic:
        cupyx.scatter_add(a, index, b)
    elif dtype.kind == "c" and not deterministic:  # the real and imaginary parts are writable float views of `a`
        _scatter_add(a.real, index, b.real)
        _scatter_add(a.imag, index, b.imag)
    elif dtype == np.int64:  # two's complement: adding the bits as uint64 gives the same bits
        cupyx.scatter_add(a.view(np.uint64), index, b.view(np.uint64))
    elif dtype.kind in "iu" and dtype.itemsize < 4:  # 8/16-bit: add in 32 bits, wrap back (same result mod 2**n)
        wide = np.int32 if dtype.kind == "i" else np.uint32
        total = a.astype(wide)
        cupyx.scatter_add(total, index, b.astype(wide))
        a[...] = total.astype(dtype)
    else:  # in input order on the host: deterministic floats (and nothing else TF adds: bool is refused before)
        host = cupy.asnumpy(a)
        index = index if isinstance(index, tuple) else (index,)
        np.add.at(host, tuple(cupy.asnumpy(i) if isinstance(i, cupy.ndarray) else i for i in index),
                  cupy.asnumpy(b))
        a[...] = cupy.asarray(host)


def _matrix_inverse(xp, x, adjoint=False):
    """CuPy's inv returns garbage for a singular matrix unless cupyx.errstate(linalg='raise') (a device sync)."""
    import cupyx

    try:
        with cupyx.errstate(linalg="raise"):
            return KERNELS["MatrixInverse"](xp, x, adjoint=adjoint)
    except np.linalg.LinAlgError as e:
        if "square" in str(e) or "dimensional" in str(e):
            raise
        raise np.linalg.LinAlgError("Singular matrix") from None  # NumPy's words, so both devices say the same


def _pow(xp, x, y):
    """NumPy and TF refuse integers to negative integer powers; CuPy computes them (giving 0)."""
    if y.dtype.kind == "i" and bool((y < 0).any()):
        raise ValueError("Integers to negative integer powers are not allowed.")
    return KERNELS["Pow"](xp, x, y)


def _complex_quotient(xp, x, y):
    """x / y of complex arrays as TF's CUDA kernels divide them: Eigen's device-side `complex_divide_fast`
    (its default, EIGEN_FAST_MATH), the textbook formula ((a c + b d) + i (b c - a d)) / (c**2 + d**2), not the
    CPU's packet and scalar paths (`kernels._complex_quotient`). So a 0j divisor gives nan+nanj, and a divisor
    too large to square gives a zero or a nan where the CPU scales it first."""
    x, y = xp.broadcast_arrays(x, y)
    a, b, c, d = x.real, x.imag, y.real, y.imag
    norm = c * c + d * d
    out = xp.empty(x.shape, dtype=y.dtype)  # part by part: real + 1j * imag would turn inf * 1j into nan
    out.real, out.imag = (a * c + b * d) / norm, (b * c - a * d) / norm
    return out


def _real_div(xp, x, y):
    if x.dtype.kind == "c":
        return _complex_quotient(xp, x, y)
    return KERNELS["RealDiv"](xp, x, y)


def _reciprocal(xp, x):
    if x.dtype.kind == "c":  # Eigen's scalar_inverse_op: Scalar(1) / x, the full complex division
        return _complex_quotient(xp, xp.ones((), dtype=x.dtype), x)
    return KERNELS["Reciprocal"](xp, x)


_OVERRIDES = {"Erf": _erf, "MatrixInverse": _matrix_inverse, "Pow": _pow, "RealDiv": _real_div,
              "Reciprocal": _reciprocal}


def _on_device(cupy, index, kernels):
    """Each kernel wrapped to run with GPU `index` current (only needed with several GPUs)."""
    def wrap(fn):
        @functools.wraps(fn)
        def kernel(*args, **kwargs):
            with cupy.cuda.Device(index):
                return fn(*args, **kwargs)
        return kernel

    return {name: wrap(fn) for name, fn in kernels.items()}


# ----------------------------------------------------------------------------- the device


class _GpuDevice:
    """What a GPU device needs from its backend: the array module, kernels, copies, dtype support."""

    device_type = "GPU"

    def __init__(self, index):
        cupy = _import_cupy()
        self.index = index
        self._cupy = cupy
        several = GpuBackend.count() > 1  # then the current GPU must be set around every call
        self.xp = _namespace(cupy, index if several else None)
        self.array_type = cupy.ndarray
        self._several = several
        self.kernels = self._bound({**KERNELS, **_OVERRIDES})
        GpuBackend.apply_tensor_float_32()
        self.typed_kernels = dtype_support.tables(self.kernels)
        on_new_kernels(self._extend)

    def _bound(self, table):
        kernels = bind(table, self.xp)
        return _on_device(self._cupy, self.index, kernels) if self._several else kernels

    def _extend(self, added):
        """Kernel areas loaded after this device started (`kernels.load_areas`); the overrides stay."""
        bound = self._bound({op: k for op, k in added.items() if op not in self.kernels})
        self.kernels.update(bound)
        dtype_support.extend_tables(self.typed_kernels, bound)

    @staticmethod
    def supports(dtype):
        """CuPy has bool, integer, float16/32/64 and complex kernels; no strings, bfloat16 or fp8."""
        np_dtype = getattr(dtype, "_np", None)
        if np_dtype is None:
            return False
        return np.dtype(np_dtype).kind in _SUPPORTED_KINDS  # ml_dtypes' bfloat16 and fp8 are kind 'V'

    def to_host(self, value):
        """A NumPy array with the value (a device-to-host copy)."""
        if type(value) is np.ndarray:
            return value
        with self._cupy.cuda.Device(self.index):
            return self._cupy.asnumpy(value)

    def from_host(self, value):
        """A new array on this GPU holding NumPy array `value` (a host-to-device copy)."""
        with self._cupy.cuda.Device(self.index):
            return self._cupy.asarray(value)

    def copy(self, value):
        """A new array on this GPU holding `value`, from this GPU, another GPU or the host."""
        if type(value) is np.ndarray:
            return self.from_host(value)
        with self._cupy.cuda.Device(self.index):
            return value.copy()  # CuPy copies into the current device, from whichever device holds it

    def asarray(self, value, dtype=None):
        with self._cupy.cuda.Device(self.index):
            return self._cupy.asarray(value, dtype=dtype)

    def synchronize(self):
        """Wait until the kernels queued on this GPU have run (CuPy launches them asynchronously)."""
        self._cupy.cuda.Device(self.index).synchronize()

    def free_memory(self):
        """Bytes free on this GPU: the driver's free memory plus what CuPy's pool holds unused."""
        with self._cupy.cuda.Device(self.index):
            free = int(self._cupy.cuda.runtime.memGetInfo()[0])
            try:
                free += int(self._cupy.get_default_memory_pool().free_bytes())
            except Exception:  # a pool-less allocator
                pass
        return free

    def __repr__(self):
        return f"<GPU backend device {self.index}>"


class GpuBackend:
    """One physical device per GPU that CuPy sees."""

    device_type = "GPU"
    _devices = {}

    @staticmethod
    def count():
        """The number of visible GPUs; 0 when CuPy cannot be imported or CUDA reports any error."""
        global _count
        if _count is None:
            with _lock:
                if _count is None:
                    try:
                        _count = int(_import_cupy().cuda.runtime.getDeviceCount())
                    except Exception:  # ImportError, CUDARuntimeError, a missing driver library...
                        _count = 0
        return _count

    @classmethod
    def for_device(cls, index):
        """The backend object of GPU `index` (shared by the logical devices carved out of it)."""
        with _lock:
            found = cls._devices.get(index)
            if found is None:
                found = cls._devices[index] = _GpuDevice(index)
            return found

    @staticmethod
    def apply_tensor_float_32():
        """Tell CuPy whether float32 matmuls may use TF32 (`ef.config.experimental.enable_tensor_float_32_execution`):
        only GPUs of compute capability 8.0 or more have it, as in TF. Nothing to do before CuPy is imported."""
        if _cupy is None:
            return
        linalg = _cupy._core._routines_linalg
        capable = all(int(_cupy.cuda.runtime.getDeviceProperties(i)["major"]) >= 8
                      for i in range(GpuBackend.count()))
        tf32 = context.settings.tensor_float_32 and capable and GpuBackend.count() > 0
        # CuPy 13's cuBLAS compute types (a cpdef enum of cupy/_core/_routines_linalg.pxd): DEFAULT 1, TF32 7
        kind = getattr(linalg, "COMPUTE_TYPE_TF32", 7) if tf32 else getattr(linalg, "COMPUTE_TYPE_DEFAULT", 1)
        linalg.set_compute_type(np.float32, kind)

    @staticmethod
    def details(index):
        """{'device_name': ..., 'compute_capability': (major, minor)} of GPU `index`."""
        try:
            cupy = _import_cupy()
            props = cupy.cuda.runtime.getDeviceProperties(index)
            name = props["name"]
            return {"device_name": name.decode() if isinstance(name, bytes) else str(name),
                    "compute_capability": (int(props["major"]), int(props["minor"]))}
        except Exception:
            return {}
