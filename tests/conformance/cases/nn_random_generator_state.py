# A Generator's state as TF moves it (the numbers drawn differ: docs/differences_from_tensorflow.md): from_seed's
# state is the seed's 64-bit words padded on the left; a draw moves the counter by 256 per value before drawing
# (binomial by 50 * batches * (samples + 3) times 256), skip(n) as a draw of n values (the delta cast to uint64,
# wrapping, the 128-bit counter carrying as TF's 32-bit words do) and returns the state before; make_seeds' second
# row is zeros and split's generators are [0, 0, key]; ThreeFry draws are refused on CPU; index_shuffle's
# arguments and errors (tests/test_random_generator.py checks the distributions of the values drawn).
import tensorflow as tf


def show(name, f):
    try:
        out = f()
        print(name, "->", out.dtype.name, out.shape)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        print(name, "->", type(e).__name__)


g = tf.random.Generator.from_seed(1)
print(g.state.name, g.state.numpy().tolist(), g.algorithm)
for name, f in [("normal [2]", lambda: g.normal([2])), ("normal [3, 5]", lambda: g.normal([3, 5])),
                ("normal [0]", lambda: g.normal([0])), ("normal []", lambda: g.normal([])),
                ("normal tensor shape", lambda: g.normal(tf.constant([2, 2], tf.int64))),
                ("uniform", lambda: g.uniform([3])), ("uniform bounds", lambda: g.uniform([3], -1.0, 1.0)),
                ("uniform int", lambda: g.uniform([4], 0, 5, tf.int32)),
                ("uniform full int32", lambda: g.uniform([3], None, None, tf.int32)),
                ("uniform_full_int int64", lambda: g.uniform_full_int([3], tf.int64)),
                ("uniform_full_int", lambda: g.uniform_full_int([2])),
                ("truncated_normal", lambda: g.truncated_normal([5], 1.0, 2.0, tf.float64)),
                ("binomial [2]", lambda: g.binomial([2], 3.0, 0.5)),
                ("binomial [2, 3]", lambda: g.binomial([2, 3], [3.0, 4.0, 5.0], 0.5)),
                ("binomial [0]", lambda: g.binomial([0], 3.0, 0.5)),
                ("binomial int64", lambda: g.binomial([3], 3.0, 0.5, dtype=tf.int64)),
                ("binomial float32", lambda: g.binomial([3], 3.0, 0.5, dtype=tf.float32)),
                ("make_seeds", lambda: g.make_seeds(3)), ("make_seeds default", lambda: g.make_seeds()),
                ("skip 7", lambda: g.skip(7)), ("skip -1", lambda: g.skip(-1)), ("skip 2.7", lambda: g.skip(2.7)),
                ("skip uint64", lambda: g.skip(tf.constant(2 ** 64 - 1, tf.uint64))),
                ("skip 2**56", lambda: g.skip(2 ** 56)), ("skip 2**63 - 1", lambda: g.skip(2 ** 63 - 1))]:
    show(name, f)
    print("  state", g.state.numpy().tolist())
for name, f in [("skip [1, 2]", lambda: g.skip([1, 2])), ("skip 2**63", lambda: g.skip(2 ** 63)),
                ("binomial shape", lambda: g.binomial([3], [3.0, 4.0], 0.5)),
                ("binomial int counts", lambda: g.binomial([3], 3, 0.5)),
                ("uniform int one bound", lambda: g.uniform([2], 0, None, tf.int32))]:
    show(name, f)
    print("  state", g.state.numpy().tolist())
# refused by TF's kernel after the state moved; eagerflow refuses first (docs/differences_from_tensorflow.md)
show("uniform int empty range", lambda: tf.random.Generator.from_seed(1).uniform([2], 3, 3, tf.int32))
print("skip returns", g.skip(1).numpy().tolist(), g.state.numpy().tolist())
print("make_seeds row 1", g.make_seeds(4).numpy()[1].tolist())
parent = tf.random.Generator.from_seed(1)
children = parent.split(3)
print("split", parent.state.numpy().tolist(), [c.state.numpy()[:2].tolist() for c in children],
      len({int(c.state.numpy()[2]) for c in children}), [c.state.name for c in children])
for start in ([-1, 5, 9], [-1, -1, 9], [5, 0, 0], [0, 3, 0]):
    h = tf.random.Generator.from_state(start, "philox")
    h.normal([1])
    h.skip(-1)
    print("carry", start, h.state.numpy().tolist())
print("seeds", tf.random.Generator.from_seed(2 ** 70 + 5).state.numpy().tolist(),
      tf.random.Generator.from_seed([1, 2]).state.numpy().tolist(),
      tf.random.Generator.from_seed([1, 2, 3, 4]).state.numpy().tolist(),
      tf.random.Generator.from_seed(-1).state.numpy().tolist(),
      tf.random.Generator.from_seed(2 ** 64 - 1).state.numpy().tolist(),
      tf.random.Generator.from_seed(tf.constant([7, 8], tf.int64)).state.numpy().tolist())
print("key counter", tf.random.Generator.from_key_counter(5, [1, 2], "philox").state.numpy().tolist(),
      tf.random.Generator.from_key_counter(2 ** 64 - 1, [2 ** 63, 0], "philox").state.numpy().tolist())
h = tf.random.Generator.from_seed(1)
h.reset_from_key_counter(6, [3, 4])
print("reset_from_key_counter", h.state.numpy().tolist(), h.key.numpy())
h.reset_from_seed(9)
print("reset_from_seed", h.state.numpy().tolist())
h.reset([1, 2, 3])
print("reset", h.state.numpy().tolist())
show("reset short", lambda: h.reset([1, 2]))
auto = tf.random.Generator.from_seed(3, "auto_select")
auto.normal([2])
print("auto_select", auto.algorithm, auto.state.numpy().tolist())
show("auto_select binomial", lambda: auto.binomial([2], 3.0, 0.5))
print("  state", auto.state.numpy().tolist())
t = tf.random.Generator.from_seed(3, "threefry")
print("threefry", t.algorithm, t.state.numpy().tolist(), t.key.numpy())
for name, f in [("threefry normal", lambda: t.normal([2])), ("threefry binomial", lambda: t.binomial([2], 3.0, 0.5)),
                ("threefry skip", lambda: t.skip(2)), ("threefry make_seeds", lambda: t.make_seeds()),
                ("threefry split", lambda: t.split(2)[0].state)]:
    show(name, f)
print("  state", t.state.numpy().tolist())
copy = tf.random.Generator(copy_from=g)
print("copy_from", copy.state is g.state, copy.state.numpy().tolist() == g.state.numpy().tolist(), copy.state.name)
print("nondeterministic", tf.random.Generator.from_non_deterministic_state().state.shape,
      tf.random.Generator.from_non_deterministic_state("threefry").state.shape)

shuffle = tf.random.experimental.index_shuffle
for name, f in [("scalar", lambda: shuffle(3, [1, 2], 9)), ("vector", lambda: shuffle([3, 4], [1, 2], 9)),
                ("vector of one", lambda: shuffle([3], [1, 2], 9)),
                ("vector max_index", lambda: shuffle([3, 4], [1, 2], [9, 9])),
                ("int64 max_index", lambda: shuffle(3, [1, 2], tf.constant(9, tf.int64))),
                ("uint32 index", lambda: shuffle(tf.constant(3, tf.uint32), [1, 2], 9)),
                ("int64 seed", lambda: shuffle(3, tf.constant([1, 2], tf.int64), 9)),
                ("uint32 seed", lambda: shuffle(3, tf.constant([1, 2], tf.uint32), 9)),
                ("huge max_index", lambda: shuffle(tf.constant(5, tf.int64), [1, 2], tf.constant(2 ** 62, tf.int64))),
                ("zero", lambda: shuffle(0, [1, 2], 0)), ("above max_index", lambda: shuffle(12, [1, 2], 9)),
                ("negative", lambda: shuffle(-1, [1, 2], 9)), ("negative max_index", lambda: shuffle(3, [1, 2], -1)),
                ("seed of 3", lambda: shuffle(3, [1, 2, 3], 9)),
                ("seed matrix", lambda: shuffle(3, [[1, 2], [3, 4]], 9)),
                ("float seed", lambda: shuffle(3, [1.0, 2.0], 9)),
                ("int8 seed", lambda: shuffle(3, tf.constant([1, 2], tf.int8), 9)),
                ("float index", lambda: shuffle(3.0, [1, 2], 9)),
                ("int16 index", lambda: shuffle(tf.constant(3, tf.int16), [1, 2], 9)),
                ("matrix index", lambda: shuffle([[3]], [1, 2], 9)),
                ("lengths differ", lambda: shuffle([3, 4], [1, 2], [9, 9, 9])),
                ("empty index", lambda: shuffle(tf.constant([], tf.int32), [1, 2], 0))]:
    show("index_shuffle " + name, f)
for top in (0, 1, 6, 40):
    print("permutation", top, sorted(int(shuffle(i, [4, 5], top)) for i in range(top + 1)) == list(range(top + 1)))
print("batched", sorted(shuffle(tf.range(7), [4, 5], 6).numpy().tolist()),
      [int(shuffle(i, [4, 5], 6)) for i in range(7)] == shuffle(tf.range(7), [4, 5], 6).numpy().tolist(),
      shuffle([0, 1, 2], [4, 5], [2, 2, 2]).numpy().tolist() == [int(shuffle(i, [4, 5], 2)) for i in range(3)])
