import numpy as np
import tensorflow as tf


def attempt(name, f):
    try:
        r = f()
        print(name, "->", (r.dtype.name, r.numpy().tolist()) if hasattr(r, "numpy") else r)
    except Exception as e:
        print(name, "!!", type(e).__name__)


L = [10, 20, 30]
for nm, t in [("f32", tf.constant(1.0)), ("f64", tf.constant(1.0, tf.float64)), ("i32 (1,)", tf.constant([1])),
              ("bool", tf.constant(True)), ("i64", tf.constant(2, tf.int64)), ("string", tf.constant("a")),
              ("c128", tf.constant(1j)), ("f16", tf.constant(1.0, tf.float16)), ("u8", tf.constant(1, tf.uint8))]:
    attempt("list[t] " + nm, lambda t=t: L[t])
    attempt("bytes(t) " + nm, lambda t=t: bytes(t))
    attempt("round(t) " + nm, lambda t=t: round(t))
# bytes of a tensor: its buffer, except for an integer scalar (that many zero bytes)
attempt("bytes f32", lambda: bytes(tf.constant([1.0, 2.0])))
attempt("bytes i32", lambda: bytes(tf.constant([1, 2])))
attempt("bytes f16 2-D", lambda: bytes(tf.constant([[1.0, 2.0]], tf.float16)))
attempt("bytes bool", lambda: bytes(tf.constant([True, False])))
attempt("bytes -1", lambda: bytes(tf.constant(-1)))
attempt("bytes empty", lambda: bytes(tf.constant([], tf.int32)))
v = tf.Variable([1.0, 2.0])
attempt("bytes(v)", lambda: bytes(v))
attempt("round(v)", lambda: round(v))
attempt("list[v]", lambda: L[tf.Variable(1)])
# truth values
attempt("bool([])", lambda: bool(tf.constant([])))
attempt("bool([[]])", lambda: bool(tf.constant([[]])))
attempt("bool([2.])", lambda: bool(tf.constant([2.0])))
attempt("bool([1., 2.])", lambda: bool(tf.constant([1.0, 2.0])))
# bool tensor * anything: the other operand cast to int32, then to bool
b = tf.constant([True, False])
for nm, y in [("1", 1), ("2", 2), ("0", 0), ("-1", -1), ("1.0", 1.0), ("0.5", 0.5), ("nan", float("nan")),
              ("True", True), ("1j", 1j), ("2**40", 2**40), ("np.int32(3)", np.int32(3)), ("[1, 0]", [1, 0]),
              ("np [1, 0]", np.array([1, 0])), ("int tensor", tf.constant([0, 1])), ("'a'", "a"),
              ("bool var", tf.Variable([True, True]))]:
    attempt("b * " + nm, lambda y=y: b * y)
attempt("1 * b", lambda: 1 * b)
attempt("bool var * 1", lambda: tf.Variable([True, False]) * 1)
attempt("scalar bool * 1", lambda: tf.constant(True) * 1)
for op in ["/", "-", "//", "&", "+"]:
    attempt("b " + op + " 1", lambda op=op: eval("b " + op + " 1"))
attempt("tf.multiply(b, True)", lambda: tf.multiply(b, True))
attempt("tf.multiply(b, 1)", lambda: tf.multiply(b, 1))
