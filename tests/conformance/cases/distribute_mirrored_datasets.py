# MirroredStrategy on two logical CPUs: distributed datasets' element_spec, splitting, from a function
import numpy as np
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
x = np.arange(40, dtype=np.float32).reshape(10, 4)
y = np.arange(10, dtype=np.int32)
dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((x, y)).batch(4))
print(dist.element_spec)
spec = dist.element_spec[0]
print(type(spec).__name__, spec == dist.element_spec[0], spec != dist.element_spec[1], spec.value_type.__name__)
for b in (5, 6, 3):
    ds = tf.data.Dataset.from_tensor_slices(x).batch(b, drop_remainder=True)
    print(b, strategy.experimental_distribute_dataset(ds).element_spec)
by_key = tf.data.Dataset.from_tensor_slices({"a": x}).batch(4, drop_remainder=True)
print(strategy.experimental_distribute_dataset(by_key).element_spec)
print(strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices(x)).element_spec)
for xb, yb in dist:
    print([t.shape.as_list() for t in strategy.experimental_local_results(xb)], strategy.experimental_local_results(yb))
it = iter(dist)
print(it.element_spec == dist.element_spec)
print(it.get_next()[1])
it.get_next(), it.get_next()
try:
    it.get_next()
except tf.errors.OutOfRangeError as e:
    print(type(e).__name__)
contexts = []


def dataset_fn(ctx):
    contexts.append((ctx.num_input_pipelines, ctx.input_pipeline_id, ctx.num_replicas_in_sync))
    return tf.data.Dataset.range(10).batch(2)


from_fn = strategy.distribute_datasets_from_function(dataset_fn)
print(contexts)
print(from_fn.element_spec)
for batch in from_fn:
    print(batch)
print(contexts)
one = tf.distribute.OneDeviceStrategy("CPU:0")
print(one.experimental_distribute_dataset(tf.data.Dataset.from_tensor_slices((x, y)).batch(4)).element_spec)
