"""`ef.random.Generator`: a random generator whose state is a variable, as `tf.random.Generator`.

The state is TF's Philox state, [counter low, counter high, key], in an int64 variable (`g.state`), and a draw
runs TF's ops: RngReadAndSkip reads the state and moves the counter on by a count fixed before the draw (256
per value, as TF's kernel: `g.state` reads as TF's after the same calls), then a stateless op
(StatelessRandomNormalV2, ...) draws from the key and counter it read. Those values are NumPy's Philox keyed by
(key, counter low) from counter high, as the stateless ops' (not TF's numbers: the streams differ), so every
draw has a key of its own and a seed or a state gives the same numbers on every run. As in TF,
`Generator.from_state(variable)` draws from that variable itself, so generators made from one state variable
share it (each draw moves it on for all of them).
"""

import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context, placement
from eagerflow.device.context import settings as _settings
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import convert_to_tensor, host_event, log_constants, place_new, target_device
from eagerflow.ops import array_ops, math_ops, numeric_ops
from eagerflow.ops.random_ops import (Algorithm, _alg, _binomial, _floating, _full_int, _normal, _shape,
                                      _state_of_seed, _state_size, _truncated, _uniform, _unit_uniform,
                                      as_int64_words, scaled)
from eagerflow.ops.stateless_random_ops import _keyed_rng, keyed_draw
from eagerflow.variables import Variable

__all__ = ["Generator", "get_global_generator", "set_global_generator"]

# One lock for every generator's state updates: generators can share a state variable, and RngReadAndSkip
# reads the state and writes it back moved on, which must not interleave with another update of the same state.
_DRAWS = threading.Lock()

# TF's Philox kernels reserve 256 counter steps (128-bit blocks) for each value they are asked for
_BLOCKS_PER_VALUE = 256
_WORD = 2 ** 32 - 1


def _skipped(state, count):
    """`state` with its 128-bit counter moved on by `count` (mod 2**64) blocks, as TF's PhiloxRandom::Skip adds
    on its four 32-bit words (whose carry out of the count's high word is lost, as TF's)."""
    low, high = (int(w) for w in np.asarray(state[:2], np.int64).view(np.uint64))
    c = [low & _WORD, low >> 32, high & _WORD, high >> 32]
    count_low, count_high = count & _WORD, count >> 32
    c[0] = (c[0] + count_low) & _WORD
    if c[0] < count_low:
        count_high = (count_high + 1) & _WORD
    c[1] = (c[1] + count_high) & _WORD
    if c[1] < count_high:
        c[2] = (c[2] + 1) & _WORD
        if c[2] == 0:
            c[3] = (c[3] + 1) & _WORD
    out = np.array(state, np.int64)
    out[:2] = np.array([c[0] | c[1] << 32, c[2] | c[3] << 32], np.uint64).view(np.int64)
    return out


def _shape_tensor(shape):
    """TF's shape input of a generator's draw: an int64 tensor for an empty list or tuple (int32 would be the
    default), else the shape converted as given."""
    if isinstance(shape, (list, tuple)) and not shape:
        return convert_to_tensor(shape, dtype=_dtypes.int64)
    return convert_to_tensor(shape)


def _state_tensor(value):
    """A state, key or counter as an int64 tensor (TF's Cast; uint64 words given as Python ints are taken
    as the int64s of the same bits)."""
    return math_ops.cast(as_int64_words(value), _dtypes.int64)


def _checked(state, size, alg):
    if state.shape.as_list() != [size]:
        raise ValueError(f"Shapes {state.shape} and [{size}] are incompatible: the state of a "
                         f"{alg.name.lower()} generator has {size} int64 values")
    return state


def _state_variable(state):
    """A new state variable holding `state`, named as TF's."""
    return Variable(state, dtype=_dtypes.int64, trainable=False, name="StateVar")


def _refused(op, error):
    """`error`, with `op` logged first when placements are logged: TF places the op, then its kernel refuses."""
    if _switches.active and context.placement_logging()[0]:
        placement.log_op(op, target_device(op, _dtypes.int64), placement.DTYPE_DEFAULT)
    return error


def _philox_only(op, alg):
    """As TF's CPU kernels: only Philox (AUTO_SELECT picks it) runs outside XLA."""
    if alg is Algorithm.THREEFRY:
        raise _refused(op, errors.UnimplementedError(None, op, f"Non-XLA devices don't support the ThreeFry "
                                                               f"algorithm. [Op:{op}]"))


def _scalar(op, index, t):
    if t.shape.rank != 0:
        raise _refused(op, errors.InvalidArgumentError(None, op, f"input {index} (0-based) must have shape [], not "
                                                       f"{t.shape.as_list()} [Op:{op}]"))


class Generator:
    """A random generator with its own state variable, as `tf.random.Generator`.

    >>> g = ef.random.Generator.from_seed(42)
    >>> g.normal([2]).shape
    TensorShape([2])
    >>> g.state.numpy()                      # TF's state: the seed, moved on by 256 per value drawn
    array([554,   0,   0])
    >>> ef.random.Generator.from_state(g.state, "philox").state is g.state   # shared, as in TF
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._alg = copy_from._alg
            self._state_var = _state_variable(copy_from.state.value())
        elif state is not None:
            self._alg = Algorithm.PHILOX if alg is None else _alg(alg)
            size = _state_size(self._alg)
            if isinstance(state, Variable) and state.dtype is _dtypes.int64:
                self._state_var = _checked(state, size, self._alg)  # TF's generator draws from the variable given
            else:
                self._state_var = _state_variable(_checked(_state_tensor(state), size, self._alg))
        else:
            raise ValueError("Generator needs copy_from or state; use Generator.from_seed(seed) or "
                             "Generator.from_non_deterministic_state()")

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state is `create_rng_state(seed, alg)`: the seed's 64-bit words, as TF."""
        alg = Algorithm.PHILOX if alg is None else _alg(alg)
        return cls(state=_state_of_seed(seed, _state_size(alg)), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator whose state comes from the operating system's entropy (TF's NonDeterministicInts)."""
        if _settings.op_determinism:
            raise RuntimeError('"from_non_deterministic_state" cannot be called when determinism is enabled.')
        alg = Algorithm.PHILOX if alg is None else _alg(alg)
        size = _state_size(alg)
        if _switches.active:  # TF's shape is a tensor
            log_constants("NonDeterministicInts", None)
        state = host_event("NonDeterministicInts", lambda: place_new(
            np.random.SeedSequence().generate_state(size, np.uint64).view(np.int64), _dtypes.int64))
        return cls(state=state, alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        """A generator drawing from `state`: an int64 variable is shared (not copied), as TF; another value is
        copied into a new state variable."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        return cls(state=cls._key_counter_state(key, counter, _alg(alg)), alg=alg)

    @staticmethod
    def _key_counter_state(key, counter, alg):
        """The state [counter..., key] of a scalar `key` and a `counter` of the state's size less one."""
        counter, key = _state_tensor(counter), _state_tensor(key)
        size = _state_size(alg)
        if counter.shape.as_list() != [size - 1]:
            raise ValueError(f"Shapes {counter.shape} and ({size - 1},) are incompatible: the counter of a "
                             f"{alg.name.lower()} generator has {size - 1} int64 values")
        if key.shape.rank != 0:
            raise ValueError(f"Shapes {key.shape} and () are incompatible: the key is one int64 value")
        return array_ops.concat([counter, array_ops.reshape(key, [1])], 0)

    @property
    def state(self):
        """The state variable, [counter low, counter high, key] (int64), as TF's `Generator.state`."""
        return self._state_var

    @property
    def algorithm(self):
        return self._alg.value

    @property
    def key(self):
        """The key, the state's last value (a scalar int64 tensor)."""
        return self._state_var[-1]

    def _assign(self, state):
        with _DRAWS:
            self._state_var.assign(state)

    def reset(self, state):
        """Make `state` the generator's state (written into its state variable)."""
        self._assign(_checked(_state_tensor(state), _state_size(self._alg), self._alg))

    def reset_from_seed(self, seed):
        self._assign(_state_of_seed(seed, _state_size(self._alg)))

    def reset_from_key_counter(self, key, counter):
        self._assign(self._key_counter_state(key, counter, self._alg))

    def skip(self, delta):
        """Move the counter on as a draw of `delta` values would (TF's RngReadAndSkip); returns the state before
        (an int64 tensor of 3 values)."""
        alg = math_ops.cast(self._alg.value, _dtypes.int32)
        return self._read_and_skip(alg, math_ops.cast(delta, _dtypes.uint64))

    def _read_and_skip(self, alg, delta):
        _scalar("RngReadAndSkip", 1, alg)
        _scalar("RngReadAndSkip", 2, delta)
        _philox_only("RngReadAndSkip", self._alg)
        variable = self._state_var

        def read_and_skip(alg, delta):
            count = int(delta.numpy()) * _BLOCKS_PER_VALUE & (2 ** 64 - 1)
            with _DRAWS:
                state = variable._host_value()
                variable._store(_skipped(state, count))
            return place_new(state, _dtypes.int64, "RngReadAndSkip")

        return host_event("RngReadAndSkip", read_and_skip, (alg, delta))

    def _key_counter(self, shape):
        """The key and counter (uint64 tensors) of a draw of `shape` (a tensor): the state read and skipped by the
        number of values, as TF's ops (Prod, Cast, RngReadAndSkip, then StridedSlice and Bitcast of each part)."""
        read = self.skip(math_ops.reduce_prod(shape))
        size = 1 if self._alg is Algorithm.THREEFRY else 2
        counter = numeric_ops.bitcast(read[:size], _dtypes.uint64)
        key = numeric_ops.bitcast(read[size:size + 1], _dtypes.uint64)
        return key, counter

    def _stateless(self, op, shape, draw, *parameters):
        """`draw(rng, *parameters)` by TF's stateless op `op` from the key and counter of a draw of `shape`."""
        key, counter = self._key_counter(shape)
        return keyed_draw(op, key, counter, self._alg.value, draw, *parameters)

    def uniform(self, shape, minval=0, maxval=None, dtype=_dtypes.float32, name=None):
        """Uniform values in [minval, maxval): floats drawn in [0, 1) and rescaled (Sub, Mul, AddV2), integers
        between the bounds; for an integer dtype with both bounds None, the whole range."""
        dtype = _dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError(f"For integer dtype {dtype!r}, minval and maxval must be both `None` or both "
                                 f"non-`None`; got minval={minval} and maxval={maxval}")
            if minval is None:
                return self.uniform_full_int(shape, dtype)
            op = "StatelessRandomUniformIntV2"
        else:
            op = "StatelessRandomUniformV2"
            maxval = 1 if maxval is None else maxval
        dims = _shape(shape, op, dtype)
        if not dtype.is_integer:
            _floating(dtype)
        shape = _shape_tensor(shape)
        minval, maxval = convert_to_tensor(minval, dtype=dtype), convert_to_tensor(maxval, dtype=dtype)
        if dtype.is_integer:
            low, high = int(minval.numpy()), int(maxval.numpy())
            if high <= low:  # refused before the state moves
                raise errors.InvalidArgumentError(None, op, f"Need minval < maxval: {low} >= {high} [Op:{op}]")
            return self._stateless(op, shape, lambda rng, lo, hi: _uniform(rng, dims, int(lo.numpy()),
                                                                           int(hi.numpy()), dtype), minval, maxval)
        draws = self._stateless(op, shape, lambda rng: _unit_uniform(rng, dims, dtype))
        return scaled(draws, maxval - minval, minval)

    def uniform_full_int(self, shape, dtype=_dtypes.uint64, name=None):
        """Integers over the whole range of `dtype`."""
        dtype = _dtypes.as_dtype(dtype)
        op = "StatelessRandomUniformFullIntV2"
        if not dtype.is_integer:
            raise ValueError(f"uniform_full_int takes an integer dtype, got {dtype.name}")
        dims = _shape(shape, op, dtype)
        return self._stateless(op, _shape_tensor(shape), lambda rng: _full_int(rng, dims, dtype))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        """Normal values: standard normal draws times `stddev` plus `mean` (Mul, AddV2), as TF."""
        return self._location_scale("StatelessRandomNormalV2", _normal, shape, mean, stddev, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None):
        """Normal values redrawn beyond two standard deviations, times `stddev` plus `mean`."""
        return self._location_scale("StatelessTruncatedNormalV2", _truncated, shape, mean, stddev, dtype)

    def _location_scale(self, op, unit, shape, mean, stddev, dtype):
        dtype = _floating(dtype)
        dims = _shape(shape, op, dtype)
        shape = _shape_tensor(shape)
        mean, stddev = convert_to_tensor(mean, dtype=dtype), convert_to_tensor(stddev, dtype=dtype)
        draws = self._stateless(op, shape, lambda rng: unit(rng, dims, 0.0, 1.0, dtype))
        return scaled(draws, stddev, mean)

    def binomial(self, shape, counts, probs, dtype=_dtypes.int32, name=None):
        """Binomial(counts, probs) draws of `shape`, which must end with the broadcast shape of counts and probs
        (TF's StatefulRandomBinomial: it reads and moves the state itself)."""
        op = "StatefulRandomBinomial"
        counts, probs = convert_to_tensor(counts), convert_to_tensor(probs)
        dims = _shape(shape, op, dtype)
        if _switches.active:  # TF's shape and algorithm are tensors
            log_constants(op, None if isinstance(shape, (list, tuple)) else shape)
            log_constants(op, self._alg.value, dtype=_dtypes.int64)
        if not counts.dtype.is_floating or probs.dtype is not counts.dtype:
            raise _refused(op, errors.InvalidArgumentError(
                None, op, f"No OpKernel was registered to support Op '{op}' with counts of dtype {counts.dtype.name} "
                f"and probs of dtype {probs.dtype.name}: give both one floating dtype (float16, float32, float64) "
                f"[Op:{op}]"))
        try:
            batch = np.broadcast_shapes(tuple(counts.shape.as_list()), tuple(probs.shape.as_list()))
        except ValueError:
            raise _refused(op, errors.InvalidArgumentError(
                None, op, f"counts and probs must have compatible batch dimensions: {counts.shape} vs. "
                f"{probs.shape} [Op:{op}]")) from None
        if len(batch) > len(dims) or tuple(dims[len(dims) - len(batch):]) != batch:
            raise _refused(op, errors.InvalidArgumentError(
                None, op, f"Shape passed in must end with broadcasted shape. (shape {list(dims)}, counts and probs "
                f"{list(batch)}) [Op:{op}]"))
        if self._alg is not Algorithm.PHILOX:
            raise _refused(op, errors.InvalidArgumentError(None, op, f"Unsupported algorithm id: {self._alg.value} "
                                                                     f"[Op:{op}]"))
        samples = int(np.prod(dims[:len(dims) - len(batch)], dtype=np.int64))
        batches = int(np.prod(batch, dtype=np.int64))
        # TF's kernel reserves 50 Philox calls for each batch and sample, and 150 more per batch
        count = batches * 2 * 100 * (samples + 3) // 4 * _BLOCKS_PER_VALUE & (2 ** 64 - 1)
        variable = self._state_var

        def draw(n, p):
            with _DRAWS:
                state = variable._host_value()
                variable._store(_skipped(state, count))
            words = state.view(np.uint64)
            key = place_new(words[2:3].copy(), _dtypes.uint64)
            counter = place_new(words[:2].copy(), _dtypes.uint64)
            return _binomial(_keyed_rng(key, counter), dims, n, p, dtype)

        return host_event(op, draw, (counts, probs))

    def make_seeds(self, count=1):
        """`count` seeds for the stateless ops, as a (2, count) int64 tensor: drawn keys over zeros, as TF."""
        keys = self.uniform_full_int([count], _dtypes.int64)
        return array_ops.stack([keys, array_ops.zeros_like(keys)])

    def split(self, count=1):
        """`count` new generators, each keyed by a value drawn from this one (their counters start at 0)."""
        keys = self.uniform_full_int([count], _dtypes.int64)
        zeros = [0] * (_state_size(self._alg) - 1)
        return [Generator(state=zeros + [key], alg=self._alg) for key in array_ops.unstack(keys, num=count)]


_global_generator = None


def get_global_generator():
    """The process-wide `Generator` (created unseeded on first use), as `tf.random.get_global_generator`.

    >>> g = ef.random.get_global_generator()
    >>> g is ef.random.get_global_generator(), g.normal([2]).shape
    (True, TensorShape([2]))
    """
    global _global_generator
    if _global_generator is None:
        if _settings.op_determinism:
            raise RuntimeError('"get_global_generator" cannot be called if determinism is enabled, unless '
                               '"set_global_generator" has already been called. Please call "set_global_generator" '
                               'first.')
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
