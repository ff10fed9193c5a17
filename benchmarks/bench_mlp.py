"""Training step of a 784-256-10 MLP (batch 128, float32, SGD) through the whole model stack:
`ef.layers.Sequential` of `Dense` layers, `ef.GradientTape`, `ef.optimizers.SGD.apply_gradients`,
beside a hand-written NumPy forward/backward/update of the same step, in the same run.

    /tmp/venv/bin/python benchmarks/bench_mlp.py [--steps 300] [--profile]

Prints steps/s of both and the ratio (goal: eagerflow >= 0.5x NumPy), then where an eagerflow step
spends its time (forward without a tape, forward with a tape, tape.gradient, apply_gradients).
`--profile` adds a cProfile of eagerflow steps (top functions by own time).
"""

import argparse
import cProfile
import pstats

import numpy as np

import eagerflow as ef
from timing import rate  # benchmarks/timing.py

BATCH, IN, HID, OUT, LR = 128, 784, 256, 10, 0.01


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, IN)).astype(np.float32)
    y = rng.integers(0, OUT, size=BATCH).astype(np.int32)
    return x, y


# ----------------------------------------------------------------------------- NumPy, by hand

class NumpyMLP:
    def __init__(self, w1, b1, w2, b2):
        self.params = [w1.copy(), b1.copy(), w2.copy(), b2.copy()]
        self.rows = np.arange(BATCH)

    def step(self, x, y):
        w1, b1, w2, b2 = self.params
        pre = x @ w1 + b1
        hidden = np.maximum(pre, 0)
        logits = hidden @ w2 + b2
        z = logits - logits.max(axis=1, keepdims=True)
        log_softmax = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        loss = -log_softmax[self.rows, y].mean()
        d_logits = np.exp(log_softmax)
        d_logits[self.rows, y] -= 1.0
        d_logits *= np.float32(1.0 / BATCH)
        d_hidden = d_logits @ w2.T
        d_hidden *= pre > 0
        grads = (x.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0))
        for p, g in zip(self.params, grads):
            p -= np.float32(LR) * g
        return loss


# ----------------------------------------------------------------------------- eagerflow

class EagerflowMLP:
    def __init__(self):
        ef.random.set_seed(0)
        self.model = ef.layers.Sequential([ef.layers.Dense(HID, activation="relu"), ef.layers.Dense(OUT)])
        self.optimizer = ef.optimizers.SGD(learning_rate=LR)

    def loss(self, x, y):
        logits = self.model(x)
        return ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))

    def step(self, x, y):
        variables = self.model.trainable_variables
        with ef.GradientTape() as tape:
            loss = self.loss(x, y)
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables))
        return loss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--profile", action="store_true", help="cProfile eagerflow steps")
    args = parser.parse_args()

    x_np, y_np = make_data()
    x, y = ef.constant(x_np), ef.constant(y_np)
    ours = EagerflowMLP()
    ours.model(x)  # build the layers (an optimizer refuses an empty list of variables, as Keras)
    ours.step(x, y)  # and the optimizer
    dense0, dense1 = ours.model.layers
    reference = NumpyMLP(dense0.kernel.numpy(), dense0.bias.numpy(), dense1.kernel.numpy(), dense1.bias.numpy())

    # Same start, same step: the two agree (a check, not a benchmark).
    check = EagerflowMLP()
    check.model(x)
    for layer, src in zip(check.model.layers, ours.model.layers):
        layer.kernel.assign(src.kernel)
        layer.bias.assign(src.bias)
    np_check = NumpyMLP(dense0.kernel.numpy(), dense0.bias.numpy(), dense1.kernel.numpy(), dense1.bias.numpy())
    for _ in range(3):
        loss_ef, loss_np = float(check.step(x, y)), float(np_check.step(x_np, y_np))
    assert abs(loss_ef - loss_np) < 1e-4 * max(1.0, abs(loss_np)), (loss_ef, loss_np)
    np.testing.assert_allclose(check.model.layers[0].kernel.numpy(), np_check.params[0], rtol=1e-4, atol=1e-6)

    numpy_rate = rate(lambda: reference.step(x_np, y_np), args.steps)
    ef_rate = rate(lambda: ours.step(x, y), args.steps)
    numpy_rate2 = rate(lambda: reference.step(x_np, y_np), args.steps)  # bracket: the machine may drift
    numpy_rate = max(numpy_rate, numpy_rate2)
    print(f"MLP {IN}-{HID}-{OUT}, batch {BATCH}, float32, SGD({LR}); {args.steps} steps, best of 3")
    print(f"  NumPy by hand        {numpy_rate:9.1f} steps/s  ({1e6 / numpy_rate:7.1f} us/step)")
    print(f"  eagerflow            {ef_rate:9.1f} steps/s  ({1e6 / ef_rate:7.1f} us/step)")
    print(f"  ratio eagerflow/NumPy {ef_rate / numpy_rate:.2f}x  (goal >= 0.5x)")

    # Where an eagerflow step goes.
    variables = ours.model.trainable_variables
    with ef.GradientTape() as tape:
        loss = ours.loss(x, y)
    grads = tape.gradient(loss, variables)
    sgd = ef.optimizers.SGD(learning_rate=0.0)

    def taped_gradient():
        with ef.GradientTape() as t:
            out = ours.loss(x, y)
        return t.gradient(out, variables)

    parts = {
        "forward, no tape": rate(lambda: ours.loss(x, y), args.steps),
        "forward + tape.gradient": rate(taped_gradient, args.steps),
        "apply_gradients (SGD)": rate(lambda: sgd.apply_gradients(zip(grads, variables)), args.steps),
        "trainable_variables walk": rate(lambda: ours.model.trainable_variables, args.steps),
    }
    for name, r in parts.items():
        print(f"  {name:26s} {1e6 / r:7.1f} us")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.steps):
            ours.step(x, y)
        profiler.disable()
        print(f"\ncProfile of {args.steps} eagerflow steps (top 20 by own time):")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
