"""`RMSprop`, Keras 3's update rule."""

from eagerflow.ops import math_ops
from eagerflow.optimizers import sparse_rules as sr
from eagerflow.optimizers.optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop, as `keras.optimizers.RMSprop`: slots `velocity` (+ `momentum` when momentum > 0,
    + `average_gradient` when centered).

    `v = rho * v + (1 - rho) * g**2`; centered: `a = rho * a + (1 - rho) * g`, denominator
    `v - a**2 + epsilon`, else `v + epsilon`; `increment = lr * g / sqrt(denominator)`;
    with momentum `m = momentum * m + increment; w -= m`, else `w -= increment`.

    >>> w = ef.Variable(10.0)
    >>> _ = ef.optimizers.RMSprop(learning_rate=0.1).apply_gradients([(w, w)])   # the gradient of w**2 / 2
    >>> round(float(w), 5)
    9.68377
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ('rho', 'momentum', 'epsilon', 'centered')

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = bool(centered)
        slots = [("velocity", "_velocities")]
        if momentum > 0:
            slots.append(("momentum", "_momentums"))
        if self.centered:
            slots.append(("average_gradient", "_average_gradients"))
        self._SLOTS = tuple(slots)
        self._velocities = []
        self._momentums = []
        self._average_gradients = []

    def update_step(self, gradient, variable, learning_rate):
        index = self._trainable_variables_indices[id(variable)]
        s = self._scalar
        rho, one_minus_rho = s(variable, self.rho), s(variable, 1 - self.rho)
        velocity = self._velocities[index]
        velocity.assign(sr.add(rho * velocity, sr.multiply(one_minus_rho, sr.square(gradient))))
        if self.centered:
            average = self._average_gradients[index]
            average.assign(sr.add(rho * average, sr.multiply(one_minus_rho, gradient)))
            denominator = velocity - math_ops.square(average) + s(variable, self.epsilon)
        else:
            denominator = velocity + s(variable, self.epsilon)
        increment = sr.divide(sr.multiply(learning_rate, gradient), math_ops.sqrt(denominator))
        if self.momentum > 0:
            momentum = self._momentums[index]
            momentum.assign(sr.add(s(variable, self.momentum) * momentum, increment))
            variable.assign_sub(momentum)
        else:
            sr.assign(variable, increment, "assign_sub")
