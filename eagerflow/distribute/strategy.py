"""`MirroredStrategy` and `OneDeviceStrategy`: data parallelism over the devices of one process.

Replicas run concurrently, one thread per replica device, each with a device scope on its device and a
`ReplicaContext` in its thread state; ops therefore run on the replica's device and a `MirroredVariable`
resolves to the replica's component. Replicas meet at sync points (`all_reduce`, `all_gather`,
`merge_call`): every replica hands in its value, the last to arrive computes the result (a reduction
that copies each replica's tensor to the first device through `placement.copy_to`, counted in
`copy_stats`, and the result back to each device), and all go on with it.

`optimizer.apply_gradients` in a replica merges (TF's `merge_call`): the gradients of all replicas are
summed, then each component is updated on its own device with the summed gradient, so the components
stay equal.
"""

import contextlib
import enum
import functools
import queue
import threading
import weakref

from eagerflow.backends import blas_threads
from eagerflow.device import context, registry
from eagerflow.device.spec import DeviceSpec
from eagerflow.distribute import cross_device
from eagerflow.distribute.values import Mirrored, MirroredVariable, PerReplica, PerReplicaSpec, SyncOnReadVariable
from eagerflow.framework import nest, recording
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.keras_variables import unwrap
from eagerflow.variables import VariableSynchronization, check_distributed_modes

__all__ = ["ReduceOp", "Strategy", "MirroredStrategy", "OneDeviceStrategy", "ReplicaContext", "StrategyExtended",
           "get_strategy", "has_strategy", "in_cross_replica_context", "get_replica_context",
           "get_cross_replica_context", "InputContext", "ValueContext", "DistributedDataset", "DistributedIterator"]

_state = context.thread_state()


class ReduceOp(enum.Enum):
    """How values of the replicas are combined: `SUM` or `MEAN` (TF's `tf.distribute.ReduceOp`)."""

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation):
        name = getattr(aggregation, "name", str(aggregation)).upper()
        if name in ("SUM", "MEAN"):
            return ReduceOp[name]
        raise ValueError(f"Could not convert from `tf.VariableAggregation` {aggregation} to `tf.distribute.ReduceOp`.")


def _reduce_op(op):
    if isinstance(op, ReduceOp):
        return op
    if isinstance(op, str) and op.upper() in ("SUM", "MEAN"):
        return ReduceOp[op.upper()]
    raise ValueError(f"reduce_op must be ef.distribute.ReduceOp.SUM or MEAN (or 'SUM'/'MEAN'), got {op!r}.")


# ----------------------------------------------------------------------------- thread state

class _Distribution:
    """This thread's distribution context (`context.thread_state().distribution`)."""

    __slots__ = ("strategy", "replica_id", "context", "update_replica", "creating")

    def __init__(self, strategy, replica_id=None, replica_context=None):
        self.strategy = strategy
        self.replica_id = replica_id          # the replica this thread runs, or None (cross-replica)
        self.context = replica_context
        self.update_replica = None            # inside a merged update: the component being updated
        self.creating = None                  # a replica's variable creations (_Creations), or None


@contextlib.contextmanager
def _distribution(d):
    saved = _state.distribution
    _state.distribution = d
    try:
        yield d
    finally:
        _state.distribution = saved


@contextlib.contextmanager
def _replica_update(strategy, i):
    d = _state.distribution
    saved = d.update_replica
    d.update_replica = i
    try:
        with context.device(strategy._devices[i].name):
            yield
    finally:
        d.update_replica = saved


def _variable_creator(args, kwargs):
    """Variable.__new__'s hook while a strategy is in scope: a distributed variable instead."""
    d = _state.distribution
    strategy = d.strategy
    if d.replica_id is not None and d.update_replica is None:
        return d.context._run.create_variable(d.replica_id, strategy, args, kwargs)
    return strategy._create_variable(args, kwargs)


# ----------------------------------------------------------------------------- strategies

class StrategyExtended:
    """`strategy.extended`: the devices behind a strategy."""

    def __init__(self, strategy):
        self._strategy = strategy

    @property
    def worker_devices(self):
        return tuple(d.name for d in self._strategy._devices)

    @property
    def parameter_devices(self):
        return self.worker_devices

    def replica_updates(self):
        """One context manager per replica, in replica order: inside, ops run on the replica's device and
        distributed variables resolve to (and update) the replica's component."""
        return [_replica_update(self._strategy, i) for i in range(self._strategy.num_replicas_in_sync)]

    def reduce_to(self, reduce_op, value, destinations, options=None):
        """`value` (PerReplica) reduced over the replicas, on the device(s) of `destinations`."""
        return self.batch_reduce_to(reduce_op, [(value, destinations)], options)[0]

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        """Reduce each `(value, destinations)` pair in one fused reduction (small tensors share one copy per
        device): a Mirrored value with a component on each destination device, or a tensor where one."""
        if options is not None:
            raise ValueError("ef.distribute: CommunicationOptions are not supported; leave options=None.")
        op = _reduce_op(reduce_op)
        strategy = self._strategy
        n = strategy.num_replicas_in_sync
        pairs = list(value_destination_pairs)
        per_replica = [[] for _ in range(n)]
        for value, _ in pairs:
            if not isinstance(value, PerReplica) and op is ReduceOp.SUM and n > 1:
                raise ValueError(f"A non-DistributedValues value {value!r} cannot be reduced with the given reduce "
                                 f"op {op}: pass the PerReplica values of strategy.run, or reduce with MEAN.")
            for r, part in enumerate(strategy.experimental_local_results(value) * (1 if isinstance(
                    value, PerReplica) else n)):
                per_replica[r].append(convert_to_tensor(part))
        targets = []
        for _, destinations in pairs:
            targets.append(tuple(_destination_devices(destinations)))
        devices = tuple(dict.fromkeys(d for t in targets for d in t))  # every destination device, once
        reduced = cross_device.batch_reduce(per_replica, strategy._devices[0], devices, mean=op is ReduceOp.MEAN)
        out = []
        for k, target in enumerate(targets):
            parts = [reduced[devices.index(d)][k] for d in target]
            out.append(parts[0] if len(parts) == 1 else Mirrored(parts))
        return out

    def variable_created_in_scope(self, v):
        return isinstance(v, MirroredVariable) and v._strategy is self._strategy


class Strategy:
    """The base of the strategies: `scope()`, `run()`, `reduce()` and the value helpers."""

    def __init__(self, devices):
        if not devices:
            raise ValueError("A strategy needs at least one device.")
        self._devices = tuple(devices)
        self._extended = StrategyExtended(self)
        self._threads = None  # the replicas' threads, started by the first run()
        self._lock = threading.Lock()
        # replicas whose BLAS calls share this machine's cores (they split the BLAS threads while they run)
        self._local_cpu_replicas = sum(d.device_type == "CPU" and not d.remote for d in self._devices)

    @property
    def extended(self):
        return self._extended

    @property
    def num_replicas_in_sync(self):
        return len(self._devices)

    # ------------------------------------------------------------------ scope
    @contextlib.contextmanager
    def scope(self):
        """Variables created inside are distributed (one component per replica device)."""
        d = _state.distribution
        if d is not None and d.strategy is not self and d.strategy is not None:
            raise RuntimeError(f"Mixing different tf.distribute.Strategy objects: {d.strategy!r} is already in "
                               f"scope. Leave its scope first.")
        if d is not None and d.strategy is self:
            yield self
            return
        with _distribution(_Distribution(self)):
            _state.variable_creator = _variable_creator
            try:
                yield self
            finally:
                _state.variable_creator = None

    def _create_variable(self, args, kwargs):
        check_distributed_modes(kwargs)
        sync = kwargs.get("synchronization", VariableSynchronization.AUTO)
        on_read = sync is VariableSynchronization.ON_READ
        if sync is VariableSynchronization.AUTO:  # TF: a mirrored variable shows the mode AUTO resolves to
            kwargs = {**kwargs, "synchronization": VariableSynchronization.ON_WRITE}
        cls = SyncOnReadVariable if on_read else MirroredVariable
        saved = _state.variable_creator
        _state.variable_creator = None  # the components are plain variables
        try:
            v = cls._create([d.name for d in self._devices], args, kwargs)
        finally:
            _state.variable_creator = saved
        v._strategy = self
        return v

    # ------------------------------------------------------------------ run
    def run(self, fn, args=(), kwargs=None, options=None):
        """Run `fn` once per replica, concurrently, each on its device; PerReplica results (a plain value
        where one replica)."""
        if options is not None:
            raise ValueError("ef.distribute: RunOptions are not supported; call strategy.run(fn, args, kwargs).")
        kwargs = kwargs or {}
        d = _state.distribution
        if d is not None and d.replica_id is not None:
            raise RuntimeError("strategy.run() was called inside a replica (strategy.run or merge_call's "
                               "replica function): call it from cross-replica code only.")
        n = len(self._devices)
        run = _Run(self, n)
        if n == 1:
            return run.replica(0, fn, args, kwargs)
        with self._lock:
            if self._threads is None:
                self._threads = _ReplicaThreads(n)
                weakref.finalize(self, self._threads.stop)
        with blas_threads.shared_by(self._local_cpu_replicas):
            results, errors = self._threads.run(run, fn, args, kwargs)
        if any(e is not None for e in errors):
            raise run.first_error or next(e for e in errors if e is not None)
        return _regroup(results)

    # ------------------------------------------------------------------ values
    def experimental_local_results(self, value):
        """The per-replica components of `value` (a tuple), or `(value,)` for a plain value."""
        if isinstance(value, PerReplica):
            return value.values
        if isinstance(value, MirroredVariable):
            return value.values
        flat = nest.flatten(value)
        if any(isinstance(x, PerReplica) for x in flat):
            return tuple(nest.pack_sequence_as(value, [x.values[i] if isinstance(x, PerReplica) else x for x in flat])
                         for i in range(self.num_replicas_in_sync))
        return (value,)

    def reduce(self, reduce_op, value, axis=None):
        """Combine `value` across replicas (and along `axis` within each): a tensor on the first device."""
        op = _reduce_op(reduce_op)
        from eagerflow.ops import math_ops
        parts = [convert_to_tensor(v) for v in self.experimental_local_results(value)]
        if axis is not None:
            counts = [p.shape[axis] for p in parts]
            parts = [math_ops.reduce_sum(p, axis=axis) for p in parts]
        total = _sum_on(parts, self._devices[0].name)
        if op is ReduceOp.MEAN:
            n = sum(counts) if axis is not None else len(parts)
            with context.device(self._devices[0].name):
                total = total / math_ops.cast(n, total.dtype) if total.dtype.is_floating else total // n
        return total

    def gather(self, value, axis):
        """The replicas' values concatenated along `axis`, on the first device."""
        from eagerflow.ops import array_ops
        parts = [convert_to_tensor(v) for v in self.experimental_local_results(value)]
        with context.device(self._devices[0].name):
            return array_ops.concat(parts, axis=axis)

    def experimental_distribute_values_from_function(self, value_fn):
        """PerReplica values from `value_fn(ValueContext)`, one call per replica on its device."""
        values = []
        for i, device in enumerate(self._devices):
            with context.device(device.name):
                values.append(value_fn(ValueContext(i, self.num_replicas_in_sync)))
        return _regroup(values)

    def experimental_distribute_dataset(self, dataset, options=None):
        """Iterate `dataset`'s global batches split into one part per replica, each on its device."""
        return DistributedDataset(self, lambda: dataset, split=True)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """One dataset per replica from `dataset_fn(InputContext)`; each batch is a replica's own."""
        return DistributedDataset(self, dataset_fn, split=False)

    def __repr__(self):
        return f"<ef.distribute.{type(self).__name__} object at 0x{id(self):x}>"


class MirroredStrategy(Strategy):
    """Synchronous data parallelism on the devices of this process, as `tf.distribute.MirroredStrategy`.

    `devices` default to every GPU, else the CPU; logical CPUs
    (`ef.config.set_logical_device_configuration`) give several replicas on a CPU-only machine.

    >>> strategy = ef.distribute.MirroredStrategy(["CPU:0"])
    >>> out = strategy.run(lambda x: x * 2.0, args=(ef.constant([1.0, 2.0]),))
    >>> strategy.num_replicas_in_sync, strategy.reduce("SUM", out, axis=0).numpy()
    (1, np.float32(6.0))
    """

    def __init__(self, devices=None, cross_device_ops=None):
        if cross_device_ops is not None:
            raise ValueError("ef.distribute.MirroredStrategy reduces through device copies of its own; "
                             "cross_device_ops is not supported. Leave it None.")
        if devices is None:
            gpus = registry.list_logical_devices("GPU")
            names = [d.name for d in gpus] or [registry.list_logical_devices("CPU")[0].name]
        else:
            names = list(devices)
        resolved = [_device_named(name) for name in names]
        if len({d.name for d in resolved}) != len(resolved):
            raise ValueError(f"MirroredStrategy got the same device twice: {names}.")
        super().__init__(resolved)


class OneDeviceStrategy(Strategy):
    """Everything on one device, as `tf.distribute.OneDeviceStrategy(device)`.

    >>> ef.distribute.OneDeviceStrategy("CPU:0").extended.worker_devices
    ('/job:localhost/replica:0/task:0/device:CPU:0',)
    """

    def __init__(self, device):
        super().__init__([_device_named(device)])


def _destination_devices(destinations):
    """The Devices a reduction's `destinations` name: a distributed variable's component devices, a
    variable's or tensor's device, or a device name."""
    destinations = unwrap(destinations)  # a Keras variable: the variable it wraps
    if isinstance(destinations, MirroredVariable):
        return [c._device for c in destinations.values]
    if isinstance(destinations, str):
        return [_device_named(destinations)]
    device = getattr(destinations, "_device", None)
    if device is None:
        raise ValueError(f"Cannot reduce to {destinations!r}: give a variable, a tensor or a device name.")
    return [device]


def _device_named(name):
    """The local Device `name` names ('CPU:1', '/gpu:0', a full name), or ValueError."""
    spec = DeviceSpec.from_string(name if isinstance(name, str) else name.name)
    found = None
    if spec.job in (None, "localhost") and spec.task in (None, 0) and spec.device_type is not None:
        found = registry.get_device(f"{registry.LOCAL_PREFIX}/device:{spec.device_type}:{spec.device_index or 0}")
    if found is None:
        have = [d.name for d in registry.list_logical_devices()]
        raise ValueError(f"Device {name!r} of a strategy does not exist in this process; the devices are {have}. "
                         f"Split the CPU into logical devices with ef.config.set_logical_device_configuration.")
    return found


# ----------------------------------------------------------------------------- replicas

class ValueContext:
    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self.replica_id_in_sync_group = replica_id_in_sync_group
        self.num_replicas_in_sync = num_replicas_in_sync


class InputContext:
    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The `global_batch_size` {global_batch_size} is not divisible by "
                             f"`num_replicas_in_sync` {self.num_replicas_in_sync}")
        return global_batch_size // self.num_replicas_in_sync


class _ReplicaThreads:
    """The threads of replicas 1..n-1, long-lived; `run` runs replica 0 in the calling thread.

    Starting threads per call would cost more than a small step, and each hand-off between threads costs a
    wake-up, so the caller does replica 0's share itself (with the state a new thread has, as the others)
    and the threads end when their strategy is collected. A hand-off is one queue put per other replica and
    one lock the last replica to finish releases."""

    def __init__(self, n):
        self._inboxes = [queue.SimpleQueue() for _ in range(n - 1)]
        for i, inbox in enumerate(self._inboxes, start=1):
            threading.Thread(target=_serve, args=(inbox,), name=f"ef-replica_{i}", daemon=True).start()

    def run(self, run, fn, args, kwargs):
        n = len(self._inboxes) + 1
        results, errors = [None] * n, [None] * n
        finished = threading.Lock()
        finished.acquire()
        left = [n]
        count = threading.Lock()

        def replica(i):
            try:
                results[i] = run.replica(i, fn, args, kwargs)
            except BaseException as e:  # noqa: BLE001 - handed to the caller, raised once all replicas are done
                errors[i] = e
            with count:
                left[0] -= 1
                last = left[0] == 0
            if last:
                finished.release()

        for i, inbox in enumerate(self._inboxes, start=1):
            inbox.put(functools.partial(replica, i))
        with _as_new_thread():
            replica(0)
        finished.acquire()
        return results, errors

    def stop(self):
        for inbox in self._inboxes:
            inbox.put(None)


@contextlib.contextmanager
def _as_new_thread():
    """This thread's eagerflow state as a new thread has it, restored after: replica 0 runs in the caller's
    thread and sees what the other replicas' threads see (none of the caller's tapes, device and name
    scopes, or traces)."""
    states = (_state, recording.thread_state())
    saved = [dict(vars(s)) for s in states]
    for s in states:
        vars(s).clear()
        type(s).__init__(s)
    try:
        yield
    finally:
        for s, d in zip(states, saved):
            vars(s).clear()
            vars(s).update(d)


def _serve(inbox):
    while True:
        job = inbox.get()
        if job is None:
            return
        job()


class _Run:
    """One `strategy.run`: its replicas' sync points and variable creations.

    At a sync point each replica hands in its value; all but the last then wait on their own gate (a held
    lock); the last computes the result and opens the others' gates. A replica that fails opens every gate
    with its error, so no replica waits for one that will never come."""

    def __init__(self, strategy, n):
        self.strategy = strategy
        self.n = n
        self._mutex = threading.Lock()
        self._arrived = {}
        self._gates = [threading.Lock() for _ in range(n)]
        for gate in self._gates:
            gate.acquire()
        self._outcome = [None] * n  # (ok, result) handed to a waiting replica with its gate
        self._error = None        # the first exception a replica raised
        self._created = []        # variables made by the replicas, in creation order
        self._counts = [0] * n

    def replica(self, i, fn, args, kwargs):
        ctx = ReplicaContext(self.strategy, i, self)
        device = self.strategy._devices[i].name
        local_args = _select(args, i)
        local_kwargs = _select(kwargs, i)
        with _distribution(_Distribution(self.strategy, i, ctx)), context.device(device):
            saved = _state.variable_creator
            _state.variable_creator = _variable_creator
            try:
                return fn(*local_args, **local_kwargs)
            except BaseException as e:  # noqa: BLE001 - release the replicas waiting at a sync point, then raise
                self.abort(e)
                raise
            finally:
                _state.variable_creator = saved

    @property
    def first_error(self):
        return self._error

    def abort(self, error):
        with self._mutex:
            if self._error is None:
                self._error = error
            waiting = list(self._arrived)
            self._arrived = {}
            failed = RuntimeError("Another replica failed before this sync point.")
            failed.__cause__ = self._error
            for k in waiting:
                self._outcome[k] = (False, failed)
        for k in waiting:
            self._gates[k].release()

    def sync(self, i, value, merge):
        """Hand in replica `i`'s value; the last replica runs `merge(values)`; everyone gets its result."""
        if self.n == 1:
            return merge([value])
        with self._mutex:
            if self._error is not None:
                raise RuntimeError("Another replica failed before this sync point.") from self._error
            self._arrived[i] = value
            last = len(self._arrived) == self.n
            if last:
                values = [self._arrived[k] for k in range(self.n)]
                self._arrived = {}
        if not last:
            self._gates[i].acquire()
            ok, result = self._outcome[i]
            self._outcome[i] = None
            if not ok:
                raise result
            return result
        try:
            outcome = (True, merge(values))
        except BaseException as e:  # noqa: BLE001 - every replica raises it
            outcome = (False, e)
        for k in range(self.n):
            if k != i:
                self._outcome[k] = outcome
                self._gates[k].release()
        if not outcome[0]:
            raise outcome[1]
        return outcome[1]

    def create_variable(self, i, strategy, args, kwargs):
        """The k-th variable replica `i` creates: made once (by whichever replica gets there first)."""
        k = self._counts[i]
        self._counts[i] += 1
        with self._mutex:
            if k == len(self._created):
                with _distribution(_Distribution(strategy)):
                    self._created.append(strategy._create_variable(args, kwargs))
            return self._created[k]


class ReplicaContext:
    """What a replica knows inside `strategy.run` (TF's `tf.distribute.ReplicaContext`)."""

    def __init__(self, strategy, replica_id, run):
        self._strategy = strategy
        self._replica_id = replica_id
        self._run = run

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        from eagerflow.ops.array_ops import constant
        return constant(self._replica_id)

    @property
    def devices(self):
        return (self._strategy._devices[self._replica_id].name,)

    def all_reduce(self, reduce_op, value, options=None):
        """`value` (a nest of tensors) summed or averaged over the replicas; each replica gets it on its device."""
        op = _reduce_op(reduce_op)
        flat = [convert_to_tensor(v) for v in nest.flatten(value)]
        devices = self._strategy._devices

        def merge(per_replica):  # the sums on the first device, copied back to every replica's (fused)
            return cross_device.batch_reduce(per_replica, devices[0], devices, mean=op is ReduceOp.MEAN)

        local = self._run.sync(self._replica_id, flat, merge)[self._replica_id]
        return nest.pack_sequence_as(value, local)

    def all_gather(self, value, axis, options=None):
        """The replicas' values concatenated along `axis`, on each replica's device."""
        from eagerflow.ops import array_ops
        flat = [convert_to_tensor(v) for v in nest.flatten(value)]
        devices = self._strategy._devices

        def merge(per_replica):
            with context.device(devices[0].name):
                return [array_ops.concat([p[j] for p in per_replica], axis=axis) for j in range(len(flat))]

        gathered = self._run.sync(self._replica_id, flat, merge)
        return nest.pack_sequence_as(value, [_on(t, devices[self._replica_id].name) for t in gathered])

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Run `merge_fn(strategy, *args, **kwargs)` once, in cross-replica context, with each argument a
        PerReplica of the replicas' values; every replica gets its result."""
        kwargs = kwargs or {}

        def merge(per_replica):
            merged_args = _regroup([a for a, _ in per_replica])
            merged_kwargs = _regroup([k for _, k in per_replica])
            with _distribution(_Distribution(self._strategy)):
                saved = _state.variable_creator
                _state.variable_creator = _variable_creator
                try:
                    return merge_fn(self._strategy, *merged_args, **merged_kwargs)
                finally:
                    _state.variable_creator = saved

        return self._run.sync(self._replica_id, (tuple(args), dict(kwargs)), merge)

    def all_reduce_for_variable(self, aggregation, value):
        """An update of a distributed variable with aggregation SUM / MEAN / ONLY_FIRST_REPLICA in a replica."""
        name = getattr(aggregation, "name", str(aggregation)).upper()
        if name == "ONLY_FIRST_REPLICA":
            flat = convert_to_tensor(value)
            first = self._run.sync(self._replica_id, flat, lambda values: values[0])
            return _on(first, self._strategy._devices[self._replica_id].name)
        return self.all_reduce(ReduceOp[name], value)


def _sum_on(tensors, device):
    """The sum of `tensors` (each on its replica's device) computed on `device`; the inputs are copied there."""
    from eagerflow.ops import math_ops
    with context.device(device):
        parts = [_on(t, device) for t in tensors]
        return math_ops.add_n(parts) if len(parts) > 1 else parts[0]


def _on(t, device):
    """Tensor `t` on `device` (a counted copy where it lives elsewhere)."""
    from eagerflow.ops.array_ops import identity
    if t._device.name == device:
        return t
    with context.device(device):
        return identity(t)


def _select(value, i):
    """Replica `i`'s part of an argument nest (PerReplica/Mirrored components; other values as they are)."""
    if type(value) in (tuple, list) and not any(type(x) in (tuple, list, dict) for x in value):
        return type(value)(x.values[i] if isinstance(x, PerReplica) else x for x in value)  # flat: most calls
    return nest.map_structure(lambda x: x.values[i] if isinstance(x, PerReplica) else x, value)


def _regroup(per_replica):
    """One nest of PerReplica values from one nest per replica: a leaf that is the same object in every
    replica (a variable, None) or an equal Python value stays as it is; others become PerReplica."""
    first = per_replica[0]
    if not nest.is_nested(first):
        return _regroup_leaf(per_replica)
    out = [_regroup_leaf(leaves) for leaves in zip(*[nest.flatten(r) for r in per_replica])]
    return nest.pack_sequence_as(first, out)


def _regroup_leaf(leaves):
    first = leaves[0]
    if all(leaf is first for leaf in leaves):
        return first
    if isinstance(first, Tensor) or any(isinstance(leaf, Tensor) or is_tensor_like(leaf) for leaf in leaves):
        return PerReplica(leaves)
    return first if all(leaf == first for leaf in leaves) else PerReplica(leaves)


class DistributedDataset:
    """What `experimental_distribute_dataset` and `distribute_datasets_from_function` return: iterating
    gives PerReplica batches, each part on its replica's device.

    Split (`experimental_distribute_dataset`): each global batch is split across the replicas. From a
    function: as TF on one machine, `dataset_fn` is called once (one input pipeline) and the replicas take
    consecutive batches of it; at the end, replicas left without one get an empty batch."""

    def __init__(self, strategy, make, split):
        self._strategy = strategy
        self._split = split
        n = strategy.num_replicas_in_sync
        self._dataset = make() if split else make(InputContext(1, 0, n))

    def __iter__(self):
        return DistributedIterator(self)

    def _batches(self):
        n = self._strategy.num_replicas_in_sync
        devices = [d.name for d in self._strategy._devices]
        if self._split:
            for batch in self._dataset:
                parts = [_split_batch(batch, n, i) for i in range(n)]
                yield _regroup([nest.map_structure(lambda t, d=devices[i]: _on(convert_to_tensor(t), d), p)
                                for i, p in enumerate(parts)])
            return
        it = iter(self._dataset)
        while True:
            parts = []
            for _ in range(n):
                try:
                    parts.append(next(it))
                except StopIteration:
                    break
            if not parts:
                return
            exhausted = len(parts) < n
            while len(parts) < n:
                parts.append(nest.map_structure(lambda t: convert_to_tensor(t)[:0], parts[0]))
            yield _regroup([nest.map_structure(lambda t, d=devices[i]: _on(convert_to_tensor(t), d), p)
                            for i, p in enumerate(parts)])
            if exhausted:
                return

    @property
    def element_spec(self):
        """The spec of one element: PerReplicaSpec leaves (one TensorSpec per replica) where several
        replicas; a split batch dimension is the global one divided by the replicas where it divides
        evenly, else None (TF's rebatching)."""
        spec = getattr(self._dataset, "element_spec", None)
        if spec is None:
            raise TypeError(f"element_spec needs an ef.data.Dataset; this distributed dataset iterates "
                            f"{type(self._dataset).__name__}. Distribute an ef.data.Dataset.")
        n = self._strategy.num_replicas_in_sync
        if n == 1:
            return spec
        return nest.map_structure(lambda s: PerReplicaSpec(*([_replica_spec(s, n) if self._split else s] * n)),
                                  spec)


class DistributedIterator:
    """An iterator over a distributed dataset (TF's `DistributedIterator`): `next()`, `get_next()`,
    `element_spec`."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._batches = dataset._batches()

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._batches)

    def get_next(self):
        """The next PerReplica batch; OutOfRangeError at the end, as TF."""
        try:
            return next(self._batches)
        except StopIteration:
            from eagerflow import errors
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

    @property
    def element_spec(self):
        return self._dataset.element_spec


def _replica_spec(spec, n):
    """A replica's part of a global batch's spec: the first dimension divided by `n`, or None."""
    dims = spec.shape.as_list() if spec.shape.rank is not None else None
    if not dims:
        return spec
    first = dims[0] // n if dims[0] is not None and dims[0] % n == 0 else None
    return TensorSpec([first] + dims[1:], spec.dtype, spec.name)


def _split_batch(batch, n, i):
    """Replica `i`'s rows of a global batch, as TF splits it (the first replicas take one more when uneven)."""
    def part(t):
        t = convert_to_tensor(t)
        rows = t.shape[0]
        base, extra = divmod(rows, n)
        start = i * base + min(i, extra)
        return t[start:start + base + (1 if i < extra else 0)]
    return nest.map_structure(part, batch)


# ----------------------------------------------------------------------------- module functions

class _DefaultStrategy(Strategy):
    """The strategy in effect outside any scope: one replica, ops where they would run anyway."""

    def __init__(self):  # no devices resolved here: importing must not initialize the devices
        self._devices = ()
        self._extended = StrategyExtended(self)
        self._threads = None
        self._lock = threading.Lock()

    @property
    def num_replicas_in_sync(self):
        return 1

    def run(self, fn, args=(), kwargs=None, options=None):
        return fn(*args, **(kwargs or {}))

    def scope(self):
        return contextlib.nullcontext(self)

    def reduce(self, reduce_op, value, axis=None):
        from eagerflow.ops import math_ops
        _reduce_op(reduce_op)
        if axis is None:
            return convert_to_tensor(value)
        op = _reduce_op(reduce_op)
        t = convert_to_tensor(value)
        return math_ops.reduce_sum(t, axis=axis) if op is ReduceOp.SUM else math_ops.reduce_mean(t, axis=axis)


_DEFAULT = _DefaultStrategy()


class _DefaultReplicaContext(ReplicaContext):
    def __init__(self):
        ReplicaContext.__init__(self, _DEFAULT, 0, _Run(_DEFAULT, 1))


def get_strategy():
    """The strategy of the innermost `scope()` (or of the replica this thread runs); the default otherwise."""
    d = _state.distribution
    return d.strategy if d is not None and d.strategy is not None else _DEFAULT


def has_strategy():
    """Whether a strategy's scope (or replica) is active in this thread."""
    d = _state.distribution
    return d is not None and d.strategy is not None


def in_cross_replica_context():
    """True inside a strategy's scope outside its replicas (and in merge_call), False otherwise."""
    d = _state.distribution
    return d is not None and d.strategy is not None and d.replica_id is None


def get_replica_context():
    """The ReplicaContext of this replica; None in cross-replica context; the default one with no strategy."""
    d = _state.distribution
    if d is None or d.strategy is None:
        return _DefaultReplicaContext()
    return d.context if d.replica_id is not None else None


def get_cross_replica_context():
    """The strategy in cross-replica context, None inside a replica; the default strategy with none."""
    d = _state.distribution
    if d is None or d.strategy is None:
        return _DEFAULT
    return d.strategy if d.replica_id is None else None
