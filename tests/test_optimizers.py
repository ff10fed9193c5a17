"""Optimizers: Keras 3's update rules to float32 precision, state layout, slots, schedules.

The expected values below were computed once from Keras 3's published update rules
(keras/src/optimizers/*.py) with a NumPy float32 re-implementation, for three steps of fixed
gradients on a 2x2 and a 2-element variable; they are literals here on purpose.
"""

import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop  # noqa: F401 (used by eval of the case names)


@pytest.fixture(autouse=True)
def _fresh_names():
    """Optimizer names are unique per process as Keras's (adam, adam_1, ...): start each test afresh."""
    ef.keras.backend.clear_session()

W0 = [[1.0, -2.0], [0.5, 3.0]]
B0 = [0.25, -0.75]
GW = [[[0.1, 0.2], [0.3, 0.4]], [[-0.5, 0.25], [0.0, 1.5]], [[0.0, -0.1], [2.0, 0.0]]]
GB = [[1.0, -1.0], [0.5, 0.0], [0.0, 0.0]]

EXPECTED = {
    'SGD(learning_rate=0.1)': {
        'w': [[1.039999962, -2.035000086], [0.269999981, 2.809999943]],
        'b': [0.100000009, -0.649999976],
    },
    'SGD(learning_rate=0.1, momentum=0.9)': {
        'w': [[1.067900062, -2.091700077], [0.218699992, 2.606599808]],
        'b': [-0.115999997, -0.479000002],
        'w/momentum': [[0.036899999, -0.028699998], [-0.224299997, -0.167400002]],
    },
    'SGD(learning_rate=0.1, momentum=0.9, nesterov=True)': {
        'w': [[1.101109982, -2.117530107], [0.016829967, 2.455940008]],
        'b': [-0.229399994, -0.406100005],
        'w/momentum': [[0.036899999, -0.028699998], [-0.224299997, -0.167400002]],
    },
    'Adam(learning_rate=0.1)': {
        'w': [[1.00609076, -2.254654884], [0.262145758, 2.741921425]],
        'b': [-0.015273064, -0.531200707],
        'w/momentum': [[-0.036899999, 0.028700002], [0.224299997, 0.167400017]],
        'w/velocity': [[0.00025973, 0.000112358], [0.00408982, 0.00240743]],
    },
    'Adam(learning_rate=0.1, amsgrad=True)': {
        'w': [[1.006067514, -2.254654884], [0.262179255, 2.741955996]],
        'b': [-0.015237026, -0.531286001],
        'w/momentum': [[-0.036899999, 0.028700002], [0.224299997, 0.167400017]],
        'w/velocity': [[0.00025973, 0.000112358], [0.00408982, 0.00240743]],
        'w/velocity_hat': [[0.00025999, 0.000112358], [0.00408982, 0.00240984]],
    },
    'AdamW(learning_rate=0.1, weight_decay=0.1)': {
        'w': [[0.977781296, -2.192263603], [0.249955267, 2.655699968]],
        'b': [-0.019776162, -0.511584997],
        'w/momentum': [[-0.036899999, 0.028700002], [0.224299997, 0.167400017]],
        'w/velocity': [[0.00025973, 0.000112358], [0.00408982, 0.00240743]],
    },
    'RMSprop(learning_rate=0.1)': {
        'w': [[0.994472325, -2.467437744], [-0.129610926, 2.377203703]],
        'b': [-0.213669509, -0.433772385],
        'w/velocity': [[0.02331, 0.009865], [0.407290012, 0.215460002]],
    },
    'RMSprop(learning_rate=0.1, momentum=0.9)': {
        'w': [[0.733365715, -3.234885693], [-0.670357347, 1.56054306]],
        'b': [-0.887116432, 0.106976807],
        'w/velocity': [[0.02331, 0.009865], [0.407290012, 0.215460002]],
        'w/momentum': [[-0.023484161, 0.382165432], [0.569527984, 0.532056391]],
    },
    'RMSprop(learning_rate=0.1, centered=True)': {
        'w': [[0.987970591, -2.507650375], [-0.168071806, 2.335214615]],
        'b': [-0.245214075, -0.416666836],
        'w/velocity': [[0.02331, 0.009865], [0.407290012, 0.215460002]],
        'w/average_gradient': [[-0.036899999, 0.028699998], [0.224299997, 0.167400002]],
    },
    'RMSprop(learning_rate=0.1, rho=0.8, momentum=0.5, centered=True)': {
        'w': [[0.917871714, -2.695799589], [-0.191637069, 2.178378582]],
        'b': [-0.386249393, -0.312500119],
        'w/velocity': [[0.041280001, 0.01712], [0.81152004, 0.380480021]],
        'w/momentum': [[-0.055954631, 0.094241194], [0.316638321, 0.190540671]],
        'w/average_gradient': [[-0.067199998, 0.045599997], [0.4384, 0.291200012]],
    },
    'Adagrad(learning_rate=0.1)': {
        'w': [[1.053182244, -2.087314844], [0.333468884, 2.826874495]],
        'b': [0.111620605, -0.654653728],
        'w/accumulator': [[0.360000014, 0.212500006], [4.190000057, 2.50999999]],
    },
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_three_steps_match_keras_update_rules(case):
    w = ef.Variable(W0, name="w")
    b = ef.Variable(B0, name="b")
    opt = eval(case)
    for gw, gb in zip(GW, GB):
        opt.apply_gradients([(ef.constant(gw), w), (ef.constant(gb), b)])
    want = EXPECTED[case]
    np.testing.assert_allclose(w.numpy(), want["w"], rtol=2e-6, atol=1e-8)
    np.testing.assert_allclose(b.numpy(), want["b"], rtol=2e-6, atol=1e-8)
    for key, value in want.items():
        if key.startswith("w/"):
            np.testing.assert_allclose(opt.get_slot(w, key[2:]).numpy(), value, rtol=2e-6, atol=1e-8)
    assert int(opt.iterations) == 3
    assert sorted(opt._slots_for(w)) == sorted(k[2:] for k in want if k.startswith("w/"))


def test_adam_one_step_equals_tensorflow_keras3_bit_for_bit():
    # Values TensorFlow 2 + Keras 3 wrote (tests/data/tf_checkpoints/optimizer.json).
    w = ef.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    b = ef.Variable([0.25, -0.75], name="b")
    opt = ef.optimizers.Adam(learning_rate=0.1)
    opt.apply_gradients([(ef.constant([[0.1, 0.2], [0.3, 0.4]]), w), (ef.constant([1.0, -1.0]), b)])
    f32 = np.float32
    np.testing.assert_array_equal(w.numpy(), f32([[0.9000037908554077, -2.0999977588653564],
                                                  [0.4000017046928406, 2.9000015258789062]]))
    np.testing.assert_array_equal(b.numpy(), f32([0.15000098943710327, -0.6500009894371033]))
    slots = [v.numpy() for v in opt.variables[2:]]
    np.testing.assert_array_equal(slots[0], f32([[0.010000000707805157, 0.020000001415610313],
                                                 [0.030000001192092896, 0.04000000283122063]]))
    np.testing.assert_array_equal(slots[1], f32([[1.0000001566368155e-05, 4.000000626547262e-05],
                                                 [9.000000864034519e-05, 0.00016000002506189048]]))
    np.testing.assert_array_equal(slots[2], f32([0.10000000149011612, -0.10000000149011612]))
    np.testing.assert_array_equal(slots[3], f32([0.0010000000474974513, 0.0010000000474974513]))


def test_state_layout_is_keras3s():
    w = ef.Variable(W0, name="w")
    b = ef.Variable(B0, name="b")
    opt = ef.optimizers.Adam(learning_rate=0.1)
    assert [v.path for v in opt.variables] == ["adam/iteration", "adam/learning_rate"]
    opt.apply_gradients([(ef.constant(GW[0]), w), (ef.constant(GB[0]), b)])
    names = [v.path for v in opt.variables]
    assert names == ["adam/iteration", "adam/learning_rate", "adam/w_0_momentum", "adam/w_0_velocity",
                     "adam/b_0_momentum", "adam/b_0_velocity"]
    # the state is Keras variables wrapping the framework variables the update steps use
    assert opt._variables[0].value is opt._iterations and opt._variables[1].value is opt._learning_rate
    assert opt.iterations is opt._variables[0] and opt.learning_rate is opt._variables[1]
    assert opt._iterations.dtype == ef.int64 and opt._learning_rate.dtype == ef.float32
    assert opt.iterations.dtype == "int64" and not isinstance(opt.iterations, ef.Variable)
    assert opt._momentums == [opt._variables[2].value, opt._variables[4].value]
    assert opt._velocities == [opt._variables[3].value, opt._variables[5].value]
    assert opt._trainable_variables[0] is w and opt._trainable_variables[1] is b
    assert not any(v.trainable or v.value.trainable for v in opt.variables)
    assert opt._slots_for(w) == {"momentum": opt._variables[2].value, "velocity": opt._variables[3].value}
    for slot in opt.variables[2:]:
        assert slot.device == w.device


def test_slot_names_follow_the_variable_name_and_optimizer_names():
    with ef.name_scope("dense"):
        k = ef.Variable([1.0], name="kernel")
    opts = [SGD(momentum=0.5), RMSprop(momentum=0.5, centered=True), Adam(amsgrad=True), AdamW()]
    for opt in opts:
        opt.apply_gradients([(ef.constant([1.0]), k)])
    assert [v.path for v in opts[0].variables[2:]] == ["sgd/dense_kernel_0_momentum"]
    assert [v.path for v in opts[1].variables[2:]] == [
        "rm_sprop/dense_kernel_0_velocity", "rm_sprop/dense_kernel_0_momentum",
        "rm_sprop/dense_kernel_0_average_gradient"]
    assert [v.path.split("/")[-1] for v in opts[2].variables[2:]] == [
        "dense_kernel_0_momentum", "dense_kernel_0_velocity", "dense_kernel_0_velocity_hat"]
    assert opts[3].name == "adam_w"   # Keras: snake case of the class name, made unique
    assert SGD().variables[0].path == "sgd_1/iteration"
    assert len(SGD(learning_rate=0.1).variables) == 2
    a, b = Adagrad(), Adagrad()
    assert a.name.startswith("adagrad") and a.name != b.name


def test_sgd_without_momentum_has_no_slots():
    w = ef.Variable([1.0])
    opt = SGD(0.5)
    opt.apply_gradients([(ef.constant([2.0]), w)])
    assert w.numpy().tolist() == [0.0] and len(opt.variables) == 2 and opt.momentums == []


def test_none_gradients_are_skipped_with_a_warning():
    w = ef.Variable([1.0], name="w")
    b = ef.Variable([1.0], name="b")
    opt = Adam(0.1)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):
        opt.apply_gradients([(None, w), (ef.constant([1.0]), b)])
    assert w.numpy().tolist() == [1.0] and b.numpy()[0] < 1.0
    assert opt.get_slot(w, "momentum").numpy().tolist() == [0.0]  # slots exist, untouched
    assert int(opt.iterations) == 1


def test_all_none_gradients_raise():
    w = ef.Variable([1.0], name="w")
    opt = SGD(0.1)
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, w)])
    assert int(opt.iterations) == 0


def test_unknown_variable_after_build_raises():
    w = ef.Variable([1.0], name="w")
    opt = Adam(0.1)
    opt.apply_gradients([(ef.constant([1.0]), w)])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(ef.constant([1.0]), ef.Variable([2.0], name="other"))])


def test_gradient_shape_mismatch_and_bad_arguments():
    w = ef.Variable([1.0, 2.0], name="w")
    opt = SGD(0.1)
    with pytest.raises(ef.errors.InvalidArgumentError, match="does not match variable 'w:0'"):
        opt.apply_gradients([(ef.constant([1.0]), w)])
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])
    assert int(opt.iterations) == 0
    with pytest.raises(AttributeError, match="can only update ef.Variable or ef.keras.Variable objects"):
        opt.apply_gradients([(ef.constant([1.0, 2.0]), ef.constant([1.0, 2.0]))])
    with pytest.raises(ValueError, match="no .gradient, variable. pairs"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
    with pytest.raises(ValueError, match="learning_rate"):
        Adam(learning_rate="fast")
    with pytest.raises(ValueError, match="not recognized"):
        Adam(betas=0.1)
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)


def test_updates_are_in_place():
    w = ef.Variable(np.ones((4, 4), np.float32), name="w")
    opt = SGD(0.1, momentum=0.9)
    opt.apply_gradients([(ef.ones([4, 4]), w)])
    address = w._buf.__array_interface__["data"][0]  # no reference kept: holding the buffer would share it
    opt.apply_gradients([(ef.ones([4, 4]), w)])
    assert w._buf.__array_interface__["data"][0] == address
    assert opt.momentums[0]._buf.__array_interface__["data"][0] != address


def test_float64_variables_update_in_float64():
    w = ef.Variable(np.array([1.0, 2.0]), name="w")
    opt = Adam(0.1)
    opt.apply_gradients([(ef.constant([0.5, -0.5], dtype=ef.float64), w)])
    assert w.dtype == ef.float64 and opt.get_slot(w, "velocity").dtype == ef.float64
    np.testing.assert_allclose(w.numpy(), [0.9, 2.1], rtol=1e-6)


def test_learning_rate_get_set():
    opt = SGD(0.1)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5 and opt.variables[1].value is opt._learning_rate
    w = ef.Variable([1.0])
    opt.apply_gradients([(ef.constant([1.0]), w)])
    assert w.numpy().tolist() == [0.5]


def test_exponential_decay():
    s = ef.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    np.testing.assert_allclose([float(s(k)) for k in range(4)], [0.1, 0.1 * 0.5 ** 0.5, 0.05, 0.1 * 0.5 ** 1.5],
                               rtol=1e-6)
    st = ef.optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True)
    np.testing.assert_allclose([float(st(k)) for k in range(5)], [0.1, 0.1, 0.05, 0.05, 0.025], rtol=1e-6)
    assert s(3).dtype == ef.float32
    with pytest.raises(ValueError, match="decay_steps"):
        ef.optimizers.schedules.ExponentialDecay(0.1, 0, 0.5)


def test_piecewise_constant_decay():
    s = ef.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
    np.testing.assert_allclose([float(s(k)) for k in range(7)], [1.0, 1.0, 1.0, 0.5, 0.5, 0.1, 0.1], rtol=1e-7)
    with pytest.raises(ValueError, match="1 less than"):
        ef.optimizers.schedules.PiecewiseConstantDecay([1, 2], [1.0])


def test_optimizer_with_a_schedule_uses_the_step_and_has_no_rate_variable():
    s = ef.optimizers.schedules.PiecewiseConstantDecay([0, 1], [1.0, 0.5, 0.25])
    w = ef.Variable([0.0], name="w")
    opt = SGD(learning_rate=s)
    assert [v.path for v in opt.variables] == ["sgd/iteration"]
    for _ in range(3):
        opt.apply_gradients([(ef.constant([1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-(1.0 + 0.5 + 0.25)])
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1
    assert float(opt.learning_rate) == 0.25


def test_adam_with_exponential_decay_schedule():
    s = ef.optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    w = ef.Variable([1.0], name="w")
    opt = Adam(learning_rate=s)
    opt.apply_gradients([(ef.constant([1.0]), w)])   # step 0: lr 0.1, first Adam step moves by lr
    opt.apply_gradients([(ef.constant([1.0]), w)])   # step 1: lr 0.05
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.1 - 0.05], rtol=1e-5)
    assert opt.variables[1].path == "adam/w_0_momentum"


def test_no_minimize_as_keras3():
    # Keras 3 optimizers have no `minimize`: compute the gradients with a tape and apply them
    assert not hasattr(SGD(), "minimize") and not hasattr(RMSprop(), "minimize")
    w = ef.Variable(10.0)
    with ef.GradientTape() as tape:
        loss = (w ** 2) / 2.0
    RMSprop(learning_rate=0.1).apply_gradients([(tape.gradient(loss, w), w)])
    np.testing.assert_allclose(float(w), 9.683772, rtol=1e-6)  # Keras's RMSprop docstring example


def test_clipping():
    w = ef.Variable([0.0, 0.0])
    SGD(1.0, clipvalue=0.5).apply_gradients([(ef.constant([2.0, -0.25]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.5, 0.25])
    w = ef.Variable([0.0, 0.0])
    SGD(1.0, clipnorm=1.0).apply_gradients([(ef.constant([3.0, 4.0]), w)])
    np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)
    with pytest.raises(ValueError, match="Only one of"):
        SGD(clipnorm=1.0, clipvalue=1.0)


def test_slots_live_on_the_variables_device():
    script = """
        import eagerflow as ef
        cpu = ef.config.list_physical_devices("CPU")[0]
        ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)
        with ef.device("CPU:1"):
            w = ef.Variable([1.0, 2.0], name="w")
        v = ef.Variable([1.0], name="v")
        opt = ef.optimizers.Adam(0.1)
        opt.apply_gradients([(ef.constant([1.0, 1.0]), w), (ef.constant([1.0]), v)])
        assert w.device.endswith("CPU:1"), w.device
        for slot in opt._slots_for(w).values():
            assert slot.device == w.device, (slot.name, slot.device)
        for slot in opt._slots_for(v).values():
            assert slot.device == v.device, (slot.name, slot.device)
        print("OK")
    """
    env = dict(os.environ)
    env.pop("FAKE_CUPY_GPUS", None)
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stdout + done.stderr


def test_no_warning_when_all_gradients_present():
    w = ef.Variable([1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Adam(0.1).apply_gradients([(ef.constant([1.0]), w)])


def test_slots_and_training_on_fake_gpus():
    """With two (fake, NumPy-backed) GPUs: slots follow their variable; a Dense model trains on GPU:0."""
    fake = os.path.join(os.path.dirname(__file__), "fake_cupy")
    script = """
        import numpy as np
        import eagerflow as ef
        GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
        GPU1 = "/job:localhost/replica:0/task:0/device:GPU:1"
        with ef.device("GPU:1"):
            w = ef.Variable([1.0, 2.0], name="w")
        with ef.device("CPU:0"):
            c = ef.Variable([1.0], name="c")
        opt = ef.optimizers.Adam(0.1)
        opt.apply_gradients([(ef.constant([1.0, 1.0]), w), (ef.constant([1.0]), c)])
        assert w.device == GPU1, w.device
        assert all(s.device == GPU1 for s in opt._slots_for(w).values())
        assert all(s.device.endswith("CPU:0") for s in opt._slots_for(c).values())
        np.testing.assert_allclose(w.numpy(), [0.9, 1.9], rtol=1e-5)
        ef.random.set_seed(0)
        model = ef.layers.Sequential([ef.layers.Dense(8, activation="relu"), ef.layers.Dense(2)])
        x = ef.random.normal([16, 3])
        y = ef.constant(np.arange(16) % 2, dtype=ef.int32)
        sgd = ef.optimizers.SGD(0.1, momentum=0.9)
        losses = []
        for _ in range(10):
            with ef.GradientTape() as tape:
                loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(y, model(x)))
            grads = tape.gradient(loss, model.trainable_variables)
            sgd.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(float(loss))
        assert model.layers[0].kernel.device == GPU0
        assert all(v.device == GPU0 for v in sgd.variables[2:])
        assert losses[-1] < losses[0]
        print("OK")
    """
    env = dict(os.environ, PYTHONPATH=fake + os.pathsep + os.environ.get("PYTHONPATH", ""), FAKE_CUPY_GPUS="2")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stdout + done.stderr
