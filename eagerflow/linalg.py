"""`ef.linalg`: matrix products, inverses, determinants and norms."""

from eagerflow.ops.linalg_ops import *  # noqa: F401,F403
from eagerflow.ops.linalg_ops import __all__ as _linalg_all
from eagerflow.ops.clip_ops import global_norm  # noqa: F401

__all__ = list(_linalg_all) + ["global_norm"]
