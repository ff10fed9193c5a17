import tensorflow as tf
x = tf.Variable(2.0)
# jacobian
xs = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape(persistent=True) as t:
    t.watch(xs)
    y = xs * xs
    s = tf.reduce_sum(y)
    m = tf.reshape(xs, [3, 1]) * tf.constant([[1.0, 2.0]])
print(t.jacobian(y, xs))
print(t.jacobian(s, xs))
print(t.jacobian(m, xs).shape)
print(t.jacobian(y, [xs, x]))
print(t.jacobian(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))
print(t.jacobian(y, x))
try:
    t.jacobian(y, 3.0)
except Exception as e:
    print(type(e).__name__)
# batch jacobian
xb = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape(persistent=True) as t:
    t.watch(xb)
    yb = xb * xb * 2.0
    yc = tf.reduce_sum(xb * xb, axis=1, keepdims=True)
print(t.batch_jacobian(yb, xb))
print(t.batch_jacobian(yc, xb))
try:
    t.batch_jacobian(tf.constant([1.0, 2.0, 3.0]), xb)
except Exception as e:
    print(type(e).__name__)
del t
with tf.GradientTape() as t:
    t.watch(xs)
    y = xs * 2.0
print(t.jacobian(y, xs))
try:
    t.jacobian(y, xs)
except Exception as e:
    print(type(e).__name__)
try:
    t.gradient(y, xs)
except Exception as e:
    print(type(e).__name__)
# entering twice
t = tf.GradientTape()
with t:
    try:
        with t:
            pass
    except Exception as e:
        print(type(e).__name__)
# gradient inside a non-persistent context
with tf.GradientTape() as t:
    y = x * x
    g = t.gradient(y, x)
    z = y * x
print(g)
# gradient to a variable slice / assign
v = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as t:
    y = tf.reduce_sum(v[1:] * 2.0)
print(t.gradient(y, v))
with tf.GradientTape() as t:
    v.assign([4.0, 5.0, 6.0])
    y = tf.reduce_sum(v * v)
print(t.gradient(y, v))
# int variable
iv = tf.Variable(3)
with tf.GradientTape() as t:
    y = iv * 2
print(t.gradient(y, iv), t.watched_variables())
# tape on different argument types
with tf.GradientTape() as t:
    t.watch([xs, {"a": xb}])
    y = tf.reduce_sum(xs) + tf.reduce_sum(xb)
print(t.gradient(y, {"a": xb, "b": [xs]}))
# stop_gradient
with tf.GradientTape() as t:
    y = tf.stop_gradient(x * x) + x
print(t.gradient(y, x))
# watching variable that's non trainable
nt = tf.Variable(2.0, trainable=False)
with tf.GradientTape() as t:
    t.watch(nt)
    y = nt * nt
print(t.gradient(y, nt), [w.name for w in t.watched_variables()])
print(repr(tf.UnconnectedGradients.ZERO), tf.UnconnectedGradients.NONE.value)
