"""TF-2's initializer classes (`ef.zeros_initializer`, `ef.constant_initializer`, ...): callables
`init(shape, dtype)` that give a tensor, as the `initializer` of variables and layers.
"""

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.ops import array_ops, math_ops, random_ops, stateless_random_ops
from eagerflow.ops.array_ops import _ints

__all__ = ["zeros_initializer", "ones_initializer", "constant_initializer", "random_normal_initializer",
           "random_uniform_initializer"]


class _Initializer:
    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _dtype(dtype, default=_dtypes.float32):
    return default if dtype is None else _dtypes.as_dtype(dtype)


class zeros_initializer(_Initializer):  # noqa: N801 - TF's name
    """Zeros of the shape and dtype asked for.

    >>> ef.zeros_initializer()([2], ef.int32).numpy()
    array([0, 0], dtype=int32)
    """

    def __call__(self, shape, dtype=_dtypes.float32, **kwargs):
        return array_ops.zeros(_ints(shape, "shape"), dtype=_dtype(dtype))


class ones_initializer(_Initializer):  # noqa: N801 - TF's name
    """Ones of the shape and dtype asked for.

    >>> ef.ones_initializer()([2]).numpy()
    array([1., 1.], dtype=float32)
    """

    def __call__(self, shape, dtype=_dtypes.float32, **kwargs):
        return array_ops.ones(_ints(shape, "shape"), dtype=_dtype(dtype))


class constant_initializer(_Initializer):  # noqa: N801 - TF's name
    """`value` (a scalar, filled in; or a list/array with exactly as many elements as the shape, reshaped).

    >>> ef.constant_initializer([1, 2, 3, 4])([2, 2], ef.float32).numpy()
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """

    def __init__(self, value=0, support_partition=False):
        if not (isinstance(value, (int, float, complex, list, tuple)) or hasattr(value, "shape")
                or is_tensor_like(value)):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__} (expected Python scalar, list "
                            f"or tuple of values, or numpy.ndarray).")
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        """As TF: `ef.constant(value, dtype, shape)`, so with no dtype the value's own dtype."""
        shape = _ints(shape, "shape")
        value = convert_to_tensor(self.value) if dtype is None else convert_to_tensor(self.value, dtype=dtype) \
            if not is_tensor_like(self.value) else math_ops.cast(self.value, dtype)
        if value.shape.as_list() == list(shape):
            return value
        if value.ndim == 0:
            return array_ops.fill(shape, value)
        size = 1
        for d in shape:
            size *= d
        if value.shape.num_elements() != size:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {value.numpy()} "
                            f"(converted from {self.value}) has {value.shape.num_elements()} elements, but got "
                            f"`shape` {tuple(shape)} with {size} elements).")
        return array_ops.reshape(value, shape)

    def get_config(self):
        return {"value": self.value}


class random_normal_initializer(_Initializer):  # noqa: N801 - TF's name
    """Draws from N(mean, stddev^2) (with `seed`, reproducibly).

    >>> ef.random_normal_initializer(stddev=0.0, mean=2.0)([2]).numpy()
    array([2., 2.], dtype=float32)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=_dtypes.float32, **kwargs):
        dtype = _dtype(dtype)
        if not dtype.is_floating:
            raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype.name}.")
        if self.seed:  # as TF: a seed makes the draws stateless, from the seed [seed, 0]
            return stateless_random_ops.stateless_normal(shape, [self.seed, 0], self.mean, self.stddev, dtype)
        return random_ops.normal(shape, self.mean, self.stddev, dtype=dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class random_uniform_initializer(_Initializer):  # noqa: N801 - TF's name
    """Draws uniformly from [minval, maxval) (with `seed`, reproducibly).

    >>> x = ef.random_uniform_initializer(-1.0, 1.0, seed=1)([1000])
    >>> bool(ef.reduce_all(x >= -1.0)) and bool(ef.reduce_all(x < 1.0))
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=_dtypes.float32, **kwargs):
        dtype = _dtype(dtype)
        if self.seed:  # as TF: a seed makes the draws stateless, from the seed [seed, 0]
            return stateless_random_ops.stateless_uniform(shape, [self.seed, 0], self.minval, self.maxval, dtype)
        return random_ops.uniform(shape, self.minval, self.maxval, dtype=dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}
