# Random ops whose output cannot be allocated raise ResourceExhaustedError before drawing (generator methods,
# stateless ops, poisson/gamma, the dropouts), as TF's kernels do
import tensorflow as tf


def show(name, f):
    try:
        print(name, "OK", f().shape)
    except Exception as e:
        print(name, type(e).__name__)


g = tf.random.Generator.from_seed(1)
big = [2 ** 20, 2 ** 20, 2 ** 8]
cases = [("Generator.normal", lambda: g.normal(big)), ("Generator.uniform", lambda: g.uniform(big)),
         ("Generator.uniform int", lambda: g.uniform(big, maxval=10, dtype=tf.int32)),
         ("Generator.uniform_full_int", lambda: g.uniform_full_int(big)),
         ("Generator.truncated_normal", lambda: g.truncated_normal(big)),
         ("Generator.binomial", lambda: g.binomial(big, 5.0, 0.5)),
         ("Generator.make_seeds", lambda: g.make_seeds(2 ** 40)),
         ("Generator.split", lambda: g.split(2 ** 40)),
         ("stateless_normal", lambda: tf.random.stateless_normal(big, [1, 2])),
         ("stateless_uniform", lambda: tf.random.stateless_uniform(big, [1, 2])),
         ("stateless_uniform int", lambda: tf.random.stateless_uniform(big, [1, 2], 0, 10, tf.int32)),
         ("stateless_uniform full int", lambda: tf.random.stateless_uniform(big, [1, 2], None, None, tf.int64)),
         ("stateless_truncated_normal", lambda: tf.random.stateless_truncated_normal(big, [1, 2])),
         ("stateless_binomial", lambda: tf.random.stateless_binomial(big, [1, 2], 5.0, 0.5)),
         ("stateless_gamma", lambda: tf.random.stateless_gamma(big, [1, 2], 1.0)),
         ("stateless_poisson", lambda: tf.random.stateless_poisson(big, [1, 2], 1.0)),
         ("stateless_parameterized_truncated_normal",
          lambda: tf.random.stateless_parameterized_truncated_normal(big, [1, 2])),
         ("poisson", lambda: tf.random.poisson(big, 1.0)), ("gamma", lambda: tf.random.gamma(big, 1.0)),
         ("gamma params", lambda: tf.random.gamma([2 ** 20, 2 ** 20], [1.0] * 256)),
         ("normal", lambda: tf.random.normal(big)),
         ("stateless_dropout", lambda: tf.nn.experimental.stateless_dropout(tf.ones([2]), 0.5, [1, 2],
                                                                             noise_shape=big)),
         ("dropout", lambda: tf.nn.dropout(tf.ones([2]), 0.5, noise_shape=big)),
         ("Generator.normal small", lambda: g.normal([2, 3])), ("poisson small", lambda: tf.random.poisson([2], 1.0))]
for name, f in cases:
    show(name, f)
