# ef.function: Python side effects once per trace, ef.print and random ops on every call (TF 2.21 recorded)
import sys

import tensorflow as tf

seen = []


@tf.function
def step(x):
    seen.append(1)
    print("python print")
    tf.print("tf.print", x, [x, 2 * x], {"k": x + 1}, output_stream=sys.stdout)
    return x + 1


for i in range(3):
    step(tf.constant(i))
print(len(seen))


@tf.function
def noise():
    return tf.random.uniform([3]), tf.random.normal([2, 2])


a, b = noise(), noise()
print(a[0].shape, a[1].shape, a[0].dtype)
print(bool(tf.reduce_any(a[0] != b[0])), bool(tf.reduce_any(a[1] != b[1])))
g = tf.random.Generator.from_seed(1)


@tf.function
def draw():
    return g.normal([4])


print(bool(tf.reduce_any(draw() != draw())))
v = tf.Variable([1.0, 2.0, 3.0])


@tf.function
def scatter(i, x):
    v.scatter_nd_update([[i]], [x])
    v[0].assign(v[0] + 1)
    return v.read_value()


print(scatter(1, 10.0))
print(scatter(2, 20.0))
print(scatter(tf.constant(0), tf.constant(5.0)))
print(scatter(tf.constant(1), tf.constant(7.0)))


@tf.function
def gather(params, i):
    return tf.gather(params, i)


params = tf.constant([1.0, 2.0, 3.0])
print(gather(params, tf.constant(1)))
try:
    gather(params, tf.constant(7))
except tf.errors.InvalidArgumentError as e:
    print(type(e).__name__)
