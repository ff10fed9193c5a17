"""Control flow, TensorArray and the debugging checks: gradients through them (finite differences) and the
behaviour TF-recorded cases cannot show (threads, recording, numerics checking)."""

import threading

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from gradcheck import check_gradients

RNG = np.random.default_rng(2)


def test_gradients_through_loops_and_maps():
    x = RNG.normal(size=(4, 3))
    check_gradients(lambda t: ef.map_fn(lambda r: ef.sin(r) * r, t), [x])
    check_gradients(lambda t: ef.scan(lambda a, r: a * 0.5 + r * r, t), [x])
    check_gradients(lambda t: ef.foldl(lambda a, r: a * r, t), [x])
    check_gradients(lambda t: ef.foldr(lambda a, r: a + ef.exp(r), t, initializer=ef.zeros([3], ef.float64)), [x])
    check_gradients(lambda t: ef.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * t[0] + t[1]),
                                            (0, ef.ones([3], ef.float64)))[1], [x])
    check_gradients(lambda t: ef.vectorized_map(lambda r: ef.reduce_sum(r * r), t), [x])
    check_gradients(lambda t: ef.cond(ef.reduce_sum(t) > 100, lambda: t * 2.0, lambda: t * t), [x])
    check_gradients(lambda t: ef.switch_case(ef.constant(1), [lambda: t, lambda: ef.tanh(t)]), [x])
    check_gradients(lambda t: ef.py_function(lambda a: a * a, [t], ef.float64), [x])

    def through_tensor_array(t):
        ta = ef.TensorArray(ef.float64, size=0, dynamic_size=True)
        for i in range(4):
            ta = ta.write(i, t[i] * float(i + 1))
        return ta.stack() + ta.gather([3, 0, 1, 2]) + ef.reshape(ta.concat(), [4, 3])
    check_gradients(through_tensor_array, [x])

    def through_unstack(t):
        ta = ef.TensorArray(ef.float64, size=4, clear_after_read=False).unstack(t * t)
        return ta.read(2) + ta.read(2)
    check_gradients(through_unstack, [x])


def test_numpy_function_has_no_gradient():
    x = ef.constant([1.0, 2.0])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.numpy_function(lambda a: a * 2, [x], ef.float32)
    assert tape.gradient(y, x) is None


def test_grad_pass_through_and_recompute_grad():
    x = ef.constant([0.4, 1.6])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.grad_pass_through(ef.round)(x * 3.0)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, 3.0])
    np.testing.assert_allclose(y.numpy(), [1.0, 5.0])
    w = ef.Variable([2.0, 3.0])
    f = ef.recompute_grad(lambda t: ef.sin(t) * w)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.reduce_sum(f(x))
    gx, gw = tape.gradient(y, [x, w])
    np.testing.assert_allclose(gx.numpy(), np.cos([0.4, 1.6]) * [2.0, 3.0], rtol=1e-6)
    np.testing.assert_allclose(gw.numpy(), np.sin([0.4, 1.6]), rtol=1e-6)


def test_init_scope_stops_recording():
    x = ef.constant(2.0)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with ef.init_scope():
            lifted = x * 3.0
        kept = x * 3.0
    assert tape.gradient(lifted, x) is None
    assert float(tape.gradient(kept, x)) == 3.0


def test_check_numerics_everywhere_is_thread_local_and_switchable():
    ef.debugging.enable_check_numerics()
    try:
        assert float(ef.math.log(ef.constant(2.0))) > 0
        with pytest.raises(errors.InvalidArgumentError, match=r'(?s)op "Log".*Tensor had Inf values'):
            ef.math.log(ef.constant([1.0, 0.0]))
        with pytest.raises(errors.InvalidArgumentError, match="NaN"):
            ef.constant([1.0]) * np.nan
        ef.constant([1, 2]) // 1  # integers are not checked
        seen = []
        thread = threading.Thread(target=lambda: seen.append(ef.math.log(ef.constant(0.0)).numpy()))
        thread.start()
        thread.join()
        assert seen == [-np.inf]  # another thread is not checked
    finally:
        ef.debugging.disable_check_numerics()
    assert np.isinf(ef.math.log(ef.constant(0.0)).numpy())


def test_check_numerics_gradient_and_errors():
    x = ef.constant([1.0, 0.0])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.debugging.check_numerics(x, "input")
        z = ef.reduce_sum(ef.math.log(y))
    with pytest.raises(errors.InvalidArgumentError, match="detected in gradient. input : Tensor had Inf"):
        tape.gradient(z, x)
    with pytest.raises(errors.InvalidArgumentError):
        ef.debugging.check_numerics(ef.constant([1]), "ints")


def test_while_loop_checks():
    with pytest.raises(ValueError, match="same nested structure"):
        ef.while_loop(lambda i: i < 3, lambda i: (i + 1, i), (ef.constant(0),))
    with pytest.raises(ValueError, match="shape invariant"):
        ef.while_loop(lambda x: ef.size(x) < 4, lambda x: (ef.concat([x, x], 0),), (ef.constant([1]),),
                      shape_invariants=(ef.TensorShape([1]),))
    out = ef.while_loop(lambda x: ef.size(x) < 4, lambda x: (ef.concat([x, x], 0),), (ef.constant([1]),),
                        shape_invariants=(ef.TensorShape([None]),))
    assert out[0].shape == (4,)
    with pytest.raises(TypeError):
        ef.while_loop(lambda i: i < 3, lambda i: (i + 1,), (0,), maximum_iterations=2.5)


def test_misc_names():
    cs = ef.CriticalSection()
    counter = ef.Variable(0)

    def bump():
        for _ in range(50):
            cs.execute(lambda: counter.assign(counter + 1))
    threads = [threading.Thread(target=bump) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(counter) == 200
    calls = []
    with ef.control_dependencies([lambda: calls.append(1)]):
        pass
    assert calls == [1]
    with ef.name_scope("a"):
        with ef.name_scope("b"):
            assert ef.get_current_name_scope() == "a/b"
    assert float(ef.timestamp()) > 1.6e9
    ef.no_gradient("EagerflowTestOpA")

    @ef.RegisterGradient("EagerflowTestOpB")
    def _grad(op, g):
        return g
    with pytest.raises(KeyError):
        ef.RegisterGradient("Mul")(lambda op, g: g)
