"""The parts of cupyx that eagerflow's GPU backend uses, on the fake CuPy."""

import contextlib
import threading

import numpy as np

import cupy

_config = threading.local()


def _linalg_config():
    return getattr(_config, "linalg", "ignore")


@contextlib.contextmanager
def errstate(*, linalg=None):
    """As cupyx.errstate: only `linalg` ('ignore' or 'raise'), per thread."""
    old = _linalg_config()
    _config.linalg = old if linalg is None else linalg
    try:
        yield
    finally:
        _config.linalg = old


def scatter_add(a, slices, value):
    cupy._check((a, slices, value))
    if np.dtype(a.dtype) not in cupy._ATOMIC_ADD:
        raise TypeError("scatter_add only supports int32, float16, float32, float64, uint32, uint64, as data type")
    slices = slices if isinstance(slices, tuple) else (slices,)
    np.add.at(np.asarray(a).view(np.ndarray),
              tuple(np.asarray(s).view(np.ndarray) if isinstance(s, np.ndarray) else s for s in slices),
              np.asarray(value).view(np.ndarray))
