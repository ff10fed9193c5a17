# What assign*, the scatters and sliced assigns return: a live, unread view of the variable
import tensorflow as tf

v = tf.Variable([1.0, 2.0], name="w")
r = v.assign([3.0, 4.0])
print(repr(r))
print(isinstance(r, tf.Variable), r is v, r.name, r.shape, r.dtype, r.trainable, r.device == v.device)
v.assign([5.0, 6.0])
print(r.numpy(), r)  # read now: the variable's value now
print(r.read_value(), r.value(), tf.convert_to_tensor(r), tf.identity(r))
print(r + 1, r * r, r[0], tf.reduce_sum(r), -r, r @ tf.ones([2, 1]) if False else tf.tensordot(r, r, 1))
print(r.assign_add([1.0, 1.0]).assign_add([1.0, 1.0]))
print(r.assign_sub([1.0, 1.0]), v)
print(v.assign([0.0, 0.0], read_value=False), v.assign_add([1.0, 1.0], read_value=False),
      v.assign_sub([1.0, 1.0], read_value=False))
print(repr(v.assign_add([2.0, 2.0])), repr(v.assign_sub([1.0, 1.0])))
print(repr(v[0].assign(9.0)), repr(v[1:].assign([8.0])))
print(repr(v.scatter_nd_update([[1]], [7.0])), repr(v.scatter_nd_add([[0]], [1.0])))
print(repr(v.scatter_nd_sub([[0]], [1.0])))
print(r.sparse_read([1, 0]), r.gather_nd([[1]]), r.handle.device == v.handle.device)
print(tf.Variable(r), tf.Variable(r, name="copy").name)
print(r == v, r != v, r.ref() == v.ref(), r.ref() == r.ref())
for f in (lambda: len(r), lambda: +r, lambda: r == None, lambda: [0, 1][r], lambda: hash(r)):  # noqa: E711
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__)
for bad in (lambda: r.assign([1.0, 2.0, 3.0]), lambda: r.assign_add([1]), lambda: r.assign("a")):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, v.numpy())
i = tf.Variable(5)
print(repr(i.assign(7)), repr(i.assign_add(1)), repr(i.assign_sub(3)), i.assign(1) + 1)
s = tf.Variable(2.0)
print(repr(s.assign(3.0)), float(s.assign(4.0)), int(s.assign(5.0)), bool(s.assign(0.0)), f"{s.assign(1.5):.2f}")
c = tf.Variable([1 + 1j])
print(repr(c.assign([2 - 1j])), repr(tf.Variable([True]).assign([False])))
u = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
print(repr(u.assign([1.0, 2.0, 3.0])), u.shape, tf.shape(u))

# gradients through an update's result, as TF: the read is recorded, but watches nothing
x = tf.Variable(1.0)
rr = x.assign(2.0)
with tf.GradientTape() as tape:
    y = rr * 3.0
print("outside", tape.gradient(y, x), [w.name for w in tape.watched_variables()])
with tf.GradientTape() as tape:
    _ = x * 1.0
    y = rr * 3.0
print("watched", tape.gradient(y, x), [w.name for w in tape.watched_variables()])
with tf.GradientTape() as tape:
    x.assign(2.0)
print("assign watches", [w.name for w in tape.watched_variables()])
with tf.GradientTape() as tape:
    y = x.assign_add(1.0) * 3.0
print("inside", tape.gradient(y, x))
with tf.GradientTape() as tape:
    tape.watch(x)
    y = rr * rr
print("watch", tape.gradient(y, x))
with tf.GradientTape() as tape:
    y = rr * 3.0
print("wrt the result", tape.gradient(y, rr))
