# The extremes of every integer dtype (and bool) in sort, argsort, top_k, argmax/argmin, unique and searchsorted:
# uint64 above 2**63 and the most negative signed value must keep their place
import tensorflow as tf
for dt in [tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.int8, tf.int16, tf.int32, tf.int64, tf.bool]:
    if dt == tf.bool:
        v = [True, False, True, False]
    else:
        v = [dt.max, 0, 1, dt.min, dt.max - 1, dt.max // 2 + 1, 0, dt.max]
    x = tf.constant(v, dt)
    for d in ["ASCENDING", "DESCENDING"]:
        try:
            print(dt.name, d, "sort", tf.sort(x, direction=d).numpy().tolist())
        except Exception as e:
            print(dt.name, d, "sort", type(e).__name__)
        try:
            print(dt.name, d, "argsort", tf.argsort(x, direction=d).numpy().tolist())
        except Exception as e:
            print(dt.name, d, "argsort", type(e).__name__)
        try:
            print(dt.name, d, "argsort stable", tf.argsort(x, direction=d, stable=True).numpy().tolist())
        except Exception as e:
            print(dt.name, d, "argsort", type(e).__name__)
    for k in [1, 3, len(v)]:
        try:
            r = tf.math.top_k(x, k)
            print(dt.name, "top_k", k, r.values.numpy().tolist(), r.indices.numpy().tolist())
            r = tf.math.top_k(x, k, sorted=False)
            print(dt.name, "top_k unsorted", k, r.values.numpy().tolist(), r.indices.numpy().tolist())
        except Exception as e:
            print(dt.name, "top_k", type(e).__name__)
    for fname, f in [("argmax", tf.argmax), ("argmin", tf.argmin)]:
        try:
            print(dt.name, fname, f(x).numpy(), f(tf.reshape(x, [2, -1]), axis=1).numpy().tolist())
        except Exception as e:
            print(dt.name, fname, type(e).__name__)
    try:
        u = tf.unique(x)
        print(dt.name, "unique", u.y.numpy().tolist(), u.idx.numpy().tolist())
    except Exception as e:
        print(dt.name, "unique", type(e).__name__)
    try:
        s = tf.sort(x)
        print(dt.name, "searchsorted", tf.searchsorted(s, x).numpy().tolist(),
              tf.searchsorted(s, x, side="right").numpy().tolist())
    except Exception as e:
        print(dt.name, "searchsorted", type(e).__name__)
    try:
        print(dt.name, "max", tf.reduce_max(x).numpy(), tf.reduce_min(x).numpy(),
              tf.maximum(x, x[::-1]).numpy().tolist())
    except Exception as e:
        print(dt.name, "max", type(e).__name__)
