# Functions composed as TF composes them: gelu's erfc form (accurate in the left tail), its tanh form, trace of
# diag_part, count_nonzero, zeros_like of another dtype, mirror padding.
import numpy as np
import tensorflow as tf

x = tf.constant([-12.0, -5.0, -1.0, -0.0, 0.5, 3.0, 30.0])
near = tf.constant([-1.0, -0.0, 0.5, 3.0])  # (the tanh form's tails are where TF's Eigen tanh saturates)
for dt in [tf.float32, tf.float64, tf.float16]:
    print(dt.name, tf.nn.gelu(tf.cast(x, dt)).numpy().tolist(), tf.nn.gelu(tf.cast(near, dt), True).numpy().tolist())
v = tf.Variable([-2.0, 0.0, 1.5])
with tf.GradientTape() as g:
    y = tf.nn.gelu(v)
print(g.gradient(y, v).numpy().tolist())
for args in [tf.constant([1, 2]), tf.constant([True])]:
    try:
        print(tf.nn.gelu(args))
    except Exception as e:
        print(type(e).__name__)
m = tf.reshape(tf.range(24), [2, 3, 4])
print(tf.linalg.trace(m).numpy().tolist(), tf.linalg.trace(tf.ones([4, 2])), tf.linalg.trace([[1.5, 2.0], [3.0, 4.0]]))
try:
    tf.linalg.trace(tf.ones([3]))
except Exception as e:
    print(type(e).__name__)
print(tf.math.count_nonzero([[0.0, 1.0], [-0.0, np.nan]]), tf.math.count_nonzero(["", "a"]), tf.math.count_nonzero(
    [True, False], axis=0, keepdims=True, dtype=tf.int32))
print(tf.zeros_like(tf.ones([2, 1]), dtype=tf.int8), tf.zeros_like([[1.5]], dtype=tf.bool),
      tf.zeros_like([1], tf.string))
print(tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="REFLECT"), tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], mode="SYMMETRIC"))
print(tf.linalg.band_part(tf.ones([3, 3]), 1, 0).numpy().tolist(), tf.unique([3, 1, 3])[1])
