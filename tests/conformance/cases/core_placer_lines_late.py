# TF's placer reads the placement-logging setting once, when its context starts (with the first tensor): logging
# turned on after that prints the "Executing op" lines on stderr but none of the placer's node lines on stdout.
import tensorflow as tf

a = tf.constant([1.0, 2.0])
b = a + a
tf.debugging.set_log_device_placement(True)
print("on, after the first tensor")
b = a * a
c = tf.reduce_sum(tf.constant([[1, 2]]), axis=1)
tf.debugging.set_log_device_placement(False)
tf.debugging.set_log_device_placement(True)
print("on again")
d = tf.concat([a, a], 0)
print(b.numpy(), c.numpy(), d.numpy())
