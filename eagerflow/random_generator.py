"""`ef.random.Generator`: a random generator whose state is a variable, as `tf.random.Generator`.

The state is TF's Philox state, [counter low, counter high, key], in an int64 variable (`g.state`): each draw
runs NumPy's Philox from it and moves the counter on, so a seed or a state gives the same numbers on every run
(not TF's numbers: the streams differ). As in TF, `Generator.from_state(variable)` draws from that variable
itself, so generators made from one state variable share it (each draw moves it on for all of them).
"""

import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import host_event, place_new
from eagerflow.ops.random_ops import (Algorithm, _alg, _binomial, _full_int, _normal, _philox, _rng_state, _shape,
                                      _state_size, _truncated, _uniform)
from eagerflow.variables import Variable

__all__ = ["Generator", "get_global_generator", "set_global_generator"]

# One lock for every generator's draws: generators can share a state variable, and a draw reads the state, draws
# and writes the state back, which must not interleave with another draw from the same state.
_DRAWS = threading.Lock()


class Generator:
    """A random generator with its own state variable, as `tf.random.Generator`.

    >>> g = ef.random.Generator.from_seed(42)
    >>> g.normal([2]).shape
    TensorShape([2])
    >>> ef.random.Generator.from_state(g.state, "philox").state is g.state   # shared, as in TF
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._alg = copy_from._alg
            self._state_var = Variable(copy_from._read(), dtype=_dtypes.int64, trainable=False)
        elif state is not None:
            self._alg = Algorithm.PHILOX if _alg(alg) is Algorithm.AUTO_SELECT else _alg(alg)
            if isinstance(state, Variable) and state.dtype is _dtypes.int64:
                size = _state_size(self._alg)
                if state.shape.as_list() != [size]:
                    raise ValueError(f"Shapes {state.shape} and [{size}] are incompatible: the state of a "
                                     f"{self._alg.name.lower()} generator has {size} int64 values")
                self._state_var = state   # TF's generator draws from the variable it is given
            else:
                words = np.asarray(state.numpy() if hasattr(state, "numpy") else state).ravel().tolist()
                self._state_var = Variable(_rng_state(words, self._alg).copy(), dtype=_dtypes.int64, trainable=False)
        else:
            raise ValueError("Generator needs copy_from or state; use Generator.from_seed(seed) or "
                             "Generator.from_non_deterministic_state()")

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state is derived from integer `seed` (SeedSequence-scrambled: nearby seeds differ)."""
        words = np.random.SeedSequence(int(seed) & (2 ** 128 - 1)).generate_state(3, np.uint64).view(np.int64)
        return cls(state=words, alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls(state=np.random.SeedSequence().generate_state(3, np.uint64).view(np.int64), alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        """A generator drawing from `state`: an int64 variable is shared (not copied), as TF; another value is
        copied into a new state variable."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        key = np.asarray(key.numpy() if hasattr(key, "numpy") else key, dtype=np.int64).ravel()
        counter = np.asarray(counter.numpy() if hasattr(counter, "numpy") else counter, dtype=np.int64).ravel()
        return cls(state=np.concatenate([counter, key]), alg=alg)

    @property
    def state(self):
        """The state variable, [counter low, counter high, key] (int64), as TF's `Generator.state`."""
        return self._state_var

    @property
    def algorithm(self):
        return self._alg.value

    @property
    def key(self):
        with _DRAWS:
            return place_new(self._read()[-1:].reshape(()), _dtypes.int64)

    def _read(self):
        """The state's current values (a host copy)."""
        return self._state_var._host_value()

    def reset(self, state):
        words = np.asarray(state.numpy() if hasattr(state, "numpy") else state).ravel().tolist()
        with _DRAWS:
            self._state_var._store(_rng_state(words, self._alg))

    def reset_from_seed(self, seed):
        fresh = Generator.from_seed(seed, self._alg)
        with _DRAWS:
            self._state_var._store(fresh._read())

    def reset_from_key_counter(self, key, counter):
        fresh = Generator.from_key_counter(key, counter, self._alg)
        with _DRAWS:
            self._state_var._store(fresh._read())

    def skip(self, delta):
        """Move the counter on as `delta` draws would."""
        with _DRAWS:
            state = self._read()
            bits = _philox(state)
            bits.advance(int(delta))
            self._store(state, bits)

    def _store(self, state, bits):
        state[0], state[1] = bits.state["state"]["counter"][:2].view(np.int64)
        self._state_var._store(state)

    def _draw(self, fn, *args):
        with _DRAWS:
            state = self._read()
            bits = _philox(state)
            out = fn(np.random.Generator(bits), *args)
            self._store(state, bits)
        return out

    def _event(self, op, fn, *args):
        """A draw as a host event: a traced function draws anew (and moves the state on) on every call."""
        return host_event(op, lambda: self._draw(fn, *args))

    def uniform(self, shape, minval=0, maxval=None, dtype=_dtypes.float32, name=None):
        return self._event("StatefulUniform", _uniform, _shape(shape, "StatefulUniform", dtype), minval, maxval, dtype)

    def uniform_full_int(self, shape, dtype=_dtypes.uint64, name=None):
        return self._event("StatefulUniformFullInt", _full_int, _shape(shape, "StatefulUniformFullInt", dtype), dtype)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        return self._event("StatefulStandardNormal", _normal, _shape(shape, "StatefulStandardNormal", dtype),
                           mean, stddev, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        return self._event("StatefulTruncatedNormal", _truncated, _shape(shape, "StatefulTruncatedNormal", dtype),
                           mean, stddev, dtype)

    def binomial(self, shape, counts, probs, dtype=_dtypes.int32, name=None):
        return self._event("StatefulRandomBinomial", _binomial, _shape(shape, "StatefulRandomBinomial", dtype),
                           counts, probs, dtype)

    def make_seeds(self, count=1):
        """`count` seeds for the stateless ops, as a (2, count) int64 tensor."""
        size = _shape((2, count), "StatefulUniformFullInt", _dtypes.int64)
        return self._event("StatefulUniformFullInt", lambda rng: place_new(
            rng.integers(-2 ** 63, 2 ** 63, size=size, dtype=np.int64), _dtypes.int64))

    def split(self, count=1):
        """`count` new generators, each from seeds drawn from this one."""
        size = _shape((count, 3), "StatefulUniformFullInt", _dtypes.int64)
        seeds = self._draw(lambda rng: rng.integers(0, 2 ** 63, size=size, dtype=np.int64))
        return [Generator(state=s, alg=self._alg) for s in seeds]


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


def set_global_generator(generator):
    """Make `generator` the one get_global_generator returns.

    >>> old = ef.random.get_global_generator(); g = ef.random.Generator.from_seed(1)
    >>> ef.random.set_global_generator(g); ef.random.get_global_generator() is g
    True
    >>> ef.random.set_global_generator(old)
    """
    global _global_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"set_global_generator takes an ef.random.Generator, got {type(generator).__name__}")
    _global_generator = generator
