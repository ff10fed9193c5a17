"""TF's CPU orders that a stable NumPy sort does not give: of rows holding NaN, for `sort`, `argsort` and
`top_k`, and of `top_k(sorted=False)`.

TF's top_k kernel compares with `<` (`comp(a, b)` is `x[b] < x[a]`), under which a NaN is neither above nor
below any value, so where NaNs end up is decided by the steps of the algorithm that runs: libstdc++'s
`std::sort` (introsort) when k is the row's length (every sort and argsort), TF's `gtl::TopN` heap for a
smaller k, and Eigen's max reduction for k = 1. Those steps are replayed here, on the host, one row at a time in
Python: rows holding NaN are rare, and only they come here. `top_k(sorted=False)` with 1 < k < n hands out
TopN's heap as it stands after the pushes, so every row of it comes here, as ranks: a NumPy pass first drops
the columns that cannot enter the heap (`heap_candidates`), and many rows are replayed together, one NumPy step
per column (`top_n_heap_ranks`). The other functions return a row's indices.
"""

import math

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold: below it introsort leaves the range to insertion sort


def sort_order(keys):
    """The indices TF's top_k gives when k is the row's length: `std::sort` of 0..n-1 under
    `x[b] < x[a]`, then each run of adjacent equal values put in increasing index order."""
    seq = list(range(len(keys)))

    def comp(a, b):
        return keys[b] < keys[a]

    if len(seq) > 1:
        _introsort_loop(seq, 0, len(seq), 2 * (len(seq).bit_length() - 1), comp)
        _final_insertion_sort(seq, 0, len(seq), comp)
    start = 0
    while start < len(seq):
        end = start + 1
        while end < len(seq) and keys[seq[end]] == keys[seq[start]]:
            end += 1
        if end - start > 1:
            seq[start:end] = sorted(seq[start:end])
        start = end
    return seq


def top_n_order(keys, k):
    """The indices, best first, that TF's `gtl::TopN` heap keeps of the row for 1 < k < n (`Extract`: the heap
    of `top_n_heap`, then `sort_heap`)."""
    heap = top_n_heap(keys, k, range(k + 1, len(keys)))
    end = k
    while end > 1:  # std::sort_heap
        end -= 1
        _pop_heap(heap, 0, end, end, _top_n_comp(keys))
    return heap


def top_n_heap(keys, k, later_columns):
    """The indices TF's `gtl::TopN` holds, in its storage order, after every column of the row is pushed, for
    1 < k < n, under the comparison `x[a] > x[b]`, ties (NaN included) to the lower index: what top_k with
    `sorted=False` hands out. TopN collects the first k + 1 columns unordered, heapifies them and drops the
    worst; each later column better than the worst kept then takes the worst's place as TopN does it:
    `pop_heap` of the k kept, the new one written into the freed last slot, `push_heap`. `later_columns`
    are the columns after the first k + 1 to push, increasing: all of them, or any subset holding every
    column that beats the worst kept when pushed (the others change nothing)."""
    comp = _top_n_comp(keys)
    heap = list(range(k + 1))
    _make_heap(heap, 0, k + 1, comp)
    _pop_heap(heap, 0, k, k, comp)
    heap.pop()
    for c in later_columns:
        if comp(c, heap[0]):
            _pop_heap(heap, 0, k - 1, k - 1, comp)
            _push_heap(heap, 0, k - 1, 0, c, comp)
    return heap


def heap_candidates(rows, k):
    """For a 2-D NumPy array of rows without NaN, a mask of the columns after the first k + 1 that can beat
    the worst of the k kept by `top_n_heap` when pushed. The k kept are the best k of the columns before, so
    a column can enter only if it lies above the k-th largest value of any prefix before it (the lower index
    wins a tie). The prefixes double in length from k + 1: a few `np.partition`s, and a row of random values
    keeps about k * log2(n / k) columns."""
    n = rows.shape[-1]
    mask = np.zeros(rows.shape, dtype=bool)
    start = k + 1
    while start < n:
        stop = min(2 * start, n)
        kth_largest = np.partition(rows[:, :start], start - k, axis=-1)[:, start - k]
        mask[:, start:stop] = rows[:, start:stop] > kth_largest[:, None]
        start = stop
    return mask


def top_n_heap_ranks(ranks, k):
    """`top_n_heap` of every row of a 2-D array of ranks (each row a permutation of 0..n-1, 0 for the best
    column, ties already broken by index), as the (rows, k) ranks TopN holds, in its storage order. Under
    ranks TopN's comparison is `<` and its heap is a max-heap of ranks (the worst kept first). Many rows are
    replayed together, one NumPy step per candidate column (`heap_candidates`) for all rows at once; a few
    rows go one by one through `top_n_heap`, where a NumPy step would cost more than the row's replay."""
    later = heap_candidates(-ranks, k)
    if ranks.shape[0] < _ROWS_REPLAYED_TOGETHER:
        row_of, column = np.nonzero(later)
        columns = np.split(column, np.searchsorted(row_of, np.arange(1, ranks.shape[0])))
        heaps = [top_n_heap([-r for r in row], k, c.tolist()) for row, c in zip(ranks.tolist(), columns)]
        return np.take_along_axis(ranks, np.array(heaps, dtype=np.int64).reshape(-1, k), axis=-1)
    heap = ranks[:, :k + 1].copy()
    every = np.arange(heap.shape[0])
    for parent in range((k - 1) // 2, -1, -1):  # std::make_heap of the first k + 1
        _adjust_heaps(heap, every, np.full(heap.shape[0], parent), k + 1, heap[:, parent].copy())
    last = heap[:, k].copy()  # std::pop_heap, pop_back
    heap[:, k] = heap[:, 0]
    _adjust_heaps(heap, every, np.zeros(heap.shape[0], dtype=np.int64), k, last)
    heap = heap[:, :k]
    # the candidates of each row, in column order, padded with a rank that never enters
    row_of, column = np.nonzero(later)
    first = np.searchsorted(row_of, every)
    nth = np.arange(row_of.size) - first[row_of]
    pending = np.full((heap.shape[0], int(nth.max(initial=-1)) + 1), ranks.shape[1], dtype=ranks.dtype)
    pending[row_of, nth] = ranks[row_of, column]
    for candidate in pending.T:
        rows = np.flatnonzero(candidate < heap[:, 0])
        if rows.size:  # TopN's replacement: pop_heap of the k, the new one into the freed slot, push_heap
            value = candidate[rows]
            last = heap[rows, k - 1]
            heap[rows, k - 1] = heap[rows, 0]
            _adjust_heaps(heap, rows, np.zeros(rows.size, dtype=np.int64), k - 1, last)
            _push_heaps(heap, rows, np.full(rows.size, k - 1), 0, value)
    return heap


_ROWS_REPLAYED_TOGETHER = 128  # measured: fewer rows replay faster one by one


def _adjust_heaps(heap, rows, hole, length, value):
    """libstdc++'s __adjust_heap on heap[rows, :length] at once, from the holes `hole`, under `<`."""
    top = hole.copy()
    child = hole.copy()
    while True:
        down = np.flatnonzero(child < (length - 1) // 2)
        if not down.size:
            break
        r = rows[down]
        second = 2 * (child[down] + 1)
        second -= heap[r, second] < heap[r, second - 1]
        heap[r, hole[down]] = heap[r, second]
        hole[down] = child[down] = second
    if length % 2 == 0:
        tail = np.flatnonzero(child == (length - 2) // 2)
        second = 2 * (child[tail] + 1)
        heap[rows[tail], hole[tail]] = heap[rows[tail], second - 1]
        hole[tail] = second - 1
    _push_heaps(heap, rows, hole, top, value)


def _push_heaps(heap, rows, hole, top, value):
    """libstdc++'s __push_heap on heap[rows] at once: `value` rises from `hole` towards `top` under `<`."""
    while True:
        parent = (hole - 1) // 2
        up = np.flatnonzero((hole > top) & (heap[rows, np.maximum(parent, 0)] < value))
        if not up.size:
            break
        heap[rows[up], hole[up]] = heap[rows[up], parent[up]]
        hole[up] = parent[up]
    heap[rows, hole] = value


def _top_n_comp(keys):
    def comp(a, b):
        if keys[b] < keys[a]:
            return True
        if keys[b] > keys[a]:
            return False
        return a < b

    return comp


def top_1_index(keys, lanes):
    """TF's top_k for k = 1: Eigen's max reduction of the row, then the first index holding that value (0
    when none does). The reduction takes the row's first `lanes * (n // lanes)` values in SIMD lanes of
    `lanes` (AVX: 32 bytes), where a NaN never replaces a lane's maximum, and the rest one by one as
    `std::max(x, acc)`, where a NaN is kept until a later value replaces it; the two maxima are combined
    with `std::max(acc, lane_max)`."""
    vectorized = (len(keys) // lanes) * lanes
    lane_max = max((v for v in keys[:vectorized] if v == v), default=-math.inf)
    acc = -math.inf
    for value in keys[vectorized:]:
        acc = acc if value < acc else value
    if vectorized:
        acc = lane_max if acc < lane_max else acc
    for i, value in enumerate(keys):
        if value == acc:
            return i
    return 0


# libstdc++'s introsort, step for step (bits/stl_algo.h and bits/stl_heap.h), on seq[first:last]

def _introsort_loop(seq, first, last, depth_limit, comp):
    while last - first > _THRESHOLD:
        if depth_limit == 0:  # partial_sort(first, last, last): a heap sort of the range
            _make_heap(seq, first, last, comp)
            end = last
            while end - first > 1:
                end -= 1
                _pop_heap(seq, first, end, end, comp)
            return
        depth_limit -= 1
        cut = _partition_pivot(seq, first, last, comp)
        _introsort_loop(seq, cut, last, depth_limit, comp)
        last = cut


def _partition_pivot(seq, first, last, comp):
    mid = first + (last - first) // 2
    _move_median_to_first(seq, first, first + 1, mid, last - 1, comp)
    pivot, lo, hi = first, first + 1, last
    while True:
        while comp(seq[lo], seq[pivot]):
            lo += 1
        hi -= 1
        while comp(seq[pivot], seq[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        seq[lo], seq[hi] = seq[hi], seq[lo]
        lo += 1


def _move_median_to_first(seq, result, a, b, c, comp):
    va, vb, vc = seq[a], seq[b], seq[c]
    if comp(va, vb):
        pick = b if comp(vb, vc) else (c if comp(va, vc) else a)
    elif comp(va, vc):
        pick = a
    else:
        pick = c if comp(vb, vc) else b
    seq[result], seq[pick] = seq[pick], seq[result]


def _final_insertion_sort(seq, first, last, comp):
    if last - first > _THRESHOLD:
        _insertion_sort(seq, first, first + _THRESHOLD, comp)
        for i in range(first + _THRESHOLD, last):
            _linear_insert(seq, first, i, comp)
    else:
        _insertion_sort(seq, first, last, comp)


def _insertion_sort(seq, first, last, comp):
    for i in range(first + 1, last):
        val = seq[i]
        if comp(val, seq[first]):
            seq[first + 1:i + 1] = seq[first:i]
            seq[first] = val
        else:
            _linear_insert(seq, first, i, comp)


def _linear_insert(seq, first, i, comp):
    # libstdc++'s is unguarded (a smaller element is known to stand before); the bound keeps a replay of
    # comparisons that are no ordering at all from running off the row
    val = seq[i]
    while i > first and comp(val, seq[i - 1]):
        seq[i] = seq[i - 1]
        i -= 1
    seq[i] = val


def _make_heap(seq, first, last, comp):
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(seq, first, parent, length, seq[first + parent], comp)
        if parent == 0:
            return
        parent -= 1


def _adjust_heap(seq, first, hole, length, value, comp):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if comp(seq[first + child], seq[first + child - 1]):
            child -= 1
        seq[first + hole] = seq[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        seq[first + hole] = seq[first + child - 1]
        hole = child - 1
    _push_heap(seq, first, hole, top, value, comp)


def _push_heap(seq, first, hole, top, value, comp):
    parent = (hole - 1) // 2
    while hole > top and comp(seq[first + parent], value):
        seq[first + hole] = seq[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    seq[first + hole] = value


def _pop_heap(seq, first, last, result, comp):
    value = seq[result]
    seq[result] = seq[first]
    _adjust_heap(seq, first, 0, last - first, value, comp)
