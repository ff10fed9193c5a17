"""`ef.linalg`: matrix products, decompositions, solvers, matrix functions, diagonals and norms."""

import types as _types

from eagerflow.ops.linalg_ops import *  # noqa: F401,F403
from eagerflow.ops.linalg_ops import __all__ as _linalg_all
from eagerflow.ops.clip_ops import global_norm  # noqa: F401
from eagerflow.ops.nn_impl import l2_normalize  # noqa: F401
from eagerflow.ops.linalg_ops import conjugate_gradient as _conjugate_gradient

# The LinearOperator classes load on first use (`ef.linalg.LinearOperatorDiag`): their module is the largest
# of ef.linalg and most programs never touch it; `import eagerflow` stays fast.
_OPERATORS = ("LinearOperator", "LinearOperatorFullMatrix", "LinearOperatorDiag", "LinearOperatorIdentity",
              "LinearOperatorScaledIdentity", "LinearOperatorLowerTriangular", "LinearOperatorZeros",
              "LinearOperatorAdjoint", "LinearOperatorInversion", "LinearOperatorComposition",
              "LinearOperatorBlockDiag", "LinearOperatorBlockLowerTriangular", "LinearOperatorKronecker",
              "LinearOperatorLowRankUpdate", "LinearOperatorHouseholder", "LinearOperatorPermutation",
              "LinearOperatorToeplitz", "LinearOperatorTridiag", "LinearOperatorCirculant",
              "LinearOperatorCirculant2D", "LinearOperatorCirculant3D")


def __getattr__(name):
    if name in _OPERATORS:
        from eagerflow.ops import linear_operator

        return getattr(linear_operator, name)
    raise AttributeError(f"module 'eagerflow.linalg' has no attribute {name!r}")


# `ef.linalg.experimental`: the iterative solver, as tf.linalg.experimental.
experimental = _types.ModuleType("eagerflow.linalg.experimental", "Iterative solvers, as tf.linalg.experimental.")
experimental.conjugate_gradient = _conjugate_gradient

__all__ = list(_linalg_all) + ["global_norm", "experimental", "l2_normalize"] + list(_OPERATORS)
