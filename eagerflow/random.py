"""`ef.random`: seeded random tensors and generators."""

from eagerflow.ops.random_ops import *  # noqa: F401,F403
from eagerflow.ops.random_ops import __all__  # noqa: F401
