# tensordot and clip_by_value, composed as TF composes them: values, shapes, errors and gradients.
import tensorflow as tf

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.reshape(tf.range(24.0), [2, 3, 4])
print(tf.tensordot(y, y, [[0, 2], [0, 2]]).numpy().tolist())
print(tf.tensordot(y, x, [[0], [1]]).shape, tf.tensordot(x, x, 0).shape, tf.tensordot(x, x, 2))
print(tf.tensordot([1.0, 2.0], [3.0, 4.0], 1), tf.tensordot(x, x, [-1, 0]).numpy().tolist())
print(tf.tensordot(x, x, tf.constant([[1], [0]])).numpy().tolist())
for args in [(x, x, -1), (x, x, 3), (x, x, [[0, 1], [0]]), (x, x, [[0]]), (x, x, [[5], [0]]), (x, y, 1)]:
    try:
        print(tf.tensordot(*args))
    except Exception as e:
        print(type(e).__name__)
for dt in [tf.int32, tf.int64, tf.float16, tf.float64, tf.complex64, tf.bool, tf.uint8]:
    try:
        print(dt.name, tf.tensordot(tf.ones([2, 2], dt), tf.ones([2, 2], dt), 1).dtype)
    except Exception as e:
        print(dt.name, type(e).__name__)
print(tf.clip_by_value(x, 1.5, 3.0).numpy().tolist(), tf.clip_by_value(x, [0.0, 2.5], 3.0).numpy().tolist())
print(tf.clip_by_value(tf.constant([1, 5, 10]), 2, 8), tf.clip_by_value(tf.constant([1.0, float("nan")]), 0.0, 1.0))
for lo, hi in [(tf.ones([2, 2, 2]), 3.0), (0.0, tf.ones([2, 2, 2])), ([1.0, 2.0, 3.0], 3.0), (2.5, 8)]:
    try:
        print(tf.clip_by_value(tf.constant([1, 5]) if hi == 8 else tf.constant([1.0, 2.0]), lo, hi))
    except Exception as e:
        print(type(e).__name__)
v = tf.Variable([[0.5, 2.0], [3.0, 4.0]])
lo, hi = tf.Variable(2.0), tf.Variable([3.0, 3.5])
with tf.GradientTape() as g:
    r = tf.reduce_sum(tf.clip_by_value(v, lo, hi) * tf.tensordot(v, v, [[0], [1]]))
print([t.numpy().tolist() for t in g.gradient(r, [v, lo, hi])])
with tf.GradientTape() as g:  # ties: TF's Minimum and Maximum give the gradient to t
    r = tf.reduce_sum(tf.clip_by_value(v, 2.0, 3.0) * tf.tensordot(y, y, [[0, 2], [0, 2]])[:2, :2])
print(g.gradient(r, v).numpy().tolist())
