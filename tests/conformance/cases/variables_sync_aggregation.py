"""VariableSynchronization and VariableAggregation as users print them: the enums, the older aggregation
enum a variable gets by default, integer values accepted outside a strategy and refused inside one."""
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
S, A = tf.VariableSynchronization, tf.VariableAggregation
print(repr(S.ON_READ), str(S.ON_READ), S.ON_READ.value, S.ON_READ.name)
print(repr(A.MEAN), str(A.MEAN), A.MEAN.value, A.MEAN == 2, S.AUTO == 0)
print(list(S), list(A))
print(type(S.AUTO).__name__, type(A.SUM).__name__, isinstance(A.SUM, int))
print(S(3), A(1))
print(tf.Variable(1., synchronization=S.ON_READ, aggregation=A.SUM).aggregation)
for bad in [(dict(synchronization=3)), dict(aggregation=1), dict(aggregation="sum"), dict(synchronization=None)]:
    try:
        v = tf.Variable(1., **bad)
        print("ok", v.synchronization, v.aggregation)
    except Exception as e:
        print(type(e).__name__, str(e)[:55])
print(hash(A.SUM) == hash(A.SUM), {A.SUM: 1}[A.SUM])
print(A.SUM in (A.SUM, A.MEAN))
for bad in [dict(synchronization="x"), dict(synchronization=7), dict(aggregation=9), dict(aggregation=None),
            dict(synchronization=S.ON_READ, trainable=True), dict(synchronization=3, trainable=True),
            dict(aggregation=A.ONLY_FIRST_REPLICA)]:
    try:
        v = tf.Variable(1., **bad)
        print("ok", repr(v.synchronization), repr(v.aggregation), v.trainable)
    except Exception as e:
        print(type(e).__name__, str(e)[:55])
print(A.NONE == tf.Variable(1.).aggregation, tf.Variable(1.).aggregation == A.NONE)
print(S.AUTO.__class__.__module__ != "", A.SUM.__class__.__name__)
print(A.__name__, S.__name__)
print(str(tf.Variable(1.).aggregation))
print(sorted(m for m in dir(A) if not m.startswith("_")))
print(sorted(m for m in dir(S) if not m.startswith("_")))

st = tf.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
with st.scope():
    for kw in [dict(synchronization=S.ON_READ, trainable=True), dict(synchronization=S.ON_READ, aggregation=A.SUM),
               dict(aggregation=1), dict(synchronization=3), dict()]:
        try:
            v = tf.Variable(1., **kw)
            print("ok", type(v).__name__, repr(v.synchronization), repr(v.aggregation), v.trainable)
        except Exception as e:
            print(type(e).__name__, str(e)[:55])
