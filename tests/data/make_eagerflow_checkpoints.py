"""Write eagerflow checkpoints for TensorFlow to verify (the reverse direction of interchange).

    /tmp/venv/bin/python tests/data/make_eagerflow_checkpoints.py DIR
    /tmp/tfvenv/bin/python tests/data/make_tf_checkpoints.py --verify-eagerflow DIR

Each checkpoint gets `<prefix>.json` beside it in the format of make_tf_checkpoints.py (every key's
dtype, shape and value as eagerflow wrote them, and the object graph), which the verifier compares
with what TensorFlow reads, and from which it rebuilds the objects in TensorFlow to restore them
with `tf.train.Checkpoint(...).restore(prefix).assert_consumed()`.
"""

import json
import os
import sys

import numpy as np

import eagerflow as ef
from eagerflow.checkpoint.bundle import BundleReader
from eagerflow.checkpoint.object_graph import OBJECT_GRAPH_KEY, object_graph_from_tensor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tf_checkpoints import KERAS_KERNEL, KERAS_X, value_to_json  # noqa: E402


def describe(prefix):
    keys, graph = {}, None
    with BundleReader(prefix) as r:
        for key in r.keys():
            dtype, shape = r.dtype_and_shape(key)
            value = r.read(key)
            keys[key] = {"dtype": dtype.name, "shape": list(shape), "value": value_to_json(dtype.name, value)}
            if key == OBJECT_GRAPH_KEY:
                graph = object_graph_from_tensor(value)
    return {"keys": keys, "object_graph": graph}


def write_json(prefix):
    with open(prefix + ".json", "w") as f:
        json.dump(describe(prefix), f, indent=1, sort_keys=True)
        f.write("\n")


def main(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(0)

    class Block(ef.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.kernel = ef.Variable(rng.standard_normal((n_in, n_out)).astype(np.float32), name="kernel")
            self.bias = ef.Variable(np.arange(n_out, dtype=np.float32), name="bias")

    class Model(ef.Module):
        def __init__(self):
            super().__init__()
            self.dense = Block(3, 2)
            self.blocks = [Block(2, 2), Block(2, 1)]
            self.table = {"alpha": ef.Variable(1.5, name="alpha"), "steps": ef.Variable(np.int64(7), name="steps")}

    manager = ef.train.CheckpointManager(ef.train.Checkpoint(model=Model()), os.path.join(directory, "module"),
                                         max_to_keep=5)
    write_json(manager.save())

    w = ef.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    b = ef.Variable([0.25, -0.75], name="b")
    opt = ef.optimizers.Adam(learning_rate=0.1)
    opt.apply_gradients([(ef.constant([[0.1, 0.2], [0.3, 0.4]]), w), (ef.constant([1.0, -1.0]), b)])
    write_json(ef.train.Checkpoint(w=w, b=b, optimizer=opt).write(os.path.join(directory, "optimizer")))

    ef.keras.backend.clear_session()  # the same Dense + Adam as make_tf_checkpoints.make_keras_dense
    dense = ef.keras.layers.Dense(2, kernel_initializer=lambda shape, dtype: ef.constant(KERAS_KERNEL, dtype))
    adam = ef.keras.optimizers.Adam(learning_rate=0.1)
    x = ef.constant(KERAS_X)
    for _ in range(2):
        with ef.GradientTape() as tape:
            loss = ef.reduce_sum(ef.square(dense(x)))
        adam.apply_gradients(zip(tape.gradient(loss, dense.trainable_variables), dense.trainable_variables))
    write_json(ef.train.Checkpoint(model=dense, optimizer=adam).write(os.path.join(directory, "keras_dense")))
    root = ef.Module()
    for d in ef.dtypes.ALL_DTYPES:
        if d is ef.string:
            value = np.array([[b"", b"a", "\u00e9t\u00e9".encode()], [b"\x00\xff", b"x" * 200, b"z"]], dtype=object)
        elif d is ef.bool:
            value = np.array([[True, False, True], [False, False, True]])
        else:
            value = np.array([[0, 1, 2], [3, 4, 5]]).astype(d.as_numpy_dtype)
        setattr(root, f"{d.name}_matrix", ef.Variable(value, dtype=d))
    write_json(ef.train.Checkpoint(root=root).write(os.path.join(directory, "dtypes")))
    print("wrote eagerflow checkpoints to", directory)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/eagerflow_checkpoints")
