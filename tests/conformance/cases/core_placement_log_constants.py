# The placement log's constants, as TF logs them: a Python scalar becomes a tensor by _EagerConst on its first
# use only (TF caches it by value, type, requested dtype and device), a list each time; the begin/end/strides of
# a slice, a reduction's axis, Fill's dims, Reshape's shape and Transpose's perm are constants too;
# sparse_read is one ResourceGather.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

mark("variable")
v = tf.Variable([1.0, 2.0, 3.0])
mark("sparse_read")
r = v.sparse_read([0, 2])
x = tf.constant([1.0, 2.0])
run([("x + 1.0", lambda: x + 1.0), ("x + 1.0 again", lambda: x + 1.0), ("x * 1.0", lambda: x * 1.0),
                ("x + 1 (an int)", lambda: x + 1), ("x + float('1.5')", lambda: x + float("1.5")),
                ("x + float('1.5') again", lambda: x + float("1.5")), ("bool", lambda: tf.logical_and([True], True)),
                ("bool again", lambda: tf.logical_and([True], True)), ("slice", lambda: x[1:]),
                ("slice again", lambda: x[1:]), ("index", lambda: x[0]), ("sum", lambda: tf.reduce_sum(x)),
                ("sum axis", lambda: tf.reduce_sum(x, axis=0)), ("sum axis again", lambda: tf.reduce_sum(x, axis=0)),
                ("max axis list", lambda: tf.reduce_max(x, axis=[0])), ("mean", lambda: tf.reduce_mean(x)),
                ("zeros", lambda: tf.zeros([2, 3])), ("zeros again", lambda: tf.zeros([2])),
                ("ones", lambda: tf.ones([2, 2])), ("transpose", lambda: tf.transpose(tf.ones([2, 2]))),
                ("reshape", lambda: tf.reshape(x, [2, 1])), ("constant 5", lambda: tf.constant(5)),
                ("constant 5 again", lambda: tf.constant(5)),
                ("constant 7 as float", lambda: tf.constant(7, tf.float32)),
                ("constant 7.0", lambda: tf.constant(7.0)), ("constant list", lambda: tf.constant([1, 2])),
                ("constant list again", lambda: tf.constant([1, 2])),
                ("variable of 3", lambda: tf.Variable(3)),
                ("zeros_initializer", lambda: tf.Variable(tf.zeros_initializer()([2]))),
                ("gather_nd", lambda: v.gather_nd([[1]])),
                ("assign_add", lambda: v.assign_add([1.0, 1.0, 1.0])), ("read_value", lambda: v.read_value())])
