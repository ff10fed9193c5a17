"""`ef.test.main()`: the command line of TF's test programs (absl's app and absltest), without absl.

What a test program accepts and does, as under `tf.test.main()`:

- flags, parsed as absl parses them (eagerflow/test/absl_flags.py: `--name=value`, `--name value`, `-name=value`,
  short names, `--noname` for booleans, `--flagfile`, `--undefok`; `--` ends them, and what follows goes to
  unittest, e.g. `-- -k pattern -v`). A name it does not know, a missing or malformed value: "FATAL Flags
  parsing error" and exit status 1.
  - absltest's, each falling back on an environment variable as test runners such as Bazel set them:
    `--test_tmpdir` ($TEST_TMPDIR, else `<system temp dir>/absl_testing`): the root of `create_tempdir` and
    `create_tempfile`; `--test_srcdir` ($TEST_SRCDIR); `--test_random_seed` ($TEST_RANDOM_SEED, else 301: a
    value for tests to read, which TF itself does not use); `--test_randomize_ordering_seed`
    ($TEST_RANDOMIZE_ORDERING_SEED: a positive seed, 'random', or 0/empty for the defined order);
    `--xml_output_file` ($XML_OUTPUT_FILE, or `$TEST_XMLOUTPUTDIR/<program>.xml`): a JUnit-style XML report;
  - absl's logging flags (eagerflow/test/absl_logging.py): `--verbosity`/`-v` (the root logger's level, info
    unless given), `--logger_levels`, `--showprefixforinfo`, `--logtostderr`, `--alsologtostderr`,
    `--stderrthreshold`, `--log_dir`;
  - absl's app flags: `--help`/`-?`/`--helpshort` (the usage), `--helpfull` (every flag), `--helpxml`: printed
    on stdout, exit status 1; `--only_check_args` (exit 0 once parsed), `--only_check_flags`;
    `--pdb_post_mortem`/`--pdb`, `--run_with_pdb`, `--run_with_profiling`, `--profile_file`,
    `--use_cprofile_for_profiling` (see `run_tests`);
- sharding ($TEST_TOTAL_SHARDS, $TEST_SHARD_INDEX; $TEST_SHARD_STATUS_FILE is touched): the test methods of
  each class, sorted, are dealt round-robin to the shards (one deal across all classes), and each shard
  runs its own in the loader's order;
- filtering: $TESTBRIDGE_TEST_ONLY (shell words, each a `-k` pattern), $TESTBRIDGE_TEST_RUNNER_FAIL_FAST=1
  (`--failfast`);
- progress lines `[ RUN      ] Class.test` ... `[       OK ]` on stderr, and the exit status: 0 when all
  passed, 1 otherwise, 5 when no test ran on Python >= 3.12 (as unittest there), except under a filter or
  in a shard other than the first.
"""

import datetime
import importlib
import inspect
import io
import itertools
import logging
import os
import random
import re
import shlex
import sys
import textwrap
import time
import traceback
import unittest
from xml.sax import saxutils

from eagerflow.test import absl_flags, absl_logging, temp_paths

__all__ = ["run_tests", "parse_flags", "parse_flags_or_exit"]


# ----------------------------------------------------------------------------- flags
FlagsError = absl_flags.FlagsError
_LOGGING_FLAGS = ("logtostderr", "alsologtostderr", "stderrthreshold", "showprefixforinfo")


class _Parsing:
    """One parse of a command line as absl's app does it, with what absl does as each flag is set: the help
    flags print and exit, the logging flags take effect on the handler and the loggers."""

    def __init__(self, program):
        self.program = program
        self.flags = absl_flags.definitions()
        self.log = absl_logging.LogSettings()

    def on_value(self, flag, value, given):
        name = flag.name
        if name in ("help", "helpshort") and value:
            sys.stdout.write(absl_flags.usage_head(self.program) + "\n\nTry --helpfull to get a list of all flags.\n")
            sys.exit(1)
        elif name == "helpfull" and value:
            sys.stdout.write(absl_flags.help_text(self.program, self.flags))
            sys.exit(1)
        elif name == "helpxml" and value:
            sys.stdout.write(absl_flags.help_xml(self.program, self.flags, given))
            sys.stdout.flush()
            sys.exit(1)
        elif name == "only_check_flags" and value:
            sys.stdout.write("SUCCESS: All Abseil flags are valid.\n")
            sys.exit(0)
        elif name == "verbosity":
            self.log.verbosity = value
            logging.getLogger().setLevel(absl_logging.standard_level(value))
        elif name == "logger_levels":
            absl_logging.set_logger_levels(value)
        elif name in _LOGGING_FLAGS:
            setattr(self.log, name, value)


def parse_flags(argv):
    """The flag values given in `argv` (name -> value) and the arguments left for unittest (argv[0], the
    positional arguments, and everything after `--`), without acting on any flag."""
    return absl_flags.parse(argv, absl_flags.definitions())


def parse_flags_or_exit(argv):
    """Parse `argv` as absl's app does: absl's log handler goes on the root logger first, the flags take effect as
    they are read (the help flags print and exit with status 1), a bad flag prints absl's error and exits with
    status 1, --only_check_args exits with 0 once all are read; then the verbosity becomes info unless given.
    Returns the flag values given and the arguments left for unittest."""
    parsing = _Parsing(argv[0] if argv else "test")
    absl_logging.install(parsing.log)
    try:
        given, rest = absl_flags.parse(argv, parsing.flags, parsing.on_value)
    except FlagsError as e:
        message = str(e)
        shown = "\n" + textwrap.indent(message, "  ") + "\n" if "\n" in message else f" {message}\n"
        sys.stderr.write(f"FATAL Flags parsing error:{shown}Pass --helpshort or --helpfull to see help on flags.\n")
        sys.exit(1)
    parsing.log.parsed = True
    if given.get("only_check_args"):
        sys.exit(0)
    if "verbosity" not in given:
        parsing.on_value(parsing.flags["verbosity"], 0, {})
    # a test program logs to stderr too unless told otherwise (absltest's default)
    parsing.log.alsologtostderr = given.get("alsologtostderr", True)
    return given, rest


class Settings:
    """The values a test program runs with: the flags given, else their defaults (some from the environment)."""

    def __init__(self, given):
        self.given = given
        for name, flag in absl_flags.definitions().items():
            setattr(self, name, given[name] if name in given else flag.default)

    def ordering_seed(self):
        """The seed that shuffles the test methods of each class, or 0 for their defined order."""
        if "test_randomize_ordering_seed" in self.given:
            text = self.test_randomize_ordering_seed
        else:
            text = os.environ.get("TEST_RANDOMIZE_ORDERING_SEED", "")
        if not text or text == "0":
            return 0
        if text == "random":
            return random.Random().randint(1, 4294967295)
        try:
            seed = int(text)
        except ValueError:
            seed = 0
        if seed > 0:
            return seed
        raise ValueError(f"Unknown test randomization seed value: {text} (use a positive integer, 'random', or 0 "
                         f"for the defined order)")

    def xml_path(self, program):
        """Where the XML report goes: --xml_output_file, $XML_OUTPUT_FILE, or a name the test runner implies."""
        if self.xml_output_file:
            return self.xml_output_file
        if os.environ.get("XML_OUTPUT_FILE"):
            return os.environ["XML_OUTPUT_FILE"]
        if os.environ.get("RUNNING_UNDER_TEST_DAEMON"):
            return os.path.join(os.path.dirname(self.test_tmpdir), "test_detail.xml")
        if os.environ.get("TEST_XMLOUTPUTDIR"):
            name = os.path.splitext(os.path.basename(program))[0] + ".xml"
            return os.path.join(os.environ["TEST_XMLOUTPUTDIR"], name)
        return None


# ----------------------------------------------------------------------------- loading: order and shards
def _looks_like_a_forgotten_test(cls, name):
    """A method `TestSomething(self)`: meant as a test, but unittest only runs names starting 'test'."""
    if not (name.startswith("Test") and len(name) > 4 and name[4].isupper()):
        return False
    method = getattr(cls, name)
    if not (inspect.isfunction(method) or inspect.ismethod(method)):
        return False
    spec = inspect.getfullargspec(method)
    return spec.args == ["self"] and spec.varargs is None and spec.varkw is None and not spec.kwonlyargs


class TestLoader(unittest.TestLoader):
    """unittest's loader that refuses methods named like forgotten tests, shuffles each class's test methods
    with the ordering seed, and keeps only this shard's methods."""

    def __init__(self, ordering_seed=0, shard=None):
        super().__init__()
        self.ordering_seed = ordering_seed
        self._shuffler = random.Random(ordering_seed) if ordering_seed else None
        self._shard = shard  # (index, total) or None
        # one deal across every class: a shard's share depends on all the methods loaded before
        self._dealer = itertools.cycle(range(shard[1])) if shard else None

    def getTestCaseNames(self, testCaseClass):  # noqa: N802 (unittest's name)
        for name in dir(testCaseClass):
            if _looks_like_a_forgotten_test(testCaseClass, name):
                raise TypeError(f"Method '{name}' of {testCaseClass.__name__} is named like a test case but is not "
                                f"one: unittest runs only methods whose names start with 'test' in lowercase. "
                                f"Rename it (test_... to run it, or a name not starting with 'Test').")
        names = list(super().getTestCaseNames(testCaseClass))
        if self._shuffler is not None:
            sys.stderr.write(f"Randomizing test order with seed: {self.ordering_seed}\n"
                             f"To reproduce this order, re-run with --test_randomize_ordering_seed="
                             f"{self.ordering_seed}\n")
            self._shuffler.shuffle(names)
        if self._shard is None:
            return names
        mine = {name for name in sorted(names) if next(self._dealer) == self._shard[0]}
        return [name for name in names if name in mine]


def _shard_from_environment():
    """(index, total) from $TEST_SHARD_INDEX/$TEST_TOTAL_SHARDS, or None; touches $TEST_SHARD_STATUS_FILE (the
    runner's way to learn that this program shards)."""
    status_file = os.environ.get("TEST_SHARD_STATUS_FILE")
    if status_file is not None:
        try:
            with open(status_file, "w"):
                pass
        except OSError:
            sys.stderr.write(f"Error opening TEST_SHARD_STATUS_FILE ({status_file}). Exiting.")
            sys.exit(1)
    if "TEST_TOTAL_SHARDS" not in os.environ:
        return None
    total, index = int(os.environ["TEST_TOTAL_SHARDS"]), int(os.environ["TEST_SHARD_INDEX"])
    if not 0 <= index < total:
        sys.stderr.write(f"ERROR: Bad sharding values. index={index}, total={total}\n")
        sys.exit(1)
    return index, total


# ----------------------------------------------------------------------------- results: progress and XML
def _short_id(test):
    test_id = test.id()
    return test_id[len("__main__."):] if test_id.startswith("__main__.") else test_id


class ProgressResult(unittest.TextTestResult):
    """unittest's result with one line per test event (`[ RUN      ] Class.test`) in place of the dots."""

    def __init__(self, stream, descriptions, verbosity, **kwargs):
        super().__init__(stream, descriptions, 0, **kwargs)
        self._announce = verbosity > 0

    def _line(self, tag, test, reason=None):
        if self._announce:
            self.stream.write(f"[{tag}] {_short_id(test)}" + (f" - {reason}" if reason else "") + "\n")
            self.stream.flush()

    def startTest(self, test):  # noqa: N802 (unittest's names, here and below)
        super().startTest(test)
        self._line(" RUN      ", test)

    def addSuccess(self, test):  # noqa: N802
        super().addSuccess(test)
        self._line("       OK ", test)

    def addError(self, test, err):  # noqa: N802
        super().addError(test, err)
        self._line("  FAILED  ", test)

    def addFailure(self, test, err):  # noqa: N802
        super().addFailure(test, err)
        self._line("  FAILED  ", test)

    def addSkip(self, test, reason):  # noqa: N802
        super().addSkip(test, reason)
        self._line("  SKIPPED ", test, reason)

    def addExpectedFailure(self, test, err):  # noqa: N802
        super().addExpectedFailure(test, err)
        self._line("       OK ", test)

    def addUnexpectedSuccess(self, test):  # noqa: N802
        super().addUnexpectedSuccess(test)
        self._line("  FAILED  ", test)


_ANSI_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\].*?(?:\x07|\x1b\\))")
# control characters XML 1.0 cannot hold, written as Python escapes
_CONTROL = {chr(code): f"\\x{code:02x}" for code in range(0x20) if code not in (0x9, 0xA, 0xD)}
_ATTRIBUTE_ESCAPES = {'"': "&quot;", "'": "&apos;", "\n": "&#xA;", "\t": "&#x9;", "\r": "&#xD;", " ": "&#x20;",
                      **_CONTROL}
_ONE_LINE_ID = re.compile(r"^(\w+) \((\S+)\)$")  # 'setUpClass (module.Class)'


def _attribute(text):
    return saxutils.escape(_ANSI_ESCAPES.sub("", str(text)), _ATTRIBUTE_ESCAPES)


def _cdata(text):
    text = _ANSI_ESCAPES.sub("", str(text))
    for char, escaped in _CONTROL.items():
        text = text.replace(char, escaped)
    return text.replace("]]>", "]] >")


def _timestamp(seconds):
    if seconds is None or seconds < 0:
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.timezone.utc).isoformat()


def _element(name, attributes, indent=""):
    shown = "".join(f' {key}="{value}"' for key, value in attributes if value is not None)
    return f"{indent}<{name}{shown}>\n"


def _printable(value):
    try:
        return str(value)
    except Exception:  # an exception whose __str__ fails still gets its line in the report
        return f"<unprintable {type(value).__module__}.{type(value).__name__} object>"


class _CaseRecord:
    """One <testcase>: a test method (or subtest, or class-level error) with its problems and times."""

    def __init__(self, test):
        self.test, self.problems, self.skip_reason = test, [], None
        self.start, self.duration = -1, -1
        description = test.id() or str(test)
        match = _ONE_LINE_ID.match(description)
        if match:
            name, class_name = match.group(1), match.group(2)
        else:
            owner = test.test_case if isinstance(test, unittest.case._SubTest) else test
            class_name = unittest.util.strclass(type(owner))
            if description.startswith(class_name + "."):
                name = description[len(class_name) + 1:]
            else:
                class_name, _, name = description.rpartition(".")
        self.name, self.class_name = _attribute(name), _attribute(class_name)

    def suite_name(self):
        if type(self.test).__name__ == "_ErrorHolder":
            return self.class_name.rsplit(".")[-1]
        if isinstance(self.test, unittest.case._SubTest):
            return type(self.test.test_case).__name__
        return type(self.test).__name__

    def xml(self):
        ran = self.skip_reason is None
        text = _element("testcase", [("name", self.name), ("status", "run" if ran else "notrun"),
                                     ("result", "completed" if ran else "suppressed"),
                                     ("time", f"{self.duration:.3f}"), ("classname", self.class_name),
                                     ("timestamp", _timestamp(self.start))], "  ")
        for outcome, kind, message, trace in self.problems:
            text += (f'  <{outcome} message="{_attribute(_printable(message))}" type="{_attribute(str(kind))}">'
                     f"<![CDATA[{_cdata(trace)}]]></{outcome}>\n")
        return text + "  </testcase>\n"


class XmlResult(ProgressResult):
    """The progress result that also writes a JUnit-style report (absltest's layout) to `xml_stream` when the
    run ends: <testsuites>, a <testsuite> per test class in the order they first finished, a <testcase> per
    test sorted by name, a <failure>/<error> per problem."""

    def __init__(self, stream, descriptions, verbosity, xml_stream=None, properties=None, **kwargs):
        super().__init__(stream, descriptions, verbosity, **kwargs)
        self.xml_stream, self.properties = xml_stream, dict(properties or {})
        self._pending = {}  # id(test) -> _CaseRecord, until the test stops
        self._suites = {}   # class name -> [_CaseRecord]
        self._run_start = self._run_end = -1
        self._test_start = None

    def _record(self, test):
        if id(test) not in self._pending:
            self._pending[id(test)] = _CaseRecord(test)
        return self._pending[id(test)]

    def _problem(self, test, outcome, err):
        self._record(test).problems.append((outcome, err[0], err[1], self._exc_info_to_string(err, test)))

    def _finish(self, record):
        self._suites.setdefault(record.suite_name(), []).append(record)

    def startTestRun(self):  # noqa: N802 (unittest's names, here and below)
        self._run_start = time.time()
        super().startTestRun()

    def startTest(self, test):  # noqa: N802
        self._test_start = time.time()
        super().startTest(test)

    def stopTest(self, test):  # noqa: N802
        super().stopTest(test)
        record = self._pending.pop(id(test), None)
        if record is None:  # a test whose subtests failed has no record of its own
            sys.stderr.write(f"No pending test case: {test.id() or str(test)}\n")
            return
        if self._test_start is None:
            self._test_start = time.time()
        record.start, record.duration = self._test_start, time.time() - self._test_start
        self._finish(record)

    def stopTestRun(self):  # noqa: N802
        self._run_end = time.time()
        for record in self._pending.values():  # subtests: they never stop on their own
            if self._test_start is not None:
                record.start, record.duration = self._test_start, self._run_end - self._test_start
            self._finish(record)
        self._pending.clear()
        super().stopTestRun()

    def addSuccess(self, test):  # noqa: N802
        super().addSuccess(test)
        self._record(test)

    def addError(self, test, err):  # noqa: N802
        super().addError(test, err)
        self._problem(test, "error", err)

    def addFailure(self, test, err):  # noqa: N802
        super().addFailure(test, err)
        self._problem(test, "failure", err)

    def addSkip(self, test, reason):  # noqa: N802
        super().addSkip(test, reason)
        self._record(test).skip_reason = reason

    def addExpectedFailure(self, test, err):  # noqa: N802
        super().addExpectedFailure(test, err)
        self._record(test)

    def addUnexpectedSuccess(self, test):  # noqa: N802
        super().addUnexpectedSuccess(test)
        self._record(test).problems.append(
            ("error", "", "", f"Test case {test.id() or str(test)} should have failed, but passed."))

    def addSubTest(self, test, subtest, err):  # noqa: N802
        super().addSubTest(test, subtest, err)
        record = self._record(subtest)
        if err is not None:
            outcome = "failure" if issubclass(err[0], test.failureException) else "error"
            record.problems.append((outcome, err[0], err[1], self._exc_info_to_string(err, test)))

    def printErrors(self):  # noqa: N802 (called once, after the run: the report goes out with the text)
        super().printErrors()
        if self.xml_stream is not None:
            self.xml_stream.write('<?xml version="1.0"?>\n' + self._report())

    def _report(self):
        def counts(records):
            failures = sum(1 for r in records if r.problems and r.problems[0][0] == "failure")
            errors = sum(1 for r in records if r.problems and r.problems[0][0] == "error")
            return str(failures), str(errors)

        every = [r for records in self._suites.values() for r in records]
        failures, errors = counts(every)
        text = _element("testsuites", [("name", ""), ("tests", str(len(every))), ("failures", failures),
                                       ("errors", errors), ("time", f"{self._run_end - self._run_start:.3f}"),
                                       ("timestamp", _timestamp(self._run_start))])
        if self.properties:
            text += "    <properties>\n"
            for key, value in sorted(self.properties.items()):
                text += f'      <property name="{_attribute(key)}" value="{_attribute(str(value))}"></property>\n'
            text += "    </properties>\n"
        for suite, records in self._suites.items():
            start = min(r.start for r in records)
            end = max(r.start + r.duration for r in records)
            failures, errors = counts(records)
            text += _element("testsuite", [("name", suite), ("tests", str(len(records))), ("failures", failures),
                                           ("errors", errors), ("time", f"{end - start:.3f}"),
                                           ("timestamp", _timestamp(start))])
            text += "".join(r.xml() for r in sorted(records, key=lambda r: r.name))
            text += "</testsuite>\n"
        return text + "</testsuites>\n"


def _runner_class(xml_stream, properties, for_debugging=False):
    """A TextTestRunner class (unittest's TestProgram makes the instance from its own options) whose results
    print progress lines, and also the XML report when there is a stream for it. `for_debugging`
    (--pdb_post_mortem): the tests run without a result, so the first error stops the run and leaves the program
    with its traceback, and an empty result comes back."""
    class Runner(unittest.TextTestRunner):
        def run(self, test):
            if not for_debugging:
                return super().run(test)
            test.debug()
            return self._makeResult()

        def _makeResult(self):  # noqa: N802 (unittest's name)
            extra = {"durations": self.durations} if getattr(self, "durations", None) is not None else {}
            if xml_stream is None:
                return ProgressResult(self.stream, self.descriptions, self.verbosity, **extra)
            return XmlResult(self.stream, self.descriptions, self.verbosity, xml_stream=xml_stream,
                             properties=properties, **extra)
    return Runner


# ----------------------------------------------------------------------------- the program
def _debugger(function_name):
    """The debugger module $PYTHONBREAKPOINT names if it has `function_name`, else pdb (absl's choice)."""
    import pdb

    named = os.environ.get("PYTHONBREAKPOINT")
    if not named or named == "0":  # '0' turns breakpoint() off; asking for a debugger still gets pdb
        return pdb
    module_name = named.rsplit(".", 1)[0]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        logging.warning("Could not import $PYTHONBREAKPOINT debugger module %r, falling back to PDB", module_name)
        return pdb
    if hasattr(module, function_name):
        return module
    logging.warning("$PYTHONBREAKPOINT debugger %r has no function %r, falling back to PDB", module_name,
                    function_name)
    return pdb


def run_tests(argv, module="__main__"):
    """Parse the flags of `argv`, run the tests of `module` with them and exit with the status, as absl's app
    runs a test program: under the debugger (--run_with_pdb), under the profiler (--run_with_profiling, its
    table printed at exit, or --profile_file, the stats dumped there at exit; cProfile unless
    --nouse_cprofile_for_profiling), and with --pdb_post_mortem an error stops the run and, on a terminal,
    enters the post-mortem debugger before the program ends with its traceback."""
    settings = Settings(parse_flags_or_exit(argv)[0])
    try:
        if settings.run_with_pdb:
            sys.exit(_debugger("runcall").runcall(_run, settings, argv, module))
        if settings.run_with_profiling or settings.profile_file:
            import atexit
            if settings.use_cprofile_for_profiling:
                import cProfile as profile
            else:
                import profile
            profiler = profile.Profile()
            if settings.profile_file:
                atexit.register(profiler.dump_stats, settings.profile_file)
            else:
                atexit.register(profiler.print_stats)
            sys.exit(profiler.runcall(_run, settings, argv, module))
        _run(settings, argv, module)
    except BaseException as e:
        failed = not (isinstance(e, SystemExit) and not e.code)  # a passing run exits with a false code
        if failed and settings.pdb_post_mortem and sys.stdout.isatty():  # never wait for a terminal that is not there
            traceback.print_exc()
            print()
            print(" *** Entering post-mortem debugging ***")
            print()
            _debugger("post_mortem").post_mortem()
        raise


def _run(settings, argv, module):
    """Run the tests of `module` with the settings and exit with the status."""
    sys.stderr.write(f"Running tests under Python {sys.version_info[0]}.{sys.version_info[1]}."
                     f"{sys.version_info[2]}: {sys.executable or 'embedded.'}\n")
    # absltest finds unittest's arguments by reading the command line again (its flagfiles too, so their
    # warnings show a second time)
    unittest_argv = parse_flags(argv)[1]
    # unittest of Python >= 3.12 fails a run that ran nothing; a filter or a later shard may rightly do so
    fail_when_none_ran = sys.version_info[:2] >= (3, 12)
    test_filter = os.environ.get("TESTBRIDGE_TEST_ONLY")
    if test_filter:
        unittest_argv[1:1] = ["-k=" + pattern for pattern in shlex.split(test_filter)]
        fail_when_none_ran = False
    if os.environ.get("TESTBRIDGE_TEST_RUNNER_FAIL_FAST") == "1":
        unittest_argv[1:1] = ["--failfast"]
    shard = _shard_from_environment()
    if shard is not None and shard[0] > 0:
        fail_when_none_ran = False
    loader = TestLoader(settings.ordering_seed(), shard)

    xml_path = settings.xml_path(argv[0] if argv else "")
    xml_buffer = None
    if xml_path:
        if os.path.dirname(xml_path):
            os.makedirs(os.path.dirname(xml_path), exist_ok=True)
        with open(xml_path, "w"):  # fail before the tests when the report cannot be written
            pass
        xml_buffer = io.StringIO()
    properties = {"test_randomize_ordering_seed": loader.ordering_seed} if loader.ordering_seed else {}
    os.makedirs(settings.test_tmpdir, exist_ok=True)
    temp_paths.set_root(settings.test_tmpdir)
    try:
        program = unittest.TestProgram(module=module, argv=unittest_argv, testLoader=loader, exit=False,
                                       testRunner=_runner_class(xml_buffer, properties,
                                                                                settings.pdb_post_mortem))
    finally:
        if xml_buffer is not None:
            with open(xml_path, "w") as f:  # written at the end: runners may have put a placeholder there
                f.write(xml_buffer.getvalue())
    result = program.result
    if fail_when_none_ran and result.testsRun == 0 and not result.skipped:
        sys.exit(5)
    sys.exit(not result.wasSuccessful())
