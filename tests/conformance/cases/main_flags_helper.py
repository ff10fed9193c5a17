# Shared by the api_test_main_* cases (no .out of its own): two small test modules written to a temporary
# directory, `run` to run one through tf.test.main() in a fresh interpreter with given arguments and
# environment, and `show_xml` to print a report with its times and paths normalised.
import os
import re
import subprocess
import sys
import tempfile
import textwrap

MODULE = textwrap.dedent('''
    import os
    import tensorflow as tf

    ROOT = os.environ["CASE_ROOT"]

    class Alpha(tf.test.TestCase):
        def test_one(self):
            print("ran Alpha.test_one", os.path.relpath(self.create_tempdir().full_path, ROOT).split(os.sep)[:-1])

        def test_two(self):
            print("ran Alpha.test_two")

        def test_fail(self):
            print("ran Alpha.test_fail")
            self.assertEqual(1, 2, "a <message> & 'quotes'")

        def test_error(self):
            print("ran Alpha.test_error")
            raise ValueError("boom")

    class Beta(tf.test.TestCase):
        def test_x(self):
            print("ran Beta.test_x")

        def test_skip(self):
            print("ran Beta.test_skip")
            self.skipTest("not today")

        def test_sub(self):
            print("ran Beta.test_sub")
            for i in range(2):
                with self.subTest(i=i):
                    self.assertEqual(i, 0)

        def test_y(self):
            print("ran Beta.test_y")

    if __name__ == "__main__":
        tf.test.main()
''')

PASSING = textwrap.dedent('''
    import os
    import tensorflow as tf

    class Gamma(tf.test.TestCase):
        def test_a(self):
            print("ran Gamma.test_a", os.path.isdir(os.environ["CASE_ROOT"] + "/made_by_main"))

        def test_b(self):
            print("ran Gamma.test_b")

    class Bench(tf.test.Benchmark):
        def benchmark_fast(self):
            print("ran benchmark_fast")

        def benchmark_slow(self):
            print("ran benchmark_slow")

    class Evaluating(tf.test.Benchmark):
        def benchmark_evaluate(self):
            try:
                self.evaluate(tf.constant(1.0))
            except Exception as e:
                print("evaluate:", type(e).__name__, str(e).split(" (")[0])

    if __name__ == "__main__":
        tf.test.main()
''')

root = tempfile.mkdtemp()
for name, text in [("case_mod.py", MODULE), ("pass_mod.py", PASSING)]:
    with open(os.path.join(root, name), "w") as f:
        f.write(text)

STAMP = re.compile(r'(timestamp|time)="[^"]*"')


def show_xml(path):
    with open(path) as f:
        text = f.read()
    text = STAMP.sub(lambda m: m.group(1) + '="T"', text)
    text = re.sub(r'File "[^"]*"', 'File "F"', text)
    text = re.sub(r", line \d+", ", line N", text)
    lines = []
    for line in text.splitlines():
        # tracebacks: keep the outline, drop the source lines (they are the same file on both sides)
        if (line.startswith("    ") and not line.lstrip().startswith("<")) or line.strip().startswith("^"):
            continue
        lines.append(line)
    print("\n".join(lines))


def run(args, module="case_mod.py", sort_output=False, **env):
    full_env = dict(os.environ, CASE_ROOT=root, **env)
    for key in ("TEST_TMPDIR", "XML_OUTPUT_FILE", "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TESTBRIDGE_TEST_ONLY",
                "TEST_RANDOMIZE_ORDERING_SEED", "TEST_XMLOUTPUTDIR", "TEST_SHARD_STATUS_FILE"):
        if key not in env:
            full_env.pop(key, None)
    p = subprocess.run([sys.executable, os.path.join(root, module), *args], cwd=root, env=full_env,
                       capture_output=True, text=True, timeout=120)
    shown = " ".join([*args, *(f"{k}={v}" for k, v in sorted(env.items()))]).replace(root, "<ROOT>")
    print("---", shown)
    print("exit", p.returncode)
    # sort_output: where the order is arbitrary (TF keeps its benchmark classes in a set)
    for line in sorted(p.stdout.splitlines()) if sort_output else p.stdout.splitlines():
        print(" ", line.replace(root, "<ROOT>"))
    for line in p.stderr.splitlines():
        if line.startswith(("[", "FATAL", "Ran ", "OK", "FAILED", "ValueError", "ERROR:", "No pending",
                            "Try ", "Pass ")):
            line = line.split(" (use ")[0]  # eagerflow's message goes on with the way out
            print("  err:", re.sub(r" in \d+\.\d+s$", " in Ts", line.replace(root, "<ROOT>")))




# For the api_test_main_absl_* cases: a program that logs at every level through tf.get_logger() and Python's
# loggers, and one failing test; `run_logged` shows all of stderr (absl's log lines with their time, thread and
# caller normalised, tracebacks reduced to their last line, TF's native start-up messages dropped).
LOGGING = textwrap.dedent('''
    import logging
    import tensorflow as tf

    class Logs(tf.test.TestCase):
        def test_logs(self):
            root, tf_logger, other = logging.getLogger(), tf.get_logger(), logging.getLogger("other")
            print("levels", root.getEffectiveLevel(), tf_logger.getEffectiveLevel(), other.getEffectiveLevel())
            for level in (9, logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL):
                tf_logger.log(level, "tf at %d", level)
            other.info("other info")
            other.warning("other warning")
            logging.getLogger("other.child").info("child info")

    class Fails(tf.test.TestCase):
        def test_fail(self):
            print("ran Fails.test_fail")
            raise ValueError("failing on purpose")

    if __name__ == "__main__":
        tf.test.main()
''')
with open(os.path.join(root, "log_mod.py"), "w") as f:
    f.write(LOGGING)

ABSL_PREFIX = re.compile(r"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [^\s\]]+:\d+\] ")
NATIVE = re.compile(r"^[IWEF]0000 00:00:|^WARNING: All log messages before absl::InitializeLog|^To enable the "
                    r"following instructions")


def _shown_stderr(text):
    lines = []
    for line in text.splitlines():
        if NATIVE.search(line) or line.startswith(("Traceback (most recent call last)", " ")):
            continue
        line = ABSL_PREFIX.sub(r"\1<date time thread file:line>] ", line)
        line = re.sub(r"^Running tests under Python .*", "Running tests under Python <version>: <python>", line)
        line = re.sub(r" in \d+\.\d+s$", " in Ts", line)
        line = re.sub(r"(time\(\S+\)): \d+\.\d+s$", r"\1: Ts", line)
        lines.append(line.replace(root, "<ROOT>"))
    return lines


def run_logged(args, module="log_mod.py", stdin="", show_stdout=True, **env):
    """Run `module` with `args`, print the exit status, stdout and every line of stderr (normalised)."""
    full_env = dict(os.environ, CASE_ROOT=root, COLUMNS="80", **env)
    for key in ("TEST_TMPDIR", "XML_OUTPUT_FILE", "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TESTBRIDGE_TEST_ONLY",
                "TEST_RANDOMIZE_ORDERING_SEED", "TEST_XMLOUTPUTDIR", "TEST_SHARD_STATUS_FILE", "PYTHONBREAKPOINT",
                "ABSL_PYTHON_PROFILE_FILE"):
        if key not in env:
            full_env.pop(key, None)
    p = subprocess.run([sys.executable, os.path.join(root, module), *args], cwd=root, env=full_env, input=stdin,
                       capture_output=True, text=True, timeout=120)
    print("---", " ".join([*args, *(f"{k}={v}" for k, v in sorted(env.items()))]).replace(root, "<ROOT>"))
    print("exit", p.returncode)
    if show_stdout:
        for line in p.stdout.splitlines():
            print(" ", line.replace(root, "<ROOT>"))
    for line in _shown_stderr(p.stderr):
        print("  err:", line)
    return p
