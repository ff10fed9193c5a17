# Control flow, TensorArray and debugging assertions in eager form: values, structures, error classes and texts.
import re

import numpy as np
import tensorflow as tf


def show(f):
    try:
        print("OK", repr(f()))
    except Exception as e:
        text = re.sub(r"\{\{function_node [^}]*\}\} ", "", str(e)).split(" [Op:")[0]
        print(type(e).__name__, text[:400])


show(lambda: tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), (0,)))
show(lambda: tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1, j * 2), (0, tf.constant(1.0))))
show(lambda: tf.while_loop(lambda i: i < 10, lambda i: [i + 1], [tf.constant(0)], maximum_iterations=4))
show(lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, 0))
show(lambda: tf.case([(tf.constant(False), lambda: tf.constant(1))], default=lambda: tf.constant(2)))
show(lambda: tf.switch_case(tf.constant(5), [lambda: tf.constant(1), lambda: tf.constant(2)]))
show(lambda: tf.switch_case(5, [lambda: tf.constant(1)]))
show(lambda: tf.cond(tf.constant(1), lambda: 1, lambda: 2))
show(lambda: tf.cond(True, 1, lambda: 2))
show(lambda: tf.map_fn(lambda x: x * 2, tf.constant([1, 2, 3])))
show(lambda: tf.map_fn(lambda x: x[0] + x[1], (tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])),
                       fn_output_signature=tf.float32))
show(lambda: tf.map_fn(lambda x: tf.cast(x, tf.float32), tf.constant([1, 2])))
show(lambda: tf.map_fn(lambda x: x, tf.zeros([0, 2]), fn_output_signature=tf.TensorSpec([2], tf.float32)))
show(lambda: tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3]), initializer=10, reverse=True))
show(lambda: tf.foldr(lambda a, x: a - x, tf.constant([1, 2, 3]), initializer=0))
show(lambda: tf.foldl(lambda a, x: a + x, tf.constant([])))
show(lambda: tf.vectorized_map(lambda x: x * 2, tf.constant([[1, 2], [3, 4]])))
show(lambda: tf.ensure_shape(tf.zeros([3]), [2]))
show(lambda: tf.tuple([1, tf.constant(2)]))
show(lambda: tf.debugging.Assert(tf.constant(False), ["x is", tf.constant([1, 2, 3, 4, 5])]))
show(lambda: tf.debugging.assert_equal(tf.constant([1, 2, 3]), tf.constant([1, 5, 3])))
show(lambda: tf.debugging.assert_equal(1, 2, message="nope"))
show(lambda: tf.debugging.assert_less(tf.constant([1, 2]), 1))
show(lambda: tf.debugging.assert_near(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.1])))
show(lambda: tf.debugging.assert_negative(tf.constant([-1, 2])))
show(lambda: tf.debugging.assert_positive(tf.constant([1.5, -2.0]), message="m"))
show(lambda: tf.debugging.assert_non_negative(tf.constant([-3])))
show(lambda: tf.debugging.assert_rank(tf.zeros([3]), 2))
show(lambda: tf.debugging.assert_rank_at_least(tf.zeros([3]), 2))
show(lambda: tf.debugging.assert_rank_in(tf.zeros([3]), [0, 2]))
show(lambda: tf.debugging.assert_integer(tf.zeros([3])))
show(lambda: tf.debugging.assert_type(tf.zeros([3]), tf.int32))
show(lambda: tf.debugging.assert_scalar(tf.zeros([3])))
show(lambda: tf.debugging.assert_same_float_dtype([tf.zeros([3]), tf.zeros([2], tf.float64)]))
show(lambda: tf.debugging.assert_same_float_dtype([tf.zeros([3], tf.int32)]))
show(lambda: tf.debugging.check_numerics(tf.constant([1.0, np.nan, np.inf]), "boom"))
show(lambda: tf.debugging.check_numerics(tf.constant([1.0, np.inf]), "boom"))
show(lambda: tf.debugging.assert_shapes([(tf.zeros([2, 3]), ("N", "D")), (tf.zeros([3, 3]), ("N", "D"))]))
show(lambda: tf.debugging.assert_shapes([(tf.zeros([2, 3]), (2, 4))]))
show(lambda: tf.debugging.assert_shapes([(tf.zeros([2, 3]), ("N",))]))
show(lambda: tf.debugging.assert_shapes([(tf.zeros([2, 3]), (..., 3)), (tf.zeros([5, 2, 3]), (..., "N", 3))]))
show(lambda: tf.debugging.is_numeric_tensor(tf.constant([True])))
show(lambda: tf.numpy_function(lambda x: (x * 2).astype(np.float64), [tf.constant([1, 2])], tf.float64))
show(lambda: tf.py_function(lambda x: [x, x], [tf.constant([1, 2])], [tf.int32, tf.int32]))
ta = tf.TensorArray(tf.float32, size=2)
ta = ta.write(0, [1.0, 2.0])
show(lambda: ta.stack())
show(lambda: ta.read(5))
show(lambda: ta.write(3, [1.0, 2.0]))
show(lambda: ta.write(1, [1, 2]).size())
show(lambda: ta.write(1, [1.0, 2.0, 3.0]))
show(lambda: ta.read(0))
show(lambda: ta.read(0))
show(lambda: ta.size())
show(lambda: ta.element_shape)
show(lambda: tf.TensorArray(tf.int32, size=0, dynamic_size=True).write(2, 5).stack())
show(lambda: tf.TensorArray(tf.int32, size=0, element_shape=[2]).stack())
show(lambda: tf.TensorArray(tf.int32, size=3).unstack([1, 2, 3]).gather([2, 0]))
show(lambda: tf.TensorArray(tf.int32, size=2).unstack([1, 2, 3]))
show(lambda: tf.TensorArray(tf.int32, size=2).split([1, 2, 3], [1, 2]).concat())
show(lambda: tf.TensorArray(tf.int32, size=2).scatter([1, 0], [[1, 2], [3, 4]]).stack())
show(lambda: tf.TensorArray(tf.float32, size=2).write(0, 1.0).concat())
show(lambda: tf.TensorArray(tf.float32, size=None))

x = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as tape:
    ys = tf.map_fn(lambda v: v * v, x)
    _, total = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + x[i] * s), (0, tf.constant(1.0)))
    ta = tf.TensorArray(tf.float32, size=3)
    for i in range(3):
        ta = ta.write(i, x[i] * float(i))
    loss = tf.reduce_sum(ys) + total + tf.reduce_sum(ta.stack())
print(tape.gradient(loss, x).numpy())
