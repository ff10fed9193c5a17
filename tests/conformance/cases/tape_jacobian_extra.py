import logging

import tensorflow as tf


class Show(logging.Handler):
    def emit(self, record):
        if "calls to <function pfor" not in record.getMessage():  # TF's retracing notes about its pfor graphs
            print("logged:", record.levelname, record.getMessage()[:60])


tf.get_logger().addHandler(Show())


def attempt(label, fn):
    try:
        out = fn()
        print(label, "->", out if out is None else getattr(out, "shape", out))
    except Exception as e:
        print(label, "->", type(e).__name__)


x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = tf.reduce_sum(x * x, axis=1)
    j_inside = t.jacobian(y, x)
    b_inside = t.batch_jacobian(tf.expand_dims(y, 1), x)
print(j_inside.numpy().tolist())
print(b_inside.numpy().tolist())
print(t.jacobian(y, x, experimental_use_pfor=False).numpy().tolist())
print(t.jacobian(y, x, parallel_iterations=2).numpy().tolist())
print(t.batch_jacobian(tf.expand_dims(y, 1), x, experimental_use_pfor=False).shape)
attempt("jacobian of a scalar", lambda: t.jacobian(tf.reduce_sum(y), x))
attempt("batch_jacobian of a rank-1 target", lambda: t.batch_jacobian(y, x))
attempt("batch_jacobian with a list source", lambda: t.batch_jacobian(tf.expand_dims(y, 1), [x]))
del t
with tf.GradientTape() as t:
    t.watch(x)
    y = x * 2.0
print(t.batch_jacobian(y, x).shape)
attempt("second use", lambda: t.jacobian(y, x))
v = tf.Variable([1.0, 2.0])
with tf.GradientTape() as t:
    y = v * v
print(t.jacobian(y, v).numpy().tolist())
with tf.GradientTape() as t:
    y = tf.stack([v[0] * v[1], v[0] + v[1]])
print(t.jacobian(y, v).numpy().tolist())
with tf.GradientTape(watch_accessed_variables=False) as t:
    y = v * v
print(t.jacobian(y, v))
