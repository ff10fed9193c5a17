# repr and str of tensors and variables: every dtype (but bfloat16, whose text is ml_dtypes'), ranks 0-3
import numpy as np
import tensorflow as tf

DTYPES = [tf.float16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16,
          tf.uint32, tf.uint64, tf.bool, tf.complex64, tf.complex128]
VALUES = {0: 1, 1: [0, 1, 2], 2: [[1, 0], [0, 1]], 3: [[[1], [0]], [[0], [1]]]}

for dtype in DTYPES:
    for value in VALUES.values():
        t = tf.cast(tf.constant(value), dtype)
        print(repr(t))
        print(str(t))
        v = tf.Variable(t)
        print(repr(v))
        print(str(v))
    print(repr(dtype), str(dtype), dtype.name, dtype.size, dtype.is_floating, dtype.is_integer, dtype.is_complex)

print(repr(tf.constant(0.1)), repr(tf.constant(0.1, tf.float64)), repr(tf.constant(1e20)), repr(tf.constant(-0.0)))
print(tf.constant(0.1), tf.constant(1e20), tf.constant(2.0 ** 31), tf.constant(1 / 3))
print(repr(tf.constant([0.1, 1e-8, 1e8])), tf.constant([0.1, 1e-8]))
print(repr(tf.constant([np.nan, np.inf, -np.inf])), tf.constant([np.nan, np.inf]))
print(repr(tf.constant([1 + 2j, -1j])), tf.constant(3 - 4j))
print(repr(tf.constant([True, False])), tf.constant(True))
print(repr(tf.zeros([0])), repr(tf.zeros([2, 0])), tf.zeros([0, 3]), tf.Variable(tf.zeros([0])))
print(repr(tf.constant(2 ** 40)), tf.constant([2 ** 40, 1]))
print(repr(tf.constant(np.float16(0.1))), repr(tf.constant(np.float64(0.1))))
print(repr(tf.ones([2, 2, 2, 2], tf.int32)))
print([tf.constant(1), tf.constant([1.0])])
print({"v": tf.Variable(1.0)}, (tf.constant(1),))
print(f"{tf.constant([1, 2])}", f"{tf.constant(2.5):.3f}", f"{tf.Variable(2.5)}", f"{tf.constant(7):>4}")
print("%s | %r" % (tf.constant(1), tf.constant(1)))
print(tf.constant([1.0, 2.0]).dtype, [tf.constant(1).dtype], {tf.int64: 1})
print(tf.TensorShape([1, None]), repr(tf.TensorShape([1, None])), tf.TensorShape(None), repr(tf.TensorShape(None)))
print(tf.constant([[1, 2]]).shape, repr(tf.constant(1).shape), tf.Variable([1.0], shape=[None]).shape)
