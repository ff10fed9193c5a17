"""Distributed values: `PerReplica` (one value per replica) and `MirroredVariable` (one component of a
variable per replica device, kept equal), `SyncOnReadVariable` (components that differ, aggregated when read).

A `MirroredVariable` *is* its primary component (replica 0's variable, on the first device), so
everything that takes a `Variable` (modules, optimizers, checkpoints, which save it once under its
ordinary key) takes it; the other components are plain variables on the other devices, named as TF
names them (`w/replica_1:0`). Which component an op sees depends on the thread's distribution context:
a replica of `strategy.run` reads and updates its own; cross-replica code reads the primary and updates
every component.
"""

import threading

from eagerflow.device import context, placement
from eagerflow.framework.execute import announce, register_readable, wrap
from eagerflow.variables import Variable, VariableAggregation, VariableSynchronization, _UnreadVariable

__all__ = ["PerReplica", "PerReplicaSpec", "Mirrored", "MirroredVariable", "SyncOnReadVariable", "replica_id"]

_switches = context.switches
_state = context.thread_state()


def replica_id():
    """The id of the replica this thread runs (inside `strategy.run` or an update for one replica), else None."""
    d = _state.distribution
    if d is None:
        return None
    return d.update_replica if d.update_replica is not None else d.replica_id


class PerReplica:
    """One value per replica, as `strategy.run` returns them (TF's `PerReplica`).

    >>> print(ef.distribute.PerReplica([ef.constant(1), ef.constant(2)]))
    PerReplica:{
      0: ef.Tensor(1, shape=(), dtype=int32),
      1: ef.Tensor(2, shape=(), dtype=int32)
    }
    """

    _NAME = "PerReplica"

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self):
        return self._values

    def _local(self):
        i = replica_id()
        return self._values[0 if i is None else i]

    def __repr__(self):
        parts = ",\n".join(f"  {i}: {str(v)}" for i, v in enumerate(self._values))
        return f"{self._NAME}:{{\n{parts}\n}}"

    __str__ = __repr__


class PerReplicaSpec:
    """The type of a PerReplica value: one spec per replica (a distributed dataset's `element_spec`).

    >>> ef.distribute.PerReplicaSpec(ef.TensorSpec([2], ef.int64), ef.TensorSpec([2], ef.int64)).value_type.__name__
    'PerReplica'
    """

    def __init__(self, *value_specs):
        self._value_specs = tuple(value_specs)

    @property
    def value_type(self):
        return PerReplica

    def __eq__(self, other):
        return type(other) is type(self) and self._value_specs == other._value_specs

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__, self._value_specs))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(repr(s) for s in self._value_specs)})"


class Mirrored(PerReplica):
    """One equal value per replica."""

    _NAME = "Mirrored"


class MirroredVariable(Variable):
    """A variable with one component per replica device (see the module docstring).

    >>> with ef.distribute.MirroredStrategy(["CPU:0"]).scope():   # logical CPUs give more devices
    ...     v = ef.Variable(1.0)
    >>> type(v).__name__, isinstance(v, ef.Variable), [c.device[-5:] for c in v.values]
    ('MirroredVariable', True, ['CPU:0'])
    """

    _KIND = "MirroredVariable"

    @classmethod
    def _create(cls, devices, args, kwargs):
        """The primary on `devices[0]` from Variable's own arguments, components on the others with its value."""
        self = object.__new__(cls)
        with context.device(devices[0]):
            Variable.__init__(self, *args, **kwargs)
        base = self._name[:-2] if self._name.endswith(":0") else self._name
        components = [self]
        value = Variable._ef_read(self)
        for i, device in enumerate(devices[1:], start=1):
            with context.device(device):
                c = Variable(value, trainable=self._trainable, shape=self._shape, dtype=self._dtype,
                             synchronization=self._synchronization, aggregation=self._aggregation)
            c._name = f"{base}/replica_{i}:0"
            components.append(c)
        self._components = tuple(components)
        self._sync_lock = threading.Lock()
        self._initialized = True
        return self

    def __init__(self, *args, **kwargs):
        # Variable.__new__ returned an object _create made; Python calls __init__ again with its arguments
        if not getattr(self, "_initialized", False):
            raise TypeError(f"{type(self).__name__} is made inside a strategy's scope: `with strategy.scope(): "
                            f"v = ef.Variable(...)`.")

    @property
    def values(self):
        """The components, one per replica device, in replica order."""
        return self._components

    def _component(self):
        i = replica_id()
        return self if i is None or i == 0 else self._components[i]

    # ------------------------------------------------------------------ reads
    def _ef_read(self):
        # the component of this replica, announced as a read of the distributed variable (a tape of this
        # replica watches the variable the model holds, and the gradient is for it)
        c = self._component()
        buf = c._buf
        if c._writing:
            with c._lock:
                buf = c._buf
        t = wrap(buf, c._device, c._dtype)
        if _switches.active:
            announce("ReadVariableOp", c._device, placement.INPUT, (self,), (t,))
        return t

    def read_value(self):
        return self._ef_read()

    def value(self):
        return self._ef_read()

    def numpy(self):
        c = self._component()
        return Variable.numpy(c) if c is not self else Variable.numpy(self)

    # ------------------------------------------------------------------ updates
    def _update(self, method, value, read_value, **kwargs):
        i = replica_id()
        update = getattr(Variable, method)
        if i is not None:
            d = _state.distribution
            if d.update_replica is None and self._aggregation != VariableAggregation.NONE:
                value = d.context.all_reduce_for_variable(self._aggregation, value)
            update(self._components[i], value, read_value=False, **kwargs)
        else:
            for c in self._components:  # cross-replica: every component, the value copied to its device
                update(c, value, read_value=False, **kwargs)
        return self if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._update("assign", value, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_add", delta, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update("assign_sub", delta, read_value)

    def __repr__(self):
        parts = ",\n".join(f"  {i}: {Variable.__repr__(c)}" for i, c in enumerate(self._components))
        return f"{self._KIND}:{{\n{parts}\n}}"

    __str__ = __repr__

    def __deepcopy__(self, memo):
        raise TypeError(f"{self._KIND} {self._name!r} cannot be deep-copied; copy its value: ef.Variable(v.numpy()).")


class SyncOnReadVariable(MirroredVariable):
    """Components that each replica updates on its own (metrics, batch statistics); reading it outside a
    replica aggregates them (`aggregation=SUM` or `MEAN`), as TF's `SyncOnReadVariable`."""

    _KIND = "SyncOnReadVariable"

    def _ef_read(self):
        if replica_id() is not None:
            return MirroredVariable._ef_read(self)
        from eagerflow.ops import math_ops
        parts = [Variable._ef_read(c) for c in self._components]
        with context.device(self._components[0]._device.name):
            total = math_ops.add_n(parts) if len(parts) > 1 else parts[0]
            if self._aggregation == VariableAggregation.MEAN:
                total = total / len(parts)
            elif self._aggregation == VariableAggregation.ONLY_FIRST_REPLICA:
                total = parts[0]
        return total

    def numpy(self):
        return self._ef_read().numpy()

    @property
    def values(self):
        """The components; the first is a view of this variable's own buffer (reading this variable
        aggregates, reading a component does not)."""
        return (_ComponentView._of(self),) + self._components[1:]

    def _update(self, method, value, read_value, **kwargs):
        i = replica_id()
        update = getattr(Variable, method)
        if i is not None:
            update(self._components[i], value, read_value=False, **kwargs)
        elif method == "assign":  # cross-replica assign: TF sets every component (SUM: divided among them)
            for c in self._components:
                update(c, value, read_value=False)
        else:
            raise ValueError(f"SyncOnReadVariable {self._name!r} does not support `{method}` in cross-replica "
                             f"context; update it inside strategy.run, or assign() a new value.")
        return self if read_value else None

    def __repr__(self):
        return MirroredVariable.__repr__(self)

    __str__ = __repr__


class _ComponentView(_UnreadVariable):
    """Replica 0's component of a SyncOnReadVariable: its buffer, read as a plain variable."""

    @classmethod
    def _of(cls, variable):
        view = super()._of(variable)
        view._name = variable._name
        return view

    def _ef_read(self):
        return Variable._ef_read(self._variable())

    def numpy(self):
        return Variable.numpy(self._variable())


register_readable(MirroredVariable)
register_readable(SyncOnReadVariable)


def _is_on_read(kwargs):
    return kwargs.get("synchronization", VariableSynchronization.AUTO) == VariableSynchronization.ON_READ
