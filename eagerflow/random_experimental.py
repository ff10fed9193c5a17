"""`ef.random.experimental`: stateless seed arithmetic and shuffles, and the Generator API."""

from eagerflow.ops.random_ops import Algorithm, create_rng_state  # noqa: F401
from eagerflow.random_generator import Generator, get_global_generator, set_global_generator  # noqa: F401
from eagerflow.ops.stateless_random_ops import fold_in as stateless_fold_in  # noqa: F401
from eagerflow.ops.stateless_random_ops import index_shuffle, stateless_shuffle  # noqa: F401
from eagerflow.ops.stateless_random_ops import split as stateless_split  # noqa: F401

__all__ = ["Algorithm", "Generator", "create_rng_state", "get_global_generator", "set_global_generator",
           "stateless_fold_in", "stateless_split", "index_shuffle", "stateless_shuffle"]
