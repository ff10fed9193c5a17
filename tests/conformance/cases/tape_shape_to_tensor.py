import tensorflow as tf
print(tf.constant(tf.TensorShape([5, 8])))
print(tf.convert_to_tensor(tf.TensorShape([5, 8]), dtype=tf.int64))
print(tf.reduce_prod(tf.TensorShape([5, 8])))
print(tf.zeros(tf.TensorShape([2])) + 1)
print(tf.reshape(tf.range(6), tf.TensorShape([2, 3])).shape)
print(tf.convert_to_tensor(tf.TensorShape([])))
for s in [tf.TensorShape([None, 3]), tf.TensorShape(None)]:
    try:
        tf.convert_to_tensor(s)
    except Exception as e:
        print(type(e).__name__)
try:
    tf.convert_to_tensor(tf.TensorShape([2]), dtype=tf.float32)
except Exception as e:
    print(type(e).__name__)
