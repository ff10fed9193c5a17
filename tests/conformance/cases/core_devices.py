# Devices as TF names and lists them, where values land, and which device strings are refused
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")
print(cpu, tf.config.list_physical_devices("GPU"))
tf.config.set_logical_device_configuration(cpu[0], [tf.config.LogicalDeviceConfiguration()] * 3)
print(tf.config.list_logical_devices())
print(tf.config.list_logical_devices("CPU")[2], tf.config.list_logical_devices("GPU"))
print(tf.config.get_logical_device_configuration(cpu[0]) == [tf.config.LogicalDeviceConfiguration()] * 3)
print([d.name for d in tf.config.list_logical_devices()], [d.device_type for d in tf.config.list_logical_devices()])
a = tf.Variable([1.0, 2.0])
with tf.device("CPU:1"):
    b = tf.Variable([1.0, 2.0])
    t1 = tf.constant([3.0])
with tf.device(tf.config.list_logical_devices()[2].name):
    c = tf.Variable(3.0)
print(a.device, b.device, c.device, t1.device)
print("read_value", b.read_value().device)
print("value", b.value().device)
print("identity", tf.identity(b).device)
print("convert", tf.convert_to_tensor(b).device)
print("op", (b + 1).device, b[0].device, tf.reduce_sum(b).device, (b + c).device, (t1 + 1).device)
print("handle", b.handle.device, "sparse_read", b.sparse_read([0]).device)
print("update", b.assign_add([1.0, 1.0]).device, b.assign([5.0, 6.0]).value().device)
with tf.device("CPU:1"):
    print("scoped", b.read_value().device, tf.identity(a).device, a.value().device, (a + 1).device)
with tf.device("CPU:2"):
    print("scoped", (b * 2).device, tf.constant(1).device, tf.Variable(1).device)
for spec in ["/job:worker/task:0", "/replica:1", "/task:1", "/job:worker",
             "/job:localhost/replica:0/task:0/device:CPU:1", "CPU:99999999999999999999", "GPU:0", "GPU:1", "CPU:5",
             "/device:CPU:0", "cpu:0", "/cpu:1", "CPU",
             "/job:localhost", "/job:localhost/replica:0", "/device:CPU:2", "/physical_device:CPU:0", "XLA_CPU:0"]:
    try:
        with tf.device(spec):
            t = tf.constant([1.0]) + 1
            w = tf.Variable(1.0)
        print(spec, "->", t.device, w.device)
    except Exception as e:
        print(spec, "!!", type(e).__name__)
for s in ["/job:a/replica:1/task:2/device:GPU:3", "/cpu:0", "GPU:1", "/device:CPU:*", "/job:ps", ""]:
    d = tf.DeviceSpec.from_string(s)
    print(repr(s), repr(d), d.to_string(), d.job, d.replica, d.task, d.device_type, d.device_index)
d = tf.DeviceSpec(job="w", device_type="GPU", device_index=1)
print(d.to_string(), d.replace(task=3).to_string(), d == tf.DeviceSpec.from_string("/job:w/device:GPU:1"))
print(tf.DeviceSpec.from_string("GPU:1").make_merged_spec(tf.DeviceSpec.from_string("/job:x/task:3")).to_string())
for s in ["CPU:99999999999999999999", "/foo:1", "/device:CPU:x"]:
    try:
        print(repr(s), tf.DeviceSpec.from_string(s).to_string())
    except Exception as e:
        print(repr(s), "!!", type(e).__name__)
