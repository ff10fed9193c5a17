# A variable's graph-building members used eagerly, SaveSliceInfo, and count_up_to's dtype errors.
import re

import tensorflow as tf

v = tf.Variable(1.0)
names = [n for n in dir(v) if not n.startswith("_")]
print([n for n in ("SaveSliceInfo", "create", "graph", "op") if n in names])
for name in ("create", "graph", "op"):
    try:
        getattr(v, name)
    except (AttributeError, RuntimeError) as e:
        print(name, type(e).__name__, e)
    try:
        print(name, hasattr(v, name))
    except RuntimeError:
        print(name, "hasattr raises RuntimeError")

info = tf.Variable.SaveSliceInfo("outer/v", [4, 3], [2, 0], [2, 3])
print(v.SaveSliceInfo is tf.Variable.SaveSliceInfo)
print(info.full_name, info.full_shape, info.var_offset, info.var_shape, repr(info.spec))
back = tf.Variable.SaveSliceInfo.from_spec("4 3 5 0,4:1,1:3,2")
print(back.full_name, back.full_shape, back.var_offset, back.var_shape, repr(back.spec))
empty = tf.Variable.SaveSliceInfo.from_spec("")
print(empty.full_name, empty.full_shape, empty.var_offset, empty.var_shape)
for spec in ("4", "4 x 0,4", "4 0;4", "4 a,4", "4 0,b"):
    try:
        tf.Variable.SaveSliceInfo.from_spec(spec)
    except ValueError as e:
        print(repr(spec), type(e).__name__, e)

for var in (v, tf.Variable(1.0, dtype=tf.float64), tf.Variable(1.0, dtype=tf.float16),
            tf.Variable(1, dtype=tf.int8), tf.Variable(True), tf.Variable([1], dtype=tf.int64)):
    try:
        var.count_up_to(3)
    except tf.errors.InvalidArgumentError as e:
        text = re.search(r"Value for attr 'T' of \w+ is not in the list of allowed values: int32, int64"
                         r"|input is not a scalar: \[\d+\]", str(e)).group()
        print(type(e).__name__, text)
c = tf.Variable(1, dtype=tf.int64)
print(c.count_up_to(2).numpy())
try:
    c.count_up_to(2)
except tf.errors.OutOfRangeError as e:
    print(type(e).__name__)
print(c.numpy())
