import logging

import tensorflow as tf


class Show(logging.Handler):
    def emit(self, record):
        print("logged:", record.levelname, record.getMessage())


tf.get_logger().addHandler(Show())

# watched_variables: creation order, not access order
a = tf.Variable(1.0, name="a")
b = tf.Variable(2.0, name="b")
c = tf.Variable(3.0, name="c")
with tf.GradientTape() as tape:
    y = c * b + a
print([v.name for v in tape.watched_variables()])
with tf.GradientTape() as tape:
    tape.watch(c)
    tape.watch(a)
print([v.name for v in tape.watched_variables()])

# constant never watched
k = tf.constant(5.0)
with tf.GradientTape() as tape:
    y = a * k + b
g = tape.gradient(y, [a, k, b])
print(g)
with tf.GradientTape(persistent=True) as tape:
    y = a * k
print(tape.gradient(y, k))
print(tape.gradient(y, a))
print(tape.gradient(y, k, unconnected_gradients=tf.UnconnectedGradients.ZERO))
print(tape.gradient(y, k, unconnected_gradients="zero"))
del tape

# integer watch
i = tf.constant(3)
with tf.GradientTape() as tape:
    tape.watch(i)
    y = i * i
print(tape.gradient(y, i))

# persistent
x = tf.constant(3.0)
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x * x
    z = y * y
print(t.gradient(z, x))
print(t.gradient(y, x))
print(t.gradient([y, z], x))
print(t.gradient({"y": y, "z": z}, x))
print(t.gradient(z, {"x": x, "l": [x]}))
del t

with tf.GradientTape() as t:
    t.watch(x)
    y = x * x
print(t.gradient(y, x))
try:
    t.gradient(y, x)
except Exception as e:
    print(type(e).__name__)

# nested
x = tf.Variable(1.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = x * x * x
    dy_dx = t1.gradient(y, x)
d2y_dx2 = t2.gradient(dy_dx, x)
print(dy_dx.numpy(), d2y_dx2.numpy())

# output_gradients
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as t:
    t.watch(x)
    y = x * x
print(t.gradient(y, x, output_gradients=tf.constant([10.0, 100.0])))

# stop_recording
x = tf.Variable(2.0)
with tf.GradientTape() as t:
    with t.stop_recording():
        y = x * x
    z = x * 3.0
print(t.gradient(y, x))
with tf.GradientTape(persistent=True) as t:
    with t.stop_recording():
        y = x * x
    z = x * 3.0 + y
print(t.gradient(z, x))
del t

# reset
with tf.GradientTape() as t:
    y = x * x
    t.reset()
    z = x * 5.0
print(t.gradient(z, x))

# watch_accessed_variables
with tf.GradientTape(watch_accessed_variables=False) as t:
    y = x * x
print(t.gradient(y, x), t.watched_variables())
with tf.GradientTape(watch_accessed_variables=False) as t:
    t.watch(x)
    y = x * x
print(t.gradient(y, x), len(t.watched_variables()))

# non-trainable
nt = tf.Variable(2.0, trainable=False)
with tf.GradientTape() as t:
    y = nt * nt
print(t.gradient(y, nt), t.watched_variables())

# int target
with tf.GradientTape() as t:
    t.watch(x)
    y = tf.cast(x, tf.int32)
print(t.gradient(y, x))

# gradient of non-tensor source
with tf.GradientTape() as t:
    y = x * x
try:
    t.gradient(y, 3.0)
except Exception as e:
    print(type(e).__name__)

# watch of a python float
with tf.GradientTape() as t:
    try:
        t.watch(3.0)
    except Exception as e:
        print(type(e).__name__)

# stop_recording outside
t = tf.GradientTape()
try:
    with t.stop_recording():
        pass
except Exception as e:
    print(type(e).__name__)

# gradient of a list of targets with None
with tf.GradientTape() as t:
    y = x * x
print(t.gradient(y, [x, x]))
# a persistent tape used inside its context logs TF's warning and records the gradient ops
x = tf.constant(2.0)
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x ** 3
    dy = t.gradient(y, x)
print(dy, t.gradient(dy, x))
# the warning for a watched integer variable
iv = tf.Variable(3)
with tf.GradientTape() as t:
    t.watch(iv)
    t.watch(tf.constant(True))
print(len(t.watched_variables()))
