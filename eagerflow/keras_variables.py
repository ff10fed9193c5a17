"""`ef.keras.Variable`: the variable Keras 3 layers and optimizers hold (their weights and state).

As Keras 3's TensorFlow backend does, it wraps a framework variable (`.value`, an `ef.Variable`
named `<path>:0`) and is not one itself: `isinstance(w, ef.Variable)` is False. Ops, tapes,
functions and checkpoints use the wrapped variable, so a Keras variable goes wherever an
`ef.Variable` goes as an op input; `tape.gradient(loss, layer.trainable_variables)` works. What
users see is Keras's: `.name` is the bare name (`kernel`), `.path` the scoped one
(`dense/kernel`), `.dtype` a string, the repr `<Variable path=..., shape=..., dtype=..., value=...>`,
and `assign*` return the assigned value as a tensor.

>>> w = ef.keras.Variable([1.0, 2.0], name="w")
>>> w.name, w.path, w.dtype, isinstance(w, ef.Variable)
('w', 'w', 'float32', False)
>>> (w * 2).numpy()
array([2., 4.], dtype=float32)
"""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor, register_readable
from eagerflow.framework.tensor import Tensor, TensorOperators
from eagerflow.ops import math_ops
from eagerflow.tensor_shape import as_shape
from eagerflow.variables import Variable as _FrameworkVariable
from eagerflow.variables import VariableAggregation, VariableSynchronization

__all__ = ["Variable", "unwrap"]

_AGGREGATIONS = {"none": VariableAggregation.NONE, "mean": VariableAggregation.MEAN,
                 "sum": VariableAggregation.SUM, "only_first_replica": VariableAggregation.ONLY_FIRST_REPLICA}
_SYNCHRONIZATIONS = {"none": VariableSynchronization.NONE, "on_read": VariableSynchronization.ON_READ,
                     "on_write": VariableSynchronization.ON_WRITE, "auto": VariableSynchronization.AUTO}


@register_readable
class Variable(TensorOperators):
    """A Keras 3 variable: `Variable(initializer, shape=None, dtype=None, trainable=True,
    aggregation="none", synchronization="auto", name=None)`.

    `initializer` is a value (its dtype is the variable's unless `dtype` is given), or an initializer
    name ('zeros', 'glorot_uniform', ...) or callable `fn(shape, dtype)`, which need `shape`.

    >>> ef.keras.Variable("ones", shape=(2,), dtype="int32", name="count")
    <Variable path=count, shape=(2,), dtype=int32, value=[1 1]>
    """

    __slots__ = ("_var", "_dtype", "_name", "_path", "_trainable", "_regularizer", "__weakref__")

    def __init__(self, initializer, shape=None, dtype=None, trainable=True, aggregation="none",
                 synchronization="auto", name=None):
        from eagerflow.module import current_name_scope  # module.py walks Keras variables: imported late

        name = _checked_name(name)
        aggregation = "none" if aggregation is None else aggregation
        synchronization = "none" if synchronization is None else synchronization
        if aggregation not in _AGGREGATIONS:
            raise ValueError(f"Invalid value for argument `aggregation`. Expected one of `None`, `'none'`, "
                             f"`'mean'`, `'sum'`, `'only_first_replica'`. Received: aggregation={aggregation}")
        if synchronization not in _SYNCHRONIZATIONS:
            raise ValueError(f"Invalid value for argument `synchronization`. Expected one of `None`, `'none'`, "
                             f"`'on_read'`, `'on_write'`, `'auto'`. Received: synchronization={synchronization}")
        if isinstance(initializer, str):
            from eagerflow.layers import get_initializer
            initializer = get_initializer(initializer)
        if callable(initializer) and not isinstance(initializer, (Tensor, _FrameworkVariable, Variable)):
            if shape is None:
                raise ValueError(f"When creating a Variable from an initializer, the `shape` argument should be "
                                 f"specified. Received: initializer={initializer} and shape={shape}")
            dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32
            value = initializer(tuple(as_shape(shape).as_list()), dtype)
        else:
            value = _converted(initializer, _dtypes.as_dtype(dtype) if dtype is not None else None)
            if shape is not None and not as_shape(shape).is_compatible_with(value.shape):
                raise ValueError(f"Initial value has shape {value.shape}, but the `shape` argument is {shape}. "
                                 f"Give a value of that shape, or leave `shape` out.")
        # the wrapped variable is named by the path, as under TF (`dense/kernel:0`)
        variable = _FrameworkVariable(value, name=name, trainable=bool(trainable),
                                      aggregation=_AGGREGATIONS[aggregation],
                                      synchronization=_SYNCHRONIZATIONS[synchronization])
        self._set(variable, name, current_name_scope() + name, trainable)

    @classmethod
    def _wrap(cls, variable, name):
        """The Keras variable around `variable`, created by a layer or optimizer in its name scope."""
        self = object.__new__(cls)
        path = variable.name[:-2] if variable.name.endswith(":0") else variable.name
        self._set(variable, name, path, variable.trainable)
        return self

    def _set(self, variable, name, path, trainable):
        self._var = variable
        self._dtype = variable.dtype
        self._name = name
        self._path = path
        self._trainable = bool(trainable)
        self._regularizer = None

    # ------------------------------------------------------------------ what users see
    @property
    def name(self):
        """The variable's own name, without the scopes ('kernel')."""
        return self._name

    @property
    def path(self):
        """The name with the scopes of the layers or optimizer that made it ('sequential/dense/kernel')."""
        return self._path

    @property
    def value(self):
        """The wrapped `ef.Variable`."""
        return self._var

    @property
    def dtype(self):
        """The dtype's name, a string ('float32'), as Keras."""
        return self._dtype.name

    @property
    def shape(self):
        return self._var.shape

    @property
    def ndim(self):
        return len(self._var.shape)

    @property
    def trainable(self):
        """Whether layers list it in `trainable_variables` (the wrapped variable keeps its own flag, as TF)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def aggregation(self):
        return _name_of(_AGGREGATIONS, self._var.aggregation)

    @property
    def synchronization(self):
        return _name_of(_SYNCHRONIZATIONS, self._var.synchronization)

    @property
    def constraint(self):
        """The projection optimizers apply after each update (kept on the wrapped variable, which they update)."""
        return self._var.constraint

    @constraint.setter
    def constraint(self, value):
        if value is not None and not callable(value):
            raise ValueError(f"Invalid value for attribute `constraint`. Expected a callable (such as a "
                             f"`keras.constraints.Constraint` instance) or `None`. Received: constraint={value}")
        self._var._constraint = value

    @property
    def regularizer(self):
        return self._regularizer

    @regularizer.setter
    def regularizer(self, value):
        if value is not None and not callable(value):
            raise ValueError(f"Invalid value for attribute `regularizer`. Expected a callable (such as a "
                             f"`keras.regularizers.Regularizer` instance) or `None`. Received: regularizer={value}")
        self._regularizer = value

    @property
    def device(self):
        return self._var.device

    @property
    def handle(self):
        return self._var.handle

    def numpy(self):
        return self._var.numpy()

    def __repr__(self):
        return (f"<Variable path={self._path}, shape={self._var.shape}, dtype={self._dtype.name}, "
                f"value={np.array(self._var.numpy())}>")

    __str__ = __repr__

    # ------------------------------------------------------------------ updates
    def assign(self, value):
        """Set the value (converted to the variable's dtype; the shape must match); returns that value."""
        value = _converted(value, self._dtype)
        if tuple(value.shape) != tuple(self._var.shape):
            raise ValueError(f"The shape of the target variable and the shape of the target value in "
                             f"`variable.assign(value)` must match. variable.shape={self._var.shape}, Received: "
                             f"value.shape={value.shape}. Target variable: {self}")
        self._var.assign(value)
        return value

    def assign_add(self, value):
        return self.assign(self + value)

    def assign_sub(self, value):
        return self.assign(self - value)

    # ------------------------------------------------------------------ ops and Python protocols
    def _ef_read(self):
        return self._var._ef_read()

    def __getitem__(self, key):
        return self._var[key]

    def _python_scalar(self, convert):
        if self._var.shape.rank:
            raise TypeError(f"Only scalar arrays can be converted to Python scalars. Got: shape={self._var.shape}")
        return convert(self._var.numpy())

    def __int__(self):
        return self._python_scalar(int)

    def __float__(self):
        return self._python_scalar(float)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._var.numpy(), dtype=dtype)

    def __bool__(self):
        raise TypeError("A Keras Variable cannot be used as a boolean.")

    def __pos__(self):
        return self._var

    def __round__(self, ndigits=None):
        return math_ops.round(self) if not ndigits else math_ops.round(self * 10.0 ** ndigits) / 10.0 ** ndigits

    __hash__ = None  # as Keras's: `==` is elementwise


def _checked_name(name):
    if name is None:
        from eagerflow.module import unique_name
        return unique_name("variable")
    if not isinstance(name, str) or "/" in name:
        raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: "
                         f"name={name}")
    return name


def _converted(value, dtype):
    """`value` as a tensor of `dtype` (Keras's conversion: integer and bool targets cast what they get)."""
    if isinstance(value, Variable):
        value = value._var
    if dtype is None:
        return convert_to_tensor(value)
    if isinstance(value, (Tensor, _FrameworkVariable)) or dtype.is_integer or dtype.is_bool:
        t = convert_to_tensor(value)
        return t if t.dtype is dtype else math_ops.cast(t, dtype)
    return convert_to_tensor(value, dtype=dtype)


def _name_of(table, number):
    return next(k for k, v in table.items() if v == number)


def unwrap(variable):
    """The framework variable behind a Keras variable; anything else as it is."""
    return variable._var if type(variable) is Variable else variable
