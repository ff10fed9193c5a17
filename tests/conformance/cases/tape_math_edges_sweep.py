# GradientTape gradients of the unary and binary math ops at edges (0, negatives, ties), broadcasting, and
# of gather/where/slicing/concat/sort/top_k/matmul/segment ops; integer and unconnected sources
import numpy as np
import tensorflow as tf


def g4(t):
    return None if t is None else ["%.4g" % v for v in np.ravel(tf.convert_to_tensor(t).numpy())]
x0 = [-2.0, -0.5, 0.0, 0.5, 3.0]
un = ["abs", "sign", "square", "sqrt", "exp", "log", "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "atan", "asinh",
      "erf", "reciprocal", "round", "floor", "ceil", "softplus", "rsqrt", "expm1", "negative", "lgamma", "digamma",
      "acos", "asin", "atanh", "sinh", "cosh", "acosh", "xlogy_self", "reduce_max", "reduce_min", "reduce_prod",
      "reduce_mean", "reduce_std", "reduce_logsumexp", "cumprod", "cumsum", "reduce_euclidean_norm"]
for op in un:
    v = tf.Variable(x0)
    try:
        with tf.GradientTape() as t:
            if op == "xlogy_self":
                y = tf.math.xlogy(v, v)
            else:
                y = getattr(tf.math, op)(v)
            y = y * tf.constant([1.0, 2, 3, 4, 5][:1] if len(y.shape) == 0 else [1.0, 2, 3, 4, 5])
        print(op, g4(t.gradient(y, v)))
    except Exception as e:
        print(op, "ERR", type(e).__name__)
bi = ["maximum", "minimum", "pow", "divide", "floordiv", "floormod", "atan2", "squared_difference", "xdivy", "xlogy",
      "divide_no_nan", "multiply_no_nan", "truediv", "subtract"]
a0, b0 = [1.0, 2.0, -1.0, 0.0, 2.0], [1.0, -3.0, 2.0, 0.0, 2.0]
for op in bi:
    a, b = tf.Variable(a0), tf.Variable(b0)
    try:
        with tf.GradientTape() as t:
            y = getattr(tf.math, op)(a, b) * tf.constant([1.0, 2, 3, 4, 5])
        ga, gb = t.gradient(y, [a, b])
        print(op, g4(ga), g4(gb))
    except Exception as e:
        print(op, "ERR", type(e).__name__)
# broadcasting gradient
a, b = tf.Variable([[1.0, 2.0, 3.0]]), tf.Variable([[1.0], [2.0]])
with tf.GradientTape() as t:
    y = tf.reduce_sum((a * b + a / b - tf.maximum(a, b)) ** 2)
print("bcast", [g4(g) for g in t.gradient(y, [a, b])])
# gather / where / scatter / slicing gradients
v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
with tf.GradientTape(persistent=True) as t:
    ys = {"gather": tf.gather(v, [2, 0, 2]), "gather_nd": tf.gather_nd(v, [[0, 1], [2, 0]]),
          "where": tf.where(v > 2.5, v * 2, -v), "slice": v[1:, ::-1], "reshape": tf.reshape(v, [-1])[::2],
          "concat": tf.concat([v, v * 3], 0), "tile": tf.tile(v, [2, 1]), "transpose": tf.transpose(v),
          "norm": tf.norm(v), "clip": tf.clip_by_value(v, 2.0, 5.0),
          "boolean_mask": tf.boolean_mask(v, [True, False, True]),
          "sort": tf.sort(tf.reshape(v, [-1]) * tf.constant([1.0, -1, 1, -1, 1, -1])),
          "top_k": tf.math.top_k(tf.reshape(v, [-1]), 2).values, "matmul": tf.matmul(v, v, transpose_b=True),
          "softmax": tf.nn.softmax(v), "l2": tf.nn.l2_loss(v), "sum0": tf.reduce_sum(v, 0),
          "max1": tf.reduce_max(tf.concat([v, v], 1), 1),
          "unsorted_segment_sum": tf.math.unsorted_segment_sum(v, [0, 1, 0], 2), "stack": tf.stack([v, v]),
          "expand": tf.expand_dims(v, 0), "pad": tf.pad(v, [[1, 0], [0, 1]])}
for k, y in ys.items():
    g = t.gradient(tf.reduce_sum(y * tf.cast(tf.reshape(tf.range(tf.size(y)), tf.shape(y)) + 1, y.dtype)), v)
    print("grad", k, g4(g))
# gradients wrt integer / unconnected / int dtype
vi = tf.Variable([1, 2])
with tf.GradientTape() as t:
    y = vi * 2
print("int grad", t.gradient(y, vi))
w = tf.Variable(1.0)
with tf.GradientTape() as t:
    y = tf.constant(3.0)
print("unconnected", t.gradient(y, w))
