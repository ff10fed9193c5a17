# __getitem__ of tensors and variables over TF's key kinds (ints, slices, newaxis, Ellipsis, tensors, NumPy
# scalars, bool masks), scalars and empty tensors; slice assignment of variables; len and iter
import numpy as np
import tensorflow as tf

x = tf.reshape(tf.range(24), [2, 3, 4])
v = tf.Variable(tf.reshape(tf.range(24.0), [2, 3, 4]))
keys = [0, -1, 2, 5, -3, slice(None), slice(1, None), slice(None, None, -1), slice(5, 10), slice(None, None, 0),
        (0, 1), (0, 1, 2), (0, 1, 2, 3), (Ellipsis, 1), (None, 0), (0, None, 1), (slice(None), tf.newaxis, 1),
        Ellipsis, (Ellipsis, Ellipsis), tf.constant(1), np.int64(1), True, 1.0, [0, 1],
        (slice(0, 1), slice(0, 1), slice(0, 1)), tf.constant([0, 1]), np.array(1), (0, -1, -1),
        (1, slice(-100, 100)), "a", None, (slice(None, None, 2), 1), tf.constant(True), np.array([True, False]),
        (0, tf.constant(1)), tf.constant(1, tf.int64), tf.constant(1.0), (slice(tf.constant(1), None),),
        (slice(1.0, None),)]
for k in keys:
    for name, t in [("t", x), ("v", v)]:
        try:
            r = t[k]
            print(name, repr(k), r.dtype.name, r.shape, np.ravel(r.numpy())[:5].tolist())
        except Exception as e:
            print(name, repr(k), "ERR", type(e).__name__)
s = tf.constant(5)
for k in [0, (), Ellipsis, None, slice(None), (None, None)]:
    try:
        r = s[k]
        print("scalar", repr(k), r.shape, r.numpy())
    except Exception as e:
        print("scalar", repr(k), "ERR", type(e).__name__)
e = tf.zeros([0, 3])
for k in [0, slice(None), (slice(None), 1), (Ellipsis, 0)]:
    try:
        r = e[k]
        print("empty", repr(k), r.shape)
    except Exception as e2:
        print("empty", repr(k), "ERR", type(e2).__name__)
# assignments via slices on variables
updates = [((0, 1), [9.0, 9, 9, 9]), (slice(0, 1), tf.zeros([1, 3, 4])), ((0, 0, 0), 7.0),
           ((0, slice(None), 0), [1.0, 2, 3]), ((0, 0), [1.0, 2]), (5, 1.0),
           (slice(None, None, -1), tf.zeros([2, 3, 4]))]
for k, val in updates:
    try:
        v[k].assign(val)
        print("assign", repr(k), v.numpy().ravel()[:6].tolist())
    except Exception as e2:
        print("assign", repr(k), "ERR", type(e2).__name__)
try:
    x[0] = 1
except Exception as e2:
    print("setitem", type(e2).__name__)
print(len(x), list(iter(tf.constant([1, 2])))[0].shape)
try:
    len(s)
except Exception as e2:
    print("len scalar", type(e2).__name__)
try:
    iter(s)
except Exception as e2:
    print("iter scalar", type(e2).__name__)
print(1 in tf.constant([1, 2]) if hasattr(tf.Tensor, "__contains__") else "no contains")
m = np.array([[True, False, True], [False, False, True]])
for name, t in [("t", x), ("v", v)]:
    for k in [m, tf.constant(m), tf.constant([True, False]), np.array([True]), tf.constant([[True]])]:
        try:
            r = t[k]
            print("mask", name, r.dtype.name, r.shape, np.ravel(r.numpy())[:5].tolist())
        except Exception as e:
            print("mask", name, "ERR", type(e).__name__)
try:
    v[np.array([True, False])].assign(tf.zeros([1, 3, 4]))
except Exception as e:
    print("assign mask", type(e).__name__)
