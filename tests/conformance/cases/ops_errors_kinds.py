# binary ops x argument kinds (tensor, variable, Python, NumPy): the result dtype, or the class of TF's error.
# (NumPy floats into integer tensors and integers that do not fit are intended differences: see
# docs/differences_from_tensorflow.md.)
import numpy as np
import tensorflow as tf

OPS = [
    ("add", tf.add),
    ("subtract", tf.subtract),
    ("multiply", tf.multiply),
    ("truediv", tf.truediv),
    ("floordiv", tf.math.floordiv),
    ("floormod", tf.math.floormod),
    ("pow", tf.pow),
    ("maximum", tf.maximum),
    ("minimum", tf.minimum),
    ("equal", tf.equal),
    ("not_equal", tf.not_equal),
    ("less", tf.less),
    ("greater_equal", tf.greater_equal),
    ("squared_difference", tf.math.squared_difference),
    ("x + y", lambda x, y: x + y),
    ("x - y", lambda x, y: x - y),
    ("x * y", lambda x, y: x * y),
    ("x / y", lambda x, y: x / y),
    ("x // y", lambda x, y: x // y),
    ("x % y", lambda x, y: x % y),
    ("x ** y", lambda x, y: x**y),
    ("x < y", lambda x, y: x < y),
    ("x >= y", lambda x, y: x >= y),
    ("x == y", lambda x, y: x == y),
    ("x != y", lambda x, y: x != y),
    ("x & y", lambda x, y: x & y),
    ("x | y", lambda x, y: x | y),
]


def kinds():
    i = tf.constant([1, 2])
    f = tf.constant([1.0, 2.0])
    return [
        ("int_tensor, 1.5", i, 1.5),
        ("1.5, int_tensor", 1.5, i),
        ("int_variable, 1.5", tf.Variable([1, 2]), 1.5),
        ("1.5, int_variable", 1.5, tf.Variable([1, 2])),
        ("int_tensor, [1.5, 2.5]", i, [1.5, 2.5]),
        ("int_tensor, 2", i, 2),
        ("int_tensor, True", i, True),
        ("int_tensor, np.int64(2)", i, np.int64(2)),
        ("float_tensor, 2", f, 2),
        ("2, float_tensor", 2, f),
        ("float_tensor, 1j", f, 1j),
        ("float_tensor, 'a'", f, "a"),
        ("float_tensor, None", f, None),
        ("float_tensor, int64_tensor", f, tf.constant([1, 2], tf.int64)),
        ("float_tensor, float64_tensor", f, tf.constant([1.0, 2.0], tf.float64)),
        ("float_tensor, np.float64(2)", f, np.float64(2)),
        ("float_tensor, np.array([1, 2])", f, np.array([1, 2])),
        ("float_variable, int_tensor", tf.Variable([1.0, 2.0]), i),
        ("float_tensor, [1, 2, 3]", f, [1, 2, 3]),
        ("float_tensor, 2**40", f, 2**40),
        ("bool_tensor, True", tf.constant([True, False]), True),
        ("string_tensor, 'a'", tf.constant(["a", "b"]), "a"),
        ("string_tensor, 1", tf.constant(["a", "b"]), 1),
    ]


for name, fn in OPS:
    for label, x, y in kinds():
        try:
            out = fn(x, y)
            print(name, "|", label, "->", type(out).__name__ if not hasattr(out, "dtype") else out.dtype.name)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            print(name, "|", label, "!!", type(e).__name__)
