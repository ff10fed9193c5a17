# TF registers no gradient for Lu: differentiating through lu is a LookupError
import tensorflow as tf

m = tf.constant([[2.0, 1.0], [4.0, 3.0]])
with tf.GradientTape() as tape:
    tape.watch(m)
    lu, p = tf.linalg.lu(m)
    s = tf.reduce_sum(lu)
try:
    tape.gradient(s, m)
except LookupError as e:
    print("lu", type(e).__name__)
print(tf.linalg.lu(m)[0].numpy().tolist())
