# The placement log of array, math and variable ops, as TF logs them: arguments TF passes as tensors and eagerflow
# as attrs (an axis, multiples, a shape, a depth, begin and size) are _EagerConsts when given as Python values
# (a scalar on its first use for its dtype only: an axis of ConcatV2, Sum or ArgMax is int32, one of GatherV2 or
# Roll has no dtype of its own); split into parts is Split, slice Slice, pad with zeros Pad, shape Shape, norm ends
# with Squeeze. The log (stderr) is captured through file descriptor 2.
import os
import re
import sys
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"  # TF's placement log is at INFO
import tensorflow as tf  # noqa: E402

log_path = os.path.join(tempfile.mkdtemp(), "stderr.txt")
saved, saved_out = os.dup(2), os.dup(1)
log_file, null = open(log_path, "w"), open(os.devnull, "w")
sys.stdout.flush()
os.dup2(log_file.fileno(), 2)
os.dup2(null.fileno(), 1)   # TF's placer also prints the nodes of each op's function on stdout
tf.debugging.set_log_device_placement(True)


def mark(step):
    sys.stderr.flush()
    os.write(2, f"Executing op MARK {step}\n".encode())




def run(steps):
    for step, f in steps:
        mark(step)
        f()
    mark("end")
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.dup2(saved_out, 1)
    log_file.close()
    with open(log_path) as f:
        for line in f:
            found = re.search(r"Executing op (\S+) in device (\S+)|Executing op MARK (.*)", line)
            if found:
                step = found.group(3)
                print(step if step else f"  {found.group(1)} on {found.group(2).rsplit('/', 1)[-1]}")


x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
v = tf.Variable([1.0, 2.0])
run([
    ("concat", lambda: tf.concat([x, x], 0)),
    ("concat again", lambda: tf.concat([x, x], 1)),
    ("stack", lambda: tf.stack([x, x])),
    ("unstack", lambda: tf.unstack(x)),
    ("gather", lambda: tf.gather(x, [0])),
    ("gather axis", lambda: tf.gather(x, [0], axis=1)),
    ("gather_nd", lambda: tf.gather_nd(x, [[0, 1]])),
    ("scatter_nd", lambda: tf.scatter_nd([[0]], [1.0], [2])),
    ("tensor_scatter_nd_update", lambda: tf.tensor_scatter_nd_update(x, [[0]], [[5.0, 6.0]])),
    ("split", lambda: tf.split(x, 2)),
    ("split sizes", lambda: tf.split(x, [1, 1], axis=1)),
    ("tile", lambda: tf.tile(x, [1, 2])),
    ("tile tensor", lambda: tf.tile(x, tf.constant([2, 1]))),
    ("pad", lambda: tf.pad(x, [[1, 0], [0, 0]])),
    ("pad with ones", lambda: tf.pad(x, [[1, 0], [0, 0]], constant_values=1.0)),
    ("expand_dims", lambda: tf.expand_dims(x, 0)),
    ("squeeze", lambda: tf.squeeze(tf.ones([1, 2]))),
    ("squeeze axis", lambda: tf.squeeze(tf.ones([1, 2]), 0)),
    ("range", lambda: tf.range(3)),
    ("range again", lambda: tf.range(3)),
    ("range 0 4 1", lambda: tf.range(0, 4, 1)),
    ("range float", lambda: tf.range(0.0, 1.0, 0.5)),
    ("argmax", lambda: tf.argmax(x)),
    ("argmax axis", lambda: tf.argmax(x, axis=1)),
    ("argmin", lambda: tf.argmin(x)),
    ("cumsum", lambda: tf.cumsum(x)),
    ("cumsum axis", lambda: tf.cumsum(x, axis=1)),
    ("cumprod", lambda: tf.math.cumprod(x)),
    ("reverse", lambda: tf.reverse(x, [0])),
    ("roll", lambda: tf.roll(x, 1, 0)),
    ("slice", lambda: tf.slice(x, [0, 0], [1, 2])),
    ("reshape -1", lambda: tf.reshape(x, [-1])),
    ("broadcast_to", lambda: tf.broadcast_to([1.0], [2])),
    ("fill", lambda: tf.fill([2], 3.0)),
    ("zeros_like", lambda: tf.zeros_like(x)),
    ("ones_like", lambda: tf.ones_like(x)),
    ("top_k", lambda: tf.math.top_k(tf.constant([3, 1, 2]), 2)),
    ("einsum", lambda: tf.einsum("ij,jk->ik", x, x)),
    ("matmul", lambda: tf.matmul(x, x)),
    ("x * 2", lambda: x * 2),
    ("2 - x", lambda: 2 - x),
    ("x / 2", lambda: x / 2),
    ("x // 2", lambda: x // 2),
    ("x % 2", lambda: x % 2),
    ("x ** 0.5", lambda: x ** 0.5),
    ("x ** 2", lambda: x ** 2),
    ("-x", lambda: -x),
    ("abs", lambda: abs(x)),
    ("x > 1", lambda: x > 1),
    ("x == 1.0", lambda: x == 1.0),
    ("maximum", lambda: tf.maximum(x, 2.0)),
    ("minimum", lambda: tf.minimum(x, 0.0)),
    ("where", lambda: tf.where(x > 2.0, x, 0.0)),
    ("reduce_mean axis", lambda: tf.reduce_mean(x, axis=1)),
    ("reduce_prod", lambda: tf.reduce_prod(x)),
    ("reduce_any", lambda: tf.reduce_any(x > 1)),
    ("cast", lambda: tf.cast(x, tf.int32)),
    ("shape", lambda: tf.shape(x)),
    ("size", lambda: tf.size(x)),
    ("norm", lambda: tf.norm(x)),
    ("norm axis", lambda: tf.norm(x, axis=1)),
    ("norm keepdims", lambda: tf.norm(x, axis=1, keepdims=True)),
    ("softmax", lambda: tf.nn.softmax(x)),
    ("relu", lambda: tf.nn.relu(x)),
    ("v.assign", lambda: v.assign([3.0, 4.0])),
    ("v.assign_sub", lambda: v.assign_sub([1.0, 1.0])),
    ("v + 1.0", lambda: v + 1.0),
    ("v * 2.0", lambda: v * 2.0),
    ("v[0]", lambda: v[0]),
    ("v.scatter_nd_update", lambda: v.scatter_nd_update([[0]], [7.0])),
    ("dropout", lambda: tf.nn.dropout(x, 0.5, seed=1)),
    ("dropout noise_shape", lambda: tf.nn.dropout(x, 0.5, noise_shape=[2, 1], seed=1)),
    ("reduce_logsumexp", lambda: tf.reduce_logsumexp(x)),
    ("reduce_logsumexp axis", lambda: tf.reduce_logsumexp(x, axis=1)),
    ("reduce_logsumexp keepdims", lambda: tf.reduce_logsumexp(x, axis=1, keepdims=True)),
    ("reshape by a tensor", lambda: tf.reshape(x, tf.constant([4]))),
])
