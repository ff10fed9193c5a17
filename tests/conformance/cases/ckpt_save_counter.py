# save_counter after restore(): created by restore(), a variable assert_consumed() asks a value for.
import os
import tempfile
import tensorflow as tf


def check(label, status, *asserts):
    for name in asserts:
        try:
            getattr(status, name)()
            print(label, name, "ok")
        except AssertionError:
            print(label, name, "AssertionError")


d = tempfile.mkdtemp()
v = tf.Variable(1.0)
written = tf.train.Checkpoint(v=v).write(os.path.join(d, "w"))
saved = tf.train.Checkpoint(v=v).save(os.path.join(d, "s"))
everything = ("assert_consumed", "assert_existing_objects_matched", "assert_nontrivial_match")

ck = tf.train.Checkpoint(v=tf.Variable(0.0))
check("write/restore", ck.restore(written), *everything)
print("save_counter", ck.save_counter.numpy())
check("write/read", tf.train.Checkpoint(v=tf.Variable(0.0)).read(written), *everything)
ck = tf.train.Checkpoint(v=tf.Variable(0.0))
check("save/restore", ck.restore(saved), *everything)
print("save_counter", ck.save_counter.numpy())
check("save/read", tf.train.Checkpoint(v=tf.Variable(0.0)).read(saved), "assert_consumed",
      "assert_existing_objects_matched")

# with root=: the counter is attached to the root, restored from a save() too
class M(tf.Module):
    pass

m = M()
m.w = tf.Variable(2.0)
c = tf.train.Checkpoint(root=m)
c.save(os.path.join(d, "r"))
p = c.save(os.path.join(d, "r"))
m2 = M()
m2.w = tf.Variable(0.0)
c2 = tf.train.Checkpoint(root=m2)
check("root save/restore", c2.restore(p), "assert_consumed")
print("save_counter", c2.save_counter.numpy(), m2.w.numpy())
c3 = tf.train.Checkpoint(root=M())
check("root write/restore", c3.restore(c.write(os.path.join(d, "rw"))), "assert_existing_objects_matched")

# a restore() that fails to find the checkpoint creates no counter: a later write() saves none
c4 = tf.train.Checkpoint(v=tf.Variable(3.0))
try:
    c4.restore(os.path.join(d, "missing"))
except tf.errors.NotFoundError:
    print("NotFoundError")
print(sorted(k for k, _ in tf.train.list_variables(c4.write(os.path.join(d, "after")))))
