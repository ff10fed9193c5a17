import numpy as np
import tensorflow as tf


def attempt(label, fn):
    try:
        out = fn()
        print(label, "->", out)
    except Exception as e:
        print(label, "->", type(e).__name__)


x = tf.constant([1.5, -2.5, 3.0])
v = tf.Variable([1.0, 2.0, 3.0])
# gradients through non-differentiable and integer ops
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    fl = tf.floor(x)
    ro = tf.round(x)
    sg = tf.sign(x)
    am = tf.cast(tf.argmax(x), tf.float32)
    eq = tf.cast(tf.equal(x, 1.5), tf.float32)
    ab = tf.abs(x)
    mx = tf.reduce_max(x)
    so = tf.sort(x)
    wh = tf.where(x > 0, x, tf.zeros_like(x))
    cl = tf.clip_by_value(x, -2.0, 2.0)
    sq = tf.stop_gradient(x) * x
    ii = tf.cast(tf.cast(x, tf.int32), tf.float32)
for name, y in [("floor", fl), ("round", ro), ("sign", sg), ("argmax", am), ("equal", eq), ("abs", ab),
                ("reduce_max", mx), ("sort", so), ("where", wh), ("clip", cl), ("stop_gradient", sq),
                ("int_roundtrip", ii)]:
    g = t.gradient(y, x)
    print(name, None if g is None else g.numpy())
del t

# unconnected gradients in every API
with tf.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x * 2.0
z = tf.constant([[1.0, 2.0]])
print(t.gradient(y, [x, z], unconnected_gradients="zero")[1])
print(t.jacobian(y, z))
print(t.jacobian(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO).shape)
xb = tf.constant([[1.0, 2.0], [3.0, 4.0]])
zb = tf.constant([[1.0], [2.0]])
with tf.GradientTape(persistent=True) as t:
    t.watch([xb, zb])
    yb = xb * 3.0
print(t.batch_jacobian(yb, zb))
print(t.batch_jacobian(yb, zb, unconnected_gradients="zero").shape)
print(t.batch_jacobian(yb, xb).numpy().tolist())
attempt("bad unconnected", lambda: t.gradient(yb, xb, unconnected_gradients="sometimes"))
del t

# gradient of a sum of targets, of a target list with duplicates, of a dict of sources
with tf.GradientTape(persistent=True) as t:
    a = v * 2.0
    b = tf.reduce_sum(v * v)
print(t.gradient([a, b], v).numpy())
print(t.gradient([a, a], v).numpy())
print({k: g.numpy().tolist() for k, g in t.gradient(b, {"first": v, "again": v}).items()})
print(t.gradient(b, (v,)))
print(t.gradient(a, v, output_gradients=tf.constant([1.0, 0.0, -1.0])).numpy())
del t

# variable features
s = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as t:
    y = tf.reduce_sum(s[0:2] * tf.constant([10.0, 20.0]))
print(t.gradient(y, s).numpy())
with tf.GradientTape() as t:
    y = tf.reduce_sum(tf.gather(s, [0, 0, 2]))
g = t.gradient(y, s)
print(tf.convert_to_tensor(g).numpy())
with tf.GradientTape() as t:
    y = s.read_value() * 2.0
print(t.gradient(y, s).numpy())
with tf.GradientTape() as t:
    y = tf.identity(s) * 3.0
print(t.gradient(y, s).numpy())
with tf.GradientTape() as t:
    y = s.value() * 4.0
print(t.gradient(y, s).numpy())
with tf.GradientTape() as t:
    y = tf.convert_to_tensor(s) * 5.0
print(t.gradient(y, s).numpy())
f64 = tf.Variable([1.0, 2.0], dtype=tf.float64)
with tf.GradientTape() as t:
    y = f64 * f64
print(t.gradient(y, f64))
with tf.GradientTape() as t:
    y = tf.cast(s, tf.float64) ** 2
print(t.gradient(y, s))
h = tf.Variable([1.0, 2.0], dtype=tf.float16)
with tf.GradientTape() as t:
    y = h * h
print(t.gradient(y, h))

# recording control
w = tf.Variable(3.0)
with tf.GradientTape() as t:
    y1 = w * w
    with t.stop_recording():
        y2 = w * w
        with tf.GradientTape() as inner:
            y3 = w * 2.0
        print("inner", inner.gradient(y3, w))
    y4 = y2 * w
print(t.gradient(y4, w))
with tf.GradientTape(persistent=True) as t:
    y = w * w
attempt("reset outside the context", t.reset)
print(t.gradient(y, w))
with tf.GradientTape() as t:
    pass
print(t.watched_variables(), t.gradient(tf.constant(1.0), w))
with tf.GradientTape() as t:
    t.watch([w, {"k": s}])
print(len(t.watched_variables()))

# numpy values in and out
with tf.GradientTape() as t:
    y = w * np.float32(2.0)
print(t.gradient(y, w))
with tf.GradientTape() as t:
    y = np.float32(2.0) * w
print(t.gradient(y, w))
with tf.GradientTape() as t:
    y = w * 2
print(t.gradient(y, w))
