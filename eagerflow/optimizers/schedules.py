"""Learning-rate schedules (`ef.optimizers.schedules`), as `keras.optimizers.schedules`.

A schedule is called with the optimizer's step (its `iterations`, before the update) and
returns the learning rate for that step as a float32 tensor.

>>> s = ef.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> round(float(s(10)), 6)
0.05
"""

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.ops import math_ops

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "InverseTimeDecay"]


def _step_value(step):
    """The step as a Python number (an int for integer steps)."""
    t = convert_to_tensor(step)
    value = t._host()
    return int(value) if t.dtype.is_integer else float(value)


class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config()`."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  f"`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
                                  f"in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _DecaySchedule(LearningRateSchedule):
    """The shared arguments of the decays: a rate applied over `step / decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name or type(self).__name__

    def _terms(self, step):
        """(initial rate, decay rate, progress), in the dtype of the initial rate; progress is floored
        when `staircase`."""
        initial = convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        p = math_ops.cast(step, dtype) / math_ops.cast(self.decay_steps, dtype)
        if self.staircase:
            p = math_ops.floor(p)
        return initial, math_ops.cast(self.decay_rate, dtype), p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_DecaySchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`; `staircase` floors the exponent.

    Computed in the dtype of `initial_learning_rate` (float32 for a Python float), as Keras.

    >>> s = ef.optimizers.schedules.ExponentialDecay(1.0, 2, 0.5, staircase=True)
    >>> [float(s(k)) for k in range(5)]
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __call__(self, step):
        initial, rate, p = self._terms(step)
        return initial * math_ops.pow(rate, p)


class InverseTimeDecay(_DecaySchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (floored quotient if `staircase`)."""

    def __call__(self, step):
        initial, rate, p = self._terms(step)
        return initial / (1 + rate * p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` while `step <= boundaries[0]`, `values[i]` while `boundaries[i-1] < step <= boundaries[i]`,
    `values[-1]` after the last boundary.

    >>> s = ef.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
    >>> [round(float(s(k)), 2) for k in (0, 2, 3, 4, 5)]
    [1.0, 1.0, 0.5, 0.5, 0.1]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"The length of boundaries should be 1 less than the length of values. Received: "
                             f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length "
                             f"{len(values)}.")
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise ValueError(f"`boundaries` must be strictly increasing. Received: boundaries={boundaries}")
        self.boundaries = list(boundaries)
        self.values = list(values)
        self.name = name

    def __call__(self, step):
        s = _step_value(step)
        index = len(self.boundaries)
        for i, b in enumerate(self.boundaries):
            if s <= b:
                index = i
                break
        first = convert_to_tensor(self.values[0])
        value = convert_to_tensor(self.values[index])
        return value if value.dtype is first.dtype else math_ops.cast(value, first.dtype)

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


def _is_float_dtype(dtype):
    return _dtypes.as_dtype(dtype).is_floating
