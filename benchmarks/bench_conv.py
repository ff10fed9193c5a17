"""conv2d and max_pool of eagerflow beside TensorFlow and PyTorch, measured in the same run.

    python benchmarks/bench_conv.py [--quick] [--tf-python PATH] [--torch-python PATH]

The workload (issue 10): a (32, 32, 32, 64) NHWC float32 batch convolved with a 3x3x64x64 filter
(stride 1, SAME padding), forward and forward + backward (gradients of the input and the filter),
and a 2x2 max_pool (stride 2) of the result. Goal: within 1.5x of the faster of TF and PyTorch.

TensorFlow and PyTorch run in subprocesses of their own interpreters (neither is a dependency of
eagerflow): by default ~/.cache/tfdiff/venv/bin/python (tensorflow-cpu) and /work/torchvenv/bin/python,
or $TF_PYTHON / $TORCH_PYTHON. A framework whose interpreter is missing is reported as such. Each time
is the best of several repeats; PyTorch uses its native NCHW layout.
"""

import argparse
import json
import os
import subprocess
import sys
import timeit

import numpy as np

SHAPE, FILTER = (32, 32, 32, 64), (3, 3, 64, 64)

_TIMER = '''
import json, timeit
def best(fn, number, repeat):
    fn(); fn()
    return min(timeit.timeit(fn, number=number) / number for _ in range(repeat))
'''

TF_SCRIPT = _TIMER + '''
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np, tensorflow as tf
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
print(json.dumps({{"conv2d": best(fwd, {n}, {r}), "conv2d+grad": best(fwd_bwd, {n}, {r}),
                  "max_pool": best(pool, {n}, {r}), "version": tf.__version__}}))
'''

TORCH_SCRIPT = _TIMER + '''
import numpy as np, torch
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
print(json.dumps({{"conv2d": best(fwd, {n}, {r}), "conv2d+grad": best(fwd_bwd, {n}, {r}),
                  "max_pool": best(pool, {n}, {r}), "version": torch.__version__,
                  "threads": torch.get_num_threads()}}))
'''


def best(fn, number, repeat):
    fn()
    fn()
    return min(timeit.timeit(fn, number=number) / number for _ in range(repeat))


def eagerflow_times(number, repeat):
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
    return {"conv2d": best(fwd, number, repeat), "conv2d+grad": best(fwd_bwd, number, repeat),
            "max_pool": best(pool, number, repeat)}


def other_times(python, script, number, repeat):
    if not python or not os.path.exists(python):
        return None, f"not run: no interpreter at {python}"
    code = script.format(shape=SHAPE, filter=FILTER, n=number, r=repeat)
    out = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if out.returncode:
        return None, "failed: " + out.stderr.strip().splitlines()[-1]
    return json.loads(out.stdout.strip().splitlines()[-1]), None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, noisier numbers)")
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON",
                                                              os.path.expanduser("~/.cache/tfdiff/venv/bin/python")))
    parser.add_argument("--torch-python", default=os.environ.get("TORCH_PYTHON", "/work/torchvenv/bin/python"))
    args = parser.parse_args()
    number, repeat = (1, 2) if args.quick else (3, 5)
    results = {"eagerflow": eagerflow_times(number, repeat)}
    notes = {}
    for name, python, script in (("tensorflow", args.tf_python, TF_SCRIPT), ("pytorch", args.torch_python,
                                                                             TORCH_SCRIPT)):
        times, note = other_times(python, script, number, repeat)
        if times is None:
            notes[name] = note
        else:
            results[name] = times
    print(f"conv2d {SHAPE} NHWC x {FILTER} filter, stride 1, SAME; max_pool 2x2/2 of the result "
          f"(best of {repeat} x {number}; {os.cpu_count()} CPUs)")
    print(f"{'case':14s} " + " ".join(f"{k:>12s}" for k in results) + "   eagerflow / fastest other (goal <= 1.5)")
    for case in ("conv2d", "conv2d+grad", "max_pool"):
        row = [results[k][case] for k in results]
        others = [results[k][case] for k in results if k != "eagerflow"]
        ratio = f"{results['eagerflow'][case] / min(others):6.2f}" if others else "   n/a"
        print(f"{case:14s} " + " ".join(f"{t * 1e3:9.2f} ms" for t in row) + f"   {ratio}")
    for name, note in notes.items():
        print(f"{name}: {note}")
    for name in ("tensorflow", "pytorch"):
        if name in results:
            print(f"{name} {results[name]['version']}")


if __name__ == "__main__":
    sys.exit(main())
