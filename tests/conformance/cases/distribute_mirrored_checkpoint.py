# MirroredStrategy checkpoints both ways: files written by TensorFlow and by eagerflow under a strategy on two
# logical CPUs (tests/data/make_mirrored_checkpoints.py) read into a strategy and into plain variables
import os
import numpy as np
import tensorflow as tf
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "data")
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])


def new_objects():
    model = tf.Module()
    model.w = tf.Variable(np.zeros((3, 2), np.float32), name="w")
    model.b = tf.Variable(np.zeros(2, np.float32), name="b")
    opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
    opt.build([model.w, model.b])
    return model, opt


for writer in ("tf_checkpoints", "ef_checkpoints"):
    prefix = os.path.join(DATA, writer, "mirrored")
    print(writer, sorted(name for name, _ in tf.train.list_variables(prefix)))
    with strategy.scope():
        model, opt = new_objects()
    tf.train.Checkpoint(model=model, optimizer=opt).read(prefix).assert_consumed()
    print(type(model.w).__name__, [np.round(c.numpy(), 4).tolist() for c in model.w.values])
    print([c.numpy().tolist() for c in model.b.values], int(opt.iterations.numpy()))
    print(np.round(opt.variables[2].numpy(), 4).tolist(), np.round(opt.variables[3].numpy(), 4).tolist())

    def step(model=model, opt=opt):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.matmul(tf.ones((2, 3)), model.w) + model.b)) / 8.0
        grads = tape.gradient(loss, [model.w, model.b])
        opt.apply_gradients(zip(grads, [model.w, model.b]))
        return loss

    loss = strategy.reduce("SUM", strategy.run(step), axis=None)
    print(np.round(loss.numpy(), 3), [np.round(c.numpy(), 4).tolist() for c in model.b.values])
    plain, plain_opt = new_objects()
    tf.train.Checkpoint(model=plain, optimizer=plain_opt).read(prefix).assert_consumed()
    print(isinstance(plain.w, tf.Variable), type(plain.w).__name__ != "MirroredVariable")
    print(np.round(plain.w.numpy(), 4).tolist(), int(plain_opt.iterations.numpy()))
