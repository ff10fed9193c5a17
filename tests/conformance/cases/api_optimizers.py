# Keras 3 optimizers and schedules: several update steps (values to 6 significant digits), slot layout and names,
# configs, schedules' values.
import numpy as np
import tensorflow as tf

K = tf.keras.optimizers
S = tf.keras.optimizers.schedules


def run(make, steps=4, precision=5):
    tf.keras.backend.clear_session()
    w = tf.Variable([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], name="w")
    b = tf.Variable([0.1, -0.2, 0.3], name="b")
    opt = make()
    for step in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.sin(w * (step + 1.0)) * w) + tf.reduce_sum(b * b * b) * (step + 1.0)
        opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
    print(type(opt).__name__, int(opt.iterations.numpy()))
    print(" w", np.array2string(w.numpy(), precision=precision, floatmode="fixed"))
    print(" b", np.array2string(b.numpy(), precision=precision, floatmode="fixed"))
    print(" vars", [(v.name.split("/")[-1].split(":")[0], tuple(v.shape)) for v in opt.variables])


run(lambda: K.Adadelta(learning_rate=0.5))
run(lambda: K.Adamax(learning_rate=0.05))
run(lambda: K.Nadam(learning_rate=0.05))
run(lambda: K.Ftrl(learning_rate=0.1))
run(lambda: K.Ftrl(learning_rate=0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.02,
                   l2_shrinkage_regularization_strength=0.01, beta=0.1, learning_rate_power=-0.3),
    precision=4)  # x ** 0.3 may differ in the last bit between TF's and NumPy's pow
run(lambda: K.Lion(learning_rate=0.01))
run(lambda: K.Lamb(learning_rate=0.05))
run(lambda: K.Adafactor(learning_rate=0.1))
run(lambda: K.Adafactor(learning_rate=S.ExponentialDecay(0.1, 2, 0.5), relative_step=False))
run(lambda: K.ScheduleFreeAdamW(learning_rate=0.05))
run(lambda: K.ScheduleFreeAdamW(learning_rate=0.05, warmup_steps=3, beta_1=0.8))
run(lambda: K.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.5))
run(lambda: K.SGD(learning_rate=0.05, use_ema=True, ema_overwrite_frequency=2))
run(lambda: K.SGD(learning_rate=0.05, loss_scale_factor=4.0))
run(lambda: K.LossScaleOptimizer(K.SGD(learning_rate=0.05), initial_scale=8.0, dynamic_growth_steps=2))

w = tf.Variable([1.0])
opt = K.LossScaleOptimizer(K.SGD(0.1), initial_scale=4.0)
opt.apply_gradients([(tf.constant([np.inf]), w)])
print("skipped step", w.numpy(), opt.dynamic_scale.numpy(), int(opt.iterations.numpy()))
print(float(opt.scale_loss(tf.constant(2.0))))

for sched in [S.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=0.5),
              S.PolynomialDecay(0.1, 4, cycle=True),
              S.CosineDecay(0.1, 10, alpha=0.1),
              S.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=5),
              S.CosineDecayRestarts(0.1, 3),
              S.CosineDecayRestarts(0.1, 3, t_mul=1.0, m_mul=0.5, alpha=0.2)]:
    print(type(sched).__name__, [round(float(sched(k)), 6) for k in (0, 1, 3, 4, 7, 12, 20)])
    print(" ", S.serialize(sched))
print(type(S.deserialize(S.serialize(S.CosineDecay(0.1, 10)))).__name__)
print(K.serialize(K.Nadam(learning_rate=0.01, name="n")))
print(K.serialize(K.Lion(learning_rate=S.PolynomialDecay(0.1, 10), name="l"))["config"]["learning_rate"])
o = K.deserialize(K.serialize(K.Ftrl(learning_rate=0.2, beta=0.5)))
print(type(o).__name__, round(float(o.learning_rate), 6), o.beta)
for bad in [lambda: K.Lion(beta_1=0.0), lambda: K.Ftrl(initial_accumulator_value=-1.0),
            lambda: K.Ftrl(learning_rate_power=0.5), lambda: K.SGD(use_ema=True, ema_momentum=2.0),
            lambda: S.CosineDecay(0.1, 0)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
