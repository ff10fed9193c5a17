"""`ef.linalg`: matrix products, inverses, determinants and norms."""

from eagerflow.ops.linalg_ops import *  # noqa: F401,F403
from eagerflow.ops.linalg_ops import __all__  # noqa: F401
