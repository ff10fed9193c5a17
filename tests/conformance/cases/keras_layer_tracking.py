# Keras 3 layers: what they track (Keras variables and layers, not tf.Variables) and in which order, list
# and dict attributes as TrackedList/TrackedDict, weight paths in the layer's scope, trainable switches
import copy

import tensorflow as tf

layer = tf.keras.layers.Dense(2)
a = [1]
layer.items = a
a.append(2)
print(layer.items, layer.items is a, type(layer.items).__mro__[1].__name__)
layer.nested = [[1], {"k": [2]}]
print(type(layer.nested[0]).__name__, type(layer.nested[1]).__name__, type(layer.nested[1]["k"]).__name__)
print(type(copy.copy(layer.items)).__name__, type(layer.items + [3]).__name__, type(layer.items[:1]).__name__)
layer.items.append(tf.Variable(1.0))
print(len(layer.weights), [w.name for w in layer.weights])
layer.w = tf.Variable(1.0)
layer.build((None, 3))
print(len(layer.weights), len(layer.trainable_variables), len(layer.variables), [w.path for w in layer.weights])


class L(tf.keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.zz = tf.keras.layers.Dense(1)
        self.b = self.add_weight(shape=(1,), name="b", trainable=False)
        self.a = self.add_weight(shape=(1,), name="a")
        self.add_weight(shape=(1,), name="unassigned")
        self.aa = tf.keras.layers.Dense(1)
        self.v = tf.Variable([1.0, 2.0])
        self.blocks = []
        self.table = {}

    def build(self, s):
        self.zz.build(s)
        self.aa.build(s)
        self.blocks.append(tf.keras.layers.Dense(1))
        self.blocks[0].build(s)
        self.table["x"] = tf.keras.layers.Dense(1)
        self.table["x"].build(s)

    def call(self, x):
        return self.zz(x) * self.a


lay = L()
lay.build((None, 2))
print([w.path for w in lay.weights])
print([w.path for w in lay.trainable_weights], [w.path for w in lay.non_trainable_weights])
print(type(lay.blocks).__name__, type(lay.table).__name__)
print(lay.blocks == [lay.blocks[0]], lay.table == {"x": lay.table["x"]})
with tf.GradientTape() as tape:
    y = tf.reduce_sum(lay(tf.ones([3, 2])))
print([g is None for g in tape.gradient(y, lay.trainable_variables)])
lay.blocks.pop()
print(len(lay.weights))
m = tf.keras.Sequential([tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])
m.build((None, 3))
print([w.path for w in m.weights])
d = tf.keras.layers.Dense(2, trainable=False)
d(tf.ones([1, 2]))
print(len(d.trainable_variables), len(d.non_trainable_variables), [v.trainable for v in d.weights])
d.trainable = True
print(len(d.trainable_variables), len(d.non_trainable_variables), [v.trainable for v in d.weights])
print([w.path for w in d.weights])
e = tf.keras.layers.Dense(2)
e(tf.ones([1, 2]))
e.trainable = False
print(len(e.trainable_variables), [v.trainable for v in e.weights])
e.trainable = True
e.kernel.trainable = False
print([w.path for w in e.weights], [w.path for w in e.trainable_weights])
