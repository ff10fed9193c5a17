"""Text files (line ends, carriage returns, read buffers, GZIP) and parallel batching, as TF reads and batches."""
import gzip
import os
import tempfile

import tensorflow as tf

d = tempfile.mkdtemp()
p = os.path.join(d, "t.txt")
data = b"one\ntwo\r\nthr\ree\n\nlast"
open(p, "wb").write(data)
open(p + ".gz", "wb").write(gzip.compress(data))
print([l.numpy() for l in tf.data.TextLineDataset(p, buffer_size=3)])
print([l.numpy() for l in tf.data.TextLineDataset(p + ".gz", compression_type="GZIP")])
pb = tf.data.Dataset.range(5).batch(2, num_parallel_calls=2)
print([r.numpy().tolist() for r in pb], pb)
print([r.numpy().tolist() for r in tf.data.Dataset.range(7).batch(3, num_parallel_calls=2, deterministic=False)])
