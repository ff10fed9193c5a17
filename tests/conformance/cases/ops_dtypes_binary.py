# every binary op and operator x every dtype: the result dtype, or the class of TF's refusal
import tensorflow as tf

DTYPES = [
    tf.float16,
    tf.bfloat16,
    tf.float32,
    tf.float64,
    tf.int8,
    tf.int16,
    tf.int32,
    tf.int64,
    tf.uint8,
    tf.uint16,
    tf.uint32,
    tf.uint64,
    tf.bool,
    tf.complex64,
    tf.complex128,
    tf.string,
]


def sample(dtype):
    if dtype == tf.string:
        return tf.constant([["a", "b"], ["c", "d"]])
    if dtype == tf.bool:
        return tf.constant([[True, False], [False, True]])
    return tf.cast(tf.constant([[1, 2], [3, 4]]), dtype)


OPS = [
    ("add", tf.add),
    ("subtract", tf.subtract),
    ("multiply", tf.multiply),
    ("truediv", tf.truediv),
    ("divide", tf.divide),
    ("floordiv", tf.math.floordiv),
    ("floormod", tf.math.floormod),
    ("truncatediv", tf.truncatediv),
    ("truncatemod", tf.truncatemod),
    ("pow", tf.pow),
    ("squared_difference", tf.math.squared_difference),
    ("maximum", tf.maximum),
    ("minimum", tf.minimum),
    ("equal", tf.equal),
    ("not_equal", tf.not_equal),
    ("less", tf.less),
    ("less_equal", tf.less_equal),
    ("greater", tf.greater),
    ("greater_equal", tf.greater_equal),
    ("logical_and", tf.logical_and),
    ("logical_or", tf.logical_or),
    ("logical_xor", tf.math.logical_xor),
    ("atan2", tf.atan2),
    ("xlogy", tf.math.xlogy),
    ("xdivy", tf.math.xdivy),
    ("multiply_no_nan", tf.math.multiply_no_nan),
    ("divide_no_nan", tf.math.divide_no_nan),
    ("matmul", tf.matmul),
    ("x + y", lambda x, y: x + y),
    ("x - y", lambda x, y: x - y),
    ("x * y", lambda x, y: x * y),
    ("x / y", lambda x, y: x / y),
    ("x // y", lambda x, y: x // y),
    ("x % y", lambda x, y: x % y),
    ("x ** y", lambda x, y: x**y),
    ("x @ y", lambda x, y: x @ y),
    ("x & y", lambda x, y: x & y),
    ("x | y", lambda x, y: x | y),
    ("x ^ y", lambda x, y: x ^ y),
    ("x < y", lambda x, y: x < y),
    ("x <= y", lambda x, y: x <= y),
    ("x > y", lambda x, y: x > y),
    ("x >= y", lambda x, y: x >= y),
    ("x == y", lambda x, y: x == y),
    ("x != y", lambda x, y: x != y),
]

for name, fn in OPS:
    for dtype in DTYPES:
        try:
            out = fn(sample(dtype), sample(dtype))
            print(name, dtype.name, "->", out.dtype.name)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            print(name, dtype.name, "!!", type(e).__name__)
