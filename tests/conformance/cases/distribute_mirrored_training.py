# MirroredStrategy on two logical CPUs: training, reductions, checkpoints both ways (TF 2.21 recorded)
import os
import tempfile
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
rng = np.random.default_rng(0)
x = rng.standard_normal((16, 4)).astype(np.float32)
y = (x @ np.array([1.0, -2.0, 0.5, 3.0], np.float32) > 0).astype(np.int32)
w1 = (rng.standard_normal((4, 8)) * 0.5).astype(np.float32)
w2 = (rng.standard_normal((8, 2)) * 0.5).astype(np.float32)
with strategy.scope():
    model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(2)])
    model.build((None, 4))
    model.layers[0].kernel.assign(w1)
    model.layers[1].kernel.assign(w2)
    opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
GLOBAL = 8
ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL)
dist = strategy.experimental_distribute_dataset(ds)

def step(xb, yb):
    with tf.GradientTape() as tape:
        logits = model(xb)
        per = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits)
        loss = tf.reduce_sum(per) / GLOBAL
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    return loss

for epoch in range(3):
    for xb, yb in dist:
        loss = strategy.reduce(tf.distribute.ReduceOp.SUM, strategy.run(step, args=(xb, yb)), axis=None)
        print(epoch, np.round(loss.numpy(), 5))
print(np.round(model.layers[0].kernel.numpy(), 4))
print(int(opt.iterations.numpy()))
d = tempfile.mkdtemp()
path = tf.train.Checkpoint(model=model).write(os.path.join(d, "ck"))
print(len(tf.train.list_variables(path)))
plain = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(2)])
plain.build((None, 4))
tf.train.Checkpoint(model=plain).read(path).assert_consumed()
print(np.round(plain.layers[0].kernel.numpy(), 4))
with strategy.scope():
    other = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu"), tf.keras.layers.Dense(2)])
    other.build((None, 4))
tf.train.Checkpoint(model=other).read(path).assert_consumed()
print(np.round(other.layers[1].kernel.numpy(), 4))
