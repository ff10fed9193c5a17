"""Candidate samplers (`ef.random.*_candidate_sampler`, also in `ef.nn`) for sampled losses, as TF's.

Each returns (sampled_candidates int64 [num_sampled], true_expected_count float32 like true_classes,
sampled_expected_count float32 [num_sampled]). The expected count of class k is
num_sampled * P(k) when sampling with replacement; with `unique=True` the sampler draws until it has
num_sampled distinct classes, and the count is the probability that k was drawn in those tries,
1 - (1 - P(k)) ** tries, as TF's. Draws are seeded as the other random ops (`ef.random.set_seed`).
"""

import collections
import math

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, host_event, is_tensor_like, place_new
from eagerflow.ops import random_ops

__all__ = ["uniform_candidate_sampler", "log_uniform_candidate_sampler", "fixed_unigram_candidate_sampler",
           "all_candidate_sampler"]


_FIELDS = ["sampled_candidates", "true_expected_count", "sampled_expected_count"]
UniformCandidateSampler = collections.namedtuple("UniformCandidateSampler", _FIELDS)
LogUniformCandidateSampler = collections.namedtuple("LogUniformCandidateSampler", _FIELDS)
FixedUnigramCandidateSampler = collections.namedtuple("FixedUnigramCandidateSampler", _FIELDS)
AllCandidateSampler = collections.namedtuple("AllCandidateSampler", _FIELDS)


def _true_classes(true_classes, num_true):
    t = convert_to_tensor(true_classes) if is_tensor_like(true_classes) else convert_to_tensor(true_classes,
                                                                                                _dtypes.int64)
    if t.dtype is not _dtypes.int64:
        raise errors.InvalidArgumentError(None, "CandidateSampler", f"true_classes must be int64, got {t.dtype.name}")
    if t.ndim != 2 or t.shape[1] != int(num_true):
        raise errors.InvalidArgumentError(None, "CandidateSampler", f"true_classes must be a matrix (batch, num_true="
                                                                    f"{num_true}), got shape {t.shape}")
    return t


def _sample(op, probs, draw, num_sampled, unique, range_max, true, seed):
    """The three outputs as a host event: a traced function samples anew on every call."""
    return host_event(op, lambda t: _draw(probs, draw, num_sampled, unique, range_max, np.asarray(t.numpy()), seed),
                      (true,))


def _draw(probs, draw, num_sampled, unique, range_max, true, seed):
    """Run `draw(rng, n)` (n class ids) until num_sampled (distinct, if `unique`) are taken; the three outputs."""
    num_sampled, range_max = int(num_sampled), int(range_max)
    if unique and num_sampled > range_max:
        raise errors.InvalidArgumentError(None, "CandidateSampler", f"Sampler's range ({range_max}) is too small to "
                                                                    f"hold {num_sampled} unique samples")
    rng = random_ops._op_rng(seed)
    if unique:
        taken, seen, tries = [], set(), 0
        while len(taken) < num_sampled:
            batch = draw(rng, max(2 * (num_sampled - len(taken)), 16))
            for v in batch.tolist():
                tries += 1
                if v not in seen:
                    seen.add(v)
                    taken.append(v)
                    if len(taken) == num_sampled:
                        break
        sampled = np.array(taken, dtype=np.int64)
    else:
        sampled, tries = draw(rng, num_sampled).astype(np.int64), num_sampled

    def expected(k):
        p = probs(k)
        if tries == num_sampled and not unique:
            return p * num_sampled
        with np.errstate(divide="ignore"):
            return -np.expm1(tries * np.log1p(-p))
    return (place_new(sampled, _dtypes.int64), place_new(expected(true).astype(np.float32), _dtypes.float32),
            place_new(expected(sampled).astype(np.float32), _dtypes.float32))


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Classes drawn uniformly from [0, range_max).

    >>> s, t, e = ef.random.uniform_candidate_sampler([[1]], 1, 4, True, 10, seed=1)
    >>> s.shape, [round(float(v), 6) for v in e.numpy()][:1] == [round(float(t.numpy()[0, 0]), 6)]
    (TensorShape([4]), True)
    """
    true = _true_classes(true_classes, num_true)
    n = int(range_max)
    return UniformCandidateSampler(*_sample("UniformCandidateSampler", lambda k: np.full(np.shape(k), 1.0 / n),
                                            lambda rng, m: rng.integers(0, n, size=m), num_sampled, unique, n, true,
                                            seed))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """Classes drawn from Zipf's law, P(k) = (log(k + 2) - log(k + 1)) / log(range_max + 1): small ids are common.

    >>> s, t, e = ef.random.log_uniform_candidate_sampler([[0]], 1, 3, False, 100, seed=3)
    >>> round(float(t[0, 0]), 5)   # 3 * log(2) / log(101)
    0.45057
    """
    true = _true_classes(true_classes, num_true)
    n = int(range_max)
    log_range = math.log(n + 1)

    def probs(k):
        k = np.asarray(k, dtype=np.float64)
        return (np.log(k + 2) - np.log(k + 1)) / log_range

    def draw(rng, m):
        return (np.exp(rng.random(m) * log_range).astype(np.int64) - 1) % n
    return LogUniformCandidateSampler(*_sample("LogUniformCandidateSampler", probs, draw, num_sampled, unique, n, true,
                                               seed))


def _unigram_weights(vocab_file, unigrams, range_max, distortion, num_reserved_ids, num_shards, shard):
    if vocab_file:
        with open(vocab_file, encoding="utf-8") as f:
            counts = [float(line.rsplit(",", 1)[-1]) for line in f if line.strip()]
    else:
        counts = [float(u) for u in unigrams]
    weights = np.concatenate([np.zeros(int(num_reserved_ids)), np.asarray(counts, dtype=np.float64) ** distortion])
    if weights.size != int(range_max):
        raise errors.InvalidArgumentError(None, "FixedUnigramCandidateSampler", f"range_max ({range_max}) must equal "
                                          f"num_reserved_ids + the number of unigrams ({weights.size})")
    if int(num_shards) > 1:
        weights = np.where(np.arange(weights.size) % int(num_shards) == int(shard), weights, 0.0)
    total = weights.sum()
    if total <= 0:
        raise errors.InvalidArgumentError(None, "FixedUnigramCandidateSampler", "the unigram weights sum to zero")
    return weights / total


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file="",
                                    distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(),
                                    seed=None, name=None):
    """Classes drawn with probabilities proportional to unigrams ** distortion (from `unigrams` or the last
    comma-separated field of each line of `vocab_file`), ids below num_reserved_ids never drawn.

    >>> s, t, e = ef.random.fixed_unigram_candidate_sampler([[0]], 1, 2, False, 3, unigrams=[0, 1, 1], seed=1)
    >>> sorted(set(s.numpy().tolist()) - {1, 2}), float(t[0, 0])
    ([], 0.0)
    """
    true = _true_classes(true_classes, num_true)
    p = _unigram_weights(vocab_file, unigrams, range_max, float(distortion), num_reserved_ids, num_shards, shard)
    return FixedUnigramCandidateSampler(*_sample("FixedUnigramCandidateSampler",
                                                 lambda k: p[np.asarray(k, dtype=np.int64)],
                                                 lambda rng, m: rng.choice(p.size, size=m, p=p), num_sampled, unique,
                                                 int(range_max), true, seed))


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """Every class in [0, num_sampled): the candidates of an exact (unsampled) loss, expected counts all 1.

    >>> ef.random.all_candidate_sampler([[2]], 1, 3, True)[0].numpy()
    array([0, 1, 2])
    """
    true = _true_classes(true_classes, num_true)
    n = int(num_sampled)
    return AllCandidateSampler(place_new(np.arange(n, dtype=np.int64), _dtypes.int64),
                               place_new(np.ones(true.shape.as_list(), np.float32), _dtypes.float32),
                               place_new(np.ones(n, np.float32), _dtypes.float32))
