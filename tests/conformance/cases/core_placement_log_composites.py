# The placement log of functions TF composes of other ops: tensordot is Transpose and Reshape where a side is
# not a matrix with its contracted axes in place already, one MatMul and a Reshape to the free dimensions
# (a shape [] is two _EagerConsts: TF converts it to float32 first); clip_by_value is Minimum then Maximum.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.ones([2, 3, 4])
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
])
