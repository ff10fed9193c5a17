import tensorflow as tf

@tf.custom_gradient
def square(x):
    def grad(dy):
        return dy * 2.0 * x
    return x * x, grad

v = tf.Variable(3.0)
with tf.GradientTape() as t:
    y = square(v)
print(t.gradient(y, v))
c = tf.constant(3.0)
with tf.GradientTape() as t:
    t.watch(c)
    y = square(c)
print(t.gradient(y, c))

# variables=
w = tf.Variable(2.0)
@tf.custom_gradient
def scale(x):
    def grad(dy, variables=None):
        return dy * w, [dy * x * 10.0]
    return x * w, grad

with tf.GradientTape() as t:
    t.watch(c)
    y = scale(c)
print(t.gradient(y, [c, w]))

# second derivative through custom gradient with intermediates
@tf.custom_gradient
def cube(x):
    x2 = x * x
    def grad(dy):
        return dy * 3.0 * x2
    return x2 * x, grad

x = tf.constant(2.0)
with tf.GradientTape() as t2:
    t2.watch(x)
    with tf.GradientTape() as t1:
        t1.watch(x)
        y = cube(x)
    g = t1.gradient(y, x)
print(g, t2.gradient(g, x))
vx = tf.Variable(2.0)
with tf.GradientTape() as t2:
    with tf.GradientTape() as t1:
        y = cube(vx)
    g = t1.gradient(y, vx)
print(g, t2.gradient(g, vx))

# no tape
print(cube(tf.constant(3.0)))
# multiple args, nested output
@tf.custom_gradient
def f2(a, b):
    def grad(dy):
        return dy * b, dy * a
    return a * b, grad
a = tf.Variable(2.0)
b = tf.constant(5.0)
with tf.GradientTape() as t:
    t.watch(b)
    y = f2(a, b)
print(t.gradient(y, [a, b]))
# grad_fn returns wrong number
@tf.custom_gradient
def bad(a, b):
    def grad(dy):
        return dy
    return a * b, grad
with tf.GradientTape() as t:
    t.watch(b)
    y = bad(b, b)
try:
    t.gradient(y, b)
except Exception as e:
    print(type(e).__name__)
# variable read without variables kwarg
@tf.custom_gradient
def novars(x):
    def grad(dy):
        return dy * w
    return x * w, grad
with tf.GradientTape() as t:
    t.watch(c)
    try:
        y = novars(c)
        print(t.gradient(y, c))
    except Exception as e:
        print(type(e).__name__)
