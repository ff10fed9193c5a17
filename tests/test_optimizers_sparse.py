"""Optimizers applying an IndexedSlices gradient with Keras 3's rules (optimizers/sparse_rules.py); NumPy is the
oracle, TF's own numbers are in tests/conformance/cases/optimizers_sparse_updates.py."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.optimizers import sparse_rules as sr

IDS = np.array([2, 0, 2])
VALUES = np.array([[0.5, -1.0], [2.0, 0.25], [-1.5, 3.0]], np.float32)


def slices():
    return ef.IndexedSlices(ef.constant(VALUES), ef.constant(IDS), ef.constant([4, 2]))


def dense(values=VALUES, ids=IDS, rows=4):
    out = np.zeros((rows,) + values.shape[1:], np.float32)
    np.add.at(out, ids, values)
    return out


def test_unary_ops_act_on_each_repeated_row():
    s = sr.square(slices())
    assert isinstance(s, ef.IndexedSlices)
    np.testing.assert_array_equal(s.values.numpy(), VALUES ** 2)
    # densified: the sum of the squares, not the square of the sum
    np.testing.assert_array_equal(ef.convert_to_tensor(s).numpy(), dense(VALUES ** 2))
    assert not np.array_equal(dense(VALUES ** 2), dense() ** 2)


def test_add_beside_a_tensor_densifies_and_two_slices_take_the_union():
    m = np.arange(8, dtype=np.float32).reshape(4, 2)
    out = sr.subtract(slices(), ef.constant(m))
    assert isinstance(out, ef.Tensor)
    np.testing.assert_array_equal(out.numpy(), dense() - m)
    a = ef.IndexedSlices(ef.constant([[1.0, 2.0]]), ef.constant([3]), ef.constant([4, 2]))
    b = ef.IndexedSlices(ef.constant([[10.0, 20.0], [30.0, 40.0]]), ef.constant([0, 3]), ef.constant([4, 2]))
    u = sr.add(a, b)
    np.testing.assert_array_equal(u.indices.numpy(), [0, 3])
    np.testing.assert_array_equal(u.values.numpy(), [[10.0, 20.0], [31.0, 42.0]])
    same = sr.add(a, a)  # the same indices: the rows combine as they are
    assert same.indices is a.indices
    np.testing.assert_array_equal(same.values.numpy(), [[2.0, 4.0]])


def test_multiply_gathers_the_dense_operand_per_repeated_row():
    m = np.arange(1, 9, dtype=np.float32).reshape(4, 2)
    out = sr.multiply(ef.constant(m), slices())
    np.testing.assert_array_equal(out.indices.numpy(), IDS)
    np.testing.assert_array_equal(out.values.numpy(), m[IDS] * VALUES)
    np.testing.assert_array_equal(sr.multiply(slices(), 3.0).values.numpy(), VALUES * np.float32(3.0))
    a = ef.IndexedSlices(ef.constant([[1.0], [2.0]]), ef.constant([0, 2]), ef.constant([3, 1]))
    b = ef.IndexedSlices(ef.constant([[5.0], [7.0]]), ef.constant([2, 1]), ef.constant([3, 1]))
    both = sr.multiply(a, b)
    np.testing.assert_array_equal(both.indices.numpy(), [2])
    np.testing.assert_array_equal(both.values.numpy(), [[10.0]])


def test_divide_adds_the_rows_where_the_divisor_is_zero_or_nan():
    g = ef.IndexedSlices(ef.constant([[1.0], [2.0]]), ef.constant([0, 2]), ef.constant([4, 1]))
    d = np.array([[4.0], [0.0], [8.0], [np.nan]], np.float32)
    q = sr.divide(g, ef.constant(d))
    np.testing.assert_array_equal(q.indices.numpy(), [0, 1, 2, 3])
    with np.errstate(invalid="ignore"):
        want = np.array([[1.0], [0.0], [2.0], [0.0]], np.float32) / d
    np.testing.assert_array_equal(q.values.numpy(), want)  # 0/0 and 0/NaN are NaN, as dense division gives
    plain = sr.divide(g, ef.constant([[4.0], [1.0], [8.0], [1.0]]))
    np.testing.assert_array_equal(plain.indices.numpy(), [0, 2])
    np.testing.assert_array_equal(plain.values.numpy(), [[0.25], [0.25]])
    assert isinstance(sr.divide(ef.constant([[1.0]] * 4), g), ef.Tensor)  # over a slices: dense


def test_divide_with_repeated_rows_and_a_zero_divisor_follows_keras():
    # Keras keeps the values as they are when the union has as many rows as the slices (the repeated index
    # hides the added row), so the rows shift onto the union's indices; values recorded from Keras 3.15 on TF
    q = sr.divide(slices(), ef.constant([[1.0, 1.0], [0.0, 1.0], [1.0, 1.0], [1.0, 1.0]]))
    assert q.indices.numpy().tolist() == [0, 1, 2]
    assert q.values.numpy().tolist() == [[0.5, -1.0], [np.inf, 0.25], [-1.5, 3.0]]
    q = sr.divide(slices(), ef.constant([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [0.0, 1.0]]))
    assert q.indices.numpy().tolist() == [0, 2, 3]
    assert q.values.numpy().tolist() == [[0.5, -1.0], [2.0, 0.25], [-np.inf, 3.0]]


def test_adagrad_scatters_into_the_rows_it_is_given():
    table = ef.Variable(np.ones((4, 2), np.float32))
    opt = ef.keras.optimizers.Adagrad(0.1)
    opt.apply_gradients([(slices(), table)])
    acc = opt.variables[2].numpy()
    # each repeated row's square added in turn to the initial 0.1
    want_acc = np.full((4, 2), np.float32(0.1))
    for i, row in zip(IDS, VALUES):
        want_acc[i] += row * row
    np.testing.assert_array_equal(acc, want_acc)
    want = np.ones((4, 2), np.float32)
    for i, row in zip(IDS, VALUES):  # each row over the root of its row of the accumulator, in turn
        want[i] -= (np.float32(0.1) * row) / np.sqrt(want_acc[i] + np.float32(1e-7))
    np.testing.assert_array_equal(table.numpy(), want)
    assert (table.numpy()[[1, 3]] == 1.0).all() and (acc[[1, 3]] == np.float32(0.1)).all()


def test_adam_velocity_sums_the_squares_of_repeated_rows():
    table = ef.Variable(np.ones((4, 2), np.float32))
    opt = ef.keras.optimizers.Adam(0.1)
    opt.apply_gradients([(slices(), table)])
    m, v = (x.numpy() for x in opt.variables[2:4])
    np.testing.assert_array_equal(m, dense() * np.float32(1 - 0.9))
    np.testing.assert_array_equal(v, dense(VALUES ** 2) * np.float32(1 - 0.999))


def test_clip_by_norm_of_slices_uses_its_values_and_stays_sparse():
    c = ef.clip_by_norm(slices(), 1.0)
    assert isinstance(c, ef.IndexedSlices)
    norm = np.sqrt((VALUES.astype(np.float64) ** 2).sum())
    np.testing.assert_allclose(c.values.numpy(), VALUES / norm, rtol=1e-6)
    table = ef.Variable(np.ones((4, 2), np.float32))
    ef.keras.optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(slices(), table)])
    np.testing.assert_allclose(table.numpy(), np.ones((4, 2)) - dense(VALUES / norm).astype(np.float64), rtol=1e-6)


def test_loss_scale_factor_refuses_slices_as_keras_and_changes_nothing():
    table = ef.Variable(np.ones((4, 2), np.float32))
    opt = ef.keras.optimizers.SGD(0.1, loss_scale_factor=2.0)
    with pytest.raises(TypeError, match="loss_scale_factor"):
        opt.apply_gradients([(slices(), table)])
    np.testing.assert_array_equal(table.numpy(), np.ones((4, 2)))
    opt.apply_gradients([(ef.convert_to_tensor(slices()), table)])  # the way out
    np.testing.assert_allclose(table.numpy(), 1.0 - 0.1 * dense() / 2.0, rtol=1e-6)


def test_adafactor_names_its_slots_after_the_variable_and_refuses_a_slash():
    opt = ef.keras.optimizers.Adafactor(0.1)
    opt.apply_gradients([(ef.ones((2, 3)), ef.Variable(ef.ones((2, 3)), name="table"))])
    assert [v.path for v in opt.variables][2:4] == [f"{opt.name}/table:0"] * 2
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        ef.keras.optimizers.Adafactor(0.1).apply_gradients(
            [(ef.ones((2, 3)), ef.Variable(ef.ones((2, 3)), name="outer/table"))])
