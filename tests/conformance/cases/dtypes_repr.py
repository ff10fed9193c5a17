import tensorflow as tf

print(repr(tf.float32), str(tf.float32))
print([tf.int32, tf.float64])
x = tf.constant([1, 2])
print(f"{x.dtype!r}", f"{x.dtype}")
print({"d": tf.bool})
