"""`ef.math`: TensorFlow's math namespace."""

import types as _types

from eagerflow.ops import special_math_ops as _special_ops
from eagerflow.ops.array_ops import top_k  # noqa: F401
from eagerflow.ops.math_ops import *  # noqa: F401,F403
from eagerflow.ops.math_ops import __all__ as _math_all
from eagerflow.ops.nn_impl import approx_max_k, approx_min_k, in_top_k, l2_normalize, zero_fraction  # noqa: F401
from eagerflow.ops.nn_ops import log_softmax, softmax, softplus  # noqa: F401
from eagerflow.ops.numeric_ops import (  # noqa: F401
    accumulate_n, angle, bincount, confusion_matrix, cumulative_logsumexp, invert_permutation, is_non_decreasing,
    is_strictly_increasing, lbeta, polyval, reciprocal_no_nan, scalar_mul, sobol_sample,
)
from eagerflow.ops.segment_ops import *  # noqa: F401,F403
from eagerflow.ops.segment_ops import __all__ as _segment_all
from eagerflow.ops.special_math_ops import (  # noqa: F401
    bessel_i0, bessel_i0e, bessel_i1, bessel_i1e, betainc, digamma, erfc, erfcinv, erfinv, igamma, igammac, ndtri,
    nextafter, polygamma, xlog1py, zeta,
)

# `ef.math.special`: the Bessel functions, Dawson's and Fresnel's integrals, Ei and Spence's function.
special = _types.ModuleType("eagerflow.math.special", "Special functions, as tf.math.special.")
for _name in ("bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "bessel_j0", "bessel_j1", "bessel_y0",
              "bessel_y1", "bessel_k0", "bessel_k0e", "bessel_k1", "bessel_k1e", "dawsn", "expint", "fresnel_cos",
              "fresnel_sin", "spence"):
    setattr(special, _name, getattr(_special_ops, _name))

# TF has truncatediv/truncatemod at the top level only (`tf.truncatediv`), not in tf.math
del truncatediv, truncatemod  # noqa: F821
__all__ = [n for n in _math_all if n not in ("truncatediv", "truncatemod")] + list(_segment_all) + [
    "top_k", "softplus", "softmax", "log_softmax", "special", "approx_max_k", "approx_min_k", "in_top_k",
    "l2_normalize", "zero_fraction", "accumulate_n", "angle", "bincount", "confusion_matrix",
    "cumulative_logsumexp", "invert_permutation", "is_non_decreasing", "is_strictly_increasing", "lbeta", "polyval",
    "reciprocal_no_nan", "scalar_mul", "sobol_sample",
    "bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "betainc", "digamma",
    "erfc", "erfcinv", "erfinv", "igamma", "igammac", "ndtri", "nextafter", "polygamma", "xlog1py", "zeta"]
