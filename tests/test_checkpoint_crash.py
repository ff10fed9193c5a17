"""Checkpoints survive SIGKILL at any moment: a saving process is killed again and again, and every time
the prefix it was writing over, and `latest_checkpoint` of its manager, restore the old or the new values
exactly; the next save cleans up what the killed one left.

A zygote process imports eagerflow once and forks each saving child, so that a kill costs milliseconds.
Half of the kills come after random delays (mostly while data is being written); the others come exactly
before the k-th file-system call (rename, link, unlink, fsync) of a child, for every k through a write over
an existing prefix and a manager save, so every step of the replacement protocol is interrupted once.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import eagerflow as ef

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
N = 1 << 20          # float32 elements per variable: 3 variables, 12 MB per checkpoint

_ZYGOTE = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import eagerflow as ef
    ef.train.Checkpoint  # noqa: B018 - loaded before forking

    N = int(sys.argv[1])

    def hook_file_system(kill_at):
        count = [0]
        for name in ("replace", "rename", "link", "unlink", "remove", "fsync"):
            real = getattr(os, name)
            def call(*args, _real=real, **kwargs):
                if count[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                count[0] += 1
                return _real(*args, **kwargs)
            setattr(os, name, call)

    def child(work, first, kill_at):
        log = os.open(os.path.join(work, f"progress-{first}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        model = [ef.Variable(np.zeros(N, np.float32)) for _ in range(3)]
        stamp = ef.Variable(-1.0)
        ckpt = ef.train.Checkpoint(model=model, stamp=stamp)
        manager = ef.train.CheckpointManager(ckpt, os.path.join(work, "managed"), max_to_keep=2)
        ckpt.restore(manager.latest_checkpoint)         # numbering continues from the last save
        if kill_at >= 0:
            hook_file_system(kill_at)
        for value in range(first, first + 1000):
            for v in model:
                v.assign(np.full(N, value, np.float32))
            stamp.assign(float(value))
            ckpt.write(os.path.join(work, "plain", "ck"))
            os.write(log, b"w %d\\n" % value)
            manager.save()
            os.write(log, b"s %d\\n" % value)
            if kill_at == -2:                        # one clean round: the last one
                break
        os._exit(0)

    for line in sys.stdin:
        work, first, kill_at = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                child(work, int(first), int(kill_at))
            finally:
                os._exit(1)
        print("pid", pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print("exit", os.waitstatus_to_exitcode(status), flush=True)
""")


def _restored(prefix):
    """The stamp and values of the checkpoint at `prefix`, restored into fresh variables."""
    model = [ef.Variable(np.zeros(N, np.float32)) for _ in range(3)]
    stamp = ef.Variable(-1.0)
    ef.train.Checkpoint(model=model, stamp=stamp).restore(prefix).expect_partial()
    value = float(stamp.numpy())
    for v in model:
        arr = v.numpy()
        assert (arr == value).all(), f"{prefix}: a tensor holds {np.unique(arr)[:5]}, the stamp {value}"
    return value


def _progress(path, kind):
    """The values the child logged as done; none when it was killed before it opened its log."""
    try:
        with open(path) as f:
            return [int(line.split()[1]) for line in f.read().splitlines() if line.startswith(kind + " ")]
    except FileNotFoundError:
        return []


def _allowed(done, before, first):
    """Old or new: the last value completed (or the one before the child) and the one after it."""
    return {done[-1], done[-1] + 1} if done else {before, first}


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_old_or_new(tmp_path):
    work = str(tmp_path)
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    zygote = subprocess.Popen([sys.executable, "-c", _ZYGOTE, str(N)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)
    rng = random.Random(1234)
    plain, managed = os.path.join(work, "plain", "ck"), os.path.join(work, "managed")
    schedule = [("at", k) for k in range(26)] + [("after", rng.uniform(0.0, 0.5)) for _ in range(24)]
    rng.shuffle(schedule)
    before_plain = before_saved = None
    kills = 0
    try:
        def run(first, kill_at):
            zygote.stdin.write(f"{work} {first} {kill_at}\n")
            zygote.stdin.flush()
            kind, pid = zygote.stdout.readline().split()
            assert kind == "pid"
            return int(pid)

        run(0, -2)      # a first clean round: both checkpoints exist from now on
        assert zygote.stdout.readline().split() == ["exit", "0"]
        before_plain = before_saved = 0
        for i, (how, arg) in enumerate(schedule):
            first = 1000 * (i + 1)
            pid = run(first, arg if how == "at" else -1)
            if how == "after":
                try:
                    time.sleep(arg)
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            status = int(zygote.stdout.readline().split()[1])
            assert status == -signal.SIGKILL, f"round {i} ({how} {arg}): the child exited with {status}"
            kills += 1
            progress = os.path.join(work, f"progress-{first}")
            got = _restored(plain)
            assert got in _allowed(_progress(progress, "w"), before_plain, first), (i, how, arg, got)
            latest = ef.train.latest_checkpoint(managed)
            assert latest is not None, (i, how, arg)
            saved = _restored(latest)
            assert saved in _allowed(_progress(progress, "s"), before_saved, first), (i, how, arg, saved)
            before_plain, before_saved = got, saved
        run(10**6, -2)  # a clean round after the last kill: it settles and cleans up what the kill left
        assert zygote.stdout.readline().split() == ["exit", "0"]
    finally:
        zygote.stdin.close()
        zygote.wait(30)
    assert kills >= 30
    assert _restored(plain) == 10**6 and _restored(ef.train.latest_checkpoint(managed)) == 10**6
    leftovers = [f for d in (os.path.dirname(plain), managed) for f in os.listdir(d) if f.startswith(".")]
    assert leftovers == []
    assert sorted(os.listdir(os.path.dirname(plain))) == ["ck.data-00000-of-00001", "ck.index"]
