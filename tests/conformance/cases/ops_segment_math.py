# ruff: noqa: B023 - each lambda runs at once, inside its loop iteration
# segment reductions, count_nonzero, lgamma, saturate_cast, matvec, norm, bias_add: values, dtypes, errors, gradients
import numpy as np
import tensorflow as tf


def show(label, make):
    try:
        t = make()
        print(label, "->", t.dtype.name, t.shape, np.round(np.asarray(t).astype(np.float64), 4).tolist())
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        print(label, "!!", type(e).__name__)


data = tf.constant([[1.0, -2.0], [3.0, 4.0], [5.0, -6.0], [7.0, 8.0]])
idata = tf.constant([4, 1, 3, 2, 6])
for name in ["segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod"]:
    fn = getattr(tf.math, name)
    show(name, lambda: fn(data, [0, 0, 2, 2]))
    show(name + " int", lambda: fn(idata, [0, 1, 1, 3, 3]))
    show(name + " unsorted ids", lambda: fn(idata, [1, 0, 1, 3, 3]))
    show(name + " negative ids", lambda: fn(idata, [-1, 0, 1, 3, 3]))
    show(name + " wrong length", lambda: fn(idata, [0, 1]))
    show(name + " float ids", lambda: fn(idata, [0.0, 1.0, 1.0, 3.0, 3.0]))
for name in ["unsorted_segment_sum", "unsorted_segment_mean", "unsorted_segment_max", "unsorted_segment_min",
             "unsorted_segment_prod", "unsorted_segment_sqrt_n"]:
    fn = getattr(tf.math, name)
    show(name, lambda: fn(data, [2, 0, 2, -1], num_segments=4))
    show(name + " int", lambda: fn(idata, [1, 1, 0, 0, 1], num_segments=3) if "sqrt" not in name and "mean" not in name
         else fn(tf.cast(idata, tf.float64), [1, 1, 0, 0, 1], num_segments=3))
    show(name + " 2-D ids", lambda: fn(data, [[0, 1], [1, 0], [0, 0], [1, 1]], num_segments=2))
    show(name + " id too large", lambda: fn(idata, [0, 1, 5, 0, 0], num_segments=3))
    show(name + " tensor num", lambda: fn(data, tf.constant([0, 1, 0, 1]), tf.constant(2)))

for name in ["segment_sum", "segment_mean", "segment_max", "segment_min", "segment_prod", "unsorted_segment_sum",
             "unsorted_segment_mean", "unsorted_segment_max", "unsorted_segment_min", "unsorted_segment_prod",
             "unsorted_segment_sqrt_n"]:
    fn = getattr(tf.math, name)
    x = tf.constant([1.0, 3.0, 3.0, 0.0, 2.0, 5.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        ids = [0, 0, 0, 1, 1, 3]
        out = fn(x, ids) if name.startswith("segment") else fn(x, ids, num_segments=4)
        y = tf.reduce_sum(out * tf.constant([1.0, 2.0, 3.0, 4.0]))
    print("grad", name, np.round(tape.gradient(y, x).numpy(), 4).tolist())

show("count_nonzero", lambda: tf.math.count_nonzero([[0, 1, 2], [0, 0, 3]]))
show("count_nonzero axis", lambda: tf.math.count_nonzero([[0, 1, 2], [0, 0, 3]], axis=0))
show("count_nonzero keepdims", lambda: tf.math.count_nonzero([[0.0, 1.5], [0.0, 0.0]], axis=1, keepdims=True))
show("count_nonzero dtype", lambda: tf.math.count_nonzero([True, False, True], dtype=tf.int32))
show("count_nonzero strings", lambda: tf.math.count_nonzero(["", "a", "b"]))
show("count_nonzero nan", lambda: tf.math.count_nonzero([np.nan, 0.0, -0.0]))
for dtype in [tf.float16, tf.float32, tf.float64, tf.int32, tf.bfloat16]:
    show(f"lgamma {dtype.name}", lambda: tf.math.lgamma(tf.cast([0.5, 1.0, 2.5, 10.0, -1.5], dtype)))
x = tf.constant([0.5, 2.0, 4.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.reduce_sum(tf.math.lgamma(x))
print("grad lgamma", np.round(tape.gradient(y, x).numpy(), 4).tolist())
for value, dtype in [([-5.0, 300.0, 12.7], tf.uint8), ([-1e10, 1e10], tf.int32), ([70000, -70000], tf.int16),
                     ([300, -300], tf.int8), ([1e300, -1e300], tf.float32), ([-3, 5], tf.uint16),
                     ([1.5, 2.5], tf.float64), ([1 + 2j], tf.float32), ([2**40], tf.int32), ([-1], tf.uint64)]:
    show(f"saturate_cast {value} {dtype.name}", lambda: tf.dtypes.saturate_cast(value, dtype))
    show(f"tf.saturate_cast {value} {dtype.name}", lambda: tf.saturate_cast(tf.constant(value), dtype))
show("dtypes.cast", lambda: tf.dtypes.cast([1.7, -1.7], tf.int32))
show("dtypes.cast bool", lambda: tf.dtypes.cast([0, 2], tf.bool))
m = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
show("matvec", lambda: tf.linalg.matvec(m, [1.0, 0.0, -1.0]))
show("matvec transpose", lambda: tf.linalg.matvec(m, [1.0, 2.0], transpose_a=True))
show("matvec batch", lambda: tf.linalg.matvec(tf.stack([m, 2 * m]), [[1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]))
show("matvec int", lambda: tf.linalg.matvec([[1, 2], [3, 4]], [1, 1]))
show("matvec shape error", lambda: tf.linalg.matvec(m, [1.0, 2.0]))
show("matvec dtype error", lambda: tf.linalg.matvec(m, tf.constant([1, 2, 3])))
show("norm", lambda: tf.norm(m))
show("norm axis", lambda: tf.norm(m, axis=1))
show("norm ord 1", lambda: tf.norm(m, ord=1, axis=0))
show("norm inf", lambda: tf.norm([-3.0, 2.0], ord=np.inf))
show("norm keepdims", lambda: tf.norm(m, axis=-1, keepdims=True))
show("norm fro", lambda: tf.norm(m, ord="fro", axis=[0, 1]))
show("bias_add", lambda: tf.nn.bias_add(tf.zeros([2, 3]), [1.0, 2.0, 3.0]))
show("bias_add wrong size", lambda: tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([4])))
show("bias_add rank 0", lambda: tf.nn.bias_add(tf.zeros([]), tf.zeros([1])))
show("bias_add bias rank 2", lambda: tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([1, 3])))
show("bias_add dtype", lambda: tf.nn.bias_add(tf.zeros([2, 3]), tf.zeros([3], tf.float64)))
show("bias_add NCHW", lambda: tf.nn.bias_add(tf.zeros([1, 2, 2, 2]), [1.0, 2.0], data_format="NCHW"))
show("bias_add int", lambda: tf.nn.bias_add(tf.constant([[1, 2]]), [3, 4]))
show("bias_add bool", lambda: tf.nn.bias_add(tf.constant([[True]]), [True]))
