"""Gradients: every op against central finite differences (float64), and the tape's semantics."""


import numpy as np
import pytest

import eagerflow as ef
from gradcheck import check_gradients

rng = np.random.default_rng(42)


def r(*shape, lo=-1.0, hi=1.0):
    return rng.uniform(lo, hi, size=shape)


def pos(*shape):
    return rng.uniform(0.5, 2.0, size=shape)


# ----------------------------------------------------------------------------- per-op table

UNARY = [
    ("neg", ef.negative, r(3, 4)),
    ("abs", ef.abs, r(3, 4)),
    ("square", ef.square, r(3, 4)),
    ("sqrt", ef.sqrt, pos(3, 4)),
    ("rsqrt", ef.math.rsqrt, pos(3, 4)),
    ("reciprocal", ef.math.reciprocal, pos(3, 4)),
    ("exp", ef.exp, r(3, 4)),
    ("expm1", ef.math.expm1, r(3, 4)),
    ("log", ef.math.log, pos(3, 4)),
    ("log1p", ef.math.log1p, pos(3, 4)),
    ("sin", ef.sin, r(3, 4)),
    ("cos", ef.cos, r(3, 4)),
    ("tan", ef.tan, r(3, 4)),
    ("tanh", ef.tanh, r(3, 4)),
    ("sigmoid", ef.sigmoid, r(3, 4, lo=-4, hi=4)),
    ("erf", ef.math.erf, r(3, 4)),
    ("relu", ef.nn.relu, r(3, 4)),
    ("relu6", ef.nn.relu6, r(3, 4, lo=-3, hi=9)),
    ("elu", ef.nn.elu, r(3, 4)),
    ("softplus", ef.nn.softplus, r(3, 4, lo=-5, hi=5)),
    ("leaky_relu", ef.nn.leaky_relu, r(3, 4)),
    ("gelu", ef.nn.gelu, r(3, 4)),
    ("silu", ef.nn.silu, r(3, 4)),
    ("l2_loss", ef.nn.l2_loss, r(3, 4)),
    ("softmax", ef.nn.softmax, r(3, 4)),
    ("softmax_axis0", lambda x: ef.nn.softmax(x, axis=0), r(3, 4)),
    ("log_softmax", ef.nn.log_softmax, r(3, 4)),
    ("reduce_sum", lambda x: ef.reduce_sum(x, axis=1), r(3, 4)),
    ("reduce_sum_all", ef.reduce_sum, r(3, 4)),
    ("reduce_sum_keep", lambda x: ef.reduce_sum(x, axis=[0, 2], keepdims=True), r(2, 3, 4)),
    ("reduce_mean", lambda x: ef.reduce_mean(x, axis=-1), r(3, 4)),
    ("reduce_mean_all", ef.reduce_mean, r(3, 4)),
    ("reduce_max", lambda x: ef.reduce_max(x, axis=1), r(3, 4)),
    ("reduce_min", lambda x: ef.reduce_min(x, axis=0), r(3, 4)),
    ("reduce_prod", lambda x: ef.reduce_prod(x, axis=1), r(3, 4)),
    ("reduce_prod_all", ef.reduce_prod, r(2, 3)),
    ("reduce_logsumexp", lambda x: ef.reduce_logsumexp(x, axis=1), r(3, 4)),
    ("reduce_variance", lambda x: ef.math.reduce_variance(x, axis=0), r(3, 4)),
    ("reduce_std", ef.math.reduce_std, r(3, 4)),
    ("cumsum", lambda x: ef.cumsum(x, axis=1), r(3, 4)),
    ("cumsum_excl_rev", lambda x: ef.cumsum(x, axis=0, exclusive=True, reverse=True), r(3, 4)),
    ("reshape", lambda x: ef.reshape(x, [4, 3]), r(3, 4)),
    ("transpose", lambda x: ef.transpose(x, [2, 0, 1]), r(2, 3, 4)),
    ("expand_dims", lambda x: ef.expand_dims(x, 1), r(3, 4)),
    ("squeeze", lambda x: ef.squeeze(x, [1]), r(3, 1, 4)),
    ("tile", lambda x: ef.tile(x, [2, 3]), r(2, 3)),
    ("pad", lambda x: ef.pad(x, [[1, 2], [0, 1]]), r(2, 3)),
    ("pad_reflect", lambda x: ef.pad(x, [[1, 1], [2, 1]], mode="REFLECT"), r(3, 4)),
    ("pad_symmetric", lambda x: ef.pad(x, [[1, 2], [1, 1]], mode="SYMMETRIC"), r(3, 4)),
    ("reverse", lambda x: ef.reverse(x, [1]), r(3, 4)),
    ("broadcast_to", lambda x: ef.broadcast_to(x, [2, 3, 4]), r(3, 1)),
    ("slice", lambda x: x[1:, ::2], r(3, 4)),
    ("slice_int", lambda x: x[1, ..., None], r(3, 4)),
    ("slice_neg_step", lambda x: x[::-1, 1:3], r(3, 4)),
    ("gather", lambda x: ef.gather(x, [2, 0, 2]), r(3, 4)),
    ("gather_axis1", lambda x: ef.gather(x, [[1, 1], [3, 0]], axis=1), r(3, 4)),
    ("gather_batch", lambda x: ef.gather(x, [[1, 1], [0, 2]], axis=1, batch_dims=1), r(2, 3)),
    ("gather_nd", lambda x: ef.gather_nd(x, [[0, 1], [2, 3], [0, 1]]), r(3, 4)),
    ("unstack", lambda x: ef.unstack(x, axis=1)[2], r(3, 4)),
    ("split", lambda x: ef.split(x, [1, 3], axis=1)[1], r(3, 4)),
    ("top_k", lambda x: ef.math.top_k(x, k=2).values, r(3, 4)),
    ("sort", lambda x: ef.sort(x, axis=0, direction="DESCENDING"), r(3, 4)),
    ("identity", ef.identity, r(3)),
    ("clip", lambda x: ef.clip_by_value(x, -0.5, 0.5), r(3, 4)),
    ("norm", ef.linalg.norm, r(3, 4)),
    ("norm_axis", lambda x: ef.linalg.norm(x, axis=1), r(3, 4)),
    ("inv", ef.linalg.inv, r(3, 3) + 3 * np.eye(3)),
    ("inv_adjoint", lambda x: ef.linalg.inv(x, adjoint=True), r(3, 3) + 3 * np.eye(3)),
    ("det", ef.linalg.det, r(2, 3, 3) + 2 * np.eye(3)),
    ("trace", ef.linalg.trace, r(3, 3)),
    ("einsum_trace_like", lambda x: ef.einsum("ij->j", x), r(3, 4)),
    ("pow_const", lambda x: x ** 3.0, r(3, 4)),
]


@pytest.mark.parametrize("name,fn,x", UNARY, ids=[u[0] for u in UNARY])
def test_unary_gradient(name, fn, x):
    check_gradients(fn, [x])


BINARY = [
    ("add", ef.add, r(3, 4), r(3, 4)),
    ("add_bcast", ef.add, r(3, 4), r(4)),
    ("add_bcast_both", ef.add, r(3, 1), r(1, 4)),
    ("sub", ef.subtract, r(2, 3, 4), r(3, 1)),
    ("mul", ef.multiply, r(3, 4), r(4)),
    ("div", ef.divide, r(3, 4), pos(3, 1)),
    ("pow", ef.pow, pos(3, 4), r(4)),
    ("maximum", ef.maximum, r(3, 4), r(4)),
    ("minimum", ef.minimum, r(3, 4), r(3, 4)),
    ("squared_difference", ef.math.squared_difference, r(3, 4), r(4)),
    ("floormod", ef.math.floormod, pos(3, 4) * 3, pos(4)),
    ("matmul", ef.matmul, r(3, 4), r(4, 5)),
    ("matmul_ta", lambda a, b: ef.matmul(a, b, transpose_a=True), r(4, 3), r(4, 5)),
    ("matmul_tb", lambda a, b: ef.matmul(a, b, transpose_b=True), r(3, 4), r(5, 4)),
    ("matmul_tab", lambda a, b: ef.matmul(a, b, transpose_a=True, transpose_b=True), r(4, 3), r(5, 4)),
    ("matmul_adj", lambda a, b: ef.matmul(a, b, adjoint_a=True, adjoint_b=True), r(4, 3), r(5, 4)),
    ("matmul_batch", ef.matmul, r(2, 3, 4), r(2, 4, 5)),
    ("matmul_batch_bcast", ef.matmul, r(2, 1, 3, 4), r(3, 4, 2)),
    ("matmul_batch_2d", ef.matmul, r(2, 3, 4), r(4, 5)),
    ("tensordot_int", lambda a, b: ef.tensordot(a, b, 1), r(3, 4), r(4, 5)),
    ("tensordot_axes", lambda a, b: ef.tensordot(a, b, [[0, 2], [2, 0]]), r(2, 3, 4), r(4, 5, 2)),
    ("einsum_mm", lambda a, b: ef.einsum("ij,jk->ik", a, b), r(3, 4), r(4, 5)),
    ("einsum_batch", lambda a, b: ef.einsum("bij,bjk->bk", a, b), r(2, 3, 4), r(2, 4, 5)),
    ("einsum_implicit", lambda a, b: ef.einsum("ij,jk", a, b), r(3, 4), r(4, 2)),
    ("concat", lambda a, b: ef.concat([a, b, a], axis=1), r(3, 2), r(3, 4)),
    ("stack", lambda a, b: ef.stack([a, b], axis=1), r(3, 4), r(3, 4)),
    ("where", lambda a, b: ef.where(ef.greater(a, 0.0), a, b), r(3, 4), r(4)),
    ("bias_add", ef.nn.bias_add, r(3, 4), r(4)),
    ("add_n", lambda a, b: ef.add_n([a, b, a]), r(3, 4), r(3, 4)),
    ("clip_bounds", lambda a, b: ef.clip_by_value(a, b, 0.5), r(3, 4), r(3, 4) * 0.3 - 0.3),
    ("softmax_xent", lambda lg, lb: ef.nn.softmax_cross_entropy_with_logits(ef.nn.softmax(lb), lg), r(3, 5), r(3, 5)),
]


@pytest.mark.parametrize("name,fn,x,y", BINARY, ids=[b[0] for b in BINARY])
def test_binary_gradient(name, fn, x, y):
    check_gradients(fn, [x, y])


def test_sparse_softmax_xent():
    labels = ef.constant([0, 3, 1], dtype=ef.int64)
    check_gradients(lambda lg: ef.nn.sparse_softmax_cross_entropy_with_logits(labels, lg), [r(3, 4) * 3])


def test_cast_between_floats():
    # float32 rounding inside: a coarse step keeps the finite differences meaningful
    check_gradients(lambda x: ef.cast(ef.cast(x, ef.float32) * 2.0, ef.float64), [r(3)], eps=1e-2, atol=1e-4)


def test_max_ties_share_gradient():
    x = ef.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.reduce_max(x, axis=1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def test_reduce_prod_with_zero():
    check_gradients(lambda x: ef.reduce_prod(x, axis=1), [np.array([[0.0, 2.0, 3.0], [1.0, 0.0, 0.0]])])


# ----------------------------------------------------------------------------- tape semantics

def test_trainable_false_variable_has_no_gradient():
    # the guide's example
    step_counter = ef.Variable(1, trainable=False)
    a = ef.Variable(2.0)
    frozen = ef.Variable(3.0, trainable=False)
    with ef.GradientTape() as tape:
        y = a * frozen
    ga, gf = tape.gradient(y, [a, frozen])
    assert float(ga) == 3.0 and gf is None
    assert tape.watched_variables() == (a,)
    assert step_counter.trainable is False


def test_watch_accessed_variables_false():
    a = ef.Variable(2.0)
    b = ef.Variable(5.0)
    with ef.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(b)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert ga is None and float(gb) == 2.0


def test_constants_only_when_watched():
    x = ef.constant(3.0)
    with ef.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0


def test_non_persistent_used_twice():
    x = ef.constant(3.0)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="A non-persistent GradientTape can only be used to compute one set"):
        tape.gradient(y, x)


def test_persistent():
    x = ef.constant(3.0)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(z, x)) == 108.0
    assert float(tape.gradient(y, x)) == 6.0
    del tape


def test_nested_second_derivative():
    x = ef.constant(2.0)
    with ef.GradientTape() as outer:
        outer.watch(x)
        with ef.GradientTape() as inner:
            inner.watch(x)
            y = x ** 3
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    assert float(dy) == 12.0 and float(d2y) == 12.0


def test_nested_second_derivative_through_nn_ops():
    x = ef.constant([0.3, -0.2, 0.5], dtype=ef.float64)
    with ef.GradientTape() as outer:
        outer.watch(x)
        with ef.GradientTape() as inner:
            inner.watch(x)
            y = ef.reduce_sum(ef.tanh(x) * ef.sigmoid(x))
        dy = inner.gradient(y, x)
    h = outer.jacobian(dy, x).numpy()
    xs = x.numpy()

    def grad(v):
        t, s = np.tanh(v), 1 / (1 + np.exp(-v))
        return (1 - t ** 2) * s + t * s * (1 - s)
    eps = 1e-6
    numeric = np.stack([(grad(xs + eps * e) - grad(xs - eps * e)) / (2 * eps) for e in np.eye(3)], axis=1)
    np.testing.assert_allclose(h, numeric, rtol=1e-6, atol=1e-8)


def test_unconnected_gradients():
    x, z = ef.constant(1.0), ef.constant([1.0, 2.0])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * 2.0
    assert tape.gradient(y, z) is None
    g = tape.gradient(y, z, unconnected_gradients=ef.UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0])
    g = tape.gradient(y, z, unconnected_gradients="zero")
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0])


def test_integer_watch_logs_and_integer_source_and_target_get_none(caplog):
    x = ef.constant(3)
    f = ef.constant(2.0)
    with ef.GradientTape(persistent=True) as tape:
        with caplog.at_level("WARNING", logger="eagerflow"):
            tape.watch([x, f])
        y = x * x
        yf = f * 3.0
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("eagerflow", "WARNING", "The dtype of the watched tensor must be floating (e.g. ef.float32), got ef.int32")]
    assert tape.gradient(yf, x) is None   # as TF: no warning here (TF logs it at vlog level)
    assert tape.gradient(y, f) is None


def test_unwatched_constant_gets_none_beside_watched_variables():
    a, k = ef.Variable(2.0), ef.constant(5.0)
    with ef.GradientTape(persistent=True) as tape:
        y = a * k
        z = y * 2.0
    assert tape.gradient(z, k) is None
    assert float(tape.gradient(z, y)) == 2.0   # an intermediate computed from a watched value is a source
    assert float(tape.gradient(z, a)) == 10.0
    assert float(tape.gradient(z, k, unconnected_gradients="zero")) == 0.0


def test_gradient_through_read_before_assign():
    v = ef.Variable([1.0, 2.0])
    with ef.GradientTape() as tape:
        y = ef.reduce_sum(v * v)
        v.assign([10.0, 20.0])  # not differentiable; the tape keeps the values that were read
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(v.numpy(), [10.0, 20.0])


def test_variable_used_twice_sums():
    v = ef.Variable(3.0)
    with ef.GradientTape() as tape:
        y = v * v + v
    assert float(tape.gradient(y, v)) == 7.0


def test_nested_sources_structure():
    a, b, c = ef.Variable(1.0), ef.Variable(2.0), ef.Variable(3.0)
    with ef.GradientTape() as tape:
        y = a * b * c
    g = tape.gradient(y, {"x": [a, (b,)], "c": c})
    assert float(g["x"][0]) == 6.0 and float(g["x"][1][0]) == 3.0 and float(g["c"]) == 2.0
    assert isinstance(g["x"][1], tuple)


def test_output_gradients_and_multiple_targets():
    x = ef.constant([1.0, 2.0])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y1, y2 = x * 2.0, x * x
    g = tape.gradient([y1, y2], x, output_gradients=[ef.constant([1.0, 0.0]), ef.constant([0.0, 1.0])])
    np.testing.assert_array_equal(g.numpy(), [2.0, 4.0])


def test_stop_recording_and_stop_gradient():
    x = ef.constant(2.0)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = ef.stop_gradient(x * x) + x
    assert tape.gradient(y, x) is None
    assert float(tape.gradient(z, x)) == 1.0


def test_reset():
    x = ef.constant(2.0)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        tape.reset()
        tape.watch(x)
        z = x * 3.0
    assert float(tape.gradient(z, x)) == 3.0
    del y
    with pytest.raises(ValueError, match="Tape is not recording"):   # as TF: only inside the block
        tape.reset()


def test_unconnected_batch_jacobian_is_zeros_as_tf():
    x, z = ef.constant([[1.0, 2.0], [3.0, 4.0]]), ef.constant([[1.0], [2.0]])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * 3.0
    np.testing.assert_array_equal(tape.batch_jacobian(y, z).numpy(), np.zeros((2, 2, 1), np.float32))
    assert tape.jacobian(y, z) is None


def test_non_differentiable_ops_give_none():
    x = ef.constant([1.5, -2.5])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = ef.floor(x)
        s = ef.sign(x)
        i = ef.cast(x, ef.int32)
        m = ef.cast(ef.argmax(x), ef.float32)
    assert tape.gradient(a, x) is None
    np.testing.assert_array_equal(tape.gradient(s, x).numpy(), [0.0, 0.0])
    assert tape.gradient(i, x) is None
    assert tape.gradient(m, x) is None


def test_jacobian_against_numpy():
    a = rng.uniform(-1, 1, size=(3, 2))
    x = ef.constant(rng.uniform(-1, 1, size=(2,)))
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.tanh(ef.linalg.matvec(a, x)) if hasattr(ef.linalg, "matvec") else ef.tanh(
            ef.reshape(ef.matmul(ef.constant(a), ef.reshape(x, [2, 1])), [3]))
    j = tape.jacobian(y, x).numpy()
    expected = (1 - np.tanh(a @ x.numpy()) ** 2)[:, None] * a
    np.testing.assert_allclose(j, expected, rtol=1e-10)


def test_jacobian_shapes_and_unconnected():
    x = ef.constant(r(2, 3))
    z = ef.constant(r(4))
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * 2.0
    jx, jz = tape.jacobian(y, [x, z])
    assert jx.shape == (2, 3, 2, 3) and jz is None
    np.testing.assert_allclose(jx.numpy().reshape(6, 6), 2 * np.eye(6))
    jz = tape.jacobian(y, z, unconnected_gradients=ef.UnconnectedGradients.ZERO)
    assert jz.shape == (2, 3, 4) and not jz.numpy().any()


def test_batch_jacobian_against_numpy():
    w = rng.uniform(-1, 1, size=(3, 4))
    x = ef.constant(r(5, 3))
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.sigmoid(ef.matmul(x, ef.constant(w)))
    bj = tape.batch_jacobian(y, x).numpy()
    s = 1 / (1 + np.exp(-(x.numpy() @ w)))
    expected = (s * (1 - s))[:, :, None] * w.T[None]
    assert bj.shape == (5, 4, 3)
    np.testing.assert_allclose(bj, expected, rtol=1e-10)


def test_custom_gradient():
    @ef.custom_gradient
    def log1pexp(x):
        e = ef.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return ef.math.log1p(e), grad

    x = ef.constant(100.0)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0


def test_custom_gradient_clip_and_variables():
    @ef.custom_gradient
    def clip_grad(x):
        def grad(dy):
            return ef.clip_by_value(dy, -0.1, 0.1)
        return ef.identity(x), grad

    w = ef.Variable(2.0)

    @ef.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            return dy * w, [dy * x * 10.0]  # a deliberately scaled variable gradient
        return x * w, grad

    x = ef.constant(3.0)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = clip_grad(x * 5.0)
        z = scale(x)
    assert abs(float(tape.gradient(y, x)) - 0.5) < 1e-6
    with ef.GradientTape() as tape:
        tape.watch(x)
        z = scale(x)
    gx, gw = tape.gradient(z, [x, w])
    assert float(gx) == 2.0 and float(gw) == 30.0


def test_no_gradient_defined_raises(monkeypatch):
    from eagerflow.autodiff.gradients import GRADIENTS
    monkeypatch.delitem(GRADIENTS, "Cumsum")
    x = ef.constant([3.0, 1.0])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.reduce_sum(ef.cumsum(x))
    with pytest.raises(LookupError, match="No gradient defined for operation 'Cumsum'"):
        tape.gradient(y, x)


def test_mlp_training_step_decreases_loss():
    xs = ef.constant(r(16, 8).astype(np.float32))
    labels = ef.constant(rng.integers(0, 3, size=16), dtype=ef.int64)
    w1 = ef.Variable(r(8, 16).astype(np.float32))
    b1 = ef.Variable(np.zeros(16, np.float32))
    w2 = ef.Variable(r(16, 3).astype(np.float32))
    losses = []
    for _ in range(20):
        with ef.GradientTape() as tape:
            h = ef.nn.relu(ef.nn.bias_add(ef.matmul(xs, w1), b1))
            loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels, ef.matmul(h, w2)))
        grads = tape.gradient(loss, [w1, b1, w2])
        for v, g in zip([w1, b1, w2], grads):
            v.assign_sub(0.5 * g)
        losses.append(float(loss))
    assert losses[-1] < 0.7 * losses[0]


def test_variable_slice_gradient():
    v = ef.Variable([1.0, 2.0, 3.0])
    with ef.GradientTape() as tape:
        y = ef.reduce_sum(v[1:] * 2.0) + v[0] * 5.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [5.0, 2.0, 2.0])


def test_cumprod_gradient():
    from eagerflow.framework.execute import execute
    check_gradients(lambda x: execute("Cumprod", (x,), {"axis": 1, "exclusive": False, "reverse": True}),
                    [pos(2, 4)])


def test_real_imag_gradient():
    z = ef.constant([1 + 2j, 3 - 1j])
    with ef.GradientTape() as tape:
        tape.watch(z)
        y = ef.math.real(z) * 2.0 + ef.math.imag(z) * 3.0
    np.testing.assert_array_equal(tape.gradient(y, z).numpy(), [2 + 3j, 2 + 3j])


def test_persistent_gradient_inside_context_logs_and_records(caplog):
    from eagerflow.autodiff import tape as tape_module
    tape_module._IN_CONTEXT_WARNED.clear()   # TF logs it once per process
    x = ef.constant(2.0)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x ** 3
        with caplog.at_level("WARNING", logger="eagerflow"):
            dy = tape.gradient(y, x)
    assert "inside its context is significantly less efficient" in caplog.text
    assert float(tape.gradient(dy, x)) == 12.0


def test_watch_rejects_non_tensors():
    with ef.GradientTape() as tape:
        with pytest.raises(ValueError, match="not ef.Tensor or ef.Variable"):
            tape.watch("x")


def test_tape_sees_only_its_thread():
    import threading
    v = ef.Variable(2.0)
    seen = []

    def other():
        seen.append(v * 3.0)
    with ef.GradientTape() as tape:
        th = threading.Thread(target=other)
        th.start()
        th.join()
    assert tape.gradient(seen[0], v) is None


def test_einsum_ellipsis_gradient_not_implemented():
    x = ef.constant(r(2, 3))
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.einsum("...i->...", x)
    with pytest.raises(NotImplementedError, match="ellipsis"):
        tape.gradient(y, x)


def test_pow_gradient_at_nonpositive_base():
    x, p = ef.constant([-2.0, 0.0, 2.0]), ef.constant([2.0, 2.0, 2.0])
    with ef.GradientTape() as tape:
        tape.watch([x, p])
        y = x ** p
    gx, gp = tape.gradient(y, [x, p])
    np.testing.assert_allclose(gx.numpy(), [-4.0, 0.0, 4.0])
    np.testing.assert_allclose(gp.numpy(), [0.0, 0.0, 4.0 * np.log(2.0)])


# ----------------------------------------------------------------------------- properties

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    def _broadcast_pair():
        def build(dims):
            shape = tuple(dims)
            return st.tuples(st.just(shape), st.lists(st.booleans(), min_size=len(shape), max_size=len(shape)),
                             st.integers(0, len(shape)))
        return st.lists(st.integers(1, 4), min_size=0, max_size=3).flatmap(build)

    @settings(max_examples=25, deadline=None)
    @given(_broadcast_pair(), st.sampled_from(["add", "sub", "mul", "div", "max", "sqdiff"]), st.integers(0, 10 ** 6))
    def test_property_broadcasting_binary(pair, which, seed):
        shape, ones, drop = pair
        other = tuple(1 if o else d for d, o in zip(shape, ones))[drop:]
        g = np.random.default_rng(seed)
        x, y = g.uniform(-1, 1, size=shape), g.uniform(0.5, 1.5, size=other)
        fn = {"add": ef.add, "sub": ef.subtract, "mul": ef.multiply, "div": ef.divide, "max": ef.maximum,
              "sqdiff": ef.math.squared_difference}[which]
        check_gradients(fn, [x, y])

    @settings(max_examples=20, deadline=None)
    @given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.data())
    def test_property_reductions(shape, data):
        ndim = len(shape)
        axis = data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1)))
        keep = data.draw(st.booleans())
        op = data.draw(st.sampled_from([ef.reduce_sum, ef.reduce_mean, ef.reduce_max, ef.reduce_prod]))
        x = np.random.default_rng(len(shape)).uniform(0.5, 1.5, size=shape)
        check_gradients(lambda t: op(t, axis=axis, keepdims=keep), [x])

    @settings(max_examples=15, deadline=None)
    @given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.booleans(), st.booleans())
    def test_property_batched_matmul(batch, m, k, n, ta, tb):
        g = np.random.default_rng(batch * 100 + m * 10 + k)
        a = g.uniform(-1, 1, size=(batch, k, m) if ta else (batch, m, k))
        b = g.uniform(-1, 1, size=(n, k) if tb else (k, n))
        check_gradients(lambda p, q: ef.matmul(p, q, transpose_a=ta, transpose_b=tb), [a, b])


def test_output_gradients_of_another_dtype_are_invalid_argument():
    x = ef.constant([1.0, 2.0])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 3.0
    # as TF: the seed keeps its own dtype (a NumPy float64 array is float64), and the gradient's ops refuse it
    for seed in (ef.constant([1.0, 2.0], dtype=ef.float64), np.array([1.0, 2.0])):
        with pytest.raises(ef.errors.InvalidArgumentError, match="expected to be a double tensor but is a float"):
            tape.gradient(y, x, output_gradients=seed)
    np.testing.assert_array_equal(tape.gradient(y, x, output_gradients=np.array([1.0, 2.0], np.float32)).numpy(),
                                  [3.0, 6.0])
