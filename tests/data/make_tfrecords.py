"""Make the TFRecord and text files under tests/data/tfrecords/, with TensorFlow or with eagerflow.

    /path/to/tf-venv/bin/python tests/data/make_tfrecords.py              # tf_*.tfrecord, written by TensorFlow
    PYTHONPATH=. python tests/data/make_tfrecords.py --eagerflow          # ef_*.tfrecord, written by eagerflow

The same code writes both sets (eagerflow has TF's API), so the files differ only in who wrote
them. tests/conformance/cases/data_tfrecord.py reads every file under TensorFlow and under
eagerflow: TF reads what eagerflow wrote, and the reverse. TensorFlow is never a dependency.

With TensorFlow it also writes `tf_iterator_ckpt`, a checkpoint of a variable `v` (3.0) and a
tf.data iterator (TF's variant state), which eagerflow's tests restore.
"""

import os
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tfrecords")

# records of every length class: empty, short, binary, and long (more than one compression block)
RECORDS = [b"", b"a", b"hello world", bytes(range(256)), b"\x00" * 1000, ("x" * 70000).encode()]


def main():
    if "--eagerflow" in sys.argv:
        import eagerflow as tf
        prefix = "ef"
    else:
        import tensorflow as tf
        prefix = "tf"
    os.makedirs(HERE, exist_ok=True)
    for kind in ("", "GZIP", "ZLIB"):
        name = f"{prefix}_{kind.lower() or 'plain'}.tfrecord"
        with tf.io.TFRecordWriter(os.path.join(HERE, name), tf.io.TFRecordOptions(compression_type=kind)) as w:
            for r in RECORDS:
                w.write(r)
        print("wrote", name)
    if prefix == "tf":
        it = iter(tf.data.Dataset.range(10).batch(2))
        next(it)
        tf.train.Checkpoint(iterator=it, v=tf.Variable(3.0)).write(os.path.join(HERE, "tf_iterator_ckpt"))
        print("wrote tf_iterator_ckpt")


if __name__ == "__main__":
    main()
