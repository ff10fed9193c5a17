# The placement log of functions TF composes of other ops: tensordot is Transpose and Reshape where a side is
# not a matrix with its contracted axes in place already, one MatMul and a Reshape to the free dimensions
# (a shape [] is two _EagerConsts: TF converts it to float32 first); clip_by_value is Minimum then Maximum;
# sort and argsort are TopKV2 of k = Shape then StridedSlice, on the values negated for an ascending order (Neg,
# and Sub for integers: -x - 1; max - x for unsigned ones), between Transposes where the axis is not the last;
# a perm given as a tensor is no _EagerConst; zeros, ones and fill make their dims' _EagerConst first; linspace
# is TF's sixty ops (integer ends cast to float64 for the division); a slice with a tensor bound Packs its begin,
# end or strides where they hold a tensor.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.ones([2, 3, 4])
i = tf.constant([3, 1, 2])
u = tf.constant([3, 1, 2], tf.uint64)
run([
    ("tensordot 1", lambda: tf.tensordot(x, x, 1)),
    ("tensordot axes", lambda: tf.tensordot(x, x, [[0], [1]])),
    ("tensordot int pair", lambda: tf.tensordot(x, x, [1, 0])),
    ("tensordot 0", lambda: tf.tensordot(x, x, 0)),
    ("tensordot 2", lambda: tf.tensordot(x, x, 2)),
    ("tensordot 3d", lambda: tf.tensordot(y, y, [[0, 2], [0, 2]])),
    ("tensordot vectors", lambda: tf.tensordot([1.0, 2.0], [3.0, 4.0], 1)),
    ("reshape []", lambda: tf.reshape([1.0], [])),
    ("clip_by_value", lambda: tf.clip_by_value(x, 1.5, 3.0)),
    ("clip_by_value tensors", lambda: tf.clip_by_value(x, tf.constant(1.5), tf.constant(3.0))),
    ("clip_by_value int", lambda: tf.clip_by_value(tf.constant([1, 5, 10]), 2, 8)),
    ("sort", lambda: tf.sort(i)),
    ("sort descending", lambda: tf.sort(i, direction="DESCENDING")),
    ("sort float", lambda: tf.sort(x)),
    ("sort axis 0", lambda: tf.sort(x, axis=0)),
    ("sort axis tensor", lambda: tf.sort(x, axis=tf.constant(1))),
    ("sort 3d axis 1", lambda: tf.sort(y, axis=1)),
    ("sort 3d axis -3", lambda: tf.sort(y, axis=-3)),
    ("sort uint64", lambda: tf.sort(u)),
    ("argsort", lambda: tf.argsort(i)),
    ("argsort descending", lambda: tf.argsort(i, direction="DESCENDING")),
    ("argsort float axis 0", lambda: tf.argsort(x, axis=0)),
    ("argsort uint64", lambda: tf.argsort(u)),
    ("transpose", lambda: tf.transpose(x)),
    ("transpose perm", lambda: tf.transpose(x, [1, 0])),
    ("transpose perm tensor", lambda: tf.transpose(x, tf.constant([1, 0]))),
    ("zeros int32", lambda: tf.zeros([2], tf.int32)),
    ("ones float64", lambda: tf.ones([2, 2], tf.float64)),
    ("fill", lambda: tf.fill([3], 7)),
    ("fill dims tensor", lambda: tf.fill(tf.constant([3]), 7)),
    ("linspace", lambda: tf.linspace(0.0, 1.0, 5)),
    ("linspace tensors", lambda: tf.linspace(tf.constant(0.0), tf.constant(1.0), 5)),
    ("linspace vectors", lambda: tf.linspace([0.0, 1.0], [1.0, 2.0], 3)),
    ("linspace axis", lambda: tf.linspace([0.0, 1.0], [1.0, 2.0], 3, axis=1)),
    ("linspace int", lambda: tf.linspace(0, 10, 3)),
    ("slice tensor stop", lambda: x[0:tf.constant(1)]),
    ("slice tensor start", lambda: x[tf.constant(1):]),
    ("slice tensor step", lambda: x[::tf.constant(2), 1:]),
])
