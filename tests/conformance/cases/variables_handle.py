# v.handle: a scalar tensor of dtype resource, its text, what ops take it and what they refuse
import tensorflow as tf

v = tf.Variable([1.0, 2.0])
h = v.handle
print(repr(h))
print(h)
print(isinstance(h, tf.Tensor), h.dtype, h.shape, h.device, type(h) is type(tf.constant(1)))
i = tf.identity(h)
print(i.dtype, i.shape, repr(i) == repr(h))
cases = {
    "h + 1": lambda: h + 1, "add": lambda: tf.add(h, h), "numpy": lambda: h.numpy(),
    "reduce_sum": lambda: tf.reduce_sum(h), "cast": lambda: tf.cast(h, tf.float32), "float": lambda: float(h),
    "bool": lambda: bool(h), "index": lambda: h[0], "constant": lambda: tf.constant(h),
    "reshape": lambda: tf.reshape(h, [1]), "equal": lambda: h == h, "stack": lambda: tf.stack([h, h]),
    "expand_dims": lambda: tf.expand_dims(h, 0), "cast to resource": lambda: tf.cast(v, tf.resource),
}
for label, f in cases.items():
    try:
        r = f()
        print(label, "ok", r.dtype, r.shape)
    except Exception as e:
        print(label, type(e).__name__)
print(tf.convert_to_tensor(h).dtype, tf.shape(h).numpy().tolist(), tf.rank(h).numpy(), tf.size(h).numpy())
print(repr(tf.Variable(tf.zeros([3, 2], tf.int32)).handle))
with tf.name_scope("scope"):
    named = tf.Variable(3.0, name="w")
print(repr(named.handle))
print(repr(tf.Variable([1.0], shape=tf.TensorShape([None])).handle))
print(repr(tf.Variable(1, shape=tf.TensorShape(None)).handle))
print(repr(tf.Variable(tf.zeros([2]), name="x/").handle))
print(h.ref() == h.ref(), h.ref() == i.ref())
