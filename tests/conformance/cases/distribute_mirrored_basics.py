# MirroredStrategy on two logical CPUs: variables, run, reduce, all_reduce, datasets, optimizer (TF 2.21 recorded)
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
strategy = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
print(strategy.num_replicas_in_sync, type(strategy).__name__, strategy.extended.worker_devices)
with strategy.scope():
    v = tf.Variable(1.0)
    w = tf.Variable([1.0, 2.0], name="w")
print(v)
print(repr(w))
print(type(v).__name__, v.name, v.device, v.values[1].device)
print(tf.distribute.get_strategy() is strategy, tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context())
def fn(x):
    ctx = tf.distribute.get_replica_context()
    return x * tf.cast(ctx.replica_id_in_sync_group + 1, tf.float32)
out = strategy.run(fn, args=(tf.constant(2.0),))
print(out)
print(strategy.experimental_local_results(out))
print(strategy.reduce(tf.distribute.ReduceOp.SUM, out, axis=None))
print(strategy.reduce(tf.distribute.ReduceOp.MEAN, out, axis=None))
def fn2():
    ctx = tf.distribute.get_replica_context()
    local = tf.constant([1.0, 2.0]) * tf.cast(ctx.replica_id_in_sync_group + 1, tf.float32)
    s = ctx.all_reduce(tf.distribute.ReduceOp.SUM, local)
    return s
print(strategy.run(fn2))
def fn3():
    v.assign_add(1.0)
    return v.read_value()
print(strategy.run(fn3))
print(v)
ds = tf.data.Dataset.from_tensor_slices(tf.range(8.0)).batch(4)
dist = strategy.experimental_distribute_dataset(ds)
for batch in dist:
    print(batch)
    print(strategy.reduce("SUM", strategy.run(lambda x: tf.reduce_sum(x), args=(batch,)), axis=None))
with strategy.scope():
    model_w = tf.Variable([[1.0], [2.0]])
    opt = tf.keras.optimizers.SGD(0.1)
def step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.matmul(x, model_w))
    g = tape.gradient(loss, [model_w])
    opt.apply_gradients(zip(g, [model_w]))
    return loss
x = tf.constant([[1.0, 1.0]])
print(strategy.run(step, args=(x,)))
print(model_w)
print(strategy.gather(strategy.run(lambda: tf.constant([[1.0, 2.0]])), axis=0))
with strategy.scope():
    s = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
print(type(s).__name__)
print(s)
