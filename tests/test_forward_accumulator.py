"""ef.autodiff.ForwardAccumulator against finite differences (float64) across the gradient table's ops, with
the nestings the TF-recorded case (api_forward_accumulator.py) shows on small values."""

import threading

import numpy as np
import pytest

import eagerflow as ef

RNG = np.random.default_rng(7)
X = RNG.uniform(0.5, 1.5, (3, 4))
U = RNG.uniform(-1, 1, (3, 4))
M = RNG.uniform(-1, 1, (4, 2))

FUNCTIONS = {
    "polynomial": lambda x: x * x * x - 2.0 * x,
    "exp_log": lambda x: ef.exp(x) + ef.math.log(x),
    "tanh_sigmoid": lambda x: ef.tanh(x) * ef.sigmoid(x),
    "matmul": lambda x: ef.matmul(x, ef.constant(M)),
    "reductions": lambda x: ef.reduce_sum(x, axis=1) + ef.reduce_max(x, axis=0)[:3] + ef.reduce_mean(x),
    "softmax": lambda x: ef.nn.softmax(x),
    "logsumexp": lambda x: ef.reduce_logsumexp(x, axis=0),
    "reshape_transpose": lambda x: ef.transpose(ef.reshape(x, [2, 6])) * 3.0,
    "gather": lambda x: ef.gather(x, [2, 0, 2], axis=0),
    "slicing_concat": lambda x: ef.concat([x[:, 1:], x[:, :1] ** 2], axis=1),
    "division_pow": lambda x: x / (1.0 + x) + x ** 1.5,
    "where_relu": lambda x: ef.where(x > 1.0, ef.nn.relu(x - 0.7), ef.sqrt(x)),
    "cumsum": lambda x: ef.math.cumsum(x, axis=1),
    "inv": lambda x: ef.linalg.inv(ef.matmul(x[:, :3], x[:, :3], transpose_b=True) + ef.eye(3, dtype=ef.float64)),
    "segment_sum": lambda x: ef.math.unsorted_segment_sum(x, [1, 0, 1], 2),
}


def finite_difference(f, x, u, h=1e-6):
    return (f(ef.constant(x + h * u)).numpy() - f(ef.constant(x - h * u)).numpy()) / (2 * h)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_jvp_matches_finite_differences(name):
    f = FUNCTIONS[name]
    x = ef.constant(X)
    with ef.autodiff.ForwardAccumulator(x, ef.constant(U)) as acc:
        y = f(x)
    jvp = acc.jvp(y)
    assert jvp.dtype == ef.float64 and jvp.shape == y.shape
    np.testing.assert_allclose(jvp.numpy(), finite_difference(f, X, U), rtol=1e-6, atol=1e-7)


def test_hessian_vector_products_agree_both_ways():
    def f(x):
        return ef.reduce_sum(ef.exp(x) * ef.reverse(x, [1]) ** 2)

    x = ef.constant(X)

    def grad(at):
        xt = ef.constant(at)
        with ef.GradientTape() as tape:
            tape.watch(xt)
            y = f(xt)
        return tape.gradient(y, xt).numpy()

    want = (grad(X + 1e-6 * U) - grad(X - 1e-6 * U)) / 2e-6
    with ef.autodiff.ForwardAccumulator(x, ef.constant(U)) as acc:   # forward over reverse
        with ef.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        g = tape.gradient(y, x)
    np.testing.assert_allclose(acc.jvp(g).numpy(), want, rtol=1e-5, atol=1e-6)
    with ef.GradientTape() as tape:                                  # reverse over forward
        tape.watch(x)
        with ef.autodiff.ForwardAccumulator(x, ef.constant(U)) as acc:
            y = f(x)
        jvp = acc.jvp(y)
    np.testing.assert_allclose(tape.gradient(jvp, x).numpy(), want, rtol=1e-5, atol=1e-6)


def test_three_nested_accumulators_give_the_third_derivative():
    x = ef.constant(0.7, ef.float64)
    with ef.autodiff.ForwardAccumulator(x, ef.constant(1.0, ef.float64)) as a1:
        with ef.autodiff.ForwardAccumulator(x, ef.constant(1.0, ef.float64)) as a2:
            with ef.autodiff.ForwardAccumulator(x, ef.constant(1.0, ef.float64)) as a3:
                y = ef.sin(x) * x
            d1 = a3.jvp(y)
        d2 = a2.jvp(d1)
    d3 = a1.jvp(d2)
    v = 0.7
    assert np.isclose(float(d1), np.cos(v) * v + np.sin(v))
    assert np.isclose(float(d2), -np.sin(v) * v + 2 * np.cos(v))
    assert np.isclose(float(d3), -np.cos(v) * v - 3 * np.sin(v))


def test_an_accumulator_sees_only_its_own_thread():
    x = ef.constant([1.0, 2.0])
    seen = []
    with ef.autodiff.ForwardAccumulator(x, ef.constant([1.0, 1.0])) as acc:
        t = threading.Thread(target=lambda: seen.append(x * 2.0))
        t.start()
        t.join()
        mine = x * 2.0
    assert acc.jvp(seen[0]) is None and acc.jvp(mine).numpy().tolist() == [2.0, 2.0]


def test_variables_carry_their_tangent_through_updates_and_reads():
    v = ef.Variable([1.0, 2.0])
    with ef.autodiff.ForwardAccumulator(v, ef.constant([1.0, 0.0])) as acc:
        a = v * v
        v.assign([5.0, 5.0])
        b = v.read_value() * 3.0
    assert acc.jvp(a).numpy().tolist() == [2.0, 0.0]
    assert acc.jvp(b).numpy().tolist() == [3.0, 0.0]


def test_errors_change_nothing():
    x = ef.constant([1.0, 2.0])
    acc = ef.autodiff.ForwardAccumulator(x, ef.constant([1.0, 1.0]))
    with acc:
        with pytest.raises(ValueError, match="already recording"):
            acc.__enter__()
        y = x * 2.0
    assert acc.jvp(y).numpy().tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match="specified as a primal multiple times"):
        ef.autodiff.ForwardAccumulator([x, x], [x, x])
    with pytest.raises(ValueError, match="requested dtype float32"):
        ef.autodiff.ForwardAccumulator(x, ef.constant([1, 2]))
    with pytest.raises(TypeError, match="primal must be an ef.Tensor"):
        ef.autodiff.ForwardAccumulator([1.0], [1.0])
    with pytest.raises(AttributeError, match="got 3.0 of type 'float'"):
        acc.jvp(3.0)
