"""`ef.math`: TensorFlow's math namespace."""

from eagerflow.ops.array_ops import top_k  # noqa: F401
from eagerflow.ops.math_ops import *  # noqa: F401,F403
from eagerflow.ops.math_ops import __all__ as _math_all
from eagerflow.ops.nn_ops import softplus  # noqa: F401

__all__ = list(_math_all) + ["top_k", "softplus"]
