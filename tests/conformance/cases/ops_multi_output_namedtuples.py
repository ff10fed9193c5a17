# Multi-output ops return TF's namedtuples (Unique, UniqueWithCounts, TopKV2, Qr, LogMatrixDeterminant, Lu);
# the others plain tuples or lists
import tensorflow as tf

x = tf.constant([3, 1, 3, 2])
m = tf.constant([[2.0, 1.0], [1.0, 3.0]])
results = {"unique": tf.unique(x), "unique_with_counts": tf.unique_with_counts(x), "top_k": tf.math.top_k(x, 2),
           "qr": tf.linalg.qr(m), "slogdet": tf.linalg.slogdet(m), "moments": tf.nn.moments(m, [0]),
           "eigh": tf.linalg.eigh(m), "lu": tf.linalg.lu(m), "svd": tf.linalg.svd(m),
           "meshgrid": tf.meshgrid([1, 2], [3]),
           "split": tf.split(x, 2), "unstack": tf.unstack(x)}
for name, r in results.items():
    print(name, type(r).__name__, getattr(r, "_fields", None), len(r))
print(tf.unique(x))
y, idx, count = tf.unique_with_counts(x)
print(tf.unique_with_counts(x).count.numpy(), count.numpy())
print(tf.linalg.slogdet(m).log_abs_determinant.numpy(), tf.linalg.lu(m).p.numpy(), tf.linalg.qr(m).r.shape)
