# tf.config's device listings match the device type exactly ('CPU'; 'cpu' lists nothing), as the visible devices do.
import tensorflow as tf

for kind in ["CPU", "cpu", "Cpu", "GPU", "gpu", "TPU"]:
    print(kind, tf.config.list_physical_devices(kind), tf.config.get_visible_devices(kind))
for kind in ["CPU", "cpu", "GPU"]:
    print(kind, tf.config.list_logical_devices(kind))
print(tf.config.experimental.list_physical_devices("cpu"), tf.config.experimental.list_logical_devices("cpu"))
