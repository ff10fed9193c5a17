# top_k(sorted=False) in the order TF's CPU kernel leaves: its gtl::TopN heap as it stands after every column
# is pushed (1 < k < n), the sorted order for k = n, the maximum's first index for k = 1. Seeded random rows of
# 2..200 values, k from 1 to n, in eight dtypes, with ties, +-inf and (in float rows) NaN; then batches of rows,
# ascending and descending rows (every column enters the heap, none does), long rows and many rows.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(2110)
dtypes = [tf.float32, tf.float64, tf.float16, tf.bfloat16, tf.int32, tf.int64, tf.int8, tf.uint8]


def show(top):
    values = " ".join(f"{v:g}" for v in top.values.numpy().astype(np.float64).ravel())
    indices = " ".join(str(i) for i in top.indices.numpy().ravel())
    return f"[{indices}] [{values}]"


def random_rows(dtype, shape):
    n = shape[-1]
    kind = int(rng.integers(4))
    if kind == 0:  # few distinct values: many ties
        x = rng.integers(-3, 4, shape).astype(np.float64)
    elif kind == 1:
        x = rng.normal(size=shape).round(int(rng.integers(0, 3))) * 20
    elif kind == 2:  # mostly ascending: many columns enter the heap
        x = np.sort(rng.integers(-50, 50, shape), axis=-1).astype(np.float64)
        x[rng.random(shape) < 0.1] = rng.integers(-50, 50)
    else:
        x = rng.integers(-100, 100, shape).astype(np.float64)
    if dtype == tf.uint8:
        return np.abs(x).astype(np.uint8)
    if dtype.is_floating:
        special = rng.random(shape) < rng.choice([0.0, 0.05, 0.2])
        x[special] = rng.choice([np.inf, -np.inf, np.nan, 0.0, -0.0], size=int(special.sum()))
        if n > 2 and rng.random() < 0.3:
            x[..., int(rng.integers(n))] = np.nan
    return np.clip(x, -120, 120).astype(dtype.as_numpy_dtype) if dtype.is_integer else x


for case in range(400):
    n = int(rng.integers(2, 201))
    k = int(rng.choice([1, n, int(rng.integers(1, n + 1)), int(rng.integers(1, min(n, 12) + 1))]))
    dtype = dtypes[case % len(dtypes)]
    top = tf.math.top_k(tf.constant(random_rows(dtype, (n,)), dtype), k, sorted=False)
    print(case, dtype.name, n, k, show(top))
for case in range(16):
    shape = [(6, 40), (3, 4, 25), (5, 60), (2, 1, 7)][case % 4]
    k = int(rng.integers(1, shape[-1] + 1))
    dtype = dtypes[case % len(dtypes)]
    top = tf.math.top_k(tf.constant(random_rows(dtype, shape), dtype), k, sorted=False)
    print("batch", case, dtype.name, shape, k, top.indices.shape, show(top))
for dtype in [tf.float32, tf.int64]:
    for k in [2, 3, 7, 16, 33]:
        up = tf.math.top_k(tf.range(100, dtype=dtype), k, sorted=False)
        down = tf.math.top_k(tf.range(100, 0, -1, dtype=dtype), k, sorted=False)
        print("ascending", dtype.name, k, show(up), "descending", show(down))
for n, k in [(5000, 10), (3000, 100), (4096, 2)]:
    top = tf.math.top_k(tf.constant(rng.normal(size=(2, n)), tf.float32), k, sorted=False)
    print("long", n, k, top.indices.numpy().tolist())
for k, dtype in [(2, tf.float32), (5, tf.int32), (23, tf.float16)]:  # many rows: replayed together
    x = rng.integers(-4, 5, (130, 24)) if k == 5 else rng.normal(size=(130, 24)).round(1)
    print("rows", k, tf.math.top_k(tf.constant(x, dtype), k, sorted=False).indices.numpy().tolist())
print(tf.math.top_k(tf.zeros([0, 5]), 3, sorted=False).indices.shape)
