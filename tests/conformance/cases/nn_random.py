import numpy as np
import tensorflow as tf


def info(name, t):
    print(name, t.shape, t.dtype)


s = [1, 2]
for f in [lambda: tf.random.stateless_uniform([2, 3], s), lambda: tf.random.stateless_uniform([4], s, 0, 10, tf.int32),
          lambda: tf.random.stateless_uniform([4], s, None, None, tf.int64),
          lambda: tf.random.stateless_normal([3], s, dtype=tf.float64),
          lambda: tf.random.stateless_truncated_normal([2, 2], s),
          lambda: tf.random.stateless_categorical([[0.0, 1.0], [1.0, 0.0]], 5, s),
          lambda: tf.random.stateless_categorical([[0.0, 1.0]], 5, s, dtype=tf.int32),
          lambda: tf.random.stateless_binomial([3, 2], s, counts=[5.0, 10.0], probs=0.5),
          lambda: tf.random.stateless_binomial([3], s, counts=5.0, probs=0.5, output_dtype=tf.float32),
          lambda: tf.random.stateless_gamma([5, 2], s, alpha=[1.0, 2.0]),
          lambda: tf.random.stateless_gamma([5, 2], s, alpha=[1.0, 2.0], beta=[[1.0], [2.0], [3.0], [4.0], [5.0]]),
          lambda: tf.random.stateless_poisson([4, 3], s, lam=[1.0, 2.0, 3.0]),
          lambda: tf.random.stateless_poisson([4], s, lam=2.0, dtype=tf.float32),
          lambda: tf.random.stateless_parameterized_truncated_normal([3, 2], s, 1.0, 2.0, [0.0, 1.0], 4.0),
          lambda: tf.random.categorical(tf.math.log([[0.5, 0.5]]), 3),
          lambda: tf.random.gamma([3], [1.0, 2.0], [[1.0], [2.0]]),
          lambda: tf.random.gamma([3], 2.0, dtype=tf.float64),
          lambda: tf.random.poisson([2, 2], [1.0, 2.0, 3.0]),
          lambda: tf.random.poisson([2], 4.0, dtype=tf.int64),
          lambda: tf.random.split(s), lambda: tf.random.split(tf.constant(s, tf.int64), 3),
          lambda: tf.random.fold_in(s, 3), lambda: tf.random.experimental.stateless_split(s, 4),
          lambda: tf.random.experimental.stateless_shuffle(tf.range(5), s),
          lambda: tf.random.experimental.index_shuffle(3, [1, 2], 9),
          lambda: tf.random.experimental.index_shuffle(tf.range(4, dtype=tf.int64), [1, 2], 9),
          lambda: tf.nn.experimental.stateless_dropout(tf.ones([4]), 0.5, s)]:
    a = f()
    info("value", a)
stateless = [lambda: tf.random.stateless_normal([3], s), lambda: tf.random.stateless_uniform([4], s, 0, 10, tf.int32),
             lambda: tf.random.stateless_categorical([[0.0, 1.0], [1.0, 0.0]], 5, s),
             lambda: tf.random.stateless_gamma([5, 2], s, alpha=[1.0, 2.0]),
             lambda: tf.random.stateless_poisson([4, 3], s, lam=[1.0, 2.0, 3.0]),
             lambda: tf.random.split(s), lambda: tf.nn.experimental.stateless_dropout(tf.ones([4]), 0.5, s)]
print([bool(np.all(f().numpy() == f().numpy())) for f in stateless])
print(tf.random.fold_in(s, 3).numpy()[1])
print(sorted(tf.random.experimental.stateless_shuffle(tf.range(5), s).numpy().tolist()))
print(sorted(int(tf.random.experimental.index_shuffle(i, [4, 5], 6)) for i in range(7)))
x = tf.random.stateless_parameterized_truncated_normal([2000], s, 1.0, 2.0, 0.0, 4.0).numpy()
print(bool(x.min() >= 0.0), bool(x.max() <= 4.0))
print(tf.random.stateless_categorical(tf.math.log([[0.0, 1.0, 0.0]]), 6, s).numpy().tolist())
print(tf.random.stateless_binomial([4], s, counts=7.0, probs=1.0).numpy().tolist())
print(tf.random.stateless_poisson([3], s, lam=0.0).numpy().tolist())
print(tf.random.create_rng_state(1234, "philox"), tf.random.create_rng_state([12, 34], "threefry"))
print(tf.random.create_rng_state(2 ** 70 + 5, tf.random.Algorithm.PHILOX))
print(tf.random.Algorithm.PHILOX.value, tf.random.Algorithm.THREEFRY.value, tf.random.Algorithm.AUTO_SELECT.value)
g = tf.random.Generator.from_seed(5)
info("g state", g.state)
print(g.algorithm)
for name, t in [("uniform_full_int", g.uniform_full_int([2], tf.int32)), ("binomial", g.binomial([3], 4.0, 0.3)),
                ("make_seeds", g.make_seeds(3)), ("normal", g.normal([2])),
                ("uniform", g.uniform([2], 0, 5, tf.int64))]:
    info(name, t)
g1, g2 = tf.random.Generator.from_seed(9), tf.random.Generator.from_seed(9)
print(bool(np.all(g1.normal([3]).numpy() == g2.normal([3]).numpy())))
print(len(g1.split(3)))
old = tf.random.get_global_generator()
tf.random.set_global_generator(g1)
print(tf.random.get_global_generator() is g1)
tf.random.set_global_generator(old)

sampled, t, e = tf.random.uniform_candidate_sampler([[1, 2], [3, 4]], 2, 5, True, 10, seed=1)
info("ucs", sampled)
info("ucs t", t)
info("ucs e", e)
print(len(set(sampled.numpy().tolist())))
sampled, t, e = tf.random.uniform_candidate_sampler([[1]], 1, 4, False, 10, seed=1)
print(np.round(t.numpy(), 4).tolist(), np.round(e.numpy(), 4).tolist())
sampled, t, e = tf.random.log_uniform_candidate_sampler([[0], [5]], 1, 3, False, 100, seed=3)
print(np.round(t.numpy(), 4).tolist())
sampled, t, e = tf.random.fixed_unigram_candidate_sampler([[1]], 1, 4, False, 4, unigrams=[1, 2, 3], distortion=0.5,
                                                         num_reserved_ids=1, seed=2)
print(np.round(t.numpy(), 4).tolist(), bool(np.all(sampled.numpy() > 0)))
print(tf.random.all_candidate_sampler([[1, 2]], 2, 4, True))
print(tf.nn.all_candidate_sampler is not None)
w, b = tf.ones([10, 4]), tf.zeros([10])
labels = tf.constant([[1], [2]], tf.int64)
info("nce", tf.nn.nce_loss(w, b, labels, tf.ones([2, 4]), 3, 10))
vals = tf.random.all_candidate_sampler([[1], [2]], 1, 10, True)
print(np.round(tf.nn.nce_loss(w * 0.1, b, labels, tf.ones([2, 4]), 10, 10, sampled_values=vals).numpy(), 4))
print(np.round(tf.nn.sampled_softmax_loss(w * 0.1, b, labels, tf.ones([2, 4]), 10, 10, sampled_values=vals,
                                          remove_accidental_hits=True).numpy(), 4))
print(np.round(tf.nn.sampled_softmax_loss(w * 0.1, b, labels, tf.ones([2, 4]), 10, 10, sampled_values=vals,
                                          remove_accidental_hits=False).numpy(), 4))

for call in [lambda: tf.random.stateless_uniform([2], [1, 2, 3]), lambda: tf.random.stateless_uniform([2], [1.0, 2.0]),
             lambda: tf.random.stateless_uniform([2], s, 0, None, tf.int32),
             lambda: tf.random.stateless_uniform([2], s, 5, 5, tf.int32),
             lambda: tf.random.uniform_candidate_sampler([[1]], 1, 5, True, 3),
             lambda: tf.random.categorical([1.0, 2.0], 2),
             lambda: tf.random.create_rng_state(1, "mersenne")]:
    try:
        call()
        print("no error")
    except Exception as e:
        print(type(e).__name__)
