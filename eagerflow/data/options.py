"""`ef.data.Options`: the settings of a pipeline that eagerflow acts on, as `tf.data.Options`.

Only options with an effect in eagerflow exist (setting any other is an AttributeError, as TF's
for a misspelt name): `deterministic` (the default of `map`/`interleave`'s `deterministic`),
`threading.private_threadpool_size` (caps the threads of a parallel `map`) and
`experimental_distribute.auto_shard_policy` (read by distribution strategies).

>>> import eagerflow as ef
>>> o = ef.data.Options(); o.deterministic = False
>>> o.deterministic, ef.data.Options().deterministic
(False, None)
"""

import enum

__all__ = ["Options", "ThreadingOptions", "DistributeOptions", "AutoShardPolicy"]


class AutoShardPolicy(enum.IntEnum):
    """How a distributed input pipeline is split between workers (as `tf.data.experimental.AutoShardPolicy`)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class _OptionGroup:
    _fields = {}

    def __init__(self):
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name):
        fields = type(self)._fields
        if name in fields:
            return self._values.get(name, fields[name][0])
        raise AttributeError(f"{type(self).__name__} has no option {name!r}; eagerflow's are {sorted(fields)}.")

    def __setattr__(self, name, value):
        fields = type(self)._fields
        if name not in fields:
            raise AttributeError(f"Cannot set option {name!r} of {type(self).__name__}: it does not exist in "
                                 f"eagerflow (options with an effect: {sorted(fields)}).")
        check = fields[name][1]
        if value is not None and not check(value):
            raise TypeError(f"Invalid value {value!r} for option {type(self).__name__}.{name}.")
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
    """`private_threadpool_size`: the most threads a parallel `map` of the pipeline uses (0: no cap)."""

    _fields = {"private_threadpool_size": (None, lambda v: isinstance(v, int) and v >= 0)}


class DistributeOptions(_OptionGroup):
    """`auto_shard_policy`: how a distribution strategy splits the pipeline between workers."""

    _fields = {"auto_shard_policy": (AutoShardPolicy.AUTO, lambda v: v in tuple(AutoShardPolicy)),
               "num_devices": (None, lambda v: isinstance(v, int) and v > 0)}


class Options(_OptionGroup):
    """The options of a dataset (`ds.with_options(options)`, `ds.options()`)."""

    _fields = {"deterministic": (None, lambda v: isinstance(v, bool)),
               "threading": (None, lambda v: isinstance(v, ThreadingOptions)),
               "experimental_distribute": (None, lambda v: isinstance(v, DistributeOptions))}

    def __init__(self):
        super().__init__()
        self._values["threading"] = ThreadingOptions()
        self._values["experimental_distribute"] = DistributeOptions()

    def merge(self, options):
        """These options with those set in `options` taking precedence."""
        return self._merge(options)
