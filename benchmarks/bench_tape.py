"""The tape's cost: a 784-256-10 MLP training step (batch 128, float32, SGD) with GradientTape,
beside a hand-written NumPy forward/backward of the same step, in the same run.

    /tmp/venv/bin/python benchmarks/bench_tape.py [--steps 200]

Prints steps/s for both, their ratio (the issue's goal: eagerflow >= 0.5x NumPy), the time of the
forward alone (with and without a tape: the recording cost) and of tape.gradient.
"""

import argparse

import numpy as np

import eagerflow as ef
from timing import rate  # benchmarks/timing.py

BATCH, IN, HID, OUT, LR = 128, 784, 256, 10, 0.01


def data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, IN)).astype(np.float32)
    y = rng.integers(0, OUT, size=BATCH).astype(np.int64)
    w1 = (rng.standard_normal((IN, HID)) * np.sqrt(2 / IN)).astype(np.float32)
    w2 = (rng.standard_normal((HID, OUT)) * np.sqrt(2 / HID)).astype(np.float32)
    return x, y, w1, np.zeros(HID, np.float32), w2, np.zeros(OUT, np.float32)


def numpy_step(x, y, params):
    w1, b1, w2, b2 = params
    h_pre = x @ w1 + b1
    h = np.maximum(h_pre, 0)
    logits = h @ w2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_p[np.arange(BATCH), y].mean()
    d_logits = np.exp(log_p)
    d_logits[np.arange(BATCH), y] -= 1
    d_logits /= BATCH
    g_w2 = h.T @ d_logits
    g_b2 = d_logits.sum(axis=0)
    d_h = d_logits @ w2.T
    d_h[h_pre <= 0] = 0
    g_w1 = x.T @ d_h
    g_b1 = d_h.sum(axis=0)
    for p, g in zip(params, (g_w1, g_b1, g_w2, g_b2)):
        p -= LR * g
    return loss


def eagerflow_forward(x, y, params):
    w1, b1, w2, b2 = params
    h = ef.nn.relu(ef.nn.bias_add(ef.matmul(x, w1), b1))
    logits = ef.nn.bias_add(ef.matmul(h, w2), b2)
    return ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(y, logits))


def eagerflow_step(x, y, params):
    with ef.GradientTape() as tape:
        loss = eagerflow_forward(x, y, params)
    grads = tape.gradient(loss, params)
    for p, g in zip(params, grads):
        p.assign_sub(g * LR)
    return loss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    args = parser.parse_args()

    x, y, *init = data()
    np_params = [p.copy() for p in init]
    ef_params = [ef.Variable(p) for p in init]
    xt, yt = ef.constant(x), ef.constant(y)

    # the same numbers: one step each from the same start
    a = numpy_step(x, y, [p.copy() for p in init])
    b = float(eagerflow_step(xt, yt, [ef.Variable(p) for p in init]))
    assert abs(a - b) < 1e-4 * max(1.0, abs(a)), (a, b)

    np_rate = rate(lambda: numpy_step(x, y, np_params), args.steps)
    ef_rate = rate(lambda: eagerflow_step(xt, yt, ef_params), args.steps)
    fwd_plain = rate(lambda: eagerflow_forward(xt, yt, ef_params), args.steps)

    def forward_taped():
        with ef.GradientTape():
            eagerflow_forward(xt, yt, ef_params)
    fwd_taped = rate(forward_taped, args.steps)

    print(f"MLP {IN}-{HID}-{OUT}, batch {BATCH}, float32, SGD; {args.steps} steps x best of 3")
    print(f"  NumPy hand-written step     {np_rate:9.1f} steps/s  ({1e3 / np_rate:.3f} ms)")
    print(f"  eagerflow GradientTape step {ef_rate:9.1f} steps/s  ({1e3 / ef_rate:.3f} ms)")
    print(f"  ratio eagerflow / NumPy     {ef_rate / np_rate:9.2f}x  (goal >= 0.5x)")
    print(f"  forward without tape        {1e3 / fwd_plain:9.3f} ms")
    print(f"  forward with tape           {1e3 / fwd_taped:9.3f} ms  (recording cost "
          f"{1e6 * (1 / fwd_taped - 1 / fwd_plain):.1f} us)")


if __name__ == "__main__":
    main()
