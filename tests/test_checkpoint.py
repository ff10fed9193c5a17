"""ef.train checkpoints: TF interchange, round trips, deferred restoration, manager, safetensors, faults."""

import doctest
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import weakref

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef
from eagerflow import dtypes, errors
from eagerflow.checkpoint.bundle import BundleReader, data_filename
from eagerflow.checkpoint.object_graph import read_object_graph
from tf_data import TF_DIR, expected_value

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def _load_json(prefix):
    with open(os.path.join(TF_DIR, prefix + ".json")) as f:
        return json.load(f)


def _same(got, want):
    # a scalar string variable's numpy() is bytes (as TF): compare it as a 0-d object array
    got, want = (np.asarray(v, dtype=object) if isinstance(v, bytes) else np.asarray(v) for v in (got, want))
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.dtype, want.shape)
    if got.dtype == object:
        assert got.tolist() == want.tolist()
    else:
        assert got.tobytes() == want.tobytes()


def _graph_of(prefix):
    with BundleReader(prefix) as r:
        return read_object_graph(r)


# ----- objects matching the TF-made files ----------------------------------------------------------
class Dense(ef.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.kernel = ef.Variable(np.zeros((n_in, n_out), np.float32), name="kernel")
        self.bias = ef.Variable(np.zeros(n_out, np.float32), name="bias")


class Model(ef.Module):
    def __init__(self):
        super().__init__()
        self.dense = Dense(3, 2)
        self.blocks = [Dense(2, 2), Dense(2, 1)]
        self.table = {"alpha": ef.Variable(0.0, name="alpha"), "steps": ef.Variable(np.int64(0), name="steps")}
        self.extra = [ef.Variable([0, 0, 0], dtype=ef.int32, name="extra0")]


def _model_variables(model):
    return {"model/dense/kernel": model.dense.kernel, "model/dense/bias": model.dense.bias,
            "model/blocks/0/kernel": model.blocks[0].kernel, "model/blocks/0/bias": model.blocks[0].bias,
            "model/blocks/1/kernel": model.blocks[1].kernel, "model/blocks/1/bias": model.blocks[1].bias,
            "model/table/alpha": model.table["alpha"], "model/table/steps": model.table["steps"],
            "model/extra/0": model.extra[0]}


def _key(path):
    return f"{path}/.ATTRIBUTES/VARIABLE_VALUE"


# ----- TensorFlow-written checkpoints restore exactly ------------------------------------------------
@pytest.mark.usefixtures("crc_implementation")
def test_tf_module_checkpoint_restores_exactly(tmp_path):
    expected = _load_json("module/ckpt-1")
    model = Model()
    ckpt = ef.train.Checkpoint(model=model)
    status = ckpt.restore(os.path.join(TF_DIR, "module", "ckpt-1"))
    status.assert_consumed().assert_existing_objects_matched().assert_nontrivial_match()
    for path, var in _model_variables(model).items():
        e = expected["keys"][_key(path)]
        _same(var.numpy(), expected_value(e["dtype"], e["shape"], e["value"]))
    assert int(ckpt.save_counter.numpy()) == 1
    # saving continues the numbering, and the object graph written is TF's, node for node
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert os.path.basename(path) == "ckpt-2"
    assert _graph_of(path) == expected["object_graph"]
    assert ef.train.latest_checkpoint(str(tmp_path)) == path
    checksum_line, state = (tmp_path / "checkpoint").read_text().split("\n", 1)   # TF's text after a comment
    assert state == 'model_checkpoint_path: "ckpt-2"\nall_model_checkpoint_paths: "ckpt-2"\n'
    assert checksum_line.startswith("# eagerflow-crc32c: ")
    assert ef.train.latest_checkpoint(os.path.join(TF_DIR, "module")) == os.path.join(TF_DIR, "module", "ckpt-1")


def _dtype_root(expected):
    class Root(ef.Module):
        pass

    root = Root()
    for key, e in expected["keys"].items():
        if key.startswith("_"):
            continue
        name = key.split("/")[0]
        dtype = dtypes.as_dtype(e["dtype"])
        zero = np.zeros(e["shape"], dtype=object if dtype is ef.string else dtype.as_numpy_dtype)
        if dtype is ef.string:
            zero[...] = b""
        setattr(root, name, ef.Variable(zero, dtype=dtype))
    return root


@pytest.mark.usefixtures("crc_implementation")
def test_tf_dtypes_checkpoint_restores_every_dtype_exactly(tmp_path):
    expected = _load_json("dtypes")
    names = [c["local_name"] for c in expected["object_graph"][0]["children"] if c["local_name"] != "root"]
    root = _dtype_root({"keys": {_key(n): expected["keys"][_key(n)] for n in names}})
    ef.train.Checkpoint(root=root).read(os.path.join(TF_DIR, "dtypes")).assert_consumed()  # written by write()
    seen = set()
    for n in names:
        e = expected["keys"][_key(n)]
        _same(getattr(root, n).numpy(), expected_value(e["dtype"], e["shape"], e["value"]))
        seen.add(e["dtype"])
    assert {"bfloat16", "string", "complex128", "uint64", "bool", "float16"} <= seen
    # written back, the graph is TF's (including the root's 'root' edge to itself)
    path = ef.train.Checkpoint(root=root).write(str(tmp_path / "dtypes"))
    assert _graph_of(path)[0]["children"] == expected["object_graph"][0]["children"]
    got = ef.train.load_checkpoint(path)
    for key, e in expected["keys"].items():
        if not key.startswith("_"):
            _same(got.get_tensor(key), expected_value(e["dtype"], e["shape"], e["value"]))
            assert got.get_variable_to_dtype_map()[key].name == e["dtype"]


def test_reader_api_on_tf_raw_checkpoint():
    expected = _load_json("dtypes_raw")
    prefix = os.path.join(TF_DIR, "dtypes_raw")
    reader = ef.train.load_checkpoint(prefix + ".index")
    assert sorted(reader.get_variable_to_shape_map()) == sorted(expected["keys"])
    for key, e in expected["keys"].items():
        assert reader.has_tensor(key)
        assert reader.get_variable_to_shape_map()[key] == e["shape"]
        _same(ef.train.load_variable(prefix, key), expected_value(e["dtype"], e["shape"], e["value"]))
    assert not reader.has_tensor("nope")
    listed = ef.train.list_variables(prefix)
    assert [k for k, _ in listed] == sorted(expected["keys"]) and all(isinstance(s, list) for _, s in listed)
    with pytest.raises(errors.NotFoundError, match="Did you mean"):
        reader.get_tensor("float32/scalr")


def test_tf_keras3_optimizer_checkpoint_restores_with_deferred_slots():
    expected = _load_json("optimizer")
    prefix = os.path.join(TF_DIR, "optimizer")
    w = ef.Variable(np.zeros((2, 2), np.float32), name="w")
    b = ef.Variable(np.zeros(2, np.float32), name="b")
    opt = ef.optimizers.Adam(learning_rate=0.5)
    status = ef.train.Checkpoint(w=w, b=b, optimizer=opt).read(prefix)
    # the slots do not exist yet: their values wait
    assert status.report().unexpected == [_key(f"optimizer/_variables/{i}") for i in range(2, 6)]
    with pytest.raises(AssertionError, match="_variables/2"):
        status.assert_consumed()
    status.assert_existing_objects_matched()
    opt.build([w, b])        # what the first apply_gradients does: slots are created, then restored
    status.assert_consumed()
    got = {"w": w, "b": b, "optimizer/_iterations": opt.iterations, "optimizer/_learning_rate": opt._learning_rate,
           "optimizer/_variables/2": opt.get_slot(w, "momentum"), "optimizer/_variables/3": opt.get_slot(w, "velocity"),
           "optimizer/_variables/4": opt.get_slot(b, "momentum"), "optimizer/_variables/5": opt.get_slot(b, "velocity")}
    for path, var in got.items():
        e = expected["keys"][_key(path)]
        _same(var.numpy(), expected_value(e["dtype"], e["shape"], e["value"]))


def _keras_dense_values(dense, opt):
    got = {"model/_kernel": dense.kernel, "model/bias": dense.bias, "optimizer/_iterations": opt.iterations,
           "optimizer/_learning_rate": opt.learning_rate}
    got.update({f"optimizer/_variables/{i}": v for i, v in enumerate(opt.variables) if i >= 2})
    return got


def test_tf_keras3_dense_and_adam_checkpoint_restores_into_keras_layers(tmp_path):
    expected = _load_json("keras_dense")
    dense = ef.keras.layers.Dense(2)
    dense(ef.zeros([1, 3]))
    opt = ef.keras.optimizers.Adam(learning_rate=0.5)
    opt.build(dense.trainable_variables)
    ef.train.Checkpoint(model=dense, optimizer=opt).read(os.path.join(TF_DIR, "keras_dense")).assert_consumed()
    for path, var in _keras_dense_values(dense, opt).items():
        e = expected["keys"][_key(path)]
        _same(var.numpy(), expected_value(e["dtype"], e["shape"], e["value"]))
    # the same training in eagerflow writes the same keys, and values TF's within float32 rounding
    out = subprocess.run([sys.executable, os.path.join(HERE, "data", "make_eagerflow_checkpoints.py"), str(tmp_path)],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=REPO), timeout=60)
    assert out.returncode == 0, out.stderr
    with open(tmp_path / "keras_dense.json") as f:
        ours = json.load(f)
    assert sorted(ours["keys"]) == sorted(expected["keys"])
    for key, e in expected["keys"].items():
        if key != "_CHECKPOINTABLE_OBJECT_GRAPH":
            np.testing.assert_allclose(ours["keys"][key]["value"], e["value"], rtol=1e-6, atol=1e-7, err_msg=key)


def test_tf1_slot_variables_restore_into_keras_slots():
    expected = _load_json("optimizer_slots")
    w = ef.Variable(np.zeros((2, 2), np.float32), name="w")
    b = ef.Variable(np.zeros(2, np.float32), name="b")
    opt = ef.optimizers.Adam(learning_rate=0.1)
    opt.build([w, b])
    status = ef.train.Checkpoint(w=w, b=b, optimizer=opt).restore(os.path.join(TF_DIR, "optimizer_slots"))
    for var, name in ((w, "w"), (b, "b")):
        for tf_slot, slot in (("m", "momentum"), ("v", "velocity")):
            e = expected["keys"][f"{name}/.OPTIMIZER_SLOT/optimizer/{tf_slot}/.ATTRIBUTES/VARIABLE_VALUE"]
            _same(opt.get_slot(var, slot).numpy(), expected_value(e["dtype"], e["shape"], e["value"]))
    report = status.expect_partial().report()
    assert report.unexpected == [_key("optimizer/beta1_power"), _key("optimizer/beta2_power")]
    assert _key("optimizer/_iterations") in report.missing


# ----- round trips -------------------------------------------------------------------------------
def _every_dtype_values():
    rng = np.random.default_rng(0)
    out = {}
    for d in dtypes.ALL_DTYPES:
        if d is ef.string:
            v = np.array([[b"", b"abc", "\u00e9".encode()], [b"\x00" * 3, b"x" * 1000, b"z"]], dtype=object)
        elif d is ef.bool:
            v = rng.random((2, 3)) > 0.5
        elif d.is_complex:
            v = (rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))).astype(d.as_numpy_dtype)
        elif d.is_integer:
            info = np.iinfo(d.as_numpy_dtype)
            v = np.array([[info.min, info.max, 0], [1, 2, 3]], dtype=d.as_numpy_dtype)
        else:
            v = np.array([[-1.5, np.inf, np.nan], [0.0, -0.0, 3.25]]).astype(d.as_numpy_dtype)
        out[d.name] = v
    return out


@pytest.mark.usefixtures("crc_implementation")
def test_round_trip_every_dtype_and_structure(tmp_path):
    values = _every_dtype_values()
    assert "bfloat16" in values and values["bfloat16"].dtype == ml_dtypes.bfloat16

    class Holder:
        pass

    def make(fill):
        h = Holder()
        h.by_dtype = {n: ef.Variable(v if not fill else _zeros_like(v), name=n) for n, v in values.items()}
        h.nested = [[ef.Variable(np.arange(3.0) * (0 if fill else 1))], (ef.Variable(np.int8(0 if fill else 5)),),
                    {"deep": {"er": ef.Variable(np.float64(0 if fill else 2.5), name="deep")}}]
        h.scalar_str = ef.Variable(b"" if fill else b"hello")
        return h

    src, dst = make(False), make(True)
    path = ef.train.Checkpoint(model=src).write(str(tmp_path / "all"))
    keys = [k for k, _ in ef.train.list_variables(path)]
    assert _key("model/nested/2/deep/er") in keys and _key("model/nested/1/0") in keys
    assert _key("model/by_dtype/bfloat16") in keys
    ef.train.Checkpoint(model=dst).read(path).assert_consumed()
    for n in values:
        _same(dst.by_dtype[n].numpy(), src.by_dtype[n].numpy())
    _same(dst.nested[2]["deep"]["er"].numpy(), np.float64(2.5))
    _same(dst.nested[1][0].numpy(), np.int8(5))
    _same(dst.scalar_str.numpy(), np.array(b"hello", dtype=object))


def _zeros_like(v):
    if v.dtype == object:
        z = np.empty(v.shape, dtype=object)
        z[...] = b""
        return z
    return np.zeros_like(v)


def test_names_and_keys_are_preserved(tmp_path):
    class Net(ef.Module):
        pass

    net = Net()
    with ef.name_scope("outer"):
        net.w = ef.Variable(1.0, name="weights")
    net.odd = {"a.b/c": ef.Variable(2.0, name="odd")}
    path = ef.train.Checkpoint(net=net).write(str(tmp_path / "n"))
    graph = _graph_of(path)
    attrs = {a["checkpoint_key"]: a["full_name"] for n in graph for a in n["attributes"]}
    assert attrs == {_key("net/w"): "outer/weights", _key("net/odd/a..b.Sc"): "odd"}   # TF's escaping
    net2 = Net()
    net2.w = ef.Variable(0.0)
    net2.odd = {"a.b/c": ef.Variable(0.0)}
    ef.train.Checkpoint(net=net2).read(path).assert_consumed()
    assert float(net2.odd["a.b/c"].numpy()) == 2.0 and net.w.name == "outer/weights:0"


def test_restore_assigns_in_place_on_the_variables_device(tmp_path):
    v = ef.Variable(np.arange(4.0))
    path = ef.train.Checkpoint(v=v).write(str(tmp_path / "v"))
    v.assign(np.zeros(4))
    buf, device = weakref.ref(v._buf), v.device     # a weak reference: holding the buffer would share it
    ef.train.Checkpoint(v=v).restore(path)
    assert v._buf is buf() and v.device == device
    _same(v.numpy(), np.arange(4.0))


def test_values_land_on_each_variables_device_with_fake_gpus(tmp_path):
    """With two NumPy-backed fake GPUs (tests/fake_cupy): save from GPU:1, restore into GPU:0 and CPU, in place."""
    script = textwrap.dedent(f"""
        import numpy as np, weakref
        import eagerflow as ef
        GPU0, GPU1 = "/job:localhost/replica:0/task:0/device:GPU:0", "/job:localhost/replica:0/task:0/device:GPU:1"
        with ef.device("GPU:1"):
            w = ef.Variable(np.arange(6.0, dtype=np.float32).reshape(2, 3))
        opt = ef.optimizers.Adam(0.1)
        opt.apply_gradients([(ef.ones_like(w), w)])
        path = ef.train.Checkpoint(w=w, opt=opt).write({str(tmp_path / "g")!r})
        with ef.device("GPU:0"):
            w0 = ef.Variable(np.zeros((2, 3), np.float32))
        with ef.device("CPU:0"):
            wc = ef.Variable(np.zeros((2, 3), np.float32))
        buf = weakref.ref(w0._buf)
        opt0 = ef.optimizers.Adam(0.1)
        ef.train.Checkpoint(w=w0, opt=opt0).restore(path)
        ef.train.Checkpoint(w=wc).restore(path).expect_partial()
        opt0.build([w0])
        assert w0.device == GPU0 and w0._buf is buf() and wc.device.endswith("CPU:0"), (w0.device, wc.device)
        assert np.array_equal(w0.numpy(), w.numpy()) and np.array_equal(wc.numpy(), w.numpy())
        m = opt0.get_slot(w0, "momentum")
        assert m.device == GPU0 and np.array_equal(m.numpy(), opt.get_slot(w, "momentum").numpy())
        print("OK")
    """)
    fake = os.path.join(HERE, "fake_cupy")
    env = dict(os.environ, PYTHONPATH=fake + os.pathsep + REPO, FAKE_CUPY_GPUS="2")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stdout + done.stderr


def test_write_does_not_count_and_save_counter_is_restored(tmp_path):
    v = ef.Variable(1.0)
    ckpt = ef.train.Checkpoint(v=v)
    ckpt.write(str(tmp_path / "w"))
    assert int(ckpt.save_counter.numpy()) == 0
    assert ckpt.save(str(tmp_path / "s")).endswith("s-1") and ckpt.save(str(tmp_path / "s")).endswith("s-2")
    other = ef.train.Checkpoint(v=ef.Variable(0.0))
    other.restore(str(tmp_path / "s-2")).assert_consumed()
    assert int(other.save_counter.numpy()) == 2
    assert other.save(str(tmp_path / "s")).endswith("s-3")
    # restore(None) is a no-op status (a manager's latest_checkpoint before any save)
    ef.train.Checkpoint(v=v).restore(None).expect_partial()


def test_name_based_restore_of_a_checkpoint_without_object_graph():
    """A TF1-style checkpoint (raw SaveV2, no object graph) restores by variable names."""
    expected = _load_json("dtypes_raw")

    class Root:
        pass

    root = Root()
    root.a = ef.Variable(np.zeros((2, 3), np.float32), name="float32/matrix")
    root.b = ef.Variable(b"", name="string/scalar")
    ef.train.Checkpoint(root=root).read(os.path.join(TF_DIR, "dtypes_raw")).assert_existing_objects_matched()
    e = expected["keys"]["float32/matrix"]
    _same(root.a.numpy(), expected_value(e["dtype"], e["shape"], e["value"]))
    assert root.b.numpy() == b"hello"  # a scalar string reads as bytes, as TF


def test_checkpoint_rejects_non_trackables():
    with pytest.raises(ValueError, match="expecting model to be a trackable"):
        ef.train.Checkpoint(model=3)


# ----- deferred restoration ------------------------------------------------------------------------
def test_deferred_restoration_of_layers_attributes_and_slots(tmp_path):
    x = ef.constant(np.ones((2, 3), np.float32))
    layer = ef.layers.Dense(2)
    layer(x)
    extra = ef.Variable([7.0, 8.0])

    class Holder(ef.Module):
        pass

    h = Holder()
    h.layer = layer
    h.later = extra
    path = ef.train.Checkpoint(model=h).write(str(tmp_path / "d"))

    h2 = Holder()
    h2.layer = ef.layers.Dense(2)      # not built: no kernel yet
    status = ef.train.Checkpoint(model=h2).read(path)
    assert len(status.report().unexpected) == 3
    h2.layer(x)                        # build creates kernel and bias, which take their values at once
    _same(h2.layer.kernel.numpy(), layer.kernel.numpy())
    _same(h2.layer.bias.numpy(), layer.bias.numpy())
    h2.later = ef.Variable([0.0, 0.0])  # restored when it is attached, as TF
    _same(h2.later.numpy(), extra.numpy())
    status.assert_consumed()


def test_objects_attached_after_restore_are_restored_at_once(tmp_path):
    x = ef.constant([[1.0, 2.0, 3.0]])
    src = ef.Module()
    src.sub = ef.Module()
    src.sub.v = ef.Variable(5.0)
    src.dense = ef.layers.Dense(2)
    y = src.dense(x)
    path = ef.train.Checkpoint(model=src).write(str(tmp_path / "a"))
    assert "model/dense/_kernel/.ATTRIBUTES/VARIABLE_VALUE" in dict(ef.train.list_variables(path))  # Keras 3's key

    dst = ef.Module()
    status = ef.train.Checkpoint(model=dst).read(path)
    sub = ef.Module()
    sub.v = ef.Variable(-1.0)          # built before it is attached ...
    dst.sub = sub                      # ... and restored when attached
    assert float(sub.v.numpy()) == 5.0
    dst.dense = ef.layers.Dense(2)
    _same(dst.dense(x).numpy(), y.numpy())  # built after restore(): predicts with the restored values at once
    status.assert_consumed()


def test_reader_scalars_are_numpy_scalars(tmp_path):
    path = ef.train.Checkpoint(step=ef.Variable(3, dtype=ef.int64), w=ef.Variable([1.0])).write(str(tmp_path / "s"))
    r = ef.train.load_checkpoint(path)
    step = r.get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")
    assert type(step) is np.int64 and step == 3
    assert type(r.get_tensor("w/.ATTRIBUTES/VARIABLE_VALUE")) is np.ndarray


def test_deferred_restoration_survives_a_temporary_checkpoint_object(tmp_path):
    w = ef.Variable([1.0, 2.0])
    opt = ef.optimizers.Adam(0.1)
    opt.apply_gradients([(ef.constant([0.5, -0.5]), w)])
    path = ef.train.Checkpoint(w=w, opt=opt).write(str(tmp_path / "o"))
    w2 = ef.Variable([1.0, 2.0])
    opt2 = ef.optimizers.Adam(0.1)
    ef.train.Checkpoint(w=w2, opt=opt2).restore(path)   # status and Checkpoint dropped at once
    opt2.build([w2])
    _same(opt2.get_slot(w2, "momentum").numpy(), opt.get_slot(w, "momentum").numpy())
    _same(opt2.get_slot(w2, "velocity").numpy(), opt.get_slot(w, "velocity").numpy())


def _train(steps, opt, layer, data, start=0):
    x, y = data
    losses = []
    for i in range(start, steps):
        xb, yb = x[i % 4::4], y[i % 4::4]
        with ef.GradientTape() as tape:
            loss = ef.reduce_mean(ef.square(layer(xb) - yb))
        variables = [layer.kernel, layer.bias]
        opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        losses.append(float(loss.numpy()))
    return losses


def test_stop_and_resume_with_manager_reaches_the_same_loss(tmp_path):
    rng = np.random.default_rng(1)
    data = (rng.standard_normal((64, 5)).astype(np.float32), rng.standard_normal((64, 3)).astype(np.float32))
    init = ef.layers.Dense(3)
    init(data[0][:1])

    def fresh():
        layer = ef.layers.Dense(3)
        layer(data[0][:1])
        layer.kernel.assign(init.kernel)
        layer.bias.assign(init.bias)
        return layer, ef.optimizers.Adam(0.05)

    layer, opt = fresh()
    uninterrupted = _train(20, opt, layer, data)

    layer, opt = fresh()
    ckpt = ef.train.Checkpoint(model=layer, optimizer=opt)
    manager = ef.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    first = _train(8, opt, layer, data)
    manager.save()
    del layer, opt, ckpt, manager      # "the process stops"

    layer = ef.layers.Dense(3)          # unbuilt, and the optimizer has no slots: both deferred
    opt = ef.optimizers.Adam(0.05)
    ckpt = ef.train.Checkpoint(model=layer, optimizer=opt)
    manager = ef.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2)
    ckpt.restore(manager.latest_checkpoint)
    start = int(opt.iterations.numpy())
    assert start == 8
    rest = _train(20, opt, layer, data, start=start)
    assert first + rest == uninterrupted


# ----- CheckpointManager --------------------------------------------------------------------------
def test_manager_numbering_rotation_and_state_file(tmp_path, monkeypatch):
    d = str(tmp_path / "run")
    v = ef.Variable(0)
    ckpt = ef.train.Checkpoint(v=v)
    m = ef.train.CheckpointManager(ckpt, d, max_to_keep=2)
    assert m.latest_checkpoint is None and m.checkpoints == [] and ef.train.latest_checkpoint(d) is None
    paths = []
    for i in range(4):
        v.assign(i)
        paths.append(m.save())
    assert [os.path.basename(p) for p in paths] == ["ckpt-1", "ckpt-2", "ckpt-3", "ckpt-4"]
    assert m.checkpoints == paths[2:] and m.latest_checkpoint == paths[3]
    assert sorted(os.listdir(d)) == ["checkpoint", "ckpt-3.data-00000-of-00001", "ckpt-3.index",
                                     "ckpt-4.data-00000-of-00001", "ckpt-4.index"]
    state = open(os.path.join(d, "checkpoint")).read().splitlines()[1:]
    assert state[:3] == ['model_checkpoint_path: "ckpt-4"', 'all_model_checkpoint_paths: "ckpt-3"',
                         'all_model_checkpoint_paths: "ckpt-4"']
    assert state[3].startswith("all_model_checkpoint_timestamps: ")
    assert ef.train.latest_checkpoint(d) == paths[3]
    assert int(ef.train.load_variable(d, "v/.ATTRIBUTES/VARIABLE_VALUE")) == 3
    # explicit numbers, and a new manager picks up what is recorded
    assert m.save(checkpoint_number=100).endswith("ckpt-100")
    m2 = ef.train.CheckpointManager(ef.train.Checkpoint(v=ef.Variable(0)), d, max_to_keep=2)
    assert m2.checkpoints == [paths[3], os.path.join(d, "ckpt-100")]
    # keep_checkpoint_every_n_hours keeps one checkpoint per period out of rotation
    clock = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    d2 = str(tmp_path / "keep")
    m3 = ef.train.CheckpointManager(ef.train.Checkpoint(v=v), d2, max_to_keep=1, keep_checkpoint_every_n_hours=1)
    for _ in range(6):
        clock[0] += 1800
        m3.save()
    kept = sorted(f[:-6] for f in os.listdir(d2) if f.endswith(".index"))
    assert kept == ["ckpt-2", "ckpt-4", "ckpt-6"]
    assert m3.checkpoints == [os.path.join(d2, "ckpt-6")]


def test_state_file_written_by_tf_is_read(tmp_path):
    shutil.copytree(os.path.join(TF_DIR, "module"), tmp_path / "m")
    state = ef.train.get_checkpoint_state(str(tmp_path / "m"))
    assert state.model_checkpoint_path == str(tmp_path / "m" / "ckpt-1")
    (tmp_path / "m" / "checkpoint").write_text("garbage without a colon\n")
    with pytest.raises(errors.DataLossError, match="checkpoint"):
        ef.train.latest_checkpoint(str(tmp_path / "m"))


# ----- key_map, report, mismatches ---------------------------------------------------------------
def test_key_map_renames_object_paths(tmp_path):
    class M(ef.Module):
        pass

    old = M()
    old.dense = Dense(2, 2)
    old.dense.kernel.assign(np.eye(2, dtype=np.float32))
    path = ef.train.Checkpoint(model=old).write(str(tmp_path / "k"))
    new = M()
    new.layer1 = Dense(2, 2)
    status = ef.train.Checkpoint(model=new).read(path, key_map={"model/dense": "model/layer1"})
    status.assert_consumed()
    _same(new.layer1.kernel.numpy(), np.eye(2, dtype=np.float32))
    with pytest.raises(errors.NotFoundError, match="no child 'nope'"):
        ef.train.Checkpoint(model=new).restore(path, key_map={"model/nope": "model/x"})


def test_shape_mismatch_changes_nothing_and_can_be_reported(tmp_path):
    src = Model()
    for var in _model_variables(src).values():
        var.assign(np.ones(var.shape.as_list(), var.dtype.as_numpy_dtype))
    path = ef.train.Checkpoint(model=src).write(str(tmp_path / "s"))
    dst = Model()
    dst.blocks = [dst.blocks[0], Dense(2, 5)]   # the last block is wider: one shape mismatch
    before = {k: v.numpy() for k, v in _model_variables(dst).items()}
    with pytest.raises(ValueError, match=r"blocks/1/kernel.*shape \(2, 1\).*shape \(2, 5\)"):
        ef.train.Checkpoint(model=dst).restore(path)
    for k, v in _model_variables(dst).items():
        _same(v.numpy(), before[k])      # nothing was assigned, not even the variables that matched
    report = ef.train.Checkpoint(model=dst).restore(path, skip_mismatched=True).expect_partial().report()
    assert [m[0] for m in report.mismatched] == [_key("model/blocks/1/bias"), _key("model/blocks/1/kernel")]
    assert report.mismatched[1][1:] == ((2, 1), (2, 5))
    assert float(dst.dense.bias.numpy()[0]) == 1.0 and "mismatched (2)" in str(report)


def test_dtype_mismatch_is_invalid_argument_and_changes_nothing(tmp_path):
    a = ef.Variable([1.0, 2.0])
    b = ef.Variable([1, 2])
    path = ef.train.Checkpoint(a=a, b=b).write(str(tmp_path / "t"))
    a2, b2 = ef.Variable([0.0, 0.0]), ef.Variable([0.0, 0.0], dtype=ef.float64)
    with pytest.raises(errors.InvalidArgumentError, match="holds int32, the variable is float64"):
        ef.train.Checkpoint(a=a2, b=b2).restore(path)
    assert a2.numpy().tolist() == [0.0, 0.0]


def test_report_lists_missing_and_unexpected(tmp_path):
    class M(ef.Module):
        pass

    src = M()
    src.a, src.gone = ef.Variable(1.0), ef.Variable(2.0)
    path = ef.train.Checkpoint(m=src).write(str(tmp_path / "r"))
    dst = M()
    dst.a, dst.new = ef.Variable(0.0), ef.Variable(0.0)
    status = ef.train.Checkpoint(m=dst).read(path)
    report = status.report()
    assert report.missing == [_key("m/new")] and report.unexpected == [_key("m/gone")]
    assert _key("m/a") in report.restored
    with pytest.raises(AssertionError):
        status.assert_existing_objects_matched()
    status.expect_partial()


# ----- safetensors ---------------------------------------------------------------------------------
def test_safetensors_round_trip(tmp_path):
    pytest.importorskip("safetensors")
    src = Model()
    src.dense.kernel.assign(np.arange(6, dtype=np.float32).reshape(3, 2))
    src.table["steps"].assign(42)
    src.half = ef.Variable(np.array([1.5, -2.0], ml_dtypes.bfloat16))
    path = str(tmp_path / "m.safetensors")
    ef.train.save_safetensors(ef.train.Checkpoint(model=src), path)
    from safetensors.numpy import load_file

    raw = load_file(path)
    assert "model/dense/kernel" in raw and raw["model/table/steps"].dtype == np.int64
    dst = Model()
    dst.half = ef.Variable(np.zeros(2, ml_dtypes.bfloat16))
    report = ef.train.load_safetensors(ef.train.Checkpoint(model=dst), path)
    assert report.missing == [] and report.unexpected == []
    for k, v in _model_variables(src).items():
        _same(_model_variables(dst)[k].numpy(), v.numpy())
    _same(dst.half.numpy(), src.half.numpy())
    dst.dense.kernel = ef.Variable(np.zeros((3, 3), np.float32))
    before = dst.table["alpha"].numpy()
    with pytest.raises(ValueError, match="shape"):
        ef.train.load_safetensors(ef.train.Checkpoint(model=dst), path)
    _same(dst.table["alpha"].numpy(), before)
    src.s = ef.Variable(b"x")
    with pytest.raises(errors.InvalidArgumentError, match="string"):
        ef.train.save_safetensors(src, str(tmp_path / "bad.safetensors"))


# ----- faults ---------------------------------------------------------------------------------------
def _small_checkpoint(tmp_path):
    a = ef.Variable(np.arange(1000, dtype=np.float32))
    s = ef.Variable(np.array([b"abc", b"de"], dtype=object))
    path = ef.train.Checkpoint(a=a, s=s).write(str(tmp_path / "f"))
    targets = (ef.Variable(np.zeros(1000, np.float32)), ef.Variable(np.array([b"", b""], dtype=object)))
    return path, targets


def _unchanged(targets):
    assert not targets[0].numpy().any() and targets[1].numpy().tolist() == [b"", b""]


@pytest.mark.parametrize("which", ["data", "index"])
@pytest.mark.usefixtures("crc_implementation")
def test_byte_flips_are_detected_and_change_nothing(tmp_path, which):
    path, targets = _small_checkpoint(tmp_path)
    target = data_filename(path) if which == "data" else path + ".index"
    raw = bytearray(open(target, "rb").read())
    positions = [len(raw) // 3, len(raw) // 2, len(raw) - 20] if which == "index" else [10, 2000, len(raw) - 3]
    for pos in positions:
        flipped = bytearray(raw)
        flipped[pos] ^= 0x10
        with open(target, "wb") as f:
            f.write(flipped)
        with pytest.raises(errors.DataLossError):
            ef.train.Checkpoint(a=targets[0], s=targets[1]).restore(path)
        _unchanged(targets)
    with open(target, "wb") as f:
        f.write(raw)
    ef.train.Checkpoint(a=targets[0], s=targets[1]).read(path).assert_consumed()


@pytest.mark.parametrize("which", ["data", "index"])
@pytest.mark.usefixtures("crc_implementation")
def test_truncation_is_detected(tmp_path, which):
    path, targets = _small_checkpoint(tmp_path)
    target = data_filename(path) if which == "data" else path + ".index"
    size = os.path.getsize(target)
    for keep in (size - 1, size // 2, 0):
        with open(target, "r+b") as f:
            f.truncate(keep)
        with pytest.raises(errors.DataLossError):
            ef.train.Checkpoint(a=targets[0], s=targets[1]).restore(path)
        _unchanged(targets)


def test_missing_files_and_paths(tmp_path):
    path, targets = _small_checkpoint(tmp_path)
    ckpt = ef.train.Checkpoint(a=targets[0], s=targets[1])
    with pytest.raises(errors.NotFoundError, match="checkpoint suffix"):
        ckpt.restore(str(tmp_path / "nothing"))
    with pytest.raises(errors.DataLossError, match="directory"):   # as TF
        ckpt.restore(str(tmp_path))
    ckpt.read(path + ".index").assert_consumed()          # the index or the data file name the prefix
    ckpt.read(data_filename(path)).assert_consumed()
    targets[0].assign(np.zeros(1000))
    os.remove(data_filename(path))
    with pytest.raises(errors.NotFoundError, match="data file"):
        ckpt.restore(path)
    assert not targets[0].numpy().any()


_KILLED_SAVE = textwrap.dedent("""
    import sys, numpy as np, eagerflow as ef
    class M(ef.Module): pass
    m = M(); m.w = ef.Variable(np.arange(10, dtype=np.float32))
    manager = ef.train.CheckpointManager(ef.train.Checkpoint(model=m), sys.argv[1], max_to_keep=5)
    manager.save()
    m.w.assign(np.full(10, -1, np.float32))
    m.big = [ef.Variable(np.full(2**20, i, np.float32)) for i in range(50)]   # 200 MB
    print("saving", flush=True)
    manager.save()
    print("done", flush=True)
""")


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def test_save_killed_midway_leaves_last_checkpoint_restorable(tmp_path):
    d = str(tmp_path / "run")
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_SAVE, d], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout.readline().strip() == "saving"
        deadline = time.time() + 30
        while time.time() < deadline:     # kill once the second save has written 32 MB of its data file
            sizes = [_size(os.path.join(d, f)) for f in os.listdir(d) if f.startswith(".ckpt-2.data")]
            if sizes and max(sizes) > 32 * 2**20:
                break
            time.sleep(0.0005)
        else:
            pytest.fail("the second save never started writing")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert not os.path.exists(os.path.join(d, "ckpt-2.index"))   # killed mid-write: no half checkpoint
    latest = ef.train.latest_checkpoint(d)
    assert os.path.basename(latest) == "ckpt-1"

    class M(ef.Module):
        pass

    m = M()
    m.w = ef.Variable(np.zeros(10, np.float32))
    ef.train.Checkpoint(model=m).restore(latest).assert_consumed()
    _same(m.w.numpy(), np.arange(10, dtype=np.float32))
    # the next save takes the number again and cleans up nothing it should not
    manager = ef.train.CheckpointManager(ef.train.Checkpoint(model=m), d, max_to_keep=5)
    assert manager.checkpoints == [latest]


def test_eagerflow_checkpoints_for_tf_verification(tmp_path):
    """The script whose output TF verifies (make_tf_checkpoints.py --verify-eagerflow) runs and describes."""
    out = subprocess.run([sys.executable, os.path.join(HERE, "data", "make_eagerflow_checkpoints.py"), str(tmp_path)],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=REPO), timeout=60)
    assert out.returncode == 0, out.stderr
    with open(tmp_path / "optimizer.json") as f:
        described = json.load(f)
    assert _key("optimizer/_variables/5") in described["keys"]
    assert described["object_graph"][0]["children"][1]["local_name"] == "optimizer"
    assert ef.train.latest_checkpoint(str(tmp_path / "module")).endswith("ckpt-1")


# ----- docs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["checkpoint", "graph", "manager", "safetensors_io"])
def test_docstring_examples(name):
    module = importlib.import_module(f"eagerflow.checkpoint.{name}")
    result = doctest.testmod(module, extraglobs={"ef": ef}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


# ----- directories -----------------------------------------------------------------------------------
def test_write_and_save_create_missing_directories(tmp_path):
    v = ef.Variable([1.0, 2.0])
    ckpt = ef.train.Checkpoint(v=v)
    written = ckpt.write(str(tmp_path / "a" / "b" / "ck"))
    assert sorted(os.listdir(tmp_path / "a" / "b")) == ["ck.data-00000-of-00001", "ck.index"]
    saved = ckpt.save(str(tmp_path / "s" / "t" / "ck"))
    assert os.path.basename(saved) == "ck-1"
    assert sorted(os.listdir(tmp_path / "s" / "t")) == ["checkpoint", "ck-1.data-00000-of-00001", "ck-1.index"]
    assert ef.train.latest_checkpoint(str(tmp_path / "s" / "t")) == saved
    v.assign([0.0, 0.0])
    ef.train.Checkpoint(v=v).read(written).assert_consumed()
    _same(v.numpy(), np.array([1.0, 2.0], np.float32))
    (tmp_path / "file").write_text("x")
    for call in (ckpt.write, ckpt.save):
        with pytest.raises(errors.FailedPreconditionError, match="a file is in the way"):
            call(str(tmp_path / "file" / "ck"))
    assert int(ckpt.save_counter.numpy()) == 1


# ----- a save while another thread trains --------------------------------------------------------------
def test_save_while_training_is_a_consistent_snapshot(tmp_path):
    """SGD with every gradient 1 lowers each variable by 1 per step, in order: a snapshot at one instant
    shows the first j variables one step ahead of the others, and `iterations` one of the two steps."""
    import sys
    import threading

    model = [ef.Variable(np.zeros(4, np.float32), name=f"v{i}") for i in range(120)]
    opt = ef.optimizers.SGD(learning_rate=1.0)
    stop = threading.Event()
    steps = []

    def train():
        while not stop.is_set():
            with ef.GradientTape() as tape:
                loss = ef.add_n([ef.reduce_sum(v) for v in model])
            opt.apply_gradients(zip(tape.gradient(loss, model), model))
            steps.append(1)

    ckpt = ef.train.Checkpoint(model=model, opt=opt)
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)        # switch threads as often as possible: a mix would show
    thread = threading.Thread(target=train)
    thread.start()
    try:
        paths = []
        deadline = time.time() + 30
        while (len(paths) < 20 or len(steps) < 5) and time.time() < deadline:
            paths.append(ckpt.write(str(tmp_path / f"ck{len(paths)}")))
            time.sleep(0.002)
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(old_interval)
    assert len(steps) > 5
    steps_seen = set()
    for path in paths:
        reader = ef.train.load_checkpoint(path)
        values = [reader.get_tensor(f"model/{i}/.ATTRIBUTES/VARIABLE_VALUE") for i in range(len(model))]
        assert all((v == v[0]).all() for v in values)
        firsts = [-int(v[0]) for v in values]
        behind = firsts[-1]
        assert firsts[0] - behind in (0, 1), firsts
        assert firsts == sorted(firsts, reverse=True), f"{path}: steps of the variables in update order {firsts}"
        iterations = int(reader.get_tensor("opt/_iterations/.ATTRIBUTES/VARIABLE_VALUE"))
        # `iterations` counts a step once all its updates are done
        assert iterations in ((behind, behind - 1) if firsts[0] == behind else (behind,)), (iterations, firsts)
        steps_seen.add(behind)
    assert len(steps_seen) > 1        # the saves did happen while training went on


def test_checkpoint_attributes_assigned_later_are_saved_and_restored(tmp_path):
    save = ef.train.Checkpoint()
    save.listed = [ef.Variable(1.0)]
    save.listed.append(ef.Variable(2.0))
    save.mapped = {"one": save.listed[0]}
    path = save.save(str(tmp_path / "lists"))
    keys = dict(ef.train.list_variables(path))
    assert "listed/1/.ATTRIBUTES/VARIABLE_VALUE" in keys and "mapped/one/.ATTRIBUTES/VARIABLE_VALUE" not in keys

    restore = ef.train.Checkpoint()
    v = ef.Variable(0.0)
    restore.mapped = {"one": v}
    restore.restore(path)
    assert float(v.numpy()) == 1.0
    late = ef.Variable(0.0)
    restore.listed = [ef.Variable(0.0), late]   # attached after restore(): restored at once
    assert float(late.numpy()) == 2.0
