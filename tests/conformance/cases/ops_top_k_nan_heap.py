# top_k with 1 < k < the row's length of rows holding NaN (TF's gtl::TopN heap, where a NaN ties with
# every value and the lower index wins): random rows of 3..70 values with few to almost all NaN, ties,
# +-inf and signed zeros, in float32, float64, float16 and bfloat16; then batches of rows, and rows
# without NaN (ties, ints), which must come out as the stable descending order
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(2021)
float_types = [tf.float32, tf.float64, tf.float16, tf.bfloat16]
specials = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0])


def show(values, indices):
    values = " ".join(f"{v:g}" for v in values.numpy().astype(np.float64).ravel())
    indices = " ".join(str(i) for i in indices.numpy().ravel())
    return f"[{indices}] [{values}]"


def random_row(case, n):
    x = rng.integers(-4, 5, n).astype(np.float64) if case % 2 else rng.normal(size=n).round(1)
    x[rng.random(n) < rng.choice([0.05, 0.2, 0.5, 0.8, 0.95])] = np.nan
    x[rng.random(n) < 0.05] = rng.choice(specials)
    if not np.isnan(x).any():
        x[rng.integers(n)] = np.nan
    return x


for case in range(400):
    n = int(rng.integers(3, 71))
    k = int(rng.integers(2, n))
    dtype = float_types[case % 4]
    top = tf.math.top_k(tf.constant(random_row(case, n), dtype), k)
    print(case, dtype.name, n, k, show(top.values, top.indices))
for case in range(8):
    n = int(rng.integers(10, 60))
    k = int(rng.integers(2, n))
    batch = np.stack([random_row(case, n) for _ in range(5)])
    batch[2] = rng.integers(-3, 3, n)  # one row of the batch without NaN
    top = tf.math.top_k(tf.constant(batch, float_types[case % 4]), k)
    print("batch", case, n, k, show(top.values, top.indices))
for dtype in [tf.float32, tf.int32, tf.int64, tf.int8, tf.uint8, tf.float16]:
    n = int(rng.integers(20, 90))
    k = int(rng.integers(2, n))
    top = tf.math.top_k(tf.constant(rng.integers(0, 6, n), dtype), k)
    print("no nan", dtype.name, n, k, show(top.values, top.indices))
