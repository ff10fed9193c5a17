# Unary math at the edges TF defines: digamma's poles at +-0, lgamma(-inf), float64 erf(+-inf), erfc of
# bfloat16, softplus/log_sigmoid with TF's thresholds (exp(x) below log(eps) + 2), float16 sigmoid and softplus
# computed in float32, angle of real input, variance and std (integers refused, complex made real)
import numpy as np
import tensorflow as tf

inf, nan = float("inf"), float("nan")


def fmt(t):
    a = np.asarray(t.numpy())
    if a.dtype.kind == "c":
        return [complex(float("%.5g" % v.real), float("%.5g" % v.imag)) for v in a.ravel()]
    if a.dtype.kind in "fV":
        return ["%.5g" % v for v in a.astype(np.float64).ravel()]
    return a.ravel().tolist()


edges = [-inf, inf, nan, 0.0, -0.0, -1.0, -2.0, 6.0, -6.0, 30.0, 0.5, 171.0]
for dt in [tf.float16, tf.bfloat16, tf.float32, tf.float64]:
    x = tf.constant(edges, dt)
    for nm in ["erf", "erfc", "digamma", "lgamma", "softplus", "log_sigmoid", "expm1", "log1p"]:
        try:
            r = getattr(tf.math, nm)(x)
            print(dt.name, nm, r.dtype.name, r.shape, fmt(r))
        except Exception as e:
            print(dt.name, nm, type(e).__name__)
grid = np.linspace(-8, 8, 33)
for nm in ["softplus", "log_sigmoid"]:
    print("bfloat16", nm, tf.math.__dict__[nm](tf.constant(grid, tf.bfloat16)).numpy().astype(np.float64).tolist())
print("float16 sigmoid", [float(v) for v in tf.math.sigmoid(tf.constant([6.0, 7.0], tf.float16)).numpy()])
softplus16 = tf.math.softplus(tf.constant([-5.0, -6.0, -8.0, 12.0], tf.float16))
print("float16 softplus", [float(v) for v in softplus16.numpy()])
for v in [[-2.0, 0.0, 3.0, nan, -inf], [-2, 0, 3], [True, False], [1 + 1j, -1 + 0j, -1j]]:
    for dt in [None, tf.float16, tf.float64]:
        try:
            r = tf.math.angle(tf.constant(v, dt) if dt is None or not isinstance(v[0], (bool, complex)) else v)
            print("angle", v, dt, r.dtype.name, fmt(r))
        except Exception as e:
            print("angle", v, dt, type(e).__name__)
for dt in [tf.int32, tf.uint8, tf.int64, tf.float32, tf.float64, tf.complex64, tf.complex128]:
    x = tf.constant([[1, 2, 4], [0, 3, 5]], dt) if not dt.is_complex else tf.constant([[1 + 2j, 0j, -0.5 - 1j]] * 2, dt)
    for nm in ["reduce_variance", "reduce_std"]:
        for axis in [None, 0, -1, [0, 1]]:
            try:
                r = getattr(tf.math, nm)(x, axis=axis)
                print(nm, dt.name, axis, r.dtype.name, r.shape, fmt(r))
            except Exception as e:
                print(nm, dt.name, axis, type(e).__name__)
    try:
        print("keepdims", tf.math.reduce_variance(x, axis=1, keepdims=True).shape)
    except Exception as e:
        print("keepdims", type(e).__name__)
