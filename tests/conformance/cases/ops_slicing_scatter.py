# slice, strided_slice (every mask), scatter_nd, tensor_scatter_nd_*, indexing errors, and their gradients
# ruff: noqa: B023 - each lambda runs at once, inside its loop iteration
import numpy as np
import tensorflow as tf


def show(label, make):
    try:
        t = make()
        print(label, "->", t.dtype.name, t.shape, np.asarray(t).tolist())
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        print(label, "!!", type(e).__name__)


t = tf.constant(np.arange(24).reshape(2, 3, 4))
m = tf.constant([[1, 2, 3], [4, 5, 6]])
v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
show("slice", lambda: tf.slice(t, [0, 1, 1], [2, 2, 2]))
show("slice -1", lambda: tf.slice(t, [1, 0, 2], [-1, -1, -1]))
show("slice size 0", lambda: tf.slice(t, [1, 0, 0], [0, 2, 2]))
show("slice variable", lambda: tf.slice(v, [1, 0], [1, 2]))
show("slice list", lambda: tf.slice([[1, 2], [3, 4]], [0, 1], [2, 1]))
show("slice out of range", lambda: tf.slice(m, [0, 2], [1, 2]))
show("slice negative begin", lambda: tf.slice(m, [-1, 0], [1, 2]))
show("slice wrong length", lambda: tf.slice(m, [0], [1]))
show("slice float begin", lambda: tf.slice(m, [0.0, 1.0], [1, 1]))
for args in [
    ([0, 0], [2, 3], [1, 1], {}),
    ([1, 2], [0, 0], [-1, -1], {}),
    ([0, 0], [2, 3], [1, 2], {}),
    ([1, 1], [2, 3], [1, 1], {"begin_mask": 1}),
    ([0, 0], [1, 2], [1, 1], {"end_mask": 2}),
    ([0, 0], [1, 2], [1, 1], {"begin_mask": 3, "end_mask": 3}),
    ([1, 0], [2, 3], [1, 1], {"shrink_axis_mask": 1}),
    ([1, 2], [2, 3], [1, 1], {"shrink_axis_mask": 3}),
    ([0, 0], [2, 3], [1, 1], {"new_axis_mask": 1}),
    ([0, 1], [1, 2], [1, 1], {"new_axis_mask": 2}),
    ([0, 1], [0, 3], [1, 1], {"ellipsis_mask": 1}),
    ([1, 0], [2, 0], [1, 1], {"ellipsis_mask": 2, "shrink_axis_mask": 1}),
    ([5, 0], [6, 3], [1, 1], {"shrink_axis_mask": 1}),
    ([0, 0], [2, 3], [1, 0], {}),
    ([0, 0, 0], [1, 1, 1], [1, 1, 1], {"ellipsis_mask": 3}),
    ([0, 0], [-1, -1], [1, 1], {}),
    ([-1, -1], [-3, -4], [-1, -1], {}),
]:
    begin, end, strides, masks = args
    show(f"strided_slice {begin} {end} {strides} {masks}", lambda: tf.strided_slice(m, begin, end, strides, **masks))
show("strided_slice 3d ellipsis", lambda: tf.strided_slice(t, [0, 1], [1, 3], ellipsis_mask=1))
show("strided_slice no strides", lambda: tf.strided_slice(t, [0, 1, 1], [2, 3, 3]))
show("index list", lambda: m[[0, 1]])
show("index bool", lambda: m[True])
show("index float", lambda: m[1.0])
show("index tensor", lambda: m[tf.constant(1)])
show("index int64 tensor", lambda: m[tf.constant(1, tf.int64)])
show("index out of range", lambda: m[2])
show("index negative", lambda: m[-1, -2])
show("index too many", lambda: m[0, 0, 0])
show("index newaxis", lambda: m[tf.newaxis, :, 1])
show("index ellipsis", lambda: t[..., 1])
show("index slice tensor", lambda: m[tf.constant(0) : tf.constant(1)])
show("index string", lambda: m["a"])
show("index None only", lambda: m[None])

show("scatter_nd", lambda: tf.scatter_nd([[1], [3]], [5, 7], [6]))
show("scatter_nd repeated", lambda: tf.scatter_nd([[1], [1]], [5.0, 7.0], [3]))
show("scatter_nd slices", lambda: tf.scatter_nd([[0], [2]], [[1, 2], [3, 4]], [3, 2]))
show("scatter_nd 2d", lambda: tf.scatter_nd([[0, 1], [1, 0]], [9, 8], [2, 2]))
show("scatter_nd out of range", lambda: tf.scatter_nd([[3]], [1], [3]))
show("scatter_nd negative", lambda: tf.scatter_nd([[-1]], [1], [3]))
show("scatter_nd float indices", lambda: tf.scatter_nd([[1.0]], [1], [3]))
show("scatter_nd tensor shape", lambda: tf.scatter_nd(tf.constant([[0]]), tf.constant([4]), tf.constant([2])))
for name, fn in [
    ("update", tf.tensor_scatter_nd_update),
    ("add", tf.tensor_scatter_nd_add),
    ("sub", tf.tensor_scatter_nd_sub),
    ("min", tf.tensor_scatter_nd_min),
    ("max", tf.tensor_scatter_nd_max),
]:
    show(name, lambda: fn(m, [[0, 1], [1, 2]], [10, -10]))
    show(name + " rows", lambda: fn(m, [[1]], [[7, 8, 9]]))
    show(name + " float", lambda: fn(tf.constant([1.0, 2.0, 3.0]), [[0], [2]], [0.5, 5.0]))
    show(name + " out of range", lambda: fn(m, [[2, 0]], [1]))
    show(name + " wrong updates", lambda: fn(m, [[0, 0]], [1, 2]))
    show(name + " float updates", lambda: fn(m, [[0, 0]], [1.5]))
    show(name + " variable", lambda: fn(v, [[0, 0]], [9.0]))

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
for label, f in [
    ("slice", lambda x: tf.slice(x, [0, 1], [2, 1])),
    ("strided_slice", lambda x: tf.strided_slice(x, [1, 0], [2, 2], shrink_axis_mask=1)),
    ("scatter_nd", lambda x: tf.scatter_nd([[2], [0]], x, [3, 2])),
    ("tensor_scatter_nd_update", lambda x: tf.tensor_scatter_nd_update(x, [[0, 0]], [x[1, 1] * 2])),
    ("tensor_scatter_nd_add", lambda x: tf.tensor_scatter_nd_add(x, [[1, 0]], [x[0, 0] * 3])),
    ("tensor_scatter_nd_sub", lambda x: tf.tensor_scatter_nd_sub(x, [[1, 0]], [x[0, 1] * 3])),
    ("tensor_scatter_nd_max", lambda x: tf.tensor_scatter_nd_max(x, [[0, 0], [1, 1]], [x[0, 1], x[0, 0]])),
    ("tensor_scatter_nd_min", lambda x: tf.tensor_scatter_nd_min(x, [[0, 1]], [x[0, 0]])),
]:
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(
            f(x) * tf.cast(tf.range(tf.size(f(x))) + 1, tf.float32)[..., None][: tf.shape(f(x))[0]]
            if len(f(x).shape) > 1
            else f(x) * 2.0
        )
    print("grad", label, tape.gradient(y, x).numpy().tolist())
