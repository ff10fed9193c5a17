# tf.test: TestCase's assertions (what passes, what fails and with which class), evaluate, eager sessions,
# compute_gradient's Jacobians, Benchmark's printed report, the decorators and build queries.
import collections
import unittest

import numpy as np
import tensorflow as tf


def show(f):
    try:
        r = f()
        print("OK", repr(r))
    except Exception as e:  # messages are checked in tests/test_tf_test.py: the class only
        print(type(e).__name__)


class Checks(tf.test.TestCase):
    def runTest(self):
        pass


t = Checks()
t.setUp()
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
v = tf.Variable([1.0, 2.0])
show(lambda: t.assertAllClose(x, [[1.0, 2.0], [3.0, 4.0000001]]))
show(lambda: t.assertAllClose(x, [[1.0, 2.0], [3.0, 4.01]]))
show(lambda: t.assertAllClose(x, [1.0, 2.0]))
show(lambda: t.assertAllClose(v, np.array([1.0, 2.0])))
show(lambda: t.assertAllClose({"a": x, "b": (v, 3.0)}, {"a": x.numpy(), "b": (v.numpy(), 3.0)}))
show(lambda: t.assertAllClose({"a": 1.0}, {"b": 1.0}))
show(lambda: t.assertAllClose({"a": 1.0}, [1.0]))
show(lambda: t.assertAllClose([1.0, [2.0, 3.0]], [1.0, [2.0, 3.0]]))
show(lambda: t.assertAllClose([1.0, [2.0, 3.0]], [1.0, [2.0]]))
P = collections.namedtuple("P", "a b")
show(lambda: t.assertAllClose(P(1.0, 2.0), P(1.0, 2.0)))
show(lambda: t.assertAllClose(float("nan"), np.nan))
show(lambda: t.assertAllClose(tf.constant([1.0, 2.0], tf.bfloat16), [1.0, 2.0]))
show(lambda: t.assertAllClose(1.0, 1.1, rtol=0.2))
show(lambda: t.assertAllCloseAccordingToType(tf.constant([1.0], tf.float16), [1.0005]))
show(lambda: t.assertAllCloseAccordingToType(tf.constant([1.0]), [1.0005]))
show(lambda: t.assertNotAllClose(x, x + 1))
show(lambda: t.assertNotAllClose(x, x))
show(lambda: t.assertAllEqual(tf.constant([1, 2]), [1, 2]))
show(lambda: t.assertAllEqual(tf.constant([1, 2]), [1, 3]))
show(lambda: t.assertAllEqual(tf.constant([1, 2]), [[1, 2]]))
show(lambda: t.assertAllEqual(tf.constant([np.nan, 1.0]), [np.nan, 1.0]))
show(lambda: t.assertAllEqual(tf.constant(["a", "b"]), ["a", "b"]))
show(lambda: t.assertAllEqual(tf.constant(["a", "b"]), [b"a", b"b"]))
show(lambda: t.assertNotAllEqual(tf.constant([1, 2]), [1, 3]))
show(lambda: t.assertNotAllEqual(tf.constant([1, 2]), [1, 2]))
show(lambda: t.assertAllGreater(x, 0.5))
show(lambda: t.assertAllGreater(x, 1.0))
show(lambda: t.assertAllGreaterEqual(x, 1.0))
show(lambda: t.assertAllLess(x, 4.0))
show(lambda: t.assertAllLessEqual(x, 4.0))
show(lambda: t.assertAllInRange(x, 1.0, 4.0))
show(lambda: t.assertAllInRange(x, 1.0, 4.0, open_upper_bound=True))
show(lambda: t.assertAllInRange(x, 1.0, 4.0, open_lower_bound=True))
show(lambda: t.assertAllInRange(tf.constant([1, 5]), 0, 5))
show(lambda: t.assertAllInRange(tf.constant([1.0, np.nan]), 0.0, 5.0))
show(lambda: t.assertAllInRange(tf.constant([True]), 0, 5))
show(lambda: t.assertAllInRange(tf.constant(3.0), 0.0, 2.0))
show(lambda: t.assertAllInSet(tf.constant([1, 2, 1]), {1, 2}))
show(lambda: t.assertAllInSet(tf.constant([1, 2, 3]), [1, 2]))
show(lambda: t.assertDTypeEqual(x, np.float32))
show(lambda: t.assertDTypeEqual(x, np.float64))
show(lambda: t.assertDTypeEqual(np.array([1, 2], np.int64), np.int64))
show(lambda: t.assertShapeEqual(np.zeros((2, 2)), x))
show(lambda: t.assertShapeEqual(np.zeros((2, 3)), x))
show(lambda: t.assertShapeEqual([1, 2], x))
show(lambda: t.assertNear(1.0, 1.05, 0.1))
show(lambda: t.assertNear(1.0, 1.5, 0.1))
show(lambda: t.assertNear(tf.constant(2.0), 2.0, 0.0))
show(lambda: t.assertArrayNear([1.0, 2.0], [1.01, 2.0], 0.1))
show(lambda: t.assertArrayNear([1.0, 2.0], [1.0], 0.1))
show(lambda: t.assertNDArrayNear(np.array([1.0, 2.0]), np.array([1.0, 2.05]), 0.1))
show(lambda: t.assertNDArrayNear(np.array([1.0, 2.0]), np.array([1.0, 2.5]), 0.1))
show(lambda: t.assertDeviceEqual("/cpu:0", "/device:CPU:0"))
show(lambda: t.assertDeviceEqual("/cpu:0", "/device:CPU:1"))
show(lambda: t.assertItemsEqual([1, 2, 2], [2, 1, 2]))


def raises(ctx_factory, body):
    def run():
        with ctx_factory():
            body()
    return run


show(raises(lambda: t.assertRaisesOpError("Matrix size-incompatible"), lambda: tf.matmul(x, tf.ones([3, 3]))))
show(raises(lambda: t.assertRaisesOpError("no such text"), lambda: tf.matmul(x, tf.ones([3, 3]))))
show(raises(lambda: t.assertRaisesOpError("anything"), lambda: None))
show(raises(lambda: t.assertRaisesOpError("x"), lambda: int("x")))
show(raises(lambda: t.assertRaisesWithPredicateMatch(ValueError, lambda e: "base 10" in str(e)), lambda: int("x")))
show(raises(lambda: t.assertRaisesIncompatibleShapesError(), lambda: x + tf.ones([3])))
show(raises(lambda: t.assertRaisesIncompatibleShapesError(), lambda: tf.matmul(x, tf.ones([3, 3]))))

print(t.evaluate(x))
print(t.evaluate({"a": [x, None], "b": (v,)}))
print(t.evaluate(lambda: x * 2))
print(t.evaluate(None))
s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
print(t.evaluate(s))
show(lambda: t.evaluate(3))
with t.cached_session() as sess:
    print(type(sess).__name__, sess.run(x + 1))
    show(lambda: sess.run(x, feed_dict={1: 2}))
    show(lambda: sess.run(x, options=None))
with t.session() as sess:
    print(type(sess).__name__)
    show(lambda: sess.run(x))
with t.test_session() as sess:
    print(sess)
d = t.get_temp_dir()
print(d == t.get_temp_dir(), __import__("os").path.isdir(d))
print(np.random.rand() == np.random.RandomState(87654321).rand())
t.setUp()
a = tf.random.uniform([2]).numpy()
t.setUp()
print(bool(np.all(a == tf.random.uniform([2]).numpy())))


class Skipping(tf.test.TestCase):
    @tf.test.disable_with_predicate(lambda: True, "always off")
    def test_off(self):
        raise AssertionError("ran")

    @tf.test.disable_with_predicate(lambda: False, "never off")
    def test_on(self):
        print("test_on ran")


result = unittest.TextTestRunner(stream=open(__import__("os").devnull, "w")).run(
    unittest.TestSuite([Skipping("test_off"), Skipping("test_on")]))
print(result.testsRun, [(type(c).__name__, why) for c, why in result.skipped], result.wasSuccessful())


@tf.test.with_eager_op_as_function
class A(tf.test.TestCase):
    pass


print(A.__name__, tf.test.with_eager_op_as_function(only_as_function=True)(A) is A)
print(tf.test.is_built_with_rocm(), tf.test.is_built_with_xla() in (True, False))

# compute_gradient: (theoretical, numerical), one Jacobian per argument, rows for y, columns for x
for f, args in [(lambda a: a * a, [x]),
                (lambda a, b: tf.matmul(a, b), [x, tf.constant([[1.0], [2.0]])]),
                (lambda a: tf.reduce_sum(a), [tf.constant([1.0, 2.0], tf.float64)]),
                (lambda a: a * 2.0, [tf.constant(3.0)]),
                (lambda a: tf.sin(a), [[0.5, 1.0]]),
                (lambda a, b: a * 3.0, [tf.constant([1.0]), tf.constant([2.0])]),
                (lambda a: tf.square(tf.abs(a)), [tf.constant([1 + 2j], tf.complex64)]),
                (lambda a: a * tf.constant(2 + 1j, tf.complex64), [tf.constant([1 + 2j], tf.complex64)]),
                (lambda a: tf.exp(a), [tf.constant([0.5], tf.float16)])]:
    theoretical, numerical = tf.test.compute_gradient(f, args)
    print(type(theoretical).__name__, len(theoretical), [(j.dtype.name, j.shape) for j in theoretical])
    print([np.round(j, 3).tolist() for j in theoretical], [np.round(j, 3).tolist() for j in numerical])
theoretical, numerical = tf.test.compute_gradient(lambda a: a * a, [x], delta=0.01)
print(numerical[0].tolist())
show(lambda: tf.test.compute_gradient(lambda a: a * a, x))
show(lambda: tf.test.compute_gradient(lambda a: a * a, [tf.constant([1, 2])]))
show(lambda: tf.test.compute_gradient(lambda a: tf.cast(a, tf.int32), [tf.constant([1.0])]))


class MyBench(tf.test.Benchmark):
    def benchmark_add(self):
        self.report_benchmark(iters=10, wall_time=0.5, cpu_time=0.25, throughput=3.0, extras={"b": "text"},
                              metrics=[{"name": "acc", "value": 0.9, "min_value": 0.1, "max_value": 1.0},
                                       {"name": "loss", "value": 2}])
        self.report_benchmark(extras={"a": 1.5})

    def benchmark_min(self):
        self.report_benchmark()
        self.report_benchmark(name="custom", iters=3)


MyBench().benchmark_add()
MyBench().benchmark_min()
show(lambda: MyBench().report_benchmark(extras=[1]))
show(lambda: MyBench().report_benchmark(metrics=[{"value": 1}]))
show(lambda: tf.test.Benchmark().report_benchmark(iters=1))
print(tf.test.Benchmark.is_abstract(), MyBench.is_abstract())
show(lambda: tf.test.experimental.sync_devices())
