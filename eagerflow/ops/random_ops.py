"""Random numbers (`ef.random`), reproducible for a given seed.

Values are drawn on the host with NumPy's Philox generator and placed on the op's device, so a
seed gives the same numbers on the CPU and on a GPU. The global seed (`set_seed`) makes a program
reproducible as in TF: re-setting it replays the same sequence of random ops.
"""

import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import host_event, place_new
from eagerflow.ops.array_ops import _ints

__all__ = ["set_seed", "uniform", "normal", "truncated_normal", "shuffle", "Generator", "get_global_generator"]


class _GlobalSeed:
    lock = threading.Lock()
    seed = None
    counter = 0
    fallback = np.random.default_rng()


def set_seed(seed):
    """Set the global seed: random ops after it repeat the same values on every run.

    >>> ef.random.set_seed(7); a = ef.random.normal([3]); ef.random.set_seed(7); b = ef.random.normal([3])
    >>> bool(ef.reduce_all(a == b)); ef.random.set_seed(None)   # None: back to unseeded
    True
    """
    with _GlobalSeed.lock:
        _GlobalSeed.seed = None if seed is None else int(seed)
        _GlobalSeed.counter = 0


def _op_rng(seed):
    """A generator for one op: determined by (global seed, op seed or op count), as TF."""
    with _GlobalSeed.lock:
        if _GlobalSeed.seed is None and seed is None:
            return _GlobalSeed.fallback
        _GlobalSeed.counter += 1
        global_seed = 87654321 if _GlobalSeed.seed is None else _GlobalSeed.seed
        op_seed = _GlobalSeed.counter if seed is None else int(seed)
        if seed is not None:
            op_seed = (op_seed, _GlobalSeed.counter)
        return np.random.Generator(np.random.Philox(key=np.random.SeedSequence([global_seed, *np.atleast_1d(op_seed)])
                                                    .generate_state(2, np.uint64)))


def _floating(dtype):
    dtype = _dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"Random values of dtype {dtype.name} are not supported here; use a floating dtype.")
    return dtype


def _uniform(rng, shape, minval, maxval, dtype):
    dtype = _dtypes.as_dtype(dtype)
    shape = _ints(shape, "shape")
    if dtype.is_integer:
        if maxval is None:
            raise ValueError("Need maxval for integer uniform random values: ef.random.uniform(shape, 0, 10, "
                             "dtype=ef.int32).")
        values = rng.integers(int(minval), int(maxval), size=shape, dtype=dtype._np)
    else:
        maxval = 1 if maxval is None else maxval
        values = (minval + (maxval - minval) * rng.random(size=shape, dtype=np.float64)).astype(_floating(dtype)._np)
    return place_new(np.asarray(values), dtype)


def _normal(rng, shape, mean, stddev, dtype):
    dtype = _floating(dtype)
    values = mean + stddev * rng.standard_normal(size=_ints(shape, "shape"))
    return place_new(np.asarray(values).astype(dtype._np), dtype)


def _truncated(rng, shape, mean, stddev, dtype):
    dtype = _floating(dtype)
    shape = _ints(shape, "shape")
    values = rng.standard_normal(size=shape)
    bad = np.abs(values) > 2
    while bad.any():  # redraw values beyond two standard deviations, as TF
        values[bad] = rng.standard_normal(size=int(bad.sum()))
        bad = np.abs(values) > 2
    return place_new(np.asarray(mean + stddev * values).astype(dtype._np), dtype)


def uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval).

    >>> ef.random.set_seed(1); a = ef.random.uniform([2]); ef.random.set_seed(1)
    >>> bool(ef.reduce_all(a == ef.random.uniform([2]))); ef.random.set_seed(None)
    True
    """
    shape = _ints(shape, "shape")  # read here, not inside the host event (a traced function must see it)
    return host_event("RandomUniform", lambda: _uniform(_op_rng(seed), shape, minval, maxval, dtype))


def normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normally distributed values.

    >>> x = ef.random.normal([2, 3], mean=1.0, stddev=0.5, dtype=ef.float64)
    >>> x.shape, x.dtype
    (TensorShape([2, 3]), ef.float64)
    """
    shape = _ints(shape, "shape")
    return host_event("RandomStandardNormal", lambda: _normal(_op_rng(seed), shape, mean, stddev, dtype))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than two standard deviations from the mean.

    >>> x = ef.random.truncated_normal([1000], stddev=0.5)
    >>> bool(ef.reduce_max(ef.abs(x)) <= 1.0)
    True
    """
    shape = _ints(shape, "shape")
    return host_event("TruncatedNormal", lambda: _truncated(_op_rng(seed), shape, mean, stddev, dtype))


def shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted.

    >>> ef.sort(ef.random.shuffle([3, 1, 2])).numpy()   # the same values, in some order
    array([1, 2, 3], dtype=int32)
    """
    from eagerflow.ops.array_ops import gather
    from eagerflow.framework.execute import convert_to_tensor
    t = convert_to_tensor(value)
    n = t.shape[0]
    order = host_event("RandomShuffle", lambda: place_new(_op_rng(seed).permutation(n).astype(np.int64),
                                                           _dtypes.int64))
    return gather(t, order)


class Generator:
    """A random generator with its own state, as `tf.random.Generator`.

    >>> g = ef.random.Generator.from_seed(42)
    >>> g.normal([2]).shape
    TensorShape([2])
    """

    def __init__(self, seed=0):
        self._seed = int(seed)
        self._rng = np.random.Generator(np.random.Philox(key=np.random.SeedSequence(self._seed).generate_state(
            2, np.uint64)))
        self._lock = threading.Lock()

    @classmethod
    def from_seed(cls, seed, alg=None):
        return cls(seed)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls(np.random.SeedSequence().entropy % (2 ** 63))

    def reset_from_seed(self, seed):
        self.__init__(seed)

    def _draw(self, draw, *args):
        with self._lock:
            return draw(self._rng, *args)

    def uniform(self, shape, minval=0, maxval=None, dtype=_dtypes.float32, name=None):
        shape = _ints(shape, "shape")
        return host_event("StatefulUniform", lambda: self._draw(_uniform, shape, minval, maxval, dtype))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        shape = _ints(shape, "shape")
        return host_event("StatefulStandardNormal", lambda: self._draw(_normal, shape, mean, stddev, dtype))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        shape = _ints(shape, "shape")
        return host_event("StatefulTruncatedNormal", lambda: self._draw(_truncated, shape, mean, stddev, dtype))

    def split(self, count=1):
        with self._lock:
            seeds = self._rng.integers(0, 2 ** 63, size=count)
        return [Generator(int(s)) for s in seeds]


_global_generator = None


def get_global_generator():
    """The process-wide `Generator` (created unseeded on first use), as `tf.random.get_global_generator`.

    >>> g = ef.random.get_global_generator()
    >>> g is ef.random.get_global_generator(), g.normal([2]).shape
    (True, TensorShape([2]))
    """
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator
