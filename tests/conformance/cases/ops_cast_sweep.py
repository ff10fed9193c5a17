# cast, saturate_cast and bitcast between every pair of dtypes, with values in and out of range, NaN and
# infinities; casts of Python values. Left out: TF's results that hang on its kernel's vector/scalar split
# (float to uint32, float16/bfloat16 to integers) and saturate_cast's limits that overflow in TF (int64 ones)
import numpy as np
import tensorflow as tf

DT = [tf.bool, tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.float16,
      tf.bfloat16, tf.float32, tf.float64, tf.complex64, tf.complex128]


def fmt(t):
    a = np.asarray(t.numpy())
    if a.dtype.kind == "c":
        return [str(complex(v)) for v in a.ravel()]
    if a.dtype.kind in "fV":
        return [str(float(v)) for v in a.astype(np.float64).ravel()]
    return a.ravel().tolist()


def left_out(fn, src, dst):
    if src.is_floating and dst.is_integer and (src in (tf.float16, tf.bfloat16) or dst == tf.uint32):
        return True
    return fn == "saturate_cast" and (src == tf.int64 and dst not in (tf.int8, tf.int16, tf.int32, tf.uint8,
                                                                      tf.uint16, tf.uint32, tf.bool)
                                      or src.is_floating and dst in (tf.int64, tf.uint64))


src = {"f": [-1.7, -0.5, 0.0, 0.5, 1.7, 200.9, -129.5, 70000.0, 1e10, 3e38, float("nan"), float("inf"),
             -float("inf")],
       "i": [-129, -1, 0, 1, 127, 128, 255, 256, 65535, 65536, 2**31 - 1],
       "c": [1.5 - 2j, -0.5 + 0j, float("nan") + 1j],
       "b": [True, False]}
for sdt in DT:
    k = "b" if sdt.is_bool else "c" if sdt.is_complex else "f" if sdt.is_floating else "i"
    vals = src[k]
    if sdt.is_integer:
        vals = [v for v in vals if sdt.min <= v <= sdt.max]
    x = tf.constant(vals, sdt)
    for ddt in DT:
        for fn in ["cast", "saturate_cast"]:
            if left_out(fn, sdt, ddt):
                continue
            try:
                r = getattr(tf, fn)(x, ddt)
                print(fn, sdt.name, ddt.name, r.dtype.name, fmt(r))
            except Exception as e:
                print(fn, sdt.name, ddt.name, "ERR", type(e).__name__)
        try:
            r = tf.bitcast(x, ddt)
            print("bitcast", sdt.name, ddt.name, r.dtype.name, r.shape)
        except Exception as e:
            print("bitcast", sdt.name, ddt.name, "ERR", type(e).__name__)
for dt in [tf.float32, tf.float64, tf.float16, tf.bfloat16]:  # to uint64: exact from 2**63 on, else via int64
    x = tf.constant([1e19, 9.3e18, 1.8e19, 2e19, 4.3e9, 5e9, -5e9, -1.0, 65504.0, 3e38], dt)
    print(dt.name, "to uint64", tf.cast(x, tf.uint64).numpy().tolist())
for v in [1.7, -1.7, 3, True, [1.5, 2.5], np.float64(2.5), np.array([1, 2]), "a", None]:
    for d in [tf.int32, tf.float32, tf.bool, tf.uint8, "float64", np.int64, tf.string]:
        try:
            r = tf.cast(v, d)
            print("cast", repr(v), d, r.dtype.name, r.numpy().tolist() if r.dtype != tf.string else r.numpy())
        except Exception as e:
            print("cast", repr(v), d, "ERR", type(e).__name__)
