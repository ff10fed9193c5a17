# Keras 3 optimizers applying an IndexedSlices gradient (the gradient of gather, with a repeated row of
# opposite signs): each optimizer's rule keeps the repeated rows apart until a dense operand meets them
# (square(g) squares each repeated row before the sum; Adagrad scatters into its accumulator), bit for bit.
import numpy as np
import tensorflow as tf

K = tf.keras.optimizers
makers = {
    "SGD": lambda: K.SGD(0.1), "SGDm": lambda: K.SGD(0.1, momentum=0.9),
    "SGDn": lambda: K.SGD(0.1, momentum=0.9, nesterov=True),
    "Adam": lambda: K.Adam(0.1), "AdamA": lambda: K.Adam(0.1, amsgrad=True), "AdamW": lambda: K.AdamW(0.1),
    "RMSprop": lambda: K.RMSprop(0.1), "RMSpropC": lambda: K.RMSprop(0.1, momentum=0.5, centered=True),
    "Adagrad": lambda: K.Adagrad(0.1), "Adadelta": lambda: K.Adadelta(0.5), "Adamax": lambda: K.Adamax(0.1),
    "Nadam": lambda: K.Nadam(0.1),
    "Ftrl": lambda: K.Ftrl(0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.02),
    "Lion": lambda: K.Lion(0.1), "Lamb": lambda: K.Lamb(0.1), "Adafactor": lambda: K.Adafactor(0.1),
    "AdagradClip": lambda: K.Adagrad(0.1, clipnorm=0.5), "AdamWD": lambda: K.Adam(0.1, weight_decay=0.1),
}
weights = tf.constant([[0.3, -0.2, 0.5], [1.1, 0.4, -0.6], [-0.7, 0.9, 0.25]])
for name, make in makers.items():
    table = tf.Variable(np.linspace(-1.0, 1.0, 15, dtype=np.float32).reshape(5, 3), name="table")
    opt = make()
    for _step in range(3):
        with tf.GradientTape() as tape:
            rows = tf.gather(table, [2, 0, 2])
            loss = tf.reduce_sum(tf.square(rows) * weights)  # one path to rows: its gradient is exact
        g = tape.gradient(loss, table)
        opt.apply_gradients([(g, table)])
    print(name, type(g).__name__, np.round(table.numpy(), 5).tolist())
    # bits; 5 decimals where a norm sums many numbers (in the library's own order of addition) and for Nadam,
    # whose third step reads 0.96 ** 4, one unit in the last place apart in TF's float32 pow and a correctly
    # rounded one
    show = (lambda a: np.round(a, 5).reshape(-1).tolist()) if name in ("Adafactor", "AdagradClip", "Nadam") else \
        (lambda a: a.view(np.int32).reshape(-1).tolist())
    print(name, "bits", show(table.numpy()))
    for v in opt.variables[2:]:
        print(name, v.path, show(v.numpy()))

# the gradient of gather along another axis (or with batch_dims) is a dense tensor, as TF
x = tf.Variable(tf.reshape(tf.range(12.0), (3, 4)))
with tf.GradientTape(persistent=True) as tape:
    a = tf.reduce_sum(tf.gather(x, [1, 1, 3], axis=1) * 2.0)
    b = tf.reduce_sum(tf.gather(x, [[0], [2], [1]], axis=1, batch_dims=1))
for y in (a, b):
    g = tape.gradient(y, x)
    print(isinstance(g, tf.Tensor), g.numpy().tolist())
