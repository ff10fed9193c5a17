# Variable attributes, names, declared and partially known shapes
import numpy as np
import tensorflow as tf

v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="weights")
print(v.name, v.shape, v.dtype, v.trainable, v.device, v.get_shape(), v.shape.rank, v.shape.as_list())
print(v.synchronization == tf.VariableSynchronization.AUTO, v.aggregation == tf.VariableAggregation.NONE)
print(hasattr(v, "ndim"), hasattr(v, "handle"), hasattr(v, "sparse_read"), hasattr(v, "gather_nd"), hasattr(v, "numpy"))
print(v.handle.dtype, v.handle.shape, v.handle.device)
print(v.sparse_read([1]), v.sparse_read(0), v.gather_nd([[0, 1], [1, 0]]), v.gather_nd([1]))
for bad in (lambda: v.sparse_read([5]), lambda: v.gather_nd([[2, 0]])):
    try:
        print(bad())
    except Exception as e:
        print(type(e).__name__)
for name in ["a", "a/", "a/b", "", "x:y" if False else "x_y", "layer/kernel", None]:
    print(repr(name), tf.Variable(1.0, name=name).name)
for name in [3, 1.5, b"x", ["a"], tf.constant("a")]:
    try:
        print(tf.Variable(1.0, name=name).name)
    except Exception as e:
        print(type(e).__name__)
with tf.name_scope("outer"):
    print(tf.Variable(1.0).name, tf.Variable(1.0, name="w").name, tf.Variable(1.0, name="w/").name)
    with tf.name_scope("inner"):
        print(tf.Variable(1.0, name="z").name)
print(tf.Variable(1.0, trainable=False).trainable, tf.Variable(1, dtype=tf.float64).dtype)
print(tf.Variable(np.int64(3)).dtype, tf.Variable(lambda: tf.ones([2])).numpy(), tf.Variable(tf.zeros([2, 3])).shape)
print(tf.Variable([1, 2], dtype=tf.int64))
for shape in [[None, 2], tf.TensorShape(None), [None], tf.TensorShape([None, None])]:
    w = tf.Variable(tf.zeros([3, 2]) if shape != [None] else tf.zeros([4]), shape=shape)
    print(w.shape, w.get_shape(), tf.shape(w), tf.size(w), tf.rank(w))
    print(repr(w))
    w.assign(tf.ones([5, 2]) if shape != [None] else tf.ones([1]))
    print(w.shape, tf.shape(w), tf.size(w), tf.rank(w), tf.reduce_sum(w), w.numpy().shape)
    print(tf.reshape(w, [-1]).shape, tf.zeros_like(w).shape, tf.ones_like(w).shape, tf.identity(w).shape,
          tf.transpose(w).shape if shape != [None] else tf.transpose(w).shape, (w + 1).shape, w[0].shape)
for bad in (lambda: tf.Variable([1.0, 2.0], shape=[3]), lambda: tf.Variable([1.0], shape=[None, 1]),
            lambda: tf.Variable([[1.0]], shape=[None]).assign([[1.0, 2.0]])):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__)
for dtype in [tf.float16, tf.float64, tf.int8, tf.uint8, tf.int64, tf.bool, tf.complex64, tf.string]:
    value = {tf.bool: [True, False], tf.string: ["a", "b"]}.get(dtype, [1, 0])
    w = tf.Variable(value, dtype=dtype)
    print(w.dtype, w.shape, w.trainable, w.name, w.numpy().dtype, w.dtype.is_floating, w.handle.dtype)
print(tf.as_dtype("float32"), tf.as_dtype(np.float64), tf.as_dtype(float), tf.as_dtype(bool), tf.as_dtype(object),
      tf.as_dtype(1), tf.as_dtype("half"), tf.as_dtype("double"), tf.as_dtype("float"), tf.as_dtype(tf.int8))
print(tf.as_dtype("resource"), tf.as_dtype(20), tf.as_dtype("variant"), tf.resource, tf.variant)
for x in [int, complex, str, bytes, "int", "bool_", "str", "bytes", "object", 1000, "nope"]:
    try:
        print(tf.as_dtype(x))
    except Exception as e:
        print(repr(x), type(e).__name__)
