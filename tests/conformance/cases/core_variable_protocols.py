# Python's protocols on variables and tensors (a variable is not a tensor in TF), and NumPy on the left
import math

import numpy as np
import tensorflow as tf


def show(label, f):
    try:
        r = f()
        print(label, "->", repr(r) if not isinstance(r, str) else r)
    except Exception as e:
        print(label, "!!", type(e).__name__)


CASES = [
    ("len", lambda x: len(x)), ("unary +", lambda x: +x), ("unary -", lambda x: -x), ("abs", lambda x: abs(x)),
    ("~", lambda x: ~x), ("== None", lambda x: x == None), ("!= None", lambda x: x != None),  # noqa: E711
    ("== 'a'", lambda x: x == "a"), ("list index", lambda x: [1, 2, 3][x]), ("range", lambda x: range(x)),
    ("int", lambda x: int(x)), ("float", lambda x: float(x)), ("complex", lambda x: complex(x)),
    ("bool", lambda x: bool(x)), ("list", lambda x: list(x)), ("hash", lambda x: hash(x)),
    ("ndim", lambda x: x.ndim), ("f-string", lambda x: f"{x}"), ("format .2f", lambda x: f"{x:.2f}"),
    ("str", lambda x: str(x)), ("in", lambda x: 1.0 in x), ("np.asarray", lambda x: np.asarray(x)),
    ("divmod", lambda x: divmod(x, 2)), ("pow mod", lambda x: pow(x, 2, 3)), ("reversed", lambda x: list(reversed(x))),
    ("@ itself", lambda x: x @ x), ("<<", lambda x: x << 1), (">>", lambda x: x >> 1),
    ("math.floor", lambda x: math.floor(x)), ("math.trunc", lambda x: math.trunc(x)),
]
# NumPy values on the left, of the object's own kind (a NumPy float into an integer tensor is an intended
# difference, see docs/differences_from_tensorflow.md)
FLOAT_NUMPY = [
    ("np.float32 *", lambda x: np.float32(2) * x), ("np.int32 +", lambda x: np.int32(2) + x),
    ("ndarray f32 +", lambda x: np.array([1.0, 2.0], np.float32) + x),
    ("ndarray f32 *", lambda x: np.array([1.0, 2.0], np.float32) * x),
    ("ndarray f32 -", lambda x: np.array([1.0, 2.0], np.float32) - x),
    ("ndarray f32 /", lambda x: np.array([1.0, 2.0], np.float32) / x),
    ("ndarray f32 ==", lambda x: np.array([1.0, 2.0], np.float32) == x),
    ("ndarray f32 <", lambda x: np.array([1.0, 2.0], np.float32) < x),
    ("ndarray f32 @", lambda x: np.array([[1.0, 2.0]], np.float32) @ x),
    ("ndarray i32 +", lambda x: np.array([1, 2], np.int32) + x),
    ("np.sin", lambda x: np.sin(x)), ("np.sum", lambda x: np.sum(x)), ("np.add", lambda x: np.add(x, 1)),
]
INT_NUMPY = [
    ("np.int32 +", lambda x: np.int32(2) + x), ("ndarray i32 +", lambda x: np.array([1, 2], np.int32) + x),
    ("ndarray i32 *", lambda x: np.array([1, 2], np.int32) * x),
    ("ndarray i32 //", lambda x: np.array([5, 7], np.int32) // x),
    ("ndarray i32 ==", lambda x: np.array([1, 2], np.int32) == x), ("np.sum", lambda x: np.sum(x)),
]

OBJECTS = [("float vector variable", lambda: tf.Variable([1.0, 2.0]), FLOAT_NUMPY),
           ("float scalar variable", lambda: tf.Variable(3.0), FLOAT_NUMPY),
           ("int scalar variable", lambda: tf.Variable(2), INT_NUMPY),
           ("complex variable", lambda: tf.Variable(1 + 2j), []),
           ("bool variable", lambda: tf.Variable(True), []),
           ("int vector variable", lambda: tf.Variable([1, 2]), INT_NUMPY),
           ("float vector tensor", lambda: tf.constant([1.0, 2.0]), FLOAT_NUMPY),
           ("int scalar tensor", lambda: tf.constant(2), INT_NUMPY),
           ("float matrix variable", lambda: tf.Variable([[1.0, 2.0], [3.0, 4.0]]), FLOAT_NUMPY),
           ("float64 vector variable", lambda: tf.Variable(np.array([1.0, 2.0])), FLOAT_NUMPY[:4])]

for name, make, numpy_cases in OBJECTS:
    print("---", name)
    for label, f in CASES + numpy_cases:
        if name.startswith("bool") and label in ("abs", "unary -"):
            continue  # which ops have a bool kernel: an operator case of its own
        show(label, lambda f=f, make=make: f(make()))

m = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
print(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32) @ m)
print(np.array([[1.0, 0.0], [0.0, 1.0]], np.float32) @ tf.constant([[1.0, 2.0], [3.0, 4.0]]))
x = tf.Variable([1.0, 2.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(np.array([3.0, 4.0], np.float32) * x)
print(isinstance(y, tf.Tensor), y, tape.gradient(y, x))
with tf.GradientTape() as tape:
    y = tf.reduce_sum(np.array([3.0, 4.0], np.float32) + x * x)
print(tape.gradient(y, x))
