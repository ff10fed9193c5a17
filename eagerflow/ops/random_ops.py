"""Random numbers (`ef.random`), reproducible for a given seed.

Values are drawn on the host with NumPy's Philox generator and placed on the op's device, so a
seed gives the same numbers on the CPU and on a GPU. The global seed (`set_seed`) makes a program
reproducible as in TF: re-setting it replays the same sequence of random ops.
"""

import enum
import sys
import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.framework import arguments
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import (
    convert_to_tensor, host_event, is_tensor_like, log_constants, place_new, target_device,
)
from eagerflow.ops import math_ops
from eagerflow.ops.array_ops import _ints

__all__ = ["set_seed", "uniform", "normal", "truncated_normal", "shuffle", "categorical", "gamma", "poisson",
           "Algorithm", "create_rng_state"]


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
    placer_log = sys.modules.get("eagerflow.device.placer_log")  # loaded once the placer's lines are printed
    if placer_log is not None:
        placer_log.forget_functions()


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


def _unit_uniform(rng, shape, dtype):
    """Floats in [0, 1) of `dtype` (a float64 draw just below 1 would round up to 1 in a narrower dtype)."""
    dtype = _floating(dtype)
    values = rng.random(size=_ints(shape, "shape"), dtype=np.float64).astype(dtype._np)
    below_one = np.nextafter(np.asarray(1, dtype._np), np.asarray(0, dtype._np))
    return place_new(np.minimum(values, below_one), dtype)


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


def _shape(shape, op, dtype):
    """The output shape, checked (ints, >= 0) and refused before drawing when the values (drawn as float64 on
    the host) cannot be held: ResourceExhaustedError, as every constructor."""
    shape = arguments.dims(shape, op)
    arguments.check_allocation(shape, _dtypes.float64, target_device(op, _dtypes.as_dtype(dtype)), op)
    return shape


def log_shape(op, shape):
    """Log the _EagerConst TF makes of a shape given as a Python value (a random op's shape is a tensor input)."""
    if _switches.active:
        log_constants(op, shape)


def scaled(unit, scale, shift):
    """`unit * scale + shift` by the ops TF's random functions end with (Mul, AddV2): tensors of the draw's dtype."""
    return math_ops.add(math_ops.multiply(unit, scale), shift)


def is_unit_interval(minval, maxval):
    """Whether uniform bounds are TF's default [0, 1) (Python ints only), whose draws TF does not rescale."""
    return type(minval) is int and minval == 0 and type(maxval) is int and maxval == 1


def uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval).

    As TF: floats are drawn in [0, 1) then rescaled (`Sub`, `Mul`, `AddV2`) unless the bounds are the default
    ints 0 and 1; integers are drawn between the bounds (`RandomUniformInt`).

    >>> ef.random.set_seed(1); a = ef.random.uniform([2]); ef.random.set_seed(1)
    >>> bool(ef.reduce_all(a == ef.random.uniform([2]))); ef.random.set_seed(None)
    True
    """
    dtype = _dtypes.as_dtype(dtype)
    log_shape("RandomUniform", shape)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Need maxval for integer uniform random values (dtype {dtype.name}): "
                             f"ef.random.uniform(shape, 0, 10, dtype=ef.{dtype.name}).")
        maxval = 1
    unit, zero_min = is_unit_interval(minval, maxval), type(minval) is int and minval == 0
    if not unit or dtype.is_integer:
        minval, maxval = convert_to_tensor(minval, dtype=dtype), convert_to_tensor(maxval, dtype=dtype)
    if dtype.is_integer:
        shape = _shape(shape, "RandomUniformInt", dtype)
        return host_event("RandomUniformInt", lambda lo, hi: _uniform_int(_op_rng(seed), shape, lo, hi, dtype),
                          (minval, maxval))
    shape = _shape(shape, "RandomUniform", dtype)  # read here, not inside the host event (a traced function sees it)
    draws = host_event("RandomUniform", lambda: _unit_uniform(_op_rng(seed), shape, dtype))
    if unit:
        return draws
    if zero_min:
        return math_ops.multiply(draws, maxval)
    return scaled(draws, maxval - minval, minval)


def _uniform_int(rng, shape, minval, maxval, dtype):
    """Integers in [minval, maxval) (scalar tensors), refused as TF's kernel refuses an empty range."""
    low, high = int(minval.numpy()), int(maxval.numpy())
    if high <= low:
        from eagerflow import errors
        raise errors.InvalidArgumentError(None, "RandomUniformInt", f"Need minval < maxval: {low} >= {high}")
    return _uniform(rng, shape, low, high, dtype)


def _location_scale(op, shape, mean, stddev, dtype):
    """The checked dtype and shape of a normal draw, and its mean and stddev as tensors, made in TF's order."""
    dtype = _floating(dtype)
    log_shape(op, shape)
    mean, stddev = convert_to_tensor(mean, dtype=dtype), convert_to_tensor(stddev, dtype=dtype)
    return dtype, _shape(shape, op, dtype), mean, stddev


def normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normally distributed values: standard normal draws times `stddev` plus `mean`, as TF.

    >>> x = ef.random.normal([2, 3], mean=1.0, stddev=0.5, dtype=ef.float64)
    >>> x.shape, x.dtype
    (TensorShape([2, 3]), ef.float64)
    """
    dtype, shape, mean, stddev = _location_scale("RandomStandardNormal", shape, mean, stddev, dtype)
    draws = host_event("RandomStandardNormal", lambda: _normal(_op_rng(seed), shape, 0.0, 1.0, dtype))
    return scaled(draws, stddev, mean)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than two standard deviations from the mean.

    >>> x = ef.random.truncated_normal([1000], stddev=0.5)
    >>> bool(ef.reduce_max(ef.abs(x)) <= 1.0)
    True
    """
    dtype, shape, mean, stddev = _location_scale("TruncatedNormal", shape, mean, stddev, dtype)
    draws = host_event("TruncatedNormal", lambda: _truncated(_op_rng(seed), shape, 0.0, 1.0, dtype))
    return scaled(draws, stddev, mean)


def shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted.

    >>> ef.sort(ef.random.shuffle([3, 1, 2])).numpy()   # the same values, in some order
    array([1, 2, 3], dtype=int32)
    """
    t = convert_to_tensor(value)
    if t.ndim == 0:
        return host_event("RandomShuffle", lambda x: x, (t,))

    def permuted(x):
        rows = np.asarray(x.numpy())
        return place_new(rows[_op_rng(seed).permutation(rows.shape[0])], x.dtype)

    return host_event("RandomShuffle", permuted, (t,))


class Algorithm(enum.Enum):
    """The random-number algorithms of TF's generators (eagerflow draws every one with NumPy's Philox)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def _alg(alg):
    """An Algorithm from an Algorithm, its name ('philox', 'threefry', 'auto_select') or its number."""
    if alg is None:
        return Algorithm.AUTO_SELECT
    if isinstance(alg, Algorithm):
        return alg
    if isinstance(alg, str):
        try:
            return Algorithm[alg.upper()]
        except KeyError:
            pass
    elif isinstance(alg, int) and alg in (1, 2, 3):
        return Algorithm(alg)
    raise ValueError(f"Argument `alg` got unsupported value {alg!r}. Supported values are 'philox', 'threefry', "
                     f"'auto_select' or an ef.random.Algorithm.")


def _state_size(alg):
    return 2 if _alg(alg) is Algorithm.THREEFRY else 3


def create_rng_state(seed, alg):
    """The state a Generator of algorithm `alg` starts from for `seed` (an int or 1-D array), as TF: the seed's
    64-bit words, padded with zeros on the left (so that a short seed is the counter's low word, not the key).

    >>> ef.random.create_rng_state(1234, "philox").numpy()
    array([1234,    0,    0])
    """
    return _state_of_seed(seed, _state_size(alg))


def _state_of_seed(seed, size):
    """TF's ops for a state from a seed: Cast, Reshape, StridedSlice (the first `size` words), Maximum (the
    padding's length), Fill (its zeros) and ConcatV2 (zeros first), all int64."""
    from eagerflow.ops import array_ops
    if isinstance(seed, int):
        words = []
        for _ in range(size):
            words.append(seed & (2 ** 64 - 1))
            seed >>= 64
        seed = words
    words = math_ops.cast(as_int64_words(seed), _dtypes.int64)
    words = array_ops.reshape(words, [-1])[0:size]
    padding = math_ops.maximum(size - words.shape[0], 0)
    return array_ops.concat([array_ops.zeros([padding], words.dtype), words], axis=0)


def as_int64_words(value):
    """`value` with its Python ints above int64's range taken as the uint64 words they are (as TF, so that
    converting them does not overflow)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value - 2 ** 64 if value >= 2 ** 63 else value
    if isinstance(value, (list, tuple)):
        return [as_int64_words(v) for v in value]
    return value


def _values(x, dtype=None):
    """A parameter (alpha, lam, counts...) as a host array."""
    from eagerflow.framework.execute import convert_to_tensor
    t = convert_to_tensor(x) if dtype is None else convert_to_tensor(x, dtype=dtype)
    return np.asarray(t.numpy())


def _full_int(rng, shape, dtype):
    dtype = _dtypes.as_dtype(dtype)
    if not dtype.is_integer:
        raise ValueError(f"uniform_full_int takes an integer dtype, got {dtype.name}")
    _shape(shape, "RandomUniformFullInt", dtype)
    info = np.iinfo(dtype._np)
    return place_new(rng.integers(info.min, info.max, size=_ints(shape, "shape"), dtype=dtype._np, endpoint=True),
                     dtype)


def _binomial(rng, shape, counts, probs, dtype):
    dtype = _dtypes.as_dtype(dtype)
    shape = _ints(shape, "shape")
    n, p = np.broadcast_arrays(_values(counts), _values(probs))
    _shape(shape, "RandomBinomial", dtype)
    return place_new(rng.binomial(n.astype(np.int64), p.astype(np.float64), size=shape).astype(dtype._np), dtype)


def _gamma(rng, shape, alpha, beta, dtype):
    dtype = _floating(dtype)
    shape = _ints(shape, "shape")
    a = _values(alpha).astype(np.float64)
    b = np.ones(()) if beta is None else _values(beta).astype(np.float64)
    a, b = np.broadcast_arrays(a, b)
    _shape(tuple(shape) + a.shape, "RandomGamma", dtype)
    out = rng.standard_gamma(a, size=tuple(shape) + a.shape) / b
    return place_new(np.asarray(out).astype(dtype._np), dtype)


def _poisson(rng, shape, lam, dtype):
    dtype = _dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError(f"poisson takes a floating or integer dtype, got {dtype.name}")
    lam = _values(lam).astype(np.float64)
    if (lam < 0).any():
        raise ValueError(f"poisson rates must be non-negative, got {lam.min()}")
    out = rng.poisson(lam, size=_shape(tuple(_ints(shape, "shape")) + lam.shape, "RandomPoissonV2", dtype))
    return place_new(np.asarray(out).astype(dtype._np), dtype)


def _categorical(rng, logits, num_samples, dtype):
    """Gumbel-max sampling: the argmax of logits + Gumbel noise is a draw from softmax(logits)."""
    dtype = _dtypes.as_dtype(dtype or _dtypes.int64)
    if dtype not in (_dtypes.int32, _dtypes.int64):
        raise ValueError(f"categorical's dtype must be int32 or int64, got {dtype.name}")
    z = _values(logits).astype(np.float64)
    if z.ndim != 2:
        from eagerflow import errors
        raise errors.InvalidArgumentError(None, "Multinomial", f"logits should be a matrix (batch_size, num_classes), "
                                                               f"got shape {z.shape}")
    n = int(num_samples)
    if z.shape[1] == 0 and n:
        raise ValueError("categorical needs at least one class: logits has shape " + str(z.shape))
    _shape((z.shape[0], n, z.shape[1]), "Multinomial", _dtypes.float64)   # the Gumbel noise drawn below
    noise = rng.gumbel(size=(z.shape[0], n, z.shape[1]))
    with np.errstate(invalid="ignore"):
        draws = np.argmax(z[:, None, :] + noise, axis=-1) if n else np.zeros((z.shape[0], 0), np.int64)
    return place_new(draws.astype(dtype._np), dtype)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """`num_samples` class indices per row, drawn with probabilities softmax(logits[row]).

    >>> ef.random.categorical(ef.math.log([[0.0, 1.0]]), 3).numpy()
    array([[1, 1, 1]])
    """
    logits = convert_to_tensor(logits)
    if _switches.active:  # TF's num_samples is a tensor
        log_constants("Multinomial", num_samples)
    return host_event("Multinomial", lambda z: _categorical(_op_rng(seed), z, num_samples, dtype), (logits,))


def gamma(shape, alpha, beta=None, dtype=_dtypes.float32, seed=None, name=None):
    """Gamma(alpha, rate beta) draws of shape `shape + broadcast(alpha, beta).shape`.

    >>> ef.random.gamma([4], [1.0, 2.0]).shape
    TensorShape([4, 2])
    """
    dtype = _floating(dtype)
    log_shape("RandomGamma", shape)
    shape = _ints(shape, "shape")
    alpha, beta = gamma_parameters(alpha, beta, dtype)
    draws = host_event("RandomGamma", lambda a: _gamma(_op_rng(seed), shape, a, None, dtype), (alpha,))
    return gamma_rescaled(draws, beta)


def gamma_parameters(alpha, beta, dtype):
    """Alpha (broadcast against beta: Shape, BroadcastArgs, BroadcastTo) and beta (1 when None) as tensors of
    `dtype`, made as TF makes them."""
    from eagerflow.ops import array_ops, numeric_ops
    alpha = convert_to_tensor(alpha, dtype=dtype)
    beta = convert_to_tensor(1 if beta is None else beta, dtype=dtype)
    both = numeric_ops.broadcast_dynamic_shape(array_ops.shape(alpha), array_ops.shape(beta))
    return array_ops.broadcast_to(alpha, both), beta


def gamma_rescaled(draws, beta):
    """Unit-rate gamma draws divided by the rate `beta`, kept above the dtype's smallest normal number, as TF."""
    return math_ops.maximum(np.finfo(draws.dtype.as_numpy_dtype).tiny, math_ops.truediv(draws, beta))


def poisson(shape, lam, dtype=_dtypes.float32, seed=None, name=None):
    """Poisson(lam) draws of shape `shape + lam.shape`.

    >>> ef.random.poisson([3], [1.0, 5.0], dtype=ef.int32).shape
    TensorShape([3, 2])
    """
    log_shape("RandomPoissonV2", shape)
    shape = _ints(shape, "shape")
    # TF's rate of a Python number is a float64 tensor (the default dtype of RandomPoissonV2's R)
    rate = convert_to_tensor(lam) if is_tensor_like(lam) else convert_to_tensor(lam, dtype=_dtypes.float64)
    return host_event("RandomPoissonV2", lambda rate: _poisson(_op_rng(seed), shape, rate, dtype), (rate,))
