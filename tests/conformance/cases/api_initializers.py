# TF-2 initializer classes: values, dtypes, configs, errors.
import tensorflow as tf
print(tf.constant_initializer([1, 2, 3, 4])([2, 2]))
print(tf.constant_initializer(3)([2], tf.int32))
print(tf.zeros_initializer()([2, 1]))
print(tf.ones_initializer()([2], tf.float64))
try:
    tf.constant_initializer([1, 2, 3])([2, 2])
except Exception as e:
    print(type(e).__name__, e)
print(tf.random_normal_initializer(2.0, 0.0)([2]))
print(tf.constant_initializer(2.0).get_config(), tf.random_uniform_initializer().get_config())
