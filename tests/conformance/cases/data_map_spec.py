"""element_spec after map: TF's shape inference on the input spec (unknown dims as None), not the first element."""
import tensorflow as tf

D = tf.data.Dataset
g = D.from_generator(lambda: iter([[1, 2], [3]]), output_signature=tf.TensorSpec((None,), tf.int32))
cases = {
    "batch_then_scale": D.range(10).batch(3).map(lambda x: x * 2),
    "range_of_element": D.range(5).map(lambda x: tf.range(x)),
    "fill_fixed": D.range(5).map(lambda x: tf.fill([3], x)),
    "varying_elementwise_and_reduce": g.map(lambda x: (x + 1, tf.reduce_sum(x), tf.cast(x, tf.float32) / 2.0)),
    "varying_reshape": g.map(lambda x: tf.reshape(x, [-1, 1])),
    "varying_concat": g.map(lambda x: tf.concat([x, [7, 8]], 0)),
    "varying_expand_stack": g.map(lambda x: (tf.expand_dims(x, 0), tf.stack([x, x]), x[:, None], x[1:])),
    "batch_matmul": D.range(4).batch(2).map(lambda x: tf.matmul(tf.cast(x[:, None], tf.float32), tf.ones([1, 3]))),
    "batch_index": D.range(4).batch(2).map(lambda x: x[0]),
    "batch_mean_axis0": D.range(4).batch(2).map(lambda x: tf.reduce_mean(tf.cast(x, tf.float32), axis=0)),
    "fixed_slices": D.from_tensor_slices([[1., 2.], [3., 4.]]).map(lambda x: x / 2),
    "batch_tuple": D.from_tensor_slices(([[1., 2.], [3., 4.], [5., 6.]], [0, 1, 0])).batch(2).map(
        lambda x, y: ({"x": tf.transpose(x), "n": tf.one_hot(y, 4)}, tf.gather(x, [0, 0, 1], axis=1))),
    "pad_tile": g.map(lambda x: (tf.pad(x, [[1, 2]]), tf.tile(x, [3]))),
    "empty_input_fixed": D.range(0).map(lambda x: tf.fill([2], x)),
    "passthrough": g.map(lambda x: (x, 5)),
}
for name, ds in cases.items():
    print(name, ds.element_spec)
print([b.numpy().tolist() for b in D.range(5).batch(2).map(lambda x: x * 2)])
