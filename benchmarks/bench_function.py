"""`ef.function` against eager eagerflow, NumPy by hand and TF's `tf.function`, in one run.

    python benchmarks/bench_function.py [--steps 200] [--no-tf]

1. The MLP training step of bench_mlp.py (784-256-10, batch 128, GradientTape + SGD): eager, under
   `ef.function` (traced once, then replayed), NumPy by hand, and TF 2.21's `tf.function` (run in the
   reference venv of ../shared/tools/tfdiff, ~/.cache/tfdiff/venv, when it exists; never a dependency).
2. A small-op workload: a 50-step recurrent cell on (1, 16) tensors (h = tanh(x W + h U + b), ~300 ops
   a call), eager vs `ef.function`.

Goals (issue 12): MLP under ef.function >= 1.3x eager and >= TF's tf.function; small ops >= 3x eager.
"""

import argparse
import os
import subprocess
import sys
import textwrap

import numpy as np

import eagerflow as ef
from bench_mlp import EagerflowMLP, NumpyMLP, make_data  # benchmarks/
from timing import rate

TF_PYTHON = os.path.expanduser(os.environ.get("TFDIFF_VENV", "~/.cache/tfdiff/venv") + "/bin/python")

TF_MLP = textwrap.dedent("""
    import os, sys, time
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np, tensorflow as tf
    steps = int(sys.argv[1])
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((128, 784)).astype(np.float32))
    y = tf.constant(rng.integers(0, 10, size=128).astype(np.int32))
    model = tf.keras.Sequential([tf.keras.layers.Dense(256, activation="relu"), tf.keras.layers.Dense(10)])
    opt = tf.keras.optimizers.SGD(0.01)
    model(x)
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=model(x)))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    for _ in range(10):
        step(x, y)
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(steps):
            step(x, y)
        step(x, y).numpy()
        best = min(best, time.perf_counter() - t)
    print(steps / best)
""")


def tf_mlp_rate(steps):
    if not os.path.exists(TF_PYTHON):
        return None
    out = subprocess.run([TF_PYTHON, "-c", TF_MLP, str(steps)], capture_output=True, text=True, timeout=600)
    return float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else None


def rnn_cell(x, h, w, u, b, steps=50):
    for _ in range(steps):
        h = ef.tanh(ef.matmul(x, w) + ef.matmul(h, u) + b)
        x = h * 0.5 + x * 0.5
    return h


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--no-tf", action="store_true", help="skip the TensorFlow anchor")
    args = parser.parse_args()

    x_np, y_np = make_data()
    x, y = ef.constant(x_np), ef.constant(y_np)
    eager, traced = EagerflowMLP(), EagerflowMLP()
    eager.model(x)
    eager.step(x, y)
    traced.model(x)
    for a, b in zip(eager.model.layers, traced.model.layers):
        b.kernel.assign(a.kernel)
        b.bias.assign(a.bias)
    step = ef.function(traced.step)
    dense0, dense1 = eager.model.layers
    reference = NumpyMLP(dense0.kernel.numpy(), dense0.bias.numpy(), dense1.kernel.numpy(), dense1.bias.numpy())
    # the same start, the same steps: bit-identical losses (a check, not a benchmark)
    a = EagerflowMLP()
    a.model(x)
    for la, lb in zip(a.model.layers, traced.model.layers):
        la.kernel.assign(lb.kernel)
        la.bias.assign(lb.bias)
    for _ in range(3):
        assert float(a.step(x, y)) == float(step(x, y))
    assert step.experimental_get_tracing_count() == 1

    numpy_rate = rate(lambda: reference.step(x_np, y_np), args.steps)
    eager_rate = rate(lambda: eager.step(x, y), args.steps)
    fn_rate = rate(lambda: step(x, y), args.steps)
    eager_rate = max(eager_rate, rate(lambda: eager.step(x, y), args.steps))  # bracket: the machine drifts
    tf_rate = None if args.no_tf else tf_mlp_rate(args.steps)

    print(f"MLP 784-256-10 training step (batch 128, SGD), {args.steps} steps, best of 3")
    print(f"  NumPy by hand          {numpy_rate:8.1f} steps/s")
    print(f"  eagerflow eager        {eager_rate:8.1f} steps/s")
    print(f"  eagerflow ef.function  {fn_rate:8.1f} steps/s   {fn_rate / eager_rate:.2f}x eager  (goal >= 1.3x)")
    if tf_rate is not None:
        print(f"  TF tf.function         {tf_rate:8.1f} steps/s   ef.function / TF = {fn_rate / tf_rate:.2f}x "
              f"(goal >= 1x)")
    else:
        print("  TF tf.function         (no TF venv: run ../shared/tools/tfdiff --setup)")

    rng = np.random.default_rng(1)
    w, u = (ef.constant(rng.standard_normal((16, 16)).astype(np.float32) * 0.3) for _ in range(2))
    b = ef.constant(np.zeros(16, np.float32))
    x0, h0 = ef.constant(rng.standard_normal((1, 16)).astype(np.float32)), ef.zeros([1, 16])
    cell = ef.function(rnn_cell)
    np.testing.assert_array_equal(cell(x0, h0, w, u, b).numpy(), rnn_cell(x0, h0, w, u, b).numpy())
    eager_cell = rate(lambda: rnn_cell(x0, h0, w, u, b), max(20, args.steps // 4))
    fn_cell = rate(lambda: cell(x0, h0, w, u, b), max(20, args.steps // 4))
    print("Recurrent cell, 50 steps on (1, 16) tensors (300 ops a call)")
    print(f"  eagerflow eager        {eager_cell:8.1f} calls/s  ({1e6 / eager_cell / 300:.2f} us/op)")
    print(f"  eagerflow ef.function  {fn_cell:8.1f} calls/s  ({1e6 / fn_cell / 300:.2f} us/op)   "
          f"{fn_cell / eager_cell:.2f}x eager  (goal >= 3x)")


if __name__ == "__main__":
    sys.exit(main())
