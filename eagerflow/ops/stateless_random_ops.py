"""Stateless random ops (`ef.random.stateless_*`, `ef.random.experimental`): the same (shape, seed) gives
the same values on every call and every run.

A seed is a shape-[2] integer tensor; it keys NumPy's Philox (key = the two seed words), so the values
are a pure function of the seed and the arguments. They are not TF's values (TF's Philox/ThreeFry
streams are not reproduced); what TF promises, determinism per seed, holds.
"""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import (_tf_name, convert_to_tensor, host_event, is_tensor_like, log_constants,
                                         place_new)
from eagerflow.ops import array_ops
from eagerflow.ops import random_ops

__all__ = ["stateless_uniform", "stateless_normal", "stateless_truncated_normal", "stateless_categorical",
           "stateless_binomial", "stateless_gamma", "stateless_poisson", "stateless_parameterized_truncated_normal",
           "split", "fold_in"]


def _seed_tensor(seed):
    """`seed` as a tensor, checked (an integer vector of 2) without reading its values."""
    t = convert_to_tensor(seed)
    if not t.dtype.is_integer:
        raise errors.InvalidArgumentError(None, "StatelessRandom", f"seed must be an integer tensor, got "
                                                                   f"{t.dtype.name}")
    if t.shape.as_list() != [2]:
        raise errors.InvalidArgumentError(None, "StatelessRandom", f"seed must have shape [2], not {t.shape}")
    return t


def _seed_words(seed):
    t = _seed_tensor(seed)
    return t, np.asarray(t.numpy()).astype(np.int64).view(np.uint64)


def _rng(seed, alg=None):
    random_ops._alg(alg)
    _, words = _seed_words(seed)
    return np.random.Generator(np.random.Philox(key=words))


def _event(op, seed, draw):
    """`draw(rng)` for the generator of `seed`, as a host event that takes the seed as its input (a traced
    function draws from the seed it is called with)."""
    return host_event(op, lambda s: draw(_rng(s)), (_seed_tensor(seed),))


def _key_counter(seed):
    """TF's StatelessRandomGetKeyCounter: the generator's key (uint64, shape [1]) and counter (uint64, shape [2]) for
    `seed`, made of its two words: NumPy's Philox keyed by (key, counter[0]) from counter[1]."""
    def split(s):
        words = np.asarray(s.numpy()).astype(np.int64).view(np.uint64)
        return (place_new(words[:1].copy(), _dtypes.uint64),
                place_new(np.array([words[1], 0], np.uint64), _dtypes.uint64))
    return host_event("StatelessRandomGetKeyCounter", split, (_seed_tensor(seed),))


def _keyed_draw(op, seed, alg, draw, *parameters):
    """`draw(rng, *parameters)` by the generator of `seed`'s key and counter (TF's StatelessRandom*V2 ops)."""
    alg = random_ops._alg(alg)
    key, counter = _key_counter(seed)
    return keyed_draw(op, key, counter, alg.value, draw, *parameters)


def keyed_draw(op, key, counter, alg, draw, *parameters):
    """`draw(rng, *parameters)` by the generator of `key` and `counter` (uint64 tensors, shapes [1] and [2]), as
    TF's StatelessRandom*V2 op `op`: a host event of the key, the counter and the tensor `parameters`; `alg`, a
    Python int in TF, is logged as its constant."""
    if _switches.active:
        log_constants(op, alg)

    def keyed(key, counter, *tensors):
        return draw(_keyed_rng(key, counter), *tensors)

    return host_event(op, keyed, (key, counter) + parameters)


def _keyed_rng(key, counter):
    """NumPy's Philox keyed by (key, counter[0]) from counter[1] (tensors of StatelessRandomGetKeyCounter)."""
    words = np.concatenate([key.numpy(), counter.numpy()]).astype(np.uint64)
    return np.random.Generator(np.random.Philox(key=words[:2], counter=np.array([words[2], 0, 0, 0], np.uint64)))


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=_dtypes.float32, name=None, alg="auto_select"):
    """Uniform values in [minval, maxval), a function of `seed`; integer dtypes with both bounds None span the
    whole range. As TF: floats are drawn in [0, 1) and rescaled (`Sub`, `Mul`, `AddV2`).

    >>> a = ef.random.stateless_uniform([3], seed=[1, 2]); b = ef.random.stateless_uniform([3], seed=[1, 2])
    >>> bool(ef.reduce_all(a == b))
    True
    """
    dtype = _dtypes.as_dtype(dtype)
    random_ops._alg(alg)
    random_ops.log_shape("StatelessRandomUniformV2", shape)
    if dtype.is_integer and minval is None and maxval is None:
        shape = random_ops._shape(shape, "StatelessRandomUniformFullIntV2", dtype)
        return _keyed_draw("StatelessRandomUniformFullIntV2", seed, alg,
                           lambda rng: random_ops._full_int(rng, shape, dtype))
    if dtype.is_integer and (minval is None or maxval is None):
        raise ValueError("For integer `dtype` argument, `minval` and `maxval` must be both None or not None. Got "
                         f"minval={minval} and maxval={maxval}.")
    minval = convert_to_tensor(0 if minval is None else minval, dtype=dtype)
    maxval = convert_to_tensor(1 if maxval is None else maxval, dtype=dtype)
    if dtype.is_integer:
        shape = random_ops._shape(shape, "StatelessRandomUniformIntV2", dtype)
        if int(maxval.numpy()) <= int(minval.numpy()):
            raise errors.InvalidArgumentError(None, "StatelessRandomUniformIntV2",
                                              f"Need minval < maxval: {minval.numpy()} >= {maxval.numpy()}")
        return _keyed_draw("StatelessRandomUniformIntV2", seed, alg,
                           lambda rng, lo, hi: random_ops._uniform(rng, shape, int(lo.numpy()), int(hi.numpy()),
                                                                   dtype), minval, maxval)
    shape = random_ops._shape(shape, "StatelessRandomUniformV2", dtype)
    draws = _keyed_draw("StatelessRandomUniformV2", seed, alg, lambda rng: random_ops._unit_uniform(rng, shape, dtype))
    return random_ops.scaled(draws, maxval - minval, minval)


def _location_scale(op, shape, mean, stddev, dtype):
    random_ops.log_shape(op, shape)
    dtype = _dtypes.as_dtype(dtype)
    mean, stddev = convert_to_tensor(mean, dtype=dtype), convert_to_tensor(stddev, dtype=dtype)
    return random_ops._shape(shape, op, dtype), mean, stddev


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None, alg="auto_select"):
    """Normal values, a function of `seed`: standard normal draws times `stddev` plus `mean`, as TF.

    >>> ef.random.stateless_normal([2, 2], seed=[7, 0], dtype=ef.float64).dtype
    ef.float64
    """
    random_ops._alg(alg)
    shape, mean, stddev = _location_scale("StatelessRandomNormalV2", shape, mean, stddev, dtype)
    draws = _keyed_draw("StatelessRandomNormalV2", seed, alg,
                        lambda rng: random_ops._normal(rng, shape, 0.0, 1.0, dtype))
    return random_ops.scaled(draws, stddev, mean)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=_dtypes.float32, name=None,
                               alg="auto_select"):
    """Normal values within two standard deviations of the mean, a function of `seed`.

    >>> bool(ef.reduce_max(ef.abs(ef.random.stateless_truncated_normal([500], seed=[3, 4]))) <= 2.0)
    True
    """
    random_ops._alg(alg)
    shape, mean, stddev = _location_scale("StatelessTruncatedNormalV2", shape, mean, stddev, dtype)
    draws = _keyed_draw("StatelessTruncatedNormalV2", seed, alg,
                        lambda rng: random_ops._truncated(rng, shape, 0.0, 1.0, dtype))
    return random_ops.scaled(draws, stddev, mean)


def stateless_categorical(logits, num_samples, seed, dtype=_dtypes.int64, name=None):
    """`num_samples` class indices per row of `logits`, a function of `seed`.

    >>> ef.random.stateless_categorical([[0.0, -float("inf")]], 4, seed=[1, 1]).numpy()
    array([[0, 0, 0, 0]])
    """
    logits = convert_to_tensor(logits)
    if _switches.active:  # TF's num_samples is a tensor
        log_constants("StatelessMultinomial", num_samples)
    return host_event("StatelessMultinomial", lambda s, z: random_ops._categorical(_rng(s), z, num_samples, dtype),
                      (_seed_tensor(seed), logits))


def stateless_binomial(shape, seed, counts, probs, output_dtype=_dtypes.int32, name=None):
    """Binomial(counts, probs) draws of `shape` (counts and probs broadcast to it), a function of `seed`.

    >>> ef.random.stateless_binomial([3], [1, 2], counts=10.0, probs=0.0).numpy()
    array([0, 0, 0], dtype=int32)
    """
    random_ops.log_shape("StatelessRandomBinomial", shape)
    shape = random_ops._shape(shape, "StatelessRandomBinomial", output_dtype)
    probs = convert_to_tensor(probs, dtype_hint=_dtypes.float32)  # as TF: the probabilities first
    counts = convert_to_tensor(counts, dtype_hint=probs.dtype)
    return host_event("StatelessRandomBinomial",
                      lambda s, n, p: random_ops._binomial(_rng(s), shape, n, p, output_dtype),
                      (_seed_tensor(seed), counts, probs))


def stateless_gamma(shape, seed, alpha, beta=None, dtype=_dtypes.float32, name=None):
    """Gamma(alpha, rate beta) draws of `shape` (alpha and beta broadcast to its trailing dimensions).

    >>> ef.random.stateless_gamma([10, 2], seed=[1, 2], alpha=[0.5, 1.5]).shape
    TensorShape([10, 2])
    """
    dtype = random_ops._floating(dtype)
    random_ops.log_shape("StatelessRandomGammaV3", shape)
    shape = random_ops._shape(shape, "StatelessRandomGammaV3", dtype)
    alpha, beta = random_ops.gamma_parameters(alpha, beta, dtype)
    params = tuple(alpha.shape.as_list())
    batch = shape[:len(shape) - len(params)]
    trailing = tuple(shape[len(batch):])
    if len(params) > len(shape) or np.broadcast_shapes(trailing, params) != trailing:
        raise ValueError(f"shape {shape} must end with the broadcast shape of alpha and beta, {params}")

    def draw(rng, a):
        return random_ops._gamma(rng, batch, np.broadcast_to(np.asarray(a.numpy()), trailing), None, dtype)

    return random_ops.gamma_rescaled(_keyed_draw("StatelessRandomGammaV3", seed, "auto_select", draw, alpha), beta)


def stateless_poisson(shape, seed, lam, dtype=_dtypes.int32, name=None):
    """Poisson(lam) draws of `shape` (lam broadcast to its trailing dimensions), a function of `seed`.

    >>> ef.random.stateless_poisson([4], seed=[1, 2], lam=0.0).numpy()
    array([0, 0, 0, 0], dtype=int32)
    """
    random_ops.log_shape("StatelessRandomPoisson", shape)
    shape = random_ops._shape(shape, "StatelessRandomPoisson", dtype)
    lam = random_ops._values(lam).astype(np.float64)
    batch = shape[:len(shape) - lam.ndim]
    lam = np.broadcast_to(lam, shape[len(batch):])
    return _event("StatelessRandomPoisson", seed, lambda rng: random_ops._poisson(rng, batch, lam, dtype))


def _truncated_standard(rng, a, b):
    """Standard normal draws conditioned on [a, b] (arrays of one shape), by rejection: a normal proposal where
    the interval holds enough mass, else a uniform one over the interval (finite) or Robert's exponential
    proposal for a one-sided tail."""
    out = np.empty(a.shape)
    todo = np.ones(a.shape, bool)
    flip = b < 0  # an interval below zero is drawn mirrored, so every tail is a right tail
    lo, hi = np.where(flip, -b, a), np.where(flip, -a, b)
    for _ in range(1000):
        if not todo.any():
            break
        idx = np.nonzero(todo)
        la, lb = lo[idx], hi[idx]
        wide = (la <= 0.5) & (lb - la >= 1.0)
        z = np.empty(la.shape)
        z[wide] = rng.standard_normal(int(wide.sum()))
        ok = wide & (z >= la) & (z <= lb)
        tail = ~wide & np.isinf(lb)
        if tail.any():
            alpha = (la[tail] + np.sqrt(la[tail] ** 2 + 4)) / 2
            zt = la[tail] + rng.exponential(size=alpha.shape) / alpha
            z[tail] = zt
            ok[tail] = rng.random(alpha.shape) <= np.exp(-((zt - alpha) ** 2) / 2)
        box = ~wide & ~tail
        if box.any():
            zb = la[box] + (lb[box] - la[box]) * rng.random(int(box.sum()))
            near = np.clip(0.0, la[box], lb[box])
            z[box] = zb
            ok[box] = rng.random(zb.shape) <= np.exp((near ** 2 - zb ** 2) / 2)
        sel = tuple(i[ok] for i in idx)
        out[sel] = z[ok]
        todo[sel] = False
    return np.where(flip, -out, out)


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0,
                                             name=None):
    """Normal(means, stddevs) values conditioned on [minvals, maxvals] (all broadcast to `shape`).

    >>> x = ef.random.stateless_parameterized_truncated_normal([1000], [1, 2], minvals=3.0, maxvals=float("inf"))
    >>> bool(ef.reduce_min(x) >= 3.0)
    True
    """
    shape = random_ops._shape(shape, "StatelessParameterizedTruncatedNormal", _dtypes.float32)
    m = convert_to_tensor(means)
    dtype = m.dtype if m.dtype.is_floating else _dtypes.float32
    mean, std, lo, hi = (np.broadcast_to(random_ops._values(v).astype(np.float64), shape)
                         for v in (means, stddevs, minvals, maxvals))
    if (hi <= lo).any():
        raise errors.InvalidArgumentError(None, "StatelessParameterizedTruncatedNormal",
                                          "Invalid parameters: minvals must be less than maxvals")
    def draw(rng):
        z = _truncated_standard(rng, (lo - mean) / std, (hi - mean) / std)
        return place_new(np.asarray(mean + std * z).astype(dtype._np), dtype)
    return _event("StatelessParameterizedTruncatedNormal", seed, draw)


def split(seed, num=2, alg="auto_select"):
    """`num` new seeds (a (num, 2) tensor of the seed's dtype) derived from `seed`.

    >>> ef.random.split([1, 2], 3).shape
    TensorShape([3, 2])
    """
    t = _seed_tensor(seed)
    return stateless_uniform([int(num), 2], t, minval=None, maxval=None, dtype=t.dtype, alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """A new seed from `seed` and the integer `data`: [a value drawn from seed, data], as TF.

    >>> int(ef.random.fold_in([1, 2], 7).numpy()[1])
    7
    """
    t, _ = _seed_words(seed)
    d = convert_to_tensor(data)  # as TF: the new seed has data's dtype (a Python int's is int32)
    first = stateless_uniform([], t, minval=None, maxval=None, dtype=d.dtype, alg=alg)
    from eagerflow.ops.array_ops import stack
    return stack([first, d])


_INDEX_DTYPES = (_dtypes.int32, _dtypes.uint32, _dtypes.int64, _dtypes.uint64)
_SEED_PAD = 498247692  # TF's first seed word of RandomIndexShuffle, which takes three


def _index_dtype(attr, t):
    if t.dtype not in _INDEX_DTYPES:
        raise errors.InvalidArgumentError(None, "RandomIndexShuffle", f"Value for attr '{attr}' of {_tf_name(t.dtype)} "
                                          "is not in the list of allowed values: int32, uint32, int64, uint64")


_FEISTEL_ROUNDS = 6


def _mixed(z):
    """SplitMix64's finalizer: every output bit depends on every input bit (uint64 arrays, wrapping)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def _permuted(values, top, words):
    """Where `values` (uint64) go in a permutation of [0, top] keyed by the seed `words`, without making it: a
    Feistel network on the smallest even number of bits that holds `top` (a permutation of that power of two),
    applied again to what lands above `top` (cycle-walking: then a permutation of [0, top], each value at most 4
    rounds of it away on average). The round keys are drawn from the seed and `top`, so each (seed, top) is one
    permutation."""
    half = max(1, (int(top).bit_length() + 1) // 2)
    mask, shift = np.uint64((1 << half) - 1), np.uint64(half)
    keys = np.random.Generator(np.random.Philox(key=words[1:], counter=np.array([words[0], top, 0, 0], np.uint64))
                               ).integers(0, 2 ** 64, size=_FEISTEL_ROUNDS, dtype=np.uint64)

    def rounds(x):
        left, right = x >> shift, x & mask
        for k in keys:
            left, right = right, left ^ (_mixed(right ^ k) & mask)
        return left << shift | right

    with np.errstate(over="ignore"):
        out = rounds(values)
        above = out > top
        while above.any():
            out[above] = rounds(out[above])
            above = out > top
    return out


def index_shuffle(index, seed, max_index):
    """Where each `index` goes in a random permutation of [0, max_index] fixed by `seed` (shape [2]); `index` and
    `max_index` are scalars or vectors of one length (a scalar is broadcast), each element its own permutation.

    >>> sorted(ef.random.experimental.index_shuffle(ef.range(5), [1, 2], 4).numpy().tolist())
    [0, 1, 2, 3, 4]
    """
    op = "RandomIndexShuffle"
    seed = convert_to_tensor(seed)
    _index_dtype("Tseed", seed)
    # as TF: the seed padded in front to the op's three words (PadV2)
    seed = array_ops.pad(seed, [[1, 0]] + [[0, 0]] * max(seed.shape.rank - 1, 0), constant_values=_SEED_PAD)
    if is_tensor_like(max_index) and not is_tensor_like(index):  # the tensor's dtype, as TF's inputs match
        top = convert_to_tensor(max_index)
        idx = convert_to_tensor(index, dtype=top.dtype)
    else:
        idx = convert_to_tensor(index)
        top = convert_to_tensor(max_index, dtype=idx.dtype)
    _index_dtype("dtype", idx)
    if seed.shape.as_list() != [3]:
        raise errors.InvalidArgumentError(None, op, f"Seed must be a vector of size [3] but got {seed.shape.as_list()}"
                                          f": a seed of 2 values, padded [Op:{op}]")
    batch = max(idx.shape.num_elements(), top.shape.num_elements())
    if any(t.shape.rank > 1 or t.shape.rank == 1 and t.shape[0] != batch for t in (idx, top)):
        raise errors.InvalidArgumentError(None, op, f"Index must be a scalar or vector, and max_index too, of one "
                                          f"length: got shapes {idx.shape} and {top.shape} [Op:{op}]")

    def shuffled(i, s, m):
        values, tops = np.broadcast_arrays(np.asarray(i.numpy()), np.asarray(m.numpy()))
        if (values < 0).any():
            raise errors.InvalidArgumentError(None, op, f"index must be >= 0 but was {values.min()} [Op:{op}]")
        if (tops < 0).any():
            raise errors.InvalidArgumentError(None, op, f"max_index must be >= 0 but was {tops.min()} [Op:{op}]")
        if (tops < values).any():
            k = int(np.argmax(tops < values))
            raise errors.InvalidArgumentError(None, op, f"max_index must be >= index, but {tops.flat[k]} < "
                                              f"{values.flat[k]} [Op:{op}]")
        values, tops = values.astype(np.uint64), tops.astype(np.uint64)
        words = np.asarray(s.numpy()).astype(np.int64).view(np.uint64)
        out = np.empty(values.shape, np.uint64)
        for top_value in np.unique(tops):  # one permutation of [0, top] per seed and top
            same = tops == top_value
            out[same] = _permuted(values[same], top_value, words)
        return place_new(out.astype(i.dtype._np), i.dtype)

    return host_event(op, shuffled, (idx, seed, top))


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """`value` with its first dimension permuted, a function of `seed`.

    >>> ef.sort(ef.random.experimental.stateless_shuffle([3, 1, 2], seed=[5, 6])).numpy()
    array([1, 2, 3], dtype=int32)
    """
    alg = random_ops._alg(alg)
    key, counter = _key_counter(seed)  # as TF: the key and counter first, then the value
    t = convert_to_tensor(value)
    if _switches.active:
        log_constants("StatelessShuffle", alg.value)

    def shuffled(key, counter, x):
        rows = np.asarray(x.numpy())
        if rows.ndim == 0:
            return place_new(rows.copy(), x.dtype)
        return place_new(rows[_keyed_rng(key, counter).permutation(rows.shape[0])], x.dtype)

    return host_event("StatelessShuffle", shuffled, (key, counter, t))
