"""Backends register their devices when this package is imported.

The CPU backend (NumPy) is always there; the GPU backend (CuPy) registers only where CuPy is
installed, and imports CuPy only when the devices are first listed, so `import eagerflow` stays fast.
"""

import importlib.util

from eagerflow.backends.numpy_cpu import CpuBackend
from eagerflow.device import registry

registry.register_backend(CpuBackend)

if importlib.util.find_spec("cupy") is not None:
    from eagerflow.backends.cupy_gpu import GpuBackend

    registry.register_backend(GpuBackend)
