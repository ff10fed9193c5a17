# tf.test.TestCase's methods from absltest.TestCase (assertLen, assertSameStructure, create_tempdir, ...) and
# TF's checkedThread, captureWritesToStream, assertDictEqual, assertStartsWith, Benchmark.run_op_benchmark:
# which calls pass, which fail, and the failure messages. The temporary paths need absl's flags parsed in
# TF, so the checks run as tests under tf.test.main().
import dataclasses
import io
import os
import sys
import tempfile
import unittest

import numpy as np
import tensorflow as tf


def show(f):
    try:
        f()
        print("OK")
    except Exception as e:
        print(type(e).__name__ + ":", str(e).replace(tempfile.gettempdir(), "<TMP>"))


def error_class(f):  # where eagerflow's message says more than TF's (the way out)
    try:
        f()
        print("OK")
    except Exception as e:
        print(type(e).__name__)


def first_line(f):
    try:
        f()
        print("OK")
    except Exception as e:
        text = str(e).strip()
        print(type(e).__name__ + ":", text.splitlines()[0] if text else "")


class Checks(tf.test.TestCase):
    def runTest(self):
        pass


t = Checks()
t.setUp()

print("--- strings and classes")
show(lambda: t.assertStartsWith("abc", "ab"))
show(lambda: t.assertStartsWith("abc", "b"))
show(lambda: t.assertStartsWith("abc", "b", msg="note"))
show(lambda: t.assertNotStartsWith("abc", "ab"))
show(lambda: t.assertNotStartsWith("abc", "ab", "note"))
show(lambda: t.assertEndsWith("abc", "bc"))
show(lambda: t.assertEndsWith("abc", "b", "note"))
show(lambda: t.assertNotEndsWith("abc", "c"))
show(lambda: t.assertIsSubclass(bool, int))
show(lambda: t.assertIsSubclass(int, (str, bytes)))
show(lambda: t.assertIsSubclass(3, int))
show(lambda: t.assertIsSubclass(int, str, "note"))
show(lambda: t.assertNotIsSubclass(bool, (str, int)))
show(lambda: t.assertNotIsSubclass(int, str))
show(lambda: t.assertRegexMatch("hello world", ["wor", "xyz"]))
show(lambda: t.assertRegexMatch("hello\nworld", ["^world$"]))
show(lambda: t.assertRegexMatch("hello", ["xyz", "abc"]))
show(lambda: t.assertRegexMatch("hello", "ell"))
show(lambda: t.assertRegexMatch("hello", []))
show(lambda: t.assertRegexMatch("hello", ["a", b"b"]))
show(lambda: t.assertRegexMatch(b"hello", ["ell"]))
show(lambda: t.assertRegexMatch("hello", [b"ell"]))
show(lambda: t.assertRegexMatch("hello", [1]))
show(lambda: t.assertContainsInOrder(["fox", "dog"], "the quick fox jumps over the dog"))
show(lambda: t.assertContainsInOrder(["dog", "fox"], "the quick fox jumps over the dog"))
show(lambda: t.assertContainsInOrder(["cat"], "the quick fox"))
show(lambda: t.assertContainsInOrder("fox", "the quick fox"))
show(lambda: t.assertMultiLineEqual("a\nb\n", "a\nb\n"))
show(lambda: t.assertMultiLineEqual("a\nb\nc", "a\nB\nc"))
show(lambda: t.assertMultiLineEqual("a\nb", "a\nc", msg="note"))
show(lambda: t.assertMultiLineEqual("1\n2\n3\n4\n", "5\n6\n7\n8\n", line_limit=3))
show(lambda: t.assertMultiLineEqual("a", "b", line_limit=1, other=2))
show(lambda: t.assertMultiLineEqual(1, "b"))
show(lambda: t.assertEqual("x\ny", "x\nz"))

print("--- containers")
show(lambda: t.assertEmpty([]))
show(lambda: t.assertEmpty([1, 2]))
show(lambda: t.assertEmpty(np.zeros(0)))
show(lambda: t.assertEmpty(3))
show(lambda: t.assertNotEmpty([1]))
show(lambda: t.assertNotEmpty({}))
show(lambda: t.assertNotEmpty(5, "note"))
show(lambda: t.assertLen([1, 2, 3], 3))
show(lambda: t.assertLen([1, 2, 3], 2))
show(lambda: t.assertLen("ab", 3, msg="note"))
show(lambda: t.assertLen(7, 1))
show(lambda: t.assertSequenceStartsWith([1, 2], [1, 2, 3]))
show(lambda: t.assertSequenceStartsWith(1, [1, 2, 3]))
show(lambda: t.assertSequenceStartsWith([2], [1, 2, 3]))
show(lambda: t.assertSequenceStartsWith([1, 2, 3, 4], [1, 2]))
show(lambda: t.assertSequenceStartsWith([], [1]))
show(lambda: t.assertSequenceStartsWith([], []))
show(lambda: t.assertSequenceStartsWith([1], {1: 2}))
show(lambda: t.assertSequenceStartsWith([1], 5))
show(lambda: t.assertSequenceAlmostEqual([1.0, 2.0], [1.0, 2.00000001]))
show(lambda: t.assertSequenceAlmostEqual([1.0, 2.0], [1.1, 2.5], places=3))
show(lambda: t.assertSequenceAlmostEqual([1.0, 2.0], [1.1, 2.05], delta=0.08))
show(lambda: t.assertSequenceAlmostEqual([1.0], [1.0, 2.0]))
show(lambda: t.assertContainsSubset([1, 2], [1, 2, 3]))
show(lambda: t.assertContainsSubset([1, 4], [1, 2, 3]))
show(lambda: t.assertContainsSubset({4}, {1, 2}, msg="note"))
show(lambda: t.assertNoCommonElements([1, 2], [3, 4]))
show(lambda: t.assertNoCommonElements([1, 2], [2, 3]))
show(lambda: t.assertSameElements([1, 1, 0], [0, 1]))
show(lambda: t.assertSameElements([1, 2, 3], [3, 4]))
show(lambda: t.assertSameElements([1, 2], [2, 3], msg="note"))
show(lambda: t.assertSameElements("ab", "ba"))
show(lambda: t.assertSameElements([[1], [2]], [[2], [1], [1]]))
show(lambda: t.assertSameElements([[1], [2], [5], [5]], [[2], [3], [3]]))
show(lambda: t.assertItemsEqual([1, 2, 2], [2, 1]))
show(lambda: t.assertContainsSubsequence([0, 1, 2, 0, 3], [1, 2, 3]))
show(lambda: t.assertContainsSubsequence([0, 1, 3, 0, 2], [1, 2, 3]))
show(lambda: t.assertContainsExactSubsequence([0, 1, 2, 3, 0], [1, 2, 3]))
show(lambda: t.assertContainsExactSubsequence([0, 1, 2, 0, 3], [1, 2, 3]))
show(lambda: t.assertContainsExactSubsequence([1], [1, 2]))

print("--- values and order")
show(lambda: t.assertBetween(2, 1, 3))
show(lambda: t.assertBetween(1, 1, 1))
show(lambda: t.assertBetween(5, 1, 3))
show(lambda: t.assertBetween(0, 1, 3, msg="note"))
show(lambda: t.assertTotallyOrdered([1], [2, 2.0], [3]))
show(lambda: t.assertTotallyOrdered([2], [1]))
show(lambda: t.assertTotallyOrdered([1, 2]))
show(lambda: t.assertTotallyOrdered([2], [1], msg="note"))


class BadHash:
    def __init__(self, x):
        self.x = x

    def __eq__(self, other):
        return isinstance(other, BadHash)

    def __lt__(self, other):
        return False

    def __le__(self, other):
        return True

    def __gt__(self, other):
        return False

    def __ge__(self, other):
        return True

    def __hash__(self):
        return self.x

    def __repr__(self):
        return f"BadHash({self.x})"


show(lambda: t.assertTotallyOrdered([BadHash(1), BadHash(2)]))

print("--- mappings and structures")
show(lambda: t.assertDictContainsSubset({"a": 1}, {"a": 1, "b": 2}))
show(lambda: t.assertDictContainsSubset({"a": 2, "c": 3}, {"a": 1, "b": 2}))
show(lambda: t.assertDictAlmostEqual({"a": 1.0, "b": "x"}, {"a": 1.00000001, "b": "x"}))
show(lambda: t.assertDictAlmostEqual({"a": 1.0}, {"a": 1.1}, places=3))
show(lambda: t.assertDictAlmostEqual({"a": 1.0}, {"a": 1.1}, delta=0.2))
show(lambda: t.assertDictAlmostEqual({"a": 1.0}, {"a": 1.1}, delta=0.2, places=3))
show(lambda: t.assertDictAlmostEqual({"a": 1, "b": 2}, {"b": 3, "c": 4}))
show(lambda: t.assertDictAlmostEqual([1], {"a": 1}))
show(lambda: t.assertMappingEqual({"a": 1}, {"a": 1}))
show(lambda: t.assertMappingEqual({"a": 1, "z": 0}, {"a": 2, "y": 0}, msg="note"))
show(lambda: t.assertMappingEqual({"a": 1}, [("a", 1)]))
show(lambda: t.assertDictEqual({"a": 1}, {"a": 1}))
first_line(lambda: t.assertDictEqual({"a": 1}, {"a": 2}))
show(lambda: t.assertDictEqual({"a": 1}, {"b": 1}))
show(lambda: t.assertDictEqual({"a": tf.constant([1.0, 2.0])}, {"a": np.array([1.0, 2.0])}))
first_line(lambda: t.assertDictEqual({"a": tf.constant([1.0, 2.0])}, {"a": np.array([1.0, 2.5])}))
show(lambda: t.assertEqual({"a": [1, 2]}, {"a": [1, 2]}))
first_line(lambda: t.assertEqual({"a": 1}, {"a": 3}))


@dataclasses.dataclass
class Point:
    x: int
    y: int
    label: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass
class Other:
    x: int


show(lambda: t.assertDataclassEqual(Point(1, 2, "a"), Point(1, 2, "b")))
show(lambda: t.assertDataclassEqual(Point(1, 2), Point(1, 3)))
show(lambda: t.assertDataclassEqual(Point(1, 2), Other(1)))
show(lambda: t.assertDataclassEqual(Point(1, 2), (1, 2)))
show(lambda: t.assertDataclassEqual(Point, Point(1, 2)))
show(lambda: t.assertSameStructure({"a": [1, 2], "b": {3}}, {"a": [1, 2], "b": {3}}))
show(lambda: t.assertSameStructure({"a": [1, 2], "b": {"c": 3}}, {"a": [1, 5, 6], "b": {"d": 3}}))
show(lambda: t.assertSameStructure([1, (2, 3)], (1, [2, 4]), aname="x", bname="y"))
show(lambda: t.assertSameStructure({1, 2}, frozenset({2, 3})))
show(lambda: t.assertSameStructure({"a": 1}, [1], msg="note"))
show(lambda: t.assertSameStructure("ab", "ac"))
show(lambda: t.assertSameStructure(list(range(30)), list(range(1, 31))))
show(lambda: t.assertJsonEqual('{"a": [1, 2]}', '{"a": [1, 2]}'))
show(lambda: t.assertJsonEqual('{"a": [1, 2]}', '{"a": [1, 3], "b": null}'))
first_line(lambda: t.assertJsonEqual('{"a": ', '{}'))
first_line(lambda: t.assertJsonEqual('{}', '[1,'))
show(lambda: t.assertUrlEqual("http://a.com/p?x=1&y=2#f", "http://a.com/p?y=2&x=1#f"))
show(lambda: t.assertUrlEqual("http://a.com/p?x=1", "http://b.com/p?x=1"))
show(lambda: t.assertUrlEqual("http://a.com/p?x=1", "http://a.com/p?x=2"))

print("--- errors and commands")


def raise_value_error(text="bad value"):
    raise ValueError(text)


show(lambda: t.assertRaisesWithLiteralMatch(ValueError, "bad value", raise_value_error))
show(lambda: t.assertRaisesWithLiteralMatch(ValueError, "bad", raise_value_error))
show(lambda: t.assertRaisesWithLiteralMatch(ValueError, "x", raise_value_error, text="x"))
show(lambda: t.assertRaisesWithLiteralMatch(ValueError, "x", lambda: None))
show(lambda: t.assertRaisesWithLiteralMatch(TypeError, "x", raise_value_error))


def literal_context():
    with t.assertRaisesWithLiteralMatch(ValueError, "bad value") as context:
        raise_value_error()
    print(type(context.exception).__name__, context.exception)


show(literal_context)


def predicate_context(exception_type, pattern, body):
    def run():
        with t.assertRaisesWithPredicateMatch(exception_type, pattern):
            body()
    return run


show(predicate_context(ValueError, "bad", raise_value_error))
show(predicate_context(ValueError, "good", raise_value_error))
show(predicate_context(ValueError, "bad", lambda: None))
show(predicate_context(TypeError, "bad", raise_value_error))
show(predicate_context(ValueError, lambda e: "value" in str(e), raise_value_error))
show(lambda: t.assertCommandSucceeds("echo hello"))
show(lambda: t.assertCommandSucceeds(["echo", "hello"], regexes=["hel+o"]))
show(lambda: t.assertCommandSucceeds("echo hello", regexes=[b"bye"]))
show(lambda: t.assertCommandSucceeds("echo oops; exit 3"))
show(lambda: t.assertCommandSucceeds("echo $FOO", regexes=[b"^bar$"], env={"FOO": "bar"}))
show(lambda: t.assertCommandSucceeds("echo \"[$HOME]\"", regexes=[b"^\\[\\]$"]))
show(lambda: t.assertCommandFails("echo oops; exit 3", [b"oops"]))
show(lambda: t.assertCommandFails("echo oops; exit 3", ["nothing"]))
show(lambda: t.assertCommandFails(["true"], [b""], msg="note"))

print("--- evaluate_if_both_tensors")
v = tf.Variable([1.0])
c = tf.constant([2.0])
for a, b in [(v, v), (c, c), (v, c), (1, 2)]:
    r = t.evaluate_if_both_tensors(a, b)
    print(type(r).__name__, [isinstance(x, np.ndarray) for x in r], r[0] is a, r[1] is b)

print("--- shortDescription and attributes")


class Described(tf.test.TestCase):
    def test_doc(self):
        """First line.

        More lines.
        """

    def test_nodoc(self):
        pass


print(Described("test_doc").shortDescription().replace("__main__.", ""))
print(Described("test_nodoc").shortDescription().replace("__main__.", ""))
print(tf.test.TestCase.maxDiff, tf.test.TestCase.longMessage, tf.test.TestCase.tempfile_cleanup.value)
print(sorted(member.value for member in type(tf.test.TestCase.tempfile_cleanup)))
show(lambda: t.fail("standard", "user"))
show(lambda: t.fail("standard"))
show(lambda: t.fail())


class Bench(tf.test.Benchmark):
    def benchmark_run(self):
        with t.cached_session() as sess:
            os.environ["TEST_REPORT_FILE_PREFIX"] = os.path.join(tempfile.mkdtemp(), "report_")
            try:
                extras = {"a": 1}
                r = self.run_op_benchmark(sess, c + 1.0, store_memory_usage=False, min_iters=3, name="n",
                                          extras=extras, mbs=2)
                print(sorted(r), r["iters"], r["name"], sorted(r["extras"]), r["extras"] is extras,
                      r["wall_time"] > 0, r["throughput"] == 2 / r["wall_time"])
                print(sorted(os.listdir(os.path.dirname(os.environ["TEST_REPORT_FILE_PREFIX"]))))
                error_class(lambda: self.run_op_benchmark(sess, c))
                error_class(lambda: self.run_op_benchmark(sess, c, store_memory_usage=False, store_trace=True))
                error_class(lambda: self.run_op_benchmark(sess, c, store_memory_usage=False, feed_dict={1: 2}))
                first_line(lambda: self.run_op_benchmark(None, c))
                r = self.run_op_benchmark(sess, c, store_memory_usage=False, min_iters=0, name="zero")
                print(r["wall_time"], r["throughput"], r["extras"])
                r = self.run_op_benchmark(sess, c, store_memory_usage=False, min_iters=1, name="one")
                print(r["extras"]["wall_time_stdev"], r["extras"]["wall_time_mean"] == r["wall_time"])
            finally:
                del os.environ["TEST_REPORT_FILE_PREFIX"]


Bench().benchmark_run()


def relative(path):
    return os.path.relpath(os.fspath(path), tempfile.gettempdir())


class TempPaths(tf.test.TestCase):
    def test_1_paths(self):
        print("--- create_tempdir and create_tempfile")
        d = self.create_tempdir()
        print(type(d).__name__, os.path.isdir(d), os.fspath(d) == d.full_path, isinstance(d.full_path, str))
        print(relative(os.path.dirname(d.full_path)))
        named = self.create_tempdir("named")
        print(relative(named))
        named.create_file("old.txt", "left over")
        print(sorted(os.listdir(self.create_tempdir("named"))))  # cleared when made again
        f = d.create_file("sub/inner.txt", content="h\u00e9llo")
        print(type(f).__name__, relative(f).split(os.sep)[-2:], f.read_text(), f.read_bytes())
        f.write_text(" more", mode="a")
        print(f.read_text())
        f.write_bytes(b"\x00\x01")
        print(f.read_bytes())
        with f.open_text("w") as handle:
            handle.write("via open_text")
        with f.open_bytes() as handle:
            print(handle.read())
        show(lambda: f.open_text("rb"))
        show(lambda: f.open_bytes("rt"))
        unnamed = d.create_file()
        print(os.path.dirname(unnamed.full_path) == d.full_path, unnamed.read_bytes())
        print(d.create_file("latin.txt", content="\u00e9", encoding="latin-1").read_bytes())
        print(d.create_file("bytes.bin", content=b"\xff\xfe").read_bytes())
        print(d.create_file("bad.txt", content="\u00e9x", encoding="ascii", errors="ignore").read_bytes())
        sub = d.mkdir("a/b")
        print(type(sub).__name__, relative(sub).split(os.sep)[-2:], os.path.isdir(sub))
        print(os.path.dirname(d.mkdir().full_path) == d.full_path)
        tf_file = self.create_tempfile("x/y/z.txt", content="text")
        print(relative(tf_file), tf_file.read_text())
        tf_file = self.create_tempfile(content=b"bin", mode="wb")
        print(relative(os.path.dirname(tf_file)), tf_file.read_bytes())
        print(self.create_tempfile("x/y/z.txt").read_text() == "")
        os.chmod(self.create_tempfile("ro.txt", content="1").full_path, 0o444)
        print(self.create_tempfile("ro.txt", content="2").read_text())
        print(self.create_tempfile("enc.txt", content="\u00e9", encoding="utf-16").read_bytes())
        show(lambda: self.create_tempfile("bad.txt", content="x", mode="r"))
        error_class(lambda: self.create_tempdir(cleanup="sometimes"))

    def test_2_cleanup(self):
        print("--- cleanup")
        Cleanup = type(tf.test.TestCase.tempfile_cleanup)
        made = {}

        class Inner(tf.test.TestCase):
            def make(self):
                made[self._testMethodName] = {
                    "always": self.create_tempdir().full_path,
                    "always_named": self.create_tempdir("named/deeper").full_path,
                    "success": self.create_tempdir(cleanup=Cleanup.SUCCESS).full_path,
                    "off": self.create_tempfile(cleanup=Cleanup.OFF).full_path,
                    "nested": self.create_tempfile("top/mid/leaf.txt").full_path,
                    "file_success": self.create_tempfile(cleanup=Cleanup.SUCCESS).full_path,
                }

            def test_fails(self):
                self.make()
                self.fail("on purpose")

            def test_passes(self):
                self.make()

            def test_skipped(self):
                self.make()
                self.skipTest("skipped")

            def test_errors(self):
                self.make()
                raise RuntimeError("boom")

            def test_subtest_fails(self):
                self.make()
                with self.subTest(i=1):
                    self.fail("in a subtest")

        result = unittest.TextTestRunner(stream=io.StringIO()).run(unittest.TestLoader().loadTestsFromTestCase(Inner))
        print(result.testsRun, len(result.failures), len(result.errors), len(result.skipped))
        for test_name in sorted(made):
            paths = made[test_name]
            print(test_name, {key: os.path.exists(path) for key, path in sorted(paths.items())})
            print("  top of nested kept:", os.path.exists(os.path.dirname(os.path.dirname(paths["nested"]))),
                  "named root kept:", os.path.exists(os.path.dirname(paths["always_named"])))
        print(relative(os.path.dirname(made["test_passes"]["always"])))

        class KeepAll(tf.test.TestCase):
            tempfile_cleanup = Cleanup.OFF

            def test_keep(self):
                made["keep"] = (self.create_tempdir().full_path,
                                self.create_tempdir(cleanup=Cleanup.ALWAYS).full_path)

        unittest.TextTestRunner(stream=io.StringIO()).run(KeepAll("test_keep"))
        print("class OFF:", [os.path.exists(p) for p in made["keep"]])

        class Instance(tf.test.TestCase):
            def test_instance(self):
                self.tempfile_cleanup = Cleanup.SUCCESS
                made["instance"] = self.create_tempdir().full_path
                self.fail("keep it")

        unittest.TextTestRunner(stream=io.StringIO()).run(Instance("test_instance"))
        print("instance SUCCESS, failed:", os.path.exists(made["instance"]))

    def test_3_context_and_properties(self):
        print("--- enter_context, record_property")
        log = []

        class Manager:
            def __init__(self, name):
                self.name = name

            def __enter__(self):
                log.append("enter " + self.name)
                return self.name.upper()

            def __exit__(self, *exc):
                log.append(f"exit {self.name} {exc}")
                return False

        class Inner(tf.test.TestCase):
            @classmethod
            def setUpClass(cls):
                super().setUpClass()
                log.append(cls.enter_context(Manager("cls")))

            def test_it(self):
                log.append(self.enter_context(Manager("a")))
                log.append(self.enter_context(Manager("b")))
                self.record_property("key", 1)
                with self.subTest(i=3):
                    self.record_property("sub", 2)
                    log.append(sorted(self.get_recorded_properties().items()))
                log.append(sorted(self.get_recorded_properties().items()))

            def tearDown(self):
                log.append("tearDown")
                super().tearDown()

        unittest.TextTestRunner(stream=io.StringIO()).run(unittest.TestSuite([Inner("test_it")]))
        for entry in log:
            print(entry)
        show(lambda: t.enter_context(3))

    def test_4_threads_and_streams(self):
        print("--- checkedThread, captureWritesToStream")
        out = []
        thread = self.checkedThread(target=lambda a, b=0: out.append(a + b), args=(1,), kwargs={"b": 2})
        print(thread.is_alive())
        thread.start()
        thread.join()
        print(out, thread.is_alive())

        class Inner(tf.test.TestCase):
            def test_raises(self):
                thread = self.checkedThread(target=raise_value_error)
                thread.start()
                thread.join()

            def test_not_joined(self):
                self.checkedThread(target=lambda: None).start()

            def test_not_started(self):
                self.checkedThread(target=lambda: None)

        result = unittest.TextTestRunner(stream=io.StringIO()).run(unittest.TestLoader().loadTestsFromTestCase(Inner))
        for test, trace in result.failures + result.errors:
            print(test.id().split(".")[-1], trace.strip().splitlines()[-1])
        with self.captureWritesToStream(sys.stdout) as captured:
            print("captured text", flush=True)
            os.write(sys.stdout.fileno(), b"raw bytes\n")
        print(type(captured).__name__, repr(captured.contents()))
        print(os.path.dirname(self.get_temp_dir()) != self.get_temp_dir(), self.get_temp_dir() == self.get_temp_dir())


if __name__ == "__main__":
    tf.test.main()
