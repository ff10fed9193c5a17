# ef.function: what is traced when, and what a trace prints (TF 2.21 recorded)
import tensorflow as tf


@tf.function
def f(x, y=2):
    print("tracing", x, y)
    return x * y


print(f(tf.constant(1.0)))
print(f(tf.constant(2.0)))
print(f(tf.constant([1.0, 2.0])))
print(f(tf.constant(1.0), 3))
print(f(tf.constant(1.0), 3))
print(f(2.0))
print(f(3.0))
print(f(3.0))
print(f.experimental_get_tracing_count())
print(f.pretty_printed_concrete_signatures())
cf = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
print(cf.structured_input_signature)
print(cf(tf.constant([1.0, 5.0])))
print(f.experimental_get_tracing_count())


@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def g(x):
    return x + 1


print(g(tf.constant([1.0])), g(tf.constant([1.0, 2.0])), g.experimental_get_tracing_count())
try:
    g(tf.constant([[1.0]]))
except TypeError as e:
    print(type(e).__name__)

v = None


@tf.function
def make_once(x):
    global v
    if v is None:
        v = tf.Variable(1.0)
    return v + x


print(make_once(1.0), make_once(2.0))


@tf.function
def eagerly():
    print("inside:", tf.executing_eagerly())
    return 1


print(eagerly(), tf.executing_eagerly())


class M(tf.Module):
    def __init__(self):
        self.w = tf.Variable(2.0)

    @tf.function
    def __call__(self, x):
        print("trace M")
        return self.w * x


a, b = M(), M()
print(a(1.0), b(1.0), a(2.0), a(2.0))
print(a.__call__.experimental_get_tracing_count(), b.__call__.experimental_get_tracing_count())


@tf.function
def branch(x):
    if x > 0:
        return x
    return -x


print(branch(tf.constant(2.0)), branch(tf.constant(-3.0)))


@tf.function
def inner(x):
    return x + 1


@tf.function
def outer(x):
    return inner(x) * 2


print(outer(tf.constant(1.0)), outer(tf.constant(5.0)), inner.experimental_get_tracing_count())
w = tf.Variable(1.0)


@tf.function
def update(x):
    w.assign_add(x)
    return w.read_value()


print(update(1.0), update(2.0), update(tf.constant(3.0)), update(tf.constant(4.0)), w)
print(update.experimental_get_tracing_count())
with tf.GradientTape() as tape:
    y = outer(w)
print(tape.gradient(y, w))


@tf.function
def returns(x):
    return {"sum": x + 1, "pair": (x, 2), "none": None}


print(returns(tf.constant(1)))
print(returns(tf.constant(2)))
