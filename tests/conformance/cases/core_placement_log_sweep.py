# The placement log of more of the public API, as TF logs it: pad's mirror modes are MirrorPad; zeros_like of
# another dtype is Fill of the Shape; count_nonzero compares with a zero made by Fill; band_part's bounds are
# int64 _EagerConsts; unique is Unique; gelu is TF's erfc form (tanh form approximated); trace sums diag_part.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
run([
    ("pad REFLECT", lambda: tf.pad(x, [[1, 1], [1, 1]], mode="REFLECT")),
    ("pad SYMMETRIC", lambda: tf.pad(x, [[1, 1], [0, 0]], mode="SYMMETRIC")),
    ("zeros_like int32", lambda: tf.zeros_like(x, dtype=tf.int32)),
    ("zeros_like same dtype", lambda: tf.zeros_like(x, dtype=tf.float32)),
    ("zeros of a shape tensor", lambda: tf.zeros(tf.constant([2]))),
    ("count_nonzero", lambda: tf.math.count_nonzero(x)),
    ("count_nonzero axis", lambda: tf.math.count_nonzero(x, axis=0)),
    ("band_part", lambda: tf.linalg.band_part(x, 0, -1)),
    ("band_part again", lambda: tf.linalg.band_part(x, 0, -1)),
    ("unique", lambda: tf.unique([1, 2, 1])),
    ("gelu", lambda: tf.nn.gelu(x)),
    ("gelu approximate", lambda: tf.nn.gelu(x, approximate=True)),
    ("trace", lambda: tf.linalg.trace(x)),
])
