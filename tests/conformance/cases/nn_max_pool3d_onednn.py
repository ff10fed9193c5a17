# max_pool3d under TF's oneDNN kernel (TF_ENABLE_ONEDNN_OPTS=1, also TF's default on CPUs with AVX512_VNNI,
# AVX512_BF16, AVX_VNNI or AMX): the maximum passes over NaN and starts at the lowest finite value; the
# gradients follow that maximum (nn_max_pool3d_ties.py: under Eigen)
import os
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # before TF reads it

import tensorflow as tf  # noqa: E402

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
for dtype in (tf.bfloat16, tf.float32):
    x = tf.constant([[nan, 1.0], [-inf, -inf], [nan, -inf], [2.0, nan]], dtype, shape=[1, 1, 4, 2, 1])
    print(dtype.name, tf.cast(tf.nn.max_pool3d(x, [1, 1, 2], [1, 1, 2], "VALID"), tf.float32).numpy().ravel().tolist())
