import tensorflow as tf
# apply_gradients errors
opt = tf.keras.optimizers.SGD(0.1)
v = tf.Variable([1.0, 2.0])
try:
    opt.apply_gradients([(tf.constant([1.0, 2.0, 3.0]), v)])
except Exception as e:
    print(type(e).__name__)
print(v.numpy(), opt.iterations.numpy())
try:
    opt.apply_gradients([(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0]))])
except Exception as e:
    print(type(e).__name__)
print(opt.iterations.numpy())
opt2 = tf.keras.optimizers.Adam(0.1)
try:
    opt2.apply_gradients([(tf.constant([[1.0, 2.0]]), v)])
except Exception as e:
    print(type(e).__name__)
print(v.numpy(), opt2.iterations.numpy())
try:
    opt2.apply_gradients([(tf.constant([1, 2]), v)])
except Exception as e:
    print(type(e).__name__)
print(v.numpy())
try:
    opt2.apply_gradients(zip([tf.constant([1.0, 2.0])], [3.0]))
except Exception as e:
    print(type(e).__name__)
try:
    opt2.apply_gradients([])
except Exception as e:
    print(type(e).__name__)
print(opt2.iterations.numpy())
