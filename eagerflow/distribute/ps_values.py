"""Variables of `ParameterServerStrategy`: `RemoteVariable` (its buffer lives on a parameter-server task) and
`ShardedVariable` (a variable split along its first axis over several of them).

A `RemoteVariable` is an `ef.Variable` whose storage is a handle (a key on a `RemoteDevice`) instead of a
local buffer; its API is the Variable's. Outside a scheduled function (on the coordinator) every read is
one call to the parameter server, and every update is one call that runs there, atomically (the server
applies updates one at a time, through its own `ef.Variable`).

Inside a function a `ClusterCoordinator` runs on a worker (a *step*, `worker_step()`), the values of the
variables the function's pickle refers to are pulled before it runs (by the worker, one call per
parameter server), reads see those values and the step's own updates (each remote variable has a scratch
copy, a local `ef.Variable`, for the step), and the updates are recorded, to be replayed on the parameter
servers in order when the function has returned (the worker sends them: see ray_tasks.Worker.run). Deltas
(`assign_add`, `assign_sub`, the adding scatters) add to whatever the server holds then, so concurrent
workers lose no update. `count_up_to`, whose result is the server's count, runs there when called instead
(`_Step.on_server`).
"""

import contextlib
import functools
import itertools
import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context, placement, registry
from eagerflow.framework.execute import announce, convert_to_tensor, register_readable, wrap
from eagerflow.framework.tensor import Tensor
from eagerflow.tensor_shape import TensorShape
from eagerflow.variables import Variable, _UnreadVariable, _uids

__all__ = ["RemoteVariable", "ShardedVariable", "worker_step"]

_switches = context.switches
_steps = threading.local()
_collecting = threading.local()  # see collecting_handles()
_proxies = {}  # key -> RemoteVariable: one object per remote variable in this process (identity across calls)
_proxies_lock = threading.Lock()


class _Step:
    """One scheduled function's view of the remote variables: scratch copies and the updates to push."""

    def __init__(self):
        self.local = {}     # key -> scratch ef.Variable holding the value read (plus the step's updates)
        self.pending = {}   # parameter-server device name -> [(key, method, args)], in order

    def receive(self, keys, arrays):
        """The values pulled for the step (the variables its function refers to)."""
        for key, array in zip(keys, arrays):
            self._keep(_proxies[key], array)

    def _keep(self, var, array):
        saved = context.thread_state().variable_creator
        context.thread_state().variable_creator = None
        try:
            local = Variable(array, dtype=var._dtype, trainable=False, name=exact_name(var._name),
                             shape=None if var._shape.is_fully_defined() else var._shape)
        finally:
            context.thread_state().variable_creator = saved
        self.local[var._key] = local
        return local

    def on_server(self, var, method, args, kwargs):
        """Update `method` run on the server now, where its result is the server's (count_up_to: each call
        counts once there and returns the count it found, as TF's op on the parameter server), after this
        step's earlier updates (sent now, as TF has run them by then: to that server in the same call, to the
        others at the same time); then on the scratch copy from the value the server had, so the step reads
        what the server holds."""
        earlier, self.pending = self.pending, {}
        here = var._device
        others = [(registry.get_device(name).transport, updates) for name, updates in earlier.items()
                  if name != here.name]
        others = [(t, t.submit("apply", updates)) for t, updates in others]
        call = here.transport.submit("update", var._key, method, _shipped(args), kwargs, earlier.get(here.name))
        refused = [t.wait(pending) for t, pending in others]
        kind, found = here.transport.wait(call)
        for error in refused + [found if kind == "error" else None]:
            if error is not None:
                raise error
        local = self.scratch(var)
        local.assign(found, read_value=False)
        return getattr(local, method)(*args, **kwargs)  # the server's result, the scratch copy counted

    def scratch(self, var):
        local = self.local.get(var._key)
        if local is None:  # a variable reached outside the function's pickle (through a global): pulled here
            local = self._keep(var, var._device.pull([var._key])[0])
        return local


class worker_step:
    """`with worker_step() as step:` the scope of one scheduled function on a worker (see the module doc)."""

    def __enter__(self):
        if getattr(_steps, "step", None) is not None:
            raise RuntimeError("worker_step() is already active in this thread.")
        self.step = _steps.step = _Step()
        return self.step

    def __exit__(self, *exc):
        _steps.step = None
        return False


def exact_name(name):
    """The `name=` that gives a Variable made anywhere the name `name` ('a:0', whatever the name scope)."""
    return name.rsplit(":", 1)[0] + "/"


def _current_step():
    return getattr(_steps, "step", None)


def _rebuild(device_name, key, meta):
    """A RemoteVariable unpickled in this process: the one object for `key` here."""
    with _proxies_lock:
        var = _proxies.get(key)
        if var is None:
            device = registry.get_device(device_name)
            if device is None or not device.remote:
                raise errors.UnavailableError(
                    None, None, f"Variable {meta[2]!r} lives on {device_name}, which this process cannot reach (it is "
                    f"not a task of the cluster this process belongs to). Use it on the coordinator or its workers.")
            var = _proxies[key] = RemoteVariable._attach(device, key, *meta)
    return var


@contextlib.contextmanager
def collecting_handles():
    """While a scheduled function is pickled: the remote variables it refers to, {device name: {key: None}}
    (the coordinator pulls their values for the worker)."""
    found = _collecting.found = {}
    try:
        yield found
    finally:
        _collecting.found = None


class RemoteVariable(Variable):
    """An `ef.Variable` whose buffer lives on a parameter-server task (`v.device` names it).

    Created by `ParameterServerStrategy.scope()`; reads and updates as an `ef.Variable`'s, each one call to
    its parameter server (or, inside a scheduled function, batched per step: see the module doc).
    """

    __slots__ = ("_key",)

    def __new__(cls, *args, **kwargs):
        raise TypeError("A RemoteVariable is made by ParameterServerStrategy: create it with ef.Variable(...) "
                        "inside strategy.scope().")

    def __init__(self, *args, **kwargs):
        pass  # ef.Variable(...) in a strategy's scope returns one already attached; Python then calls this

    @classmethod
    def _attach(cls, device, key, dtype_name, shape, name, trainable, synchronization, aggregation, constraint):
        v = object.__new__(cls)
        v._device, v._key = device, key
        v._dtype = _dtypes.as_dtype(dtype_name)
        v._numeric = v._dtype.is_numeric
        v._shape = TensorShape(shape)
        v._plain = v._numeric and v._shape.is_fully_defined()
        v._name, v._trainable, v._constraint = name, trainable, constraint
        v._synchronization, v._aggregation = synchronization, aggregation
        v._lock = threading.Lock()
        v._writing = False
        v._nbytes = 0  # no buffer in this process
        v._uid = next(_uids)
        v._unread = _RemoteUnread._of(v)
        return v

    def _meta(self):
        shape = None if self._shape.rank is None else tuple(self._shape.as_list())
        return (self._dtype.name, shape, self._name, self._trainable, self._synchronization, self._aggregation,
                self._constraint)

    def __reduce__(self):
        # a handle, not the value: unpickled on a worker it reaches the same parameter-server buffer
        found = getattr(_collecting, "found", None)
        if found is not None:
            found.setdefault(self._device.name, {})[self._key] = None
        return _rebuild, (self._device.name, self._key, self._meta())

    def __deepcopy__(self, memo):
        raise TypeError(f"Variable {self._name!r} lives on {self._device.name}: a copy would be a second remote "
                        f"variable. Create one in strategy.scope() with ef.Variable(v.read_value()).")

    # ------------------------------------------------------------------ reads
    @property
    def _buf(self):
        step = _current_step()
        if step is not None:
            return step.scratch(self)._current()
        return placement.copy_to(self._key, self._device, registry.cpu0())

    def _ef_read(self):
        t = wrap(self._buf, registry.cpu0(), self._dtype)
        if _switches.active:
            announce("ReadVariableOp", self._device, placement.INPUT, (self,), (t,))
        return t

    # ------------------------------------------------------------------ updates
    def _remote_update(self, method, op, args, kwargs):
        """Run update `method` as an ef.Variable of this name does, where the value is: inside a scheduled
        function on the step's scratch copy (its checks, and what the step reads from now on; the update is
        then sent with the step's), else on the parameter server, atomically. Its errors are so a local
        Variable's, and an update refused changes nothing."""
        step = _current_step()
        if step is not None and method in _ON_SERVER:
            result = step.on_server(self, method, args, kwargs)
        elif step is not None:
            result = getattr(step.scratch(self), method)(*args, **kwargs)
            step.pending.setdefault(self._device.name, []).append((self._key, method, _shipped(args), kwargs))
        else:
            kind, result = self._device.transport.call("update", self._key, method, _shipped(args), kwargs)
            if kind == "error":
                raise result
            if kind == "variable":
                result = self._unread
        if _switches.active:
            announce(op, self._device, placement.INPUT, (self,), ())
        if isinstance(result, (Variable, _UnreadVariable)):
            return self._unread
        return wrap(result, registry.cpu0(), self._dtype) if isinstance(result, np.ndarray) else result

    def set_shape(self, shape):
        raise ValueError(f"Variable {self._name!r} lives on {self._device.name}: its shape is fixed.")


# every update of an ef.Variable, and the op it logs: a RemoteVariable forwards each (see _remote_update)
_UPDATES = {"assign": "AssignVariableOp", "assign_add": "AssignAddVariableOp", "assign_sub": "AssignSubVariableOp",
            "scatter_nd_update": "ResourceScatterNdUpdate", "scatter_nd_add": "ResourceScatterNdAdd",
            "scatter_nd_sub": "ResourceScatterNdSub", "scatter_nd_max": "ResourceScatterNdMax",
            "scatter_nd_min": "ResourceScatterNdMin", "scatter_update": "ResourceScatterUpdate",
            "scatter_add": "ResourceScatterAdd", "scatter_sub": "ResourceScatterSub",
            "scatter_mul": "ResourceScatterMul", "scatter_div": "ResourceScatterDiv",
            "scatter_max": "ResourceScatterMax", "scatter_min": "ResourceScatterMin",
            "batch_scatter_update": "ResourceScatterNdUpdate", "count_up_to": "ResourceCountUpTo",
            "_assign_slice": "ResourceStridedSliceAssign"}


# updates whose result depends on the server's value at the time (a step's scratch copy may be behind it): run
# there when called, not sent with the step's others
_ON_SERVER = frozenset({"count_up_to"})


def _forwarding(method, op):
    @functools.wraps(getattr(Variable, method))
    def update(self, *args, **kwargs):
        return self._remote_update(method, op, args, kwargs)
    return update


for _method, _op in _UPDATES.items():
    setattr(RemoteVariable, _method, _forwarding(_method, _op))

register_readable(RemoteVariable)


def _tensor_from_host(array, dtype_name):
    return convert_to_tensor(array, dtype=_dtypes.as_dtype(dtype_name))


def _slices_from_host(values, indices, dense_shape):
    from eagerflow.framework.indexed_slices import IndexedSlices
    return IndexedSlices(values, indices, dense_shape)


class _ShippedTensor:
    """A tensor on its way to a parameter server: a host array that unpickles as a tensor of its dtype (so
    the server's Variable checks it as the caller's would)."""

    __slots__ = ("array", "dtype_name")

    def __init__(self, array, dtype_name):
        self.array, self.dtype_name = array, dtype_name

    def __reduce__(self):
        return _tensor_from_host, (self.array, self.dtype_name)


class _ShippedSlices:
    __slots__ = ("parts",)

    def __init__(self, parts):
        self.parts = parts

    def __reduce__(self):
        return _slices_from_host, self.parts


def _shipped(value):
    """An update's arguments as they travel: tensors (and variables, read now) as host arrays with their
    dtype, IndexedSlices as their parts; Python values and NumPy arrays as they are."""
    from eagerflow.framework.indexed_slices import IndexedSlices
    if isinstance(value, (list, tuple)):
        return type(value)(_shipped(v) for v in value) if type(value) in (list, tuple) else value
    if isinstance(value, (Variable, _UnreadVariable)):
        value = value._ef_read()
    if isinstance(value, Tensor):
        return _ShippedTensor(value._device.backend.to_host(value._value), value._dtype.name)
    if isinstance(value, IndexedSlices):
        return _ShippedSlices(tuple(_shipped(p) for p in (value.values, value.indices, value.dense_shape)))
    return value


class _RemoteUnread(_UnreadVariable):
    """What a RemoteVariable's updates return: reads it (here, on this process's CPU) whenever it is used."""

    __slots__ = ()

    def _ef_read(self):
        variable = self._variable()
        t = wrap(variable._buf, registry.cpu0(), self._dtype)
        if _switches.active:
            announce("ReadVariableOp", self._device, placement.INPUT, (variable,), (t,), {"unread": True})
        return t


register_readable(_RemoteUnread)


def pull(variables):
    """The current values of remote `variables` as host arrays: one call per parameter server, at once."""
    by_device = {}
    for v in variables:
        by_device.setdefault(v._device, []).append(v)
    calls = [(vs, d.transport.submit("pull", [v._key for v in vs])) for d, vs in by_device.items()]
    values = {}
    for vs, call in calls:
        for v, array in zip(vs, vs[0]._device.transport.wait(call)):
            values[v._key] = array
    return [values[v._key] for v in variables]


# ----------------------------------------------------------------------------- sharded variables

class ShardedVariable:
    """A variable split along its first axis into `variables` (each a RemoteVariable, on the parameter servers
    in turn), as TF's: made by `ParameterServerStrategy` when its `variable_partitioner` asks for more than one
    shard. Reads concatenate the shards; `assign*` split the value the same way.
    """

    def __init__(self, variables, name="ShardedVariable"):
        if not isinstance(variables, (list, tuple)) or not variables or not all(
                isinstance(v, Variable) for v in variables):
            raise TypeError(f"Argument `variables` should be a non-empty list of `variables.Variable`s. Received "
                            f"{variables}")
        if len({v.dtype for v in variables}) > 1:
            raise ValueError(f"All elements in argument `variables` must have the same dtype. Received dtypes: "
                             f"{[v.dtype for v in variables]}")
        if any(v.shape.rank is None or v.shape.rank == 0 for v in variables) or len(
                {tuple(v.shape.as_list()[1:]) for v in variables}) > 1:
            raise ValueError(f"All elements in argument `variables` must have the same shapes except for the first "
                             f"axis. Received shapes: [{', '.join(repr(v.shape) for v in variables)}]")
        self._variables = list(variables)
        self._name = name
        first = self._variables[0]
        rows = sum(v.shape[0] for v in self._variables)
        self._shape = TensorShape([rows] + first.shape.as_list()[1:])
        self._dtype = first.dtype

    variables = property(lambda self: list(self._variables), doc="The shards, in order.")
    name = property(lambda self: self._name)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    trainable = property(lambda self: self._variables[0].trainable)

    def get_shape(self):
        return self._shape

    def _composite_variables(self):
        """What `Module.variables` lists in its place: the shards, as TF's expand_composites."""
        return list(self._variables)

    # a checkpoint holds it as one variable of the full shape, as TF: it restores into any number of shards,
    # or into an unsharded variable (and a variable's value into it)
    def _serialize_to_tensors(self):
        remote = all(isinstance(v, RemoteVariable) for v in self._variables)
        parts = pull(self._variables) if remote else [v.numpy() for v in self._variables]
        return {"VARIABLE_VALUE": np.concatenate(parts, axis=0)}

    def _restore_from_tensors(self, restored_tensors):
        value = restored_tensors["VARIABLE_VALUE"]
        dtype = _dtypes.as_dtype(value.dtype)
        if dtype is not self._dtype:
            raise errors.InvalidArgumentError(
                None, "RestoreV2", f"Cannot restore ShardedVariable {self._name!r}: the checkpoint holds "
                f"{dtype.name}, the variable is {self._dtype.name}. No shard was changed. Create it with "
                f"dtype=ef.{dtype.name}.")
        if tuple(value.shape) != tuple(self._shape.as_list()):
            raise ValueError(f"Cannot restore ShardedVariable {self._name!r}: the checkpoint holds shape "
                             f"{TensorShape(value.shape)}, the variable has shape {self._shape}. No shard was "
                             f"changed. Build it with the checkpoint's shape.")
        start = 0
        for v in self._variables:
            rows = v.shape[0]
            v.assign(value[start:start + rows], read_value=False)
            start += rows

    def _ef_read(self):
        from eagerflow.ops import array_ops
        return array_ops.concat([v._ef_read() for v in self._variables], axis=0)

    def numpy(self):
        return self._ef_read().numpy()

    def __array__(self, dtype=None, copy=None):
        out = np.asarray(self.numpy())
        return out if dtype is None else out.astype(dtype, copy=False)

    def _split(self, value):
        from eagerflow.ops import array_ops
        t = convert_to_tensor(value, dtype=self._dtype)
        if tuple(t.shape) != tuple(self._shape.as_list()):
            raise ValueError(f"Cannot assign a value of shape {t.shape} to ShardedVariable {self._name!r} of shape "
                             f"{self._shape}.")
        return array_ops.split(t, [v.shape[0] for v in self._variables], axis=0)

    def _update(self, method, value):
        for v, part in zip(self._variables, self._split(value)):
            getattr(v, method)(part, read_value=False)
        return self

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._update("assign", value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_add", delta)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_sub", delta)

    def __getitem__(self, key):
        return self._ef_read()[key]

    def __repr__(self):
        return f"<eagerflow.distribute.ShardedVariable object at {hex(id(self))}>"


register_readable(ShardedVariable)


def shard_sizes(rows, shards):
    """Rows per shard, as TF: the first `rows % shards` shards take one row more."""
    return [rows // shards + (1 if i < rows % shards else 0) for i in range(shards)]


_keys = itertools.count()
