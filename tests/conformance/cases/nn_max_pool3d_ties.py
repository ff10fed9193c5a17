# max_pool3d under TF's Eigen kernel (TF_ENABLE_ONEDNN_OPTS=0, also TF's default on CPUs without AVX512_VNNI,
# AVX512_BF16, AVX_VNNI or AMX): the running maximum keeps a NaN until a later value replaces it; its gradient
# goes in full to every finite element equal to the maximum; the second-order gradient reads the first element
# equal to it (nn_max_pool3d_onednn.py: under oneDNN)
import os
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # before TF reads it

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
