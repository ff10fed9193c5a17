# tf.train.CheckpointOptions: its fields, write callbacks, asynchronous saves and the io device.
import os
import tempfile

import tensorflow as tf


def show(label, f):
    try:
        print(label, "OK", f())
    except Exception as e:
        print(label, type(e).__name__)


o = tf.train.CheckpointOptions()
print(o.experimental_io_device, o.enable_async, o.experimental_enable_async_checkpoint,
      o.experimental_write_callbacks, o.experimental_skip_slot_variables, o.experimental_sharding_callback)
print(tf.train.CheckpointOptions(experimental_enable_async_checkpoint=True).enable_async)

d = tempfile.mkdtemp()
v = tf.Variable([1.0, 2.0])
ckpt = tf.train.Checkpoint(v=v)
calls = []
o = tf.train.CheckpointOptions(experimental_write_callbacks=[
    lambda: calls.append("no argument"), lambda path: calls.append(os.path.basename(path))])
print(os.path.basename(ckpt.write(os.path.join(d, "w"), options=o)), calls)
calls.clear()
print(os.path.basename(ckpt.save(os.path.join(d, "s"), options=o)), calls)
calls.clear()
m = tf.train.CheckpointManager(ckpt, os.path.join(d, "m"), max_to_keep=1)
print(os.path.basename(m.save(options=o)), calls)
show("two-parameter callback", lambda: ckpt.write(os.path.join(d, "x"), options=tf.train.CheckpointOptions(
    experimental_write_callbacks=[lambda a, b: None])))

a = tf.train.CheckpointOptions(enable_async=True)
ckpt = tf.train.Checkpoint(v=v)
path = ckpt.save(os.path.join(d, "async", "ck"), options=a)
v.assign([5.0, 6.0])
ckpt.sync()
print(os.path.basename(path), sorted(os.listdir(os.path.join(d, "async"))))
print(tf.train.load_variable(path, "v/.ATTRIBUTES/VARIABLE_VALUE"))
ckpt = tf.train.Checkpoint(v=v)
m = tf.train.CheckpointManager(ckpt, os.path.join(d, "m2"), max_to_keep=1)
print([os.path.basename(m.save(options=a)) for _ in range(2)])
ckpt.sync()
print(sorted(os.listdir(os.path.join(d, "m2"))), os.path.basename(tf.train.latest_checkpoint(os.path.join(d, "m2"))))
v.assign([0.0, 0.0])
ckpt.restore(tf.train.latest_checkpoint(os.path.join(d, "m2")), options=a)
print(v.numpy())

for device in ("/job:localhost", "/cpu:0", "/job:localhost/replica:0/task:0/device:CPU:0"):
    show(device, lambda device=device: os.path.basename(ckpt.write(
        os.path.join(d, "io"), options=tf.train.CheckpointOptions(experimental_io_device=device))))
show("another task", lambda: ckpt.write(os.path.join(d, "io"), options=tf.train.CheckpointOptions(
    experimental_io_device="/job:foo/task:3")))
show("malformed device", lambda: type(tf.train.CheckpointOptions(experimental_io_device="nonsense:::")).__name__)
show("malformed device write", lambda: ckpt.write(os.path.join(d, "io"), options=tf.train.CheckpointOptions(
    experimental_io_device="nonsense:::")))
show("sharding callback", lambda: tf.train.CheckpointOptions(experimental_sharding_callback=3))
