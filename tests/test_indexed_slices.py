"""IndexedSlices: gather's sparse gradient through tapes (aggregation, higher orders, jacobians) and the
optimizers that take it (sparse SGD scatter, the others densified)."""

import numpy as np

import eagerflow as ef
from gradcheck import check_gradients


def test_gather_gradient_is_sparse_and_densifies_everywhere():
    table = ef.Variable(np.arange(12.0).reshape(4, 3))
    with ef.GradientTape(persistent=True) as tape:
        a = ef.reduce_sum(ef.gather(table, [3, 1, 3]))
        b = ef.reduce_sum(ef.gather(table, [0]) * 2.0)
        loss = a + b
    g = tape.gradient(loss, table)
    assert isinstance(g, ef.IndexedSlices)
    assert sorted(g.indices.numpy().tolist()) == [0, 1, 3, 3]
    np.testing.assert_array_equal(ef.convert_to_tensor(g).numpy(), [[2.0] * 3, [1.0] * 3, [0.0] * 3, [2.0] * 3])
    np.testing.assert_array_equal(ef.multiply(g, 1.0).numpy(), ef.convert_to_tensor(g).numpy())  # ops accept it
    jac = tape.jacobian(a, table)
    np.testing.assert_array_equal(ef.convert_to_tensor(jac).numpy(), [[0.0] * 3, [1.0] * 3, [0.0] * 3, [2.0] * 3])
    # a dense path into the same variable adds to a dense gradient
    with ef.GradientTape() as tape:
        loss = ef.reduce_sum(ef.gather(table, [1])) + ef.reduce_sum(table)
    np.testing.assert_array_equal(ef.convert_to_tensor(tape.gradient(loss, table)).numpy()[1], [2.0] * 3)


def test_gather_gradients_numerically_and_second_order():
    x = np.random.default_rng(0).normal(size=(5, 2))
    check_gradients(lambda t: ef.gather(ef.sin(t), [4, 0, 4, 2]), [x])
    check_gradients(lambda t: ef.gather(t, [[1, 1], [0, 3]]) * ef.gather(t, [2, 2]), [x])
    v = ef.constant(x)
    with ef.GradientTape() as outer:
        outer.watch(v)
        with ef.GradientTape() as inner:
            inner.watch(v)
            y = ef.reduce_sum(ef.gather(v, [1, 1, 3]) ** 3)
        g = ef.convert_to_tensor(inner.gradient(y, v))
        z = ef.reduce_sum(g)
    want = np.zeros_like(x)
    for i in (1, 1, 3):
        want[i] += 6 * x[i]
    np.testing.assert_allclose(outer.gradient(z, v).numpy(), want, rtol=1e-12)


def test_optimizers_apply_sparse_gradients():
    def step(opt, ids):
        table = ef.Variable(np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3))
        with ef.GradientTape() as tape:
            loss = ef.reduce_sum(ef.sin(ef.gather(table, ids)))
        g = tape.gradient(loss, table)
        opt.apply_gradients([(g, table)])
        return table, ef.convert_to_tensor(g)

    table, dense_g = step(ef.optimizers.SGD(0.5), [2, 0, 2])
    start = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)
    np.testing.assert_array_equal(table.numpy()[[1, 3]], start[[1, 3]])  # untouched rows stay bit-equal
    np.testing.assert_allclose(table.numpy(), start - 0.5 * dense_g.numpy(), rtol=1e-6)
    for opt in (ef.optimizers.Adam(0.1), ef.optimizers.SGD(0.1, momentum=0.9), ef.optimizers.Adagrad(0.1),
                ef.optimizers.SGD(0.1, clipnorm=1.0)):
        table, dense_g = step(opt, [1, 1])
        assert np.isfinite(table.numpy()).all() and int(opt.iterations) == 1
