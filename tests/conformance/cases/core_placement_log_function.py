# The placement log of tf.function calls, as TF logs them: one op per call, the function of its graph
# (__inference_<name>_<uid>: the uid, TF's count of graphs made so far, is printed as N), on the first call (the
# trace) and later ones alike; the body's ops, nested functions' and variable updates included, are not logged
# one by one, and constants of the body's Python numbers are no eager _EagerConsts.
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

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
