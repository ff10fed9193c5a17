"""Make the TensorFlow-written checkpoints under tests/data/tf_checkpoints/ (needs TensorFlow).

TensorFlow is never a dependency of eagerflow; run this from a scratch environment:

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu
    /tmp/tfvenv/bin/python tests/data/make_tf_checkpoints.py            # (re)make the test data
    /tmp/tfvenv/bin/python tests/data/make_tf_checkpoints.py --verify-eagerflow DIR

Each checkpoint gets a JSON beside it (`<prefix>.json`) with every key's dtype, shape and value,
and the decoded object graph, so the eagerflow tests need no TensorFlow.

`--verify-eagerflow DIR` is the reverse direction: it opens every eagerflow-written checkpoint in
DIR that has such a JSON beside it with TensorFlow (`tf.train.load_checkpoint`) and checks every
key, dtype, shape and value against the JSON; then it rebuilds the objects in TF from the object
graph and restores them with `tf.train.Checkpoint(...).restore/read(...).assert_consumed()`
(and the optimizer checkpoint into a real Keras 3 Adam). Exit status 1 on any difference. Make
DIR with `python tests/data/make_eagerflow_checkpoints.py DIR`.
"""

import argparse
import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tf_checkpoints")
GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


# ----- JSON encoding of values (shared with tests/test_bundle_format.py, which decodes it) -----
def value_to_json(dtype_name, array):
    array = np.asarray(array)
    if dtype_name == "string":
        return [bytes(x).hex() for x in array.reshape(-1)]
    if dtype_name.startswith("complex"):
        return [[float(x.real), float(x.imag)] for x in array.reshape(-1)]
    if dtype_name == "bool":
        return [bool(x) for x in array.reshape(-1)]
    if dtype_name.startswith(("int", "uint")):
        return [int(x) for x in array.reshape(-1)]
    return [float(x) for x in array.reshape(-1).astype(np.float64)]


def decode_graph_tf(serialized):
    from tensorflow.core.protobuf import trackable_object_graph_pb2

    g = trackable_object_graph_pb2.TrackableObjectGraph()
    g.ParseFromString(serialized)
    nodes = []
    for n in g.nodes:
        node = {
            "children": [{"node_id": c.node_id, "local_name": c.local_name} for c in n.children],
            "attributes": [{"name": a.name, "full_name": a.full_name, "checkpoint_key": a.checkpoint_key}
                           for a in n.attributes],
            "slot_variables": [{"original_variable_node_id": s.original_variable_node_id,
                                "slot_name": s.slot_name, "slot_variable_node_id": s.slot_variable_node_id}
                               for s in n.slot_variables],
        }
        if n.HasField("registered_saver"):
            node["registered_saver"] = {"name": n.registered_saver.name,
                                        "object_name": n.registered_saver.object_name}
        if n.HasField("has_checkpoint_values"):
            node["has_checkpoint_values"] = n.has_checkpoint_values.value
        nodes.append(node)
    return nodes


def describe(prefix):
    """What TensorFlow reads from the checkpoint at `prefix`, as a JSON-able dict."""
    import tensorflow as tf

    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    shapes = reader.get_variable_to_shape_map()
    keys = {}
    graph = None
    for key in sorted(shapes):
        value = reader.get_tensor(key)
        name = dtypes[key].name
        keys[key] = {"dtype": name, "shape": list(shapes[key]), "value": value_to_json(name, value)}
        if key == GRAPH_KEY:
            graph = decode_graph_tf(value)
    return {"keys": keys, "object_graph": graph}


def write_json(prefix):
    with open(prefix + ".json", "w") as f:
        json.dump(describe(prefix), f, indent=1, sort_keys=True)
        f.write("\n")


# ----- the checkpoints -------------------------------------------------------------------------
def make_module(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out, seed):
            super().__init__()
            rng = np.random.default_rng(seed)
            self.kernel = tf.Variable(rng.standard_normal((n_in, n_out)).astype(np.float32), name="kernel")
            self.bias = tf.Variable(np.arange(n_out, dtype=np.float32), name="bias")

    class Model(tf.Module):
        def __init__(self):
            super().__init__()
            self.dense = Dense(3, 2, 0)
            self.blocks = [Dense(2, 2, 1), Dense(2, 1, 2)]
            self.table = {"alpha": tf.Variable(1.5, name="alpha"),
                          "steps": tf.Variable(np.int64(7), name="steps")}
            self.extra = [tf.Variable([1, 2, 3], dtype=tf.int32, name="extra0")]

    model = Model()
    ckpt = tf.train.Checkpoint(model=model)
    path = ckpt.save(os.path.join(OUT, "module", "ckpt"))   # module/ckpt-1, with save_counter
    write_json(path)


def make_optimizer(tf):
    w = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    b = tf.Variable([0.25, -0.75], name="b")
    opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    opt.apply_gradients([(tf.constant([[0.1, 0.2], [0.3, 0.4]]), w), (tf.constant([1.0, -1.0]), b)])
    ckpt = tf.train.Checkpoint(w=w, b=b, optimizer=opt)
    prefix = os.path.join(OUT, "optimizer")
    ckpt.write(prefix)
    write_json(prefix)


KERAS_KERNEL = [[0.5, -1.0], [0.25, 2.0], [-0.75, 1.5]]
KERAS_X = [[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]


def make_keras_dense(tf):
    """A Keras 3 Dense layer and the Adam that trained it two steps: `model/_kernel`, `model/bias`,
    `optimizer/_iterations`, `optimizer/_learning_rate`, `optimizer/_variables/2..5`."""
    tf.keras.backend.clear_session()
    dense = tf.keras.layers.Dense(2, kernel_initializer=tf.constant_initializer(KERAS_KERNEL),
                                  bias_initializer="zeros")
    opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    x = tf.constant(KERAS_X)
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(dense(x)))
        opt.apply_gradients(zip(tape.gradient(loss, dense.trainable_variables), dense.trainable_variables))
    prefix = os.path.join(OUT, "keras_dense")
    tf.train.Checkpoint(model=dense, optimizer=opt).write(prefix)
    write_json(prefix)


def make_optimizer_slots(tf):
    """TF's own slot mechanism (slot_variables in the object graph, `.OPTIMIZER_SLOT` keys).

    Keras 3 optimizers (above) keep their moments in a plain `_variables` list; TF's v1 optimizers
    (usable eagerly) still save real slot variables, which is what old and TF-internal code writes.
    """
    w = tf.Variable([[1.0, -2.0], [0.5, 3.0]], name="w")
    b = tf.Variable([0.25, -0.75], name="b")
    opt = tf.compat.v1.train.AdamOptimizer(learning_rate=0.1)
    opt.apply_gradients([(tf.constant([[0.1, 0.2], [0.3, 0.4]]), w), (tf.constant([1.0, -1.0]), b)])
    ckpt = tf.train.Checkpoint(w=w, b=b, optimizer=opt)
    prefix = os.path.join(OUT, "optimizer_slots")
    ckpt.write(prefix)
    write_json(prefix)


def make_dtypes(tf):
    values = {
        "float16": np.float16, "bfloat16": tf.bfloat16.as_numpy_dtype, "float32": np.float32,
        "float64": np.float64, "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
        "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64,
    }
    tensors = {}
    for name, np_type in values.items():
        if name.startswith("uint"):
            info = np.iinfo(np_type)
            mat = np.array([[0, 1, 2], [info.max, info.max - 1, 7]], dtype=np_type)
        elif name.startswith("int"):
            info = np.iinfo(np_type)
            mat = np.array([[info.min, -1, 0], [1, info.max, 5]], dtype=np_type)
        else:
            mat = np.array([[-1.5, 0.0, 0.25], [3.0, 1e3, -7.125]]).astype(np_type)
        tensors[name] = (tf.constant(mat[1, 2]), tf.constant(mat))
    tensors["bool"] = (tf.constant(True), tf.constant([[True, False, True], [False, False, True]]))
    tensors["complex64"] = (tf.constant(np.complex64(1 - 2j)),
                            tf.constant(np.array([[1 + 1j, -2.5j, 3], [0, 1e3 + 0.5j, -1]], np.complex64)))
    tensors["complex128"] = (tf.constant(np.complex128(-0.5 + 4j)),
                             tf.constant(np.array([[1 + 1j, -2.5j, 3], [0, 1e3 + 0.5j, -1]], np.complex128)))
    tensors["string"] = (tf.constant(b"hello"),
                         tf.constant([[b"", b"a", "\u00e9t\u00e9".encode()], [b"\x00\xff", b"x" * 200, b"z"]]))

    root = tf.Module()
    failed = {}
    for name, (scalar, matrix) in tensors.items():
        try:
            setattr(root, f"{name}_scalar", tf.Variable(scalar))
            setattr(root, f"{name}_matrix", tf.Variable(matrix))
        except Exception as e:  # a dtype TF has no variable kernels for: save it with SaveV2 below
            failed[name] = (scalar, matrix, e)
    prefix = os.path.join(OUT, "dtypes")
    tf.train.Checkpoint(root=root).write(prefix)
    write_json(prefix)
    if failed:
        print("dtypes without variable support (saved with raw SaveV2 into dtypes_raw):",
              {k: type(v[2]).__name__ for k, v in failed.items()})
    # Every dtype (variables or not) through the raw SaveV2 op too, keys named after the dtype.
    names, slices, raw = [], [], []
    for name, (scalar, matrix) in tensors.items():
        names += [f"{name}/scalar", f"{name}/matrix"]
        slices += ["", ""]
        raw += [scalar, matrix]
    raw_prefix = os.path.join(OUT, "dtypes_raw")
    tf.raw_ops.SaveV2(prefix=raw_prefix, tensor_names=names, shape_and_slices=slices, tensors=raw)
    write_json(raw_prefix)


# ----- the reverse direction -------------------------------------------------------------------
def verify_eagerflow(directory):
    """Check every eagerflow-written checkpoint in `directory` that has a `<prefix>.json` beside it."""
    import tensorflow as tf

    failures = 0
    prefixes = sorted(p[: -len(".index")] for p in glob.glob(os.path.join(directory, "**", "*.index"),
                                                              recursive=True))
    checked = 0
    for prefix in prefixes:
        if not os.path.exists(prefix + ".json"):
            continue
        with open(prefix + ".json") as f:
            expected = json.load(f)
        got = describe(prefix)
        for key, want in expected["keys"].items():
            have = got["keys"].get(key)
            if have is None:
                print(f"FAIL {prefix}: key {key!r} missing in TensorFlow's view")
                failures += 1
                continue
            for field in ("dtype", "shape", "value"):
                if have[field] != want[field] and not _close(have[field], want[field]):
                    print(f"FAIL {prefix}: {key} {field}: TF reads {have[field]!r}, expected {want[field]!r}")
                    failures += 1
        extra = set(got["keys"]) - set(expected["keys"])
        if extra:
            print(f"FAIL {prefix}: TF sees unexpected keys {sorted(extra)}")
            failures += 1
        if expected.get("object_graph") is not None and got["object_graph"] != expected["object_graph"]:
            print(f"FAIL {prefix}: object graph differs")
            failures += 1
        checked += 1
        failures += restore_in_tf(tf, prefix, expected)
        if os.path.basename(prefix) == "optimizer":
            failures += restore_keras_adam_in_tf(tf, prefix, expected)
        if os.path.basename(prefix) == "keras_dense":
            failures += restore_keras_dense_in_tf(tf, prefix, expected)
    print(f"verified {checked} eagerflow checkpoint(s) in {directory}: {failures} failure(s)")
    return failures == 0


def json_to_array(entry):
    """The NumPy value of a JSON entry written by `value_to_json`."""
    import ml_dtypes  # noqa: F401 - registers bfloat16 with NumPy

    name, shape, values = entry["dtype"], entry["shape"], entry["value"]
    if name == "string":
        return np.array([bytes.fromhex(v) for v in values], dtype=object).reshape(shape)
    np_dtype = np.dtype(ml_dtypes.bfloat16) if name == "bfloat16" else np.dtype(name)
    if name.startswith("complex"):
        return np.array([complex(a, b) for a, b in values], dtype=np_dtype).reshape(shape)
    if name == "bool" or name.startswith(("int", "uint")):
        return np.array(values, dtype=np_dtype).reshape(shape)
    return np.array(values, dtype=np.float64).astype(np_dtype).reshape(shape)


def restore_in_tf(tf, prefix, expected):
    """Rebuild the checkpoint's objects in TF from its object graph, restore, compare; returns failures.

    Every node becomes a `tf.Module` with its children as attributes, every variable node a
    `tf.Variable` of zeros with the saved dtype and shape; then `tf.train.Checkpoint(...).restore(prefix)`
    must consume everything and give each variable exactly the saved value.
    """
    graph, keys = expected["object_graph"], expected["keys"]
    objects, variables = {}, {}

    def build(nid):
        if nid in objects:
            return objects[nid]
        node = graph[nid]
        attrs = [a for a in node["attributes"] if a["name"] == "VARIABLE_VALUE"]
        if attrs:
            entry = keys[attrs[0]["checkpoint_key"]]
            want = json_to_array(entry)
            zero = np.full(want.shape, b"", dtype=object) if want.dtype == object else np.zeros_like(want)
            obj = tf.Variable(zero, dtype=tf.as_dtype(entry["dtype"]))
            variables[attrs[0]["checkpoint_key"]] = (obj, want)
        else:
            obj = tf.Module()
        objects[nid] = obj
        for c in node["children"]:
            child = build(c["node_id"])
            if nid != 0:
                setattr(obj, c["local_name"], child)
        return obj

    build(0)
    kwargs = {c["local_name"]: objects[c["node_id"]] for c in graph[0]["children"]
              if c["local_name"] != "save_counter" and c["node_id"] != 0}
    root_edge = [c for c in graph[0]["children"] if c["node_id"] == 0]
    if root_edge:  # Checkpoint(root=obj, ...): node 0 is the root object itself
        root = objects[0]
        for name, child in kwargs.items():
            setattr(root, name, child)
        ckpt = tf.train.Checkpoint(root=root)
    else:
        ckpt = tf.train.Checkpoint(**kwargs)
    counter = [c["node_id"] for c in graph[0]["children"] if c["local_name"] == "save_counter"]
    if counter:  # save()-made: restore() creates the save counter, which takes the saved count
        key = graph[counter[0]]["attributes"][0]["checkpoint_key"]
        variables[key] = (ckpt.save_counter, variables[key][1])
    failures = 0
    try:
        # as TF documents: checkpoints made by save() are restored, those made by write() are read
        (ckpt.restore(prefix) if counter else ckpt.read(prefix)).assert_consumed()
    except Exception as e:  # noqa: BLE001 - report any failure of TF's restore
        print(f"FAIL {prefix}: TensorFlow's restore: {type(e).__name__}: {e}")
        return 1
    for key, (var, want) in variables.items():
        got = var.numpy()
        same = got.tolist() == want.tolist() if want.dtype == object else got.tobytes() == want.tobytes()
        if not same:
            print(f"FAIL {prefix}: {key}: TF restored {got!r}, expected {want!r}")
            failures += 1
    print(f"ok {prefix}: TF restored {len(variables)} variables, assert_consumed passed")
    return failures


def restore_keras_adam_in_tf(tf, prefix, expected):
    """The optimizer checkpoint into a real Keras 3 Adam: slots restored when the optimizer builds."""
    keys = expected["keys"]
    w = tf.Variable(tf.zeros((2, 2)), name="w")
    b = tf.Variable(tf.zeros(2), name="b")
    opt = tf.keras.optimizers.Adam(learning_rate=0.5)
    status = tf.train.Checkpoint(w=w, b=b, optimizer=opt).read(prefix)
    opt.build([w, b])
    try:
        status.assert_consumed()
    except AssertionError as e:
        print(f"FAIL {prefix}: Keras Adam restore: {e}")
        return 1
    got = {"w": w, "b": b, "optimizer/_iterations": opt.iterations, "optimizer/_learning_rate": opt.learning_rate}
    got.update({f"optimizer/_variables/{i}": v for i, v in enumerate(opt.variables) if i >= 2})
    failures = 0
    for path, var in got.items():
        want = json_to_array(keys[f"{path}/.ATTRIBUTES/VARIABLE_VALUE"])
        if np.asarray(var.numpy()).tobytes() != want.tobytes():
            print(f"FAIL {prefix}: Keras Adam {path}: TF restored {var.numpy()!r}, expected {want!r}")
            failures += 1
    print(f"ok {prefix}: a Keras 3 Adam restored {len(got)} values (slots deferred to build)")
    return failures


def restore_keras_dense_in_tf(tf, prefix, expected):
    """The Dense + Adam checkpoint into a real Keras 3 Dense and Adam, which then train on as saved."""
    keys = expected["keys"]
    dense = tf.keras.layers.Dense(2)
    dense(tf.zeros([1, 3]))
    opt = tf.keras.optimizers.Adam(learning_rate=0.5)
    opt.build(dense.trainable_variables)
    try:
        tf.train.Checkpoint(model=dense, optimizer=opt).read(prefix).assert_consumed()
    except AssertionError as e:
        print(f"FAIL {prefix}: Keras Dense restore: {e}")
        return 1
    got = {"model/_kernel": dense.kernel, "model/bias": dense.bias, "optimizer/_iterations": opt.iterations,
           "optimizer/_learning_rate": opt.learning_rate}
    got.update({f"optimizer/_variables/{i}": v for i, v in enumerate(opt.variables) if i >= 2})
    failures = 0
    for path, var in got.items():
        want = json_to_array(keys[f"{path}/.ATTRIBUTES/VARIABLE_VALUE"])
        if np.asarray(var.numpy()).tobytes() != want.tobytes():
            print(f"FAIL {prefix}: Keras Dense {path}: TF restored {var.numpy()!r}, expected {want!r}")
            failures += 1
    print(f"ok {prefix}: a Keras 3 Dense and Adam restored {len(got)} values")
    return failures


def _close(a, b):
    try:
        return np.allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64), equal_nan=True)
    except (TypeError, ValueError):
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verify-eagerflow", metavar="DIR",
                        help="check eagerflow-written checkpoints in DIR with TensorFlow instead")
    args = parser.parse_args(argv)
    if args.verify_eagerflow:
        return 0 if verify_eagerflow(args.verify_eagerflow) else 1
    import tensorflow as tf

    tf.random.set_seed(0)
    os.makedirs(OUT, exist_ok=True)
    make_module(tf)
    make_optimizer(tf)
    make_optimizer_slots(tf)
    make_keras_dense(tf)
    make_dtypes(tf)
    print("wrote", sorted(os.listdir(OUT)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
