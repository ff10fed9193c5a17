"""Input pipeline throughput: one epoch of 60,000 x 784 float32 images with int64 labels, in batches/s.

    python benchmarks/bench_data.py [--epochs 3] [--rounds 3] [--tf PYTHON] [--no-tf]

Pipelines (the same in eagerflow and in tf.data):
  plain:      from_tensor_slices((x, y)).shuffle(10_000).batch(128).prefetch(AUTOTUNE)
  map:        from_tensor_slices((x, y)).shuffle(10_000).map(normalise).batch(128).prefetch(AUTOTUNE),
              `normalise` scaling each image (x - 0.5) / 0.25 (tf.data calls it element by element;
              eagerflow proves it elementwise and calls it once per batch, with the same bits)
and a hand-written NumPy loop over the same data (a permutation per epoch, `x[idx]` per batch;
for `map`, the batch is normalised in one vectorised step). tf.data runs in a subprocess of
TensorFlow's own interpreter (`--tf`, default ~/.cache/tfdiff/venv/bin/python), never imported here.
Every batch is touched (its first value read). The machine is shared and noisy, so the three run
in alternation, `--rounds` times; each round gives each the best of `--epochs` epochs, and the
table shows the median of the rounds.
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

N, FEATURES, BATCH, BUFFER = 60_000, 784, 128, 10_000
TF_PYTHON = os.path.expanduser("~/.cache/tfdiff/venv/bin/python")


def make_data():
    rng = np.random.default_rng(0)
    return rng.random((N, FEATURES), dtype=np.float32), rng.integers(0, 10, N).astype(np.int64)


def epoch_rate(make_iterator, epochs, touch):
    """Batches per second: the best of `epochs` full passes (an iterator made per pass)."""
    best = float("inf")
    count = 0
    for _ in range(epochs):
        start = time.perf_counter()
        count = 0
        for xb, _ in make_iterator():
            touch(xb)
            count += 1
        best = min(best, time.perf_counter() - start)
    return count / best, count


def pipelines(tf, x, y):
    def normalise(image, label):
        return (image - 0.5) / 0.25, label
    base = tf.data.Dataset.from_tensor_slices((x, y))
    return {
        "plain": base.shuffle(BUFFER).batch(BATCH).prefetch(tf.data.AUTOTUNE),
        "map": base.shuffle(BUFFER).map(normalise).batch(BATCH).prefetch(tf.data.AUTOTUNE),
    }


def run_framework(module_name, epochs):
    if module_name == "tensorflow":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    tf = __import__(module_name)
    x, y = make_data()
    out = {}
    for name, ds in pipelines(tf, x, y).items():
        out[name] = epoch_rate(ds.__iter__, epochs, lambda b: b[0, 0].numpy())[0]
    return out


def numpy_loop(x, y, normalise):
    rng = np.random.default_rng(1)

    def batches():
        order = rng.permutation(N)
        for i in range(0, N, BATCH):
            idx = order[i:i + BATCH]
            xb = x[idx]
            yield ((xb - 0.5) / 0.25 if normalise else xb), y[idx]
    return batches


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tf", default=TF_PYTHON, help="a Python with TensorFlow installed")
    ap.add_argument("--no-tf", action="store_true", help="skip the tf.data anchor")
    ap.add_argument("--framework", help=argparse.SUPPRESS)  # internal: run one framework, print JSON
    args = ap.parse_args(argv)
    if args.framework:
        print(json.dumps(run_framework(args.framework, args.epochs)))
        return

    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(here), os.environ.get("PYTHONPATH", "")]))
    use_tf = not args.no_tf and os.path.exists(args.tf)
    x, y = make_data()
    rounds = {"eagerflow": [], "tf": [], "numpy": []}
    for _ in range(args.rounds):
        rounds["eagerflow"].append(json.loads(subprocess.run(
            [sys.executable, __file__, "--framework", "eagerflow", "--epochs", str(args.epochs)], env=env,
            check=True, capture_output=True, text=True).stdout))
        rounds["numpy"].append({name: epoch_rate(numpy_loop(x, y, name == "map"), args.epochs, lambda b: b[0, 0])[0]
                                for name in ("plain", "map")})
        if use_tf:
            p = subprocess.run([args.tf, __file__, "--framework", "tensorflow", "--epochs", str(args.epochs)],
                               capture_output=True, text=True)
            if p.returncode != 0:
                print("tf.data run failed:", p.stderr.strip().splitlines()[-1:], file=sys.stderr)
                use_tf = False
            else:
                rounds["tf"].append(json.loads(p.stdout.strip().splitlines()[-1]))

    def median(side):
        return {name: float(np.median([r[name] for r in rounds[side]])) for name in ("plain", "map")}
    ef_rates, np_rates = median("eagerflow"), median("numpy")
    tf_rates = median("tf") if rounds["tf"] and use_tf else None
    print(f"one epoch of {N} x {FEATURES} float32, batch {BATCH}, shuffle buffer {BUFFER}: batches/s "
          f"(median of {args.rounds} rounds, each the best of {args.epochs} epochs)")
    print(f"{'pipeline':<8} {'eagerflow':>10} {'tf.data':>10} {'numpy loop':>11} {'ef/tf':>7} {'numpy/ef':>9}")
    for name in ("plain", "map"):
        e, n = ef_rates[name], np_rates[name]
        t = tf_rates[name] if tf_rates else float("nan")
        print(f"{name:<8} {e:>10.0f} {t:>10.0f} {n:>11.0f} {e / t:>6.2f}x {n / e:>8.2f}x")


if __name__ == "__main__":
    main()
