# Ops TF 2.21's CPU refuses (channels-first layouts, ApproxTopK off its one CPU kernel, the N-D FFTs), the
# gradients TF lacks or computes from shapes of its own (cropping RFFT/IRFFT, isotonic_regression of other than
# 2-D inputs), ctc_loss of impossible labellings, and Generator.from_state sharing the state variable.
import numpy as np
import tensorflow as tf


def show(name, f):
    try:
        r = f()
        if isinstance(r, tuple):
            print(name, type(r).__name__, getattr(r, "_fields", None), [np.round(t.numpy(), 4).tolist() for t in r])
        else:
            print(name, r.shape, np.round(r.numpy(), 4).tolist())
    except Exception as e:
        print(name, type(e).__name__)


def grad(f, x, up=None):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x, output_gradients=up)


x4, w4 = tf.ones([1, 2, 4, 4]), tf.ones([2, 2, 2, 3])
show("conv2d NCHW", lambda: tf.nn.conv2d(x4, w4, 1, "VALID", data_format="NCHW"))
show("conv2d NHWC", lambda: tf.nn.conv2d(tf.ones([1, 4, 4, 2]), w4, 1, "VALID"))
show("conv1d NCW", lambda: tf.nn.conv1d(tf.ones([1, 2, 5]), tf.ones([2, 2, 3]), 1, "VALID", data_format="NCW"))
show("conv3d NCDHW", lambda: tf.nn.conv3d(tf.ones([1, 2, 3, 3, 3]), tf.ones([2, 2, 2, 2, 3]), [1] * 5, "VALID",
                                          data_format="NCDHW"))
show("convolution NCHW", lambda: tf.nn.convolution(x4, w4, padding="VALID", data_format="NCHW"))
show("depthwise NCHW", lambda: tf.nn.depthwise_conv2d(x4, tf.ones([2, 2, 2, 1]), [1] * 4, "VALID",
                                                      data_format="NCHW"))
show("separable NCHW", lambda: tf.nn.separable_conv2d(x4, tf.ones([2, 2, 2, 1]), tf.ones([1, 1, 2, 3]), [1] * 4,
                                                      "VALID", data_format="NCHW"))
show("depthwise backprop input NCHW", lambda: tf.nn.depthwise_conv2d_backprop_input(
    [1, 2, 3, 3], tf.ones([2, 2, 2, 1]), tf.ones([1, 2, 2, 2]), [1] * 4, "VALID", data_format="NCHW"))
show("conv2d_transpose NCHW", lambda: tf.nn.conv2d_transpose(tf.ones([1, 3, 3, 3]), w4, [1, 2, 4, 4], 1, "VALID",
                                                             data_format="NCHW"))
show("conv1d_transpose NCW", lambda: tf.nn.conv1d_transpose(tf.ones([1, 1, 2]), tf.ones([2, 1, 1]), [1, 1, 4], 2,
                                                            data_format="NCW"))
show("conv3d_transpose NCDHW", lambda: tf.nn.conv3d_transpose(tf.ones([1, 3, 1, 1, 1]), tf.ones([2, 2, 2, 2, 3]),
                                                              [1, 2, 2, 2, 2], 2, data_format="NCDHW"))
show("max_pool2d NCHW", lambda: tf.nn.max_pool2d(x4, 2, 1, "VALID", data_format="NCHW"))
show("avg_pool2d NCHW", lambda: tf.nn.avg_pool2d(x4, 2, 1, "VALID", data_format="NCHW"))
show("max_pool1d NCW", lambda: tf.nn.max_pool1d(tf.ones([1, 2, 5]), 2, 1, "VALID", data_format="NCW"))
show("max_pool3d NCDHW", lambda: tf.nn.max_pool3d(tf.ones([1, 2, 3, 3, 3]), 2, 1, "VALID", data_format="NCDHW"))
show("avg_pool3d NCDHW", lambda: tf.nn.avg_pool3d(tf.ones([1, 2, 3, 3, 3]), 2, 1, "VALID", data_format="NCDHW"))
show("pool NCHW", lambda: tf.nn.pool(x4, [2, 2], "MAX", padding="VALID", data_format="NCHW"))
show("bias_add NCHW", lambda: tf.nn.bias_add(x4, [1.0, 2.0], data_format="NCHW"))
show("depth_to_space NCHW", lambda: tf.nn.depth_to_space(tf.ones([1, 4, 2, 2]), 2, data_format="NCHW"))
show("space_to_depth NCHW", lambda: tf.nn.space_to_depth(tf.ones([1, 1, 4, 4], tf.int32), 2, data_format="NCHW"))

y = tf.constant(np.arange(12.0).reshape(3, 4), tf.float32)
show("approx_max_k", lambda: tf.math.approx_max_k(y, 2))
show("approx_max_k f16", lambda: tf.math.approx_max_k(tf.cast(y, tf.float16), 1))
show("approx_max_k axis 0", lambda: tf.math.approx_max_k(y, 2, reduction_dimension=0))
show("approx_max_k axis 1", lambda: tf.math.approx_max_k(y, 2, reduction_dimension=1))
show("approx_min_k", lambda: tf.math.approx_min_k(y, 2))
show("approx_min_k axis 0", lambda: tf.math.approx_min_k(y, 2, reduction_dimension=0))
show("approx_max_k f64", lambda: tf.math.approx_max_k(tf.cast(y, tf.float64), 2))
show("approx_max_k int32", lambda: tf.math.approx_max_k(tf.cast(y, tf.int32), 2))

c = tf.complex(y, -y)
show("fftnd", lambda: tf.signal.fftnd(c))
show("fftnd axes", lambda: tf.signal.fftnd(c, fft_length=[3], axes=[0]))
show("ifftnd", lambda: tf.signal.ifftnd(c))
show("rfftnd", lambda: tf.signal.rfftnd(y))
show("irfftnd", lambda: tf.signal.irfftnd(c))
show("fft2d", lambda: tf.signal.fft2d(c))

v = tf.constant([1.0, 2.0, 3.0, 4.0])
cv = tf.constant([1 + 1j, 2, 3], tf.complex64)
m = tf.constant(np.arange(12.0).reshape(3, 4), tf.float32)
cm = tf.complex(m, -m)
show("rfft grad", lambda: grad(lambda a: tf.abs(tf.signal.rfft(a)), v))
show("rfft grad padded", lambda: grad(lambda a: tf.abs(tf.signal.rfft(a, [6])), v))
show("rfft grad cropped", lambda: grad(lambda a: tf.abs(tf.signal.rfft(a, [3])), v))
show("rfft grad cropped to 1", lambda: grad(lambda a: tf.math.real(tf.signal.rfft(a, [1])) * 3, v))
show("rfft grad batch cropped", lambda: grad(lambda a: tf.abs(tf.signal.rfft(a, [3])), tf.ones([2, 4])))
show("irfft grad", lambda: grad(lambda a: tf.signal.irfft(a), cv))
show("irfft grad padded", lambda: grad(lambda a: tf.signal.irfft(a, [6]), cv))
show("irfft grad cropped", lambda: grad(lambda a: tf.signal.irfft(a, [2]), cv))
show("irfft grad cropped to 1", lambda: grad(lambda a: tf.signal.irfft(a, [1]) * tf.constant([2.0]), cv))
show("rfft2d grad", lambda: grad(lambda a: tf.abs(tf.signal.rfft2d(a)), m))
show("rfft2d grad padded", lambda: grad(lambda a: tf.abs(tf.signal.rfft2d(a, [4, 6])), m))
show("rfft2d grad cropped", lambda: grad(lambda a: tf.abs(tf.signal.rfft2d(a, [2, 2])), m))
show("rfft2d grad cropped columns", lambda: grad(lambda a: tf.abs(tf.signal.rfft2d(a, [3, 3])), m))
show("rfft2d grad cropped rows", lambda: grad(lambda a: tf.abs(tf.signal.rfft2d(a, [2, 4])), m))
show("rfft2d grad columns to 1", lambda: grad(
    lambda a: tf.math.real(tf.signal.rfft2d(a, [3, 1])) * tf.constant([[1.0], [2.0], [3.0]]), m))
show("irfft2d grad", lambda: grad(lambda a: tf.signal.irfft2d(a, [3, 6]), cm))
show("irfft2d grad cropped rows", lambda: grad(lambda a: tf.signal.irfft2d(a, [2, 6]), cm))
show("irfft2d grad cropped columns", lambda: grad(lambda a: tf.signal.irfft2d(a, [3, 4]), cm))
show("irfft2d grad columns to 1", lambda: grad(lambda a: tf.signal.irfft2d(a, [3, 1]), cm))
show("rfft3d grad", lambda: grad(lambda a: tf.abs(tf.signal.rfft3d(a)), tf.ones([2, 2, 2])))
show("irfft3d grad", lambda: grad(lambda a: tf.signal.irfft3d(a), tf.ones([2, 2, 2], tf.complex64)))

iso = tf.constant([[3.0, 1.0, 2.0], [1.0, 2.0, 3.0]])
up = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
show("isotonic_regression", lambda: tf.nn.isotonic_regression(iso))
show("isotonic_regression 1-D", lambda: tf.nn.isotonic_regression(tf.constant([3.0, 1.0, 2.0])))
show("isotonic grad", lambda: grad(lambda a: tf.nn.isotonic_regression(a)[0], iso, up))
show("isotonic grad axis 0", lambda: grad(lambda a: tf.nn.isotonic_regression(a, axis=0)[0], iso, up))
show("isotonic grad increasing", lambda: grad(lambda a: tf.nn.isotonic_regression(a, decreasing=False)[0], iso, up))
show("isotonic grad 1-D", lambda: grad(lambda a: tf.nn.isotonic_regression(a)[0], tf.constant([3.0, 1.0, 2.0]),
                                       tf.constant([1.0, 2.0, 3.0])))
cube = tf.constant([[[3.0, 1.0, 2.0], [1.0, 2.0, 3.0]], [[3.0, 1.0, 2.0], [1.0, 2.0, 3.0]]])
show("isotonic grad 3-D", lambda: grad(lambda a: tf.nn.isotonic_regression(a)[0], cube, tf.reshape(tf.range(12.0),
                                                                                                   [2, 2, 3])))
show("isotonic grad int", lambda: grad(lambda a: tf.nn.isotonic_regression(a)[0], tf.constant([[3.0, 1.0, 2.0]],
                                                                                               tf.float64)))

labels = tf.constant([[1, 1]])
zeros = tf.zeros([2, 1, 3])
show("ctc impossible", lambda: tf.nn.ctc_loss(labels, zeros, [2], [2]))
show("ctc impossible 3 labels", lambda: tf.nn.ctc_loss(tf.constant([[1, 2, 1]]), zeros, [3], [2]))
show("ctc impossible logits", lambda: tf.nn.ctc_loss(labels, tf.constant([[[5.0, 0.0, -3.0]], [[1.0, 2.0, 3.0]]]),
                                                     [2], [2]))
show("ctc impossible grad", lambda: grad(lambda a: tf.nn.ctc_loss(labels, a, [2], [2]), zeros))
show("ctc impossible blank last", lambda: tf.nn.ctc_loss(labels, zeros, [2], [2], blank_index=-1))
show("ctc impossible short", lambda: tf.nn.ctc_loss(tf.constant([[1, 2]]), zeros, [2], [1]))
show("ctc no frames", lambda: tf.nn.ctc_loss(tf.constant([[1, 2, 1, 3]]), tf.zeros([3, 1, 4]), [4], [0]))
show("ctc possible", lambda: tf.nn.ctc_loss(tf.constant([[1, 2]]), zeros, [2], [2]))
show("ctc float64", lambda: tf.nn.ctc_loss(labels, tf.zeros([2, 1, 3], tf.float64), [2], [2]))
show("ctc float16", lambda: tf.nn.ctc_loss(tf.constant([[1]]), tf.zeros([2, 1, 3], tf.float16), [1], [2]))
rng = np.random.default_rng(0)
logits = tf.constant(rng.standard_normal((3, 2, 4)), tf.float32)
show("ctc batch grad", lambda: grad(lambda a: tf.nn.ctc_loss(tf.constant([[1, 2], [3, 3]]), a, [2, 2], [2, 3]),
                                    logits))
show("ctc batch blank 2 grad", lambda: grad(lambda a: tf.nn.ctc_loss(tf.constant([[1, 2], [3, 3]]), a, [2, 1],
                                                                     [3, 1], blank_index=2), logits))
show("ctc repeats", lambda: grad(lambda a: tf.nn.ctc_loss(tf.constant([[1, 2, 1, 3]]), a, [4], [3]), logits[:, :1]))

g1 = tf.random.Generator.from_seed(1)
g2 = tf.random.Generator.from_state(g1.state, "philox")
print("shared", g2.state is g1.state)
g1.normal([2])
print("moves both", np.array_equal(g1.state.numpy(), g2.state.numpy()))
g2.skip(5)
print("skip moves both", np.array_equal(g1.state.numpy(), g2.state.numpy()))
g3 = tf.random.Generator.from_state(g1.state.numpy(), "philox")
g1.normal([2])
print("from an array: a copy", np.array_equal(g1.state.numpy(), g3.state.numpy()))
g4 = tf.random.Generator(copy_from=g1)
g1.normal([2])
print("copy_from: a copy", g4.state is g1.state, np.array_equal(g1.state.numpy(), g4.state.numpy()))
v64 = tf.Variable([1, 2, 3], dtype=tf.int64)
g5 = tf.random.Generator.from_state(v64, "philox")
print("a variable", g5.state is v64, g5.state.dtype, g5.state.shape)
g5.reset([4, 5, 6])
print("reset writes it", v64.numpy().tolist())
show("short variable", lambda: tf.random.Generator.from_state(tf.Variable([1, 2], dtype=tf.int64), "philox").state)
print("from a tensor", tf.random.Generator.from_state(tf.constant([1, 2, 3], tf.int64), "philox").state.numpy())
