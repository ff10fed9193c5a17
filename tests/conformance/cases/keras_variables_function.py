# Keras 3 variables in tf.function (as an argument, and a traced training step) and under MirroredStrategy.
import tensorflow as tf
v = tf.keras.Variable([1.0, 2.0], name="a")
@tf.function
def f(x):
    return x * 2
print(f(v))
print(f(v))
d = tf.keras.layers.Dense(1, kernel_initializer="ones")
opt = tf.keras.optimizers.SGD(0.1)
@tf.function
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(d(x))
    g = tape.gradient(loss, d.trainable_variables)
    opt.apply_gradients(zip(g, d.trainable_variables))
    return loss
x = tf.ones([2, 3])
print(step(x), step(x), d.kernel, opt.iterations)
strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
with strategy.scope():
    m = tf.keras.layers.Dense(1, kernel_initializer="ones")
    m(tf.ones([1, 2]))
print(type(m.kernel).__name__, type(m.kernel.value).__name__)
