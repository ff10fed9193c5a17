"""`ef.nn.experimental`: dropout with a stateless seed or a caller's sampler."""

import numbers

from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.ops import array_ops, math_ops, stateless_random_ops

__all__ = ["stateless_dropout", "general_dropout"]


def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None):
    """Dropout whose keep mask compares `uniform_sampler(shape=..., dtype=...)` values in [0, 1) with `rate`.

    >>> y = ef.nn.experimental.general_dropout(ef.ones([4]), 0.5, lambda shape, dtype: ef.constant([0.1, 0.9] * 2))
    >>> y.numpy()
    array([0., 2., 0., 2.], dtype=float32)
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                         f"x_dtype={x.dtype!r}. Cast it first, e.g. ef.cast(x, ef.float32).")
    if is_tensor_like(rate):
        rate = float(convert_to_tensor(rate).numpy())
    if not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    if rate == 0:
        return x
    shape = x.shape.as_list() if noise_shape is None else list(noise_shape)
    keep = math_ops.greater_equal(uniform_sampler(shape=shape, dtype=x.dtype), rate)
    scaled = x * (1.0 / (1.0 - rate))
    return array_ops.where(keep, scaled, array_ops.zeros_like(scaled))


def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    """Dropout whose mask is a function of `seed` (shape [2]): the same seed drops the same elements.

    >>> a = ef.nn.experimental.stateless_dropout(ef.ones([8]), 0.5, seed=[1, 2])
    >>> bool(ef.reduce_all(a == ef.nn.experimental.stateless_dropout(ef.ones([8]), 0.5, seed=[1, 2])))
    True
    """
    def sampler(shape, dtype):
        return stateless_random_ops.stateless_uniform(shape, seed, dtype=dtype, alg=rng_alg or "auto_select")
    return general_dropout(x, rate, sampler, noise_shape)
