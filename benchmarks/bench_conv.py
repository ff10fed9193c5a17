"""conv2d and max_pool of eagerflow beside TensorFlow and PyTorch, measured interleaved in the same run.

    python benchmarks/bench_conv.py [--quick] [--rounds N] [--tf-python PATH] [--torch-python PATH]

The workload (issue 10): a (32, 32, 32, 64) NHWC float32 batch convolved with a 3x3x64x64 filter
(stride 1, SAME padding), forward and forward + backward (gradients of the input and the filter),
and a 2x2 max_pool (stride 2) of the result. Goal: within 1.5x of the faster of TF and PyTorch.

TensorFlow and PyTorch run as worker subprocesses of their own interpreters (neither is a dependency
of eagerflow): by default ~/.cache/tfdiff/venv/bin/python (tensorflow-cpu) and /work/torchvenv/bin/python,
or $TF_PYTHON / $TORCH_PYTHON. A framework whose interpreter is missing is reported as such. The
frameworks take turns, case by case, round after round (the machine is shared: load changes by the
minute), and only one of them runs at a time; each round times a case's `CALLS` calls of it. Reported: the
median over rounds of each time, and the median over rounds of eagerflow's time over the faster other
framework's in the same round. PyTorch uses its native NCHW layout.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import timeit

import numpy as np

SHAPE, FILTER = (32, 32, 32, 64), (3, 3, 64, 64)
CASES = ("conv2d", "conv2d+grad", "max_pool")
# calls per timing: about 60 ms of work each, so a 1.5 ms max_pool is not timed over two calls, where the
# first call after another framework's turn (cold caches) is half of what is measured
CALLS = {"conv2d": 2, "conv2d+grad": 1, "max_pool": 40}

# a worker: builds its cases, warms each up, then times `number` calls of the case named on each stdin line
_WORKER = '''
import json, sys, timeit
{setup}
CASES = {{"conv2d": fwd, "conv2d+grad": fwd_bwd, "max_pool": pool}}
for fn in CASES.values():
    fn(); fn()
print(json.dumps({{"version": VERSION}}), flush=True)
for line in sys.stdin:
    name, number = line.split()
    print(timeit.timeit(CASES[name], number=int(number)) / int(number), flush=True)
'''

TF_SETUP = '''
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, tensorflow as tf
VERSION = tf.__version__
rng = np.random.default_rng(0)
x = tf.constant(rng.standard_normal({shape}, dtype=np.float32))
w = tf.constant(rng.standard_normal({filter}, dtype=np.float32) * 0.05)
def fwd():
    return tf.nn.conv2d(x, w, 1, "SAME").numpy()
def fwd_bwd():
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME") ** 2)
    gx, gw = tape.gradient(y, [x, w])
    return gx.numpy(), gw.numpy()
y = tf.nn.conv2d(x, w, 1, "SAME")
def pool():
    return tf.nn.max_pool2d(y, 2, 2, "VALID").numpy()
'''

TORCH_SETUP = '''
import numpy as np, torch
VERSION = f"{{torch.__version__}} ({{torch.get_num_threads()}} threads)"
rng = np.random.default_rng(0)
x = torch.tensor(rng.standard_normal({shape}, dtype=np.float32)).permute(0, 3, 1, 2).contiguous()
w = torch.tensor(rng.standard_normal({filter}, dtype=np.float32) * 0.05).permute(3, 2, 0, 1).contiguous()
def fwd():
    with torch.no_grad():
        return torch.nn.functional.conv2d(x, w, padding=1).numpy()
xg, wg = x.clone().requires_grad_(True), w.clone().requires_grad_(True)
def fwd_bwd():
    xg.grad = wg.grad = None
    y = (torch.nn.functional.conv2d(xg, wg, padding=1) ** 2).sum()
    y.backward()
    return xg.grad.numpy(), wg.grad.numpy()
with torch.no_grad():
    y = torch.nn.functional.conv2d(x, w, padding=1)
def pool():
    with torch.no_grad():
        return torch.nn.functional.max_pool2d(y, 2, 2).numpy()
'''


def eagerflow_cases():
    import eagerflow as ef
    rng = np.random.default_rng(0)
    x = ef.constant(rng.standard_normal(SHAPE, dtype=np.float32))
    w = ef.constant(rng.standard_normal(FILTER, dtype=np.float32) * 0.05)

    def fwd():
        return ef.nn.conv2d(x, w, 1, "SAME").numpy()

    def fwd_bwd():
        with ef.GradientTape() as tape:
            tape.watch([x, w])
            y = ef.reduce_sum(ef.nn.conv2d(x, w, 1, "SAME") ** 2)
        gx, gw = tape.gradient(y, [x, w])
        return gx.numpy(), gw.numpy()
    y = ef.nn.conv2d(x, w, 1, "SAME")

    def pool():
        return ef.nn.max_pool2d(y, 2, 2, "VALID").numpy()
    cases = {"conv2d": fwd, "conv2d+grad": fwd_bwd, "max_pool": pool}
    for fn in cases.values():
        fn()
        fn()
    return cases


class Worker:
    """Another framework's interpreter, timing a case per request."""

    def __init__(self, python, setup):
        code = _WORKER.format(setup=setup.format(shape=SHAPE, filter=FILTER))
        self.proc = subprocess.Popen([python, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("failed: " + (self.proc.stderr.read().strip().splitlines() or ["no output"])[-1])
        self.version = json.loads(line)["version"]

    def time(self, case, number):
        self.proc.stdin.write(f"{case} {number}\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a smoke run, noisier numbers)")
    parser.add_argument("--rounds", type=int, help="rounds of every case on every framework (default 7)")
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON",
                                                              os.path.expanduser("~/.cache/tfdiff/venv/bin/python")))
    parser.add_argument("--torch-python", default=os.environ.get("TORCH_PYTHON", "/work/torchvenv/bin/python"))
    args = parser.parse_args()
    rounds = 2 if args.quick else (args.rounds or 7)
    calls = {case: 1 for case in CASES} if args.quick else CALLS
    load_before = os.getloadavg()
    ef_cases = eagerflow_cases()
    timers = {"eagerflow": lambda case, n: timeit.timeit(ef_cases[case], number=n) / n}
    workers, notes = {}, {}
    for name, python, setup in (("tensorflow", args.tf_python, TF_SETUP), ("pytorch", args.torch_python,
                                                                           TORCH_SETUP)):
        if not python or not os.path.exists(python):
            notes[name] = f"not run: no interpreter at {python}"
            continue
        try:
            workers[name] = Worker(python, setup)
        except RuntimeError as e:
            notes[name] = str(e)
            continue
        timers[name] = workers[name].time
    times = {name: {case: [] for case in CASES} for name in timers}
    names = list(timers)
    for r in range(rounds):
        for case in CASES:
            for name in names[r % len(names):] + names[:r % len(names)]:  # a different framework first each round
                times[name][case].append(timers[name](case, calls[case]))
    for worker in workers.values():
        worker.close()
    load_after = os.getloadavg()
    print(f"conv2d {SHAPE} NHWC x {FILTER} filter, stride 1, SAME; max_pool 2x2/2 of the result")
    print(f"median of {rounds} interleaved rounds of {'/'.join(str(calls[c]) for c in CASES)} calls; "
          f"{os.cpu_count()} CPUs; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"{'case':14s} " + " ".join(f"{k:>12s}" for k in times) + "   eagerflow / faster other (goal <= 1.5)")
    for case in CASES:
        row = [statistics.median(times[k][case]) for k in times]
        others = [k for k in times if k != "eagerflow"]
        ratio = "   n/a"
        if others:
            per_round = [times["eagerflow"][case][r] / min(times[k][case][r] for k in others) for r in range(rounds)]
            ratio = f"{statistics.median(per_round):6.2f} (rounds {min(per_round):.2f}..{max(per_round):.2f})"
        print(f"{case:14s} " + " ".join(f"{t * 1e3:9.2f} ms" for t in row) + f"   {ratio}")
    for name, note in notes.items():
        print(f"{name}: {note}")
    for name, worker in workers.items():
        print(f"{name} {worker.version}")


if __name__ == "__main__":
    sys.exit(main())
