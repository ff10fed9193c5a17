"""Learning-rate schedules (`ef.optimizers.schedules`), as `keras.optimizers.schedules`.

A schedule is called with the optimizer's step (its `iterations`, before the update) and
returns the learning rate for that step as a float32 tensor.

>>> s = ef.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
>>> round(float(s(10)), 6)
0.05
"""

import math

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.ops import math_ops

__all__ = ["LearningRateSchedule", "ExponentialDecay", "PiecewiseConstantDecay", "InverseTimeDecay", "PolynomialDecay",
           "CosineDecay", "CosineDecayRestarts", "serialize", "deserialize"]


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


class PolynomialDecay(LearningRateSchedule):
    """From `initial_learning_rate` to `end_learning_rate` over `decay_steps` along `(1 - step/decay_steps) **
    power`; with `cycle`, decay_steps grows to the next multiple of itself beyond the step.

    >>> s = ef.optimizers.schedules.PolynomialDecay(1.0, 4, end_learning_rate=0.0)
    >>> [float(s(k)) for k in (0, 2, 4, 8)]
    [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        initial = convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        end = math_ops.cast(self.end_learning_rate, dtype)
        power = math_ops.cast(self.power, dtype)
        t = math_ops.cast(step, dtype)
        steps = math_ops.cast(self.decay_steps, dtype)
        if self.cycle:
            multiplier = 1.0 if float(t) == 0 else math_ops.ceil(t / self.decay_steps)
            steps = steps * multiplier
        else:
            t = math_ops.minimum(t, steps)
        p = t / steps
        return (initial - end) * math_ops.pow(1 - p, power) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay from the rate (after an optional linear warmup to `warmup_target` over `warmup_steps`) to
    `alpha` times it over `decay_steps`.

    >>> s = ef.optimizers.schedules.CosineDecay(1.0, 10)
    >>> [round(float(s(k)), 4) for k in (0, 5, 10, 20)]
    [1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def _decay(self, step, decay_steps, decay_from, dtype):
        fraction = step / decay_steps
        cosine = 0.5 * (1.0 + math_ops.cos(convert_to_tensor(math.pi, dtype=dtype) * fraction))
        return decay_from * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        initial = convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        decay_steps = math_ops.cast(self.decay_steps, dtype)
        t = math_ops.cast(step, dtype)
        if self.warmup_target is None:
            return self._decay(math_ops.minimum(t, decay_steps), decay_steps, initial, dtype)
        target = math_ops.cast(self.warmup_target, dtype)
        warmup = math_ops.cast(self.warmup_steps, dtype)
        t = math_ops.minimum(t, decay_steps + warmup)
        if bool(t < warmup):
            return (target - initial) * (t / warmup) + initial
        return self._decay(t - warmup, decay_steps, target, dtype)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): periods of `first_decay_steps` growing by `t_mul`, each restart's
    rate scaled by `m_mul`, down to `alpha` times it.

    >>> s = ef.optimizers.schedules.CosineDecayRestarts(1.0, 2, t_mul=1.0)
    >>> [round(float(s(k)), 4) for k in range(5)]
    [1.0, 0.5, 1.0, 0.5, 1.0]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        if first_decay_steps <= 0:
            raise ValueError(f"Argument `first_decay_steps` must be > 0. Received: "
                             f"first_decay_steps={first_decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        initial = convert_to_tensor(self.initial_learning_rate)
        dtype = initial.dtype
        first = math_ops.cast(self.first_decay_steps, dtype)
        alpha = math_ops.cast(self.alpha, dtype)
        t_mul = math_ops.cast(self._t_mul, dtype)
        m_mul = math_ops.cast(self._m_mul, dtype)
        fraction = math_ops.cast(step, dtype) / first
        if float(t_mul) == 1.0:
            i_restart = math_ops.floor(fraction)
            fraction = fraction - i_restart
        else:
            i_restart = math_ops.floor(math_ops.log(math_ops.cast(1.0 - fraction * (1.0 - t_mul), dtype))
                                       / math_ops.log(t_mul))
            sum_r = (1.0 - math_ops.pow(t_mul, i_restart)) / (1.0 - t_mul)
            fraction = (fraction - sum_r) / math_ops.pow(t_mul, i_restart)
        m_fac = math_ops.pow(m_mul, i_restart)
        cosine = 0.5 * m_fac * (1.0 + math_ops.cos(convert_to_tensor(math.pi, dtype=dtype) * fraction))
        return initial * ((1 - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_SCHEDULES = {c.__name__: c for c in (ExponentialDecay, PiecewiseConstantDecay, InverseTimeDecay, PolynomialDecay,
                                      CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """The schedule as Keras's JSON-compatible dict: module, class_name, config, registered_name.

    >>> ef.optimizers.schedules.serialize(ef.optimizers.schedules.CosineDecay(0.1, 10))["class_name"]
    'CosineDecay'
    """
    if not isinstance(learning_rate_schedule, LearningRateSchedule):
        raise TypeError(f"Could not serialize {learning_rate_schedule!r}: it is not a LearningRateSchedule")
    cls = type(learning_rate_schedule)
    builtin = _SCHEDULES.get(cls.__name__) is cls
    return {"module": "keras.optimizers.schedules" if builtin else cls.__module__, "class_name": cls.__name__,
            "config": learning_rate_schedule.get_config(),
            "registered_name": None if builtin else cls.__name__}


def deserialize(config, custom_objects=None):
    """The schedule a `serialize` dict (or a {'class_name', 'config'} dict) describes.

    >>> s = ef.optimizers.schedules.deserialize({"class_name": "PolynomialDecay",
    ...                                          "config": {"initial_learning_rate": 0.1, "decay_steps": 10}})
    >>> type(s).__name__
    'PolynomialDecay'
    """
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _SCHEDULES.get(name)
    if cls is None:
        raise ValueError(f"Could not locate class '{name}'. Make sure custom classes are passed in custom_objects "
                         f"(known: {sorted(_SCHEDULES)}).")
    return cls.from_config(config["config"])
