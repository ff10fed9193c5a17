# tf.experimental.dlpack: capsules both ways, every DLPack dtype, memory shared on import, TF's stride rule, errors.
import numpy as np
import tensorflow as tf

dl = tf.experimental.dlpack


def show(f):
    try:
        r = f()
        print("OK", repr(r))
    except Exception as e:  # eagerflow's messages say more (docs/differences_from_tensorflow.md): the class only
        print(type(e).__name__)


x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
capsule = dl.to_dlpack(x)
print(type(capsule).__name__, repr(capsule).split(" at ")[0])
y = dl.from_dlpack(capsule)
print(repr(y), y.device)
show(lambda: dl.from_dlpack(capsule))  # consumed
for dt in [tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8,
           tf.uint16, tf.uint32, tf.uint64, tf.bool, tf.complex64, tf.complex128]:
    t = tf.cast(tf.constant([[1, 0, 3]]), dt)
    r = dl.from_dlpack(dl.to_dlpack(t))
    print(dt.name, r.dtype.name, r.shape, bool(tf.reduce_all(tf.equal(r, t))))
print(dl.from_dlpack(dl.to_dlpack(tf.constant(7))))
print(dl.from_dlpack(dl.to_dlpack(tf.constant([[1, 2], [3, 4]])[:, 1])))
print(dl.from_dlpack(dl.to_dlpack(tf.zeros([0, 3]))).shape)
print(dl.from_dlpack(dl.to_dlpack(tf.Variable([1.5, 2.5]).read_value())))
show(lambda: dl.to_dlpack(np.ones(3)))
show(lambda: dl.to_dlpack([1, 2]))
show(lambda: dl.to_dlpack(tf.Variable([1.0])))
show(lambda: dl.to_dlpack(3.0))

# from NumPy: zero copy, NumPy's dtypes, TF's compact row-major rule
a = np.arange(4, dtype=np.float32)
t = dl.from_dlpack(a.__dlpack__())
a[0] = 100
print(t.numpy(), t.device)
for arr in [np.array(3.5), np.zeros((0, 3), np.float32), np.array([True, False]), np.array([1 + 2j], np.complex64),
            np.array([1], np.float16), np.arange(3, dtype=np.int64), np.zeros((4, 1), np.float32).T,
            np.arange(6, dtype=np.uint16).reshape(2, 3)]:
    show(lambda arr=arr: dl.from_dlpack(arr.__dlpack__()))
for arr in [np.arange(6, dtype=np.float32).reshape(2, 3)[:, ::2], np.arange(6, dtype=np.float32).reshape(2, 3).T,
            np.zeros(3, np.float32)[::2], np.zeros((2, 3), np.float32)[:, 1:], np.zeros((1, 3), np.float32)[:, ::2]]:
    show(lambda arr=arr: dl.from_dlpack(arr.__dlpack__()))
show(lambda: dl.from_dlpack(np.zeros(3, np.float32).__dlpack__(max_version=(1, 0))))
for bad in [np.arange(3), 3, "abc", [1, 2], None, tf.constant([1.0])]:
    show(lambda bad=bad: dl.from_dlpack(bad))

# to NumPy: tensors have __dlpack__, and a capsule is NumPy's to read through an object
show(lambda: np.from_dlpack(tf.constant([1.5, 2.0])))
print(tf.constant(1.0).__dlpack_device__())
