import numpy as np
import tensorflow as tf

x = tf.constant([0.5 + 0.25j, -0.3 + 0.7j, 0.2 - 0.4j], dtype=tf.complex64)
y = tf.constant([1.5 - 0.5j, 0.4 + 0.9j, -0.6 + 0.3j], dtype=tf.complex64)
seed = tf.constant([1.0 + 2.0j, -0.5 + 0.5j, 0.25 - 1.0j], dtype=tf.complex64)
m = tf.constant([[1.0 + 1.0j, 0.5 - 0.2j], [0.3 + 0.1j, 2.0 - 1.0j]], dtype=tf.complex64)
n = tf.constant([[0.2 - 0.3j, 1.0 + 0.0j], [-0.4 + 0.6j, 0.7 + 0.2j]], dtype=tf.complex64)


def fmt(a):
    a = np.asarray(a).ravel()
    if np.iscomplexobj(a):
        return " ".join(f"{v.real:.4f}{v.imag:+.4f}j" for v in a)
    return " ".join(f"{v:.4f}" for v in a)


def show(name, fn, *args, seed=None):
    try:
        with tf.GradientTape(persistent=True) as t:
            for a in args:
                t.watch(a)
            out = fn(*args)
        gs = t.gradient(out, list(args), output_gradients=seed)
        print(name, " | ".join("None" if g is None else fmt(g.numpy()) for g in gs))
    except Exception as e:
        print(name, type(e).__name__)


unary = {
    "neg": tf.negative, "square": tf.square, "sqrt": tf.sqrt, "rsqrt": tf.math.rsqrt,
    "reciprocal": tf.math.reciprocal, "exp": tf.exp, "expm1": tf.math.expm1, "log": tf.math.log,
    "log1p": tf.math.log1p, "sin": tf.sin, "cos": tf.cos, "tan": tf.tan, "tanh": tf.tanh,
    "sigmoid": tf.sigmoid, "conj": tf.math.conj, "asin": tf.asin, "acos": tf.acos, "atan": tf.atan,
    "sinh": tf.sinh, "cosh": tf.cosh, "asinh": tf.asinh, "acosh": tf.acosh, "atanh": tf.atanh,
    "identity": tf.identity, "reverse": lambda a: tf.reverse(a, [0]),
    "reshape": lambda a: tf.reshape(a, [3, 1]), "tile": lambda a: tf.tile(a, [2]),
    "pad": lambda a: tf.pad(a, [[1, 2]]), "slice": lambda a: a[1:],
    "concat": lambda a: tf.concat([a, a * 2], 0), "stack": lambda a: tf.stack([a, a]),
    "unstack": lambda a: tf.unstack(a)[1], "split": lambda a: tf.split(a, [1, 2])[1],
    "expand": lambda a: tf.expand_dims(a, 0), "squeeze": lambda a: tf.squeeze(tf.expand_dims(a, 0)),
    "broadcast": lambda a: tf.broadcast_to(a, [2, 3]), "cumsum": lambda a: tf.cumsum(a),
    "cumprod": lambda a: tf.math.cumprod(a), "reduce_sum": tf.reduce_sum, "reduce_mean": tf.reduce_mean,
    "reduce_prod": tf.reduce_prod, "add_n": lambda a: tf.add_n([a, a]),
    "cast128": lambda a: tf.cast(a, tf.complex128), "transpose": lambda a: tf.transpose(tf.reshape(a, [1, 3])),
    "real": tf.math.real, "imag": tf.math.imag, "abs": tf.abs, "angle": tf.math.angle,
    "l2": lambda a: tf.nn.l2_loss(a),
    "where": lambda a: tf.where([True, False, True], a, a * 3),
    "segsum": lambda a: tf.math.segment_sum(a, [0, 0, 1]),
    "usegsum": lambda a: tf.math.unsorted_segment_sum(a, [1, 0, 1], 2),
    "pow_const": lambda a: tf.pow(a, 3.0 + 0j), "mul_const": lambda a: a * (2.0 - 1.0j),
    "div_const": lambda a: a / (2.0 - 1.0j), "rdiv_const": lambda a: (2.0 - 1.0j) / a,
    "sub_const": lambda a: (1.0 + 1.0j) - a, "sqdiff": lambda a: tf.math.squared_difference(a, 1.0 + 2.0j),
    "xlogy": lambda a: tf.math.xlogy(a, 2.0 + 1j), "xdivy": lambda a: tf.math.xdivy(a, 2.0 + 1j),
    "mul_no_nan": lambda a: tf.math.multiply_no_nan(a, 2.0 + 1j),
}
for name, fn in unary.items():
    show(name, fn, x)

binary = {
    "add": tf.add, "sub": tf.subtract, "mul": tf.multiply, "div": tf.divide, "pow": tf.pow,
    "sqdiff": tf.math.squared_difference, "xlogy": tf.math.xlogy, "xdivy": tf.math.xdivy,
    "complex_mul_sum": lambda a, b: tf.reduce_sum(a * b), "mul_no_nan": tf.math.multiply_no_nan,
}
for name, fn in binary.items():
    show(name, fn, x, y)

show("seeded_mul", tf.multiply, x, y, seed=seed)
show("seeded_exp", tf.exp, x, seed=seed)
mats = {
    "matmul": tf.matmul, "matmul_ta": lambda a, b: tf.matmul(a, b, transpose_a=True),
    "matmul_tb": lambda a, b: tf.matmul(a, b, transpose_b=True),
    "matmul_aa": lambda a, b: tf.matmul(a, b, adjoint_a=True),
    "matmul_ab": lambda a, b: tf.matmul(a, b, adjoint_b=True),
    "matmul_aab": lambda a, b: tf.matmul(a, b, adjoint_a=True, adjoint_b=True),
    "tensordot": lambda a, b: tf.tensordot(a, b, 1), "einsum": lambda a, b: tf.einsum("ij,jk->ik", a, b),
    "einsum_sum": lambda a, b: tf.einsum("ij,jk->k", a, b),
    "batch_matmul": lambda a, b: tf.matmul(tf.stack([a, b]), tf.stack([b, a])),
    "batch_matmul_ab": lambda a, b: tf.matmul(tf.stack([a, b]), tf.stack([b, a]), adjoint_b=True),
    "batch_matmul_ta": lambda a, b: tf.matmul(tf.stack([a, b]), tf.stack([b, a]), transpose_a=True),
    "matmul_ta_ab": lambda a, b: tf.matmul(a, b, transpose_a=True, adjoint_b=True),
    "matmul_aa_tb": lambda a, b: tf.matmul(a, b, adjoint_a=True, transpose_b=True),
    "matmul_ta_tb": lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
    "matvec": lambda a, b: tf.matmul(a, b[:, :1]),
}
for name, fn in mats.items():
    show(name, fn, m, n)
show("inv", tf.linalg.inv, m)
show("inv_adj", lambda a: tf.linalg.inv(tf.linalg.adjoint(a)), m)
show("det", tf.linalg.det, m)

show("complex", tf.complex, tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0]))
show("complex_seeded", tf.complex, tf.constant([1.0, 2.0]), tf.constant([3.0, -1.0]),
     seed=tf.constant([1.0 + 2.0j, -0.5 + 0.5j], dtype=tf.complex64))
show("real_to_complex_mul", lambda a: tf.math.real(tf.cast(a, tf.complex64) * (1.0 + 2.0j)), tf.constant([1.0, 2.0]))
show("matmul_seeded", tf.matmul, m, n, seed=m)
show("matmul_ta_ab_seeded", lambda a, b: tf.matmul(a, b, transpose_a=True, adjoint_b=True), m, n, seed=n)
x128 = tf.cast(x, tf.complex128)
show("exp128", tf.exp, x128)
show("mul128", lambda a: a * (1.0 - 3.0j), x128)
show("norm", lambda a: tf.math.reduce_euclidean_norm(a), x)
show("abs_sq", lambda a: tf.reduce_sum(tf.abs(a) ** 2), x)
show("real_sq", lambda a: tf.reduce_sum(tf.math.real(a * tf.math.conj(a))), x)
