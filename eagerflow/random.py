"""`ef.random`: seeded random tensors, generators, stateless ops and candidate samplers."""

from eagerflow.ops.random_ops import *  # noqa: F401,F403
from eagerflow.ops.stateless_random_ops import *  # noqa: F401,F403
from eagerflow.ops.candidate_sampling_ops import *  # noqa: F401,F403
from eagerflow.ops import candidate_sampling_ops as _samplers, random_ops as _random_ops
from eagerflow.ops import stateless_random_ops as _stateless
from eagerflow.random_generator import Generator, get_global_generator, set_global_generator  # noqa: F401
from eagerflow import random_experimental as experimental  # noqa: F401

__all__ = _random_ops.__all__ + _stateless.__all__ + _samplers.__all__ + [
    "Generator", "get_global_generator", "set_global_generator", "experimental"]
