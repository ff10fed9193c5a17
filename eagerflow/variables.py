"""`Variable`: shared, persistent, mutable state in one buffer on one device.

Updates (`assign`, `assign_add`, `assign_sub`, scatters, sliced assignment) write into the
buffer under the variable's lock: no allocation, no lost update. Reads that escape (a tensor
from `value()`, `convert_to_tensor(v)`, a tape's record) share the buffer; the next update that
finds it still shared writes into a fresh buffer instead (copy-on-write, told by the buffer's
reference count), so a tensor read earlier never changes.

Reads take no lock. A writer raises `_writing` under the lock before it looks at the reference
count and lowers it when the buffer is whole again; a reader takes the buffer (which counts as a
reference from then on) and only if `_writing` is up waits for the lock and takes the buffer
again. So a read either was counted before the writer looked (the writer then writes into a fresh
buffer), or it sees the flag and gets the finished value: never a torn or a later-changing one.
"""

import enum
import functools
import itertools
import sys
import threading
import weakref

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context, memory, placement
from eagerflow.framework.execute import (
    announce, convert_to_tensor, execute, on_device, register_readable, run_kernel, to_array, wrap,
)
from eagerflow.framework import tensor as _tensor
from eagerflow.framework.execute import _tf_name
from eagerflow.framework.tensor import Reference, Tensor, TensorOperators, _is_mask, normalize_index, numpy_text
from eagerflow.tensor_shape import TensorShape, as_shape

__all__ = ["Variable", "VariableSynchronization", "VariableAggregation"]

_switches = context.switches
_state = context.thread_state()
_getrefcount = sys.getrefcount
_uids = itertools.count(1)


class VariableSynchronization(enum.Enum):
    """When a distributed variable's replicas are synchronized, as `tf.VariableSynchronization`.

    >>> v = ef.Variable(1.0, synchronization=ef.VariableSynchronization.ON_READ)
    >>> v.synchronization, v.trainable   # ON_READ: not trainable by default
    (<VariableSynchronization.ON_READ: 3>, False)
    """
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class _SameValueAcrossVersions:
    """TF has two aggregation enums: `tf.VariableAggregation` (its class is `VariableAggregationV2`) and
    the older one a variable gets by default; their members compare equal by value, as in TF."""

    def __eq__(self, other):
        if self is other:
            return True
        if isinstance(other, (VariableAggregationV2, _VariableAggregationV1)):
            return self.value == other.value
        return False

    def __hash__(self):
        return hash(self.value)


class VariableAggregationV2(_SameValueAcrossVersions, enum.Enum):
    """How a distributed variable's replica updates are combined, as `tf.VariableAggregation`.

    >>> ef.Variable(1.0, aggregation=ef.VariableAggregation.MEAN).aggregation
    <VariableAggregationV2.MEAN: 2>
    """
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class _VariableAggregationV1(_SameValueAcrossVersions, enum.Enum):
    """What a variable created without `aggregation=` shows: TF's older enum, `VariableAggregation.NONE`."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3


_VariableAggregationV1.__name__ = "VariableAggregation"  # its repr, as TF's: <VariableAggregation.NONE: 0>
VariableAggregation = VariableAggregationV2


def _as_synchronization(value, name):
    """`synchronization=` as its enum (None is AUTO); TF also takes the integer value outside a strategy."""
    if type(value) is VariableSynchronization:
        return value
    if value is None:
        return VariableSynchronization.AUTO
    try:
        return VariableSynchronization(value)
    except (ValueError, TypeError):
        raise ValueError(f"Invalid variable synchronization mode: {value} for variable: {name}. Pass one of "
                         f"ef.VariableSynchronization.AUTO, NONE, ON_WRITE or ON_READ.") from None


def _as_aggregation(value, name):
    """`aggregation=` as its enum (None is the default NONE); TF also takes the integer value."""
    if type(value) is VariableAggregationV2 or type(value) is _VariableAggregationV1:
        return value
    if value is None:
        return _VariableAggregationV1.NONE
    try:
        return VariableAggregationV2(value)
    except (ValueError, TypeError):
        raise ValueError(f"Invalid variable aggregation mode: {value} for variable: {name}. Pass one of "
                         f"ef.VariableAggregation.NONE, SUM, MEAN or ONLY_FIRST_REPLICA.") from None


def check_distributed_modes(kwargs):
    """Under a distribution strategy TF takes only the enums themselves for these two arguments."""
    name = kwargs.get("name")
    sync = kwargs.get("synchronization", VariableSynchronization.AUTO)
    if type(sync) is not VariableSynchronization:
        raise ValueError(f"Invalid variable synchronization mode: {sync} for variable: {name}. Under a strategy "
                         f"pass the enum itself, e.g. ef.VariableSynchronization.ON_READ.")
    agg = kwargs.get("aggregation", _VariableAggregationV1.NONE)
    if agg is not None and type(agg) is not VariableAggregationV2 and type(agg) is not _VariableAggregationV1:
        raise ValueError(f"Invalid variable aggregation mode: {agg} for variable: {name}. Under a strategy "
                         f"pass the enum itself, e.g. ef.VariableAggregation.SUM.")


def _unshared_count():
    """The reference count `_getrefcount(var._buf)` shows for a buffer nobody else holds."""
    probe = _Probe()
    probe._buf = np.empty(1)
    return _getrefcount(probe._buf)


class _Probe:
    __slots__ = ("_buf",)


_UNSHARED = _unshared_count()


def _spec_int(text, what):
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"Spec string {what}. Found '{text}', which is not an integer.") from None


class Variable(TensorOperators):
    """A tensor whose value can be changed in place by ops: model parameters, counters, state.

    >>> v = ef.Variable([1.0, 2.0], name="w")
    >>> v.assign_add([1, 1]).numpy()
    array([2., 3.], dtype=float32)
    >>> v.name
    'w:0'

    `constraint` (a function of the variable giving its projected value) is applied by optimizers after
    each of their updates, as TF. `validate_shape=False` changes nothing in eager mode, as TF: a variable
    keeps the shape of its initial value (give `shape=ef.TensorShape(None)` to allow other shapes later).
    Updates always hold the variable's lock, as TF's resource variables whatever `use_locking` says.
    """

    __slots__ = ("_buf", "_dtype", "_device", "_shape", "_name", "_trainable", "_lock", "_uid",
                 "_nbytes", "_synchronization", "_aggregation", "_writing", "_numeric", "_plain", "_unread",
                 "_constraint", "__weakref__", "__dict__")

    def __new__(cls, *args, **kwargs):
        # inside a distribution strategy's scope, `ef.Variable(...)` makes the strategy's kind of variable
        creator = _state.variable_creator
        if creator is not None and cls is Variable:
            return creator(args, kwargs)
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=None, validate_shape=True, caching_device=None,
                 name=None, variable_def=None, dtype=None, import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO, aggregation=_VariableAggregationV1.NONE,
                 shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("initial_value must be specified: ef.Variable(initial_value, ...).")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"Argument `constraint` must be None or a callable. Got a {type(constraint)}: "
                             f"{constraint!r}. Pass a function of the variable, e.g. lambda v: ef.maximum(v, 0.0).")
        if callable(initial_value) and not isinstance(initial_value, (Tensor, Variable)):
            initial_value = initial_value()
        if dtype is not None:
            dtype = _dtypes.as_dtype(dtype)
        # A Python value or NumPy array is converted into a new array nobody else holds: the variable
        # takes it as its buffer. A tensor's (or another variable's) buffer is copied.
        converted_here = not isinstance(initial_value, (Tensor, Variable))
        if isinstance(initial_value, Variable):
            initial_value = initial_value.read_value()
        value = convert_to_tensor(initial_value, dtype=dtype)
        declared = TensorShape._from_tuple(value._value.shape) if shape is None else as_shape(shape)
        if shape is not None and not declared.is_compatible_with(value._value.shape):
            raise ValueError(f"The initial value's shape ({TensorShape(value._value.shape)}) is not compatible "
                             f"with the explicitly supplied `shape` argument ({declared}).")
        synchronization = _as_synchronization(synchronization, name)
        aggregation = _as_aggregation(aggregation, name)
        device, reason = placement.place("VarHandleOp", value._dtype) if _switches.active else (
            placement.default_device(value._dtype), placement.DTYPE_DEFAULT)
        self._device = device
        self._dtype = value._dtype
        self._numeric = value._dtype.is_numeric  # assign_add/sub and the adding scatters need numbers, as TF
        self._shape = declared
        self._plain = self._numeric and declared.is_fully_defined()  # assign_add/sub need no further checks
        # The buffer owns its memory (no `.base`): then every view of it, whatever kernel made it, holds the
        # buffer itself, and its reference count tells copy-on-write that the buffer is shared.
        owned = converted_here and value._device is device and value._value.base is None
        self._buf = value._value if owned else self._fresh_copy(value)
        self._nbytes = int(self._buf.nbytes)
        device.allocated(self._nbytes)
        self._name = _variable_name(name)
        self._trainable = synchronization != VariableSynchronization.ON_READ if trainable is None else bool(trainable)
        self._synchronization = synchronization
        self._aggregation = aggregation
        self._constraint = constraint
        self._lock = threading.Lock()
        self._writing = False
        self._uid = next(_uids)
        self._unread = _UnreadVariable._of(self)  # what the updates return: one object for the variable's life
        memory.track_variable(self)  # weakly, for ef.debugging.memory_report()
        if _switches.active:  # the variable itself is the output: a tracing ef.function must know (recording.py)
            announce("VarHandleOp", device, reason, (), (self,),  # TF makes a function per dtype and shape
                     logged_attrs={"dtype": self._dtype.name, "shape": tuple(self._buf.shape)})
            announce("AssignVariableOp", device, placement.INPUT, (), (), logged_inputs=("resource", self._dtype.name),
                     logged_attrs={"_resources": ((self._dtype.name, tuple(self._buf.shape)),), "_initializer": True})

    def _local(self, t, op, index=1):
        """The array of tensor `t`, input `index` of `op`, on this variable's device (copied there, counted, when
        it lives elsewhere and the device policy allows)."""
        return t._value if t._device is self._device else placement.copy_input(op, index, t, self._device)

    def _fresh_copy(self, value):
        """An owning buffer on this variable's device holding `value` (never shared with it)."""
        if value._device is self._device:
            return self._device.backend.copy(value._value)
        return placement.copy_input("AssignVariableOp", 1, value, self._device)

    def __del__(self):
        unread = getattr(self, "_unread", None)
        if unread is not None and _getrefcount(unread) > _UNSHARED + 1:  # + 1: `unread` here
            # An update's result outlives every other reference to the variable: it keeps the variable (and
            # so its buffer) alive from now on, and releases the memory when it goes itself.
            unread._keep = self
            return
        self._release()

    def _release(self):
        device = getattr(self, "_device", None)
        if device is not None and getattr(self, "_nbytes", None):
            device.released(self._nbytes)

    # ------------------------------------------------------------------ properties
    name = property(lambda self: self._name, doc="The name, with TF's ':0' suffix.")
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape, doc="The declared shape (may have unknown dimensions).")
    trainable = property(lambda self: self._trainable)
    device = property(lambda self: self._device.name, doc="The device holding the buffer, for life.")
    synchronization = property(lambda self: self._synchronization)
    constraint = property(lambda self: self._constraint,
                          doc="The projection optimizers apply after each update (None: none), as TF.")
    aggregation = property(lambda self: self._aggregation)

    def get_shape(self):
        return self._shape

    @property
    def _shared_name(self):
        return self._name[:-2]

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    # ------------------------------------------------------------------ reads
    def _ef_read(self):
        """A tensor sharing the buffer (copy-on-write keeps it unchanged); recorded on tapes."""
        buf = self._buf  # counted from here on: a writer that looks now copies on write
        if self._writing:  # a writer may be filling `buf` (or a fresh one) right now: wait for it, read again
            with self._lock:
                buf = self._buf
        t = wrap(buf, self._device, self._dtype)
        if _switches.active:
            announce("ReadVariableOp", self._device, placement.INPUT, (self,), (t,))
        return t

    def value(self):
        """The current value as a tensor on the variable's device; later updates never change it."""
        return self._ef_read()

    def read_value(self):
        """The current value as a tensor; later updates never change it. As TF, an `Identity` of the read:
        it lands where ops run (the scope's device, else the default device), not on the variable's.

        >>> v = ef.Variable([1.0, 2.0]); r = v.read_value(); _ = v.assign([3.0, 4.0])
        >>> r.numpy()
        array([1., 2.], dtype=float32)
        """
        return execute("Identity", (self._ef_read(),))

    def _current(self):
        """The buffer, whole (see the module docstring): hold it while you read it."""
        buf = self._buf
        if self._writing:
            with self._lock:
                buf = self._buf
        return buf

    def sparse_read(self, indices, name=None):
        """The rows of the variable at `indices` (a gather along the first axis), as TF.

        >>> ef.Variable([1.0, 2.0, 3.0]).sparse_read([2, 0]).numpy()
        array([3., 1.], dtype=float32)
        """
        from eagerflow.ops import array_ops
        with context.device(self._device.name):  # a variable op (TF's ResourceGather): on the variable's device
            if _switches.active and context.placement_logging()[0]:
                indices = array_ops._index_tensor(indices, "gather")  # the one constant ResourceGather takes
                with placement.logged_as({"ReadVariableOp": None, "GatherV2": "ResourceGather", "_EagerConst": None}):
                    return array_ops.gather(self, indices)
            return array_ops.gather(self, indices)

    def gather_nd(self, indices, name=None):
        """The elements (or slices) of the variable at the index tuples in the last dimension of `indices`.

        >>> ef.Variable([[1, 2], [3, 4]]).gather_nd([[0, 1], [1, 0]]).numpy()
        array([2, 3], dtype=int32)
        """
        from eagerflow.ops import array_ops
        with context.device(self._device.name):  # as sparse_read (TF's ResourceGatherNd)
            if _switches.active and context.placement_logging()[0]:
                with placement.logged_as({"ReadVariableOp": None, "GatherNd": "ResourceGatherNd"}):
                    value = array_ops.gather_nd(self, indices)
            else:
                value = array_ops.gather_nd(self, indices)
        return execute("Identity", (value,))  # as TF's gather_nd, which returns an identity of the gather

    @property
    def handle(self):
        """The variable's resource handle: a scalar of dtype `resource` on the variable's device."""
        return _handle_tensor(self)

    def numpy(self):
        """A NumPy copy of the current value (a NumPy scalar for a scalar variable, as TF)."""
        if _tensor._value_read_hook is not None:
            _tensor._value_read_hook(None)
        buf = self._buf  # self._current(), inlined
        if self._writing:
            with self._lock:
                buf = self._buf
        if _switches.active and context.placement_logging()[0]:  # TF reads through read_value(): it logs two ops
            placement.log_op("ReadVariableOp", self._device, placement.INPUT, ("resource",), (self._dtype.name,),
                             {"_resources": ((self._dtype.name, tuple(self._buf.shape)),)})
            placement.log_op("Identity", placement.default_device(self._dtype), placement.DTYPE_DEFAULT,
                             (self._dtype.name,), (self._dtype.name,))
        value = self._device.backend.to_host(buf)
        return value[()] if value.ndim == 0 else value.copy()

    def __array__(self, dtype=None, copy=None):
        if _tensor._value_read_hook is not None:
            _tensor._value_read_hook(None)
        out = self._device.backend.to_host(self._current()).copy()  # an array, also for a scalar variable
        return out if dtype is None else out.astype(dtype, copy=False)

    def __repr__(self):
        value = self._device.backend.to_host(self._current())
        return (f"<ef.Variable '{self._name}' shape={self._shape} dtype={self._dtype.name}, "
                f"numpy={numpy_text(value, is_repr=True)}>")

    def __iter__(self):
        return iter(self._ef_read())

    def __bool__(self):
        return bool(self._ef_read())

    def __int__(self):
        return int(self._ef_read())

    def __float__(self):
        return float(self._ef_read())

    def __complex__(self):
        return complex(self._ef_read())

    # As TF, a variable has no len() and no __index__ (`[1, 2][v]` and `range(v)` are TypeErrors), and
    # `v += x` is refused: silently rebinding `v` to a tensor would leave the variable unchanged.
    def __iadd__(self, other):
        raise RuntimeError("`variable += value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_add(value)` to modify the variable, or `out = variable + value` if you "
                           "need to get a new output Tensor.")

    def __isub__(self, other):
        raise RuntimeError("`variable -= value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_sub(value)` to modify the variable, or `out = variable - value` if you "
                           "need to get a new output Tensor.")

    def _in_place_operator(symbol):
        def refuse(self, other):
            raise RuntimeError(f"`var {symbol}= value` with `tf.Variable`s is not supported. Use `var.assign(var "
                               f"{symbol} value)` to modify the variable, or `out = var {symbol} value` if you need "
                               f"to get a new output Tensor.")
        return refuse

    __imul__ = _in_place_operator("*")
    __itruediv__ = _in_place_operator("/")
    __ifloordiv__ = _in_place_operator("//")
    __imod__ = _in_place_operator("%")
    __ipow__ = _in_place_operator("**")
    __imatmul__ = _in_place_operator("@")
    del _in_place_operator

    @property
    def initial_value(self):
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    # graph-building members of TF's variables, refused eagerly with TF's errors (in dir() as TF's)
    op = property(lambda self: _tensor._graph_only("Tensor.op"))
    graph = property(lambda self: _tensor._graph_only("Tensor.graph"))

    @property
    def create(self):
        raise RuntimeError("This operation is not supported when eager execution is enabled.")

    class SaveSliceInfo:
        """Where a variable lies in a larger one it is saved as a slice of, as TF's `Variable.SaveSliceInfo`:
        `full_name`, `full_shape`, `var_offset`, `var_shape`, and `spec`, the slice string of a checkpoint.

        >>> info = ef.Variable.SaveSliceInfo("v", [4, 3], [2, 0], [2, 3])
        >>> info.spec, ef.Variable.SaveSliceInfo.from_spec(info.spec).var_offset
        ('4 3 2,2:0,3', [2, 0])
        """

        def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None,
                     save_slice_info_def=None, import_scope=None):
            if save_slice_info_def:   # a SaveSliceInfoDef (or any object with its four fields)
                name = save_slice_info_def.full_name
                self.full_name = f"{import_scope}/{name}" if import_scope else name
                self.full_shape = list(save_slice_info_def.full_shape)
                self.var_offset = list(save_slice_info_def.var_offset)
                self.var_shape = list(save_slice_info_def.var_shape)
            else:
                self.full_name, self.full_shape = full_name, full_shape
                self.var_offset, self.var_shape = var_offset, var_shape

        @property
        def spec(self):
            """'<full shape> <offset>,<length>:...' (TF's tensor slice spec)."""
            sizes = " ".join(f"{int(d)}" for d in self.full_shape) + " "
            return sizes + ":".join(f"{int(o)},{int(n)}" for o, n in zip(self.var_offset, self.var_shape))

        @classmethod
        def from_spec(cls, spec):
            """The SaveSliceInfo of a `spec` string ('4 3 5 0,4:1,1:3,2'); ValueError for a malformed one."""
            if not spec:
                return cls()
            try:
                sizes, slices = spec.rsplit(" ", 1)
            except ValueError:
                raise ValueError("Spec string must contain space-separated full_shape info.") from None
            full_shape = [_spec_int(d, "full_shape must be a sequence of integers") for d in sizes.split()]
            offsets, lengths = [], []
            for pair in slices.split(":"):
                try:
                    offset, length = pair.split(",")
                except ValueError:
                    raise ValueError("Spec string must contain comma-separated pairs of offsets and shapes.") from None
                offsets.append(_spec_int(offset, "var_offset must be an integer"))
                lengths.append(_spec_int(length, "var_shape must be an integer"))
            return cls(full_shape=full_shape, var_offset=offsets, var_shape=lengths)

    def eval(self, session=None):
        raise RuntimeError("This operation is not supported when eager execution is enabled. Use v.numpy().")

    def is_initialized(self, name=None):
        """Always True: an eager variable gets its value when it is created."""
        return convert_to_tensor(True)

    initializer = None  # TF eager: there is no initializer op to run

    def set_shape(self, shape):
        """Narrow the declared shape (a variable of unknown dimensions), as TF; ValueError when incompatible.

        >>> v = ef.Variable([1.0, 2.0], shape=[None]); v.set_shape([2]); v.shape
        TensorShape([2])
        """
        self._shape = self._shape.merge_with(shape)
        self._plain = self._numeric and self._shape.is_fully_defined()

    def read_value_no_copy(self):
        """The current value, as `value()` (eagerflow's reads never copy)."""
        return self._ef_read()


    def __eq__(self, other):
        if other is None:  # TF converts None to a tensor for a variable (and fails), unlike for a tensor
            raise _none_operand()
        return super().__eq__(other)

    def __ne__(self, other):
        if other is None:
            raise _none_operand()
        return super().__ne__(other)

    def __getitem__(self, key):
        # A copy of the slice, as TF's StridedSlice: a view would hold the whole buffer, and every later
        # update (`v[i].assign(x)` in a loop too) would have to copy all of it to leave the slice unchanged.
        try:
            t = self._ef_read()[key]
        except errors.InvalidArgumentError as e:
            raise errors.InvalidArgumentError(
                None, e.op, f"Cannot slice variable {self._name!r} of shape {self._shape} with {key!r}: "
                f"{e.message} Index inside the shape.") from None
        if _is_mask(key):  # a boolean mask's result is no slice TF could assign to
            return t
        return VariableSlice._of(t, self, normalize_index(key))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        """A new variable with the value, name, device and settings of this one, as TF's (the name is taken
        inside the current name scope, as TF: `outer/w:0` copied in scope `outer` is `outer/outer/w:0`)."""
        with context.device(self._device.name):
            copied = Variable(self, trainable=self._trainable, name=self._shared_name, shape=self._shape,
                              constraint=self._constraint, synchronization=self._synchronization,
                              aggregation=self._aggregation)
        memo[id(self)] = copied
        return copied

    def __reduce__(self):
        raise TypeError(f"Variable {self._name!r} cannot be pickled; save it with ef.train.Checkpoint, "
                        f"or pickle v.numpy().")

    # ------------------------------------------------------------------ updates
    def _operand(self, value, op, exact_shape, index=1):
        """`value` as an array on this device with this dtype, checked against the shape."""
        if isinstance(value, Variable):
            value = value._ef_read()
        if isinstance(value, Tensor):
            if value._dtype is not self._dtype:
                raise ValueError(f"Cannot {_verb(op)} variable {self._name!r} of dtype {self._dtype.name} "
                                 f"with a tensor of dtype {value._dtype.name}. Cast it first: "
                                 f"ef.cast(value, ef.{self._dtype.name}).")
            array = self._local(value, op, index)
        else:
            try:
                host, _ = to_array(value, self._dtype)
            except TypeError as e:
                raise TypeError(f"Cannot {_verb(op)} variable {self._name!r}: {e}") from None
            except ValueError as e:  # out of the dtype's range, non-rectangular
                raise ValueError(f"Cannot {_verb(op)} variable {self._name!r}: {e}") from None
            array = on_device(host, self._device)
            if _switches.active and context.placement_logging()[0]:
                placement.log_op("_EagerConst", self._device, placement.INPUT, (self._dtype.name,), (self._dtype.name,))
        if array.shape != self._buf.shape and exact_shape:
            if op == "AssignVariableOp":
                if self._shape.is_compatible_with(array.shape):
                    return array  # a variable with unknown dimensions takes the new shape
                raise ValueError(f"Cannot assign value to variable ' {self._name}': Shape mismatch.The variable "
                                 f"shape {self._shape}, and the assigned value shape {TensorShape(array.shape)} "
                                 f"are incompatible.")
            raise errors.InvalidArgumentError(
                None, op, f"Cannot update variable {self._name!r} with shape {TensorShape(self._buf.shape)} using "
                f"a Tensor with shape {TensorShape(array.shape)}, shapes must be equal. [Op:{op}]")
        return array

    def _host_value(self):
        """A host copy of the current value, announcing no op (see `_store`)."""
        return np.array(self._device.backend.to_host(self._current()), copy=True)

    def _store(self, host_array):
        """Write `host_array` (of the variable's shape) into the buffer, copy-on-write as `assign`, announcing no
        op: for state an op of its own moves on (a Generator's draw updates its state variable inside its own
        event, as TF's stateful random kernels do)."""
        with self._lock:
            self._writing = True
            try:
                self._device.xp.copyto(self._writable(False), self._device.xp.asarray(host_array, self._buf.dtype))
            finally:
                self._writing = False

    def _writable(self, keep_contents):
        """The buffer to update in place: a fresh one when an earlier read still holds it.
        Call under the lock with `_writing` up, holding no reference to the buffer yourself."""
        if _getrefcount(self._buf) > _UNSHARED:
            old = self._buf
            self._buf = self._device.backend.copy(old) if keep_contents else self._device.xp.empty_like(old)
        return self._buf

    def _finish(self, op, operands, read_value, attrs=None):
        """Tell recorders about update `op` with its operand arrays (a tracing ef.function replays it)."""
        if _switches.active:
            announce(op, self._device, placement.INPUT, (self, *(wrap(a, self._device) for a in operands)), (),
                     attrs)
        return self._unread if read_value else None

    def _no_kernel(self, op):
        """As TF, which registers the arithmetic variable kernels for numbers only (max/min: real numbers)."""
        return errors.InvalidArgumentError(
            None, op, f"Cannot {_verb(op)} variable {self._name!r}: {op} has no kernel for dtype {self._dtype.name} "
            f"(only {'real ' if op in _REAL_ONLY else ''}numbers combine). Compute the new value and assign it: "
            f"v.assign(new_value). [Op:{op}]")

    def _reshaped(self, op, shape):
        """An update checked against shape `shape`, found another under the lock: only a variable of unknown
        shape that another thread assigned a value of a new shape meanwhile."""
        return errors.InvalidArgumentError(
            None, op, f"Cannot update variable {self._name!r}: it was checked against shape {TensorShape(shape)}, "
            f"but another thread assigned it a value of shape {TensorShape(self._buf.shape)} meanwhile. Order the "
            f"updates (e.g. with a lock of your own) and try again. [Op:{op}]")

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Write `value` (converted to the variable's dtype, same shape) into the buffer.

        >>> v = ef.Variable([2.0, 3.0]); v.assign([1, 2]).numpy()
        array([1., 2.], dtype=float32)
        """
        array = self._operand(value, "AssignVariableOp", True)
        with self._lock:
            self._writing = True
            try:
                if array.shape != self._buf.shape:  # unknown dimensions: the variable takes the new shape
                    self._replace_buffer(self._device.backend.copy(array))
                else:
                    run_kernel(self._device, "AssignVariableOp", (self._writable(False), array), None)
            finally:
                self._writing = False
        return self._finish("AssignVariableOp", (array,), read_value)

    def _replace_buffer(self, new):
        self._device.released(self._nbytes)
        self._buf = new
        self._nbytes = int(new.nbytes)
        self._device.allocated(self._nbytes)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Add `delta` to the value in place; returns the variable.

        >>> ef.Variable([7.0, 9.0]).assign_add([2, 3]).numpy()
        array([ 9., 12.], dtype=float32)
        """
        if (type(delta) is Tensor and delta._dtype is self._dtype and delta._device is self._device
                and delta._value.shape == self._buf.shape):
            array = delta._value  # the common case, without conversion
        else:
            array = self._operand(delta, "AssignAddVariableOp", True)
        return self._update_in_place("AssignAddVariableOp", array, read_value)

    def _update_in_place(self, op, array, read_value):
        recheck = False
        if not self._plain:
            if not self._numeric:
                raise self._no_kernel(op)
            # unknown shape: `array` was checked against the buffer outside the lock, and another thread may
            # have assigned a value of another shape since (NumPy would broadcast `array` into it)
            recheck = True
        kernel = self._device.kernels[op]
        with self._lock:
            self._writing = True
            try:
                if recheck and array.shape != self._buf.shape:
                    raise self._reshaped(op, array.shape)
                if _getrefcount(self._buf) > _UNSHARED:
                    # copy-on-write: one pass into a new buffer (an array also for a scalar variable, where the
                    # ufunc without `out` would give a NumPy scalar)
                    new = self._device.xp.empty_like(self._buf)
                    try:
                        kernel(self._buf, array, out=new)
                    except RuntimeWarning:  # see below
                        pass
                    self._buf = new
                else:
                    try:
                        kernel(self._buf, array, out=self._buf)
                    except RuntimeWarning:
                        # a NumPy nan/inf report that the user's warnings filters made an error (TF has none):
                        # NumPy reports after the loop, so the update is complete
                        pass
            finally:
                self._writing = False
        if _switches.active:  # `_finish`, inlined: small updates are a hot path
            announce(op, self._device, placement.INPUT, (self, wrap(array, self._device, self._dtype)), ())
        return self._unread if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtract `delta` from the value in place; returns the variable."""
        array = self._operand(delta, "AssignSubVariableOp", True)
        return self._update_in_place("AssignSubVariableOp", array, read_value)

    def _scatter(self, op, indices, updates):
        """Update `op` at `indices`: a row scatter (TF's ResourceScatter*: indices index the first dimension)
        or an nd one (ResourceScatterNd*: the last dimension of indices indexes the variable). Everything is
        checked before anything is written, under the lock, in one kernel."""
        if not self._scatter_kernel_exists(op):
            raise self._no_kernel(op)
        idx = convert_to_tensor(indices)
        if idx._dtype not in (_dtypes.int32, _dtypes.int64):
            raise errors.InvalidArgumentError(
                None, op, f"Value for attr 'Tindices' of {idx._dtype.name} is not in the list of allowed values: "
                f"int32, int64 (indices into variable {self._name!r}). Cast them: ef.cast(indices, ef.int32). "
                f"[Op:{op}]")
        idx_array = self._local(idx, op)
        shape = tuple(self._buf.shape)
        upd = self._operand(updates, op, False, index=2)
        if op in _ROW_SCATTERS:
            self._check_rows(op, idx_array, upd, shape)
        else:
            self._check_nd(op, idx_array, upd, shape)
        if op in _DIVIDING and bool((upd == 0).any()):
            raise errors.InvalidArgumentError(
                None, op, f"updates must not contain 0 (dividing variable {self._name!r}); nothing was written. "
                f"[Op:{op}]")
        with self._lock:
            self._writing = True
            try:
                if tuple(self._buf.shape) != shape:
                    raise self._reshaped(op, shape)
                run_kernel(self._device, op, (self._writable(True), idx_array, upd), None)
            finally:
                self._writing = False
        return self._finish(op, (idx_array, upd), True)

    def _scatter_kernel_exists(self, op):
        """TF's kernels: any dtype is written into, numbers (and bools, which add as `or` and subtract as
        `xor`, for the nd scatters) combine, max/min need real numbers."""
        if op in ("ResourceScatterUpdate", "ResourceScatterNdUpdate"):
            return True
        if self._dtype.is_bool:
            return op in ("ResourceScatterNdAdd", "ResourceScatterNdSub")
        return self._numeric and not (op in _REAL_ONLY and self._dtype.is_complex)

    def _check_rows(self, op, idx_array, upd, shape):
        """TF's rules of a row scatter: updates of shape indices.shape + shape[1:] (or a scalar), every index
        in [0, shape[0]); a scalar variable is one row."""
        rows = shape or (1,)
        if upd.ndim and (upd.ndim != idx_array.ndim + len(shape) - 1
                         or tuple(upd.shape[idx_array.ndim:]) != rows[1:]):
            raise errors.InvalidArgumentError(
                None, op, f"Must have updates.shape = indices.shape + params.shape[1:] or updates.shape = [], got "
                f"updates.shape {list(upd.shape)}, indices.shape {list(idx_array.shape)}, params.shape "
                f"{list(shape)} (variable {self._name!r}). [Op:{op}]")
        if upd.ndim and tuple(upd.shape[:idx_array.ndim]) != tuple(idx_array.shape):
            raise errors.InvalidArgumentError(
                None, op, f"The shape of indices ({list(idx_array.shape)}) must be a prefix of the shape of updates "
                f"({list(upd.shape)}) (variable {self._name!r}). [Op:{op}]")
        if idx_array.size:
            flat = self._device.backend.to_host(idx_array).ravel()
            bad = (flat < 0) | (flat >= rows[0])
            if bad.any():
                i = int(np.argmax(bad))
                at = ",".join(str(int(j)) for j in np.unravel_index(i, idx_array.shape))
                raise errors.InvalidArgumentError(
                    None, op, f"indices[{at}] = {int(flat[i])} is not in [0, {rows[0]}) (rows of variable "
                    f"{self._name!r}; TF takes no negative indices); nothing was written. [Op:{op}]")

    def _check_nd(self, op, idx_array, upd, shape):
        depth = idx_array.shape[-1] if idx_array.ndim else 0
        expected = tuple(idx_array.shape[:-1]) + shape[depth:]
        if idx_array.ndim == 0 or depth > len(shape) or (depth == 0 and idx_array.size):
            raise errors.InvalidArgumentError(
                None, op, f"indices of shape {tuple(idx_array.shape)} cannot index variable {self._name!r} of shape "
                f"{shape}: the last dimension of indices must be between 1 and the rank. [Op:{op}]")
        self._check_indices(op, idx_array, shape, depth)
        if tuple(upd.shape) != expected:
            raise errors.InvalidArgumentError(
                None, op, f"updates of shape {tuple(upd.shape)} do not match indices {tuple(idx_array.shape)} on "
                f"variable {self._name!r} of shape {shape}: expected {expected}. [Op:{op}]")

    def _check_indices(self, op, idx_array, shape, depth):
        """Every index inside the variable, checked before anything is written (as TF: no negative indices)."""
        if not idx_array.size:
            return
        rows = self._device.backend.to_host(idx_array).reshape(-1, depth)
        bad = ((rows < 0) | (rows >= np.array(shape[:depth], dtype=np.int64))).any(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            raise errors.InvalidArgumentError(
                None, op, f"indices[{i}] = {rows[i].tolist()} does not index into variable {self._name!r} of shape "
                f"{list(shape)} (along a dimension of size n an index must be in [0, n); TF takes no negative "
                f"indices). Fix or drop that index. [Op:{op}]")

    def scatter_nd_update(self, indices, updates, name=None):
        """Set the elements at `indices` (last dimension indexes the variable) to `updates`."""
        return self._scatter("ResourceScatterNdUpdate", indices, updates)

    def scatter_nd_add(self, indices, updates, name=None):
        """Add `updates` at `indices`; repeated indices add up."""
        return self._scatter("ResourceScatterNdAdd", indices, updates)

    def scatter_nd_sub(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdSub", indices, updates)

    def scatter_nd_max(self, indices, updates, name=None):
        """The elementwise maximum of the variable and `updates` at `indices` (a NaN on either side keeps the
        variable's element, as TF)."""
        return self._scatter("ResourceScatterNdMax", indices, updates)

    def scatter_nd_min(self, indices, updates, name=None):
        return self._scatter("ResourceScatterNdMin", indices, updates)

    def _sparse(self, op, sparse_delta):
        from eagerflow.framework.indexed_slices import IndexedSlices
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta} "
                            f"(updating variable {self._name!r}). Pass ef.IndexedSlices(values, indices).")
        return self._scatter(op, sparse_delta.indices, sparse_delta.values)

    # As TF, `use_locking` changes nothing: every update holds the variable's lock.
    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Set the rows `sparse_delta.indices` to `sparse_delta.values` (an `ef.IndexedSlices`); of repeated
        rows the last wins.

        >>> v = ef.Variable([1.0, 2.0, 3.0])
        >>> v.scatter_update(ef.IndexedSlices(ef.constant([9.0]), ef.constant([1]))).numpy()
        array([1., 9., 3.], dtype=float32)
        """
        return self._sparse("ResourceScatterUpdate", sparse_delta)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Add `sparse_delta.values` to the rows `sparse_delta.indices`; repeated rows add up."""
        return self._sparse("ResourceScatterAdd", sparse_delta)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._sparse("ResourceScatterSub", sparse_delta)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        return self._sparse("ResourceScatterMul", sparse_delta)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """Divide the rows by `sparse_delta.values` (integers: toward zero); a 0 among them writes nothing."""
        return self._sparse("ResourceScatterDiv", sparse_delta)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._sparse("ResourceScatterMax", sparse_delta)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._sparse("ResourceScatterMin", sparse_delta)

    def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Set, in each batch (all dimensions of `sparse_delta.indices` but the last), the elements of the
        variable's next dimension at those indices: an nd scatter whose index tuples are the batch position
        followed by the index, as TF.

        >>> v = ef.Variable([[1, 2, 3], [4, 5, 6]])
        >>> v.batch_scatter_update(ef.IndexedSlices(ef.constant([[7], [8]]), ef.constant([[2], [0]]))).numpy()
        array([[1, 2, 7],
               [8, 5, 6]], dtype=int32)
        """
        from eagerflow.framework.indexed_slices import IndexedSlices
        if not isinstance(sparse_delta, IndexedSlices):
            return self._sparse("ResourceScatterNdUpdate", sparse_delta)  # refused there
        idx = self._local(sparse_delta.indices, "ResourceScatterNdUpdate")
        xp = self._device.xp
        batch = xp.indices(tuple(idx.shape[:-1]) if idx.ndim else (), dtype=idx.dtype)
        columns = [xp.broadcast_to(b[..., None], idx.shape) for b in batch] + [idx]
        nd = xp.stack(columns, axis=-1) if idx.ndim else idx[None]
        return self._scatter("ResourceScatterNdUpdate", wrap(nd, self._device), sparse_delta.values)

    def count_up_to(self, limit):
        """Add 1, returning the value before, unless the value has reached `limit` (then OutOfRangeError and
        nothing changes), as TF's deprecated counter (prefer `ef.data.Dataset.range`).

        >>> c = ef.Variable(0); c.count_up_to(2).numpy(), c.count_up_to(2).numpy()
        (np.int32(0), np.int32(1))
        """
        op = "ResourceCountUpTo"
        if self._dtype not in (_dtypes.int32, _dtypes.int64):
            raise errors.InvalidArgumentError(
                None, op, f"Value for attr 'T' of {_tf_name(self._dtype)} is not in the list of allowed values: int32, "
                f"int64 (count_up_to of variable {self._name!r}). Count with an integer variable. [Op:{op}]")
        if self._buf.ndim:
            raise errors.InvalidArgumentError(
                None, op, f"input is not a scalar: {list(self._buf.shape)} (count_up_to of variable "
                f"{self._name!r}; a counter is a scalar). [Op:{op}]")
        limit = int(limit)
        with self._lock:
            self._writing = True
            try:
                before = self._buf
                if int(before) >= limit:
                    raise errors.OutOfRangeError(None, op, f"Reached limit of {limit} (variable {self._name!r}) "
                                                           f"[Op:{op}]")
                self._buf = self._device.xp.add(before, 1, dtype=before.dtype)  # a new buffer: `before` is read
            finally:
                self._writing = False
        old = wrap(before, self._device, self._dtype)
        if _switches.active:  # an update with an output: a tracing ef.function runs it eagerly on every call
            announce(op, self._device, placement.INPUT, (self,), (old,), {"limit": limit})
        return old

    def load(self, value, session=None):
        """Assign `value`, returning None (TF's deprecated form of `assign`; eager TF has no session to use,
        so `session` is not used, as TF)."""
        self.assign(value, read_value=False)

    def initialized_value(self):
        raise NotImplementedError(f"initialized_value() is not available for variable {self._name!r} (TF raises "
                                  f"the same): eager variables are initialized when created; use v.read_value().")

    def to_proto(self, export_scope=None):
        raise RuntimeError("This operation is not supported when eager execution is enabled.")

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        raise NotImplementedError("Variable.from_proto is not available (TF raises the same): VariableDef protocol "
                                  "buffers describe graphs; restore values with ef.train.Checkpoint.")

    def __nonzero__(self):
        return self.__bool__()

    def _assign_slice(self, key, value, how):
        op = "ResourceStridedSliceAssign"
        if how != "assign" and not self._numeric:
            raise self._no_kernel({"add": "AssignAddVariableOp", "sub": "AssignSubVariableOp"}[how])
        shape = tuple(self._buf.shape)
        try:
            target_shape = tuple(np.shape(self._current()[key]))  # a view (or an element), dropped at once
        except IndexError as e:
            raise errors.InvalidArgumentError(
                None, op, f"Cannot assign to slice {key!r} of variable {self._name!r} of shape {list(shape)}: {e}. "
                f"Index inside the shape. [Op:{op}]") from None
        array = operand = self._operand(value, op, False)
        if tuple(array.shape) != target_shape:
            raise errors.InvalidArgumentError(
                None, op,
                f"sliced l-value shape {list(target_shape)} does not match r-value shape {list(array.shape)} "
                f"when assigning to variable {self._name!r}. Automatic broadcasting is not done.")
        with self._lock:
            self._writing = True
            try:
                if tuple(self._buf.shape) != shape:
                    raise self._reshaped(op, shape)
                buf = self._writable(True)
                if how != "assign":
                    # kernels, so the arithmetic runs with this variable's device current (several GPUs)
                    current = run_kernel(self._device, "StridedSlice", (buf,), {"key": key})
                    array = run_kernel(self._device, "AddV2" if how == "add" else "Sub", (current, array), None)
                run_kernel(self._device, op, (buf, array), {"key": key})
            finally:
                self._writing = False
        return self._finish(op, (operand,), True, {"key": key, "how": how})


register_readable(Variable)


def snapshot(variables):
    """The buffers of `variables` at one instant, as a list (what a consistent checkpoint writes).

    Every variable's lock is held while the buffers are taken (in one global order, so two snapshots
    never deadlock), so no update lands between two of the reads: a training thread's step is either
    wholly before the snapshot or, for each variable, after it. The caller holds the buffers, and
    copy-on-write keeps them unchanged: updates go on at once into fresh buffers, no copy is made
    here, and updates themselves are not slowed (they take only their own lock, as always).

    >>> a, b = ef.Variable(1.0), ef.Variable([2, 3])
    >>> bufs = snapshot([a, b]); _ = a.assign_add(5.0)
    >>> [x.tolist() for x in bufs], a.numpy()
    ([1.0, [2, 3]], np.float32(6.0))
    """
    unique = sorted({v._uid: v for v in variables}.values(), key=lambda v: v._uid)
    remote = [v for v in unique if v._device.remote]
    if remote:  # variables of other tasks (parameter servers): their values, one call per task
        unique = [v for v in unique if not v._device.remote]
        by_device = {}
        for v in remote:
            by_device.setdefault(v._device, []).append(v)
        buffers = {}
        for device, group in by_device.items():
            buffers.update(zip((v._uid for v in group), device.pull([v._key for v in group])))
    else:
        buffers = {}
    held = []
    try:
        for v in unique:
            v._lock.acquire()
            held.append(v._lock)
        buffers.update((v._uid, v._buf) for v in unique)
    finally:
        for lock in reversed(held):
            lock.release()
    return [buffers[v._uid] for v in variables]


_ROW_SCATTERS = frozenset({"ResourceScatterUpdate", "ResourceScatterAdd", "ResourceScatterSub", "ResourceScatterMul",
                           "ResourceScatterDiv", "ResourceScatterMax", "ResourceScatterMin"})
_REAL_ONLY = frozenset({"ResourceScatterMax", "ResourceScatterMin", "ResourceScatterNdMax", "ResourceScatterNdMin"})
_DIVIDING = frozenset({"ResourceScatterDiv"})

_UNREAD = {"unread": True}  # the attrs of a read through an update's result (tapes watch nothing for it)


class _UnreadVariable(Variable):
    """What `assign*` and the scatters return, as TF: the variable itself, not yet read. It is not the
    variable (`r is v` is False, its name is 'UnreadVariable'), but reads it whenever it is used, so it
    shows the variable's value at that time; updates through it update the variable.

    >>> v = ef.Variable([1.0, 2.0]); r = v.assign([3.0, 4.0])
    >>> r.name, r is v, isinstance(r, ef.Variable)
    ('UnreadVariable', False, True)
    >>> _ = v.assign_add([1.0, 1.0]); r.numpy()
    array([4., 5.], dtype=float32)
    """

    __slots__ = ("_variable", "_keep")

    # the variable's changing state, read through to it (the rest is copied: it never changes)
    _buf = property(lambda self: self._variable()._buf)
    _writing = property(lambda self: self._variable()._writing)
    _nbytes = property(lambda self: self._variable()._nbytes)
    _shape = property(lambda self: self._variable()._shape)  # set_shape() narrows it
    _plain = property(lambda self: self._variable()._plain)

    @classmethod
    def _of(cls, variable):
        u = object.__new__(cls)
        # weakly: a strong reference both ways would keep every updated variable alive until the collector
        # runs (Variable.__del__ makes it strong when this object outlives the variable's other references)
        u._variable = weakref.ref(variable)
        u._keep = None
        u._dtype, u._device, u._trainable = variable._dtype, variable._device, variable._trainable
        u._lock, u._uid, u._numeric = variable._lock, variable._uid, variable._numeric
        u._synchronization, u._aggregation = variable._synchronization, variable._aggregation
        u._name = "UnreadVariable"
        return u

    def __del__(self):
        if self._keep is not None:  # the variable, kept alive by this object: its finalizer has already run
            self._keep._release()

    def _ef_read(self):
        # A read of the variable's buffer, but as TF not one that tapes see as a read of the variable:
        # gradients through an update's result are None (`tape.gradient(v.assign_add(1.0) * 3, v)`).
        variable = self._variable()
        t = wrap(variable._current(), self._device, self._dtype)
        if _switches.active:
            announce("ReadVariableOp", self._device, placement.INPUT, (variable,), (t,), _UNREAD)
        return t

    def read_value(self):
        return self._variable().read_value()

    @property
    def _unread(self):
        return self

    def __getitem__(self, key):
        return self._variable()[key]

    def __deepcopy__(self, memo):
        return self._variable().__deepcopy__(memo)


def _through_to_the_variable(name):
    method = getattr(Variable, name)

    @functools.wraps(method)
    def update(self, *args, **kwargs):
        return method(self._variable(), *args, **kwargs)
    return update


for _name in ("assign", "assign_add", "assign_sub", "scatter_nd_update", "scatter_nd_add", "scatter_nd_sub",
              "scatter_nd_max", "scatter_nd_min", "scatter_update", "scatter_add", "scatter_sub", "scatter_mul",
              "scatter_div", "scatter_max", "scatter_min", "batch_scatter_update", "count_up_to", "load",
              "_assign_slice", "set_shape"):
    setattr(_UnreadVariable, _name, _through_to_the_variable(_name))
del _name
register_readable(_UnreadVariable)


def _variable_name(name):
    """TF's full name of a new variable: the name scope, the name ('a/' is 'a', a scope's own name), ':0'."""
    if name is None:
        name = "Variable"
    elif not isinstance(name, str):
        raise ValueError(f"name for name_scope must be a string: got {name!r} of type {type(name).__name__}.")
    if name.endswith("/"):  # TF: a name ending in '/' is a full name scope, taken as it is
        return f"{name[:-1]}:0"
    return f"{context.thread_state().name_scope}{name}:0"


def _none_operand():
    return ValueError("Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a Tensor. "
                      "Compare with `v is None` to test for None.")


def _verb(op):
    return {"AssignAddVariableOp": "add to", "AssignSubVariableOp": "subtract from",
            "ResourceScatterNdUpdate": "scatter into", "ResourceScatterNdAdd": "scatter-add into",
            "ResourceScatterNdSub": "scatter-subtract from"}.get(op, "assign to" if "Assign" in op else "scatter into")


class ResourceHandle:
    """The element of a `resource` tensor (`v.handle`): names its variable as TF prints it.

    >>> h = ef.Variable([1.0]).handle
    >>> h.dtype, h.shape, h.device
    (ef.resource, TensorShape([]), '/job:localhost/replica:0/task:0/device:CPU:0')
    """

    __slots__ = ("_variable",)

    def __init__(self, variable):
        self._variable = variable  # as TF's handle, it keeps the variable alive

    def __repr__(self):
        v = self._variable
        shape = v._shape
        dims = "<unknown>" if shape.rank is None else "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"
        # TF numbers its variables from 0 in creation order; _uid counts from 1
        return (f'<ResourceHandle(name="{v._shared_name}/{v._uid - 1}", device="{v.device}", container="Anonymous", '
                f'type="tensorflow::Var", dtype and shapes : "[ DType enum: {v._dtype.as_datatype_enum}, '
                f'Shape: {dims} ]")>')


def _handle_tensor(variable):
    """`variable.handle`: a scalar tensor of dtype resource on the variable's device, as TF's."""
    t = Tensor.__new__(Tensor)
    t._value = np.empty((), dtype=object)  # a host array on every device, as TF keeps handles in host memory
    t._value[()] = ResourceHandle(variable)
    t._dtype, t._device = _dtypes.resource, variable._device
    return t


class VariableSlice(Tensor):
    """A tensor read from `variable[key]` that also supports `.assign(...)` into that slice."""

    __slots__ = ("_variable", "_key")

    @classmethod
    def _of(cls, t, variable, key):
        s = object.__new__(cls)
        # never a view of the buffer; copied by the backend, on the slice's own device
        s._value, s._dtype, s._device = t._device.backend.copy(t._value), t._dtype, t._device
        s._variable, s._key = variable, key
        return s

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Write `value` into the variable's slice (same shape), e.g. `v[1:3].assign([5, 6])`."""
        return self._variable._assign_slice(self._key, value, "assign")

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._variable._assign_slice(self._key, delta, "add")

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._variable._assign_slice(self._key, delta, "sub")
