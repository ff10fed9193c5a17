"""`ef.data.Options`: the settings of a pipeline, with `tf.data.Options`'s names, types and errors.

What eagerflow does with each (TF's other options are accepted with the meaning given here):

- `deterministic` (alias `experimental_deterministic`): the default of `map`/`interleave`'s
  `deterministic`.
- `threading.private_threadpool_size` (alias group `experimental_threading`): caps the threads of a
  parallel `map`. `threading.max_intra_op_parallelism`: a performance hint with nothing to act on
  (each eagerflow kernel runs on the thread that calls it).
- `autotune.enabled`: `False` keeps every `prefetch` in its background thread (by default a prefetch
  whose producer or consumer is too cheap to gain from a thread produces inline);
  `autotune.cpu_budget`: caps the threads of `num_parallel_calls=AUTOTUNE` (by default one per
  core). `autotune.ram_budget`, `autotune_algorithm`, `initial_parallelism`, `min_parallelism`:
  hints for TF's tuner, which eagerflow does not have (its buffers are bounded by their sizes).
- `experimental_optimization.map_and_batch_fusion` or `.apply_default_optimizations` set to `False`
  turn off the one rewrite eagerflow makes: `map(fn).batch(n)` over a `from_tensor_slices` chain
  calling an elementwise `fn` once per batch (the elements are the same bit for bit either way).
  The other optimization switches name TF graph rewrites, which an eager pipeline has no graph for.
- `experimental_distribute.auto_shard_policy` / `num_devices`: read by distribution strategies.
- `dataset_name`, `framework_type`, `experimental_external_state_policy`, `experimental_slack`,
  `experimental_symbolic_checkpoint`, `experimental_warm_start`, `experimental_service.pinned`:
  settings for TF's runtime, tf.data service and its checkpoint format, kept as metadata
  (eagerflow's iterator checkpoints always save the position, and fail where a stage cannot).

>>> import eagerflow as ef
>>> o = ef.data.Options(); o.deterministic = False
>>> o.deterministic, ef.data.Options().deterministic
(False, None)
"""

import enum

__all__ = ["Options", "ThreadingOptions", "DistributeOptions", "AutotuneOptions", "OptimizationOptions",
           "ServiceOptions", "AutoShardPolicy", "AutotuneAlgorithm", "ExternalStatePolicy"]


class AutoShardPolicy(enum.IntEnum):
    """How a distributed input pipeline is split between workers (as `tf.data.experimental.AutoShardPolicy`)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class AutotuneAlgorithm(enum.Enum):
    """TF's autotuning algorithms (`tf.data.experimental.AutotuneAlgorithm`), for `Options.autotune`."""

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class ExternalStatePolicy(enum.Enum):
    """What TF does when saving a pipeline with external state (`tf.data.experimental.ExternalStatePolicy`)."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionGroup:
    _fields = {}    # name -> (default, type the value must have)
    _aliases = {}   # TF's deprecated names -> the name they stand for

    def __init__(self):
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name):
        fields = type(self)._fields
        name = type(self)._aliases.get(name, name)
        if name in fields:
            return self._values.get(name, fields[name][0])
        raise AttributeError(f"{type(self).__name__} has no option {name!r}; its options are {sorted(fields)}.")

    def __setattr__(self, name, value):
        fields = type(self)._fields
        name = type(self)._aliases.get(name, name)
        if name not in fields:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        kind = fields[name][1]
        # bool is an int in Python; TF's check (isinstance) lets it through for int options too
        if value is not None and not isinstance(value, kind):
            raise TypeError(f'Property "{name}" must be of type {kind}, got: {value} (type: {type(value)})')
        self._values[name] = value

    def _merge(self, other):
        out = type(self)()
        out._values.update(self._values)
        for k, v in other._values.items():
            if isinstance(v, _OptionGroup):
                out._values[k] = out.__getattr__(k)._merge(v)
            else:
                out._values[k] = v
        return out

    def __eq__(self, other):
        return type(other) is type(self) and {k: getattr(self, k) for k in self._fields} == {
            k: getattr(other, k) for k in other._fields}

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self._fields)})"


class ThreadingOptions(_OptionGroup):
    """`private_threadpool_size`: the most threads a parallel `map` of the pipeline uses (0: no cap);
    `max_intra_op_parallelism`: a hint (eagerflow's kernels run on the calling thread)."""

    _fields = {"private_threadpool_size": (None, int), "max_intra_op_parallelism": (None, int)}


class DistributeOptions(_OptionGroup):
    """`auto_shard_policy`: how a distribution strategy splits the pipeline between workers."""

    _fields = {"auto_shard_policy": (AutoShardPolicy.AUTO, AutoShardPolicy), "num_devices": (None, int)}


class AutotuneOptions(_OptionGroup):
    """`enabled=False` keeps prefetch threads always on; `cpu_budget` caps AUTOTUNE's threads; the rest are
    hints for TF's tuner (see the module docstring)."""

    _fields = {"enabled": (None, bool), "cpu_budget": (None, int), "ram_budget": (None, int),
               "autotune_algorithm": (None, AutotuneAlgorithm), "initial_parallelism": (None, int),
               "min_parallelism": (None, int)}


class OptimizationOptions(_OptionGroup):
    """`map_and_batch_fusion` / `apply_default_optimizations` = False turn off the vectorized `map(...).batch`;
    the others name TF graph rewrites (see the module docstring)."""

    _fields = {name: (None, bool) for name in (
        "apply_default_optimizations", "filter_fusion", "filter_parallelization", "inject_prefetch",
        "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion", "map_parallelization", "noop_elimination",
        "parallel_batch", "seq_interleave_prefetch", "shuffle_and_repeat_fusion")}


class ServiceOptions(_OptionGroup):
    """`pinned`: a tf.data service setting, kept as metadata."""

    _fields = {"pinned": (None, bool)}


class Options(_OptionGroup):
    """The options of a dataset (`ds.with_options(options)`, `ds.options()`)."""

    _fields = {"deterministic": (None, bool), "dataset_name": (None, str), "framework_type": (None, list),
               "experimental_external_state_policy": (None, ExternalStatePolicy),
               "experimental_slack": (None, bool), "experimental_symbolic_checkpoint": (None, bool),
               "experimental_warm_start": (None, bool),
               "threading": (None, ThreadingOptions), "autotune": (None, AutotuneOptions),
               "experimental_optimization": (None, OptimizationOptions),
               "experimental_distribute": (None, DistributeOptions),
               "experimental_service": (None, ServiceOptions)}
    _aliases = {"experimental_deterministic": "deterministic", "experimental_threading": "threading"}

    def __init__(self):
        super().__init__()
        for name, (_, kind) in self._fields.items():
            if isinstance(kind, type) and issubclass(kind, _OptionGroup):
                self._values[name] = kind()

    def merge(self, options):
        """These options with those set in `options` taking precedence."""
        return self._merge(options)
