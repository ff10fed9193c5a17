"""`Adam` and `AdamW`, Keras 3's update rules."""

import numpy as np

from eagerflow.ops import math_ops
from eagerflow.optimizers import sparse_rules as sr
from eagerflow.optimizers.optimizer import Optimizer

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam, as `keras.optimizers.Adam`: slots `momentum` (m) and `velocity` (v) per variable
    (and `velocity_hat` with `amsgrad`).

    Per step t (1-based): `alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`,
    `m += (g - m) * (1 - beta_1)`, `v += (g**2 - v) * (1 - beta_2)`,
    `w -= m * alpha / (sqrt(v) + epsilon)` (`v_hat = max(v_hat, v)` replaces v under amsgrad).

    >>> w = ef.Variable([1.0, 2.0], name="w")
    >>> opt = ef.optimizers.Adam(learning_rate=0.1, name="adam")
    >>> _ = opt.apply_gradients([(ef.constant([0.5, -0.5]), w)])
    >>> w.numpy().round(4)
    array([0.9, 2.1], dtype=float32)
    >>> [v.path for v in opt.variables]
    ['adam/iteration', 'adam/learning_rate', 'adam/w_0_momentum', 'adam/w_0_velocity']
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ('beta_1', 'beta_2', 'epsilon', 'amsgrad')

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, name=None,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = bool(amsgrad)
        self._SLOTS = (("momentum", "_momentums"), ("velocity", "_velocities"))
        if self.amsgrad:
            self._SLOTS += (("velocity_hat", "_velocity_hats"),)
        self._momentums = []
        self._velocities = []
        if self.amsgrad:
            self._velocity_hats = []

    def _prepare(self, learning_rate):
        self._step = int(self._iterations.numpy()) + 1  # a read a traced ef.function sees (not replayed)
        self._alphas = {}

    def _alpha(self, variable, learning_rate):
        """lr * sqrt(1 - beta_2**t) / (1 - beta_1**t), computed in the variable's precision as Keras."""
        np_dtype = variable.dtype.as_numpy_dtype
        alpha = self._alphas.get(np_dtype)
        if alpha is None:
            one = np_dtype(1)
            t = np_dtype(self._step)
            b1p = np.power(np_dtype(self.beta_1), t)
            b2p = np.power(np_dtype(self.beta_2), t)
            alpha = float(np_dtype(learning_rate) * np.sqrt(one - b2p) / (one - b1p))
            self._alphas[np_dtype] = alpha
        return alpha

    def update_step(self, gradient, variable, learning_rate):
        index = self._trainable_variables_indices[id(variable)]
        m = self._momentums[index]
        v = self._velocities[index]
        alpha = self._alpha(variable, learning_rate)
        m.assign_add(sr.subtract(gradient, m) * self._scalar(variable, 1 - self.beta_1))
        v.assign_add(sr.subtract(sr.square(gradient), v) * self._scalar(variable, 1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            v_hat.assign(math_ops.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (math_ops.sqrt(v) + self._scalar(variable, self.epsilon)))


class AdamW(Adam):
    """Adam with decoupled weight decay, as `keras.optimizers.AdamW`: before each update,
    `w -= w * weight_decay * learning_rate`, then the Adam step.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.AdamW(learning_rate=0.1, weight_decay=0.5).apply_gradients([(ef.constant([0.0]), w)])
    >>> round(float(w[0]), 4)
    0.95
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, name=name, weight_decay=weight_decay, **kwargs)
