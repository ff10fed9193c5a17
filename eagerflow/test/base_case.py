"""`BaseTestCase`: what TF's `tf.test.TestCase` inherits from `absltest.TestCase`, without absl.

The general assertions (`assertLen`, `assertSameStructure`, `assertContainsSubset`, ...), temporary
files and directories cleaned up after the test (`create_tempdir`, `create_tempfile`), `enter_context`,
recorded properties, and absl's changes to unittest's own methods: `fail(msg, user_msg)`, the ndiff
failure text of `assertMultiLineEqual` (which `assertEqual` uses for strings), the per-key report of
`assertDictEqual`, a `shortDescription` that starts with the test's id, and `maxDiff = 1600`. Failure
messages are absl's word for word.
"""

import dataclasses
import difflib
import itertools
import numbers
import os
import re
import tempfile
import unittest
import unittest.util
from collections import abc

from eagerflow.test import temp_paths

__all__ = ["BaseTestCase"]

_TEXT = (str, bytes)


class _InstanceOrClassMethod:
    """A method that runs one function when called on an instance and another when called on the class."""

    def __init__(self, on_instance, on_class):
        self._on_instance, self._on_class = on_instance, on_class
        self.__doc__ = on_instance.__doc__

    def __get__(self, obj, owner):
        if obj is None:
            return self._on_class.__get__(owner, owner)
        return self._on_instance.__get__(obj, owner)


def _enter(manager, add_cleanup):
    """Enter `manager` and register its exit (with no exception information) as a cleanup."""
    kind = type(manager)
    try:
        enter, leave = kind.__enter__, kind.__exit__
    except AttributeError:
        raise TypeError(f"'{kind.__module__}.{kind.__qualname__}' object does not support the context manager "
                        f"protocol") from None
    value = enter(manager)
    add_cleanup(leave, manager, None, None, None)
    return value


def _quote_long_string(text):
    """`text` between scissors lines, so its start and end show in a failure message."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            text = str(text)
    return "8<-----------\n" + text + "\n" + "----------->8\n"


def command_string(command):
    """`command` (a string or a list of words) as one shell command line, each word quoted."""
    if isinstance(command, str):
        return command
    if os.name == "nt":
        return " ".join(command)
    return " ".join("'" + word.replace("'", "'\"'\"'") + "'" for word in command)


def command_output(command, env=None, close_fds=True):
    """(exit status, stdout and stderr together as bytes) of `command`; a string runs through /bin/sh.
    `env=None` runs it with an empty environment (hermetic, unlike subprocess's default)."""
    import subprocess

    if os.name == "nt":
        close_fds = False  # Windows cannot close the descriptors while redirecting the standard handles
    use_shell = isinstance(command, str)
    stdin = None
    if use_shell and os.name != "nt":  # on stdin, a command longer than the argument limit still runs
        stdin, command, use_shell = command.encode(), ["/bin/sh"], False
    done = subprocess.run(command, close_fds=close_fds, env={} if env is None else env, shell=use_shell,
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    return done.returncode, done.stdout


def _sorted_difference(expected, actual):
    """(in `expected` only, in `actual` only) of two sorted lists: each element once while both lists last."""
    missing, unexpected = [], []
    i = j = 0
    while i < len(expected) and j < len(actual):
        e, a = expected[i], actual[j]
        if e < a:
            missing.append(e)
        elif a < e:
            unexpected.append(a)
        if not a < e:
            while i < len(expected) and expected[i] == e:
                i += 1
        if not e < a:
            while j < len(actual) and actual[j] == a:
                j += 1
    missing.extend(expected[i:])  # the rest of the longer list as it is, repeats included (as absl)
    unexpected.extend(actual[j:])
    return missing, unexpected


def _comparable_kinds(a, b):
    """Whether `a` and `b` of different types still compare as the same kind of structure."""
    def sequence(x):
        return isinstance(x, abc.Sequence) and not isinstance(x, _TEXT)
    return ((isinstance(a, int) and isinstance(b, int)) or (sequence(a) and sequence(b))
            or (isinstance(a, abc.Set) and isinstance(b, abc.Set))
            or (isinstance(a, abc.Mapping) and isinstance(b, abc.Mapping)))


def _structure_problems(a, b, aname, bname, problems, leaf_equal, failure):
    """Append to `problems` every place where the nested dicts/lists/sets `a` and `b` differ."""
    if type(a) is not type(b) and not _comparable_kinds(a, b):
        problems.append(f"{aname} is a {type(a)!r} but {bname} is a {type(b)!r}")
        return
    if isinstance(a, abc.Set):
        problems.extend(f"{aname} has {k!r} but {bname} does not" for k in a if k not in b)
        problems.extend(f"{aname} lacks {k!r} but {bname} has it" for k in b if k not in a)
    elif isinstance(a, abc.Mapping):  # `in`, never b[k] for a missing k: a defaultdict must stay unchanged
        for k in a:
            if k in b:
                _structure_problems(a[k], b[k], f"{aname}[{k!r}]", f"{bname}[{k!r}]", problems, leaf_equal, failure)
            else:
                problems.append(f"{aname} has [{k!r}] with value {a[k]!r} but it's missing in {bname}")
        problems.extend(f"{aname} lacks [{k!r}] but {bname} has it with value {b[k]!r}" for k in b if k not in a)
    elif isinstance(a, abc.Sequence) and not isinstance(a, _TEXT):
        common = min(len(a), len(b))
        for i in range(common):
            _structure_problems(a[i], b[i], f"{aname}[{i:d}]", f"{bname}[{i:d}]", problems, leaf_equal, failure)
        problems.extend(f"{aname} has [{i:d}] with value {a[i]!r} but {bname} does not" for i in range(common, len(a)))
        problems.extend(f"{aname} lacks [{i:d}] but {bname} has it with value {b[i]!r}" for i in range(common, len(b)))
    else:
        try:
            leaf_equal(a, b)
        except failure:
            problems.append(f"{aname} is {a!r} but {bname} is {b!r}")


class _FailureCounter:
    """A test result's stand-in that forwards everything to it and counts the failures, errors (subtests'
    included) and unexpected successes reported."""

    _COUNTED = frozenset({"addFailure", "addError", "addUnexpectedSuccess"})

    def __init__(self, result):
        self._result = result
        self.failures = 0

    def __getattr__(self, name):
        attribute = getattr(self._result, name)  # a method the result lacks stays missing (addSubTest, say)
        if name in self._COUNTED:
            def counted(*args, **kwargs):
                self.failures += 1
                return attribute(*args, **kwargs)
            return counted
        if name == "addSubTest":
            def counted_subtest(test, subtest, err):
                self.failures += err is not None
                return attribute(test, subtest, err)
            return counted_subtest
        return attribute


class BaseTestCase(unittest.TestCase):
    """unittest's TestCase with absltest's additions (the base of `ef.test.TestCase`).

    >>> import io, os, unittest
    >>> class FileTest(ef.test.TestCase):
    ...     def test_write(self):
    ...         log = self.create_tempdir().create_file("log.txt", content="ok")
    ...         self.assertEqual(log.read_text(), "ok")
    ...         self.assertLen(os.listdir(os.path.dirname(log)), 1)
    ...         self.assertSameStructure({"a": [1, 2]}, {"a": [1, 2]})
    >>> unittest.TextTestRunner(stream=io.StringIO()).run(FileTest("test_write")).wasSuccessful()
    True
    >>> ef.random.set_seed(None)  # setUp seeded the global generator, as TF's does
    """

    # When create_tempdir/create_tempfile paths are removed; a class, an instance or the `cleanup=` argument
    # may change it (eagerflow.test.temp_paths.TempFileCleanup, or absltest's enum of the same values).
    tempfile_cleanup = temp_paths.TempFileCleanup.ALWAYS
    maxDiff = 80 * 20
    longMessage = True

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        self._recorded_properties = {}
        self._subtest_properties = {}

    # ------------------------------------------------------------------ recorded properties
    def _current_subtest(self):
        return getattr(self, "_subtest", None)

    def get_recorded_properties(self, subtest=None):
        """The properties recorded with `record_property`: the test's, updated with the running subtest's;
        given `subtest`, only that subtest's."""
        if subtest:
            return dict(self._subtest_properties.get(subtest.id(), {}))
        properties = dict(self._recorded_properties)
        running = self._current_subtest()
        if running:
            properties.update(self._subtest_properties.get(running.id(), {}))
        return properties

    def record_property(self, property_name, property_value):
        """Record a property (a name and a value for test reports) of the running subtest, or of the test."""
        running = self._current_subtest()
        target = (self._subtest_properties.setdefault(running.id(), {}) if running
                  else self._recorded_properties)
        target[property_name] = property_value

    # ------------------------------------------------------------------ temporary paths
    @classmethod
    def _tempdir_path_cls(cls):
        return os.path.join(temp_paths.test_tmpdir(), cls.__qualname__)

    def _tempdir_path_test(self):
        return os.path.join(self._tempdir_path_cls(), self._testMethodName)

    def create_tempdir(self, name=None, cleanup=None):
        """A directory for this test only (`name` relative to the test's directory, cleared first; unnamed:
        a unique one), removed after the test as `cleanup` (default: `tempfile_cleanup`) says.

        It has `full_path`, `create_file(...)` and `mkdir(...)`, and is a path (`os.fspath`)."""
        policy = temp_paths.cleanup_policy(self.tempfile_cleanup if cleanup is None else cleanup)
        test_path = self._tempdir_path_test()
        if name:
            path = os.path.join(test_path, name)
            cleanup_path = os.path.join(test_path, temp_paths.first_part(name))
        else:
            os.makedirs(test_path, exist_ok=True)
            path = cleanup_path = tempfile.mkdtemp(dir=test_path)
        temp_paths.remove_path(cleanup_path)  # nothing left from an earlier run
        os.makedirs(path, exist_ok=True)
        self._remove_after_test(cleanup_path, policy)
        return temp_paths._TempDir(path)

    def create_tempfile(self, file_path=None, content=None, mode="w", encoding="utf8", errors="strict",
                        cleanup=None):
        """A file for this test only (`file_path` relative to the test's directory, parents made; unnamed: a
        unique name) holding `content` (str, written with `mode`, `encoding`, `errors`; or bytes), empty
        without it, removed after the test as `cleanup` (default: `tempfile_cleanup`) says.

        It has `full_path`, `read_text()`, `read_bytes()`, `write_text()`, `write_bytes()`, `open_text()`,
        `open_bytes()`, and is a path (`os.fspath`)."""
        policy = temp_paths.cleanup_policy(self.tempfile_cleanup if cleanup is None else cleanup)
        temp_file, cleanup_path = temp_paths._TempFile.create(self._tempdir_path_test(), file_path, content, mode,
                                                              encoding, errors)
        self._remove_after_test(cleanup_path, policy)
        return temp_file

    def _remove_after_test(self, path, policy):
        if policy is temp_paths.TempFileCleanup.ALWAYS:
            self.addCleanup(temp_paths.remove_path, path)
        elif policy is temp_paths.TempFileCleanup.SUCCESS:
            passed = self._passed_so_far()
            self.addCleanup(lambda: passed() and temp_paths.remove_path(path))

    def _passed_so_far(self):
        """A function telling, during the cleanups, whether the test has failed since this call."""
        counter = getattr(self, "_failure_counter", None)
        if counter is None or getattr(self, "_outcome", None) is None:
            raise RuntimeError("cleanup=TempFileCleanup.SUCCESS needs a running test: it removes the path when "
                               "the test passes, and only a test run by a unittest runner passes or fails.")
        before = counter.failures
        return lambda: counter.failures == before

    def run(self, result=None):
        """Run the test into `result` (unittest's), counting the failures reported to it on the way: the
        SUCCESS cleanups read the count (any result object, also ones without failure lists, as pytest's)."""
        own_result = result is None
        if own_result:  # as unittest does for a result it makes itself
            result = self.defaultTestResult()
            start = getattr(result, "startTestRun", None)
            if start is not None:
                start()
        self._failure_counter = _FailureCounter(result)
        try:
            super().run(self._failure_counter)
        finally:
            self._failure_counter = None
            if own_result:
                stop = getattr(result, "stopTestRun", None)
                if stop is not None:
                    stop()
        return result

    def _enter_context_instance(self, manager):
        """Enter the context manager `manager` and return its value; it is exited after this test's tearDown
        (called on the class: after tearDownClass), in reverse order, whatever the result."""
        return _enter(manager, self.addCleanup)

    @classmethod
    def _enter_context_cls(cls, manager):
        return _enter(manager, cls.addClassCleanup)

    enter_context = _InstanceOrClassMethod(_enter_context_instance, _enter_context_cls)

    # ------------------------------------------------------------------ unittest's, as absl changes them
    def fail(self, msg=None, user_msg=None):
        """Fail with the standard message `msg`, followed by ' : ' and `user_msg` when given."""
        super().fail(self._formatMessage(user_msg, msg))

    def shortDescription(self):
        """The test's id (without '__main__.'), then the first line of its docstring, if any."""
        description = self.id()
        if description.startswith("__main__."):
            description = description[len("__main__."):]
        doc = super().shortDescription()
        return description if doc is None else description + "\n" + doc

    def _getAssertEqualityFunc(self, first, second):
        if not hasattr(self, "_type_equality_funcs"):  # a subclass's __init__ did not call unittest's
            unittest.TestCase.__init__(self, getattr(self, "_testMethodName", "assertTrue"))
        return super()._getAssertEqualityFunc(first, second)

    def assertMultiLineEqual(self, first, second, msg=None, **kwargs):
        """Two strings are equal; the failure shows their line-by-line difference (ndiff), at most
        `line_limit` lines of it when given."""
        assert isinstance(first, str), f"First argument is not a string: {first!r}"
        assert isinstance(second, str), f"Second argument is not a string: {second!r}"
        line_limit = kwargs.pop("line_limit", 0)
        if kwargs:
            raise TypeError(f"Unexpected keyword args {tuple(kwargs)}")
        if first == second:
            return
        lines = [msg + ":\n" if msg else "\n"]
        for line in difflib.ndiff(first.splitlines(True), second.splitlines(True)):
            lines.append(line)
            if not line.endswith("\n"):
                lines.append("\n")  # counts as a line of its own against line_limit, as absl's
        limit = line_limit + 1 if line_limit else 0  # the header line is not counted
        if limit and len(lines) > limit:
            omitted = len(lines) - limit
            lines = lines[:limit] + [f"(... and {omitted} more delta lines omitted for brevity.)\n"]
        raise self.failureException("".join(lines))

    def assertItemsEqual(self, expected_seq, actual_seq, msg=None):
        """The same elements, counted, in any order (absl's old name of `assertCountEqual`)."""
        self.assertCountEqual(expected_seq, actual_seq, msg)

    def assertDictEqual(self, a, b, msg=None):
        """Two dicts have the same keys and equal values; the failure lists the unexpected, differing and
        missing entries."""
        self.assertMappingEqual(a, b, msg, mapping_type=dict)

    # ------------------------------------------------------------------ strings and classes
    def assertStartsWith(self, actual, expected_start, msg=None):
        """`actual.startswith(expected_start)`."""
        if not actual.startswith(expected_start):
            self.fail(f"{actual!r} does not start with {expected_start!r}", msg)

    def assertNotStartsWith(self, actual, unexpected_start, msg=None):
        """Not `actual.startswith(unexpected_start)`."""
        if actual.startswith(unexpected_start):
            self.fail(f"{actual!r} does start with {unexpected_start!r}", msg)

    def assertEndsWith(self, actual, expected_end, msg=None):
        """`actual.endswith(expected_end)`."""
        if not actual.endswith(expected_end):
            self.fail(f"{actual!r} does not end with {expected_end!r}", msg)

    def assertNotEndsWith(self, actual, unexpected_end, msg=None):
        """Not `actual.endswith(unexpected_end)`."""
        if actual.endswith(unexpected_end):
            self.fail(f"{actual!r} does end with {unexpected_end!r}", msg)

    def _subclass_check(self, cls, superclass, msg):
        try:
            return issubclass(cls, superclass)
        except TypeError:
            if not isinstance(cls, type):
                self.fail(self._formatMessage(msg, f"{cls!r} is not a class"))
            raise

    def assertIsSubclass(self, cls, superclass, msg=None):
        """`issubclass(cls, superclass)` (`superclass` may be a tuple of classes)."""
        if self._subclass_check(cls, superclass, msg):
            return
        which = "any of " if isinstance(superclass, tuple) else ""
        self.fail(self._formatMessage(msg, f"{cls!r} is not a subclass of {which}{superclass!r}"))

    def assertNotIsSubclass(self, cls, superclass, msg=None):
        """Not `issubclass(cls, superclass)` (`superclass` may be a tuple of classes)."""
        if not self._subclass_check(cls, superclass, msg):
            return
        if isinstance(superclass, tuple):
            superclass = next(c for c in superclass if issubclass(cls, c))
        self.fail(self._formatMessage(msg, f"{cls!r} is a subclass of {superclass!r}"))

    def assertRegexMatch(self, actual_str, regexes, message=None):
        """Some regex of the list `regexes` matches somewhere in `actual_str` (multi-line: '^' and '$' match
        at each line); str regexes and bytes text (or the reverse) are converted through UTF-8."""
        if isinstance(regexes, _TEXT):
            self.fail("regexes is string or bytes; use assertRegex instead.", message)
        if not regexes:
            self.fail("No regexes specified.", message)
        kind = type(regexes[0])
        if any(type(r) is not kind for r in regexes[1:]):
            self.fail("regexes list must all be the same type.", message)
        if kind is bytes and isinstance(actual_str, str):
            regexes, kind = [r.decode("utf-8") for r in regexes], str
        elif kind is str and isinstance(actual_str, bytes):
            regexes, kind = [r.encode("utf-8") for r in regexes], bytes
        if kind is str:
            pattern = "(?:" + ")|(?:".join(regexes) + ")"
        elif kind is bytes:
            pattern = b"(?:" + b")|(?:".join(regexes) + b")"
        else:
            self.fail("Only know how to deal with unicode str or bytes regexes.", message)
        if not re.search(pattern, actual_str, re.MULTILINE):
            self.fail(f'"{actual_str}" does not contain any of these regexes: {regexes}.', message)

    def assertContainsInOrder(self, strings, target, msg=None):
        """The strings (or one string) occur in `target` in this order (each found from where the previous
        one starts)."""
        if isinstance(strings, _TEXT):
            strings = (strings,)
        position, previous = 0, None
        for string in strings:
            found = target.find(str(string), position)
            if found == -1:
                where = "" if position == 0 else f" after {previous!r}"
                self.fail(f"Did not find {string!r}{where} in {target!r}", msg)
            previous, position = string, found

    # ------------------------------------------------------------------ containers
    def _sized(self, container, msg):
        if not isinstance(container, abc.Sized):
            self.fail(f"Expected a Sized object, got: {type(container).__name__!r}", msg)

    def assertEmpty(self, container, msg=None):
        """`len(container) == 0` (a NumPy array counts by its length, not its truth value)."""
        self._sized(container, msg)
        if len(container):
            self.fail(f"{container!r} has length of {len(container)}.", msg)

    def assertNotEmpty(self, container, msg=None):
        """`len(container) > 0`."""
        self._sized(container, msg)
        if not len(container):
            self.fail(f"{container!r} has length of 0.", msg)

    def assertLen(self, container, expected_len, msg=None):
        """`len(container) == expected_len`."""
        self._sized(container, msg)
        if len(container) != expected_len:
            self.fail(f"{unittest.util.safe_repr(container)} has length of {len(container)}, expected "
                      f"{expected_len}.", msg)

    def assertSequenceStartsWith(self, prefix, whole, msg=None):
        """`whole` begins with the elements of `prefix` (a non-sequence `prefix` is one element)."""
        try:
            prefix_len = len(prefix)
        except (TypeError, NotImplementedError):
            prefix, prefix_len = [prefix], 1
        if isinstance(whole, (abc.Mapping, abc.Set)):
            self.fail(f"For whole: Mapping or Set objects are not supported, found type: {type(whole)}", msg)
        try:
            whole_len = len(whole)
        except (TypeError, NotImplementedError):
            self.fail(f"For whole: len({whole}) is not supported, it appears to be type: {type(whole)}", msg)
        if prefix_len > whole_len:
            raise self.failureException(self._formatMessage(
                msg, f"Prefix length ({prefix_len}) is longer than whole length ({whole_len})."))
        if not prefix_len and whole_len:
            self.fail(f"Prefix length is 0 but whole length is {whole_len}: {whole}", msg)
        try:
            self.assertSequenceEqual(prefix, whole[:prefix_len], msg)
        except AssertionError:
            self.fail(f"prefix: {prefix} not found at start of whole: {whole}.", msg)

    def assertSequenceAlmostEqual(self, expected_seq, actual_seq, places=None, msg=None, delta=None):
        """Equally long sequences whose elements are `assertAlmostEqual` (to `places`, default 7, or within
        `delta`); the failure lists every index that differs (at most 30)."""
        if len(expected_seq) != len(actual_seq):
            self.fail(f"Sequence size mismatch: {len(expected_seq)} vs {len(actual_seq)}", msg)
        problems = []
        for index, (expected, actual) in enumerate(zip(expected_seq, actual_seq)):
            try:
                self.assertAlmostEqual(expected, actual, places=places, msg=msg, delta=delta)
            except self.failureException as e:
                problems.append(f"At index {index}: {e}")
        if problems:
            if len(problems) > 30:
                problems = problems[:30] + ["..."]
            self.fail(self._formatMessage(msg, "\n".join(problems)))

    def assertContainsSubset(self, expected_subset, actual_set, msg=None):
        """Every element of `expected_subset` is in `actual_set`."""
        missing = set(expected_subset) - set(actual_set)
        if missing:
            self.fail(f"Missing elements {missing}\nExpected: {expected_subset}\nActual: {actual_set}", msg)

    def assertNoCommonElements(self, expected_seq, actual_seq, msg=None):
        """`expected_seq` and `actual_seq` share no element."""
        common = set(expected_seq) & set(actual_seq)
        if common:
            self.fail(f"Common elements {common}\nExpected: {expected_seq}\nActual: {actual_seq}", msg)

    def assertSameElements(self, expected_seq, actual_seq, msg=None):
        """The same set of elements, duplicates ignored (`[1, 1, 0]` and `[0, 1]` pass); strings are refused
        (comparing their characters is almost always a mistake)."""
        if isinstance(expected_seq, _TEXT) or isinstance(actual_seq, _TEXT):
            self.fail("Passing string/bytes to assertSameElements is usually a bug. Did you mean to use "
                      f"assertEqual?\nExpected: {expected_seq}\nActual: {actual_seq}")
        try:
            expected = dict.fromkeys(expected_seq)
            actual = dict.fromkeys(actual_seq)
            missing = sorted(e for e in expected if e not in actual)
            unexpected = sorted(a for a in actual if a not in expected)
        except TypeError:  # unhashable elements: compare sorted lists instead
            missing, unexpected = _sorted_difference(sorted(expected_seq), sorted(actual_seq))
        if missing or unexpected:
            parts = [msg, ":\n"] if msg else []
            if missing:
                parts.append(f"Expected, but missing:\n  {missing!r}\n")
            if unexpected:
                parts.append(f"Unexpected, but present:\n  {unexpected!r}\n")
            self.fail("".join(parts))

    def assertContainsSubsequence(self, container, subsequence, msg=None):
        """The elements of `subsequence` occur in `container` in order, others possibly between them."""
        remaining = list(reversed(container))
        subsequence = list(subsequence)
        for element in subsequence:
            if element not in remaining:
                self.fail(f"{subsequence} not a subsequence of {container}. First non-matching element: "
                          f"{element}", msg)
            while element != remaining.pop():
                pass

    def assertContainsExactSubsequence(self, container, subsequence, msg=None):
        """The elements of `subsequence` occur in `container` in order and next to each other."""
        container, subsequence = list(container), list(subsequence)
        longest = 0
        for start in range(1 + len(container) - len(subsequence)):
            if longest == len(subsequence):
                break
            matched = 0
            while matched < len(subsequence) and subsequence[matched] == container[start + matched]:
                matched += 1
            longest = max(longest, matched)
        if longest < len(subsequence):
            self.fail(f"{subsequence} not an exact subsequence of {container}. Longest matching prefix: "
                      f"{subsequence[:longest]}", msg)

    # ------------------------------------------------------------------ values and order
    def assertBetween(self, value, minv, maxv, msg=None):
        """`minv <= value <= maxv`."""
        msg = self._formatMessage(msg, f'"{value!r}" unexpectedly not between "{minv!r}" and "{maxv!r}"')
        self.assertLessEqual(minv, value, msg)
        self.assertGreaterEqual(maxv, value, msg)

    def assertTotallyOrdered(self, *groups, **kwargs):
        """The comparison operators (and hashes) of the elements order them as given: each group holds equal
        elements, each less than every element of the groups after it. `msg=` may be given."""
        msg = kwargs.get("msg")

        def before(small, big):
            self.assertFalse(small == big, self._formatMessage(msg, f"{small!r} unexpectedly equals {big!r}"))
            self.assertTrue(small != big, self._formatMessage(msg, f"{small!r} unexpectedly equals {big!r}"))
            self.assertLess(small, big, msg)
            self.assertFalse(big < small, self._formatMessage(msg, f"{big!r} unexpectedly less than {small!r}"))
            self.assertLessEqual(small, big, msg)
            # absl passes these two the other way round: msg, when given, leads this one message
            self.assertFalse(big <= small, self._formatMessage(
                f"{big!r} unexpectedly less than or equal to {small!r}", msg))
            self.assertGreater(big, small, msg)
            self.assertFalse(small > big, self._formatMessage(msg, f"{small!r} unexpectedly greater than {big!r}"))
            self.assertGreaterEqual(big, small)
            self.assertFalse(small >= big, self._formatMessage(
                msg, f"{small!r} unexpectedly greater than or equal to {big!r}"))

        def equal(a, b):
            self.assertEqual(a, b, msg)
            self.assertFalse(a != b, self._formatMessage(msg, f"{a!r} unexpectedly unequals {b!r}"))
            if isinstance(a, abc.Hashable) and isinstance(b, abc.Hashable):  # equal objects hash alike
                self.assertEqual(hash(a), hash(b), self._formatMessage(
                    msg, f"hash {hash(a)} of {a!r} unexpectedly not equal to hash {hash(b)} of {b!r}"))
            for x, y in ((a, b), (b, a)):
                self.assertFalse(x < y, self._formatMessage(msg, f"{x!r} unexpectedly less than {y!r}"))
            self.assertLessEqual(a, b, msg)
            self.assertLessEqual(b, a, msg)
            for x, y in ((a, b), (b, a)):
                self.assertFalse(x > y, self._formatMessage(msg, f"{x!r} unexpectedly greater than {y!r}"))
            self.assertGreaterEqual(a, b, msg)
            self.assertGreaterEqual(b, a, msg)

        for elements in itertools.product(*groups):
            for index, small in enumerate(elements[:-1]):
                for big in elements[index + 1:]:
                    before(small, big)
        for group in groups:
            for a in group:
                equal(a, a)
            for a, b in itertools.product(group, group):
                equal(a, b)

    # ------------------------------------------------------------------ mappings and structures
    def assertDictContainsSubset(self, subset, dictionary, msg=None):
        """Every key of `subset` is in `dictionary` with an equal value."""
        self.assertDictEqual({**dictionary}, {**dictionary, **subset}, msg)

    def assertDictAlmostEqual(self, a, b, places=None, msg=None, delta=None):
        """Two dicts with the same keys; number values `assertAlmostEqual` (to `places`, default 7, or
        within `delta`), other values equal."""
        if delta is not None and places is not None:
            raise ValueError("specify delta or places not both\n")

        def close(x, y):
            try:
                if isinstance(x, numbers.Number) and isinstance(y, numbers.Number):
                    self.assertAlmostEqual(x, y, places=places, delta=delta)
                else:
                    self.assertEqual(x, y)
            except self.failureException as e:
                return False, e
            return True, None

        self.assertMappingEqual(a, b, msg, mapping_type=dict, check_values_equality=close)

    def assertMappingEqual(self, a, b, msg=None, mapping_type=abc.Mapping,
                           check_values_equality=lambda x, y: (x == y, None)):
        """Two mappings of `mapping_type` with the same keys, whose values satisfy `check_values_equality`
        (a function of two values giving (equal, exception or None)); the failure lists the unexpected,
        differing and missing entries."""
        for name, value in (("a", a), ("b", b)):
            if not isinstance(value, mapping_type):
                self.fail(f"{name} should be a {mapping_type.__name__}, found type: {type(value).__name__}", msg)
        if a == b:
            return

        def in_order(items):
            try:
                return sorted(items)
            except TypeError:
                return items

        missing, different = [], []
        for key, a_value in in_order(list(a.items())):
            if key not in b:
                missing.append((key, a_value))
                continue
            equal, error = check_values_equality(a_value, b[key])
            if not equal:
                different.append((key, a_value, b[key], error))
        unexpected = [(key, value) for key, value in in_order(list(b.items())) if key not in a]
        if not (missing or different or unexpected):
            return
        safe_repr = unittest.util.safe_repr

        def shown(mapping):  # sorted by repr: the same text on every run, whatever the keys' types
            entries = sorted((safe_repr(k), safe_repr(v)) for k, v in mapping.items())
            return "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"

        lines = [f"{shown(a)} != {shown(b)}" + (f"({msg})" if msg else "")]
        if unexpected:
            lines.append("Unexpected, but present entries:\n"
                         + "".join(f"{safe_repr(k)}: {safe_repr(v)}\n" for k, v in unexpected))
        if different:
            lines.append("repr() of differing entries:\n" + "".join(
                f"{safe_repr(k)}: {error if error else f'{safe_repr(x)} != {safe_repr(y)}'}\n"
                for k, x, y, error in different))
        if missing:
            lines.append("Missing entries:\n" + "".join(f"{safe_repr(k)}: {safe_repr(v)}\n" for k, v in missing))
        raise self.failureException("\n".join(lines))

    def assertDataclassEqual(self, first, second, msg=None):
        """Two dataclass instances are equal; the failure names the fields (those compared) that differ."""
        for which, value in (("First", first), ("Second", second)):
            if not dataclasses.is_dataclass(value) or isinstance(value, type):
                raise self.failureException(f"{which} argument {value!r} is not a dataclass instance.")
        if first == second:
            return
        if type(first) is not type(second):
            self.fail(f"Found different dataclass types: {type(first)} != {type(second)}", msg)
        safe_repr = unittest.util.safe_repr
        different = [(f.name, getattr(first, f.name), getattr(second, f.name)) for f in dataclasses.fields(first)
                     if f.compare and getattr(first, f.name) != getattr(second, f.name)]
        lines = [f"{safe_repr(first)} != {safe_repr(second)}"]
        if different:
            lines.append("Fields that differ:")
            lines += [f"{name}: {safe_repr(x)} != {safe_repr(y)}" for name, x, y in different]
        else:  # a custom __eq__ that disagrees with the fields
            lines.append("Cannot detect difference by examining the fields of the dataclass.")
        self.fail("\n".join(lines), msg)

    def assertSameStructure(self, a, b, aname="a", bname="b", msg=None):
        """Two trees of dicts, lists and sets hold equal leaves in the same places; the failure names every
        place that differs (`a['k'][0] is 1 but b['k'][0] is 2`), as many as `maxDiff // 80`."""
        problems = []
        _structure_problems(a, b, aname, bname, problems, self.assertEqual, self.failureException)
        if self.maxDiff is not None:
            shown = self.maxDiff // 80
            if len(problems) > shown:
                problems = problems[:shown - 1] + ["..."]
        if problems:
            self.fail("; ".join(problems), msg)

    def assertJsonEqual(self, first, second, msg=None):
        """Two JSON texts decode to the same structure (see `assertSameStructure`)."""
        import json

        decoded = []
        for which, text in (("first", first), ("second", second)):
            try:
                decoded.append(json.loads(text))
            except ValueError as e:
                raise ValueError(self._formatMessage(msg, f"could not decode {which} JSON value {text}: {e}")) from e
        self.assertSameStructure(decoded[0], decoded[1], aname="first", bname="second", msg=msg)

    def assertUrlEqual(self, a, b, msg=None):
        """Two URLs are equal, whatever the order of their query parameters."""
        from urllib import parse

        url_a, url_b = parse.urlparse(a), parse.urlparse(b)
        for part in ("scheme", "netloc", "path", "fragment"):
            self.assertEqual(getattr(url_a, part), getattr(url_b, part), msg)
        self.assertCountEqual(url_a.params.split(";"), url_b.params.split(";"), msg)
        self.assertDictEqual(parse.parse_qs(url_a.query, keep_blank_values=True),
                             parse.parse_qs(url_b.query, keep_blank_values=True), msg)

    # ------------------------------------------------------------------ errors and commands
    class _AssertRaisesContext:
        """The context of `assertRaisesWithLiteralMatch`: the expected exception, then a check of it."""

        def __init__(self, expected_exception, test_case, check, msg=None):
            self.expected_exception, self.test_case, self.check, self.msg = (expected_exception, test_case, check,
                                                                             msg)

        def __enter__(self):
            return self

        def __exit__(self, exc_type, exc_value, tb):
            if exc_type is None:
                self.test_case.fail(self.expected_exception.__name__ + " not raised", self.msg)
            if not issubclass(exc_type, self.expected_exception):
                return False
            self.check(exc_value)
            self.exception = exc_value.with_traceback(None)
            return True

    def assertRaisesWithLiteralMatch(self, expected_exception, expected_exception_message, callable_obj=None,
                                     *args, **kwargs):
        """`callable_obj(*args, **kwargs)` (or, without it, the `with` block) raises `expected_exception`
        whose `str()` is exactly `expected_exception_message` (not a regex)."""
        def check(error):
            actual = str(error)
            self.assertEqual(expected_exception_message, actual, "Exception message does not match.\n"
                             f"Expected: {expected_exception_message!r}\nActual: {actual!r}")

        context = self._AssertRaisesContext(expected_exception, self, check)
        if callable_obj is None:
            return context
        with context:
            callable_obj(*args, **kwargs)

    def assertCommandSucceeds(self, command, regexes=(b"",), env=None, close_fds=True, msg=None):
        """The shell command (a string, run by /bin/sh, or a list of words) exits with 0 and its output
        matches one of `regexes`. `env=None` runs it with an EMPTY environment (not the test's)."""
        status, output = command_output(command, env, close_fds)
        if isinstance(regexes[0], str):  # the output is bytes
            regexes = [r.encode("utf-8") for r in regexes]
        shown = _quote_long_string(command_string(command))
        failed = f"Running command\n{shown} failed with error code {status} and message\n{_quote_long_string(output)}"
        self.assertEqual(status, 0, self._formatMessage(msg, failed))
        self.assertRegexMatch(output, regexes, message=self._formatMessage(
            msg, f"{failed} which matches no regex in {regexes}"))

    def assertCommandFails(self, command, regexes, env=None, close_fds=True, msg=None):
        """The shell command (as `assertCommandSucceeds`) exits with a status other than 0 and its output
        matches one of `regexes`."""
        status, output = command_output(command, env, close_fds)
        if isinstance(regexes[0], str):
            regexes = [r.encode("utf-8") for r in regexes]
        shown = _quote_long_string(command_string(command))
        self.assertNotEqual(status, 0, self._formatMessage(
            msg, f"The following command succeeded while expected to fail:\n{shown}"))
        self.assertRegexMatch(output, regexes, message=self._formatMessage(
            msg, f"Running command\n{shown} failed with error code {status} and message\n"
                 f"{_quote_long_string(output)} which matches no regex in {regexes}"))


# absltest.TestCase leaves tracebacks of its assertions out of failure reports, as unittest's own
__unittest = True
