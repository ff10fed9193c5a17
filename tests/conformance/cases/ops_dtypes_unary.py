# every unary op x every dtype: the result dtype, or the class of TF's refusal
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
        return tf.constant(["a", "b"])
    if dtype == tf.bool:
        return tf.constant([True, False])
    return tf.cast(tf.constant([1, 2]), dtype)


OPS = [
    ("abs", tf.abs),
    ("negative", tf.negative),
    ("sign", tf.sign),
    ("square", tf.square),
    ("sqrt", tf.sqrt),
    ("rsqrt", tf.math.rsqrt),
    ("reciprocal", tf.math.reciprocal),
    ("exp", tf.exp),
    ("expm1", tf.math.expm1),
    ("log", tf.math.log),
    ("log1p", tf.math.log1p),
    ("sin", tf.sin),
    ("cos", tf.cos),
    ("tan", tf.tan),
    ("tanh", tf.tanh),
    ("sigmoid", tf.sigmoid),
    ("erf", tf.math.erf),
    ("round", tf.round),
    ("floor", tf.floor),
    ("ceil", tf.math.ceil),
    ("logical_not", tf.math.logical_not),
    ("conj", tf.math.conj),
    ("asin", tf.asin),
    ("acos", tf.acos),
    ("atan", tf.atan),
    ("sinh", tf.sinh),
    ("cosh", tf.cosh),
    ("asinh", tf.asinh),
    ("acosh", tf.acosh),
    ("atanh", tf.atanh),
    ("rint", tf.math.rint),
    ("softsign", tf.math.softsign),
    ("real", tf.math.real),
    ("imag", tf.math.imag),
    ("is_nan", tf.math.is_nan),
    ("is_inf", tf.math.is_inf),
    ("is_finite", tf.math.is_finite),
    ("relu", tf.nn.relu),
    ("relu6", tf.nn.relu6),
    ("elu", tf.nn.elu),
    ("softplus", tf.nn.softplus),
    ("softmax", tf.nn.softmax),
    ("log_softmax", tf.nn.log_softmax),
    ("l2_loss", tf.nn.l2_loss),
    ("log_sigmoid", tf.math.log_sigmoid),
    ("-x", lambda x: -x),
    ("abs()", abs),
    ("~x", lambda x: ~x),
    ("identity", tf.identity),
    ("zeros_like", tf.zeros_like),
    ("ones_like", tf.ones_like),
]

for name, fn in OPS:
    for dtype in DTYPES:
        try:
            out = fn(sample(dtype))
            print(name, dtype.name, "->", out.dtype.name)
        except Exception as e:  # noqa: BLE001 - the class is what is compared
            print(name, dtype.name, "!!", type(e).__name__)
