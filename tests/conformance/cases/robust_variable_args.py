"""Arguments TF acts on: constraints (applied by optimizers), validate_shape, use_locking, top_k(sorted=False),
and copy.deepcopy of a variable (name in the current scope, settings kept)."""
import copy

import tensorflow as tf


def check(label, fn):
    try:
        print(label, "->", fn())
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        print(label, "->", type(e).__name__)


check("constraint=5", lambda: tf.Variable([1.0], constraint=5))
w = tf.Variable([5.0, -3.0], constraint=lambda t: tf.clip_by_value(t, 0.0, 1.0))
print("constraint set:", w.constraint is not None, "default:", tf.Variable(1.0).constraint)
print("created unprojected:", w.numpy().tolist())
tf.keras.optimizers.SGD(1.0).apply_gradients([(tf.constant([-10.0, 1.0]), w)])
print("after SGD:", w.numpy().tolist())
w.assign([7.0, 7.0])
print("assign is not projected:", w.numpy().tolist())
w.assign_add([1.0, 1.0])
print("assign_add is not projected:", w.numpy().tolist())
adam = tf.keras.optimizers.Adam(0.5)
u = tf.Variable([0.5, 0.5], constraint=lambda t: tf.maximum(t, 0.25))
for _ in range(3):
    adam.apply_gradients([(tf.constant([1.0, -1.0]), u)])
print("after Adam:", [round(x, 5) for x in u.numpy().tolist()])

v = tf.Variable([1.0, 2.0], validate_shape=False)
print("validate_shape=False shape:", v.shape)
check("assign another shape", lambda: v.assign([1.0, 2.0, 3.0]))
check("assign same shape", lambda: v.assign([3.0, 4.0]).numpy().tolist())
c = tf.Variable(lambda: tf.zeros([2]), validate_shape=False)
print("callable initial value shape:", c.shape)
check("assign_add use_locking=True", lambda: v.assign_add([1.0, 1.0], use_locking=True).numpy().tolist())
check("assign_sub use_locking=False", lambda: v.assign_sub([1.0, 1.0], use_locking=False).numpy().tolist())
check("assign use_locking=True", lambda: v.assign([0.0, 1.0], use_locking=True).numpy().tolist())

for x, k in [([1, 5, 3, 4], 3), ([1, 5, 3, 4, 9, 0, 2], 4), ([2, 2, 1, 2, 3], 3),
             ([[3.0, 1.0, 2.0], [1.0, 2.0, 3.0]], 2), ([4, 4, 4, 4], 2), ([0.5, -1.0, 2.5, 0.5], 4)]:
    r = tf.math.top_k(x, k=k, sorted=False)
    values, indices = r.values.numpy().tolist(), r.indices.numpy().tolist()
    if not isinstance(values[0], list):
        values, indices = [values], [indices]
    rows = [list(zip(a, b)) for a, b in zip(values, indices)]
    print("top_k sorted=False as a set:", [sorted(row, key=lambda p: p[1]) for row in rows])
check("top_k sorted=False k=0", lambda: tf.math.top_k([1, 2], k=0, sorted=False).values.shape)
print("sort descending, NaN last:", tf.sort([1.0, float("nan"), 3.0], direction="DESCENDING").numpy().tolist())

with tf.name_scope("outer"):
    a = tf.Variable([1.0, 2.0], name="w", constraint=lambda t: t, trainable=False)
print(a.name)
d = copy.deepcopy(a)
print("copy:", d.name, d.trainable, d.constraint is not None, d.dtype.name, d.numpy().tolist())
with tf.name_scope("outer"):
    print("copy in scope outer:", copy.deepcopy(a).name)
a.assign([5.0, 6.0])
print("the copy is independent:", d.numpy().tolist())
pair = copy.deepcopy([a, a])
print("memo shared:", pair[0] is pair[1])
s = tf.Variable(1.0, synchronization=tf.VariableSynchronization.ON_READ, aggregation=tf.VariableAggregation.SUM)
cs = copy.deepcopy(s)
print("sync/aggregation kept:", cs.synchronization == s.synchronization, cs.aggregation == s.aggregation, cs.trainable)
