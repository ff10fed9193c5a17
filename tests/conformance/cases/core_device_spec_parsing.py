# DeviceSpec strings TF accepts (negative indices, repeated fields) and a scope on a malformed device
import tensorflow as tf
def t(name, f):
    try:
        r = f()
        print(name, "->", repr(r))
    except Exception as e:
        print(name, "!!", type(e).__name__)
t("ctor", lambda: tf.DeviceSpec(device_type="CPU", device_index=-1).to_string())
t("ctor task", lambda: tf.DeviceSpec(task=-2).to_string())
t("ctor replica", lambda: tf.DeviceSpec(replica=-2).to_string())
t("dev dev", lambda: tf.DeviceSpec.from_string("/device:CPU:0/CPU:1").to_string())
t("dev dev same", lambda: tf.DeviceSpec.from_string("CPU:0/CPU:0").to_string())
t("+1", lambda: tf.DeviceSpec.from_string("CPU:+1").to_string())
t("task:+1", lambda: tf.DeviceSpec.from_string("/task:+1").to_string())
t("task: 1", lambda: tf.DeviceSpec.from_string("/task: 1").to_string())
t("task:-0", lambda: tf.DeviceSpec.from_string("/task:-0").to_string())
t("job job", lambda: tf.DeviceSpec.from_string("/job:a/replica:1/job:b/replica:3").to_string())
t("merge", lambda: tf.DeviceSpec.from_string("CPU:-1").make_merged_spec(
    tf.DeviceSpec.from_string("/job:x")).to_string())

def f():
    with tf.device("CPU:-1"):
        return tf.constant(1.0) + 1

t("scope", f)

def g():
    with tf.device("/job:a/job:localhost"):
        return (tf.constant(1.0) + 1).device

t("scope jobs", g)
t("ctor str", lambda: tf.DeviceSpec(device_type="CPU", device_index="-1").to_string())
t("ctor str task", lambda: tf.DeviceSpec(task="x").to_string())
t("1_0", lambda: tf.DeviceSpec.from_string("CPU:1_0").to_string())
t("x", lambda: tf.DeviceSpec.from_string("CPU:x").to_string())
t("dev:*", lambda: tf.DeviceSpec.from_string("/task:*").to_string())
for s in ["CPU:-1", "/job:a/job:b", "/device:CPU:-1", "GPU:-3", "/job:a/task:1/job:b", "/replica:1/replica:2",
          "/device:CPU:0/device:GPU:1", "/task:-1", "cpu:-1"]:
    try:
        d = tf.DeviceSpec.from_string(s)
        print(repr(s), "->", d.to_string(), d.device_index, d.job, d.task, d.replica, d.device_type)
    except Exception as e:
        print(repr(s), "!!", type(e).__name__)
