"""`ef.nn`: activations, softmax and losses."""

from eagerflow.ops.nn_ops import *  # noqa: F401,F403
from eagerflow.ops.nn_ops import __all__  # noqa: F401
