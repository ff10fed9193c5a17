"""`Adagrad`, Keras 3's update rule."""

from eagerflow.ops import math_ops
from eagerflow.optimizers import sparse_rules as sr
from eagerflow.optimizers.optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad, as `keras.optimizers.Adagrad`: slot `accumulator` per variable, starting at
    `initial_accumulator_value`; `acc += g**2; w -= lr * g / sqrt(acc + epsilon)`.

    >>> w = ef.Variable([1.0])
    >>> _ = ef.optimizers.Adagrad(learning_rate=0.1).apply_gradients([(ef.constant([1.0]), w)])
    >>> round(float(w[0]), 4)
    0.9047
    """

    _SPARSE = True  # update_step follows Keras's rules for an IndexedSlices gradient (sparse_rules)

    _CONFIG = ('initial_accumulator_value', 'epsilon')

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, name=None, **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        if initial_accumulator_value < 0:
            raise ValueError(f"`initial_accumulator_value` must be non-negative. Received: "
                             f"initial_accumulator_value={initial_accumulator_value}")
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon
        self._SLOTS = (("accumulator", "_accumulators"),)
        self._accumulators = []

    def _slot_initial_value(self, slot):
        return self.initial_accumulator_value

    def update_step(self, gradient, variable, learning_rate):
        accumulator = self._accumulators[self._trainable_variables_indices[id(variable)]]
        sr.assign(accumulator, sr.square(gradient), "assign_add")
        denominator = math_ops.sqrt(accumulator + self._scalar(variable, self.epsilon))
        sr.assign(variable, sr.divide(sr.multiply(learning_rate, gradient), denominator), "assign_sub")
