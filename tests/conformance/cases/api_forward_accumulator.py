# tf.autodiff.ForwardAccumulator: JVPs through ops, variables and structures, unconnected values, re-entering,
# nesting with GradientTape both ways (Hessian-vector products) and with another accumulator, errors.
import numpy as np
import tensorflow as tf


def show(f):
    try:
        print("OK", repr(f()))
    except Exception as e:  # eagerflow's messages say more: the class only
        print(type(e).__name__)


def r(t):
    return None if t is None else np.round(t.numpy(), 5).tolist()


x = tf.constant([1.0, 2.0])
v = tf.constant([1.0, 0.5])
with tf.autodiff.ForwardAccumulator(x, v) as acc:
    y = x * x * 3.0 - x / 2.0
    z = tf.reduce_sum(y)
    i = tf.cast(x, tf.int32) + 1
    u = tf.constant(3.0) * 2
    show(lambda: r(acc.jvp(y)))
    m = tf.reduce_max(x)
    s = tf.stop_gradient(x) * x
    c = tf.concat([x, x * 2], 0)
    g = tf.gather(x, [1, 1, 0])
    mm = tf.matmul(tf.reshape(x, [1, 2]), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    tr = tf.transpose(tf.stack([x, x * x]))
    sq = tf.sqrt(x)
    rl = tf.nn.relu(x - 1.5)
    w_ = tf.where(x > 1.5, x, -x)
    sl = x[1:]
print(r(acc.jvp(y)), r(acc.jvp(z)), acc.jvp(i), acc.jvp(u), r(acc.jvp(x)))
print(r(acc.jvp(m)), r(acc.jvp(s)), r(acc.jvp(c)), r(acc.jvp(g)), r(acc.jvp(mm)), r(acc.jvp(tr)), r(acc.jvp(sq)),
      r(acc.jvp(rl)), r(acc.jvp(w_)), r(acc.jvp(sl)))
print(acc.jvp(u, unconnected_gradients=tf.UnconnectedGradients.ZERO))
print(acc.jvp(i, unconnected_gradients=tf.UnconnectedGradients.ZERO))
print({k: [r(t) for t in tf.nest.flatten(val)] for k, val in acc.jvp({"a": y, "b": [z]}).items()})

w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
with tf.autodiff.ForwardAccumulator(w, tf.ones([2, 2])) as acc:
    y = tf.matmul(w, w)
    w.assign_add(tf.ones([2, 2]))
    y2 = w * 1.0
print(r(acc.jvp(y)), r(acc.jvp(y2)), r(acc.jvp(w)))

show(lambda: tf.autodiff.ForwardAccumulator(x, tf.constant([1, 2])))
show(lambda: tf.autodiff.ForwardAccumulator(x, [1.0, 2.0]))
show(lambda: tf.autodiff.ForwardAccumulator([x, x], [v]))
show(lambda: tf.autodiff.ForwardAccumulator([x, x], [v, v]))
show(lambda: type(tf.autodiff.ForwardAccumulator(tf.constant([1, 2]), tf.constant([1, 2]))).__name__)
show(lambda: type(tf.autodiff.ForwardAccumulator([x], (v,))).__name__)
acc = tf.autodiff.ForwardAccumulator(x, v)
show(lambda: r(acc.jvp(x)))
with acc:
    show(lambda: acc.__enter__())
    y = x * 3.0
print(r(acc.jvp(y)))
with acc:
    y3 = x * 4.0
print(r(acc.jvp(y3)))
show(lambda: acc.jvp(3.0))
show(lambda: acc.jvp(None))

# forward over reverse: a Hessian-vector product
with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x ** 3 * tf.reverse(x, [0]))
    g = tape.gradient(y, x)
print(r(g), r(acc.jvp(g)))
# reverse over forward
with tf.GradientTape() as tape:
    tape.watch(x)
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
        y = tf.reduce_sum(x ** 3 * tf.reverse(x, [0]))
    j = acc.jvp(y)
print(r(j), r(tape.gradient(j, x)))
# forward over forward
with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as outer:
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as inner:
        y = tf.reduce_sum(x ** 3)
    j = inner.jvp(y)
print(r(j), r(outer.jvp(j)), r(outer.jvp(y)))
# complex
cx = tf.constant([1 + 1j], tf.complex64)
with tf.autodiff.ForwardAccumulator(cx, tf.constant([1j], tf.complex64)) as acc:
    y = cx * cx
print(acc.jvp(y))


@tf.custom_gradient
def clipped(a):
    def grad(upstream):
        return upstream * 10.0
    return a * 2.0, grad


with tf.autodiff.ForwardAccumulator(x, v) as acc:
    y = clipped(x)
print(r(acc.jvp(y)))
