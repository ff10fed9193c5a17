# What graph-era members of Variable and Tensor do in eager mode, and in-place operators on variables
import tensorflow as tf


def show(label, f):
    try:
        r = f()
        print(label, "->", repr(r))
    except Exception as e:
        print(label, "!!", type(e).__name__)


def in_place(op):
    def run():
        w = tf.Variable([1.0, 2.0])
        w = op(w)
        return w
    return run


def iadd(w):
    w += 1
    return w


def isub(w):
    w -= 1
    return w


def imul(w):
    w *= 2
    return w


def itruediv(w):
    w /= 2
    return w


def tensor_iadd():
    t = tf.constant([1.0])
    t += 1
    return t


v = tf.Variable([1.0, 2.0])
t = tf.constant([1.0, 2.0])
show("v += 1", in_place(iadd))
show("v -= 1", in_place(isub))
show("v *= 2", in_place(imul))
show("v /= 2", in_place(itruediv))
show("unread += 1", lambda: iadd(v.assign([1.0, 1.0])))
show("t += 1", tensor_iadd)
show("v.initial_value", lambda: v.initial_value)
show("v.eval()", lambda: v.eval())
show("v.op", lambda: v.op)
show("v.graph", lambda: v.graph)
show("v.is_initialized()", lambda: v.is_initialized())
show("v.initializer", lambda: v.initializer)
show("v.read_value_no_copy()", lambda: v.read_value_no_copy())
show("v.set_shape([2])", lambda: v.set_shape([2]))
show("v.set_shape([3])", lambda: v.set_shape([3]))
u = tf.Variable([1.0, 2.0], shape=[None])
show("u.set_shape([2])", lambda: u.set_shape([2]))
show("u.shape", lambda: u.shape)
show("t.name", lambda: t.name)
show("t.op", lambda: t.op)
show("t.graph", lambda: t.graph)
show("t.set_shape([2])", lambda: t.set_shape([2]))
show("t.set_shape([None])", lambda: t.set_shape([None]))
show("t.set_shape([3])", lambda: t.set_shape([3]))
show("t.eval()", lambda: t.eval())
show("t.value_index", lambda: t.value_index)
