# GradientTape.gradient(output_gradients=...): how TF pairs the flattened seeds with the targets, and what
# a seed of another shape or dtype than its target gives.
import numpy as np
import tensorflow as tf

x = tf.Variable([1.0, 2.0, 3.0])
c = tf.constant([[1.0, 2.0], [3.0, 4.0]])


def run(label, f, og, src=None):
    with tf.GradientTape() as t:
        t.watch(c)
        targets = f()
    try:
        print(label, t.gradient(targets, x if src is None else src, output_gradients=og))
    except (ValueError, TypeError, tf.errors.InvalidArgumentError) as e:
        print(label, type(e).__name__)


ones = tf.ones(3)
# more seeds than targets: the first ones; fewer: the other targets get ones
run("more", lambda: [x * x], [ones, 2 * ones])
run("more scalars", lambda: tf.reduce_sum(x), [tf.constant(2.0), tf.constant(5.0)])
run("fewer", lambda: [x * x, tf.reduce_sum(x)], [ones])
run("none", lambda: x * 2.0, [])
run("python list", lambda: x * x, [1.0, 2.0, 3.0])        # flattened: three scalar seeds
run("nested", lambda: [x * x], [[ones]])
run("dict", lambda: {"a": x * 2.0, "b": x * 3.0}, {"b": tf.constant(10.0), "a": tf.constant(1.0)})
# a scalar seed of a non-scalar target: the gradient has the seed's shape where nothing broadcasts it
run("identity", lambda: tf.identity(x), 2.0)
run("read", lambda: x.read_value(), 2.0)
run("self", lambda: c, 2.0, src=c)
run("add scalar", lambda: x + 1.0, 2.0)
run("sub scalar", lambda: x - 1.0, 2.0)
run("neg", lambda: -x, 2.0)
run("mul scalar", lambda: x * 3.0, 2.0)
run("mul", lambda: x * x, 2.0)
run("pow scalar", lambda: x ** 2.0, 2.0)
run("maximum scalar", lambda: tf.maximum(x, 2.0), 2.0)
run("add vector", lambda: x + tf.constant([1.0, 1.0, 1.0]), 2.0)
run("add both", lambda: x + x, 2.0)
run("square", lambda: tf.square(x), 2.0)
run("reshape", lambda: tf.reshape(x, [3, 1]), 2.0)
run("sum", lambda: tf.reduce_sum(c, 0), 2.0, src=c)
for name in ("tanh", "sigmoid", "sqrt", "math.rsqrt", "math.reciprocal", "nn.relu", "nn.relu6", "nn.elu", "nn.selu",
             "math.softsign", "abs"):
    fn = tf
    for part in name.split("."):
        fn = getattr(fn, part)
    run(name, lambda fn=fn: fn(x), 2.0)
run("seed of another shape", lambda: x * x, tf.constant([1.0, 2.0]))
# the seed keeps its own dtype: a Python int is int32, a NumPy float64 is float64
run("int seed", lambda: x * x, 2)
run("float64 seed", lambda: x * 2.0, tf.constant(1.0, tf.float64))
run("numpy float64 seed", lambda: x * 2.0, np.array([1.0, 2.0, 3.0]))
run("numpy float32 seed", lambda: x * 2.0, np.array([1.0, 2.0, 3.0], np.float32))
run("identity float32 seed", lambda: tf.identity(tf.cast(x, tf.float64)), 2.0)
run("variable seed", lambda: x * 2.0, tf.Variable([1.0, 2.0, 3.0]))
run("int target", lambda: [tf.constant([1, 2]), x * 2.0], [tf.constant([5, 5]), tf.constant(3.0)])
# None: a seed of None is refused (ValueError), a target of None too (TypeError)
run("none seed", lambda: [x * 1.0, x * 2.0], [None, ones])
run("none target", lambda: [None, x * 2.0], [ones, ones])
run("none target no seeds", lambda: [None, x * 2.0], None)
