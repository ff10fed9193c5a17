"""Data-parallel training with MirroredStrategy on two logical CPUs (ef.distribute, tier 1).

    python examples/distributed_training.py

Trains the 64-128-10 MLP of examples/train_digits.py on scikit-learn's 8x8 digits with each global batch
split over two replicas, and prints the loss per epoch and the test accuracy; the replicas' copies of
every variable stay equal.
"""

import numpy as np

import eagerflow as ef

cpu = ef.config.list_physical_devices("CPU")[0]
ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)


def load_digits():
    from sklearn.datasets import load_digits as sk_digits
    digits = sk_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int32)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    return (x[:1500], y[:1500]), (x[1500:], y[1500:])


def main(epochs=10, global_batch=64):
    (x_train, y_train), (x_test, y_test) = load_digits()
    strategy = ef.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
    print(f"replicas: {strategy.num_replicas_in_sync} on {[d[-5:] for d in strategy.extended.worker_devices]}")
    ef.random.set_seed(0)
    with strategy.scope():
        model = ef.keras.Sequential([ef.keras.layers.Dense(128, activation="relu"), ef.keras.layers.Dense(10)])
        model.build((None, 64))
        optimizer = ef.keras.optimizers.SGD(0.2, momentum=0.9)
    dataset = ef.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1500, seed=0).batch(global_batch)
    distributed = strategy.experimental_distribute_dataset(dataset)

    def step(x, y):
        with ef.GradientTape() as tape:
            logits = model(x)
            loss = ef.reduce_sum(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)) / global_batch
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    for epoch in range(epochs):
        total, batches = 0.0, 0
        for x, y in distributed:
            total += float(strategy.reduce("SUM", strategy.run(step, args=(x, y)), axis=None))
            batches += 1
        print(f"epoch {epoch + 1:2d}  loss {total / batches:.4f}")
    predictions = ef.argmax(model(ef.constant(x_test)), axis=1, output_type=ef.int32).numpy()
    print(f"test accuracy {np.mean(predictions == y_test):.3f}")
    kernel = model.layers[0].kernel.value  # the Keras variable wraps the mirrored variable
    print("replica copies equal:", all(np.array_equal(kernel.values[0].numpy(), c.numpy()) for c in kernel.values))


if __name__ == "__main__":
    main()
