# IndexedSlices: the gradient of gather, its densification, aggregation on a tape, and the sparse SGD update
# (a scatter: repeated rows subtract one after another), bit for bit.
import numpy as np
import tensorflow as tf

table = tf.Variable(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3), name="table")
ids = tf.constant([2, 0, 2, 2])
with tf.GradientTape() as tape:
    rows = tf.gather(table, ids)
    loss = tf.reduce_sum(tf.sin(rows) * tf.constant([[0.3], [1.1], [0.7], [1.9]]))
    loss = loss + tf.reduce_sum(tf.gather(table, [1, 2]) ** 2)
g = tape.gradient(loss, table)
print(type(g).__name__, g.indices.numpy().tolist(), g.dense_shape.numpy().tolist(), g.values.shape)
print(sorted(zip(g.indices.numpy().tolist(), np.round(g.values.numpy(), 6).tolist())))
print(np.round(tf.convert_to_tensor(g).numpy(), 5).tolist())
print((tf.convert_to_tensor(g) * 2.0).dtype)
opt = tf.keras.optimizers.SGD(learning_rate=0.37)
opt.apply_gradients([(g, table)])
print(table.numpy().view(np.int32).reshape(-1).tolist())  # the bits
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.reduce_sum(tf.gather(x * 3.0, [1, 1]))
print(isinstance(tape.gradient(y, x), tf.Tensor))
s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
print(tf.convert_to_tensor(s).numpy().tolist(), s.dtype, s.shape)
print(tf.add(s, 1.0).numpy().tolist())
