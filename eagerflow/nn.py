"""`ef.nn`: activations, convolutions, pooling, normalisation, losses and candidate samplers."""

from eagerflow.ops.nn_ops import *  # noqa: F401,F403
from eagerflow.ops.conv_ops import *  # noqa: F401,F403
from eagerflow.ops.nn_impl import *  # noqa: F401,F403
from eagerflow.ops.candidate_sampling_ops import *  # noqa: F401,F403
from eagerflow.ops import candidate_sampling_ops as _samplers, conv_ops as _conv_ops, nn_impl as _nn_impl
from eagerflow.ops import nn_ops as _nn_ops
from eagerflow import nn_experimental as experimental  # noqa: F401

__all__ = _nn_ops.__all__ + _conv_ops.__all__ + _nn_impl.__all__ + _samplers.__all__ + ["experimental"]
