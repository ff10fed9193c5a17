"""`ef.test`: what this installation can run on, as `tf.test`.

>>> ef.test.is_built_with_cuda()   # CuPy installed (pip install eagerflow[gpu])
False
>>> ef.test.is_gpu_available()     # and it sees a GPU
False
"""

import importlib.util

from eagerflow.device import registry

__all__ = ["is_built_with_cuda", "is_built_with_gpu_support", "is_gpu_available", "gpu_device_name"]


def is_built_with_cuda():
    """Whether the GPU backend (CuPy) is installed, whether or not a GPU is present."""
    return importlib.util.find_spec("cupy") is not None


is_built_with_gpu_support = is_built_with_cuda


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Whether a GPU device exists (TF's deprecated check; prefer `list_physical_devices('GPU')`).

    `min_cuda_compute_capability=(major, minor)` also requires a GPU at least that capable.

    >>> ef.test.is_gpu_available(min_cuda_compute_capability=(7, 0))
    False
    """
    gpus = registry.list_physical_devices("GPU")
    if min_cuda_compute_capability is None:
        return bool(gpus)
    for gpu in gpus:
        details = getattr(gpu.backend, "details", None)
        capability = details(gpu.backend_index).get("compute_capability") if details else None
        if capability is not None and tuple(capability) >= tuple(min_cuda_compute_capability):
            return True
    return False


def gpu_device_name():
    """The name of the first GPU device ('/device:GPU:0'), or '' when there is none."""
    return "/device:GPU:0" if registry.list_physical_devices("GPU") else ""
