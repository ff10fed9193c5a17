"""The other optimizers of Keras 3 (`Adadelta`, `Adamax`, `Nadam`, `Ftrl`, `Lion`, `Lamb`, `Adafactor`), with
Keras 3's update rules, slot names and slot order (keras/src/optimizers/*.py of Keras 3.15).

Step-dependent scalars (bias corrections, decays) are computed on the host in the variable's precision,
as Keras computes them in the variable's dtype.
"""

import numpy as np

from eagerflow.keras_variables import Variable as KerasVariable
from eagerflow.keras_variables import unwrap
from eagerflow.module import name_scope
from eagerflow.ops import array_ops, math_ops
from eagerflow.optimizers import sparse_rules as sr
from eagerflow.optimizers.optimizer import Optimizer
from eagerflow.optimizers.schedules import LearningRateSchedule
from eagerflow.variables import Variable

__all__ = ["Adadelta", "Adamax", "Nadam", "Ftrl", "Lion", "Lamb", "Adafactor", "ScheduleFreeAdamW"]


def _np(variable):
    return variable.dtype.as_numpy_dtype


class _StepOptimizer(Optimizer):
    """An optimizer whose update reads the 1-based step t = iterations + 1 (as a host number)."""

    def _prepare(self, learning_rate):
        self._step = int(self._iterations.numpy()) + 1

    def _index(self, variable):
        return self._trainable_variables_indices[id(variable)]


class Adadelta(_StepOptimizer):
    """Adadelta, as `keras.optimizers.Adadelta`: slots `accumulated_grad` and `accumulated_delta_var`.

    `a = rho a + (1 - rho) g^2; d = -sqrt(ad + eps) g / sqrt(a + eps); ad = rho ad + (1 - rho) d^2; w += lr d`.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.Adadelta(learning_rate=1.0).apply_gradients([(ef.constant([1.0]), w)])
    >>> round(float(w[0]), 6)
    0.998586
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("rho", "epsilon")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon
        self._SLOTS = (("accumulated_grad", "_accumulated_grads"), ("accumulated_delta_var", "_accumulated_delta_vars"))

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        acc, acc_delta = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        s = self._scalar
        rho, one_minus_rho, eps = s(variable, self.rho), s(variable, 1 - self.rho), s(variable, self.epsilon)
        acc.assign(sr.add(rho * acc, sr.multiply(one_minus_rho, sr.square(gradient))))
        delta = sr.negative(sr.divide(sr.multiply(math_ops.sqrt(acc_delta + eps), gradient), math_ops.sqrt(acc + eps)))
        acc_delta.assign(sr.add(rho * acc_delta, sr.multiply(one_minus_rho, sr.square(delta))))
        sr.assign(variable, sr.multiply(learning_rate, delta), "assign_add")


class Adamax(_StepOptimizer):
    """Adamax (Adam with the infinity norm), as `keras.optimizers.Adamax`: slots `momentum` and `norm`.

    `m += (g - m)(1 - beta_1); u = max(beta_2 u, |g|); w -= lr m / ((1 - beta_1^t)(u + eps))`.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.Adamax(learning_rate=0.1).apply_gradients([(ef.constant([2.0]), w)])
    >>> round(float(w[0]), 6)
    0.9
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._SLOTS = (("momentum", "_m"), ("norm", "_u"))

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        m, u = self._m[i], self._u[i]
        dt = _np(variable)
        b1_power = np.power(dt(self.beta_1), dt(self._step))
        s = self._scalar
        m.assign_add(sr.subtract(gradient, m) * s(variable, 1 - self.beta_1))
        u.assign(sr.maximum(s(variable, self.beta_2) * u, sr.abs(gradient)))
        variable.assign_sub((learning_rate * m) / (float(dt(1) - b1_power) * (u + s(variable, self.epsilon))))


class Nadam(_StepOptimizer):
    """Nesterov Adam, as `keras.optimizers.Nadam`: slots `momentum`, `velocity`, and one scalar `u_product`
    (the product of the momentum schedule) after all the slots.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.Nadam(learning_rate=0.1).apply_gradients([(ef.constant([2.0]), w)])
    >>> round(float(w[0]), 5)
    0.89372
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._SLOTS = (("momentum", "_momentums"), ("velocity", "_velocities"))

    def _build_extra(self, var_list):
        dtype = unwrap(var_list[0]).dtype if var_list else None
        with name_scope(f"{self.name}/"):
            self._u_product = Variable(1.0, name="variable", dtype=dtype, trainable=False)  # Keras's (unnamed) name
        self._track(self._u_product)

    def _prepare(self, learning_rate):
        super()._prepare(learning_rate)
        dt = _np(self._u_product)
        # Keras: u_product = u_product * beta_1 * (1 - 0.5 * 0.96 ** t), left to right, once per step before
        # the updates
        factor = dt(1.0) - dt(0.5) * np.power(dt(0.96), dt(self._step))
        self._u_product.assign(self._u_product * float(dt(self.beta_1)) * float(factor))
        self._u_product_host = dt(self._u_product.numpy())

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        m, v = self._momentums[i], self._velocities[i]
        dt = _np(variable)
        t, decay, b1, b2 = dt(self._step), dt(0.96), dt(self.beta_1), dt(self.beta_2)
        u_t = b1 * (dt(1.0) - dt(0.5) * np.power(decay, t))
        u_t_1 = b1 * (dt(1.0) - dt(0.5) * np.power(decay, t + dt(1)))
        u_product_t = dt(self._u_product_host)
        u_product_t_1 = u_product_t * u_t_1
        b2_power = np.power(b2, t)
        m.assign_add(sr.subtract(gradient, m) * float(dt(1) - b1))
        v.assign_add(sr.subtract(sr.square(gradient), v) * float(dt(1) - b2))
        m_hat = sr.add((float(u_t_1) * m) / float(dt(1) - u_product_t_1),
                       sr.divide(sr.multiply(float(dt(1) - u_t), gradient), float(dt(1) - u_product_t)))
        v_hat = v / float(dt(1) - b2_power)
        variable.assign_sub((m_hat * learning_rate) / (math_ops.sqrt(v_hat) + self._scalar(variable, self.epsilon)))


class Ftrl(_StepOptimizer):
    """FTRL-proximal, as `keras.optimizers.Ftrl`: slots `accumulator` (starting at
    `initial_accumulator_value`) and `linear`.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.Ftrl(learning_rate=0.1).apply_gradients([(ef.constant([1.0]), w)])
    >>> round(float(w[0]), 5)
    0.60314
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
               "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta")

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0.0:
            raise ValueError(f"`initial_accumulator_value` needs to be positive or zero. Received: "
                             f"initial_accumulator_value={initial_accumulator_value}.")
        if learning_rate_power > 0.0:
            raise ValueError(f"`learning_rate_power` needs to be negative or zero. Received: "
                             f"learning_rate_power={learning_rate_power}.")
        for arg, value in (("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)):
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta
        self._SLOTS = (("accumulator", "_accumulators"), ("linear", "_linears"))

    def _slot_initial_value(self, slot):
        return self.initial_accumulator_value if slot == "accumulator" else 0.0

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        accum, linear = self._accumulators[i], self._linears[i]
        s = self._scalar
        lr_power = s(variable, self.learning_rate_power)
        dt = _np(variable)  # Keras: l2 + beta / (2 lr), in the variable's precision
        l2 = float(dt(self.l2_regularization_strength) + dt(self.beta) / (dt(2.0) * dt(learning_rate)))
        grad_to_use = sr.add(gradient, s(variable, 2 * self.l2_shrinkage_regularization_strength) * variable)
        new_accum = sr.add(accum, sr.square(gradient))
        linear.assign_add(grad_to_use - ((math_ops.pow(new_accum, -lr_power) - math_ops.pow(accum, -lr_power))
                                         / learning_rate) * variable)
        quadratic = math_ops.pow(new_accum, -lr_power) / learning_rate + 2 * l2
        l1 = s(variable, self.l1_regularization_strength)
        clipped = math_ops.clip_by_value(linear, -l1, l1)
        variable.assign((clipped - linear) / quadratic)
        accum.assign(new_accum)


class Lion(_StepOptimizer):
    """Lion, as `keras.optimizers.Lion`: slot `momentum`;
    `w -= lr sign(beta_1 m + (1 - beta_1) g); m = beta_2 m + (1 - beta_2) g`.

    >>> w = ef.Variable([1.0, 1.0])
    >>> _ = ef.optimizers.Lion(learning_rate=0.1).apply_gradients([(ef.constant([3.0, -0.5]), w)])
    >>> w.numpy()
    array([0.9, 1.1], dtype=float32)
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("beta_1", "beta_2")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(f"Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
                             f"to SignSGD. Received: beta_1={beta_1}.")
        self.beta_1, self.beta_2 = beta_1, beta_2
        self._SLOTS = (("momentum", "_momentums"),)

    def update_step(self, gradient, variable, learning_rate):
        m = self._momentums[self._index(variable)]
        dt = _np(variable)
        b1, b2 = dt(self.beta_1), dt(self.beta_2)
        direction = math_ops.sign(sr.add(m * float(b1), sr.multiply(gradient, float(dt(1.0) - b1))))
        variable.assign_sub(learning_rate * direction)
        m.assign(sr.add(m * float(b2), sr.multiply(gradient, float(dt(1.0) - b2))))


class Lamb(_StepOptimizer):
    """LAMB (layer-wise adaptive Adam), as `keras.optimizers.Lamb`: slots `momentum` and `velocity`; the Adam
    update is scaled by |w| / |update| (1 where either norm is 0).

    >>> w = ef.Variable([3.0, 4.0])
    >>> _ = ef.optimizers.Lamb(learning_rate=0.1).apply_gradients([(ef.constant([1.0, 1.0]), w)])
    >>> w.numpy().round(4)
    array([2.6464, 3.6464], dtype=float32)
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self._SLOTS = (("momentum", "_momentums"), ("velocity", "_velocities"))

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        m, v = self._momentums[i], self._velocities[i]
        dt = _np(variable)
        t = dt(self._step)
        b1_power, b2_power = np.power(dt(self.beta_1), t), np.power(dt(self.beta_2), t)
        s = self._scalar
        m.assign_add(sr.subtract(gradient, m) * s(variable, 1 - self.beta_1))
        v.assign_add(sr.subtract(sr.square(gradient), v) * s(variable, 1 - self.beta_2))
        m_hat = m / float(dt(1.0) - b1_power)
        v_sqrt = math_ops.sqrt(v / float(dt(1.0) - b2_power)) + s(variable, self.epsilon)
        update = m_hat / v_sqrt
        w_norm = math_ops.sqrt(math_ops.reduce_sum(math_ops.pow(variable, 2.0)))
        g_norm = math_ops.sqrt(math_ops.reduce_sum(math_ops.pow(update, 2.0)))
        one = array_ops.ones_like(w_norm)
        ratio = array_ops.where(math_ops.greater(w_norm, 0),
                                array_ops.where(math_ops.greater(g_norm, 0), w_norm / g_norm, one), one)
        variable.assign_sub(ratio * learning_rate * update)


class Adafactor(_StepOptimizer):
    """Adafactor, as `keras.optimizers.Adafactor`: for each variable of rank >= 2 a row factor `r` (shape
    without the last dimension) and a column factor `c` (without the second last) of the squared gradient,
    named after the variable; for smaller variables two int32 scalar placeholders; then `velocity`.

    >>> w = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> _ = ef.optimizers.Adafactor(learning_rate=0.1).apply_gradients([(ef.ones([2, 2]), w)])
    >>> w.numpy().round(4)
    array([[0.7261, 1.7261],
           [2.7261, 3.7261]], dtype=float32)
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ("beta_2_decay", "epsilon_1", "epsilon_2", "clip_threshold", "relative_step")

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                 relative_step=True, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_2_decay, self.epsilon_1, self.epsilon_2 = beta_2_decay, epsilon_1, epsilon_2
        self.clip_threshold, self.relative_step = clip_threshold, relative_step
        self._SLOTS = ()

    def _build_extra(self, var_list):
        self._r, self._c, self._v = [], [], []
        for reference in var_list:
            var = unwrap(reference)
            shape = tuple(var.shape.as_list())
            # Keras names them after the variable's name, as it is (an ef.Variable's keeps its ':0'); a name
            # with '/' is refused as Keras refuses it
            label = reference.name if isinstance(reference, KerasVariable) else var.name
            if "/" in label:
                raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: "
                                 f"name={label} (Adafactor names its factored slots after the variable; create "
                                 f"the variable outside name scopes or as a Keras variable)")
            with name_scope(f"{self.name}/"):
                if len(shape) < 2:
                    r = Variable(0, name=label, trainable=False)
                    c = Variable(0, name=label, trainable=False)
                else:
                    r = Variable(array_ops.zeros(shape[:-1], var.dtype), name=label, trainable=False)
                    c = Variable(array_ops.zeros(shape[:-2] + shape[-1:], var.dtype), name=label, trainable=False)
            self._r.append(self._track(r))
            self._c.append(self._track(c))
            self._v.append(self._add_slot(reference, "velocity"))

    def _slots_for(self, var):
        index = self._trainable_variables_indices.get(id(var))
        return {} if index is None else {"velocity": self._v[index]}

    def get_slot_names(self):
        return ["velocity"]

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        r, c, v = self._r[i], self._c[i], self._v[i]
        dt = _np(variable)
        t = dt(self._step)
        lr = dt(learning_rate)
        inv_sqrt_t = dt(1) / np.sqrt(t)
        scheduled = isinstance(self._learning_rate, LearningRateSchedule) or (
            callable(self._learning_rate) and not isinstance(self._learning_rate, Variable))
        if not scheduled and self.relative_step:
            lr = min(lr, inv_sqrt_t)
        rho_t = min(lr, inv_sqrt_t)
        rms_w = math_ops.sqrt(math_ops.reduce_mean(math_ops.square(variable)))
        alpha_t = math_ops.maximum(self._scalar(variable, self.epsilon_2), rms_w) * float(rho_t)
        squared = sr.add(sr.square(gradient), self._scalar(variable, self.epsilon_1))
        beta_2_t = dt(1) - np.power(t, dt(self.beta_2_decay))
        if len(variable.shape) >= 2:
            r.assign(float(beta_2_t) * r + float(dt(1) - beta_2_t) * math_ops.reduce_mean(squared, axis=-1))
            c.assign(float(beta_2_t) * c + float(dt(1) - beta_2_t) * math_ops.reduce_mean(squared, axis=-2))
            v.assign(array_ops.expand_dims(r / math_ops.reduce_mean(r, axis=-1, keepdims=True), -1)
                     * array_ops.expand_dims(c, -2))
        else:
            v.assign(float(beta_2_t) * v + float(dt(1) - beta_2_t) * squared)
        u = sr.divide(gradient, math_ops.sqrt(v))
        rms_u = math_ops.sqrt(sr.mean(sr.square(u)))
        u_hat = sr.divide(u, math_ops.maximum(array_ops.ones_like(rms_u),
                                              rms_u / self._scalar(variable, self.clip_threshold)))
        sr.assign(variable, sr.multiply(alpha_t, u_hat), "assign_sub")


class ScheduleFreeAdamW(_StepOptimizer):
    """Schedule-Free AdamW, as `keras.optimizers.ScheduleFreeAdamW`: slots `momentum` (the sequence the
    gradient steps move, starting at the variable's value) and `velocity`; the variable holds the
    interpolation between `momentum` and the running average x; `warmup_steps` ramps the rate up linearly.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.ScheduleFreeAdamW(learning_rate=0.1).apply_gradients([(ef.constant([2.0]), w)])
    >>> round(float(w[0]), 4)
    0.9
    """

    _CONFIG = ("beta_1", "beta_2", "epsilon", "warmup_steps")

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon, self.warmup_steps = beta_1, beta_2, epsilon, warmup_steps
        self._SLOTS = (("momentum", "_momentums"), ("velocity", "_velocities"))

    def _build_extra(self, var_list):
        for momentum, var in zip(self._momentums, var_list):
            momentum.assign(unwrap(var))

    def update_step(self, gradient, variable, learning_rate):
        i = self._index(variable)
        momentum, velocity = self._momentums[i], self._velocities[i]
        dt = _np(variable)
        t = dt(self._step)
        lr = dt(learning_rate)
        if self.warmup_steps > 0:
            lr = lr * min(t / dt(self.warmup_steps), dt(1.0))
        b1, b2 = dt(self.beta_1), dt(self.beta_2)
        bias_correction_2 = dt(1) - np.power(b2, t)
        velocity.assign_add((math_ops.square(gradient) - velocity) * float(dt(1) - b2))
        denom = math_ops.sqrt(velocity / float(bias_correction_2)) + self._scalar(variable, self.epsilon)
        momentum.assign_sub((float(lr) * gradient) / denom)
        weight = dt(1.0) / t
        # Keras reads `momentum.value` before the step, which under TF is the variable itself: x_old uses the
        # updated momentum, and so does this (what TF's Keras computes).
        x_old = (variable - float(dt(1) - b1) * momentum) / float(b1)
        x_new = float(dt(1) - weight) * x_old + float(weight) * momentum
        variable.assign(float(dt(1) - b1) * momentum + float(b1) * x_new)
