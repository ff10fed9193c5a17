"""tf.data.Options: every option TF has is accepted with its type checked; aliases; merging through with_options."""
import tensorflow as tf

o = tf.data.Options()
print(o.deterministic, o.dataset_name, o.framework_type, o.experimental_slack, o.experimental_warm_start)
print(o.autotune.enabled, o.autotune.cpu_budget, o.autotune.ram_budget, o.autotune.autotune_algorithm)
print(o.experimental_optimization.map_and_batch_fusion, o.experimental_optimization.apply_default_optimizations)
print(o.threading.max_intra_op_parallelism, o.threading.private_threadpool_size, o.experimental_service.pinned)
print(o.experimental_distribute.auto_shard_policy, o.experimental_external_state_policy)
print(type(o.autotune).__name__, type(o.experimental_optimization).__name__, type(o.experimental_service).__name__,
      type(o.threading).__name__)

o.experimental_deterministic = False
print(o.deterministic, o.experimental_threading is o.threading)
o.autotune.autotune_algorithm = tf.data.experimental.AutotuneAlgorithm.HILL_CLIMB
o.autotune.enabled = False
o.autotune.ram_budget = 1 << 30
o.experimental_external_state_policy = tf.data.experimental.ExternalStatePolicy.IGNORE
o.framework_type = ["keras"]
o.dataset_name = "digits"
o.experimental_optimization.map_and_batch_fusion = False
o.experimental_optimization.inject_prefetch = False
o.threading.max_intra_op_parallelism = 1
o.experimental_symbolic_checkpoint = True
print(o.autotune.autotune_algorithm, o.experimental_external_state_policy, o.framework_type, o.dataset_name)
print([a.name for a in tf.data.experimental.AutotuneAlgorithm],
      [p.name for p in tf.data.experimental.ExternalStatePolicy])

for what, setter in [
        ("deterministic=3", lambda: setattr(o, "deterministic", 3)),
        ("cpu_budget='x'", lambda: setattr(o.autotune, "cpu_budget", "x")),
        ("autotune_algorithm=1", lambda: setattr(o.autotune, "autotune_algorithm", 1)),
        ("framework_type='x'", lambda: setattr(o, "framework_type", "x")),
        ("dataset_name=3", lambda: setattr(o, "dataset_name", 3)),
        ("map_fusion=1", lambda: setattr(o.experimental_optimization, "map_fusion", 1)),
        ("auto_shard_policy=0", lambda: setattr(o.experimental_distribute, "auto_shard_policy", 0)),
        ("nope", lambda: setattr(o, "nope", 1))]:
    try:
        setter()
        print(what, "accepted")
    except (TypeError, AttributeError) as e:
        print(what, type(e).__name__, e)

o2 = tf.data.Options()
o2.autotune.cpu_budget = 2
ds = tf.data.Dataset.range(6).with_options(o).map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE).batch(
    4).with_options(o2).prefetch(tf.data.AUTOTUNE)
merged = ds.options()
print(merged.autotune.cpu_budget, merged.autotune.enabled, merged.dataset_name, merged.deterministic,
      merged.experimental_optimization.map_and_batch_fusion)
print([b.numpy().tolist() for b in ds])
