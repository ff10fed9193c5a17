# Keras 3 layers: set attributes are TrackedSets (remove and pop untrack, discard does not);
# a built layer refuses new state
import tensorflow as tf
layer = tf.keras.layers.Dense(2)
layer.s = {1, 2}
print(type(layer.s).__name__, repr(layer.s), str(layer.s), layer.s == {1, 2}, isinstance(layer.s, set))
layer.e = set()
print(repr(layer.e))
a, b, c = tf.keras.layers.Dense(1), tf.keras.layers.Dense(1), tf.keras.layers.Dense(1)
layer.e.add(a)
layer.e.update([b, c])
for l in (a, b, c):
    l.build((None, 2))
print(len(layer.weights))
layer.e.discard(a)
print(len(layer.weights))
layer.e.remove(b)
print(len(layer.weights))
layer.e.pop()
print(len(layer.weights))
layer.f = frozenset({1})
print(type(layer.f).__name__, type(layer.s | {3}).__name__)
layer.build((None, 2))
for f in [lambda: setattr(layer, "late", tf.keras.layers.Dense(1)), lambda: layer.add_weight(shape=(1,)),
          lambda: layer.e.add(tf.keras.layers.Dense(1)), lambda: setattr(layer, "num", 3),
          lambda: setattr(layer, "lst", [tf.keras.layers.Dense(1)]), lambda: setattr(layer, "v", tf.Variable(1.0))]:
    try:
        f()
        print("ok", len(layer.weights))
    except Exception as e:
        print(type(e).__name__)
