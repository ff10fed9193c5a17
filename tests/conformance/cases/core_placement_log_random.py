# The placement log of tf.random's functions, as TF logs them: a shape, bound or parameter given as a Python value
# is an _EagerConst (a scalar on its first use only); normal and truncated draws are rescaled by Mul and AddV2,
# uniform floats by Sub, Mul and AddV2 unless the bounds are the default 0 and 1; the stateless ops draw from the
# key and counter of StatelessRandomGetKeyCounter; gamma broadcasts alpha against beta (Shape, BroadcastArgs,
# BroadcastTo) and divides by beta (RealDiv, then Maximum with the smallest normal number). The log (stderr) is
# captured through file descriptor 2.
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
            found = re.search(r"Executing op (\S+) in device (\S+)|Executing op MARK (.*)", line)
            if found:
                step = found.group(3)
                print(step if step else f"  {found.group(1)} on {found.group(2).rsplit('/', 1)[-1]}")


run([
    ("normal", lambda: tf.random.normal([2])),
    ("normal again", lambda: tf.random.normal([2])),
    ("normal seed", lambda: tf.random.normal([2], seed=1)),
    ("normal mean", lambda: tf.random.normal([2], mean=1.0, stddev=2.0)),
    ("normal tensor shape", lambda: tf.random.normal(tf.constant([2]))),
    ("uniform", lambda: tf.random.uniform([2])),
    ("uniform again", lambda: tf.random.uniform([2])),
    ("uniform int", lambda: tf.random.uniform([2], 0, 5, dtype=tf.int32)),
    ("uniform bounds", lambda: tf.random.uniform([2], 1.0, 3.0)),
    ("uniform maxval", lambda: tf.random.uniform([2], 0, 3.0)),
    ("truncated_normal", lambda: tf.random.truncated_normal([2])),
    ("shuffle", lambda: tf.random.shuffle([1, 2, 3])),
    ("categorical", lambda: tf.random.categorical([[0.0, 0.0]], 2)),
    ("stateless_normal", lambda: tf.random.stateless_normal([2], seed=[1, 2])),
    ("stateless_normal again", lambda: tf.random.stateless_normal([2], seed=[1, 2])),
    ("stateless_normal tensor seed", lambda: tf.random.stateless_normal([2], seed=tf.constant([1, 2]))),
    ("stateless_uniform", lambda: tf.random.stateless_uniform([2], seed=[1, 2])),
    ("stateless_uniform int", lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=0, maxval=5,
                                                                  dtype=tf.int32)),
    ("stateless_uniform full", lambda: tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None,
                                                                   dtype=tf.int32)),
    ("stateless_truncated_normal", lambda: tf.random.stateless_truncated_normal([2], seed=[1, 2])),
    ("split", lambda: tf.random.split([1, 2])),
    ("poisson", lambda: tf.random.poisson([2], 1.0)),
    ("poisson again", lambda: tf.random.poisson([2], 1.0)),
    ("stateless_categorical", lambda: tf.random.stateless_categorical([[0.0, 0.0]], 2, seed=[1, 2])),
    ("stateless_binomial", lambda: tf.random.stateless_binomial([2], seed=[1, 2], counts=3.0, probs=0.5)),
    ("stateless_poisson", lambda: tf.random.stateless_poisson([2], seed=[1, 2], lam=1.0)),
    ("fold_in", lambda: tf.random.fold_in([1, 2], 3)),
    ("stateless_shuffle", lambda: tf.random.experimental.stateless_shuffle([1, 2, 3], seed=[1, 2])),
    ("gamma", lambda: tf.random.gamma([2], 1.0)),
    ("gamma again", lambda: tf.random.gamma([2], 1.0)),
    ("gamma beta", lambda: tf.random.gamma([2], [1.0, 2.0], beta=2.0)),
    ("stateless_gamma", lambda: tf.random.stateless_gamma([2], seed=[1, 2], alpha=1.0)),
    ("stateless_gamma alpha list", lambda: tf.random.stateless_gamma([3, 2], seed=[1, 2], alpha=[0.5, 1.5])),
    ("set_seed", lambda: tf.random.set_seed(3)),
    ("normal after set_seed", lambda: tf.random.normal([2])),
])
