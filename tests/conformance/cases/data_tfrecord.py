"""TFRecord files both ways: files written by TensorFlow and by eagerflow (tests/data/tfrecords, made by
tests/data/make_tfrecords.py) read by both; new files written here; corruption is DataLossError."""
import hashlib
import os
import tempfile

import tensorflow as tf

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "data", "tfrecords")


def summary(records):
    return [(len(r), hashlib.sha256(r).hexdigest()[:12]) for r in records]


for writer in ("tf", "ef"):
    for kind in ("plain", "gzip", "zlib"):
        path = os.path.join(DATA, f"{writer}_{kind}.tfrecord")
        ds = tf.data.TFRecordDataset(path, compression_type="" if kind == "plain" else kind.upper())
        print(writer, kind, summary(r.numpy() for r in ds))

tmp = tempfile.mkdtemp()
records = [b"first", b"", b"\xff\x00" * 300, "ünïcode".encode()]
for kind in ("", "GZIP", "ZLIB"):
    path = os.path.join(tmp, f"w_{kind or 'plain'}.tfrecord")
    with tf.io.TFRecordWriter(path, options=kind) as w:
        for r in records:
            w.write(r)
    with open(path, "rb") as f:
        data = f.read()
    print("written", kind or "plain", len(data), hashlib.sha256(data).hexdigest()[:16])
    print("read back", [r.numpy()[:8] for r in tf.data.TFRecordDataset([path], compression_type=kind)])

# several files, in order and interleaved
a, b = os.path.join(tmp, "a.tfrecord"), os.path.join(tmp, "b.tfrecord")
for path, letter in ((a, b"a"), (b, b"b")):
    with tf.io.TFRecordWriter(path) as w:
        for i in range(3):
            w.write(letter + str(i).encode())
print("two files", [r.numpy() for r in tf.data.TFRecordDataset([a, b])])
print("interleaved", [r.numpy() for r in tf.data.TFRecordDataset([a, b], num_parallel_reads=2)])
print("from dataset", [r.numpy() for r in tf.data.TFRecordDataset(tf.data.Dataset.from_tensor_slices([b, a]))])
print(tf.data.TFRecordDataset([a]).element_spec, int(tf.data.TFRecordDataset([a]).cardinality()))

# corruption: a flipped data byte, a flipped length byte, a truncated file, the wrong compression
with open(a, "rb") as f:
    good = f.read()
cases = {"data_byte": good[:13] + bytes([good[13] ^ 1]) + good[14:],
         "length_byte": bytes([good[0] ^ 4]) + good[1:],
         "truncated": good[:-3],
         "truncated_header": good[:len(good) - 10 - 20] + good[len(good) - 10 - 20: len(good) - 20][:5]}
for name, data in cases.items():
    path = os.path.join(tmp, name + ".tfrecord")
    with open(path, "wb") as f:
        f.write(data)
    got = []
    try:
        for r in tf.data.TFRecordDataset(path):
            got.append(r.numpy())
        print(name, "read", got)
    except Exception as e:  # noqa: BLE001
        print(name, got, type(e).__name__)
try:
    list(tf.data.TFRecordDataset(os.path.join(DATA, "tf_gzip.tfrecord")))
except Exception as e:  # noqa: BLE001
    print("gzip read as plain", type(e).__name__)
try:
    list(tf.data.TFRecordDataset(a, compression_type="GZIP"))
except Exception as e:  # noqa: BLE001
    print("plain read as gzip", type(e).__name__)

# text lines and fixed-length records
text = os.path.join(tmp, "t.txt")
with open(text, "wb") as f:
    f.write(b"one\ntwo\r\n\nlast")
print("lines", [l.numpy() for l in tf.data.TextLineDataset(text)])
with open(text, "wb") as f:
    f.write(b"HDR" + b"abcdefgh" + b"FT")
print("fixed", [r.numpy() for r in tf.data.FixedLengthRecordDataset(text, 4, header_bytes=3, footer_bytes=2)])
print(tf.data.TextLineDataset(text), tf.data.FixedLengthRecordDataset(text, 4))
