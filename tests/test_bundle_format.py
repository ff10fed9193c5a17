"""TensorFlow's tensor-bundle checkpoint format: TF-made files, round trips, checksums, errors."""

import glob
import json
import os
import random
import shutil
import struct

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eagerflow import dtypes, errors
from eagerflow.checkpoint import _table, _wire
from eagerflow.checkpoint.bundle import BundleReader, data_filename, read_bundle, write_bundle
from eagerflow.checkpoint.object_graph import (
    OBJECT_GRAPH_KEY, decode_object_graph, encode_object_graph, object_graph_tensor, read_object_graph,
)
from tf_data import TF_DIR, expected_value

TF_PREFIXES = sorted(p[: -len(".index")] for p in glob.glob(os.path.join(TF_DIR, "**", "*.index"),
                                                             recursive=True))


def _assert_same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype == object:
        assert got.tolist() == want.tolist()
    else:
        assert got.tobytes() == want.tobytes()  # bit-exact, NaNs and -0.0 included


# ----- TensorFlow-written checkpoints ----------------------------------------------------------
def test_tf_checkpoints_present():
    names = {os.path.relpath(p, TF_DIR) for p in TF_PREFIXES}
    assert {"module/ckpt-1", "optimizer", "optimizer_slots", "dtypes", "dtypes_raw"} <= names


@pytest.mark.parametrize("prefix", TF_PREFIXES, ids=lambda p: os.path.relpath(p, TF_DIR))
@pytest.mark.usefixtures("crc_implementation")
def test_reads_tf_checkpoint_exactly(prefix):
    with open(prefix + ".json") as f:
        expected = json.load(f)
    with BundleReader(prefix) as reader:
        assert reader.keys() == sorted(expected["keys"], key=lambda k: k.encode())
        for key, want in expected["keys"].items():
            dtype, shape = reader.dtype_and_shape(key)
            assert dtype.name == want["dtype"], key
            assert shape == tuple(want["shape"]), key
            _assert_same(reader.read(key), expected_value(want["dtype"], want["shape"], want["value"]))
        assert read_object_graph(reader) == expected["object_graph"]


@pytest.mark.parametrize("prefix", TF_PREFIXES, ids=lambda p: os.path.relpath(p, TF_DIR))
@pytest.mark.usefixtures("crc_implementation")
def test_rewriting_tf_checkpoint_is_byte_identical(prefix, tmp_path):
    # Same values in TF's data order -> the same .index and data bytes as TensorFlow wrote.
    with BundleReader(prefix) as reader:
        keys = sorted(reader.keys(), key=lambda k: reader.entry(k)["offset"])
        tensors = {k: reader.read(k) for k in keys}
        graph = read_object_graph(reader)
    if graph is not None:
        assert encode_object_graph(graph) == tensors[OBJECT_GRAPH_KEY][()]
    out = str(tmp_path / "ckpt")
    write_bundle(out, tensors)
    for suffix in (".index", ".data-00000-of-00001"):
        with open(out + suffix, "rb") as a, open(prefix + suffix, "rb") as b:
            assert a.read() == b.read(), suffix


def test_tf_object_graph_has_slots_and_nesting():
    with BundleReader(os.path.join(TF_DIR, "optimizer_slots")) as r:
        graph = read_object_graph(r)
    slots = [s for n in graph for s in n["slot_variables"]]
    assert {s["slot_name"] for s in slots} == {"m", "v"}
    keys = {a["checkpoint_key"] for n in graph for a in n["attributes"]}
    assert "w/.OPTIMIZER_SLOT/optimizer/m/.ATTRIBUTES/VARIABLE_VALUE" in keys
    with BundleReader(os.path.join(TF_DIR, "module", "ckpt-1")) as r:
        assert "model/blocks/1/kernel/.ATTRIBUTES/VARIABLE_VALUE" in r
        assert "model/table/steps/.ATTRIBUTES/VARIABLE_VALUE" in r
        assert r.read("save_counter/.ATTRIBUTES/VARIABLE_VALUE") == 1


# ----- round trips -------------------------------------------------------------------------------
def _sample(dtype, shape, rng):
    n = int(np.prod(shape, dtype=np.int64))
    if dtype is dtypes.string:
        arr = np.empty(n, dtype=object)
        arr[:] = [bytes(rng.integers(0, 256, rng.integers(0, 40), dtype=np.uint8)) for _ in range(n)]
        return arr.reshape(shape)
    np_dtype = np.dtype(dtype.as_numpy_dtype)
    if dtype.is_bool:
        return rng.integers(0, 2, n).astype(bool).reshape(shape)
    if dtype.is_integer:
        info = np.iinfo(np_dtype)
        return rng.integers(info.min, info.max, n, dtype=np_dtype, endpoint=True).reshape(shape)
    if dtype.is_complex:
        return (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np_dtype).reshape(shape)
    return (rng.standard_normal(n) * 100).astype(np_dtype).reshape(shape)


@pytest.mark.parametrize("dtype", dtypes.ALL_DTYPES, ids=lambda d: d.name)
def test_round_trip_every_dtype(dtype, tmp_path):
    rng = np.random.default_rng(dtype.as_datatype_enum)
    shapes = [(), (0,), (3, 0), (1,), (7,), (2, 3), (2, 1, 4)]
    tensors = {f"t{i}/{'x' * i}": _sample(dtype, s, rng) for i, s in enumerate(shapes)}
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, tensors)
    with BundleReader(prefix) as r:
        for key, want in tensors.items():
            assert r.dtype_and_shape(key) == (dtype, want.shape)
            _assert_same(r.read(key), want)


@pytest.mark.usefixtures("crc_implementation")
def test_round_trip_large_and_many(tmp_path):
    rng = np.random.default_rng(1)
    tensors = {"big": rng.standard_normal(3 * 2**18 + 5).astype(np.float32),          # ~3 MB
               "bf16": rng.standard_normal((513, 1001)).astype(ml_dtypes.bfloat16)}
    tensors.update({f"layer_{i:03d}/w": rng.standard_normal(i % 7) for i in range(300)})
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, tensors)
    got = read_bundle(prefix)
    assert list(got) == sorted(tensors)
    for key, want in tensors.items():
        _assert_same(got[key], want)


@pytest.mark.usefixtures("crc_implementation")
def test_string_inputs_and_object_graph(tmp_path):
    nodes = [{"children": [{"node_id": 1, "local_name": "v"}], "attributes": [], "slot_variables": []},
             {"children": [], "slot_variables": [],
              "attributes": [{"name": "VARIABLE_VALUE", "full_name": "v",
                              "checkpoint_key": "v/.ATTRIBUTES/VARIABLE_VALUE"}],
              "has_checkpoint_values": True}]
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, {"s": np.array(["a", "\u00e9"]), "b": np.array([b"x", b""]),
                          "v/.ATTRIBUTES/VARIABLE_VALUE": np.float32(1), OBJECT_GRAPH_KEY: object_graph_tensor(nodes)})
    with BundleReader(prefix) as r:
        assert r.read("s").tolist() == [b"a", "\u00e9".encode()]
        assert r.read("b").tolist() == [b"x", b""]
        assert read_object_graph(r) == nodes


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**31 - 1), st.integers(-2**31, 2**31 - 1),
                          st.text(max_size=8)), max_size=6))
def test_object_graph_codec(rows):
    nodes = [{"children": [{"node_id": a, "local_name": s}],
              "attributes": [{"name": s, "full_name": s * 2, "checkpoint_key": s + "/k"}],
              "slot_variables": [{"original_variable_node_id": b, "slot_name": s, "slot_variable_node_id": a}]}
             for a, b, s in rows]
    assert decode_object_graph(encode_object_graph(nodes)) == nodes


# ----- protobuf and table building blocks -------------------------------------------------------
def test_varint_and_fields():
    out = bytearray()
    for v in (0, 1, 127, 128, 300, 2**63, -1):
        _wire.put_varint(out, v)
    pos, got = 0, []
    for _ in range(7):
        v, pos = _wire.get_varint(out, pos)
        got.append(v)
    assert got == [0, 1, 127, 128, 300, 2**63, 2**64 - 1]
    with pytest.raises(errors.DataLossError):
        _wire.get_varint(b"\x80\x80", 0)
    assert _wire.decode_shape(_wire.encode_shape((2, 0, None))) == (2, 0, None)
    assert _wire.decode_shape(_wire.encode_shape(None)) is None


@pytest.mark.usefixtures("crc_implementation")
def test_table_many_blocks_and_order():
    items = [(f"key{i:05d}".encode(), bytes(random.Random(i).randbytes(i % 50))) for i in range(2000)]
    data = _table.build_table(items, block_size=512)
    assert _table.read_table(data) == items
    assert _table.read_table(_table.build_table([])) == []
    with pytest.raises(errors.InvalidArgumentError, match="increasing order"):
        _table.build_table([(b"b", b""), (b"a", b"")])


# ----- damage and errors -------------------------------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    prefix = str(tmp_path / "ckpt")
    write_bundle(prefix, {"a": np.arange(1000, dtype=np.float32), "s": np.array([b"xy", b"z"], dtype=object),
                          "b": np.ones((3, 3), np.int64)})
    return prefix


def _flip(path, offset):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0x40]))


@pytest.mark.parametrize("key", ["a", "s", "b"])
@pytest.mark.usefixtures("crc_implementation")
def test_flipped_data_byte_is_detected(saved, key):
    with BundleReader(saved) as r:
        e = r.entry(key)
    _flip(data_filename(saved), e["offset"] + e["size"] // 2)
    with BundleReader(saved) as r:
        with pytest.raises(errors.DataLossError, match=f"'{key}'"):
            r.read(key)


@pytest.mark.usefixtures("crc_implementation")
def test_flipped_index_byte_is_detected(saved):
    size = os.path.getsize(saved + ".index")
    for offset in range(size):
        shutil.copy(saved + ".index", saved + ".bak")
        _flip(saved + ".index", offset)
        try:
            with pytest.raises(errors.DataLossError, match="ckpt.index"):
                BundleReader(saved)
        finally:
            shutil.move(saved + ".bak", saved + ".index")


@pytest.mark.usefixtures("crc_implementation")
def test_truncation_is_detected(saved):
    data = data_filename(saved)
    with open(data, "r+b") as f:
        f.truncate(os.path.getsize(data) - 3)
    with BundleReader(saved) as r:
        with pytest.raises(errors.DataLossError, match="truncated"):
            r.read_all()
    for cut in (0, 10, 47, os.path.getsize(saved + ".index") - 1):
        with open(saved + ".index", "r+b") as f:
            f.truncate(cut)
        with pytest.raises(errors.DataLossError):
            BundleReader(saved)


def test_missing_files_and_paths(saved, tmp_path):
    for path in (saved, saved + ".index", data_filename(saved)):
        with BundleReader(path) as r:
            assert r.keys() == ["a", "b", "s"]
    with pytest.raises(errors.NotFoundError, match="nope.*Checkpoints in .*ckpt"):
        BundleReader(str(tmp_path / "nope"))
    with pytest.raises(errors.DataLossError, match="directory"):   # as TF
        BundleReader(str(tmp_path))
    with BundleReader(saved) as r:
        with pytest.raises(errors.NotFoundError, match="Did you mean 'a'"):
            r.read("A")
    os.remove(data_filename(saved))
    with BundleReader(saved) as r:
        with pytest.raises(errors.NotFoundError, match="data-00000-of-00001"):
            r.read("a")
    write_bundle(str(tmp_path / "missing_dir" / "sub" / "ckpt"), {"a": np.zeros(1)})   # created, as TF
    assert read_bundle(str(tmp_path / "missing_dir" / "sub" / "ckpt"))["a"].tolist() == [0.0]


def test_write_is_atomic_and_leaves_no_temporaries(saved, tmp_path):
    before = {p: open(p, "rb").read() for p in glob.glob(saved + "*")}
    with pytest.raises(errors.InvalidArgumentError, match="NumPy dtype"):
        write_bundle(saved, {"a": np.zeros(2, np.float32), "bad": np.zeros(2, "datetime64[s]")})
    with pytest.raises(errors.InvalidArgumentError, match="empty key"):
        write_bundle(saved, {"": np.zeros(1)})
    assert {p: open(p, "rb").read() for p in glob.glob(saved + "*")} == before
    assert sorted(os.listdir(tmp_path)) == ["ckpt.data-00000-of-00001", "ckpt.index"]


def test_header_is_tf_header(saved):
    with BundleReader(saved) as r:
        assert r.header["num_shards"] == 1 and r.header["endianness"] == 0 and r.header["producer"] == 1
    raw = open(saved + ".index", "rb").read()
    assert struct.unpack("<Q", raw[-8:])[0] == _table.TABLE_MAGIC


def test_replacing_without_hard_links_copies_the_previous_pair(tmp_path, monkeypatch):
    prefix = str(tmp_path / "ck")
    write_bundle(prefix, {"a": np.zeros(1000, np.float32)})

    def no_links(src, dst):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(os, "link", no_links)
    real_replace = os.replace
    seen = []

    def replace(src, dst):   # look at the directory just before the new index goes in
        if dst == prefix + ".index":
            seen.append(sorted(os.listdir(tmp_path)))
            with BundleReader(prefix) as r:          # old index + new data: readers take the previous pair
                seen.append(r.read("a")[0])
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    write_bundle(prefix, {"a": np.ones(1000, np.float32)})
    assert [".ck.previous.data-00000-of-00001", ".ck.previous.index"] == [f for f in seen[0] if "previous" in f]
    assert seen[1] == 0.0
    assert read_bundle(prefix)["a"][0] == 1.0
    assert sorted(os.listdir(tmp_path)) == ["ck.data-00000-of-00001", "ck.index"]
