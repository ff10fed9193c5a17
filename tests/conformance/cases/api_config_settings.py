# tf.config / tf.config.experimental settings: visible devices, thread pools and virtual devices fixed once the
# runtime starts, device policy and synchronous execution per thread, TF32, the graph optimizer's options.
import threading

import tensorflow as tf


def show(f):
    try:
        print("OK", repr(f()))
    except Exception as e:  # eagerflow's messages say more (docs/differences_from_tensorflow.md): the class only
        print(type(e).__name__)


cpu = tf.config.list_physical_devices("CPU")[0]
show(lambda: tf.config.get_visible_devices())
show(lambda: tf.config.get_visible_devices("CPU"))
show(lambda: tf.config.get_visible_devices("GPU"))
show(lambda: tf.config.experimental.get_visible_devices())
show(lambda: tf.config.set_visible_devices([], "GPU"))
show(lambda: tf.config.set_visible_devices("x"))
show(lambda: tf.config.set_visible_devices((cpu,)))
show(lambda: tf.config.set_visible_devices(cpu))
show(lambda: tf.config.set_visible_devices([cpu], "GPU"))
show(lambda: tf.config.set_visible_devices([cpu], "cpu"))
show(lambda: tf.config.get_visible_devices("cpu"))
show(lambda: tf.config.experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration)

show(lambda: tf.config.threading.get_intra_op_parallelism_threads())
show(lambda: tf.config.threading.get_inter_op_parallelism_threads())
show(lambda: tf.config.threading.set_intra_op_parallelism_threads(2))
show(lambda: tf.config.threading.set_inter_op_parallelism_threads(3))
show(lambda: tf.config.threading.get_intra_op_parallelism_threads())
show(lambda: tf.config.threading.get_inter_op_parallelism_threads())
show(lambda: tf.config.threading.set_intra_op_parallelism_threads(0))
show(lambda: tf.config.threading.set_inter_op_parallelism_threads(0))

show(lambda: tf.config.optimizer.get_jit())
for jit in [True, "autoclustering", False, "bogus", 1, None]:
    show(lambda jit=jit: tf.config.optimizer.set_jit(jit))
    show(lambda: tf.config.optimizer.get_jit())
show(lambda: tf.config.optimizer.get_experimental_options())
show(lambda: tf.config.optimizer.set_experimental_options({"constant_folding": False, "disable_meta_optimizer": True}))
show(lambda: tf.config.optimizer.get_experimental_options())
show(lambda: tf.config.optimizer.set_experimental_options({"constant_folding": 1, "remapping": False,
                                                           "disable_meta_optimizer": False}))
show(lambda: tf.config.optimizer.get_experimental_options())

show(lambda: tf.config.experimental.get_device_policy())
for p in ["warn", "explicit", "silent", "silent_for_int32", None]:
    show(lambda p=p: tf.config.experimental.set_device_policy(p))
    show(lambda: tf.config.experimental.get_device_policy())
for p in ["bogus", 3, "SILENT"]:
    show(lambda p=p: tf.config.experimental.set_device_policy(p))
show(lambda: tf.config.experimental.get_device_policy())
show(lambda: tf.config.experimental.get_synchronous_execution())
for s in [False, True, None]:
    show(lambda s=s: tf.config.experimental.set_synchronous_execution(s))
    show(lambda: tf.config.experimental.get_synchronous_execution())
show(lambda: tf.config.experimental.tensor_float_32_execution_enabled())
for e in [False, 1, True]:
    show(lambda e=e: tf.config.experimental.enable_tensor_float_32_execution(e))
    show(lambda: tf.config.experimental.tensor_float_32_execution_enabled())
show(lambda: tf.config.experimental.enable_op_determinism(True))
show(lambda: tf.config.experimental.enable_op_determinism())
show(lambda: tf.config.run_functions_eagerly(True))
show(lambda: tf.config.experimental_functions_run_eagerly())
show(lambda: tf.config.experimental_run_functions_eagerly(False))
show(lambda: tf.config.functions_run_eagerly())

# the runtime starts: what it was started with is fixed, setting the same value again is fine
x = tf.constant(1.0)
print(x.device)
show(lambda: tf.config.get_visible_devices())
show(lambda: tf.config.set_visible_devices([cpu], "CPU"))
show(lambda: tf.config.set_visible_devices([cpu]))
show(lambda: tf.config.set_visible_devices([], "GPU"))
show(lambda: tf.config.set_visible_devices([], "CPU"))
show(lambda: tf.config.get_visible_devices())
show(lambda: tf.config.threading.set_intra_op_parallelism_threads(2))
show(lambda: tf.config.threading.set_intra_op_parallelism_threads(0))
show(lambda: tf.config.threading.set_inter_op_parallelism_threads(5))
show(lambda: tf.config.threading.get_inter_op_parallelism_threads())
show(lambda: tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2))
show(lambda: tf.config.experimental.set_synchronous_execution(False))
show(lambda: tf.config.experimental.set_device_policy("explicit"))
show(lambda: tf.config.optimizer.set_jit(True))
show(lambda: tf.config.optimizer.get_jit())
print(float(tf.matmul([[1.0, 2.0]], [[3.0], [4.0]])[0, 0]))


def other_thread():
    show(lambda: tf.config.experimental.get_device_policy())
    show(lambda: tf.config.experimental.get_synchronous_execution())


t = threading.Thread(target=other_thread)
t.start()
t.join()
show(lambda: tf.config.experimental.get_device_policy())
show(lambda: tf.config.experimental.get_synchronous_execution())
