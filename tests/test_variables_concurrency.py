"""Variables under threads: no lost update, and a read is a snapshot (never torn, never changing afterwards)."""

import threading

import numpy as np
import pytest

import eagerflow as ef

N = 200_000  # big enough that NumPy lets go of the GIL inside the kernels


def _run(*targets):
    threads = [threading.Thread(target=t) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_mixed_updates_from_8_threads_add_up_exactly():
    v = ef.Variable(np.zeros(4, np.int64))
    one = ef.constant(np.ones(4, np.int64))
    rounds = 2000

    def adder():
        for _ in range(rounds):
            v.assign_add(one)

    def subber():
        for _ in range(rounds):
            v.assign_sub([1, 1, 1, 1])

    def scatterer():
        for i in range(rounds):
            v.scatter_nd_add([[i % 4], [(i + 1) % 4]], [2, 2])

    _run(adder, adder, adder, subber, scatterer, scatterer, adder, subber)
    # 4 adders and 2 subbers: +2 per round on each element; 2 scatterers: 2 threads x 2 elements x 2 per round,
    # spread evenly over the 4 elements: +2 per round on each
    np.testing.assert_array_equal(v.numpy(), [4 * rounds] * 4)


@pytest.mark.parametrize("kind", ["assign", "assign_add", "scatter_nd_add", "slice_assign"])
def test_reads_racing_writes_are_snapshots(kind):
    v = ef.Variable(np.zeros(N))
    full = [ef.constant(np.full(N, float(k))) for k in range(1, 4)]
    ones = ef.constant(np.ones(N))
    all_rows = np.arange(N).reshape(-1, 1)
    started, done = threading.Event(), threading.Event()

    def write():
        started.wait(10)
        for i in range(40):
            if kind == "assign":
                v.assign(full[i % 3])
            elif kind == "assign_add":
                v.assign_add(ones)
            elif kind == "scatter_nd_add":
                v.scatter_nd_add(all_rows, ones)
            else:
                v[:].assign(full[i % 3])
        done.set()

    snapshots, torn_copies = [], []

    def read():
        while not done.is_set():
            t = v.read_value() if len(snapshots) % 2 else ef.convert_to_tensor(v)
            snapshots.append((t, t.numpy()))
            a = v.numpy()
            if a.min() != a.max():
                torn_copies.append(a)
            started.set()

    _run(write, read, read)
    assert snapshots and not torn_copies, "v.numpy() copied a half-written buffer"
    for t, taken in snapshots:
        assert taken.min() == taken.max(), "a read saw a half-written buffer"
        np.testing.assert_array_equal(t.numpy(), taken, err_msg="a read changed after it was taken")
        if kind in ("assign_add", "scatter_nd_add"):
            assert taken[0] == int(taken[0]) and 0 <= taken[0] <= 40
        else:
            assert taken[0] in (0.0, 1.0, 2.0, 3.0)


def test_assign_of_a_new_shape_racing_assign_add_never_broadcasts():
    v = ef.Variable(np.zeros(3), shape=ef.TensorShape(None))
    row = ef.constant(np.ones(3))
    errors_seen = []

    def reshape():
        for i in range(300):
            v.assign(np.zeros((2, 3)) if i % 2 else np.zeros(3))

    def add():
        for _ in range(300):
            try:
                v.assign_add(row)
            except ef.errors.InvalidArgumentError as e:
                errors_seen.append(e)

    _run(reshape, add)
    v.assign(np.zeros(3))
    v.assign_add(row)
    np.testing.assert_array_equal(v.numpy(), [1, 1, 1])
    for e in errors_seen:  # a stale check names both shapes; nothing was broadcast into the (2, 3) value
        assert "another thread" in str(e) or "shapes must be equal" in str(e)
