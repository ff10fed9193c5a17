"""The optimizer base class, with Keras 3's state layout and update order.

State (the layout TF checkpoints of Keras 3 optimizers use, `optimizer/_variables/<i>/...`):

- `_iterations`: int64 non-trainable Variable `<name>/iteration:0`, the number of updates done;
- `_learning_rate`: float32 non-trainable Variable `<name>/learning_rate:0`, or the schedule /
  callable given as `learning_rate` (then no variable; the rate is computed every step);
- `_variables`: `[iterations, learning_rate (if a variable), slot variables...]` as Keras variables
  (`ef.keras.Variable`, what `variables`, `iterations` and `learning_rate` hand out), the slots in
  creation order: for each model variable (in the order of the first `apply_gradients`), each of
  the optimizer's slots (Adam: momentum, velocity[, velocity_hat]);
- `_trainable_variables`: the (framework) variables the optimizer was built for;
- one list per slot kind (`_momentums`, `_velocities`, ...), indexed like `_trainable_variables`.

The update steps work on the framework variables the Keras variables wrap (unwrapped once per
`apply`), so the wrappers cost nothing per op. Slot variables are non-trainable, live on their
model variable's device and are named as Keras names them: `<optimizer name>/<path of a Keras
variable, or name of an ef.Variable, with '/' and ':' as '_'>_<slot>` (`adam/dense_kernel_momentum`,
`adam/w_0_momentum`).
"""

import math
import numbers
import warnings

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context as _context
from eagerflow.device.context import device as _device_scope
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.checkpoint.deferred import restore_deferred
from eagerflow.framework.tensor import Tensor
from eagerflow.keras_variables import Variable as KerasVariable
from eagerflow.keras_variables import unwrap
from eagerflow.module import name_scope, unique_name
from eagerflow.ops import array_ops, clip_ops, math_ops
from eagerflow.optimizers.schedules import LearningRateSchedule
from eagerflow.variables import Variable, VariableAggregation

__all__ = ["Optimizer"]

_state = _context.thread_state()


def _snake(name):
    from eagerflow.layers import _snake as snake
    return snake(name)


def _replica_part(value, i):
    """Replica `i`'s component of a reduced gradient (a Mirrored value), or the tensor itself."""
    values = getattr(value, "values", None)
    return value if values is None or not isinstance(values, tuple) else values[i]


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Optimizer:
    """Base class of `SGD`, `Adam`, `AdamW`, `RMSprop`, `Adagrad`.

    Subclasses list their slot names in `_SLOTS` (pairs of slot name and attribute holding the
    list), may override `_slot_initial_value`, and implement `update_step(gradient, variable,
    learning_rate)` with `learning_rate` a Python float in the variable's precision.

    >>> w = ef.Variable([1.0, 2.0], name="w")
    >>> opt = ef.optimizers.SGD(learning_rate=0.5, name="sgd")
    >>> _ = opt.apply_gradients([(ef.constant([1.0, 1.0]), w)])
    >>> w.numpy(), opt.iterations
    (array([0.5, 1.5], dtype=float32), <Variable path=sgd/iteration, shape=(), dtype=int64, value=1>)
    """

    _SLOTS = ()  # ((slot_name, attribute_name), ...): the slots each model variable gets, in creation order
    # update_step takes the learning rate as a tensor (an op reads the rate variable: traced steps see
    # changes); others get a Python float computed on the host each step
    _TENSOR_RATE = False

    def __init__(self, learning_rate, name=None, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.", stacklevel=3)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized by {type(self).__name__}: {kwargs}. eagerflow's "
                             f"optimizers take learning_rate, the optimizer's own hyperparameters, name, "
                             f"weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum, "
                             f"ema_overwrite_frequency and loss_scale_factor.")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError(f"`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                                 f"ema_overwrite_frequency={ema_overwrite_frequency}")
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(f"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                             f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
        if name is None:
            name = unique_name(_snake(type(self).__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        with name_scope(f"{name}/"):
            self._iterations = Variable(0, name="iteration", dtype=_dtypes.int64, trainable=False,
                                        aggregation=VariableAggregation.ONLY_FIRST_REPLICA)
        self._track(self._iterations)
        if isinstance(learning_rate, LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, (Tensor, Variable))):
            self._learning_rate = learning_rate
        else:
            with name_scope(f"{name}/"):
                self._learning_rate = Variable(self._check_rate(learning_rate), name="learning_rate",
                                               dtype=_dtypes.float32, trainable=False,
                                               aggregation=VariableAggregation.ONLY_FIRST_REPLICA)
            self._track(self._learning_rate)

    def _check_rate(self, learning_rate):
        if isinstance(learning_rate, (Tensor, Variable, np.ndarray, np.generic)):
            learning_rate = convert_to_tensor(learning_rate)._host()
            if learning_rate.ndim == 0 and learning_rate.dtype.kind in "fiu":
                return float(learning_rate)
        elif _is_number(learning_rate):
            return float(learning_rate)
        raise ValueError(f"Argument `learning_rate` of {type(self).__name__} should be a float, an instance of "
                         f"LearningRateSchedule, or a callable (that takes in the current iteration value and "
                         f"returns the corresponding learning rate value). Received instead: "
                         f"learning_rate={learning_rate!r}")

    def _track(self, variable):
        """Add framework variable `variable` to the state as a Keras variable; returns `variable`."""
        name = variable.name.rsplit("/", 1)[-1]
        self._variables.append(KerasVariable._wrap(variable, name[:-2] if name.endswith(":0") else name))
        return variable

    def _keras_variable(self, variable):
        return next(k for k in self._variables if k._var is variable)

    # ------------------------------------------------------------------ properties
    @property
    def iterations(self):
        """The int64 Keras variable counting the updates applied."""
        return self._variables[0]

    @property
    def variables(self):
        """`[iterations, learning_rate (a variable unless scheduled), slots...]` as Keras variables (a new list)."""
        return self._variables[:]

    @property
    def learning_rate(self):
        """The learning-rate Keras variable, or for a schedule its value at the current step."""
        lr = self._current_learning_rate()
        return self._keras_variable(lr) if isinstance(lr, Variable) else lr

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate if isinstance(self._learning_rate, Variable) else None
        if isinstance(learning_rate, LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, (Tensor, Variable))):
            self._learning_rate = learning_rate
        elif isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(f"Optimizer {self.name!r} was created with a `LearningRateSchedule` object as its "
                            f"`learning_rate` constructor argument, hence its learning rate is not settable. If "
                            f"you need the learning rate to be settable, create the optimizer with a float "
                            f"`learning_rate`.")
        elif previous is None:
            raise TypeError(f"Optimizer {self.name!r} has a callable learning rate; give it another callable or "
                            f"a LearningRateSchedule, or create the optimizer with a float `learning_rate`.")
        else:
            previous.assign(self._check_rate(learning_rate))
        if previous is not None and not isinstance(self._learning_rate, Variable):
            self._variables = [v for v in self._variables if v._var is not previous]

    def _current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        if callable(lr) and not isinstance(lr, Variable):
            return lr()
        return lr

    # ------------------------------------------------------------------ slots
    def build(self, var_list):
        """Create the slot variables of `var_list` (done by the first `apply_gradients`)."""
        if self.built:
            return
        references = list(var_list)  # Keras variables name their slots by their path
        var_list = [unwrap(v) for v in references]
        # Keras: the moving averages (use_ema) come first, then each variable's slots in turn
        self._averages = [self._add_slot(v, "average") for v in references] if self.use_ema else []
        for attr in dict.fromkeys(attr for _, attr in self._SLOTS):
            setattr(self, attr, [])
        for i, (variable, reference) in enumerate(zip(var_list, references)):
            self._trainable_variables_indices[id(variable)] = i
            for slot, attr in self._SLOTS:
                getattr(self, attr).append(self._add_slot(reference, slot, self._slot_initial_value(slot)))
        self._trainable_variables = var_list
        self._build_extra(references)
        self.built = True
        restore_deferred(self)  # slots restored from a checkpoint read before they existed

    def _build_extra(self, var_list):
        """State beyond the per-variable slots (Nadam's u_product); `var_list` as given to `build`."""

    def _slot_initial_value(self, slot):
        return 0.0

    def add_variable_from_reference(self, reference_variable, name, initial_value=0.0):
        """A non-trainable Keras variable shaped like `reference_variable`, on its device, named as Keras does."""
        return self._keras_variable(self._add_slot(reference_variable, name, initial_value))

    def _add_slot(self, reference_variable, name, initial_value=0.0):
        """`add_variable_from_reference`'s framework variable (what the update steps use)."""
        if isinstance(reference_variable, KerasVariable):
            slot_name = reference_variable.path.replace("/", "_") + "_" + name
        else:
            slot_name = reference_variable.name.replace("/", "_").replace(":", "_") + "_" + name
        reference = unwrap(reference_variable)
        shape = tuple(reference.shape.as_list()) if hasattr(reference.shape, "as_list") else tuple(reference.shape)
        with _device_scope(reference.device), name_scope(f"{self.name}/"):
            value = array_ops.fill(shape, np.asarray(initial_value, reference.dtype.as_numpy_dtype)[()]) \
                if initial_value else array_ops.zeros(shape, dtype=reference.dtype)
            variable = Variable(value, name=slot_name, trainable=False, dtype=reference.dtype)
        return self._track(variable)

    def _slots_for(self, var):
        """{slot name: slot variable} of model variable `var` ({} before the optimizer is built)."""
        index = self._trainable_variables_indices.get(id(var))
        if index is None:
            return {}
        return {slot: getattr(self, attr)[index] for slot, attr in self._SLOTS}

    def get_slot_names(self):
        return [slot for slot, _ in self._SLOTS]

    def get_slot(self, var, slot_name):
        """The slot variable `slot_name` ('momentum', 'velocity', ...) of model variable `var`."""
        var = unwrap(var)
        slots = self._slots_for(var)
        if slot_name not in slots:
            if not slots:
                raise KeyError(f"Optimizer {self.name!r} has no slots for variable {var.name!r}: it was not built "
                               f"with it. Apply gradients to it first.")
            raise KeyError(f"Optimizer {self.name!r} has no slot {slot_name!r}; its slots are {sorted(slots)}.")
        return slots[slot_name]

    def __setstate__(self, state):
        # a copy unpickled in another process (a worker of ParameterServerStrategy): ids differ there
        self.__dict__.update(state)
        if self.__dict__.get("_trainable_variables"):
            self._trainable_variables_indices = {id(v): i for i, v in enumerate(self._trainable_variables)}

    # ------------------------------------------------------------------ applying
    def apply_gradients(self, grads_and_vars, name=None, skip_gradients_aggregation=False, **kwargs):
        """Update each variable from its gradient (pairs `(gradient, variable)`); returns `iterations`.

        Gradients of `None` are skipped with a warning; all `None` is a ValueError. The first call
        builds the optimizer for its variables; later calls may only use those variables.

        >>> v = ef.Variable(1.0)
        >>> opt = ef.optimizers.Adam(0.1)
        >>> int(opt.apply_gradients(zip([ef.constant(2.0)], [v])))
        1
        """
        pairs = list(grads_and_vars)
        if not pairs:
            raise ValueError(f"Optimizer {self.name!r}.apply_gradients received no (gradient, variable) pairs; "
                             f"pass at least one (as Keras, an empty list is an error).")
        replica = _state.distribution
        if replica is not None and replica.replica_id is not None and replica.update_replica is None:
            # inside strategy.run: one merged update for all replicas (TF's merge_call)
            return replica.context.merge_call(self._apply_distributed, args=(pairs,))
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def _apply_distributed(self, strategy, pairs):
        """Sum each variable's gradients over the replicas, then update every replica's component on its
        device with the sum (the components stay equal), as TF's MirroredStrategy."""
        variables = [v for _, v in pairs]
        present = [(g, v) for g, v in pairs if g is not None]
        reduced = iter(strategy.extended.batch_reduce_to("SUM", present))  # one fused all-reduce
        summed = [None if g is None else next(reduced) for g, _ in pairs]  # Mirrored: one copy per device
        for i, scope in enumerate(strategy.extended.replica_updates()):
            with scope:  # the replica's device; distributed variables resolve to its component
                self.apply([None if g is None else _replica_part(g, i) for g in summed], variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Apply `grads` to `trainable_variables` (or to the variables the optimizer was built with)."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"When passing `grads` without `variables`, the optimizer {self.name!r} must "
                                 f"already be built on a list of variables. Call `optimizer.build(variables)` "
                                 f"first.")
            if len(grads) != len(self._trainable_variables):
                raise ValueError(f"Optimizer {self.name!r} tracks {len(self._trainable_variables)} variables but "
                                 f"received {len(grads)} gradients; pass one gradient per variable.")
            trainable_variables = self._trainable_variables
        else:
            given = list(trainable_variables)
            trainable_variables = [v._var if type(v) is KerasVariable else v for v in given]
            for v in trainable_variables:
                if not isinstance(v, Variable):  # AttributeError as TF's (it asks for the variable's id)
                    raise AttributeError(f"Optimizer {self.name!r} can only update ef.Variable or ef.keras.Variable "
                                         f"objects; got {v!r}. Pass (gradient, variable) pairs.")
            if not self.built:
                self.build(given)
            for v in trainable_variables:
                if id(v) not in self._trainable_variables_indices:
                    raise ValueError(f"Unknown variable: {v.name!r}. Optimizer {self.name!r} can only be called "
                                     f"for the variables it was originally built with. When working with a new set "
                                     f"of variables, create a new optimizer instance.")
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads = [self._as_gradient(g, v) for g, v in zip(grads, trainable_variables)]
        if self.loss_scale_factor is not None:
            if any(not isinstance(g, Tensor) for g in grads):  # as Keras on TF: `g / scale` of an IndexedSlices
                raise TypeError(f"unsupported operand type(s) for /: 'IndexedSlices' and 'float': optimizer "
                                f"{self.name!r} divides each gradient by loss_scale_factor="
                                f"{self.loss_scale_factor}; pass ef.convert_to_tensor(gradient) for an "
                                f"IndexedSlices gradient, or use LossScaleOptimizer")
            grads = [g / self._scalar(v, self.loss_scale_factor) for g, v in zip(grads, trainable_variables)]
        grads = self._clip_gradients(grads)
        lr = self._current_learning_rate()
        if self._TENSOR_RATE and self.weight_decay is None:
            # The rate as a tensor op, not a Python float: a traced step (ef.function) then reads the
            # rate variable on every call. Same bits: the cast rounds as `_scalar` does.
            rate = float(lr) if _is_number(lr) else convert_to_tensor(lr)
            if not _is_number(rate) and rate.dtype is not _dtypes.float32:
                rate = math_ops.cast(rate, _dtypes.float32)
            for g, v in zip(grads, trainable_variables):
                self.update_step(g, v, rate if (_is_number(rate) or v.dtype is _dtypes.float32)
                                 else math_ops.cast(rate, v.dtype))
            self._update_averages()
            self._iterations.assign_add(1)
            self._apply_constraints(trainable_variables)
            return
        lr_host = float(convert_to_tensor(lr)._host()) if not _is_number(lr) else float(lr)
        if self.weight_decay is not None:
            for v in trainable_variables:  # Keras: variable - variable * wd * lr, in the variable's precision
                v.assign_sub(v * self._scalar(v, self.weight_decay) * self._scalar(v, lr_host))
        self._prepare(lr_host)
        for g, v in zip(grads, trainable_variables):
            self.update_step(g, v, self._scalar(v, lr_host))
        self._update_averages()
        self._iterations.assign_add(1)
        self._apply_constraints(trainable_variables)

    def _update_averages(self):
        """Keras's use_ema: average = m * average + (1 - m) * variable, m = 0 on the first step; every
        `ema_overwrite_frequency` steps the variables take their averages."""
        if not self.use_ema:
            return
        first = int(self._iterations.numpy()) == 0
        for var, average in zip(self._trainable_variables, self._averages):
            m = 0.0 if first else self._scalar(var, self.ema_momentum)
            average.assign(m * average + self._scalar(var, 1 - m) * var)
        if self.ema_overwrite_frequency and (int(self._iterations.numpy()) + 1) % self.ema_overwrite_frequency == 0:
            self.finalize_variable_values(self._trainable_variables)

    def finalize_variable_values(self, var_list):
        """With use_ema, set the variables to their moving averages (Keras calls this at the end of fit).

        >>> w = ef.Variable([1.0])
        >>> opt = ef.optimizers.SGD(0.5, use_ema=True)
        >>> _ = opt.apply_gradients([(ef.constant([1.0]), w)]); opt.finalize_variable_values([w]); float(w[0])
        0.5
        """
        if self.use_ema:
            for var in map(unwrap, var_list):
                var.assign(self._averages[self._trainable_variables_indices[id(var)]])

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` (the gradients are divided by it again in `apply`), or `loss`."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def get_config(self):
        """The optimizer's hyperparameters, as Keras's get_config (learning-rate schedules serialized).

        >>> ef.optimizers.SGD(0.1, name="sgd").get_config()["learning_rate"]   # the float32 variable's value
        0.10000000149011612
        """
        from eagerflow.optimizers.schedules import serialize

        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            rate = serialize(lr)
        elif isinstance(lr, Variable):
            rate = float(np.float32(lr.numpy()))
        else:
            rate = lr
        config = {"name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
                  "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor, "gradient_accumulation_steps": None}
        config.update({k: getattr(self, k) for k in self._CONFIG})
        return config

    _CONFIG = ()  # the subclass's own hyperparameters, in get_config's order

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.optimizers.schedules import deserialize

        config = dict(config)
        config.pop("gradient_accumulation_steps", None)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize(config["learning_rate"])
        return cls(**config)

    @staticmethod
    def _apply_constraints(variables):
        """As Keras: each variable's constraint projects it after the update (a Keras variable keeps its
        constraint on the variable it wraps)."""
        for v in variables:
            if v.constraint is not None:
                v.assign(v.constraint(v))

    def _prepare(self, learning_rate):
        """Per-apply work common to every variable (Adam's bias corrections)."""

    @staticmethod
    def _scalar(variable, value):
        """`value` rounded to the variable's precision, as a Python float (exact in that dtype)."""
        return float(np.asarray(value, dtype=variable.dtype.as_numpy_dtype))

    # update_step takes an IndexedSlices gradient (the rows of a gather's gradient) as it is, for a sparse
    # update as Keras does; other optimizers get the dense tensor, as Keras's dense arithmetic gives them
    _SPARSE = False

    def _keeps_sparse(self, g):
        from eagerflow.framework.indexed_slices import IndexedSlices

        return isinstance(g, IndexedSlices) and self._SPARSE

    def _as_gradient(self, g, v):
        if self._keeps_sparse(g):
            if tuple(g.shape.as_list()) != tuple(v.shape):
                raise errors.InvalidArgumentError(
                    None, None, f"Gradient of shape {tuple(g.shape.as_list())} does not match variable {v.name!r} of "
                    f"shape {tuple(v.shape)} in optimizer {self.name!r}: pass a gradient of the variable's shape.")
            return g if g.dtype is v.dtype else g.with_values(math_ops.cast(g.values, v.dtype))
        t = convert_to_tensor(g) if not isinstance(g, Tensor) else g
        if t.dtype is not v.dtype:
            t = math_ops.cast(t, v.dtype)
        if t._value.shape != tuple(v.shape):
            raise errors.InvalidArgumentError(
                None, None, f"Gradient of shape {tuple(t._value.shape)} does not match variable {v.name!r} of shape "
                f"{tuple(v.shape)} in optimizer {self.name!r}: pass a gradient of the variable's shape.")
        return t

    def _filter_empty_gradients(self, grads, variables):
        kept_grads, kept_vars, missing = [], [], []
        for g, v in zip(grads, variables):
            if g is None:
                missing.append(v.name)
            else:
                kept_grads.append(g)
                kept_vars.append(v)
        if not kept_grads:
            raise ValueError(f"No gradients provided for any variable: {missing}. Check that the loss depends on "
                             f"the variables and that it was computed inside the GradientTape.")
        if missing:
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss.",
                          stacklevel=3)
        return kept_grads, kept_vars

    def _clip_gradients(self, grads):
        """Keras's clipping on TF: clipnorm and clipvalue keep an IndexedSlices sparse (its norm counts each
        repeated row apart), global_clipnorm gives dense gradients."""
        from eagerflow.optimizers import sparse_rules as sr

        if self.clipnorm and self.clipnorm > 0:
            return [clip_ops.clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            total = math.sqrt(sum(float(math_ops.reduce_sum(convert_to_tensor(sr.square(g)))._host()) for g in grads))
            scale = self.global_clipnorm * min(1.0 / total if total else math.inf, 1.0 / self.global_clipnorm)
            return [convert_to_tensor(g) * scale for g in grads]
        if self.clipvalue and self.clipvalue > 0:
            c = self.clipvalue
            return [sr.clip(g, -c, c) for g in grads]
        return grads

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError(f"{type(self).__name__} must implement update_step(gradient, variable, "
                                  f"learning_rate).")

    def __repr__(self):
        return f"<ef.optimizers.{type(self).__name__} name={self.name!r} iterations={int(self._iterations.numpy())}>"
