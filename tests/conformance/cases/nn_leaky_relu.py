# tf.nn.leaky_relu is TF's LeakyRelu op: x where x > 0 else alpha * x for every alpha (also above 1 or
# negative), integers made float32, and LeakyReluGrad's gradient (alpha at 0) and shape check.
import numpy as np
import tensorflow as tf

print(tf.nn.leaky_relu([-1.0, 2.0]))
print(tf.nn.leaky_relu([-1.0, 2.0], alpha=2.0))
print(tf.nn.leaky_relu([-1.0, 2.0], alpha=-0.5))
print(tf.nn.leaky_relu([-1, 2]))
print(tf.nn.leaky_relu(tf.constant([-1.0, 0.0, 2.0], tf.float64)))
print(tf.nn.leaky_relu(tf.constant([-1.0, float("nan"), 3.0], tf.float16), alpha=np.array(0.5)))
try:
    tf.nn.leaky_relu(tf.constant([1 + 1j]))
except (TypeError, tf.errors.NotFoundError, tf.errors.InvalidArgumentError) as e:
    print(type(e).__name__)
x = tf.constant([-1.0, 0.0, 2.0])
for alpha in (0.2, 2.0):
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.nn.leaky_relu(x, alpha=alpha)
    print(alpha, y.numpy(), t.gradient(y, x).numpy())
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.nn.leaky_relu(x)
try:
    t.gradient(y, x, output_gradients=2.0)
except tf.errors.InvalidArgumentError:
    print("InvalidArgumentError")
