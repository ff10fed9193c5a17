import numpy as np
import tensorflow as tf


def show(name, t):
    values = np.asarray(t.numpy(), dtype=np.float64).ravel().tolist()
    print(name, t.dtype.name, values, [bool(np.signbit(v)) for v in values])


# TF's CPU threads flush denormal results to (signed) zero
for dtype in [tf.float32, tf.float64, tf.bfloat16]:
    x = tf.constant([-100.0, -720.0, 0.0, -10.0], dtype)
    show("exp", tf.exp(x))
    show("sigmoid", tf.sigmoid(x))
    show("softplus", tf.nn.softplus(x))
    show("sigmoid_ce", tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(x), logits=x))
    show("softmax", tf.nn.softmax(tf.constant([0.0, -100.0, -800.0], dtype)))
    show("pow", tf.pow(tf.constant([2.0, -2.0, 2.0], dtype), tf.constant([-140.0, -137.0, -1075.0], dtype)))
show("exp scalar", tf.exp(tf.constant(-100.0)))
show("cast", tf.cast(tf.constant([1e-39, -1e-39, 1e-30], tf.float64), tf.float32))
show("float16 keeps them", tf.exp(tf.constant([-10.0, -16.0], tf.float16)))
x = tf.constant([-100.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.exp(x)
show("grad of exp", tape.gradient(y, x))
