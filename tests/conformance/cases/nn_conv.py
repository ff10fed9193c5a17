import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = tf.constant(rng.uniform(-1, 1, (2, 5, 6, 3)).round(2), tf.float32)
w = tf.constant(rng.uniform(-1, 1, (3, 2, 3, 4)).round(2), tf.float32)


def show(name, t):
    total = round(float(np.sum(t.numpy(), dtype=np.float64)), 1)
    print(name, t.shape, t.dtype, np.round(t.numpy().ravel()[:6], 3).tolist(), total)


for padding in ["SAME", "VALID", [[0, 0], [1, 2], [0, 1], [0, 0]]]:
    for strides, dilations in [(1, 1), (2, 1), (1, 2), ([1, 2, 3, 1], 1)]:
        try:
            show(f"conv2d {padding} {strides} {dilations}", tf.nn.conv2d(x, w, strides, padding, dilations=dilations))
        except Exception as e:
            print("conv2d", padding, strides, dilations, type(e).__name__)
show("conv1d", tf.nn.conv1d(x[:, 0], w[0], 2, "SAME"))
show("conv3d", tf.nn.conv3d(tf.reshape(x, [1, 2, 5, 6, 3]), tf.reshape(w, [1, 3, 2, 3, 4]), [1, 1, 2, 1, 1], "SAME"))
show("convolution", tf.nn.convolution(x, w, padding="SAME", dilations=2))
show("conv2d_transpose", tf.nn.conv2d_transpose(x[..., :2], w[:, :, :3, :2], [2, 10, 12, 3], 2, "SAME"))
show("conv1d_transpose", tf.nn.conv1d_transpose(x[:, 0, :, :2], w[0, :, :3, :2], [2, 12, 3], 2, "VALID"))
show("conv_transpose", tf.nn.conv_transpose(x[:, :2, :2, :2], w[:, :, :3, :2], [2, 5, 5, 3], 2, "VALID"))
show("depthwise", tf.nn.depthwise_conv2d(x, w[..., :2], [1, 2, 2, 1], "SAME"))
show("depthwise_dil", tf.nn.depthwise_conv2d(x, w[..., :2], [1, 1, 1, 1], "VALID", dilations=[2, 2]))
show("separable", tf.nn.separable_conv2d(x, w[..., :2], tf.ones([1, 1, 6, 2]), [1, 1, 1, 1], "SAME"))
show("atrous", tf.nn.atrous_conv2d(x, w, 2, "SAME"))
show("atrous_t", tf.nn.atrous_conv2d_transpose(x[..., :2], w[:, :, :3, :2], [2, 5, 6, 3], 2, "SAME"))
g = tf.ones([2, 3, 3, 6])
show("dbi", tf.nn.depthwise_conv2d_backprop_input([2, 5, 6, 3], w[..., :2], g, [1, 2, 2, 1], "SAME"))
show("dbf", tf.nn.depthwise_conv2d_backprop_filter(x, [3, 2, 3, 2], g, [1, 2, 2, 1], "SAME"))
for padding in ["SAME", "VALID"]:
    for k, s in [(2, 2), ([2, 3], 1), (3, 2)]:
        show(f"max_pool {padding} {k} {s}", tf.nn.max_pool2d(x, k, s, padding))
        show(f"avg_pool {padding} {k} {s}", tf.nn.avg_pool2d(x, k, s, padding))
show("max_pool1d", tf.nn.max_pool1d(x[:, 0], 2, 1, "SAME"))
show("avg_pool1d", tf.nn.avg_pool1d(x[:, 0], 3, 2, "SAME"))
show("max_pool3d", tf.nn.max_pool3d(tf.reshape(x, [1, 2, 5, 6, 3]), 2, 1, "SAME"))
show("avg_pool3d", tf.nn.avg_pool3d(tf.reshape(x, [1, 2, 5, 6, 3]), 2, 1, "SAME"))
show("max_pool_gen", tf.nn.max_pool(x, 3, 2, "SAME"))
show("pool max dil", tf.nn.pool(x, [2, 2], "MAX", padding="VALID", dilations=[2, 2]))
show("pool avg dil", tf.nn.pool(x, [2, 2], "AVG", padding="VALID", dilations=[1, 2]))
show("pool avg", tf.nn.pool(x, [2, 2], "AVG", strides=[2, 2], padding="SAME"))
show("pool max explicit", tf.nn.max_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))
out, arg = tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")
show("argmax out", out)
print(arg.dtype, arg.numpy().ravel()[:12].tolist())
out, arg = tf.nn.max_pool_with_argmax(x, 3, 2, "VALID", include_batch_in_index=True, output_dtype=tf.int32)
print(arg.dtype, arg.numpy().ravel()[-12:].tolist())
show("dilation2d", tf.nn.dilation2d(x, w[:2, :2, :, 0], [1, 1, 1, 1], "SAME", "NHWC", [1, 2, 1, 1]))
show("erosion2d", tf.nn.erosion2d(x, w[:2, :2, :, 0], [1, 2, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]))

with tf.GradientTape(persistent=True) as tape:
    tape.watch([x, w])
    ys = [tf.nn.conv2d(x, w, 2, "SAME"), tf.nn.max_pool2d(x, 2, 1, "SAME"), tf.nn.avg_pool2d(x, 3, 2, "SAME"),
          tf.nn.depthwise_conv2d(x, w[..., :2], [1, 1, 1, 1], "SAME"),
          tf.nn.dilation2d(x, w[:2, :2, :, 0], [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 1, 1])]
    ys = [y * y for y in ys]
for i, y in enumerate(ys):
    gx, gw = tape.gradient(y, [x, w])
    show(f"grad{i} x", gx)
    if gw is not None:
        show(f"grad{i} w", gw)

for call in [lambda: tf.nn.conv2d(x, w[:, :, :2], 1, "SAME"),
             lambda: tf.nn.conv2d(x, w, 1, "same"),
             lambda: tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME"),
             lambda: tf.nn.conv2d(x, w, 1, "VALID", dilations=4),
             lambda: tf.nn.max_pool2d(x, 2, 1, "FULL"),
             lambda: tf.nn.conv2d(tf.cast(x, tf.float64), w, 1, "SAME"),
             lambda: tf.nn.max_pool(x[0, 0], 2, 1, "SAME"),
             lambda: tf.nn.atrous_conv2d(x, w, 0, "SAME"),
             lambda: tf.nn.pool(x, [2, 2], "MAX", padding="SAME", dilations=[2, 2]),
             lambda: tf.nn.pool(x, [2, 2], "MAX", strides=[2, 2], dilations=[2, 2])]:
    try:
        call()
        print("no error")
    except Exception as e:
        print(type(e).__name__)
