"""`ef.keras.initializers`: Keras 3's initializers (as TF 2.21's `tf.keras.initializers`).

Each is a callable `init(shape, dtype=None)` (dtype defaults to float32) with Keras's `get_config`,
`from_config` and `clone`; `get`, `serialize` and `deserialize` take Keras's identifiers (class names,
their snake-case names and Keras's aliases `normal`, `uniform`, `one`, `zero`, dicts, callables, arrays).
The layers take the same identifiers (`Dense(kernel_initializer="he_normal")`).

Random initializers draw stateless values from their seed, so calling one twice gives the same values, as
Keras; `seed=None` takes a seed from eagerflow's global random stream when the initializer is made, so that
`ef.random.set_seed` makes a model's weights reproducible. The values differ from TF's for the same seed
(see "Random numbers" in docs/differences_from_tensorflow.md); their distributions are Keras's.

>>> init = ef.keras.initializers.GlorotUniform(seed=1)
>>> init.get_config()
{'seed': 1, 'input_axes': None, 'output_axes': None}
>>> bool(ef.reduce_all(init([2, 3]) == init([2, 3])))
True
"""

import inspect
import math
import re

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.framework.tensor import Tensor
from eagerflow.ops import array_ops, linalg_ops, math_ops, random_ops, stateless_random_ops
from eagerflow.variables import Variable

__all__ = ["Initializer", "Constant", "Zeros", "Ones", "Identity", "RandomNormal", "RandomUniform", "TruncatedNormal",
           "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal",
           "Orthogonal", "IdentityInitializer", "OrthogonalInitializer", "get", "serialize", "deserialize",
           "compute_fans", "constant", "zeros", "ones", "identity", "random_normal", "random_uniform",
           "truncated_normal", "variance_scaling", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
           "lecun_uniform", "lecun_normal", "orthogonal"]


def _dtype(dtype):
    return _dtypes.float32 if dtype is None else _dtypes.as_dtype(dtype)


class Initializer:
    """Base class: subclasses implement `__call__(shape, dtype=None)` and, with arguments, `get_config()`."""

    _KERAS_FILE = None   # where Keras defines a built-in one (its repr names it)

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement the `__call__()` method.")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())

    def __repr__(self):
        if self._KERAS_FILE is None or type(self).__module__ != __name__:
            return object.__repr__(self)
        return f"<keras.src.initializers.{self._KERAS_FILE}.{type(self).__name__} object at {id(self):#x}>"


# ----------------------------------------------------------------------------- constants

class Constant(Initializer):
    """`value` (a scalar, or anything that broadcasts to the shape) everywhere."""

    _KERAS_FILE = "constant_initializers"

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        return math_ops.multiply(math_ops.cast(self.value, dtype), array_ops.ones(shape, dtype=dtype))

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    """Zeros of any dtype (empty strings, False)."""

    _KERAS_FILE = "constant_initializers"

    def __call__(self, shape, dtype=None):
        return array_ops.zeros(shape, dtype=_dtype(dtype))


class Ones(Initializer):
    _KERAS_FILE = "constant_initializers"

    def __call__(self, shape, dtype=None):
        return array_ops.ones(shape, dtype=_dtype(dtype))


class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only). Its config is `{}`, as Keras's (the gain is not in it)."""

    _KERAS_FILE = "constant_initializers"

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return math_ops.multiply(self.gain, array_ops.eye(*shape, dtype=_dtype(dtype)))


# ----------------------------------------------------------------------------- random

class RandomInitializer(Initializer):
    """Holds the seed: an int (the same values at every call), or None (one drawn when the initializer is made)."""

    def __init__(self, seed=None):
        self._init_seed = seed
        if seed is None:  # as Keras's make_default_seed, drawn without an op (Keras's runs none)
            seed = int(random_ops._op_rng(None).integers(1, 10**9, size=(), dtype=np.int64))
        elif not isinstance(seed, (int, np.integer)):
            raise ValueError("`seed` argument should be an instance of `keras.random.SeedGenerator()` or an integer. "
                             f"Received: seed={seed}")
        self.seed = int(seed)

    def _seed_pair(self):
        """The seed of a stateless draw as Keras's TF backend makes it: [seed, 0] as uint32 (by a Cast, as Keras
        converts to integer dtypes), reduced modulo int32's largest value minus one, cast to int32."""
        pair = math_ops.cast(convert_to_tensor([self.seed, 0]), _dtypes.uint32)
        return math_ops.cast(math_ops.floormod(pair, _INT32_MAX - 1), _dtypes.int32)

    def get_config(self):
        return {"seed": self._init_seed}


class RandomNormal(RandomInitializer):
    _KERAS_FILE = "random_initializers"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return stateless_random_ops.stateless_normal(shape, self._seed_pair(), self.mean, self.stddev, _dtype(dtype))

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Normal values within two standard deviations of `mean`."""

    _KERAS_FILE = "random_initializers"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev = mean, stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return stateless_random_ops.stateless_truncated_normal(shape, self._seed_pair(), self.mean, self.stddev,
                                                               _dtype(dtype))

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Uniform values in [minval, maxval) (integers for an integer dtype: the bounds truncated, as TF casts)."""

    _KERAS_FILE = "random_initializers"

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval = minval, maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _uniform(shape, self.minval, self.maxval, dtype, self._seed_pair())

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


def _uniform(shape, minval, maxval, dtype, seed):
    """Keras's uniform draw: the bounds cast to `dtype` first (so truncated for an integer dtype), as Keras."""
    dtype = _dtype(dtype)
    return stateless_random_ops.stateless_uniform(shape, seed, math_ops.cast(minval, dtype),
                                                  math_ops.cast(maxval, dtype), dtype)


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) of a weight shape, as Keras: the given axes' sizes multiplied, else the last two
    dimensions times the receptive field (a convolution kernel's leading dimensions)."""
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return int(math.prod(shape[a] for a in input_axes)), int(math.prod(shape[a] for a in output_axes))
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive = math.prod(shape[:-2])
    return int(shape[-2] * receptive), int(shape[-1] * receptive)


_INT32_MAX = 2 ** 31 - 1
_TRUNCATED_STDDEV = 0.87962566103423978   # the standard deviation of a unit normal truncated at two


class VarianceScaling(RandomInitializer):
    """Values of variance `scale / n` (n: fan_in, fan_out or their mean), from a truncated normal, a normal
    ('untruncated_normal') or a uniform distribution."""

    _KERAS_FILE = "random_initializers"

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None,
                 output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        allowed_modes = {"fan_in", "fan_out", "fan_avg"}
        if mode not in allowed_modes:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {allowed_modes}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        allowed_distributions = {"uniform", "truncated_normal", "untruncated_normal"}
        if distribution not in allowed_distributions:
            raise ValueError(f"Invalid `distribution` argument: {distribution}.Please use one of "
                             f"{allowed_distributions}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.input_axes, self.output_axes = input_axes, output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        dtype = _dtype(dtype)
        if self.distribution == "truncated_normal":
            return stateless_random_ops.stateless_truncated_normal(
                shape, self._seed_pair(), 0.0, math.sqrt(scale) / _TRUNCATED_STDDEV, dtype)
        if self.distribution == "untruncated_normal":
            return stateless_random_ops.stateless_normal(shape, self._seed_pair(), 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return _uniform(shape, -limit, limit, dtype, self._seed_pair())

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "input_axes": self.input_axes, "output_axes": self.output_axes}


def _variance_scaling(name, scale, mode, distribution, doc):
    """A VarianceScaling with fixed arguments (GlorotUniform, HeNormal, ...), configured by seed and axes only."""

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale=scale, mode=mode, distribution=distribution, seed=seed,
                                 input_axes=input_axes, output_axes=output_axes)

    def get_config(self):
        return {"seed": self._init_seed, "input_axes": self.input_axes, "output_axes": self.output_axes}

    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config, "__doc__": doc,
                                           "__module__": __name__})


GlorotUniform = _variance_scaling("GlorotUniform", 1.0, "fan_avg", "uniform",
                                  "Uniform in +-sqrt(6 / (fan_in + fan_out)).")
GlorotNormal = _variance_scaling("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                                 "Truncated normal of stddev sqrt(2 / (fan_in + fan_out)).")
LecunUniform = _variance_scaling("LecunUniform", 1.0, "fan_in", "uniform", "Uniform in +-sqrt(3 / fan_in).")
LecunNormal = _variance_scaling("LecunNormal", 1.0, "fan_in", "truncated_normal",
                                "Truncated normal of stddev sqrt(1 / fan_in).")
HeUniform = _variance_scaling("HeUniform", 2.0, "fan_in", "uniform", "Uniform in +-sqrt(6 / fan_in).")
HeNormal = _variance_scaling("HeNormal", 2.0, "fan_in", "truncated_normal",
                             "Truncated normal of stddev sqrt(2 / fan_in).")


class Orthogonal(RandomInitializer):
    """`gain` times an orthogonal matrix (the Q of a normal matrix's QR, signs fixed by R's diagonal), reshaped."""

    _KERAS_FILE = "random_initializers"

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. Received: "
                             f"shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = stateless_random_ops.stateless_normal((max(rows, cols), min(rows, cols)), self._seed_pair(),
                                                  dtype=_dtype(dtype))
        q, r = linalg_ops.qr(a)
        q = math_ops.multiply(q, math_ops.sign(linalg_ops.diag_part(r)))
        if rows < cols:
            q = array_ops.transpose(q)
        return math_ops.multiply(self.gain, array_ops.reshape(q, shape))

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal

# Keras's lower-case names are the classes themselves
constant, zeros, ones, identity = Constant, Zeros, Ones, Identity
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, orthogonal = VarianceScaling, Orthogonal
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal

_CLASSES = (Initializer, Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
            LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling)


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


_BY_NAME = {cls.__name__: cls for cls in _CLASSES}
_BY_NAME.update({_snake(cls.__name__): cls for cls in _CLASSES})
_BY_NAME.update({"IdentityInitializer": Identity, "normal": RandomNormal, "one": Ones,
                 "OrthogonalInitializer": Orthogonal, "uniform": RandomUniform, "zero": Zeros})


def serialize(initializer):
    """Keras's dict of an initializer: module, class_name, config (its get_config), registered_name.

    >>> ef.keras.initializers.serialize(ef.keras.initializers.Constant(2.0))
    {'module': 'keras.initializers', 'class_name': 'Constant', 'config': {'value': 2.0}, 'registered_name': None}
    """
    cls = type(initializer)
    if _BY_NAME.get(cls.__name__) is cls:
        module, registered = "keras.initializers", None
    else:
        module, registered = (None if cls.__module__ == "__main__" else cls.__module__), cls.__name__
    return {"module": module, "class_name": cls.__name__, "config": initializer.get_config(),
            "registered_name": registered}


def deserialize(config, custom_objects=None):
    """The initializer a `serialize` dict (or a class name) describes; an unknown name comes back as it is
    (as Keras's: `get` then refuses it)."""
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Unknown `config` as a `dict`, config={config}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name)
    if cls is None:
        return name
    return cls.from_config(config.get("config") or {})


def get(identifier):
    """An initializer from Keras's identifiers: None, a name ('he_normal', 'Ones', 'uniform'), a `serialize`
    dict, a class (instantiated), a callable, or an array (its value, for its own shape only).

    >>> ef.keras.initializers.get("ones")([2]).numpy()
    array([1., 1.], dtype=float32)
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    elif isinstance(identifier, (Tensor, Variable, np.ndarray, np.generic)):
        obj = _value_initializer(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


def _value_initializer(value):
    expected = tuple(value.shape)

    def initialize_fn(shape, dtype=None):
        if tuple(shape) != expected:
            raise ValueError(f"Expected `shape` to be {expected} for direct tensor as initializer. "
                             f"Received shape={shape}")
        return math_ops.cast(convert_to_tensor(value), _dtype(dtype))

    return initialize_fn
