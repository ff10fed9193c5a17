"""ef.test.TestCase's absltest part beyond the TF-recorded cases (api_test_case_absl.py, api_test_case_proto.py):
where temporary paths live and when they are removed (TEST_TMPDIR, cleanup policies under unittest's runner and
under pytest's, bad policies that create nothing), get_temp_dir's removal at exit, assertProtoEquals on unequal
messages (which TF 2.21 cannot show with protobuf >= 7), and run_op_benchmark's report file."""

import enum
import io
import os
import subprocess
import sys
import textwrap
import unittest

import pytest

import eagerflow as ef
from eagerflow.test.temp_paths import TempFileCleanup

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run(*tests):
    return unittest.TextTestRunner(stream=io.StringIO()).run(unittest.TestSuite(tests))


@pytest.fixture
def test_tmpdir(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_TMPDIR", str(tmp_path))
    return tmp_path


def test_paths_live_under_test_tmpdir_by_class_and_method(test_tmpdir):
    seen = {}

    class Paths(ef.test.TestCase):
        def test_it(self):
            seen["dir"] = self.create_tempdir("d").full_path
            seen["file"] = self.create_tempfile("f.txt", content="x").full_path
            seen["contents"] = sorted(os.listdir(test_tmpdir / Paths.__qualname__ / "test_it"))

    assert _run(Paths("test_it")).wasSuccessful()
    assert seen["dir"] == str(test_tmpdir / Paths.__qualname__ / "test_it" / "d")
    assert seen["file"] == str(test_tmpdir / Paths.__qualname__ / "test_it" / "f.txt")
    assert seen["contents"] == ["d", "f.txt"]
    assert not os.path.exists(seen["dir"]) and not os.path.exists(seen["file"])  # ALWAYS: gone after the test


def test_cleanup_policies_follow_the_result(test_tmpdir):
    made = {}

    class Policies(ef.test.TestCase):
        def _make(self):
            made[self._testMethodName] = {policy: self.create_tempdir(cleanup=policy).full_path
                                          for policy in TempFileCleanup}

        def test_pass(self):
            self._make()

        def test_fail(self):
            self._make()
            self.fail("on purpose")

        @unittest.expectedFailure
        def test_expected_failure(self):
            self._make()
            self.fail("expected")

        @unittest.expectedFailure
        def test_unexpected_success(self):
            self._make()

    result = _run(*(Policies(name) for name in ("test_pass", "test_fail", "test_expected_failure",
                                                  "test_unexpected_success")))
    assert len(result.failures) == 1 and len(result.expectedFailures) == 1
    exists = {name: {policy: os.path.exists(path) for policy, path in paths.items()} for name, paths in made.items()}
    kept_on_failure = {TempFileCleanup.ALWAYS: False, TempFileCleanup.SUCCESS: True, TempFileCleanup.OFF: True}
    removed_on_pass = {TempFileCleanup.ALWAYS: False, TempFileCleanup.SUCCESS: False, TempFileCleanup.OFF: True}
    assert exists["test_pass"] == removed_on_pass
    assert exists["test_fail"] == kept_on_failure
    assert exists["test_expected_failure"] == removed_on_pass  # a failure that was expected is a pass
    # unittest counts an unexpected success after the cleanups ran, so they saw no failure (as absl's)
    assert exists["test_unexpected_success"] == removed_on_pass


def test_policies_given_as_another_enum_or_as_values(test_tmpdir):
    class AbslLike(enum.Enum):  # absltest.TempFileCleanup has these values
        ALWAYS = "always"
        SUCCESS = "success"
        OFF = "never"

    made = []

    class Other(ef.test.TestCase):
        tempfile_cleanup = AbslLike.OFF

        def test_it(self):
            made.append(self.create_tempdir().full_path)
            made.append(self.create_tempfile(cleanup="always").full_path)

    assert _run(Other("test_it")).wasSuccessful()
    assert [os.path.exists(p) for p in made] == [True, False]


def test_a_bad_policy_creates_nothing(test_tmpdir):
    class Bad(ef.test.TestCase):
        def runTest(self):
            pass

    case = Bad()
    for make in (lambda: case.create_tempdir("x", cleanup="sometimes"),
                 lambda: case.create_tempfile("y.txt", content="z", cleanup=3)):
        with pytest.raises(AssertionError, match=r"Unexpected cleanup value: .*expected one of"):
            make()
    with pytest.raises(TypeError, match="content must be str or bytes, got int"):
        case.create_tempfile("z.txt", content=5)
    assert not os.path.exists(test_tmpdir / Bad.__qualname__ / "runTest" / "x")
    assert not os.path.exists(test_tmpdir / Bad.__qualname__ / "runTest" / "y.txt")
    assert not os.path.exists(test_tmpdir / Bad.__qualname__ / "runTest" / "z.txt")


def test_success_policy_needs_a_running_test_and_always_works_outside_one(test_tmpdir):
    class Outside(ef.test.TestCase):
        def runTest(self):
            pass

    case = Outside()
    with pytest.raises(RuntimeError, match="needs a running test"):
        case.create_tempdir(cleanup=TempFileCleanup.SUCCESS)
    path = case.create_tempdir().full_path  # registered as a cleanup: removed when the cleanups run
    assert os.path.isdir(path)
    case.doCleanups()
    assert not os.path.exists(path)


def test_cleanup_under_pytest(tmp_path):
    # pytest runs unittest cases with its own result object (no failure lists): SUCCESS still sees the result
    script = tmp_path / "test_under_pytest.py"
    record = tmp_path / "paths.txt"
    script.write_text(textwrap.dedent(f"""
        import eagerflow as ef
        from eagerflow.test.temp_paths import TempFileCleanup

        class UnderPytest(ef.test.TestCase):
            def _make(self):
                with open({str(record)!r}, "a") as f:
                    f.write(self._testMethodName + " " + self.create_tempdir(cleanup=TempFileCleanup.SUCCESS).full_path
                            + "\\n")

            def test_a_pass(self):
                self._make()

            def test_b_fail(self):
                self._make()
                self.fail("on purpose")
        """))
    env = dict(os.environ, TEST_TMPDIR=str(tmp_path / "tmp"), PYTHONPATH=CHECKOUT, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(script)], env=env,
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    paths = dict(line.split(" ", 1) for line in record.read_text().splitlines())
    assert not os.path.exists(paths["test_a_pass"])
    assert os.path.isdir(paths["test_b_fail"])


def test_get_temp_dir_is_removed_at_exit(tmp_path):
    code = ("import eagerflow as ef\nclass C(ef.test.TestCase):\n    def runTest(self): pass\n"
            "print(C().get_temp_dir())\n")
    env = dict(os.environ, TMPDIR=str(tmp_path), PYTHONPATH=CHECKOUT, PYTHONDONTWRITEBYTECODE="1")
    env.pop("TEST_TMPDIR", None)
    script = tmp_path / "my_script.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300)
    path = done.stdout.strip()
    assert os.path.basename(os.path.dirname(path)).startswith("my_script"), path  # named after the script
    assert os.path.dirname(os.path.dirname(path)) == str(tmp_path)
    assert not os.path.exists(os.path.dirname(path))


# ----------------------------------------------------------------------------- assertProtoEquals
@pytest.fixture
def pb():
    """protobuf's modules (the tests of assertProtoEquals need it; eagerflow does not)."""
    pytest.importorskip("google.protobuf")
    from google.protobuf import struct_pb2, text_format, wrappers_pb2

    return struct_pb2, text_format, wrappers_pb2


class _Case(ef.test.TestCase):
    def runTest(self):
        pass


def _multiline_failure(first, second, msg=None):
    """What assertMultiLineEqual (conformance-tested against TF) says for two texts."""
    with pytest.raises(AssertionError) as e:
        _Case().assertMultiLineEqual(first, second, msg=msg)
    return str(e.value)


def test_unequal_protos_fail_with_the_difference_of_their_text(pb):
    struct_pb2, text_format, _ = pb
    case = _Case()
    actual = struct_pb2.ListValue(values=[struct_pb2.Value(number_value=1.0), struct_pb2.Value(string_value="b")])
    expected_text = "values { number_value: 1.0 } values { string_value: 'c' }"
    expected = text_format.Parse(expected_text, struct_pb2.ListValue())
    with pytest.raises(AssertionError) as e:
        case.assertProtoEquals(expected_text, actual, msg="why")
    assert str(e.value) == _multiline_failure(text_format.MessageToString(expected),
                                              text_format.MessageToString(actual), msg="why")
    assert actual.values[1].string_value == "b" and len(actual.values) == 2  # the caller's message is unchanged


def test_proto_floats_are_normalized_and_compared_to_the_tolerance(pb):
    struct_pb2, _, wrappers_pb2 = pb
    case = _Case()
    case.assertProtoEquals("value: 1.00000001", wrappers_pb2.DoubleValue(value=1.0))  # doubles: 7 digits
    with pytest.raises(AssertionError):
        case.assertProtoEquals("value: 1.001", wrappers_pb2.DoubleValue(value=1.0))
    case.assertProtoEquals("value: 1.001", wrappers_pb2.DoubleValue(value=1.0), relative_tolerance=1e-2)
    case.assertProtoEquals("values { number_value: 100.5 }",
                           struct_pb2.ListValue(values=[struct_pb2.Value(number_value=100.0)]), relative_tolerance=1e-2)
    with pytest.raises(AssertionError):
        case.assertProtoEquals("value: nan", wrappers_pb2.DoubleValue(value=1.0), relative_tolerance=1.0)
    case.assertProtoEquals("value: inf", wrappers_pb2.DoubleValue(value=float("inf")), relative_tolerance=0.1)
    case.assertProtoEquals("value: 0.1", wrappers_pb2.FloatValue(value=0.1000001))  # floats: 6 digits


def test_proto_equals_needs_a_message(pb):
    with pytest.raises(TypeError, match="validate_message must be a protocol buffer message, got str"):
        _Case().assertProtoEquals("value: 1", "value: 1")


def test_proto_equals_version_puts_the_graph_versions_first():
    case = _Case()
    captured = {}
    case.assertProtoEquals = lambda expected, actual, msg=None: captured.update(text=expected)
    case.assertProtoEqualsVersion("node { name: 'a' }", None)
    assert captured["text"] == "versions { producer: 2474 min_consumer: 0 };\nnode { name: 'a' }"


# ----------------------------------------------------------------------------- run_op_benchmark's report
def test_run_op_benchmark_reports_the_median(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_REPORT_FILE_PREFIX", str(tmp_path / "r_"))
    runs = []

    class Session:
        def run(self, fetches, feed_dict=None):
            runs.append((fetches, feed_dict))

    class Bench(ef.test.Benchmark):
        def benchmark_it(self):
            return self.run_op_benchmark(Session(), "op", feed_dict={"x": 1}, burn_iters=3, min_iters=4,
                                         store_memory_usage=False, mbs=8)

    values = Bench().benchmark_it()
    assert runs == [("op", {"x": 1})] * 7
    assert values["iters"] == 4 and values["throughput"] == pytest.approx(8 / values["wall_time"])
    assert os.listdir(tmp_path) == ["r_Bench.benchmark_it"]
    assert values["extras"]["wall_time_mean"] > 0 and values["extras"]["wall_time_stdev"] >= 0
