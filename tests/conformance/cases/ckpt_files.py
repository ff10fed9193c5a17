# Checkpoint files as users see them: names written, directories created, latest_checkpoint, the manager's
# numbering and rotation, and the error classes of bad paths, damaged files and mismatched models.
import os
import tempfile

import tensorflow as tf


def show(label, f):
    try:
        print(label, "OK", f())
    except Exception as e:
        print(label, type(e).__name__)


d = tempfile.mkdtemp()
v = tf.Variable([1.0, 2.0])
ckpt = tf.train.Checkpoint(v=v)
print(os.path.relpath(ckpt.write(os.path.join(d, "a", "b", "ck")), d), sorted(os.listdir(os.path.join(d, "a", "b"))))
print(os.path.relpath(ckpt.save(os.path.join(d, "s", "ck")), d), sorted(os.listdir(os.path.join(d, "s"))))
print(os.path.relpath(ckpt.save(os.path.join(d, "s", "ck")), d), int(ckpt.save_counter.numpy()))
print(os.path.relpath(tf.train.latest_checkpoint(os.path.join(d, "s")), d))
print(tf.train.latest_checkpoint(d), tf.train.latest_checkpoint(os.path.join(d, "a", "b")))
state = tf.train.get_checkpoint_state(os.path.join(d, "s"))
print(os.path.basename(state.model_checkpoint_path), [os.path.basename(p) for p in state.all_model_checkpoint_paths])
print([(k, s) for k, s in tf.train.list_variables(os.path.join(d, "s"))])
print(tf.train.load_variable(os.path.join(d, "s"), "v/.ATTRIBUTES/VARIABLE_VALUE"))

open(os.path.join(d, "file"), "w").write("x")
show("write under a file", lambda: ckpt.write(os.path.join(d, "file", "ck")))
show("save under a file", lambda: ckpt.save(os.path.join(d, "file", "ck")))
show("restore missing", lambda: ckpt.restore(os.path.join(d, "nothing")))
show("restore a directory", lambda: ckpt.restore(os.path.join(d, "s")))
show("load_checkpoint empty dir", lambda: tf.train.load_checkpoint(os.path.join(d, "a")))
show("list_variables missing", lambda: tf.train.list_variables(os.path.join(d, "nothing")))

m = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), os.path.join(d, "m"), max_to_keep=2)
print(m.latest_checkpoint, [os.path.basename(m.save()) for _ in range(4)])
print([os.path.basename(p) for p in m.checkpoints], os.path.basename(m.latest_checkpoint))
print(sorted(os.listdir(os.path.join(d, "m"))))
print(os.path.basename(m.save(checkpoint_number=100)), [os.path.basename(p) for p in m.checkpoints])
m2 = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable([0.0, 0.0])), os.path.join(d, "m"), max_to_keep=2)
print([os.path.basename(p) for p in m2.checkpoints], os.path.basename(m2.restore_or_initialize()))
print(m2.checkpoint.v.numpy())

prefix = ckpt.write(os.path.join(d, "small"))
show("shape mismatch", lambda: tf.train.Checkpoint(v=tf.Variable([0.0, 0.0, 0.0])).restore(prefix))
show("dtype mismatch", lambda: tf.train.Checkpoint(v=tf.Variable([0, 0])).restore(prefix))
target = tf.Variable([0.0, 0.0])
data = prefix + ".data-00000-of-00001"
raw = open(data, "rb").read()
open(data, "wb").write(bytes([raw[0] ^ 1]) + raw[1:])
show("flipped data", lambda: tf.train.Checkpoint(v=target).restore(prefix))
print(target.numpy())


def op_error(label, f):   # TF raises a bare OpError here; eagerflow its subclass NotFoundError / DataLossError
    try:
        f()
        print(label, "OK")
    except tf.errors.OpError:
        print(label, "OpError")


os.remove(data)
op_error("missing data", lambda: tf.train.Checkpoint(v=target).restore(prefix))
index = open(prefix + ".index", "rb").read()
open(prefix + ".index", "wb").write(index[: len(index) // 2])
op_error("truncated index", lambda: tf.train.Checkpoint(v=target).restore(prefix))
print(target.numpy())
