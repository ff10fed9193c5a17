# The placement log of the initializers, as TF logs them: Keras's random ones make their seed ([seed, 0] cast to
# uint32, FloorMod, Cast to int32) and draw statelessly (StatelessRandomGetKeyCounter, the V2 draw, then Sub, Mul
# and AddV2 that rescale it); tf.random_*_initializer with a seed draw statelessly from [seed, 0], without one by
# the stateful op; Identity is ones on a diagonal (Fill, MatrixDiagV3); Python scalars are _EagerConsts on their
# first use only.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

K = tf.keras.initializers
run([
    ("random_normal_initializer", lambda: tf.random_normal_initializer(seed=1)([2])),
    ("random_normal_initializer unseeded", lambda: tf.random_normal_initializer()([2])),
    ("random_uniform_initializer", lambda: tf.random_uniform_initializer(seed=1)([2])),
    ("random_uniform_initializer int32", lambda: tf.random_uniform_initializer(0, 5, seed=1)([2], dtype=tf.int32)),
    ("random_uniform_initializer unseeded", lambda: tf.random_uniform_initializer()([2])),
    ("TruncatedNormal", lambda: K.TruncatedNormal(seed=1)([2])),
    ("GlorotUniform", lambda: K.GlorotUniform(seed=1)([2, 2])),
    ("GlorotUniform again", lambda: K.GlorotUniform(seed=1)([2, 2])),
    ("GlorotUniform unseeded", lambda: K.GlorotUniform()([2, 2])),
    ("GlorotUniform 3x4", lambda: K.GlorotUniform(seed=2)([3, 4])),
    ("GlorotNormal", lambda: K.GlorotNormal(seed=1)([2, 2])),
    ("HeNormal", lambda: K.HeNormal(seed=1)([2, 2])),
    ("HeUniform", lambda: K.HeUniform(seed=1)([2, 2])),
    ("LecunNormal", lambda: K.LecunNormal(seed=1)([2, 2])),
    ("LecunUniform", lambda: K.LecunUniform(seed=1)([2, 2])),
    ("RandomNormal", lambda: K.RandomNormal(seed=1)([2])),
    ("RandomNormal mean", lambda: K.RandomNormal(mean=1.0, stddev=2.0, seed=1)([2])),
    ("RandomUniform", lambda: K.RandomUniform(seed=1)([2])),
    ("RandomUniform float64", lambda: K.RandomUniform(seed=1)([2], dtype=tf.float64)),
    ("VarianceScaling", lambda: K.VarianceScaling(seed=1)([2, 2])),
    ("VarianceScaling uniform", lambda: K.VarianceScaling(distribution="uniform", seed=1)([2, 2])),
    ("VarianceScaling untruncated", lambda: K.VarianceScaling(distribution="untruncated_normal", seed=1)([2, 2])),
    ("Orthogonal", lambda: K.Orthogonal(seed=1)([2, 2])),
    ("Orthogonal 2x3", lambda: K.Orthogonal(seed=1)([2, 3])),
    ("Identity", lambda: K.Identity()([2, 2])),
    ("Identity 2x3", lambda: K.Identity()([2, 3])),
    ("Zeros", lambda: K.Zeros()([2])),
    ("Ones", lambda: K.Ones()([2])),
    ("Constant", lambda: K.Constant(3.0)([2])),
    ("zeros_initializer", lambda: tf.zeros_initializer()([2])),
    ("ones_initializer", lambda: tf.ones_initializer()([2])),
    ("constant_initializer", lambda: tf.constant_initializer(2.0)([2])),
    ("constant_initializer list", lambda: tf.constant_initializer([1.0, 2.0])([2])),
    ("constant_initializer list reshaped", lambda: tf.constant_initializer([1.0, 2.0])([2, 1])),
    ("eye", lambda: tf.eye(2)),
    ("eye 2x3", lambda: tf.eye(2, 3)),
    ("eye batch", lambda: tf.eye(2, batch_shape=[3])),
    ("Variable of GlorotUniform", lambda: tf.Variable(K.GlorotUniform(seed=1)([2, 2]))),
])
