# max_pool3d: the running maximum keeps a NaN until a later value replaces it; its gradient goes in full to
# every finite element equal to the maximum; the second-order gradient reads the first element equal to it
import tensorflow as tf

nan, inf = float("nan"), float("inf")
weights = tf.constant([1.0, 10.0, 100.0], shape=[1, 1, 1, 3, 1])
for values in ([2.0, 2.0, 1.0], [1.0, nan, 3.0], [nan, 1.0, 1.0], [-inf, -inf, 1.0], [inf, inf, 2.0],
               [1.0, 2.0, nan]):
    x = tf.constant(values, shape=[1, 1, 1, 3, 1])
    u = tf.constant([1.0, 2.0, 3.0], shape=[1, 1, 1, 3, 1])
    with tf.GradientTape() as outer:
        outer.watch(u)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.max_pool3d(x, [1, 1, 2], 1, "SAME")
        g = tape.gradient(y, x, output_gradients=u)
        s = tf.reduce_sum(g * weights)
    print(values, y.numpy().ravel().tolist(), g.numpy().ravel().tolist(), outer.gradient(s, u).numpy().ravel().tolist())
x = tf.reshape(tf.constant([3.0, 1.0, 3.0, 0.0, 2.0, 3.0, 1.0, 3.0]), [1, 2, 2, 2, 1])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.nn.max_pool3d(x, 2, 2, "VALID")
print("2x2x2", y.numpy().ravel().tolist(), tape.gradient(y, x).numpy().ravel().tolist())
