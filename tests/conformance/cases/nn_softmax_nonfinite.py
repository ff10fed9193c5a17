import numpy as np
import tensorflow as tf

# TF's softmax kernel (oneDNN's off, as the reference runs): a row holding NaN or +inf is all NaN
rows = [[np.inf, 1.0, 2.0], [1.0, np.nan, 2.0], [np.inf, np.inf, 2.0], [-np.inf, -np.inf],
        [np.inf, -np.inf, 0.0], [np.nan, np.nan], [-np.inf, np.nan], [1e30, np.nan, -1e30], [np.inf]]
for dtype in [tf.float32, tf.bfloat16, tf.float64, tf.float16]:
    for row in rows:
        out = tf.cast(tf.nn.softmax(tf.constant(row, dtype)), tf.float32).numpy()
        print(dtype.name, row, out.round(4).tolist())
for dtype in [tf.float32, tf.float64]:
    print(dtype.name, tf.nn.softmax(tf.constant([-np.inf, 1.0, 2.0], dtype)).numpy().tolist())
x = tf.constant([[np.inf, 1.0], [1.0, np.nan], [0.0, 1.0]])
print(tf.nn.softmax(x).numpy().round(4).tolist(), tf.nn.softmax(x, axis=0).numpy().round(4).tolist())
print(tf.nn.log_softmax(tf.constant([np.inf, 1.0, 2.0])).numpy().tolist())
