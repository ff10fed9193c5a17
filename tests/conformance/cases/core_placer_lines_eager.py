# With placement logging on, TF's placer prints on stdout the nodes of each function it instantiates: every
# eager op runs as a one-node function, made the first time the op runs with given attrs (dtypes, keep_dims,
# transpose_b, a variable's dtype and shape...) on a device. Its arguments are _Arg nodes named after the op
# definition's inputs (`reduction__indices`: underscores doubled; `values_0`... for a list), _DeviceArg for an
# int32 one; its results `<output>_RetVal`, _DeviceRetval for int32 but where the kernel keeps it on the host
# (Shape's); an op of no inputs and one output (VarHandleOp) comes after its result; `set_seed` empties TF's
# cache of functions (each is made and printed again); a float32 MatMul is placed
# again as oneDNN's _MklMatMul (oneDNN's rewrites are on, as by default on x86 CPUs: tfdiff turns them off).
import os

os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"
import tensorflow as tf  # noqa: E402

tf.debugging.set_log_device_placement(True)


def step(name, f):
    print("==", name)
    f()


a = tf.constant([1.0, 2.0])
b = a + a
c = tf.reduce_sum(b, axis=0)
i = tf.constant([1, 2])
print(i + i)
m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
step("concat of three", lambda: tf.concat([a, a, a], 0))
step("concat of two", lambda: tf.concat([a, a], 0))
step("stack", lambda: tf.stack([a, a]))
step("stack int32", lambda: tf.stack([i, i]))
step("add_n", lambda: tf.add_n([a, a]))
step("split", lambda: tf.split(a, 2))
step("top_k", lambda: tf.math.top_k(a, 1))
step("int64 add", lambda: tf.constant([1, 2], tf.int64) + 1)
step("comparison and logical_not", lambda: tf.logical_not(a > 1))
step("shape", lambda: tf.shape(a))
step("reshape", lambda: tf.reshape(a, [2, 1]))
step("reshape again", lambda: tf.reshape(a, [1, 2]))
step("matmul", lambda: tf.matmul(m, m))
step("matmul again", lambda: tf.matmul(m, m))
step("matmul transpose_b", lambda: tf.matmul(m, m, transpose_b=True))
step("matmul int32", lambda: tf.matmul(tf.cast(m, tf.int32), tf.cast(m, tf.int32)))
step("cast back", lambda: tf.cast(i, tf.float32))
step("sum keepdims", lambda: tf.reduce_sum(m, 1, keepdims=True))
step("sum of all", lambda: tf.reduce_sum(m))
step("sum int32", lambda: tf.reduce_sum(i))
step("string", lambda: tf.constant("x"))
step("variable", lambda: tf.Variable(1.0))
step("variable again", lambda: tf.Variable(2.0))
v = tf.Variable([1.0, 2.0])
step("read", lambda: v.read_value())
step("assign_add", lambda: v.assign_add([1.0, 1.0]))
step("numpy", lambda: v.numpy())
step("fill", lambda: tf.fill([2], 3.0))
step("range", lambda: tf.range(3))
step("gather", lambda: tf.gather(a, [0]))
step("where", lambda: tf.where(a > 1))
step("relu, softmax, tanh", lambda: (tf.nn.relu(m), tf.nn.softmax(m), tf.tanh(m)))
step("transpose", lambda: tf.transpose(m))
step("expand_dims, squeeze", lambda: tf.squeeze(tf.expand_dims(m, 0)))
step("argmax", lambda: tf.argmax(m))
step("pad, tile", lambda: (tf.pad(m, [[1, 1], [0, 0]]), tf.tile(m, [1, 2])))
step("unstack", lambda: tf.unstack(m))
step("einsum", lambda: tf.einsum("ij,jk->ik", m, m))
step("shape of int32", lambda: tf.shape(i))
step("slices: new masks, new functions", lambda: (m[0], m[1], m[:, 1], m[1:], m[:1], m[..., 0], m[None], m[0, 1]))
step("int32 slice", lambda: i[0])
step("reversed", lambda: m[::-1])
step("int32 variable of a Python int", lambda: tf.Variable(3))
step("variable of a list", lambda: tf.Variable([5, 6, 7]))
w = tf.Variable(7)
step("assign: not the initializer's function", lambda: w.assign(5))
step("assign again", lambda: w.assign(tf.constant(6)))
step("assign_sub", lambda: w.assign_sub(1))
step("squeeze by axis", lambda: (tf.squeeze(tf.ones([1, 2, 1]), axis=[2]), tf.squeeze(tf.ones([1, 2, 1]), axis=2)))
step("split by sizes", lambda: tf.split(tf.ones([3]), [1, 2]))
step("set_seed clears the functions", lambda: (tf.random.set_seed(1), a * a))
step("end", lambda: None)
