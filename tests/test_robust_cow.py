"""Copy-on-write holds for every kind of view: a tensor read from a variable never changes, and
neither tensors nor variables alias memory the caller holds."""

import gc

import numpy as np
import pytest

import eagerflow as ef


class Column:
    """A pandas-style column: `__array__` hands out its own memory (a view, whatever `copy` asks)."""

    def __init__(self, data):
        self._data = np.asarray(data, dtype=np.float32)

    dtype = property(lambda self: self._data.dtype)

    def __array__(self, dtype=None, copy=None):
        return self._data[:]

    def __len__(self):
        return len(self._data)


class OwningColumn(Column):
    """`__array__` returns the column's own (owning) array."""

    def __array__(self, dtype=None, copy=None):
        return self._data


# Every op whose kernel may return a view of its input (NumPy: reshape, transpose, slices, flips, ...).
VIEWS = {
    "read_value": lambda v: v.read_value(),
    "identity": lambda v: ef.identity(v),
    "convert_to_tensor": lambda v: ef.convert_to_tensor(v),
    "reshape": lambda v: ef.reshape(v, [4]),
    "reshape of reshape": lambda v: ef.reshape(ef.reshape(v, [4]), [1, 4]),
    "transpose": lambda v: ef.transpose(v),
    "expand_dims": lambda v: ef.expand_dims(v, 0),
    "squeeze": lambda v: ef.squeeze(ef.expand_dims(v, 0)),
    "broadcast_to": lambda v: ef.broadcast_to(v, [3, 2, 2]),
    "slice": lambda v: v.read_value()[0],
    "strided slice": lambda v: v.read_value()[:, ::-1],
    "reverse": lambda v: ef.reverse(v, [1]),
    "unstack": lambda v: ef.unstack(v)[1],
    "split": lambda v: ef.split(v, 2, axis=1)[0],
    "cast to its own dtype": lambda v: ef.cast(v, ef.float32),
    "stop_gradient": lambda v: ef.stop_gradient(v),
    "dlpack export": lambda v: np.from_dlpack(v.read_value()),
}

UPDATES = {
    "assign": lambda v: v.assign([[9.0, 9.0], [9.0, 9.0]]),
    "assign_add": lambda v: v.assign_add([[10.0, 10.0], [10.0, 10.0]]),
    "assign_sub": lambda v: v.assign_sub([[1.0, 1.0], [1.0, 1.0]]),
    "scatter_nd_update": lambda v: v.scatter_nd_update([[0, 0]], [7.0]),
    "scatter_nd_add": lambda v: v.scatter_nd_add([[1, 1]], [7.0]),
    "scatter_nd_sub": lambda v: v.scatter_nd_sub([[1, 0]], [7.0]),
    "scatter_nd_max": lambda v: v.scatter_nd_max([[1, 0]], [70.0]),
    "scatter_nd_min": lambda v: v.scatter_nd_min([[0, 1]], [-7.0]),
    "scatter_update": lambda v: v.scatter_update(ef.IndexedSlices(ef.constant([[5.0, 6.0]]), ef.constant([1]))),
    "scatter_mul": lambda v: v.scatter_mul(ef.IndexedSlices(ef.constant([[5.0, 6.0]]), ef.constant([0]))),
    "scatter_div": lambda v: v.scatter_div(ef.IndexedSlices(ef.constant([[5.0, 6.0]]), ef.constant([1]))),
    "scatter_max": lambda v: v.scatter_max(ef.IndexedSlices(ef.constant([[50.0, 60.0]]), ef.constant([1]))),
    "batch_scatter_update": lambda v: v.batch_scatter_update(
        ef.IndexedSlices(ef.constant([[5.0], [6.0]]), ef.constant([[1], [0]]))),
    "load": lambda v: v.load([[9.0, 8.0], [7.0, 6.0]]),
    "slice assign": lambda v: v[0].assign([5.0, 6.0]),
    "slice assign_add": lambda v: v[1].assign_add([5.0, 6.0]),
}

SOURCES = {
    "list": lambda: [[1.0, 2.0], [3.0, 4.0]],
    "numpy array": lambda: np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
    "numpy view": lambda: np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 4.0]], np.float32)[:, 1:],
    "transposed numpy": lambda: np.array([[1.0, 3.0], [2.0, 4.0]], np.float32).T,
    "column": lambda: np.asarray(Column([1.0, 2.0, 3.0, 4.0])).reshape(2, 2),
    "tensor": lambda: ef.constant([[1.0, 2.0], [3.0, 4.0]]),
}


def _value(x):
    return np.array(x.numpy() if hasattr(x, "numpy") else x, copy=True)


@pytest.mark.parametrize("update", sorted(UPDATES))
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_view_read_before_an_update_never_changes(view, update):
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    seen = VIEWS[view](v)
    before = _value(seen)
    old = v.numpy()
    UPDATES[update](v)
    assert not np.array_equal(v.numpy(), old), "the update went in"
    np.testing.assert_array_equal(_value(seen), before)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_a_variable_owns_its_buffer_whatever_it_was_made_from(source):
    value = SOURCES[source]()
    v = ef.Variable(value)
    assert v._buf.base is None
    held = [VIEWS[name](v) for name in ("reshape", "transpose", "slice")]
    before = [_value(h) for h in held]
    v.assign_add(ef.ones([2, 2]))
    for h, b in zip(held, before):
        np.testing.assert_array_equal(_value(h), b)
    if isinstance(value, np.ndarray):
        np.testing.assert_array_equal(value, SOURCES[source]())  # the caller's array is untouched


def test_a_pandas_style_column_is_copied_by_constant_and_variable():
    for cls in (Column, OwningColumn):
        col = cls([1.0, 2.0, 3.0, 4.0])
        t = ef.constant(col)
        v = ef.Variable(cls([1.0, 2.0, 3.0, 4.0]))
        r = ef.reshape(v, [2, 2])
        col._data[0] = 100.0
        v.assign_add([10.0, 10.0, 10.0, 10.0])
        assert t.numpy().tolist() == [1.0, 2.0, 3.0, 4.0]
        assert r.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
        assert v.numpy().tolist() == [11.0, 12.0, 13.0, 14.0]


def test_constant_of_a_numpy_array_does_not_alias_it():
    a = np.array([1.0, 2.0], np.float32)
    for t in (ef.constant(a), ef.constant(a.reshape(2, 1)), ef.convert_to_tensor(a[::-1]), ef.constant(a, shape=[2])):
        before = t.numpy().copy()
        a[0] = 50.0
        np.testing.assert_array_equal(t.numpy(), before)
        a[0] = 1.0


def test_updates_stay_in_place_once_every_view_is_gone():
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    views = [f(v) for f in VIEWS.values()]
    v.assign_add(ef.ones([2, 2]))  # copies: the views hold the old buffer
    del views
    gc.collect()
    buf = id(v._buf)
    for _ in range(3):
        v.assign_add(ef.ones([2, 2]))
        v.assign([[1.0, 1.0], [1.0, 1.0]])
    assert id(v._buf) == buf
