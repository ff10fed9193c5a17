"""The CPU backend: NumPy arrays and the kernel table bound to NumPy."""

import math
import os

import numpy as np

from eagerflow.backends import dtype_support
from eagerflow.backends.kernels import KERNELS, bind, flush_denormals, on_new_kernels

__all__ = ["CpuBackend"]


def _erf(xp, x):
    try:
        from scipy.special import erf  # exact and vectorized where SciPy is installed
        out = erf(x).astype(x.dtype, copy=False)
    except ImportError:
        out = np.frompyfunc(math.erf, 1, 1)(x).astype(x.dtype)
    if x.dtype == np.float64:  # TF's CPU kernel (Eigen's double erf, a rational fit) gives NaN at +-inf
        out = np.where(np.isinf(x), np.nan, out)
    return out


def _copy_strings(value):
    return np.array(value, dtype=object, copy=True)


class _CpuDevice:
    """What a CPU device needs from its backend: the array module, kernels, copies."""

    device_type = "CPU"
    xp = np
    array_type = np.ndarray
    kernels = flush_denormals(bind({**KERNELS, "Erf": _erf}, np))
    typed_kernels = dtype_support.tables(kernels)

    @staticmethod
    def supports(dtype):
        return True

    @staticmethod
    def to_host(value):
        return value

    @staticmethod
    def from_host(value):
        return np.array(value, copy=True)

    @staticmethod
    def copy(value):
        return np.array(value, copy=True)

    @staticmethod
    def asarray(value, dtype=None):
        return np.asarray(value, dtype=dtype)

    @staticmethod
    def free_memory():
        """Bytes of memory available to new allocations (Linux's MemAvailable), or None when unknown."""
        try:
            with open("/proc/meminfo", "rb") as f:
                for line in f:
                    if line.startswith(b"MemAvailable:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        try:
            return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (AttributeError, ValueError, OSError):
            return None


def _extend(added):
    bound = flush_denormals(bind({op: k for op, k in added.items() if op not in _CpuDevice.kernels}, np))
    _CpuDevice.kernels.update(bound)
    dtype_support.extend_tables(_CpuDevice.typed_kernels, bound)


on_new_kernels(_extend)


class CpuBackend:
    """One physical CPU; every logical CPU shares the same kernels but owns its buffers."""

    device_type = "CPU"

    @staticmethod
    def count():
        return 1

    @staticmethod
    def for_device(index):
        return _CpuDevice
