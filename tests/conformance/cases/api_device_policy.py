# tf.config.experimental.set_device_policy with two logical CPUs: which inputs from the other device each
# policy copies, and which it refuses (identity is the explicit copy; a variable's ops run where it lives).
import tensorflow as tf


def show(f):
    try:
        print("OK", repr(f()))
    except Exception as e:
        text = str(e).split(" Tensors can be copied")[0].split(" [Op:")[0]
        print(type(e).__name__, text.replace("input #", "\n    input #").split("\n")[-1][:160])


cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
x = tf.constant([1.0, 2.0])
xi = tf.constant([1, 2])
v = tf.Variable([1.0, 2.0])
for pol in ["explicit", "silent_for_int32", "warn", "silent"]:
    tf.config.experimental.set_device_policy(pol)
    print("--", pol, tf.config.experimental.get_device_policy())
    with tf.device("CPU:1"):
        show(lambda: (x + 1.0).device)
        show(lambda: (xi + 1).device)
        show(lambda: tf.identity(x).device)
        show(lambda: tf.Variable(x).device)
        show(lambda: (v * 2).device)
        show(lambda: v.assign(x).device)
        show(lambda: tf.matmul([[1.0]], [[2.0]]).device)
        y = tf.constant(3.0)
        w = tf.Variable([3.0, 4.0])
    show(lambda y=y: (y + x).device)
    show(lambda w=w: w.assign_add(x))
    show(lambda w=w: w.scatter_nd_update([[0]], x[:1]))
    show(lambda w=w: (w + x).device)
    show(lambda w=w: tf.identity(w).device)
