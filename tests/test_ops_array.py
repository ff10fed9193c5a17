"""Array ops against NumPy: reshaping, joining, splitting, gathering, padding, sorting."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import eagerflow as ef
from eagerflow import errors
from conftest import assert_matches, check_op

X = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


# ----------------------------------------------------------------------------- shape changes


@pytest.mark.parametrize("shape", [[24], [4, 6], [-1, 2], [2, -1, 3], [1, 24, 1], ef.constant([6, 4])])
def test_reshape(shape):
    want_shape = np.asarray(shape).tolist()
    assert_matches(ef.reshape(X, shape), X.reshape(want_shape))


def test_reshape_errors_and_variables():
    with pytest.raises(errors.InvalidArgumentError, match="6 values"):
        ef.reshape(ef.range(6), [4, 2])
    with pytest.raises(errors.InvalidArgumentError):
        ef.reshape(ef.range(6), [4, -1])
    with pytest.raises(errors.InvalidArgumentError):
        ef.reshape([1, 2, 3], [-1, -1])
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    r = ef.reshape(v, [1, 4])
    assert isinstance(r, ef.Tensor) and r.shape == [1, 4] and v.shape == [2, 2]


@pytest.mark.parametrize("perm", [None, [0, 2, 1], [2, 0, 1], (1, 0, 2)])
def test_transpose(perm):
    assert_matches(ef.transpose(X, perm), np.transpose(X, perm))


def test_transpose_conjugate_and_errors():
    c = np.array([[1 + 2j, 3]], np.complex128)
    assert_matches(ef.transpose(c, conjugate=True), c.conj().T)
    with pytest.raises(errors.InvalidArgumentError):
        ef.transpose([[1, 2]], perm=[0, 0])


@pytest.mark.parametrize("axis", [None, 0, 2, -1, [0, 2]])
def test_squeeze(axis):
    x = np.zeros([1, 2, 1], np.float32)
    assert_matches(ef.squeeze(x, axis=axis), np.squeeze(x, axis=tuple(axis) if isinstance(axis, list) else axis))


def test_squeeze_non_unit_axis_is_error():
    with pytest.raises(errors.InvalidArgumentError):
        ef.squeeze(ef.zeros([1, 2, 1]), axis=1)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_expand_dims(axis):
    x = np.array([[1, 2]], np.int32)
    assert_matches(ef.expand_dims(x, axis), np.expand_dims(x, axis))


def test_expand_dims_out_of_range():
    with pytest.raises(errors.InvalidArgumentError):
        ef.expand_dims([1, 2], 3)


def test_broadcast_to():
    assert_matches(ef.broadcast_to([1, 2], [3, 2]), np.broadcast_to(np.array([1, 2], np.int32), (3, 2)))
    assert_matches(ef.broadcast_to(ef.constant(1.5), [2]), np.array([1.5, 1.5], np.float32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.broadcast_to([1, 2], [2, 3])


def test_shape_size_rank():
    t = ef.zeros([2, 3])
    assert_matches(ef.shape(t), np.array([2, 3], np.int32))
    assert_matches(ef.shape([[1, 2]], out_type=ef.int64), np.array([1, 2], np.int64))
    assert_matches(ef.size(t), np.int32(6))
    assert_matches(ef.size([[1, 2]], out_type=ef.int64), np.int64(2))
    assert_matches(ef.rank(t), np.int32(2))
    assert_matches(ef.rank(1.0), np.int32(0))
    assert_matches(ef.shape(ef.Variable([1, 2, 3])), np.array([3], np.int32))


# ----------------------------------------------------------------------------- joining and splitting


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_concat(axis):
    other = X + 100
    assert_matches(ef.concat([X, other], axis), np.concatenate([X, other], axis))
    assert_matches(ef.concat([X, other, X], axis), np.concatenate([X, other, X], axis))


def test_concat_mixed_and_errors():
    assert_matches(ef.concat([[1, 2], [3]], 0), np.array([1, 2, 3], np.int32))
    assert_matches(ef.concat([ef.Variable([1.0]), [2.0]], 0), np.array([1, 2], np.float32))
    assert_matches(ef.concat([[1]], 0), np.array([1], np.int32))
    with pytest.raises(TypeError):
        ef.concat([[1, 2], [3.0]], 0)
    with pytest.raises(errors.InvalidArgumentError):
        ef.concat([ef.constant([1]), ef.constant([1.0])], 0)
    with pytest.raises(errors.InvalidArgumentError):
        ef.concat([[1, 2], [[3]]], 0)


@pytest.mark.parametrize("axis", [0, 1, -1, 3])
def test_stack(axis):
    assert_matches(ef.stack([X, X + 1], axis=axis), np.stack([X, X + 1], axis=axis))


def test_stack_errors_and_unstack():
    assert_matches(ef.stack([1, 2]), np.array([1, 2], np.int32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.stack([[1, 2], [3]])
    parts = ef.unstack(ef.constant([[1, 2], [3, 4]]), axis=1)
    assert len(parts) == 2
    assert_matches(parts[0], np.array([1, 3], np.int32))
    assert_matches(parts[1], np.array([2, 4], np.int32))
    assert len(ef.unstack(X)) == 2 and len(ef.unstack(X, axis=-1)) == 4
    assert ef.unstack(ef.zeros([2, 0])) [0].shape == [0]
    with pytest.raises(ValueError):
        ef.unstack(ef.constant(1))


def test_split():
    parts = ef.split(ef.range(6), 3)
    assert [p.numpy().tolist() for p in parts] == [[0, 1], [2, 3], [4, 5]]
    parts = ef.split(ef.range(6), [1, -1, 2])
    assert [p.numpy().tolist() for p in parts] == [[0], [1, 2, 3], [4, 5]]
    parts = ef.split(ef.constant([[1, 2, 3, 4]]), 2, axis=1)
    assert_matches(parts[1], np.array([[3, 4]], np.int32))
    with pytest.raises(errors.InvalidArgumentError, match="evenly divide"):
        ef.split(ef.range(6), 4)
    with pytest.raises(errors.InvalidArgumentError):
        ef.split(ef.range(6), [1, 2])


def test_tile():
    assert_matches(ef.tile([[1, 2]], [2, 2]), np.tile(np.array([[1, 2]], np.int32), [2, 2]))
    assert_matches(ef.tile([1, 2], [0]), np.zeros(0, np.int32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.tile([1, 2], [2, 2])


def test_pad():
    x = np.array([[1, 2]], np.int32)
    assert_matches(ef.pad(x, [[1, 0], [0, 1]]), np.pad(x, [[1, 0], [0, 1]]))
    assert_matches(ef.pad(x, [[1, 0], [0, 1]], constant_values=9), np.pad(x, [[1, 0], [0, 1]], constant_values=9))
    assert_matches(ef.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="REFLECT"), np.array([[3, 2, 1, 2, 3, 2, 1]], np.int32))
    assert_matches(ef.pad([1, 2], [[1, 1]], mode="SYMMETRIC"), np.array([1, 1, 2, 2], np.int32))
    assert_matches(ef.pad([1.0, 2.0], [[1, 1]], constant_values=1), np.array([1, 1, 2, 1], np.float32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.pad([1, 2], [[1, 1], [1, 1]])


def test_reverse():
    x = np.array([[1, 2], [3, 4]], np.int32)
    assert_matches(ef.reverse(x, [1]), x[:, ::-1])
    assert_matches(ef.reverse(x, [0, 1]), x[::-1, ::-1])
    assert_matches(ef.reverse(x, [-1]), x[:, ::-1])


# ----------------------------------------------------------------------------- gathering and selecting


def test_gather():
    assert_matches(ef.gather([1, 2, 3], [2, 0]), np.array([3, 1], np.int32))
    assert_matches(ef.gather([[1, 2], [3, 4]], [1], axis=1), np.array([[2], [4]], np.int32))
    assert_matches(ef.gather([[1, 2], [3, 4]], [1], axis=-1), np.array([[2], [4]], np.int32))
    assert_matches(ef.gather([[1, 2], [3, 4]], [[0], [1]]), np.array([[[1, 2]], [[3, 4]]], np.int32))
    assert_matches(ef.gather([[1, 2], [3, 4]], [[1], [0]], batch_dims=1), np.array([[2], [3]], np.int32))
    check_op(lambda p: ef.gather(p, [2, 0, 2], axis=1), lambda p: np.take(p, [2, 0, 2], axis=1), [(2, 3, 4)],
             dtypes=("float32", "int64", "bool"))


@pytest.mark.parametrize("indices", [[3], [-1], [0, 5]])
def test_gather_out_of_range(indices):
    with pytest.raises(errors.InvalidArgumentError, match=r"not in \[0, 3\)"):
        ef.gather([1, 2, 3], indices)


def test_gather_float_indices():
    with pytest.raises((TypeError, errors.InvalidArgumentError)):
        ef.gather([1, 2], [0.0])


def test_gather_nd():
    p = np.array([[1, 2], [3, 4]], np.int32)
    assert_matches(ef.gather_nd(p, [[1, 0], [0, 1]]), np.array([3, 2], np.int32))
    assert_matches(ef.gather_nd(p, [[1]]), np.array([[3, 4]], np.int32))
    assert_matches(ef.gather_nd(p, [1]), np.array([3, 4], np.int32))
    assert_matches(ef.gather_nd([[[1, 2]], [[3, 4]]], [[1, 0]]), np.array([[3, 4]], np.int32))
    with pytest.raises(errors.InvalidArgumentError):
        ef.gather_nd(p, [[2, 0]])


def test_where():
    assert_matches(ef.where([True, False], [1, 2], [3, 4]), np.array([1, 4], np.int32))
    assert_matches(ef.where([[True, False]], 1, 0), np.array([[1, 0]], np.int32))
    assert_matches(ef.where([True, False, True]), np.array([[0], [2]], np.int64))
    assert_matches(ef.where([[True, False], [False, True]]), np.array([[0, 0], [1, 1]], np.int64))
    assert_matches(ef.where(ef.zeros([0], ef.bool)), np.zeros((0, 1), np.int64))
    with pytest.raises(TypeError):
        ef.where([True, False], [1, 2], [3.0, 4.0])
    with pytest.raises(TypeError):
        ef.where([1, 0], [1, 2], [3, 4])
    with pytest.raises(ValueError):
        ef.where([True, False], [1, 2])


def test_boolean_mask():
    assert_matches(ef.boolean_mask([1, 2, 3], [True, False, True]), np.array([1, 3], np.int32))
    assert_matches(ef.boolean_mask([[1, 2], [3, 4]], [False, True]), np.array([[3, 4]], np.int32))
    assert_matches(ef.boolean_mask([[1, 2], [3, 4]], [[True, False], [False, True]]), np.array([1, 4], np.int32))
    assert_matches(ef.boolean_mask([[1, 2], [3, 4]], [True, False], axis=1), np.array([[1], [3]], np.int32))
    with pytest.raises(ValueError):
        ef.boolean_mask([1, 2, 3], [True, False])


def test_one_hot():
    assert_matches(ef.one_hot([0, 2, -1, 5], 3), np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], np.float32))
    assert_matches(ef.one_hot([0, 2], 3, on_value=5, off_value=-1), np.array([[5, -1, -1], [-1, -1, 5]], np.int32))
    assert_matches(ef.one_hot([0, 2], 3, axis=0), np.array([[1, 0], [0, 0], [0, 1]], np.float32))
    assert_matches(ef.one_hot([1], 3, dtype=ef.int64), np.array([[0, 1, 0]], np.int64))
    assert_matches(ef.one_hot([[0, 1]], 2), np.array([[[1, 0], [0, 1]]], np.float32))
    with pytest.raises((TypeError, errors.InvalidArgumentError)):
        ef.one_hot([0.0], 2)


# ----------------------------------------------------------------------------- sorting


def test_sort_argsort():
    x = np.array([[3, 1, 2], [0, 5, 5]], np.int32)
    assert_matches(ef.sort(x), np.sort(x))
    assert_matches(ef.sort(x, axis=0), np.sort(x, axis=0))
    assert_matches(ef.sort(x, direction="DESCENDING"), -np.sort(-x))
    assert_matches(ef.argsort([3, 1, 3, 2]), np.array([1, 3, 0, 2], np.int32))
    assert_matches(ef.argsort([3, 1, 3, 2], direction="DESCENDING"), np.array([0, 2, 3, 1], np.int32))
    check_op(ef.sort, np.sort, [(4, 6)], dtypes=("float32", "float64", "int8", "uint16"))
    with pytest.raises(ValueError):
        ef.sort([1, 2], direction="UP")


def test_top_k():
    values, indices = ef.math.top_k(ef.constant([1, 3, 3, 2]), k=2)
    assert_matches(values, np.array([3, 3], np.int32))
    assert_matches(indices, np.array([1, 2], np.int32))
    out = ef.math.top_k([[1.0, 5.0, 3.0]], k=2)
    assert_matches(out.values, np.array([[5, 3]], np.float32))
    assert_matches(out.indices, np.array([[1, 2]], np.int32))
    with pytest.raises(errors.InvalidArgumentError, match="at least k"):
        ef.math.top_k([1.0, 5.0], k=3)


def test_top_k_index_type():
    # as TF: index_type is the dtype of the indices (it was ignored: always int32)
    out = ef.math.top_k([1.0, 5.0, 3.0], k=2, index_type=ef.int64)
    assert_matches(out.values, np.array([5, 3], np.float32))
    assert_matches(out.indices, np.array([1, 2], np.int64))


# ----------------------------------------------------------------------------- property tests


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(st.sampled_from([np.float32, np.int32, np.uint8, np.bool_]),
                    hnp.array_shapes(min_dims=1, max_dims=4, max_side=4)),
       data=st.data())
def test_property_transpose_reverse_reshape(x, data):
    perm = data.draw(st.permutations(range(x.ndim)))
    assert_matches(ef.transpose(x, perm), np.transpose(x, perm))
    axis = data.draw(st.integers(0, x.ndim - 1))
    assert_matches(ef.reverse(x, [axis]), np.flip(x, axis))
    assert_matches(ef.reshape(x, [-1]), x.reshape(-1))
    assert_matches(ef.expand_dims(x, axis), np.expand_dims(x, axis))


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.floats(-1e6, 1e6)),
       data=st.data())
def test_property_concat_stack_gather(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    assert_matches(ef.concat([x, x * 2], axis), np.concatenate([x, x * 2], axis))
    assert_matches(ef.stack([x, x], axis), np.stack([x, x], axis))
    n = x.shape[axis]
    idx = data.draw(st.lists(st.integers(0, n - 1), max_size=6)) if n else []
    assert_matches(ef.gather(x, np.array(idx, np.int32), axis=axis), np.take(x, np.array(idx, np.intp), axis=axis))


@settings(max_examples=30, deadline=None)
@given(x=hnp.arrays(np.int32, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5), elements=st.integers(-9, 9)))
def test_property_getitem_matches_numpy(x):
    t = ef.constant(x)
    for key in [(slice(None), 0), (-1,), (slice(None, None, -1), slice(1, None)), (Ellipsis, None, -1)]:
        assert_matches(t[key], x[key])
