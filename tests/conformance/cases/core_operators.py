# ruff: noqa: B023  (every lambda runs inside its loop iteration)
# Python's operators on variables and tensors, with Python numbers, NumPy values, tensors and variables of
# the same kind (mixing kinds is an error-class case of its own)
import numpy as np
import tensorflow as tf

OPS = [("+", lambda a, b: a + b), ("-", lambda a, b: a - b), ("*", lambda a, b: a * b), ("/", lambda a, b: a / b),
       ("//", lambda a, b: a // b), ("%", lambda a, b: a % b), ("**", lambda a, b: a ** b),
       ("<", lambda a, b: a < b), ("<=", lambda a, b: a <= b), (">", lambda a, b: a > b), (">=", lambda a, b: a >= b),
       ("==", lambda a, b: a == b), ("!=", lambda a, b: a != b)]
KINDS = {
    "float32": ([1.5, -2.0, 4.0], [2.0, 0.5, -1.0], 2.0, np.float32),
    "float64": ([1.5, -2.0, 4.0], [2.0, 0.5, -1.0], 2.0, np.float64),
    "int32": ([7, -3, 4], [2, 5, -3], 3, np.int32),
    "int64": ([7, -3, 4], [2, 5, -3], 3, np.int64),
}


def run(label, f):
    try:
        r = f()
        print(label, r.dtype.name if hasattr(r, "dtype") else type(r).__name__, np.asarray(r).tolist())
    except Exception as e:
        print(label, "!!", type(e).__name__)


for kind, (xs, ys, scalar, np_type) in KINDS.items():
    dtype = tf.as_dtype(kind)
    print("---", kind)
    for sym, op in OPS:
        if sym == "**" and kind.startswith("int"):
            ys_pow = [2, 0, 3]
        else:
            ys_pow = ys
        right = ys_pow if sym == "**" else ys
        pairs = [
            ("var op var", lambda: op(tf.Variable(xs, dtype=dtype), tf.Variable(right, dtype=dtype))),
            ("var op tensor", lambda: op(tf.Variable(xs, dtype=dtype), tf.constant(right, dtype=dtype))),
            ("tensor op var", lambda: op(tf.constant(xs, dtype=dtype), tf.Variable(right, dtype=dtype))),
            ("var op python", lambda: op(tf.Variable(xs, dtype=dtype), scalar)),
            ("python op var", lambda: op(scalar, tf.Variable(right, dtype=dtype))),
            ("var op list", lambda: op(tf.Variable(xs, dtype=dtype), right)),
            ("list op var", lambda: op(xs, tf.Variable(right, dtype=dtype))),
            ("var op ndarray", lambda: op(tf.Variable(xs, dtype=dtype), np.array(right, np_type))),
            ("ndarray op var", lambda: op(np.array(xs, np_type), tf.Variable(right, dtype=dtype))),
            ("ndarray op tensor", lambda: op(np.array(xs, np_type), tf.constant(right, dtype=dtype))),
            ("np scalar op var", lambda: op(np_type(scalar), tf.Variable(right, dtype=dtype))),
            ("var op np scalar", lambda: op(tf.Variable(xs, dtype=dtype), np_type(scalar))),
            ("scalar var op var", lambda: op(tf.Variable(scalar, dtype=dtype), tf.Variable(right, dtype=dtype))),
        ]
        for label, f in pairs:
            run(f"{label} {sym}", f)
    for label, f in [("neg", lambda: -tf.Variable(xs, dtype=dtype)), ("abs", lambda: abs(tf.Variable(xs, dtype=dtype))),
                     ("matmul", lambda: tf.Variable([xs], dtype=dtype) @ tf.Variable([[1], [0], [1]], dtype=dtype)),
                     ("rmatmul ndarray", lambda: np.array([xs], np_type) @ tf.Variable([[1], [0], [1]], dtype=dtype)),
                     ("getitem", lambda: tf.Variable(xs, dtype=dtype)[1:]),
                     ("getitem neg", lambda: tf.Variable(xs, dtype=dtype)[-1]),
                     ("dtype mismatch", lambda: tf.Variable(xs, dtype=dtype) + tf.constant(ys, dtype=tf.float16)),
                     ("shape mismatch", lambda: tf.Variable(xs, dtype=dtype) + tf.constant([1, 2], dtype=dtype)),
                     ("== shape mismatch", lambda: tf.Variable(xs, dtype=dtype) == tf.constant([1, 2], dtype=dtype))]:
        run(label, f)
for kind in ["int32", "int64", "uint8"]:
    dtype = tf.as_dtype(kind)
    for sym, op in [("&", lambda a, b: a & b), ("|", lambda a, b: a | b), ("^", lambda a, b: a ^ b)]:
        run(f"{kind} var {sym} var", lambda: op(tf.Variable([12, 10], dtype=dtype), tf.Variable([10, 6], dtype=dtype)))
        run(f"{kind} var {sym} python", lambda: op(tf.Variable([12, 10], dtype=dtype), 6))
    run(f"{kind} ~var", lambda: ~tf.Variable([12, 0], dtype=dtype))
for sym, op in [("&", lambda a, b: a & b), ("|", lambda a, b: a | b), ("^", lambda a, b: a ^ b)]:
    run(f"bool var {sym} var", lambda: op(tf.Variable([True, False]), tf.Variable([True, True])))
    run(f"bool var {sym} python", lambda: op(tf.Variable([True, False]), True))
    run(f"bool python {sym} var", lambda: op(False, tf.Variable([True, False])))
run("bool ~var", lambda: ~tf.Variable([True, False]))
c = tf.Variable([1 + 2j, -1j])
for label, f in [("c+c", lambda: c + c), ("c*c", lambda: c * c), ("c+py", lambda: c + 1j),
                 ("c==c", lambda: c == c), ("c-py", lambda: 2 - c)]:
    run(label, f)
