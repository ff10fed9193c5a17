# The placement log of tf.random.Generator, as TF logs it: a state from a seed is made by Cast, Reshape,
# StridedSlice, Maximum, Fill and ConcatV2 (NonDeterministicInts for an unseeded one), then a state variable
# (VarHandleOp, AssignVariableOp); a draw reads and moves the state (RngReadAndSkip, by the Prod of the shape cast
# to uint64), takes its counter and key apart (StridedSlice, Bitcast) and runs a stateless V2 op on them; binomial
# is one StatefulRandomBinomial; make_seeds and split draw full-range int64 keys (then ZerosLike and Pack, or
# Unpack and one state per key). ThreeFry's RngReadAndSkip is placed, then refused (TF's CPU kernels have Philox
# only).
from placement_log import mark, run, tf  # noqa: F401  (the log's capture)

made = {}


def make(name, f):
    def step():
        made[name] = f()
    return step


def refused(f):
    def step():
        try:
            f()
        except Exception as e:  # noqa: BLE001 - the class is what is shown
            mark(f"refused: {type(e).__name__}")
    return step


run([
    ("from_seed", make("g", lambda: tf.random.Generator.from_seed(1))),
    ("from_seed again", make("b", lambda: tf.random.Generator.from_seed(2))),
    ("from_seed big", make("c", lambda: tf.random.Generator.from_seed(2 ** 70 + 5))),
    ("from_seed list", make("d", lambda: tf.random.Generator.from_seed([1, 2]))),
    ("from_seed threefry", make("t", lambda: tf.random.Generator.from_seed(3, "threefry"))),
    ("from_non_deterministic_state", make("e", lambda: tf.random.Generator.from_non_deterministic_state())),
    ("from_state variable", make("f", lambda: tf.random.Generator.from_state(made["g"].state, "philox"))),
    ("from_state list", make("h", lambda: tf.random.Generator.from_state([1, 2, 3], "philox"))),
    ("from_key_counter", make("k", lambda: tf.random.Generator.from_key_counter(5, [1, 2], "philox"))),
    ("copy_from", make("cp", lambda: tf.random.Generator(copy_from=made["g"]))),
    ("create_rng_state", lambda: tf.random.create_rng_state(7, "philox")),
    ("normal", lambda: made["g"].normal([2])),
    ("normal again", lambda: made["g"].normal([2])),
    ("normal mean", lambda: made["g"].normal([2], mean=1.0, stddev=2.0)),
    ("normal tensor shape", lambda: made["g"].normal(tf.constant([2]))),
    ("normal scalar", lambda: made["g"].normal([])),
    ("uniform", lambda: made["g"].uniform([2])),
    ("uniform bounds", lambda: made["g"].uniform([2], 1.0, 3.0)),
    ("uniform int", lambda: made["g"].uniform([2], 0, 5, dtype=tf.int32)),
    ("uniform full", lambda: made["g"].uniform([2], None, None, dtype=tf.int32)),
    ("uniform_full_int", lambda: made["g"].uniform_full_int([2])),
    ("truncated_normal", lambda: made["g"].truncated_normal([2])),
    ("binomial", lambda: made["g"].binomial([2], 3.0, 0.5)),
    ("make_seeds", lambda: made["g"].make_seeds(2)),
    ("split", lambda: made["g"].split(2)),
    ("skip", lambda: made["g"].skip(5)),
    ("skip tensor", lambda: made["g"].skip(tf.constant(3, tf.uint64))),
    ("key", lambda: made["g"].key),
    ("state", lambda: made["g"].state),
    ("algorithm", lambda: made["g"].algorithm),
    ("reset", lambda: made["g"].reset([1, 2, 3])),
    ("reset_from_seed", lambda: made["g"].reset_from_seed(4)),
    ("reset_from_key_counter", lambda: made["g"].reset_from_key_counter(5, [1, 2])),
    ("shared state normal", lambda: made["f"].normal([2])),
    ("threefry normal", refused(lambda: made["t"].normal([2]))),
    ("threefry binomial", refused(lambda: made["t"].binomial([2], 3.0, 0.5))),
    ("get_global_generator", lambda: tf.random.get_global_generator()),
    ("global normal", lambda: tf.random.get_global_generator().normal([2])),
])
