# lstsq(fast=False): the minimum-norm solution of a complete orthogonal decomposition; l2_regularizer ignored;
# no gradient
import numpy as np
import tensorflow as tf

a = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
b = tf.constant([[1.0], [2.0], [4.0]])
print(np.round(tf.linalg.lstsq(a, b, fast=False).numpy(), 5).tolist())
print(np.round(tf.linalg.lstsq(a, b, l2_regularizer=0.5, fast=False).numpy(), 5).tolist())  # ignored
print(np.round(tf.linalg.lstsq(tf.transpose(a), [[1.0], [2.0]], fast=False).numpy(), 4).tolist())  # minimum norm
deficient = tf.constant([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0], [0.0, 2.0, 2.0]])
rhs = [[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [1.0, 1.0]]
print(np.round(tf.linalg.lstsq(deficient, rhs, fast=False).numpy(), 4).tolist())
batch = tf.reshape(tf.range(1.0, 25.0) ** 1.5 % 7.0, [2, 4, 3])
print(np.round(tf.linalg.lstsq(batch, tf.ones([2, 4, 2]), fast=False).numpy(), 4).tolist())
r = tf.linalg.lstsq(tf.cast(a, tf.float64), tf.cast(b, tf.float64), fast=False)
print(r.dtype.name, r.shape, np.round(r.numpy(), 10).tolist())
print(tf.linalg.lstsq(tf.zeros([3, 2]), tf.ones([3, 1]), fast=False).numpy().tolist())
with tf.GradientTape() as tape:
    tape.watch(a)
    s = tf.reduce_sum(tf.linalg.lstsq(a, b, fast=False))
try:
    tape.gradient(s, a)
except Exception as e:
    print(type(e).__name__, str(e).split(":")[0])
for bad in (lambda: tf.linalg.lstsq(a, tf.ones([2, 1]), fast=False),
            lambda: tf.linalg.lstsq(tf.ones([3]), b, fast=False)):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__)
