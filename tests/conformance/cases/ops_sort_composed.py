# sort and argsort, composed as TF composes them (top_k of the values turned around for an ascending order):
# values, ties, NaN, signed zeros, integer extremes, unsigned dtypes, axes, errors and gradients.
import numpy as np
import tensorflow as tf

nan = float("nan")
f = tf.constant([[3.0, -0.0, nan, 1.0, 0.0, -2.0, nan, 1.0], [5.0, 4.0, -1.0, -1.0, 2.0, 2.0, -0.0, 0.0]])
for direction in ["ASCENDING", "DESCENDING"]:
    print(direction, tf.sort(f, direction=direction).numpy().tolist(),
          tf.argsort(f, direction=direction).numpy().tolist())
    print(tf.sort(f, axis=0, direction=direction).numpy().tolist(), tf.argsort(f, 0, direction).numpy().tolist())
    print(np.signbit(tf.sort(f, direction=direction).numpy()).tolist())
    for dt in [tf.int8, tf.int32, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.float16, tf.float64,
               tf.bfloat16]:
        info = dt.min, dt.max
        x = tf.constant([2, info[1], 0, info[0], 2, 1], dt) if dt.is_integer else tf.constant([2, 0, -1, 2], dt)
        s = tf.sort(x, direction=direction)
        print(dt.name, s.dtype.name, s.numpy().astype(np.float64).tolist(),
              tf.argsort(x, direction=direction).numpy().tolist())
y = tf.reshape(tf.constant([5, 1, 4, 1, 3, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4]), [2, 3, 4])
for axis in [-3, -2, -1, 0, 1, 2]:
    print(axis, tf.sort(y, axis).numpy().tolist(), tf.argsort(y, axis, "DESCENDING").numpy().tolist())
print(tf.sort(y, tf.constant(1)).numpy().tolist(), tf.sort(y, np.int64(0)).shape, tf.argsort(y, stable=True).dtype)
print(tf.sort([3, 1, 2]), tf.sort(tf.zeros([2, 0])).shape, tf.argsort(tf.zeros([0])))
for args in [(y, 3), (y, -4), (y, [0]), (tf.constant(3.0), -1), (tf.constant([True]), -1), (tf.constant(["a"]), -1),
             (tf.constant([1j]), -1)]:
    for fn in [tf.sort, tf.argsort]:
        try:
            print(fn(*args))
        except Exception as e:
            print(fn.__name__, type(e).__name__)
try:
    tf.sort(y, direction="UP")
except Exception as e:
    print(type(e).__name__, e)
v = tf.Variable([[3.0, 1.0, 2.0], [0.5, 0.5, -1.0]])
for axis in [-1, 0]:
    for direction in ["ASCENDING", "DESCENDING"]:
        with tf.GradientTape() as g:
            s = tf.sort(v, axis, direction)
            weights = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]) if axis == -1 else tf.constant([[1.0], [2.0]])
            loss = tf.reduce_sum(s * weights)
        print(axis, direction, g.gradient(loss, v).numpy().tolist())
