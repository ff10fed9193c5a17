# NaN in argmax/argmin, reductions, sort, argsort, top_k and maximum: TF's order and results
import numpy as np
import tensorflow as tf

n = float("nan")
rows = [
    [1.0, n, 3.0],
    [n, 1.0, 3.0],
    [3.0, n, 1.0],
    [n, n, 1.0],
    [1.0, 3.0, n],
    [n],
    [n, n],
    [2.0, n, 1.0, n, 5.0],
    [2.0, n, -1.0, 5.0, n, 0.0, 7.0, -3.0, n, 4.0, 1.0, 6.0],
    [n, 5.0, 2.0, 2.0, n, 1.0, 9.0, 0.0, -1.0, n, 3.0, 3.0, 4.0, n, 7.0, 6.0],
]
for v in rows:
    print(v)
    print("  argmax", tf.argmax(v).numpy(), "argmin", tf.argmin(v).numpy())
    print("  max", tf.reduce_max(v).numpy(), "min", tf.reduce_min(v).numpy())
    print("  sort", tf.sort(v).numpy().tolist())
    print("  sort descending", tf.sort(v, direction="DESCENDING").numpy().tolist())
    print("  argsort", tf.argsort(v).numpy().tolist())
    print("  argsort descending", tf.argsort(v, direction="DESCENDING").numpy().tolist())
    top = tf.math.top_k(v, k=len(v))
    print("  top_k", top.values.numpy().tolist(), top.indices.numpy().tolist())
    print("  maximum", tf.maximum(v, 2.0).numpy().tolist(), "minimum", tf.minimum(v, 2.0).numpy().tolist())
m = tf.constant([[1.0, n, 3.0], [n, 2.0, 0.0]])
print("argmax axis 1", tf.argmax(m, axis=1).numpy().tolist(), "axis 0", tf.argmax(m, axis=0).numpy().tolist())
print("sort axis 0", tf.sort(m, axis=0).numpy().tolist())
print("sort float64", tf.sort(tf.constant([2.0, n, 1.0], tf.float64)).numpy().tolist())
print("sort float16", tf.sort(tf.constant([2.0, n, 1.0], tf.float16)).numpy().tolist())
print("argmax float16", tf.argmax(tf.constant([n, 2.0, 1.0], tf.float16)).numpy())
print("sort no nan", tf.sort([3.0, 1.0, 2.0, 1.0]).numpy().tolist(), tf.argsort([3.0, 1.0, 2.0, 1.0]).numpy().tolist())
print("sort inf", tf.sort([np.inf, -np.inf, 0.0]).numpy().tolist())
