# The placer's node lines also go to stderr through TF's INFO log, each function's lines just before the
# "Executing op" line of the op that made it; captured here from file descriptor 2 (the log's own prefix of
# time and source file, which eagerflow's log has not, is cut).
import os
import re
import sys
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"  # TF's placement log is at INFO
import tensorflow as tf  # noqa: E402

path = os.path.join(tempfile.mkdtemp(), "stderr.txt")
saved_err, saved_out = os.dup(2), os.dup(1)
log, null = open(path, "w"), open(os.devnull, "w")
sys.stdout.flush()
os.dup2(log.fileno(), 2)
os.dup2(null.fileno(), 1)  # the same lines on stdout are core_placer_lines_eager's
tf.debugging.set_log_device_placement(True)
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.reduce_sum(x * 2.0, axis=0, keepdims=True)
v = tf.Variable([1, 2])
v.assign_add([1, 1])
z = tf.concat([x, x], 1)[0]
sys.stderr.flush()
os.dup2(saved_err, 2)
os.dup2(saved_out, 1)
log.close()
with open(path) as f:
    for line in f:
        found = re.search(r"(\S+: \(\w+\): /job:\S+|Executing op \S+ in device \S+)$", line.rstrip())
        if found:
            print(found.group(1))
