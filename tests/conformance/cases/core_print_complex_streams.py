# tf.print of complex values (a `?` per element, flat, summarized as a whole) and the streams it accepts:
# sys.stdout, sys.stderr, 'file://' paths and the logging levels; another file-like object, a plain path or None
# is a ValueError
import io
import logging
import os
import sys
import tempfile

import tensorflow as tf

for shape in [[], [1], [2], [1, 1], [2, 3], [2, 1, 2], [7], [0], [2, 0]]:
    for summarize in (3, 1, -1):
        tf.print(shape, summarize, tf.complex(tf.ones(shape), tf.ones(shape)), output_stream=sys.stdout,
                 summarize=summarize)
tf.print(tf.ones([2, 2], tf.complex128), output_stream=sys.stdout)
tf.print([tf.constant(1j), tf.constant([1.0])], {"a": tf.constant(2j)}, output_stream=sys.stdout)
tf.print(tf.constant([1.0, 2.0]), tf.constant([[1j, 2j]]), output_stream=sys.stdout)
path = os.path.join(tempfile.mkdtemp(), "printed.txt")
for stream in (sys.stdout, sys.stderr, "file://" + path, logging.ERROR, io.StringIO(), open(os.devnull, "w"),
               os.devnull, None, 3, logging.DEBUG, logging.info):
    try:
        tf.print("to", tf.constant([1j]), output_stream=stream)
        print("accepted", type(stream).__name__)
    except ValueError as e:
        print("refused", type(stream).__name__, str(e).startswith("Unsupported output stream, logging level, or file."))
tf.print("again", output_stream="file://" + path)
with open(path) as f:
    print(repr(f.read()))
