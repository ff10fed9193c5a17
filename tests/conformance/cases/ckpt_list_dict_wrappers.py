# Lists and dicts assigned to a Module or Checkpoint: TF's ListWrapper/_DictWrapper (what they print, compare
# and do), their elements' checkpoint keys, deferred restoration of elements added after restore(), and the
# mutations that make them unsaveable.
import collections.abc as abc
import copy
import os
import pickle
import tempfile

import tensorflow as tf

ck = tf.train.Checkpoint()
ck.listed = []
ck.mapped = {}
print(ck.listed, repr(ck.listed), str(ck.mapped), repr(ck.mapped))
print(type(ck.listed).__name__, type(ck.mapped).__name__)
print(isinstance(ck.listed, list), isinstance(ck.mapped, dict), isinstance(ck.listed, abc.MutableSequence),
      isinstance(ck.mapped, abc.MutableMapping))
ck.listed.append(1)
ck.listed.extend([2, 3])
print(ck.listed, ck.listed == [1, 2, 3], [1, 2, 3] == ck.listed, ck.listed != [1], len(ck.listed), 2 in ck.listed)
print(ck.listed + [4], [0] + ck.listed, ck.listed * 2, type(ck.listed + [4]).__name__)
ck.listed[0] = 10
print(ck.listed, ck.listed[1:], type(ck.listed[1:]).__name__, ck.listed[-1], list(reversed(ck.listed)))
print(ck.listed.pop(), ck.listed, ck.listed.index(2), ck.listed.count(2))
ck.listed.insert(0, 5)
ck.listed.remove(5)
ck.listed.reverse()
print(ck.listed)
ck.listed.sort()
print(ck.listed)
try:
    ck.listed.sort(reverse=True)
except TypeError:
    print("sort(reverse=True) TypeError")
del ck.listed[0]
ck.listed += [7]
print(ck.listed, ck.listed < [11], ck.listed.copy(), type(ck.listed.copy()).__name__)
for container in (ck.listed, ck.mapped):
    try:
        hash(container)
    except TypeError as e:
        print("TypeError", e)
ck.mapped["a"] = 1
ck.mapped.update(b=2)
print(ck.mapped, ck.mapped == {"a": 1, "b": 2}, sorted(ck.mapped.keys()), list(ck.mapped.items()), len(ck.mapped))
print(ck.mapped.pop("a"), ck.mapped.get("z"), ck.mapped.setdefault("c", 3), ck.mapped, "c" in ck.mapped)
print(dict(ck.mapped), {**ck.mapped}, list(ck.listed), repr(ck.mapped.copy()), type(ck.mapped.copy()).__name__)
print(type(copy.copy(ck.listed)).__name__, type(copy.deepcopy(ck.listed)).__name__,
      type(copy.deepcopy(ck.mapped)).__name__, repr(pickle.loads(pickle.dumps(ck.listed))))

# the wrapper shares the list assigned; nested containers are wrapped; tuples and strings stay as they are
m = tf.Module()
plain = [1, 2]
m.p = plain
print(m.p is plain, m.p == plain)
plain.append(3)
print(m.p)
m.t = (1, 2)
m.s = "x"
print(type(m.t).__name__, type(m.s).__name__)
m.p = m.p
same = m.p
m.q = same
print(m.q is same)
m.nested = [[tf.Variable(5.0, name="n")], {"k": [1]}]
print(type(m.nested).__name__, type(m.nested[0]).__name__, type(m.nested[1]).__name__, type(m.nested[1]["k"]).__name__)
print(m.nested)
print(tf.nest.map_structure(lambda x: 0, {"a": m.p}), repr(tf.nest.map_structure(lambda x: 0, m.nested[1])))

# Module.variables / trainable_variables / submodules through them
m = tf.Module()
m.layers = [tf.Variable(1.0, name="a"), tf.Module()]
m.layers[1].w = tf.Variable(2.0, name="w")
m.d = {"x": tf.Variable(3.0, name="x", trainable=False)}
print(type(m.layers).__name__, m.d)
print([v.name for v in m.variables], [v.name for v in m.trainable_variables], len(m.submodules))
m.layers.append(tf.Variable(4.0, name="late"))
m.layers.insert(0, tf.Variable(6.0, name="first"))
print([v.name for v in m.variables])

# checkpoint keys of the elements, and restoration of the elements added after restore()
d = tempfile.mkdtemp()
src = tf.train.Checkpoint()
src.listed = [tf.Variable(1.0), tf.Variable(2.0)]
src.mapped = {"one": tf.Variable(3.0), "sub": {"deep": tf.Variable(4.0)}}
holder = tf.Module()
holder.layers = [tf.Module()]
holder.layers[0].w = tf.Variable(5.0)
src.m = holder
path = src.write(os.path.join(d, "c"))
print(sorted(k for k, _ in tf.train.list_variables(path)))
dst = tf.train.Checkpoint()
dst.listed = []
dst.mapped = {}
dst.m = tf.Module()
dst.m.layers = []
status = dst.read(path)
a = tf.Variable(0.0)
dst.listed.append(a)
print("append", a.numpy())
dst.listed.extend([tf.Variable(0.0)])
print("extend", dst.listed[1].numpy())
dst.mapped["one"] = tf.Variable(0.0)
print("setitem", dst.mapped["one"].numpy())
dst.mapped["sub"] = {}
dst.mapped["sub"]["deep"] = tf.Variable(0.0)
print("nested", dst.mapped["sub"]["deep"].numpy())
sub = tf.Module()
dst.m.layers.append(sub)
sub.w = tf.Variable(0.0)
print("module in list", sub.w.numpy())
status.assert_consumed()
print("consumed")
print(type(tf.train.Checkpoint(listed=[tf.Variable(1.0)]).listed).__name__)


# what cannot be saved: a tracked element replaced or removed, the wrapped list changed behind the wrapper,
# a non-string key holding a variable; plain values may be changed freely, a deleted dict value is still saved
def save(label, ckpt):
    try:
        keys = sorted(k for k, _ in tf.train.list_variables(ckpt.write(os.path.join(d, label))))
        print(label, keys)
    except ValueError as e:
        print(label, "ValueError", str(e).split(" (a ")[1][:40])


c = tf.train.Checkpoint()
c.l = [tf.Variable(1.0), tf.Variable(2.0)]
c.l[0] = tf.Variable(3.0)
save("replaced", c)
c = tf.train.Checkpoint()
c.l = [tf.Variable(1.0)]
c.l.pop()
save("popped", c)
c = tf.train.Checkpoint()
c.l = [tf.Variable(1.0), tf.Variable(2.0)]
c.l.sort if False else c.l.reverse()
save("reversed", c)
c = tf.train.Checkpoint()
plain = [tf.Variable(1.0)]
c.l = plain
plain.append(tf.Variable(2.0))
save("external", c)
c = tf.train.Checkpoint()
c.l = [1, 2]
c.l[0] = 5
c.l.sort()
del c.l[0]
c.l.insert(0, 7)
print(c.l)
save("plain values", c)
c = tf.train.Checkpoint()
c.d = {"a": tf.Variable(1.0)}
del c.d["a"]
c.d["b"] = tf.Variable(2.0)
save("deleted key", c)
c = tf.train.Checkpoint()
c.d = {1: tf.Variable(1.0)}
save("int key", c)
c = tf.train.Checkpoint()
raw = {"a": tf.Variable(1.0)}
c.d = raw
raw["b"] = tf.Variable(2.0)
save("external dict", c)

# a tuple holding a tracked object or a container is TF's _TupleWrapper (its list wrapped); others stay tuples
m = tf.Module()
t = (tf.Variable(1.0, name="a"), [1])
m.t = t
print(type(m.t).__name__, m.t is t, m.t, isinstance(m.t, tuple), type(m.t[1]).__name__, m.t == t, len(m.t))
m.u = (1, 2)
m.n = ((1, [2]), 3)
print(type(m.u).__name__, type(m.n).__name__, m.n, repr(m.n), type(m.n[0]).__name__, hash(m.u) == hash((1, 2)))
print(m.t + (1,), type(m.t + (1,)).__name__, m.t[:1], type(m.t[:1]).__name__, type(copy.copy(m.t)).__name__)
print([v.name for v in m.variables])
c = tf.train.Checkpoint(pair=(tf.Variable(1.0), {"k": tf.Variable(2.0)}))
print(type(c.pair).__name__, sorted(k for k, _ in tf.train.list_variables(c.write(os.path.join(d, "tuple")))))
