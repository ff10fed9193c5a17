# tf.test.main() under absl's debugging and profiling flags: --pdb_post_mortem/--pdb (tests run without a result,
# the first error leaves the program; on a terminal the post-mortem debugger starts first), --run_with_pdb
# (the run under pdb), --run_with_profiling (cProfile's table at exit, or the profile module's with
# --nouse_cprofile_for_profiling), --profile_file and $ABSL_PYTHON_PROFILE_FILE (the stats dumped there).
import os
import pstats
import re
import subprocess
import sys

from main_flags_helper import _shown_stderr, root, run_logged

run_logged(["Fails", "--pdb_post_mortem"])
run_logged(["Logs", "--pdb", "-v=-1"])  # TF's TestCase skips test_session in setUp: that too leaves the program
run_logged(["Logs", "--pdb=false", "-v=-1"])


def on_terminal(args, answers):
    """Run log_mod.py with stdout on a terminal; print what the terminal and stderr showed."""
    import pty
    main, terminal = pty.openpty()
    env = dict(os.environ, CASE_ROOT=root, COLUMNS="80")
    env.pop("PYTHONBREAKPOINT", None)
    child = subprocess.Popen([sys.executable, os.path.join(root, "log_mod.py"), *args], cwd=root, env=env,
                             stdin=subprocess.PIPE, stdout=terminal, stderr=subprocess.PIPE)
    os.close(terminal)
    child.stdin.write(answers.encode())
    child.stdin.close()
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes with the child
            break
        if not chunk:
            break
        shown += chunk
    err = child.stderr.read().decode()
    child.wait(timeout=120)
    print("--- on a terminal:", " ".join(args), "answering", repr(answers))
    print("exit", child.returncode)
    for line in shown.decode().replace("\r", "").splitlines():
        print(" ", line.replace(root, "<ROOT>"))
    for line in _shown_stderr(err):
        print("  err:", line)


on_terminal(["Fails", "--pdb_post_mortem"], "p 6 * 7\nq\n")


def location_free(text):
    return [re.sub(r"^(\(Pdb\) )?(> |-> ).*", r"\1\2<where pdb stopped>", line) for line in text.splitlines()]


for answers in ("c\n", "q\n"):
    p = run_logged(["Logs", "--run_with_pdb", "-v=-1"], stdin=answers, show_stdout=False)
    print("  answering", repr(answers), location_free(p.stdout))

ROW = re.compile(r"^\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+ log_mod\.py:\d+\((test_\w+)\)$")


def profile_table(stdout):
    for line in stdout.splitlines():
        if re.search(r"function calls .*in [\d.]+ seconds", line):
            print("  table:", re.sub(r"\d+( \(\d+ primitive calls\))?", "N", line.strip()).replace("N.N", "T"))
        elif line.strip().startswith(("Ordered by", "ncalls")):
            print("  table:", line.strip())
        elif ROW.match(line):
            print("  table row: %s called %s time(s)" % (ROW.match(line).group(2), ROW.match(line).group(1)))


for extra in ([], ["--nouse_cprofile_for_profiling"]):
    p = run_logged(["Logs", "--run_with_profiling", "-v=-1", *extra], show_stdout=False)
    profile_table(p.stdout)


def dumped(path):
    stats = pstats.Stats(path)
    print("  dumped:", sorted(name for (_, _, name) in stats.stats if name.startswith("test_")))
    os.remove(path)


path = os.path.join(root, "profile.out")
p = run_logged(["Logs", "--profile_file=" + path, "-v=-1"], show_stdout=False)
print("  stdout lines:", len(p.stdout.splitlines()))
dumped(path)
p = run_logged(["Logs", "-v=-1"], show_stdout=False, ABSL_PYTHON_PROFILE_FILE=path)
dumped(path)
