"""`ef.linalg`: matrix products, decompositions, solvers, matrix functions, diagonals and norms."""

import types as _types

from eagerflow.ops.linalg_ops import *  # noqa: F401,F403
from eagerflow.ops.linalg_ops import __all__ as _linalg_all
from eagerflow.ops.clip_ops import global_norm  # noqa: F401
from eagerflow.ops.nn_impl import l2_normalize  # noqa: F401
from eagerflow.ops.linear_operator import *  # noqa: F401,F403
from eagerflow.ops.linear_operator import __all__ as _operator_all
from eagerflow.ops.linalg_ops import conjugate_gradient as _conjugate_gradient

# `ef.linalg.experimental`: the iterative solver, as tf.linalg.experimental.
experimental = _types.ModuleType("eagerflow.linalg.experimental", "Iterative solvers, as tf.linalg.experimental.")
experimental.conjugate_gradient = _conjugate_gradient

__all__ = list(_linalg_all) + ["global_norm", "experimental", "l2_normalize"] + list(_operator_all)
