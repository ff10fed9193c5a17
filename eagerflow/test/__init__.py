"""`ef.test`: TF's test utilities for eager code (`TestCase`, `compute_gradient`, `Benchmark`, `main`) and
what this installation can run on, as `tf.test`.

>>> ef.test.is_built_with_cuda()   # CuPy installed (pip install eagerflow[gpu])
False
>>> ef.test.is_gpu_available()     # and it sees a GPU
False
"""

import functools
import importlib.util
import sys

from eagerflow.device import registry
from eagerflow.test import experimental, test_program  # noqa: F401
from eagerflow.test.benchmark import Benchmark, run_benchmarks
from eagerflow.test.gradient_checker import compute_gradient  # noqa: F401
from eagerflow.test.test_case import TestCase  # noqa: F401

__all__ = ["is_built_with_cuda", "is_built_with_gpu_support", "is_gpu_available", "gpu_device_name",
           "is_built_with_rocm", "is_built_with_xla", "TestCase", "Benchmark", "compute_gradient", "main",
           "disable_with_predicate", "with_eager_op_as_function", "experimental"]


def is_built_with_cuda():
    """Whether the GPU backend (CuPy) is installed, whether or not a GPU is present."""
    return importlib.util.find_spec("cupy") is not None


is_built_with_gpu_support = is_built_with_cuda


def is_built_with_rocm():
    """Whether the GPU backend is CuPy built for AMD's ROCm (HIP) rather than CUDA; False without CuPy.

    >>> ef.test.is_built_with_rocm()
    False
    """
    if importlib.util.find_spec("cupy") is None:
        return False
    try:
        import cupy
    except Exception:  # a CuPy that does not import has no GPU backend of either kind
        return False
    return bool(getattr(cupy.cuda.runtime, "is_hip", False))


def is_built_with_xla():
    """False: eagerflow has no XLA compiler (`jit_compile` is not compiled; see docs/differences_from_tensorflow.md).

    >>> ef.test.is_built_with_xla()
    False
    """
    return False


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


def disable_with_predicate(pred, skip_message):
    """Decorate a test method to skip it (with `skip_message`) when `pred()` is true at run time.

    >>> import os, unittest
    >>> class T(ef.test.TestCase):
    ...     @ef.test.disable_with_predicate(lambda: not ef.test.is_gpu_available(), "needs a GPU")
    ...     def test_gpu(self):
    ...         pass
    >>> len(unittest.TextTestRunner(stream=open(os.devnull, "w")).run(T("test_gpu")).skipped)
    1
    >>> ef.random.set_seed(None)  # setUp seeded the global generator, as TF's does
    """
    def decorate(func):
        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            return func(self, *args, **kwargs)
        return wrapper
    return decorate


def with_eager_op_as_function(cls=None, only_as_function=False):
    """The class itself: TF 2.21 keeps this decorator only for old tests (its `only_as_function` does nothing
    there either).

    >>> @ef.test.with_eager_op_as_function
    ... class T(ef.test.TestCase):
    ...     pass
    >>> T.__name__
    'T'
    """
    if cls is not None:
        return cls
    return lambda cls: cls


def main(argv=None):
    """Run the tests of the `__main__` module under TF's test command line (absltest's flags, sharding, XML
    report: see eagerflow/test/test_program.py) and exit with the status; given `--benchmark_filter=REGEX`
    (or `all`), run instead the benchmark methods of `ef.test.Benchmark` subclasses whose
    `module.Class.method` matches REGEX, as TF's."""
    argv = sys.argv if argv is None else argv
    chosen = [a for a in argv if a.startswith(("--benchmark_filter=", "-benchmark_filter="))]
    if chosen:
        argv.remove(chosen[0])  # as TF's, out of the list given (sys.argv by default)
        test_program.parse_flags_or_exit(argv)
        run_benchmarks(chosen[0].split("=")[1])
        return None
    return test_program.run_tests(list(argv))
