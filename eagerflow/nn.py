"""`ef.nn`: activations, convolutions, pooling, normalisation and losses."""

from eagerflow.ops.nn_ops import *  # noqa: F401,F403
from eagerflow.ops.conv_ops import *  # noqa: F401,F403
from eagerflow.ops.nn_impl import *  # noqa: F401,F403
from eagerflow.ops import conv_ops as _conv_ops, nn_impl as _nn_impl, nn_ops as _nn_ops

__all__ = _nn_ops.__all__ + _conv_ops.__all__ + _nn_impl.__all__
