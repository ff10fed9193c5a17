# The placement log of tf.random's functions, as TF logs them: a shape, bound or parameter given as a Python value
# is an _EagerConst (a scalar on its first use only); normal and truncated draws are rescaled by Mul and AddV2,
# uniform floats by Sub, Mul and AddV2 unless the bounds are the default 0 and 1; the stateless ops draw from the
# key and counter of StatelessRandomGetKeyCounter; gamma broadcasts alpha against beta (Shape, BroadcastArgs,
# BroadcastTo) and divides by beta (RealDiv, then Maximum with the smallest normal number); index_shuffle pads the
# seed to the three words of RandomIndexShuffle (PadV2).
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

index_shuffle = tf.random.experimental.index_shuffle

run([
    ("normal", lambda: tf.random.normal([2])),
    ("normal again", lambda: tf.random.normal([2])),
    ("normal seed", lambda: tf.random.normal([2], seed=1)),
    ("normal mean", lambda: tf.random.normal([2], mean=1.0, stddev=2.0)),
    ("normal tensor shape", lambda: tf.random.normal(tf.constant([2]))),
    ("uniform", lambda: tf.random.uniform([2])),
    ("uniform again", lambda: tf.random.uniform([2])),
    ("uniform int", lambda: tf.random.uniform([2], 0, 5, dtype=tf.int32)),
    ("uniform bounds", lambda: tf.random.uniform([2], 1.0, 3.0)),
    ("uniform maxval", lambda: tf.random.uniform([2], 0, 3.0)),
    ("truncated_normal", lambda: tf.random.truncated_normal([2])),
    ("shuffle", lambda: tf.random.shuffle([1, 2, 3])),
    ("categorical", lambda: tf.random.categorical([[0.0, 0.0]], 2)),
    ("stateless_normal", lambda: tf.random.stateless_normal([2], seed=[1, 2])),
    ("stateless_normal again", lambda: tf.random.stateless_normal([2], seed=[1, 2])),
    ("stateless_normal tensor seed", lambda: tf.random.stateless_normal([2], seed=tf.constant([1, 2]))),
    ("stateless_uniform", lambda: tf.random.stateless_uniform([2], seed=[1, 2])),
    ("stateless_uniform int", lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=0, maxval=5,
                                                                  dtype=tf.int32)),
    ("stateless_uniform full", lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None,
                                                                   dtype=tf.int32)),
    ("stateless_truncated_normal", lambda: tf.random.stateless_truncated_normal([2], seed=[1, 2])),
    ("split", lambda: tf.random.split([1, 2])),
    ("poisson", lambda: tf.random.poisson([2], 1.0)),
    ("poisson again", lambda: tf.random.poisson([2], 1.0)),
    ("stateless_categorical", lambda: tf.random.stateless_categorical([[0.0, 0.0]], 2, seed=[1, 2])),
    ("stateless_binomial", lambda: tf.random.stateless_binomial([2], seed=[1, 2], counts=3.0, probs=0.5)),
    ("stateless_poisson", lambda: tf.random.stateless_poisson([2], seed=[1, 2], lam=1.0)),
    ("fold_in", lambda: tf.random.fold_in([1, 2], 3)),
    ("stateless_shuffle", lambda: tf.random.experimental.stateless_shuffle([1, 2, 3], seed=[1, 2])),
    ("gamma", lambda: tf.random.gamma([2], 1.0)),
    ("gamma again", lambda: tf.random.gamma([2], 1.0)),
    ("gamma beta", lambda: tf.random.gamma([2], [1.0, 2.0], beta=2.0)),
    ("stateless_gamma", lambda: tf.random.stateless_gamma([2], seed=[1, 2], alpha=1.0)),
    ("stateless_gamma alpha list", lambda: tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[0.5, 1.5])),
    ("index_shuffle", lambda: index_shuffle(3, [1, 2], 9)),
    ("index_shuffle again", lambda: index_shuffle(3, [1, 2], 9)),
    ("index_shuffle tensor index", lambda: index_shuffle(tf.range(4, dtype=tf.int64), [1, 2], 9)),
    ("index_shuffle tensor max_index", lambda: index_shuffle(2, [1, 2], tf.constant(9, tf.int64))),
    ("set_seed", lambda: tf.random.set_seed(3)),
    ("normal after set_seed", lambda: tf.random.normal([2])),
])
