"""tf.data with nested elements (dicts, tuples, namedtuples) through every structural transformation."""
import collections

import numpy as np
import tensorflow as tf

D = tf.data.Dataset
Pt = collections.namedtuple("Pt", "x y")


def show(name, ds):
    print(name, ds.element_spec)
    for e in ds:
        print("  ", tf.nest.map_structure(lambda t: t.numpy().tolist() if hasattr(t, "numpy") else t, e))


feats = D.from_tensor_slices({"ids": np.arange(6).reshape(3, 2), "name": [b"a", b"b", b"c"], "w": [0.5, 1.5, 2.5]})
show("dict_batch", feats.batch(2))
show("dict_unbatch", feats.batch(2).unbatch())
show("dict_shuffle1_batch", feats.shuffle(1).batch(3))
show("dict_padded", D.range(1, 4).map(lambda n: {"v": tf.fill([n], n), "n": n})
     .padded_batch(2, padding_values={"v": tf.constant(-1, tf.int64), "n": tf.constant(0, tf.int64)}))
show("tuple_padded_shapes", D.range(1, 3).map(lambda n: (tf.fill([n], n), n)).padded_batch(2, padded_shapes=([3], [])))
show("namedtuple_batch", D.from_tensor_slices(Pt([1, 2, 3], [4.0, 5.0, 6.0])).batch(2))
show("namedtuple_map", D.from_tensor_slices(Pt([1, 2], [4.0, 5.0])).map(lambda p: p.x * 2))
show("nested_zip", D.zip((D.range(2), (D.range(2, 4), {"k": D.range(4, 6)}))))
show("nested_zip_batch", D.zip((D.range(3), {"k": D.range(3, 6)})).batch(2))
show("enumerate_dict", feats.map(lambda d: d["w"]).enumerate())
show("map_to_dict", D.range(3).map(lambda x: {"sq": x * x, "neg": -x}))
show("concat_dicts", D.from_tensors({"a": 1}).concatenate(D.from_tensors({"a": 2})))
show("repeat_shuffle_fixed", D.range(3).shuffle(1, reshuffle_each_iteration=False).repeat(2))
show("cache_repeat", D.range(3).cache().repeat(2))
show("batch_take_skip", feats.skip(1).take(2).batch(5))
show("rebatch_dict", feats.batch(3).rebatch(2))
show("shard_dict", feats.shard(2, 1))
for w in D.from_tensor_slices(([1, 2, 3], [4, 5, 6])).window(2):
    print("window_tuple", [[int(v) for v in part] for part in w])
for w in feats.window(2, drop_remainder=True):
    print("window_dict", sorted(w), [int(v) for v in w["w"].map(lambda x: tf.cast(x * 2, tf.int32))])


def gen():
    yield {"a": 1, "b": [1.0, 2.0]}
    yield {"a": 2, "b": [3.0, 4.0]}


show("generator_dict", D.from_generator(gen, output_signature={"a": tf.TensorSpec((), tf.int32),
                                                               "b": tf.TensorSpec((2,), tf.float32)}).batch(2))
print("reduce_dict", D.range(4).reduce({"s": tf.constant(0, tf.int64), "n": tf.constant(0, tf.int64)},
                                       lambda st, x: {"s": st["s"] + x, "n": st["n"] + 1}))
print("single_tuple", D.from_tensors((1, 2.0)).get_single_element())
print("numpy_nested", list(D.zip((D.range(2), {"k": D.range(2)})).as_numpy_iterator()))
