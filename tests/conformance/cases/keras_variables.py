# Keras 3 variables: what layers and optimizers hold, how they print, and how ops, tapes,
# functions and checkpoints use them.
import os
import tempfile

import numpy as np
import tensorflow as tf

tf.keras.backend.clear_session()
d = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
print(d)
y = d(tf.ones([1, 3]))
print(d, tf.keras.Sequential([tf.keras.layers.Dense(1)]))
k, b = d.kernel, d.bias
print(type(k).__name__, isinstance(k, tf.Variable), isinstance(k, tf.Tensor), tf.is_tensor(k))
print(k.name, k.path, k.dtype, type(k.dtype).__name__, k.shape, k.ndim, k.trainable)
print(repr(k))
print(b)
print(f"{b}")
print(k.value.name, k.value.shape, isinstance(k.value, tf.Variable))
print(d.weights)
print(type(d.trainable_variables).__name__, [v.path for v in d.trainable_variables])
print(b.numpy(), type(b.numpy()).__name__, np.asarray(b))

# ops read the wrapped variable
print(b + 1, tf.add(b, 1), 2 * b, -b, abs(b - 1))
print(tf.matmul(tf.ones([1, 3]), k), k @ tf.ones([2, 1]))
print(b[0], tf.reduce_sum(k), tf.convert_to_tensor(b), tf.cast(k, tf.int32))
print(b == 0.0, b != 0.0)

# assign returns the assigned value as a tensor (not the variable)
r = b.assign([1.0, 2.0])
print(isinstance(r, tf.Tensor), isinstance(r, tf.Variable), r)
print(b.assign_add([1.0, 1.0]), b.assign_sub([0.5, 0.5]))
print(b.assign(tf.constant([3, 4])), b)  # converted to the variable's dtype
try:
    b.assign([1.0, 2.0, 3.0])
except ValueError as e:
    print("ValueError", "must match" in str(e))
print(b)

# Python protocols
s = tf.keras.Variable(2.5, name="s")
print(float(s), int(s), round(s), +s)
for bad in (lambda: bool(s), lambda: len(s), lambda: hash(s), lambda: float(b)):
    try:
        bad()
    except TypeError:
        print("TypeError")

# keras.Variable itself
tf.keras.backend.clear_session()
print(tf.keras.Variable(0.1), tf.keras.Variable(1), tf.keras.Variable(np.float64(2.0)))
print(tf.keras.Variable(True), tf.keras.Variable([1, 2], dtype="float32"), tf.keras.Variable(1.5, dtype="float16"))
print(tf.keras.Variable("zeros", shape=(2,)), tf.keras.Variable("ones", shape=(2,), dtype="int32", name="c"))
v = tf.keras.Variable([[1.0, 2.0], [3.0, 4.0]], name="w", trainable=False)
print(v.name, v.path, v.trainable, v.value.trainable, v.value.name, v.aggregation, v.synchronization)
v.trainable = True
print(v.trainable, v.value.trainable, v.constraint, v.regularizer)
for bad in (lambda: tf.keras.Variable("zeros"), lambda: tf.keras.Variable(1.0, name="a/b"),
            lambda: tf.keras.Variable(1.0, aggregation="max")):
    try:
        bad()
    except ValueError:
        print("ValueError")

# tapes: gradients for Keras variables, which cannot be watched themselves
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(v * v)
print(tape.gradient(loss, v), tape.watched_variables())  # its wrapped variable is not trainable
v = tf.keras.Variable([[1.0, 2.0], [3.0, 4.0]], name="u")
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(v * v)
print(tape.gradient(loss, v))
print([isinstance(w, tf.Variable) for w in tape.watched_variables()], tape.watched_variables()[0].name)
try:
    with tf.GradientTape() as tape:
        tape.watch(v)
except ValueError:
    print("ValueError")
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(d(tf.ones([2, 3])))
grads = tape.gradient(loss, d.trainable_variables)
print(type(grads).__name__, grads[0], grads[1])


@tf.function
def step(x):
    v.assign_add(x)
    return tf.reduce_sum(v * 2)


print(step(tf.ones([2, 2])), step(tf.ones([2, 2])), v)

# optimizer state
tf.keras.backend.clear_session()
opt = tf.keras.optimizers.Adam(0.1)
print(hasattr(opt, "minimize"), type(opt.iterations).__name__)
print(opt.iterations, opt.learning_rate)
print(opt.iterations.path, opt.iterations.name, opt.iterations.dtype, opt.learning_rate.value.name)
opt.apply_gradients(zip(grads, d.trainable_variables))
print(opt.iterations)
for s in opt.variables:
    print(s.path, s.name, s.shape, s.value.name)
print(int(opt.iterations), float(opt.learning_rate), opt.iterations.numpy())
print(d.kernel, d.bias)
w = tf.Variable([1.0, 2.0], name="w")
opt2 = tf.keras.optimizers.SGD(0.5, momentum=0.9)
opt2.apply_gradients([(tf.constant([1.0, 1.0]), w)])
print([s.path for s in opt2.variables], w)
opt2.learning_rate = 0.25
print(opt2.learning_rate)
sched = tf.keras.optimizers.SGD(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))
print(sched.learning_rate, [s.path for s in sched.variables])

# checkpoints key them as Keras 3 does
path = tf.train.Checkpoint(model=d, optimizer=opt).write(os.path.join(tempfile.mkdtemp(), "ckpt"))
for name, shape in tf.train.list_variables(path):
    if name != "_CHECKPOINTABLE_OBJECT_GRAPH":
        print(name, shape)
d2 = tf.keras.layers.Dense(2)
d2(tf.zeros([1, 3]))
opt3 = tf.keras.optimizers.Adam(0.5)
opt3.build(d2.trainable_variables)
tf.train.Checkpoint(model=d2, optimizer=opt3).restore(path)
print(d2.kernel, d2.bias)
print(opt3.iterations, opt3.learning_rate, opt3.variables[2])
