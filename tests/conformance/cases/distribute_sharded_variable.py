"""A ShardedVariable (what ParameterServerStrategy makes of a partitioned variable) in a tf.Module: its
shards are the module's variables; a checkpoint holds it as one variable of the full shape, which restores
into another number of shards or an unsharded variable, and back; its argument errors."""
import os
import tempfile

import numpy as np
import tensorflow as tf

try:
    from tensorflow.python.distribute.sharded_variable import ShardedVariable
except ImportError:  # eagerflow exports it
    ShardedVariable = tf.distribute.ShardedVariable


def sharded(rows_per_shard, name="w", start=0.0):
    parts, offset = [], start
    for i, rows in enumerate(rows_per_shard):
        parts.append(tf.Variable(np.arange(offset, offset + rows * 2, dtype=np.float32).reshape(rows, 2),
                                 name=f"{name}/part_{i}"))
        offset += rows * 2
    return ShardedVariable(parts, name=name)


class M(tf.Module):
    def __init__(self, w):
        super().__init__()
        self.w = w
        self.b = tf.Variable(1.0, name="b")
        self.frozen = tf.Variable(2.0, name="frozen", trainable=False)


sv = sharded([3, 2])
m = M(sv)
print([v.name for v in m.variables])
print([v.name for v in m.trainable_variables])
print([v.name for v in m.non_trainable_variables])
print(sv.name, sv.shape, [tuple(v.shape) for v in sv.variables])
print(tf.convert_to_tensor(sv).numpy().tolist())
holder = tf.Module()
holder.layers = [sv, m]
print([v.name for v in holder.variables])

d = tempfile.mkdtemp()
path = tf.train.Checkpoint(model=m).write(os.path.join(d, "sharded"))
for name, shape in tf.train.list_variables(path):
    if name != "_CHECKPOINTABLE_OBJECT_GRAPH":
        print(name, shape)
print(tf.train.load_variable(path, "model/w/.ATTRIBUTES/VARIABLE_VALUE").tolist())

three = M(sharded([2, 2, 1], start=100.0))
tf.train.Checkpoint(model=three).read(path).assert_consumed()
print([v.numpy().tolist() for v in three.w.variables])


class Plain(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(np.zeros((5, 2), np.float32), name="w")
        self.b = tf.Variable(0.0, name="b")
        self.frozen = tf.Variable(0.0, name="frozen", trainable=False)


plain = Plain()
tf.train.Checkpoint(model=plain).read(path).assert_consumed()
print(plain.w.numpy().tolist(), float(plain.b.numpy()))
plain.w.assign(plain.w * 10)
path2 = tf.train.Checkpoint(model=plain).write(os.path.join(d, "plain"))
back = M(sharded([4, 1], start=100.0))
tf.train.Checkpoint(model=back).read(path2).assert_consumed()
print([v.numpy().tolist() for v in back.w.variables])

for bad in ([], [1.0], [tf.Variable([1.0]), tf.Variable([1], dtype=tf.int32)],
            [tf.Variable([1.0]), tf.Variable([[1.0]])]):
    try:
        ShardedVariable(bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
