# tf.print's output streams: logging levels TF accepts, the ones it refuses
import logging
import sys

import tensorflow as tf

for level in [logging.INFO, logging.WARNING, logging.ERROR]:
    print(tf.print("to the log", level, output_stream=level))
for bad in [logging.CRITICAL, logging.DEBUG, 5, "bogus", 3.5]:
    try:
        tf.print("x", output_stream=bad)
    except Exception as e:
        print(repr(bad), type(e).__name__)
tf.print("out", tf.constant([1, 2]), output_stream=sys.stdout)
