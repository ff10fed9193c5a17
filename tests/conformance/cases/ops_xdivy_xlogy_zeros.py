# xdivy, xlogy, xlog1py: complex quotients as TF's CPU divides them, and the zero where x is 0 (TF's
# packet path keeps x's sign there, its element-by-element tail gives +0); multiply_no_nan, divide_no_nan
import numpy as np
import tensorflow as tf

inf, nan = float("inf"), float("nan")
xs = [0j, complex(0.0, -0.0), complex(-0.0, -0.0), 1 + 2j, complex(inf, 0), complex(nan, 0), 1e-3 + 1j, 1e30 + 1e30j,
      2 - 1j]
ys = [0j, 1 + 1j, complex(inf, 1), complex(1, nan), 1e-30 + 2e-30j, 3 + 4j, -2j, 1e20 - 1e20j, complex(0, inf)]


def signs(t):
    return "".join("-" if np.signbit(v) else "+" for v in np.ravel(t.numpy()).astype(np.float32))


for dt in [tf.complex64, tf.complex128]:
    for n in [1, 2, 3, 4, 5, 9]:
        x = tf.constant(xs[:n], dt)
        y = tf.constant(ys[:n], dt)
        print(dt.name, n, "xdivy", tf.math.xdivy(x, y).numpy().tolist())
        print(dt.name, n, "div  ", tf.math.divide(x, y).numpy().tolist())
    for i, a in enumerate(xs):  # x broadcast over y, y broadcast over x
        print(dt.name, "left", i, tf.math.xdivy(tf.constant([a], dt), tf.constant(ys, dt)).numpy().tolist())
        print(dt.name, "right", i, tf.math.xdivy(tf.constant(xs, dt), tf.constant([ys[i]], dt)).numpy().tolist())
    print(dt.name, "2-d", tf.math.xdivy(tf.constant([xs[:3]] * 3, dt), tf.constant(ys[5:8], dt)).numpy().tolist())
    for n in range(1, 10):
        zeros = tf.constant([complex(-0.0, -0.0)] * n, dt)
        for nm in ["xdivy", "xlogy", "xlog1py"]:
            print(dt.name, nm, n, getattr(tf.math, nm)(zeros, tf.constant([1 + 1j] * n, dt)).numpy().tolist())
        print(dt.name, "mul_no_nan", n, tf.math.multiply_no_nan(zeros, tf.constant([2 + 0j] * n, dt)).numpy().tolist())
        print(dt.name, "div_no_nan", n, tf.math.divide_no_nan(zeros, tf.constant([2 + 0j] * n, dt)).numpy().tolist())
for dt in [tf.float16, tf.bfloat16, tf.float32, tf.float64]:
    for n in [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 33]:
        neg = tf.constant(np.full(n, -0.0), dt)
        two = tf.constant(np.full(n, 2.0), dt)
        print(dt.name, n, " ".join(nm + signs(getattr(tf.math, nm)(neg, two)) for nm in
                                   ["xdivy", "xlogy", "xlog1py", "multiply_no_nan", "divide_no_nan"]))
    neg9 = tf.constant(np.full(9, -0.0), dt)
    print(dt.name, "left", signs(tf.math.xdivy(tf.constant(np.full(1, -0.0), dt), tf.ones([9], dt))))
    print(dt.name, "right", signs(tf.math.xdivy(neg9, tf.ones([1], dt))))
    print(dt.name, "2-d", signs(tf.math.xdivy(tf.constant(np.full((2, 9), -0.0), dt), tf.ones([9], dt))))
    print(dt.name, "0-d", signs(tf.math.xdivy(tf.constant(np.float32(-0.0), dt), tf.constant(np.float32(1.0), dt))))
    x = tf.constant([0.0, -0.0, 1.0, -1.0, nan, inf, 0.0, -0.0, 2.0, 3.0], dt)
    y = tf.constant([0.0, 0.0, 0.0, -0.0, 0.0, inf, nan, 1.0, -1.0, 0.5], dt)
    for nm in ["xdivy", "xlogy", "xlog1py", "multiply_no_nan", "divide_no_nan"]:
        r = getattr(tf.math, nm)(x, y)
        print(dt.name, nm, r.dtype.name, r.shape, [str(v) for v in r.numpy().astype(np.float64).tolist()])
for nm in ["xdivy", "xlogy", "xlog1py", "multiply_no_nan", "divide_no_nan"]:
    for dt in [tf.int32, tf.int64, tf.uint8, tf.bool]:
        try:
            print(nm, dt.name, getattr(tf.math, nm)(tf.constant([0, 1], dt), tf.constant([0, 1], dt)).numpy().tolist())
        except Exception as e:
            print(nm, dt.name, type(e).__name__)
    try:
        getattr(tf.math, nm)(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    except Exception as e:
        print(nm, "mixed", type(e).__name__)
x = tf.constant([1.0, 2.0])
for y in [2, 2.5, [1, 0], np.array([1, 0]), np.float64(0), tf.constant([1, 0]), tf.Variable([0.0, 1.0]), True]:
    for f in [tf.math.multiply_no_nan, tf.math.divide_no_nan, tf.math.xdivy, tf.math.xlogy]:
        try:
            r = f(x, y)
            print(r.dtype.name, r.numpy().tolist())
        except Exception as e:
            print(type(e).__name__)
        try:
            r = f(y, x)
            print(r.dtype.name, r.numpy().tolist())
        except Exception as e:
            print(type(e).__name__)
