# NaN in sort, argsort and top_k over rows longer than 16 (TF's introsort) and top_k with k = 1 (Eigen's
# max reduction: SIMD lanes, then a scalar tail), in float32, float64, float16 and 2-D
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(5)
for n in [17, 20, 33, 64, 100, 257]:
    for frac in [0.1, 0.5, 0.9]:
        x = rng.integers(-5, 5, n).astype(np.float32)
        x[rng.random(n) < frac] = np.nan
        print(n, frac, "argsort descending", tf.argsort(x, direction="DESCENDING").numpy().tolist())
        print(n, frac, "argsort", tf.argsort(x).numpy().tolist())
        print(n, frac, "sort", tf.sort(x).numpy().tolist())
        print(n, frac, "top_k 1", tf.math.top_k(x, 1).indices.numpy().tolist())
        print(n, frac, "top_k n", tf.math.top_k(x, n).indices.numpy().tolist())
print("all nan", tf.argsort(np.full(40, np.nan, np.float32)).numpy().tolist())
for dtype in [tf.float32, tf.float64, tf.float16]:
    for n in [3, 4, 5, 7, 8, 9, 11, 12, 16, 17, 24, 30]:
        for _ in range(3):
            x = rng.integers(-3, 3, n).astype(np.float64)
            x[rng.random(n) < 0.6] = np.nan
            top = tf.math.top_k(tf.constant(x, dtype), 1)
            print(dtype.name, n, "top_k 1", top.indices.numpy().tolist(), top.values.numpy().tolist())
m = np.float32([[np.nan, 1, 2, np.nan, 5, np.nan, 0, 3, 4, np.nan], [np.nan] * 9 + [1.0]])
print("2-D top_k 1", tf.math.top_k(m, 1).indices.numpy().tolist())
print("2-D argsort", tf.argsort(m, axis=1).numpy().tolist())
print("2-D argsort axis 0", tf.argsort(tf.constant(np.tile(m, (1, 2)).T[:17].T), axis=0).numpy().tolist())
