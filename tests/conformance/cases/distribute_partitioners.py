"""TF's variable partitioners (tf.distribute.experimental.partitioners): shards per axis for shapes and dtypes,
and their argument errors."""
import tensorflow as tf

p = tf.distribute.experimental.partitioners
cases = [("fixed 2", p.FixedShardsPartitioner(2)), ("fixed 3", p.FixedShardsPartitioner(3)),
         ("min 64/4", p.MinSizePartitioner(min_shard_bytes=64, max_shards=4)),
         ("min default", p.MinSizePartitioner()),
         ("max 64", p.MaxSizePartitioner(max_shard_bytes=64)),
         ("max 64/3", p.MaxSizePartitioner(max_shard_bytes=64, max_shards=3)),
         ("max 4", p.MaxSizePartitioner(max_shard_bytes=4))]
for label, part in cases:
    for shape in [(10, 3), (5,), (1, 4), (1000, 4), (3, 3), (7, 2, 2)]:
        print(label, shape, part(tf.TensorShape(shape), tf.float32), part(tf.TensorShape(shape), tf.float64))
for make in [lambda: p.MinSizePartitioner(min_shard_bytes=0), lambda: p.MinSizePartitioner(max_shards=0),
             lambda: p.MaxSizePartitioner(max_shard_bytes=0), lambda: p.MaxSizePartitioner(64, max_shards=0)]:
    try:
        make()
    except ValueError as e:
        print("ValueError", e)
