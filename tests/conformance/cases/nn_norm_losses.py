import numpy as np
import tensorflow as tf

rng = np.random.default_rng(1)
x = tf.constant(rng.uniform(-2, 2, (2, 3, 4, 6)).round(2), tf.float32)


def show(name, t):
    t = tf.convert_to_tensor(t)
    print(name, t.shape, t.dtype, np.round(t.numpy().astype(np.float64).ravel()[:6], 3).tolist())


show("bn", tf.nn.batch_normalization(x, 0.5, 2.0, 0.1, 3.0, 1e-3))
show("bn none", tf.nn.batch_normalization(x, tf.zeros([6]), tf.ones([6]), None, None, 1e-3))
show("bngn", tf.nn.batch_norm_with_global_normalization(x, 0.5, 2.0, 0.1, 3.0, 1e-3, False))
m, v = tf.nn.weighted_moments(x, [0, 1, 2], tf.constant(rng.uniform(0, 1, (2, 3, 4, 1)), tf.float32))
show("wm mean", m)
show("wm var", v)
m, v = tf.nn.weighted_moments(x, [1], 2.0, keepdims=True)
show("wm keep", v)
c, ms, vs, s = tf.nn.sufficient_statistics(x, [0, 2], shift=0.5)
show("ss c", c)
show("ss m", ms)
show("ss v", vs)
mm, vv = tf.nn.normalize_moments(c, ms, vs, 0.5)
show("nm", mm)
show("nv", vv)
show("l2n", tf.nn.l2_normalize(x, axis=[1, 2]))
show("l2n0", tf.nn.l2_normalize(tf.zeros([3])))
show("lrn", tf.nn.local_response_normalization(x, depth_radius=2, bias=0.5, alpha=0.3, beta=0.75))
show("lrn big", tf.nn.lrn(x))
params = tf.constant(rng.uniform(-2, 2, (5, 3)), tf.float32)
show("emb", tf.nn.embedding_lookup(params, [[4, 0], [1, 1]]))
show("emb norm", tf.nn.embedding_lookup(params, [4, 0, 2], max_norm=1.0))
show("emb shards", tf.nn.embedding_lookup([params[:3], params[3:]], [4, 0, 2]))
t = tf.constant([0.0, 0.5, 1.0, 2.0, 7.0])
show("lpl", tf.nn.log_poisson_loss(t, tf.constant([0.1, -1.0, 2.0, 0.5, 1.5])))
show("lpl full", tf.nn.log_poisson_loss(t, tf.constant([0.1, -1.0, 2.0, 0.5, 1.5]), compute_full_loss=True))
show("wce", tf.nn.weighted_cross_entropy_with_logits(tf.constant([1.0, 0.0, 0.3]), tf.constant([2.0, -50.0, 60.0]),
                                                     3.0))
show("cal", tf.nn.compute_average_loss([1.0, 2.0, 4.0]))
show("cal w", tf.nn.compute_average_loss([1.0, 2.0, 4.0], sample_weight=[1.0, 0.0, 0.5], global_batch_size=8))
show("srl", tf.nn.scale_regularization_loss([1.0, 2.0]))
show("zf", tf.nn.zero_fraction(tf.constant([[0, 1], [0, 0]])))
show("crelu", tf.nn.crelu(x[0, 0], axis=0))
show("selu", tf.nn.selu(x))
show("topk", tf.nn.top_k(x[0, 0], 2).values)
p = [[1.0, 1.0, 0, 0], [1.0, 0, 1.0, 1.0], [0, 0, np.nan, 0], [2.0, 2.0, 2.0, 2.0]]
print(tf.nn.in_top_k([0, 1, 2, 3], tf.constant(p), 1).numpy())
p[2][2] = np.inf
print(tf.nn.in_top_k([0, 1, 2, 3], tf.constant(p), 2).numpy())
v, i = tf.nn.approx_max_k(x[0, 0], 3)
show("amax v", v)
print(i.dtype, i.numpy().ravel()[:6])
y = tf.nn.depth_to_space(tf.reshape(tf.range(48), [1, 2, 3, 8]), 2)
print(y.shape, y.numpy().ravel()[:12])
print(tf.nn.space_to_depth(y, 2).numpy().ravel()[:12])
y = tf.nn.space_to_batch(tf.reshape(tf.range(30), [1, 3, 5, 2]), [2, 3], [[1, 0], [0, 1]])
print(y.shape, y.numpy().ravel()[:16])
out, n = tf.nn.collapse_repeated(tf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 5, 5], [7, 7, 0, 0, 7]]), [5, 3, 5])
print(out.numpy().tolist(), n.numpy().tolist(), out.dtype, n.dtype)
u, ids = tf.nn.ctc_unique_labels(tf.constant([[3, 4, 4, 3], [5, 5, 1, 2]]))
print(u.numpy().tolist(), ids.numpy().tolist(), u.dtype, ids.dtype)
true = tf.constant([[1, 2], [2, 3], [4, 5]], tf.int64)
i, ids, w = tf.nn.compute_accidental_hits(true, tf.constant([2, 5, 1, 2], tf.int64), 2)
print(i.numpy().tolist(), ids.numpy().tolist(), w.numpy().tolist(), i.dtype, ids.dtype)
y, seg = tf.nn.isotonic_regression([[1.0, 3.0, 2.0, 5.0, 0.5], [5.0, 4.0, 4.0, 1.0, 2.0]])
print(y.numpy().tolist(), seg.numpy().tolist(), seg.dtype)
y, seg = tf.nn.isotonic_regression(tf.constant([[3, 1], [2, 4]]), decreasing=False, axis=0)
print(y.numpy().tolist(), seg.numpy().tolist(), y.dtype)
op = lambda t, n, p: tf.nn.max_pool2d(t, 2, 1, p)
show("wstb", tf.nn.with_space_to_batch(x, [2, 2], "VALID", op))
show("wstb same", tf.nn.with_space_to_batch(x, [2, 1], "SAME", op, filter_shape=[2, 2]))

with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    ys = [tf.nn.local_response_normalization(x, 2), tf.nn.l2_normalize(x, 1), tf.nn.selu(x),
          tf.nn.weighted_moments(x, [1, 2], x * x)[1],
          tf.nn.depth_to_space(x[..., :4], 2), tf.nn.crelu(x)]
    ys = [tf.sin(y) for y in ys]
for k, y in enumerate(ys):
    show(f"grad{k}", tape.gradient(y, x))

for call in [lambda: tf.nn.depth_to_space(x, 1), lambda: tf.nn.depth_to_space(x, 4),
             lambda: tf.nn.space_to_depth(x, 2),
             lambda: tf.nn.log_poisson_loss([1.0, 2.0], [1.0]),
             lambda: tf.nn.weighted_cross_entropy_with_logits([1.0, 2.0], [1.0], 2.0),
             lambda: tf.nn.lrn(x[0]),
             lambda: tf.nn.embedding_lookup(params, [7]),
             lambda: tf.nn.in_top_k([0.5], [[1.0, 2.0]], 1),
             lambda: tf.nn.compute_average_loss(3.0),
             lambda: tf.nn.selu(tf.constant([1, 2]))]:
    try:
        call()
        print("no error")
    except Exception as e:
        print(type(e).__name__)
