"""The replays of TF's sort steps (backends/nan_order.py) against NumPy: on rows without NaN, where the
comparison is a strict ordering, each algorithm must give the one order every correct sort gives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eagerflow.backends import nan_order

rows = st.lists(st.integers(-4, 4).map(float), min_size=1, max_size=80)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_sort_order_is_the_stable_descending_order(row):
    expected = np.argsort(-np.array(row), kind="stable").tolist()
    assert nan_order.sort_order(row) == expected


@settings(max_examples=200, deadline=None)
@given(rows, st.integers(2, 80))
def test_top_n_order_is_the_first_k_of_the_stable_descending_order(row, k):
    k = min(k, len(row) - 1)
    if k < 2:
        return
    expected = np.argsort(-np.array(row), kind="stable")[:k].tolist()
    assert nan_order.top_n_order(row, k) == expected


@settings(max_examples=200, deadline=None)
@given(rows, st.integers(2, 80))
def test_top_n_heap_over_the_candidates_is_the_heap_over_every_column(row, k):
    # heap_candidates may drop only columns that change nothing; the heap holds the best k, worst first
    k = min(k, len(row) - 1)
    if k < 2:
        return
    mask = nan_order.heap_candidates(np.array([row]), k)[0]
    heap = nan_order.top_n_heap(row, k, np.flatnonzero(mask).tolist())
    assert heap == nan_order.top_n_heap(row, k, range(k + 1, len(row)))
    best = np.argsort(-np.array(row), kind="stable")[:k].tolist()
    assert sorted(heap) == sorted(best) and heap[0] == best[-1]


@settings(max_examples=200, deadline=None)
@given(rows, st.sampled_from([4, 8, 16]))
def test_top_1_index_is_the_first_maximum(row, lanes):
    assert nan_order.top_1_index(row, lanes) == int(np.argmax(row))


def test_depth_limit_reaches_the_heap_sort():
    # an organ-pipe row drives median-of-three partitioning into its worst case, so introsort's depth
    # limit runs out and the heap sort finishes the range; the order must still be the sorted one
    row = [float(v) for v in list(range(0, 200, 2)) + list(range(199, 0, -2))]
    assert nan_order.sort_order(row) == np.argsort(-np.array(row), kind="stable").tolist()


@pytest.mark.parametrize("n, k", [(3, 2), (40, 2), (40, 7), (41, 39), (200, 16)])
def test_top_n_heap_ranks_replays_many_rows_as_each_row_alone(n, k):
    rng = np.random.default_rng(n * k)
    values = rng.integers(0, 6, (160, n))  # ties, broken by index in the ranks
    values[:40].sort(axis=-1)  # ascending rows: every column enters the heap
    ranks = np.empty_like(values)
    np.put_along_axis(ranks, np.argsort(-values, axis=-1, kind="stable"), np.arange(n), axis=-1)
    alone = np.take_along_axis(ranks, np.array([nan_order.top_n_heap(row, k, range(k + 1, n))
                                                for row in (-ranks).tolist()]), axis=-1)
    assert nan_order.top_n_heap_ranks(ranks, k).tolist() == alone.tolist()  # replayed together
    assert nan_order.top_n_heap_ranks(ranks[:3], k).tolist() == alone[:3].tolist()  # one by one
