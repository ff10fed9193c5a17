# softplus near and below float32's smallest normal value: TF flushes float32 denormals to zero
# (five significant digits: the last float32 digit of transcendental functions may differ, see docs/differences)
import tensorflow as tf

for dtype in [tf.float32, tf.float64, tf.float16]:
    x = tf.constant([-100.0, -90.0, -88.0, -87.0, -103.0, -20.0, -10.0, -17.0, -18.0, 0.0, 5.0, 30.0], dtype)
    print(dtype.name, [f"{v:.5g}" for v in tf.nn.softplus(x).numpy()])
    print(dtype.name, "math", [f"{v:.5g}" for v in tf.math.softplus(x).numpy()])
