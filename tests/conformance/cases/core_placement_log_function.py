# The placement log of tf.function calls, as TF logs them: one op per call, the function of its graph
# (__inference_<name>_<uid>: the uid, TF's count of graphs made so far, is printed as N), on the first call (the
# trace) and later ones alike; the body's ops, nested functions' and variable updates included, are not logged
# one by one, and constants of the body's Python numbers are no eager _EagerConsts. The log (stderr) is captured
# through file descriptor 2.
import os
import re
import sys
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"  # TF's placement log is at INFO
import tensorflow as tf  # noqa: E402

log_path = os.path.join(tempfile.mkdtemp(), "stderr.txt")
saved, saved_out = os.dup(2), os.dup(1)
log_file, null = open(log_path, "w"), open(os.devnull, "w")
sys.stdout.flush()
os.dup2(log_file.fileno(), 2)
os.dup2(null.fileno(), 1)   # TF's placer also prints the nodes of each op's function on stdout
tf.debugging.set_log_device_placement(True)


def mark(step):
    sys.stderr.flush()
    os.write(2, f"Executing op MARK {step}\n".encode())




def run(steps):
    for step, f in steps:
        mark(step)
        f()
    mark("end")
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.dup2(saved_out, 1)
    log_file.close()
    with open(log_path) as f:
        for line in f:
            line = re.sub(r"(__inference_\w+?_)\d+", r"\1N", line)  # TF's graph uids: eagerflow counts its own
            found = re.search(r"Executing op (\S+) in device (\S+)|Executing op MARK (.*)", line)
            if found:
                step = found.group(3)
                print(step if step else f"  {found.group(1)} on {found.group(2).rsplit('/', 1)[-1]}")


x = tf.constant([1.0, 2.0])
v = tf.Variable([1.0, 2.0])

@tf.function
def f(a):
    return a * 2.0

@tf.function
def g(a):
    return f(a) + 1.0

@tf.function
def h(a):
    v.assign_add(a)
    return v.read_value()

run([
    ("f", lambda: f(x)),
    ("f again", lambda: f(x)),
    ("f new shape", lambda: f(tf.constant([1.0]))),
    ("f of a Python float", lambda: f(3.0)),
    ("g nested", lambda: g(x)),
    ("g again", lambda: g(x)),
    ("h variable", lambda: h(x)),
    ("h again", lambda: h(x)),
    ("after", lambda: x + 1.0),
])
