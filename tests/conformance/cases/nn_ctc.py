import numpy as np
import tensorflow as tf

rng = np.random.default_rng(5)
logits = tf.constant(rng.standard_normal((6, 3, 5)), tf.float32)
labels = tf.constant([[1, 2, 2], [3, 0, 0], [4, 1, 3]])
label_length = tf.constant([3, 1, 2])
logit_length = tf.constant([6, 4, 5])
for blank in [None, 0, 4, -1]:
    lab = labels if blank in (None, 0) else labels - 1 + tf.cast(labels == 0, tf.int32)
    loss = tf.nn.ctc_loss(lab, logits, label_length, logit_length, blank_index=blank)
    print(blank, loss.dtype, np.round(loss.numpy(), 4).tolist())
with tf.GradientTape() as tape:
    tape.watch(logits)
    loss = tf.nn.ctc_loss(labels, logits, label_length, logit_length)
    total = tf.reduce_sum(loss * [1.0, 2.0, 3.0])
g = tape.gradient(total, logits)
print(g.shape, np.round(g.numpy()[:, 0, :], 4).tolist())
print(np.round(g.numpy()[4:, 1, :], 4).tolist())
batch_major = tf.transpose(logits, [1, 0, 2])
print(np.round(tf.nn.ctc_loss(labels, batch_major, label_length, logit_length, logits_time_major=False).numpy(), 4))
