# tf.config.set_visible_devices hiding the CPU: the runtime has no device to start on; still configurable after.
import tensorflow as tf


def show(f):
    try:
        print("OK", repr(f()))
    except Exception as e:  # eagerflow's messages say more: the class only
        print(type(e).__name__)


cpu = tf.config.list_physical_devices("CPU")[0]
show(lambda: tf.config.set_visible_devices([], "CPU"))
show(lambda: tf.config.get_visible_devices())
show(lambda: tf.config.list_physical_devices())
show(lambda: tf.config.list_logical_devices())
show(lambda: tf.constant(1.0).device)
show(lambda: tf.config.set_visible_devices([], "GPU"))
show(lambda: tf.config.set_visible_devices([cpu], "CPU"))
show(lambda: tf.config.get_visible_devices())
show(lambda: tf.constant(1.0).device)
show(lambda: tf.config.set_visible_devices([], "CPU"))
