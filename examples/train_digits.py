"""Train an MLP (64-128-10) on scikit-learn's bundled 8x8 digits with eagerflow.

Uses `ef.data` (a shuffled, batched, prefetched pipeline), `ef.Module`, `ef.layers.Dense`,
`ef.GradientTape` and `ef.optimizers.Adam`, written as one would with TensorFlow
(`import eagerflow as tf` works the same). No download: the data set ships
with scikit-learn (`pip install eagerflow[examples]`).

    python examples/train_digits.py --epochs 20 --seed 0
    python examples/train_digits.py --epochs 20 --checkpoint-dir /tmp/digits   # stop any time, rerun to resume

Prints the mean training loss and the test accuracy after each epoch (a progress bar goes to
stderr), then the final test accuracy (about 97% after 20 epochs).
"""

import argparse
import sys
import time

import numpy as np

import eagerflow as ef


class MLP(ef.Module):
    """Two dense layers: 64 inputs -> 128 ReLU units -> 10 logits."""

    def __init__(self, hidden=128, classes=10, name=None):
        super().__init__(name=name)
        self.hidden = ef.layers.Dense(hidden, activation="relu")
        self.logits = ef.layers.Dense(classes)

    @ef.Module.with_name_scope
    def __call__(self, x):
        return self.logits(self.hidden(x))


def load_data(seed):
    """(x_train, y_train, x_test, y_test): pixels scaled to [0, 1], a stratified 80/20 split."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed, stratify=y)
    return x_train, y_train, x_test, y_test


def progress(done, total, loss, width=30, stream=sys.stderr):
    """A one-line text progress bar, redrawn in place."""
    filled = int(width * done / total)
    stream.write(f"\r  [{'=' * filled}{'.' * (width - filled)}] {done}/{total} loss {loss:.4f}")
    if done == total:
        stream.write("\r" + " " * (width + 40) + "\r")
    stream.flush()


def train_step(model, optimizer, x, y):
    with ef.GradientTape() as tape:
        logits = model(x)
        loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return float(loss)


def accuracy(model, x, y):
    predictions = ef.argmax(model(x), axis=1, output_type=ef.int32).numpy()
    return float(np.mean(predictions == y))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=20, help="number of passes over the training set (20)")
    parser.add_argument("--batch-size", type=int, default=32, help="examples per step (32)")
    parser.add_argument("--learning-rate", type=float, default=2e-3, help="Adam's learning rate (0.002)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the split, the initial weights and the shuffle")
    parser.add_argument("--checkpoint-dir", default=None,
                        help="save a checkpoint after each epoch here, and resume from the latest one")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    ef.random.set_seed(args.seed)
    x_train, y_train, x_test, y_test = load_data(args.seed)
    model = MLP()
    optimizer = ef.optimizers.Adam(learning_rate=args.learning_rate)
    epoch = ef.Variable(0, dtype=ef.int64, trainable=False, name="epoch")

    # Create every variable now (model and optimizer slots) so that a checkpoint restores into them.
    model(x_train[:1])
    optimizer.build(model.trainable_variables)

    # The input pipeline: each pass over the data reshuffles; the iterator's position is checkpointed.
    n = len(x_train)
    steps = (n + args.batch_size - 1) // args.batch_size
    train_data = (ef.data.Dataset.from_tensor_slices((x_train, y_train))
                  .shuffle(n, seed=args.seed).batch(args.batch_size).repeat().prefetch(ef.data.AUTOTUNE))
    batches = iter(train_data)

    # ---- checkpoint hook: stop and resume with ef.train.CheckpointManager -------------------------
    manager = None
    if args.checkpoint_dir:
        checkpoint = ef.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch, iterator=batches)
        manager = ef.train.CheckpointManager(checkpoint, args.checkpoint_dir, max_to_keep=3)
        if manager.latest_checkpoint:
            checkpoint.restore(manager.latest_checkpoint)
            print(f"resumed from {manager.latest_checkpoint} after epoch {int(epoch)}")
    # ------------------------------------------------------------------------------------------------

    history = {"loss": [], "test_accuracy": []}
    start = time.perf_counter()
    while int(epoch) < args.epochs:
        e = int(epoch)
        total = 0.0
        for step in range(steps):
            x, y = next(batches)
            loss = train_step(model, optimizer, x, y)
            total += loss * int(x.shape[0])
            if not args.quiet:
                progress(step + 1, steps, loss)
        epoch.assign_add(1)
        mean_loss = total / n
        test_acc = accuracy(model, x_test, y_test)
        history["loss"].append(mean_loss)
        history["test_accuracy"].append(test_acc)
        print(f"epoch {e + 1:3d}/{args.epochs}  loss {mean_loss:.4f}  test accuracy {test_acc:.4f}", flush=True)
        if manager is not None:
            manager.save()
    elapsed = time.perf_counter() - start
    history["train_accuracy"] = accuracy(model, x_train, y_train)
    history["final_test_accuracy"] = accuracy(model, x_test, y_test)
    print(f"train accuracy {history['train_accuracy']:.4f}  test accuracy {history['final_test_accuracy']:.4f}  "
          f"({elapsed:.1f} s, {int(optimizer.iterations)} steps)")
    return history


if __name__ == "__main__":
    main()
