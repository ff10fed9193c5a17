"""`SGD`: gradient descent with optional (Nesterov) momentum, Keras 3's update rule."""

import numbers

from eagerflow.optimizers import sparse_rules as sr
from eagerflow.optimizers.optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """Gradient descent (with momentum), as `keras.optimizers.SGD`.

    Without momentum: `w -= learning_rate * g`. With momentum (slot `momentum`, one per variable):
    `m = momentum * m - learning_rate * g; w += m`; Nesterov: `w += momentum * m - learning_rate * g`.

    >>> w = ef.Variable([1.0])
    >>> opt = ef.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     _ = opt.apply_gradients([(ef.constant([1.0]), w)])
    >>> round(float(w[0]), 4)
    0.71
    """

    _TENSOR_RATE = True

    _CONFIG = ('momentum', 'nesterov')

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if not isinstance(momentum, numbers.Real) or isinstance(momentum, bool) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        # Keras keeps SGD's slots in the public `momentums` list (empty without momentum).
        self._SLOTS = (("momentum", "momentums"),) if self.momentum != 0 else ()
        self.momentums = []

    _SPARSE = True

    def update_step(self, gradient, variable, learning_rate):
        if self.momentum == 0:  # an IndexedSlices gradient: a scatter update of its rows
            sr.assign(variable, sr.multiply(gradient, learning_rate), "assign_sub")
            return
        m = self.momentums[self._trainable_variables_indices[id(variable)]]
        momentum = self._scalar(variable, self.momentum)
        m.assign(sr.subtract(m * momentum, sr.multiply(gradient, learning_rate)))
        if self.nesterov:
            variable.assign_add(sr.subtract(m * momentum, sr.multiply(gradient, learning_rate)))
        else:
            variable.assign_add(m)
