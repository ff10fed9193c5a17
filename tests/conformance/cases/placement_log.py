"""What the placement-log cases share (not a case itself: it has no recorded .out).

Importing it turns TF's placement log on and captures it: the log goes to stderr at INFO, read back through
file descriptor 2; stdout is silenced meanwhile, since TF's placer also prints there the nodes of each op's
function. `run(steps)` runs each step after a marker line, then prints each step's name and the ops it
logged, one line each."""
import os
import re
import sys
import tempfile

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"  # TF's placement log is at INFO
import tensorflow as tf  # noqa: E402

_log_path = os.path.join(tempfile.mkdtemp(), "stderr.txt")
_saved_err, _saved_out = os.dup(2), os.dup(1)
_log_file, _null = open(_log_path, "w"), open(os.devnull, "w")
sys.stdout.flush()
os.dup2(_log_file.fileno(), 2)
os.dup2(_null.fileno(), 1)
tf.debugging.set_log_device_placement(True)


def mark(step):
    sys.stderr.flush()
    os.write(2, f"Executing op MARK {step}\n".encode())


def run(steps):
    """Run each (name, function) after its marker, give stdout and stderr back and print what was logged."""
    for step, f in steps:
        mark(step)
        f()
    mark("end")
    sys.stderr.flush()
    os.dup2(_saved_err, 2)
    os.dup2(_saved_out, 1)
    _log_file.close()
    with open(_log_path) as f:
        for line in f:
            line = re.sub(r"(__inference_\w+?_)\d+", r"\1N", line)  # TF's graph uids: eagerflow counts its own
            found = re.search(r"Executing op (\S+) in device (\S+)|Executing op MARK (.*)", line)
            if found:
                step = found.group(3)
                print(step if step else f"  {found.group(1)} on {found.group(2).rsplit('/', 1)[-1]}")
