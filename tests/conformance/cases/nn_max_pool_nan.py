# max_pool passes over NaN and starts at the dtype's lowest finite value; its gradient goes to the first
# offset that is strictly greater than all before it (a NaN in the first offset holds its window)
import numpy as np
import tensorflow as tf

nan, inf = float("nan"), float("inf")
for values in ([nan, 1, 2, 0], [1, nan, 2, 0], [2, 2, nan, 0], [1, 2, 2, nan], [nan, nan, 1, 1],
               [-inf, -inf, -inf, -inf], [nan, nan, nan, nan], [inf, 1, inf, nan]):
    x = tf.constant(np.array(values, np.float32).reshape(1, 2, 2, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    print(values, y.numpy().ravel().tolist(), tape.gradient(y, x).numpy().ravel().tolist())

x = tf.constant(np.array([[nan, 1, 2], [0, -inf, nan], [nan, nan, nan]], np.float32).reshape(1, 3, 3, 1))
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.max_pool2d(x, 2, 1, "SAME")  # overlapping windows: gradients add up
print("SAME", y.numpy().ravel().tolist(), tape.gradient(y, x).numpy().ravel().tolist())
for dtype in (tf.float16, tf.bfloat16, tf.float64):
    print(dtype.name, tf.nn.max_pool2d(tf.constant([[[[-inf]]]], dtype), 1, 1, "SAME").numpy().ravel().tolist())
print("int32", tf.nn.max_pool2d(tf.constant([[[[-5], [3]]]], tf.int32), [1, 2], 1, "VALID").numpy().tolist())
print("1d", tf.nn.max_pool1d(tf.constant([[[nan], [1.0]]]), 2, 1, "VALID").numpy().tolist())
g = tf.constant(np.array([inf, -inf, nan, 3.0], np.float32).reshape(1, 1, 1, 4))
x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 2, 2, 4))
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.max_pool2d(x, 2, 2, "VALID")
print("upstream inf/nan", tape.gradient(y, x, output_gradients=g).numpy().ravel().tolist())
