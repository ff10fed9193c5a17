"""The Keras 3 optimizers beyond the conformance case: MultiOptimizer routing, EMA finalization, checkpoint
round trips of the new slot layouts, LossScaleOptimizer growth, schedules against closed forms."""

import math

import numpy as np
import pytest

import eagerflow as ef

OPTIMIZERS = [ef.optimizers.Adadelta, ef.optimizers.Adamax, ef.optimizers.Nadam, ef.optimizers.Ftrl,
              ef.optimizers.Lion, ef.optimizers.Lamb, ef.optimizers.Adafactor, ef.optimizers.ScheduleFreeAdamW]


def _train(opt, steps=3, w=None):
    w = ef.Variable(np.arange(6, dtype=np.float32).reshape(2, 3) / 5, name="w") if w is None else w
    for _ in range(steps):
        with ef.GradientTape() as tape:
            loss = ef.reduce_sum(ef.sin(w) * w)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
    return w


@pytest.mark.parametrize("cls", OPTIMIZERS)
def test_checkpoint_round_trip_and_config(cls, tmp_path):
    opt = cls(learning_rate=0.05)
    w = _train(opt)
    path = ef.train.Checkpoint(opt=opt, w=w).save(str(tmp_path / "ckpt"))
    again = cls(learning_rate=0.05)
    w2 = ef.Variable(np.zeros((2, 3), np.float32), name="w")
    ef.train.Checkpoint(opt=again, w=w2).restore(path)
    _train(opt, 1, w)
    _train(again, 1, w2)  # builds the slots, restored on creation, then one more step on both
    np.testing.assert_array_equal(w.numpy(), w2.numpy())
    assert [v.shape for v in opt.variables] == [v.shape for v in again.variables]
    for a, b in zip(opt.variables, again.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    clone = ef.optimizers.deserialize(ef.optimizers.serialize(opt))
    assert type(clone) is cls and clone.get_config() == opt.get_config()


def test_multi_optimizer_routes_by_path():
    enc = ef.Variable([1.0, 2.0], name="encoder/kernel")
    head = ef.Variable([1.0], name="head/kernel")
    adam, sgd = ef.optimizers.Adam(0.1), ef.optimizers.SGD(0.5)
    opt = ef.optimizers.MultiOptimizer(ef.optimizers.OptimizerMap(sgd, {"encoder/.*": adam}))
    opt.apply_gradients([(ef.constant([1.0, 1.0]), enc), (ef.constant([2.0]), head)])
    np.testing.assert_allclose(enc.numpy(), [0.9, 1.9], rtol=1e-5)
    np.testing.assert_allclose(head.numpy(), [0.0])
    assert int(opt.iterations) == 1 and int(adam.iterations) == 1 and int(sgd.iterations) == 1
    assert len(opt.variables) == 2 + len(adam.variables) + len(sgd.variables)
    with pytest.raises(AttributeError):
        _ = opt.learning_rate
    m = ef.optimizers.OptimizerMap(sgd, {"a.*": adam, ".*b": ef.optimizers.SGD()})
    with pytest.raises(ValueError, match="Multiple optimizers"):
        _ = m["ab"]
    with pytest.raises(ValueError):
        m["x"] = ef.optimizers.LossScaleOptimizer(ef.optimizers.SGD())


def test_ema_and_loss_scale():
    w = ef.Variable([1.0])
    opt = ef.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    for _ in range(3):
        opt.apply_gradients([(ef.constant([1.0]), w)])
    # values 0.9, 0.8, 0.7; average: 0.9, then 0.5 * 0.9 + 0.5 * 0.8, then with 0.7
    np.testing.assert_allclose(opt._averages[0].numpy(), [0.5 * (0.5 * 0.9 + 0.5 * 0.8) + 0.5 * 0.7], rtol=1e-6)
    opt.finalize_variable_values([w])
    np.testing.assert_allclose(w.numpy(), [0.775], rtol=1e-6)
    lso = ef.optimizers.LossScaleOptimizer(ef.optimizers.SGD(0.1), initial_scale=2.0, dynamic_growth_steps=2)
    v = ef.Variable([0.0])
    for _ in range(4):
        lso.apply_gradients([(ef.constant([2.0]), v)])
    assert float(lso.dynamic_scale) == 8.0 and int(lso.iterations) == 4
    lso.apply_gradients([(ef.constant([np.nan]), v)])
    assert float(lso.dynamic_scale) == 4.0 and int(lso.iterations) == 4


def test_schedules_closed_forms():
    s = ef.optimizers.schedules.CosineDecay(0.2, 8, alpha=0.25)
    for k in range(10):
        c = 0.5 * (1 + math.cos(math.pi * min(k, 8) / 8))
        assert float(s(k)) == pytest.approx(0.2 * ((1 - 0.25) * c + 0.25), rel=1e-6)
    p = ef.optimizers.schedules.PolynomialDecay(0.2, 8, end_learning_rate=0.02, power=2.0)
    for k in range(10):
        assert float(p(k)) == pytest.approx((0.2 - 0.02) * (1 - min(k, 8) / 8) ** 2 + 0.02, rel=1e-6)
    r = ef.optimizers.schedules.CosineDecayRestarts(1.0, 2, t_mul=2.0)
    # periods of 2, 4, 8 steps: restarts at 2 and 6
    assert float(r(0)) == pytest.approx(1.0) and float(r(2)) == pytest.approx(1.0) and float(r(6)) == pytest.approx(1.0)
    assert float(r(4)) == pytest.approx(0.5, abs=1e-6)
    with pytest.raises(ValueError):
        ef.optimizers.schedules.deserialize({"class_name": "Nope", "config": {}})
