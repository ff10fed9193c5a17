import os
import tempfile
import numpy as np
import tensorflow as tf

d = tempfile.mkdtemp()
class M(tf.Module):
    pass

src = M()
src.w = tf.Variable([1.0, 2.0])
src.sub = M()
src.sub.v = tf.Variable(5.0)
src.dense = tf.keras.layers.Dense(2, kernel_initializer="ones")
src.dense(tf.constant([[1.0, 1.0, 1.0]]))
src.dense.kernel.assign(tf.reshape(tf.range(6, dtype=tf.float32), [3, 2]))
src.dense.bias.assign([0.5, -0.5])
path = tf.train.Checkpoint(model=src).save(os.path.join(d, "ck"))
print(os.path.basename(path))

dst = M()
status = tf.train.Checkpoint(model=dst).restore(path)
dst.w = tf.Variable([0.0, 0.0])
print("w at creation", dst.w.numpy())
dst.sub = M()
dst.sub.v = tf.Variable(0.0)
print("sub.v", dst.sub.v.numpy())
dst.dense = tf.keras.layers.Dense(2)
print(dst.dense(tf.constant([[1.0, 1.0, 1.0]])).numpy())
print(dst.dense.kernel.numpy(), dst.dense.bias.numpy())
try:
    status.assert_consumed()
    print("consumed")
except AssertionError as e:
    print(type(e).__name__, "save_counter" in str(e))

# submodule created before attaching
dst2 = M()
status = tf.train.Checkpoint(model=dst2).restore(path)
sub = M()
sub.v = tf.Variable(-1.0)
dst2.sub = sub
print("attached sub.v", sub.v.numpy())
try:
    status.assert_consumed()
except AssertionError as e:
    print(type(e).__name__)

# reader scalars
r = tf.train.load_checkpoint(path)
t = r.get_tensor("model/sub/v/.ATTRIBUTES/VARIABLE_VALUE")
print(type(t).__name__, t, t.dtype, np.ndim(t))
t = r.get_tensor("model/w/.ATTRIBUTES/VARIABLE_VALUE")
print(type(t).__name__, t)
print(sorted(r.get_variable_to_shape_map().items()))
print(sorted((k, v.name) for k, v in r.get_variable_to_dtype_map().items()))
print(tf.train.load_variable(path, "model/sub/v/.ATTRIBUTES/VARIABLE_VALUE"))
print(type(tf.train.load_variable(path, "model/sub/v/.ATTRIBUTES/VARIABLE_VALUE")).__name__)
print([n for n, s in tf.train.list_variables(path)])

# optimizer slots restored when the slots are created (the first apply_gradients)
v = tf.Variable([1.0, 2.0])
opt = tf.keras.optimizers.Adam(0.1)
opt.apply_gradients([(tf.constant([0.5, -0.5]), v)])
p2 = tf.train.Checkpoint(v=v, opt=opt).save(os.path.join(d, "opt"))
v2 = tf.Variable([0.0, 0.0])
opt2 = tf.keras.optimizers.Adam(0.1)
st = tf.train.Checkpoint(v=v2, opt=opt2).restore(p2)
print(v2.numpy(), opt2.iterations.numpy())
opt2.apply_gradients([(tf.constant([0.5, -0.5]), v2)])
opt.apply_gradients([(tf.constant([0.5, -0.5]), v)])
print(v2.numpy(), v.numpy(), opt2.iterations.numpy())
st.assert_consumed()
print("consumed")
