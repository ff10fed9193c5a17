import numpy as np
import tensorflow as tf

grads = [tf.constant([0.5, -1.0, 2.0]), tf.constant([-0.25, 0.75, 1.5]), tf.constant([1.0, 1.0, -1.0]),
         tf.constant([0.1, -0.2, 0.3])]


def run(opt, steps=4):
    v = tf.Variable([1.0, 2.0, 3.0])
    for g in grads[:steps]:
        opt.apply_gradients([(g, v)])
    return v


def show(name, opt):
    v = run(opt)
    print(name, np.round(v.numpy(), 5).tolist(), int(opt.iterations.numpy()))


show("sgd", tf.keras.optimizers.SGD(0.1))
show("sgd_momentum", tf.keras.optimizers.SGD(0.1, momentum=0.9))
show("sgd_nesterov", tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True))
show("adam", tf.keras.optimizers.Adam(0.1))
show("adam_amsgrad", tf.keras.optimizers.Adam(0.1, amsgrad=True))
show("adam_betas", tf.keras.optimizers.Adam(0.05, beta_1=0.5, beta_2=0.9, epsilon=1e-3))
show("adamw", tf.keras.optimizers.AdamW(0.1))
show("adamw_wd", tf.keras.optimizers.AdamW(0.1, weight_decay=0.1))
show("rmsprop", tf.keras.optimizers.RMSprop(0.1))
show("rmsprop_momentum", tf.keras.optimizers.RMSprop(0.1, momentum=0.5))
show("rmsprop_centered", tf.keras.optimizers.RMSprop(0.1, centered=True))
show("rmsprop_rho", tf.keras.optimizers.RMSprop(0.01, rho=0.5))
show("adagrad", tf.keras.optimizers.Adagrad(0.1))
show("adagrad_init", tf.keras.optimizers.Adagrad(0.5, initial_accumulator_value=1.0))
show("sgd_clipnorm", tf.keras.optimizers.SGD(0.1, clipnorm=0.5))
show("sgd_clipvalue", tf.keras.optimizers.SGD(0.1, clipvalue=0.5))
show("sgd_global_clipnorm", tf.keras.optimizers.SGD(0.1, global_clipnorm=0.5))
show("adam_schedule", tf.keras.optimizers.Adam(tf.keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)))
show("sgd_wd", tf.keras.optimizers.SGD(0.1, weight_decay=0.01))

opt = tf.keras.optimizers.Adam(0.01)
v = run(opt, 2)
# (Keras 3 optimizer state is keras.Variable, whose repr and name differ from tf.Variable's: print values)
print(opt.iterations.numpy(), opt.learning_rate.numpy())
print(float(opt.learning_rate), int(opt.iterations))
print(len(opt.variables), [w.shape for w in opt.variables])
print([np.round(w.numpy(), 5).tolist() for w in opt.variables[2:]])
print(opt.name, opt.beta_1, opt.beta_2, opt.epsilon, opt.amsgrad)
opt.learning_rate = 0.5
print(float(opt.learning_rate.numpy()))
opt.learning_rate.assign(0.25)
print(float(opt.learning_rate))
s = tf.keras.optimizers.SGD(0.1, momentum=0.9)
run(s, 1)
print(len(s.variables), s.momentum, s.nesterov, s.name)
print(tf.keras.optimizers.SGD().learning_rate.numpy(), tf.keras.optimizers.Adam().learning_rate.numpy())
print(tf.keras.optimizers.RMSprop().learning_rate.numpy(), tf.keras.optimizers.Adagrad().learning_rate.numpy())
print(tf.keras.optimizers.AdamW().weight_decay)
# errors
for make in [lambda: tf.keras.optimizers.SGD(momentum=-1.0),
             lambda: tf.keras.optimizers.SGD(0.1, clipnorm=1.0, clipvalue=1.0),
             lambda: tf.keras.optimizers.Adam(0.1, foo=1), lambda: tf.keras.optimizers.AdamW(weight_decay=None)]:
    try:
        make()
        print("ok")
    except Exception as e:
        print(type(e).__name__)
opt = tf.keras.optimizers.SGD(0.1)
v = tf.Variable([1.0])
w = tf.Variable([2.0])
opt.apply_gradients([(tf.constant([1.0]), v)])
try:
    opt.apply_gradients([(tf.constant([1.0]), w)])
except Exception as e:
    print(type(e).__name__)
try:
    opt.apply_gradients([(None, v)])
except Exception as e:
    print(type(e).__name__)
# a training loop with a tape
x = tf.Variable(3.0)
opt = tf.keras.optimizers.SGD(0.1)
for _ in range(3):
    with tf.GradientTape() as tape:
        loss = x * x
    opt.apply_gradients(zip(tape.gradient(loss, [x]), [x]))
print(round(float(x.numpy()), 5), int(opt.iterations))
# iterations is int64 and non-trainable
print(opt.iterations.trainable)

print([c().name.rstrip("_0123456789") for c in (tf.keras.optimizers.SGD, tf.keras.optimizers.Adam,
                                                 tf.keras.optimizers.AdamW, tf.keras.optimizers.RMSprop,
                                                 tf.keras.optimizers.Adagrad)])
print(tf.keras.optimizers.Adam(name="my_opt").name)
