"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer, as Keras 3's."""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.keras_variables import unwrap
from eagerflow.module import name_scope
from eagerflow.ops import math_ops
from eagerflow.optimizers.optimizer import Optimizer
from eagerflow.variables import Variable

__all__ = ["LossScaleOptimizer"]


class LossScaleOptimizer(Optimizer):
    """Scale the loss up (`scale_loss`) so float16 gradients do not underflow; `apply` divides the gradients
    by the scale and applies them with `inner_optimizer` when they are all finite (doubling the scale after
    `dynamic_growth_steps` finite steps), else skips the step and halves the scale. State: int `step_counter`
    and float32 `dynamic_scale`, then the inner optimizer's variables.

    >>> w = ef.Variable([1.0])
    >>> opt = ef.optimizers.LossScaleOptimizer(ef.optimizers.SGD(0.5), initial_scale=4.0)
    >>> _ = opt.apply_gradients([(ef.constant([8.0]), w)])
    >>> float(w[0]), float(opt.dynamic_scale)
    (0.0, 4.0)
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                             "`loss_scale_factor` directly on the `inner_optimizer`.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"inner_optimizer must be an optimizer, got {inner_optimizer!r}")
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps

    def build(self, var_list):
        if self.built:
            return
        with name_scope(f"{self.name}/"):
            self.step_counter = Variable(0, name="step_counter", dtype=_dtypes.int32, trainable=False)
            self.dynamic_scale = Variable(float(self.initial_scale), name="dynamic_scale", dtype=_dtypes.float32,
                                          trainable=False)
        self._track(self.step_counter)
        self._track(self.dynamic_scale)
        self.inner_optimizer.build(var_list)
        self._trainable_variables = [unwrap(v) for v in var_list]
        self._trainable_variables_indices = dict(self.inner_optimizer._trainable_variables_indices)
        self.built = True

    @property
    def variables(self):
        return self._variables[:] + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    def scale_loss(self, loss):
        """`loss * dynamic_scale` (the initial scale before the optimizer is built)."""
        scale = self.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    def apply(self, grads, trainable_variables=None):
        variables = [unwrap(v) for v in trainable_variables] if trainable_variables is not None else \
            self._trainable_variables
        if not self.built:
            self.build(variables)
        present = [g for g in grads if g is not None]
        finite = all(bool(math_ops.reduce_all(math_ops.is_finite(g))) for g in present)
        if not finite:
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale * 0.5)
            return
        scale = self.dynamic_scale.numpy()
        unscaled = [None if g is None else g / math_ops.cast(scale, g.dtype) if hasattr(g, "dtype")
                    else np.asarray(g) / scale for g in grads]
        self.inner_optimizer.apply(unscaled, variables)
        if int(self.step_counter.numpy()) == self.dynamic_growth_steps - 1:
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale * 2.0)
        else:
            self.step_counter.assign_add(1)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from eagerflow.optimizers import serialize

        config = super().get_config()
        config.pop("learning_rate")
        config.update({"inner_optimizer": serialize(self.inner_optimizer), "initial_scale": self.initial_scale,
                       "dynamic_growth_steps": self.dynamic_growth_steps})
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from eagerflow.optimizers import deserialize

        config = dict(config)
        config.pop("gradient_accumulation_steps", None)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)
