# linspace, composed as TF composes it: start + delta * [1 .. num - 2] between start and stop, sliced to num;
# N-D ends that broadcast, any axis, integer ends (float64), num 0 and 1, errors and gradients.
import numpy as np
import tensorflow as tf

print(tf.linspace(0.1, 0.7, 7).numpy().tolist())
print(tf.linspace(-3.3, 17.9, 11).numpy().tolist())
print(tf.linspace(tf.constant(0.1, tf.float64), 0.7, 9).numpy().tolist())
print(tf.linspace(1.0, 1000.0, 13).numpy().tolist())
print(tf.linspace(0, 10, 4), tf.linspace(np.int64(3), 1, 3).dtype, tf.linspace(tf.constant(0, tf.int16), 5, 3).dtype)
print(tf.linspace(tf.constant(1.0, tf.float16), 2.0, 5).numpy().tolist())
print(tf.linspace(tf.constant(1.0, tf.bfloat16), 2.0, 3).numpy().astype(np.float32).tolist())
print(tf.linspace(0.0, 1.0, 1), tf.linspace(0.0, 1.0, 0), tf.linspace(0.0, 1.0, 2))
print(tf.linspace([0.0, 5.0], [10.0, 40.0], 5, axis=0).numpy().tolist())
print(tf.linspace([0.0, 5.0], [10.0, 40.0], 5, axis=-1).numpy().tolist())
print(tf.linspace([[0.0], [1.0]], [10.0, 20.0, 30.0], 3, axis=1).numpy().tolist())
print(tf.linspace([[0.0], [1.0]], [10.0, 20.0, 30.0], 2, axis=-2).shape)
print(tf.linspace(0.0, 1.0, tf.constant(3, tf.int64)), tf.linspace(0.0, 1.0, np.int32(3)).shape)
for args in [(0.0, 1.0, -1), (0.0, 1.0, 2.5), ([0.0, 1.0], [1.0, 2.0, 3.0], 3), (0.0, 1.0, 3, 1), ("a", "b", 2),
             (tf.constant([True]), True, 2)]:
    try:
        print(tf.linspace(*args))
    except Exception as e:
        print(type(e).__name__)
a, b = tf.Variable([1.0, 2.0]), tf.Variable(5.0)
with tf.GradientTape() as g:
    y = tf.linspace(a, b, 4) * tf.constant([[1.0], [2.0], [3.0], [4.0]])
print([t.numpy().tolist() for t in g.gradient(y, [a, b])])
