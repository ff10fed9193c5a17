import tensorflow as tf

# min/max: Python ints for integer dtypes, NumPy scalars of the dtype for floating ones
for d in [tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int8, tf.uint8, tf.int32, tf.int64, tf.uint64]:
    lo, hi = d.min, d.max
    shown = (float(lo), float(hi)) if d.is_floating else (lo, hi)  # NumPy's scalar str is NumPy's
    print(d.name, type(lo).__name__, type(hi).__name__, *shown, -lo == hi)
# no order: TypeError naming the dtype twice
for d in [tf.bool, tf.string, tf.complex64, tf.complex128]:
    for attr in ["min", "max"]:
        try:
            getattr(d, attr)
        except Exception as e:
            print(d.name, attr, type(e).__name__, e)
for d in [tf.string, tf.bool, tf.bfloat16, tf.complex128, tf.float64, tf.uint16]:
    print(d.name, "size", d.size)
