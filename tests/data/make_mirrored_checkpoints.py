"""Write the MirroredStrategy checkpoints of the interchange case (tests/conformance/cases/
distribute_mirrored_checkpoint.py): the same TF-2 code, run once by TensorFlow and once by eagerflow.

    ~/tfvenv/bin/python tests/data/make_mirrored_checkpoints.py tensorflow   # -> tf_checkpoints/mirrored(.json)
    python tests/data/make_mirrored_checkpoints.py eagerflow                 # -> ef_checkpoints/mirrored

A module with two variables and a Keras SGD with momentum, made under a MirroredStrategy on two logical
CPUs and trained two steps (so the slots and `iterations` hold values), saved with Checkpoint.write.
"""

import importlib
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main(framework):
    tf = importlib.import_module(framework)
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
    rng = np.random.default_rng(7)
    with strategy.scope():
        model = tf.Module()
        model.w = tf.Variable(rng.standard_normal((3, 2)).astype(np.float32), name="w")
        model.b = tf.Variable(np.zeros(2, np.float32), name="b")
        opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
    x = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3)) * tf.cast(
            ctx.replica_id_in_sync_group + 1, tf.float32))

    def step(xb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.matmul(xb, model.w) + model.b)) / 8.0
        grads = tape.gradient(loss, [model.w, model.b])
        opt.apply_gradients(zip(grads, [model.w, model.b]))
        return loss

    for _ in range(2):
        strategy.run(step, args=(x,))
    out = os.path.join(HERE, "tf_checkpoints" if framework == "tensorflow" else "ef_checkpoints")
    os.makedirs(out, exist_ok=True)
    prefix = tf.train.Checkpoint(model=model, optimizer=opt).write(os.path.join(out, "mirrored"))
    if framework == "tensorflow":  # the JSON beside TF's checkpoints (every key's value) that the bundle tests read
        sys.path.insert(0, HERE)
        from make_tf_checkpoints import write_json
        write_json(prefix)
    print(prefix, np.round(model.w.numpy(), 4).tolist())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eagerflow")
