# tf.train.CheckpointManager as users drive it: numbering, rotation, names, intervals, init_fn, errors.
import os
import tempfile

import tensorflow as tf


def show(label, f):
    try:
        print(label, "OK", f())
    except Exception as e:
        print(label, type(e).__name__)


def names(paths):
    return [os.path.basename(p) for p in paths]


d = tempfile.mkdtemp()
step = tf.Variable(0, dtype=tf.int64)
v = tf.Variable(1.0)
ckpt = tf.train.Checkpoint(v=v, step=step)
m = tf.train.CheckpointManager(ckpt, os.path.join(d, "all"), max_to_keep=None, checkpoint_name="model")
print([os.path.basename(m.save()) for _ in range(3)], names(m.checkpoints), os.path.basename(m.latest_checkpoint))
print(sorted(os.listdir(os.path.join(d, "all"))))
print(os.path.basename(m.directory) == "all", m.checkpoint is ckpt, m.checkpoint_interval)

m = tf.train.CheckpointManager(ckpt, os.path.join(d, "interval"), max_to_keep=2, step_counter=step,
                               checkpoint_interval=5)
out = []
for i in range(12):
    step.assign(i)
    p = m.save()
    out.append(os.path.basename(p) if p else None)
print(out, names(m.checkpoints))
print(os.path.basename(m.save(check_interval=False)), names(m.checkpoints))
print(m.save(checkpoint_number=step, check_interval=False))    # never twice at one step
step.assign(20)
print(os.path.basename(m.save(checkpoint_number=step)), names(m.checkpoints))
print(m.save(checkpoint_number=3, check_interval=False))

calls = []
fresh = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(0.0)), os.path.join(d, "fresh"),
                                   max_to_keep=1, init_fn=lambda: calls.append("init"))
print(fresh.restore_or_initialize(), calls, fresh.latest_checkpoint)
v.assign(7.0)
saver = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), os.path.join(d, "fresh"), max_to_keep=1)
saver.save()
w = tf.Variable(0.0)
again = tf.train.CheckpointManager(tf.train.Checkpoint(v=w), os.path.join(d, "fresh"), max_to_keep=1,
                                   init_fn=lambda: calls.append("init"))
print(os.path.basename(again.restore_or_initialize()), calls, w.numpy())

show("max_to_keep=0", lambda: tf.train.CheckpointManager(ckpt, os.path.join(d, "z"), max_to_keep=0))
show("max_to_keep=-1", lambda: tf.train.CheckpointManager(ckpt, os.path.join(d, "z"), max_to_keep=-1))
show("interval without step_counter", lambda: tf.train.CheckpointManager(ckpt, os.path.join(d, "z"),
                                                                         checkpoint_interval=3))
show("interval without step_counter, max_to_keep=1", lambda: tf.train.CheckpointManager(
    ckpt, os.path.join(d, "z"), 1, checkpoint_interval=3))
show("no max_to_keep", lambda: tf.train.CheckpointManager(ckpt, os.path.join(d, "z")))
print(os.path.exists(os.path.join(d, "z")))
print(tf.train.latest_checkpoint(os.path.join(d, "nothing-here")))
