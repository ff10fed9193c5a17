"""tf.data transformations: the values they produce (deterministic pipelines only)."""
import collections

import numpy as np
import tensorflow as tf

D = tf.data.Dataset


def show(name, ds):
    print(name, [v.tolist() if hasattr(v, "tolist") else v for v in
                 (tf.nest.map_structure(lambda t: t.numpy(), e) for e in ds)])


show("range", D.range(5))
show("range2", D.range(2, 9, 3))
show("range_neg", D.range(5, 0, -2))
show("range_i32", D.range(3, output_type=tf.int32))
show("slices", D.from_tensor_slices([[1, 2], [3, 4]]))
show("tuple", D.from_tensor_slices(([1, 2], [3.5, 4.5])))
show("dict", D.from_tensor_slices({"b": [1, 2], "a": [b"x", b"y"]}))
Pt = collections.namedtuple("Pt", "x y")
for e in D.from_tensor_slices(Pt([1, 2], [3, 4])):
    print("namedtuple", type(e).__name__, int(e.x), int(e.y))
show("from_tensors", D.from_tensors(([1, 2], 3)))
show("map", D.range(4).map(lambda x: x * x))
show("map_tuple", D.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: a + b))
show("map_dict", D.from_tensor_slices({"a": [1, 2]}).map(lambda d: d["a"] * 10))
show("map_list_out", D.range(2).map(lambda x: [x, x + 1]))
show("map_parallel", D.range(20).map(lambda x: x + 1, num_parallel_calls=4))
show("map_autotune", D.range(5).map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE))
show("filter", D.range(10).filter(lambda x: x % 3 == 0))
show("batch", D.range(7).batch(3))
show("batch_drop", D.range(7).batch(3, drop_remainder=True))
show("batch_tuple", D.from_tensor_slices((np.arange(5), np.arange(5) * 2.0)).batch(2))
show("batch_matrix", D.from_tensor_slices(np.arange(12).reshape(6, 2)).batch(4))
show("unbatch", D.range(5).batch(2).unbatch())
show("padded", D.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2))
show("padded_shapes", D.range(1, 4).map(lambda x: tf.fill([x], x))
     .padded_batch(2, padded_shapes=[4], padding_values=tf.constant(-1, tf.int64)))
show("repeat", D.range(3).repeat(2))
show("repeat_take", D.range(3).repeat().take(7))
show("take", D.range(10).take(3))
show("take_all", D.range(3).take(-1))
show("skip", D.range(10).skip(7))
show("skip_all", D.range(3).skip(-1))
show("skip_more", D.range(3).skip(5))
show("shuffle1", D.range(10).shuffle(1))
show("shuffle1_batch", D.from_tensor_slices(np.arange(10)).shuffle(1).batch(4))
show("prefetch", D.range(6).prefetch(2))
show("prefetch_auto", D.range(6).map(lambda x: x + 1).prefetch(tf.data.AUTOTUNE))
ds = D.range(4).cache()
show("cache1", ds)
show("cache2", ds)
show("enumerate", D.from_tensor_slices([b"a", b"b"]).enumerate(start=5))
show("zip", D.zip((D.range(3), D.range(10, 20))))
show("zip_dict", D.zip({"a": D.range(2), "b": D.range(5, 7)}))
show("concatenate", D.range(2).concatenate(D.range(7, 9)))
show("flat_map", D.range(4).flat_map(lambda x: D.range(x)))
show("interleave", D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(x), cycle_length=2))
show("interleave_block", D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(4), cycle_length=2,
                                                  block_length=3))
show("interleave_parallel", D.range(1, 4).interleave(lambda x: D.from_tensors(x).repeat(2), cycle_length=3,
                                                     num_parallel_calls=2))
for name, w in [("window", D.range(7).window(3)), ("window_shift", D.range(7).window(3, shift=2)),
                ("window_drop", D.range(7).window(3, shift=2, drop_remainder=True)),
                ("window_stride", D.range(10).window(3, shift=1, stride=2, drop_remainder=True))]:
    print(name, [[int(v) for v in x] for x in w])
show("window_flat", D.range(5).window(2).flat_map(lambda w: w.batch(2)))
show("scan", D.range(5).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10)))
show("unique", D.from_tensor_slices([3, 1, 3, 2, 1]).unique())
show("unique_str", D.from_tensor_slices([b"b", b"a", b"b"]).unique())
show("rebatch", D.range(10).batch(4).rebatch(3))
show("rebatch_drop", D.range(10).batch(4).rebatch(3, drop_remainder=True))
show("rebatch_list", D.range(8).batch(4).rebatch([1, 3]))
show("group_by_window", D.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(2), window_size=2))
show("group_by_window_size_func", D.range(8).group_by_window(lambda x: x % 2, lambda k, w: w.batch(4),
                                                             window_size_func=lambda k: k + 2))
lengths = D.from_tensor_slices([1, 3, 2, 5, 1, 4]).map(lambda n: tf.fill([n], n))
show("bucket", lengths.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3], [2, 2]))
show("bucket_boundary", lengths.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 2],
                                                         pad_to_bucket_boundary=True))
show("take_while", D.range(10).take_while(lambda x: x < 4))
show("shard", D.range(10).shard(3, 2))
show("apply", D.range(5).apply(lambda d: d.filter(lambda x: x > 2)))
choice = D.from_tensor_slices(tf.constant([0, 1, 1, 0], tf.int64))
show("choose", D.choose_from_datasets([D.range(3), D.range(10, 13)], choice))
print("reduce", D.range(5).reduce(tf.constant(0, tf.int64), lambda s, x: s + x).numpy())
print("single", D.from_tensors([1, 2]).get_single_element().numpy())
print("len", len(D.range(10).batch(3)), len(D.range(10).batch(3, drop_remainder=True)))
print("card", [int(d.cardinality()) for d in [D.range(10).shard(3, 0), D.range(10).shard(3, 2), D.range(3).repeat(0),
                                               D.range(0).repeat(), D.range(5).skip(-1), D.range(5).take(-1),
                                               D.range(7).window(3, 2, 1, True), D.range(3).repeat().take(4)]])


def gen():
    for i in range(3):
        yield i, [i] * i


signature = (tf.TensorSpec((), tf.int64), tf.TensorSpec((None,), tf.int32))
show("generator", D.from_generator(gen, output_signature=signature)
     .map(lambda a, b: tf.reduce_sum(b) + tf.cast(a, tf.int32)))
show("generator_old", D.from_generator(lambda: iter([[1, 2], [3, 4]]), tf.int64, tf.TensorShape([2])))
print(D.from_generator(lambda: iter([[1, 2]]), tf.int64, tf.TensorShape([2])).element_spec)
show("generator_args", D.from_generator(lambda n: iter(range(n)), output_signature=tf.TensorSpec((), tf.int32),
                                        args=(3,)))
print("as_numpy", list(D.from_tensor_slices({"a": [1, 2]}).as_numpy_iterator()))
it = iter(D.range(2))
print("get_next", int(it.get_next()), int(next(it)))
try:
    it.get_next()
except tf.errors.OutOfRangeError as e:
    print("end", type(e).__name__)
o = iter(D.range(1)).get_next_as_optional()
print("optional", bool(o.has_value()), int(o.get_value()))
