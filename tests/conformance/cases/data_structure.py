"""tf.data structure and introspection: reprs (TF's class names), element_spec, cardinality, len."""
import collections

import numpy as np
import tensorflow as tf

D = tf.data.Dataset
ds = D.from_tensor_slices((np.zeros((6, 3), np.float32), np.arange(6)))
print(ds)
print(ds.element_spec)
r5 = D.range(5)
cases = [
    ("shuffle", ds.shuffle(3)), ("batch", ds.batch(4)), ("batchd", ds.batch(4, drop_remainder=True)),
    ("map", ds.map(lambda x, y: x)), ("pmap", ds.map(lambda x, y: y, num_parallel_calls=2)),
    ("rep", ds.repeat()), ("take", ds.take(2)), ("skip", ds.skip(2)), ("pre", ds.prefetch(2)),
    ("filter", ds.filter(lambda x, y: y > 2)), ("cache", ds.cache()), ("enum", ds.enumerate()),
    ("range", D.range(5)), ("ft", D.from_tensors({"a": 1})), ("zip", D.zip((ds, ds))),
    ("cat", ds.concatenate(ds)), ("unb", ds.batch(2).unbatch()), ("pb", D.range(3).padded_batch(2)),
    ("fm", ds.flat_map(lambda x, y: D.from_tensors(x))), ("il", ds.interleave(lambda a, b: D.from_tensors(a))),
    ("win", ds.window(2)), ("scan", D.range(3).scan(tf.constant(0, tf.int64), lambda s, x: (s + x, x))),
    ("uniq", D.range(3).unique()), ("shard", ds.shard(2, 0)), ("tw", ds.take_while(lambda x, y: y < 3)),
    ("ie", ds.ignore_errors()), ("reb", ds.batch(4).rebatch(2)), ("rand", D.random(seed=1)),
    ("gen", D.from_generator(lambda: iter([1]), output_signature=tf.TensorSpec((), tf.int32))),
    ("sfd", D.sample_from_datasets([ds, ds])), ("cfd", D.choose_from_datasets([ds, ds], D.range(2))),
    ("gbw", r5.group_by_window(lambda x: x % 2, lambda k, d: d.batch(2), window_size=2)),
    ("bsl", r5.map(lambda x: tf.fill([x], x)).bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2], [2, 2])),
    ("apply", ds.apply(lambda d: d.take(1))), ("withopt", ds.with_options(tf.data.Options())),
]
for name, d in cases:
    print(name, d, d.cardinality().numpy())
    print(" ", d.element_spec)
print(len(ds))
for d in (ds.repeat(), ds.filter(lambda x, y: True)):
    try:
        len(d)
    except TypeError as e:
        print(type(e).__name__, e)
it = iter(ds)
print(type(it).__name__)
print(next(it))
print(tf.data.AUTOTUNE, tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY, tf.data.experimental.AUTOTUNE)
print(list(D.range(3).as_numpy_iterator()))
print(D.range(2, 10, 3, output_type=tf.int32).element_spec)
print(ds.cardinality())
Pt = collections.namedtuple("Pt", "x y")
print(D.from_tensor_slices(Pt([1, 2], [3., 4])).element_spec)
print(D.from_tensor_slices({"b": [1, 2], "a": [[1.]] * 2}).element_spec)
print(D.from_tensor_slices([b"a", b"b"]).element_spec)
print(D.from_tensors(([1, 2], {"k": "s"})).element_spec)
print(D.range(3).batch(2).batch(2).element_spec, D.range(3).batch(2).unbatch().element_spec)
print(tf.data.experimental.cardinality(D.range(4).repeat(3)).numpy())
print(D.range(3).options().deterministic)
