"""Data-parallel training with MirroredStrategy on two logical CPUs (ef.distribute, tier 1), then
asynchronous training with ParameterServerStrategy: 2 workers and 1 parameter server on a local Ray (tier 2,
`pip install 'eagerflow[distributed]'`).

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


def parameter_server_main(epochs=5, batch=64):
    """The same MLP trained by 2 workers on a local Ray, its variables on 1 parameter server (tier 2)."""
    import logging

    import ray

    (x_train, y_train), (x_test, y_test) = load_digits()
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False,
             configure_logging=False)
    resolver = ef.distribute.cluster_resolver.RayClusterResolver(num_workers=2, num_ps=1)
    strategy = ef.distribute.ParameterServerStrategy(resolver)
    coordinator = ef.distribute.coordinator.ClusterCoordinator(strategy)
    print(f"cluster: {resolver.cluster_spec().num_tasks('worker')} workers, "
          f"{resolver.cluster_spec().num_tasks('ps')} parameter server")
    ef.random.set_seed(0)
    with strategy.scope():
        model = ef.keras.Sequential([ef.keras.layers.Dense(128, activation="relu"), ef.keras.layers.Dense(10)])
        model.build((None, 64))
        optimizer = ef.keras.optimizers.SGD(0.1, momentum=0.5)
        optimizer.build(model.trainable_variables)  # slots on the parameter server too
    print("variables on", sorted({v.device for v in model.variables}))

    def dataset_fn():  # runs on each worker: its own shuffle order
        seed = ef.distribute.coordinator.experimental_get_current_worker_index()
        return ef.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(1500, seed=seed).batch(batch).repeat()
    iterator = iter(coordinator.create_per_worker_dataset(dataset_fn))

    def step(x, y):
        with ef.GradientTape() as tape:
            logits = model(x)
            loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def worker_fn(iterator):
        x, y = next(iterator)
        return strategy.run(step, args=(x, y))

    steps_per_epoch = len(x_train) // batch
    for epoch in range(epochs):
        losses = [coordinator.schedule(worker_fn, args=(iterator,)) for _ in range(steps_per_epoch)]
        coordinator.join()
        print(f"epoch {epoch + 1:2d}  loss {np.mean([v.fetch() for v in losses]):.4f}")
    predictions = ef.argmax(model(ef.constant(x_test)), axis=1, output_type=ef.int32).numpy()
    print(f"test accuracy {np.mean(predictions == y_test):.3f} after {int(optimizer.iterations.numpy())} steps")
    resolver.shutdown()
    ray.shutdown()


if __name__ == "__main__":
    main()
    print()
    parameter_server_main()
