"""`ParameterServerStrategy` (variables on parameter-server tasks) and TF's variable partitioners.

The strategy is built on a `RayClusterResolver`: variables created in its `scope()` live on the
parameter servers (round-robin over them, as TF; an explicit `with ef.device('/job:ps/task:1'):` places
one there), large ones split by the `variable_partitioner` into a `ShardedVariable`. Functions run on the
workers through a `ClusterCoordinator`; on a worker `strategy.run(fn, args)` calls `fn` as its one replica.
"""

import math

from eagerflow import errors
from eagerflow.device import context, registry
from eagerflow.device import spec as _spec
from eagerflow.distribute import ps_values
from eagerflow.distribute.strategy import Strategy
from eagerflow.variables import Variable

__all__ = ["ParameterServerStrategy", "Partitioner", "FixedShardsPartitioner", "MinSizePartitioner",
           "MaxSizePartitioner"]

_state = context.thread_state()


# ----------------------------------------------------------------------------- partitioners

class Partitioner:
    """Decides how a variable is split: called with its `TensorShape` and dtype, returns the number of
    shards along each axis (only the first axis may have more than one), as TF's."""

    def __call__(self, shape, dtype, axis=0):
        raise NotImplementedError


def _element_bytes(dtype, bytes_per_string):
    from eagerflow import dtypes
    dtype = dtypes.as_dtype(dtype)
    return bytes_per_string if dtype is dtypes.string else dtype.size


def _shards(shape, axis, count):
    out = [1] * len(shape)
    out[axis] = count
    return out


class FixedShardsPartitioner(Partitioner):
    """`num_shards` shards (fewer when the first axis is shorter).

    >>> FixedShardsPartitioner(2)(ef.TensorShape([10, 3]), ef.float32)
    [2, 1]
    """

    def __init__(self, num_shards):
        self._num_shards = num_shards

    def __call__(self, shape, dtype, axis=0):
        return _shards(shape, axis, min(self._num_shards, shape[axis]))


class MinSizePartitioner(Partitioner):
    """As many shards as keep each at least `min_shard_bytes`, at most `max_shards`.

    >>> MinSizePartitioner(min_shard_bytes=64, max_shards=4)(ef.TensorShape([10, 3]), ef.float64)
    [4, 1]
    """

    def __init__(self, min_shard_bytes=256 << 10, max_shards=1, bytes_per_string=16):
        if min_shard_bytes < 1:
            raise ValueError(f"Argument `min_shard_bytes` must be positive. Received: {min_shard_bytes}")
        if max_shards < 1:
            raise ValueError(f"Argument `max_shards` must be positive. Received: {max_shards}")
        if bytes_per_string < 1:
            raise ValueError(f"Argument `bytes_per_string` must be positive. Received: {bytes_per_string}")
        self._min_shard_bytes, self._max_shards, self._bytes_per_string = min_shard_bytes, max_shards, bytes_per_string

    def __call__(self, shape, dtype, axis=0):
        total = math.prod(shape.as_list()) * _element_bytes(dtype, self._bytes_per_string)
        count = min(self._max_shards, shape[axis], math.ceil(total / self._min_shard_bytes))
        return _shards(shape, axis, max(1, count))


class MaxSizePartitioner(Partitioner):
    """As few shards as keep each at most `max_shard_bytes` (at least one row each), at most `max_shards`.

    >>> MaxSizePartitioner(max_shard_bytes=64)(ef.TensorShape([1000, 4]), ef.float32)
    [250, 1]
    """

    def __init__(self, max_shard_bytes, max_shards=None, bytes_per_string=16):
        if max_shard_bytes < 1:
            raise ValueError(f"Argument `max_shard_bytes` must be positive. Received {max_shard_bytes}")
        if bytes_per_string < 1:
            raise ValueError(f"Argument `bytes_per_string` must be positive. Received: {bytes_per_string}")
        self._max_shard_bytes, self._max_shards, self._bytes_per_string = max_shard_bytes, max_shards, bytes_per_string

    def __call__(self, shape, dtype, axis=0):
        dims = shape.as_list()
        row = math.prod(d for i, d in enumerate(dims) if i != axis) * _element_bytes(dtype, self._bytes_per_string)
        rows_per_shard = max(1, self._max_shard_bytes // max(row, 1))
        count = math.ceil(dims[axis] / rows_per_shard)
        if self._max_shards:  # as TF, 0 or None: no limit
            count = min(self._max_shards, count)
        return _shards(shape, axis, max(1, count))


# ----------------------------------------------------------------------------- the strategy

class ParameterServerStrategy(Strategy):
    """Asynchronous data parallelism with parameter servers, as `tf.distribute.ParameterServerStrategy`.

    Give it a `RayClusterResolver`; schedule the training function on the workers with a
    `ClusterCoordinator(strategy)`. `num_replicas_in_sync` is 1, as TF: each worker updates the
    variables on its own.
    """

    def __init__(self, cluster_resolver, variable_partitioner=None):
        from eagerflow.distribute.cluster_resolver import RayClusterResolver
        if not isinstance(cluster_resolver, RayClusterResolver):
            raise ValueError(f"ParameterServerStrategy runs on Ray: give it a "
                             f"ef.distribute.cluster_resolver.RayClusterResolver, not {cluster_resolver!r}.")
        if variable_partitioner is not None and not callable(variable_partitioner):
            raise TypeError(f"variable_partitioner must be a Partitioner (or a function of shape and dtype giving "
                            f"the shards per axis), got {variable_partitioner!r}.")
        cluster_resolver._start()
        Strategy.__init__(self, [registry.cpu0()])
        self._cluster_resolver = cluster_resolver
        self._variable_partitioner = variable_partitioner
        self._ps_devices = []
        from eagerflow.device.remote import RemoteDevice
        for name, transport in cluster_resolver._transports:
            device = registry.get_device(name)
            if device is None or not device.remote or device.transport.actor != transport.actor:
                if device is not None and device.remote:
                    registry.remove_remote_device(device)
                device = RemoteDevice(name, transport)
                registry.register_remote_device(device)
                cluster_resolver._devices.append(device)  # removed again by cluster_resolver.shutdown()
            self._ps_devices.append(device)
        self._next_ps = 0
        self._on_worker = False

    cluster_resolver = property(lambda self: self._cluster_resolver)

    @property
    def num_replicas_in_sync(self):
        return 1

    def __reduce__(self):  # a function shipped to a worker refers to the worker's view of the strategy
        return _worker_strategy, ()

    def __repr__(self):
        return f"<ef.distribute.ParameterServerStrategy on {self._cluster_resolver!r}>"

    # ------------------------------------------------------------------ variables
    def _create_variable(self, args, kwargs):
        if self._on_worker or ps_values._current_step() is not None:
            raise ValueError("Creating variables inside a function scheduled on a worker is not supported: create "
                             "them on the coordinator in strategy.scope(), and build optimizers there first "
                             "(optimizer.build(model.trainable_variables)).")
        saved = _state.variable_creator
        _state.variable_creator = None
        try:
            # an ordinary variable first: TF's conversion, checks and naming; its value then moves to the PS
            with context.device("/job:localhost/replica:0/task:0/device:CPU:0"):
                local = Variable(*args, **kwargs)
        finally:
            _state.variable_creator = saved
        explicit = self._explicit_ps()
        shards = None
        if self._variable_partitioner is not None and local.shape.rank and local.shape.is_fully_defined():
            counts = list(self._variable_partitioner(local.shape, local.dtype))
            if any(c > 1 for c in counts[1:]):
                raise ValueError(f"Partitioner {self._variable_partitioner!r} asked for shards {counts} of variable "
                                 f"{local.name!r}: only the first axis can be split, as TF.")
            if counts and counts[0] > 1:
                shards = counts[0]
        if shards is None:
            return self._place(local, local._current(), local.name, explicit)
        base = local.name[:-2]
        value = local._current()
        parts, start = [], 0
        for i, rows in enumerate(ps_values.shard_sizes(local.shape[0], shards)):
            parts.append(self._place(local, value[start:start + rows].copy(), f"{base}/part_{i}:0", None,
                                     shape=(rows,) + tuple(local.shape.as_list()[1:])))
            start += rows
        return ps_values.ShardedVariable(parts, local.name)

    def _explicit_ps(self):
        scope = context.current_device_spec()
        if not scope:
            return None
        spec = _spec.DeviceSpec.from_string(scope)
        if spec.job != "ps":
            return None
        if spec.task is None or not 0 <= spec.task < len(self._ps_devices):
            raise errors.InvalidArgumentError(
                None, "VarHandleOp", f"Cannot place a variable on {scope!r}: the cluster has {len(self._ps_devices)} "
                f"parameter server(s), /job:ps/task:0 to /job:ps/task:{len(self._ps_devices) - 1}.")
        return self._ps_devices[spec.task]

    def _place(self, local, array, name, device, shape=None):
        if device is None:
            device = self._ps_devices[self._next_ps % len(self._ps_devices)]
            self._next_ps += 1
        key = f"{self._cluster_resolver._namespace}:{next(ps_values._keys)}"
        declared = local.shape if shape is None else shape
        declared = None if getattr(declared, "rank", 0) is None else tuple(declared.as_list() if hasattr(
            declared, "as_list") else declared)
        device.transport.call("create", key, array, name, local.dtype.name, declared)
        v = ps_values.RemoteVariable._attach(device, key, local.dtype.name, declared, name, local.trainable,
                                             local.synchronization, local.aggregation, local.constraint)
        with ps_values._proxies_lock:
            ps_values._proxies[key] = v
        return v

    # ------------------------------------------------------------------ run (`scope` is Strategy's)
    def run(self, fn, args=(), kwargs=None, options=None):
        """`fn(*args, **kwargs)` as this worker's one replica (call it inside a scheduled function)."""
        return Strategy.run(self, fn, args, kwargs, options)


_worker_side = []


def _worker_strategy():
    """The strategy as a worker sees it: one replica, variables only by reference (none created here)."""
    if not _worker_side:
        s = ParameterServerStrategy.__new__(ParameterServerStrategy)
        Strategy.__init__(s, [registry.cpu0()])
        s._cluster_resolver, s._variable_partitioner, s._ps_devices = None, None, list(registry.remote_devices())
        s._next_ps, s._on_worker = 0, True
        _worker_side.append(s)
    return _worker_side[0]
