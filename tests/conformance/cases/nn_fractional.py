import tensorflow as tf
x = tf.reshape(tf.range(2 * 7 * 9 * 3, dtype=tf.float32), [2, 7, 9, 3])
for f in [tf.nn.fractional_max_pool, tf.nn.fractional_avg_pool]:
    for pr, ov in [(False, False), (True, False), (False, True), (True, True)]:
        out, rows, cols = f(x, [1.0, 1.6, 2.2, 1.0], pr, ov, seed=5)
        print(out.shape, out.dtype, rows.dtype, rows.shape, cols.shape, int(rows[0]), int(rows[-1]), int(cols[-1]))
    out, rows, cols = f(x, [1.0, 1.5, 1.5, 1.0])
    print(out.shape)
    for call in [lambda f=f: f(x, [2.0, 1.5, 1.5, 1.0]), lambda f=f: f(x[0], [1.0, 1.5, 1.5, 1.0])]:
        try:
            call()
            print("no error")
        except Exception as e:
            print(type(e).__name__)
