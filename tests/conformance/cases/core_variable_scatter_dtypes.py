# Which variable updates each dtype has a kernel for, and what they compute
import numpy as np
import tensorflow as tf

values = {tf.bool: ([True, False, True], [True, True]), tf.string: (["a", "b", "c"], ["x", "y"]),
          tf.complex64: ([1 + 2j, 3, 4j], [2j, 1 + 1j])}
updates = {
    "assign_add": lambda v, u: v.assign_add(tf.concat([u, u[:1]], 0)),
    "assign_sub": lambda v, u: v.assign_sub(tf.concat([u, u[:1]], 0)),
    "scatter_nd_update": lambda v, u: v.scatter_nd_update([[0], [2]], u),
    "scatter_nd_add": lambda v, u: v.scatter_nd_add([[0], [0]], u),
    "scatter_nd_sub": lambda v, u: v.scatter_nd_sub([[2], [1]], u),
    "scatter_nd_max": lambda v, u: v.scatter_nd_max([[0], [2]], u),
    "scatter_nd_min": lambda v, u: v.scatter_nd_min([[1], [2]], u),
}
for name in ["update", "add", "sub", "mul", "div", "max", "min"]:
    updates["scatter_" + name] = lambda v, u, name=name: getattr(v, "scatter_" + name)(
        tf.IndexedSlices(u, tf.constant([2, 0])))
updates["batch_scatter_update"] = lambda v, u: v.batch_scatter_update(tf.IndexedSlices(u, tf.constant([1, 0])))


def shown(v):
    a = v.numpy()
    return a.astype(np.float64) if v.dtype in (tf.bfloat16, tf.float16) else a


for dtype in [tf.float32, tf.float64, tf.float16, tf.bfloat16, tf.int32, tf.int64, tf.int8, tf.uint8, tf.uint32,
              tf.bool, tf.string, tf.complex64]:
    start, delta = values.get(dtype, ([7, 9, 11], [2, 3]))
    for name, update in updates.items():
        v = tf.Variable(start, dtype=dtype)
        try:
            r = update(v, tf.constant(delta, dtype=dtype))
            print(dtype.name, name, r.name, shown(v))
        except Exception as e:
            print(dtype.name, name, "!!", type(e).__name__, shown(v))
