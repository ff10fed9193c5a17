"""map(fn).batch(n) over from_tensor_slices runs fn once per batch when that provably gives the same bits
(eagerflow/data/dataset.py, _vectorized_map); otherwise fn runs per element, as before."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.data import dataset as data_module

X = np.random.default_rng(0).standard_normal((301, 7)).astype(np.float32)
Y = np.arange(301, dtype=np.int32)


def _pipeline(fn, **batch):
    ef.random.set_seed(7)  # the same shuffle order for every pipeline built here
    try:
        return ef.data.Dataset.from_tensor_slices((X, Y)).shuffle(301, seed=3).map(fn).batch(64, **batch)
    finally:
        ef.random.set_seed(None)


def _per_element(fn, ds_batches):
    out = []
    for xb, yb in ds_batches:
        rows = [fn(ef.constant(x), ef.constant(y)) for x, y in zip(xb.numpy(), yb.numpy())]
        out.append(tuple(np.stack([r[k].numpy() for r in rows]) for k in range(2)))
    return out


ELEMENTWISE = [
    lambda x, y: ((x - 0.5) / 0.25, y),
    lambda x, y: (ef.maximum(x * 3.0, 0.0) + ef.sqrt(ef.abs(x)), y + 1),
    lambda x, y: (ef.cast(x > 0, ef.float32), ef.cast(y, ef.float64) * 2.0),
]


@pytest.mark.parametrize("fn", ELEMENTWISE)
@pytest.mark.parametrize("drop", [False, True])
def test_an_elementwise_map_runs_once_per_batch_with_the_same_bits(fn, drop):
    assert type(_pipeline(fn, drop_remainder=drop)._iterator()) is data_module._VectorizedMapBatchIt
    ds = _pipeline(fn, drop_remainder=drop)  # a fresh one: each iteration of a dataset reshuffles
    ef.random.set_seed(7)
    try:
        plain = ef.data.Dataset.from_tensor_slices((X, Y)).shuffle(301, seed=3).batch(64, drop_remainder=drop)
    finally:
        ef.random.set_seed(None)
    got = [(a.numpy(), b.numpy()) for a, b in ds]
    want = _per_element(fn, plain)
    assert len(got) == len(want) == (4 if drop else 5)
    for (ga, gb), (wa, wb) in zip(got, want):
        assert ga.dtype == wa.dtype and gb.dtype == wb.dtype
        np.testing.assert_array_equal(ga, wa)
        np.testing.assert_array_equal(gb, wb)


@pytest.mark.parametrize("fn", [
    lambda x, y: (x / ef.reduce_max(x), y),                        # a reduction over the element
    lambda x, y: (ef.exp(x), y),                                   # not exactly rounded: may differ by an ulp
    lambda x, y: (x + ef.constant(np.ones(7, np.float32)), y),     # a constant that is not a scalar
    lambda x, y: (x + ef.random.uniform([7]), y),                  # random numbers per element
    lambda x, y: (x * float(y), y),                                # reads a value into Python
    lambda x, y: (x + ef.cast(y, ef.float32), y),                  # broadcasts a scalar element across a row
    lambda x, y: (x, ef.constant(1)),                              # an output made inside fn
])
def test_anything_else_stays_per_element(fn):
    assert type(_pipeline(fn)._iterator()) is data_module._BatchIt


def test_a_checkpointed_iterator_resumes_at_the_same_batch(tmp_path):
    ds = _pipeline(ELEMENTWISE[0])
    it = iter(ds)
    next(it)
    path = ef.train.Checkpoint(iterator=it).write(str(tmp_path / "ck"))
    want = next(it)[0].numpy()
    again = iter(ds)
    ef.train.Checkpoint(iterator=again).read(path)
    np.testing.assert_array_equal(next(again)[0].numpy(), want)
