"""Gradients of the special functions and the other math ops of backends/kernels_math.py, as TF's math_grad.py.

Where TF gives no gradient for an argument (the order of polygamma, the exponent of zeta, a and b of
betainc) the entry returns None for it, as TF does.
"""

import math

import numpy as np

from eagerflow.autodiff.gradients import GRADIENTS, _register, reduce_to_shape
from eagerflow.framework.execute import execute
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops import special_math_ops as sp

__all__ = []


def _unary(fn):
    return lambda op, g: (g * fn(op.inputs[0], op.outputs[0]),)


GRADIENTS["Digamma"] = _unary(lambda x, y: sp.polygamma(array_ops.ones_like(x), x))
GRADIENTS["Erfc"] = _unary(lambda x, y: math_ops.exp(-math_ops.square(x)) * (-2 / math.sqrt(math.pi)))
GRADIENTS["Erfinv"] = _unary(lambda x, y: math_ops.exp(math_ops.square(y)) * (math.sqrt(math.pi) / 2))
GRADIENTS["Ndtri"] = _unary(lambda x, y: math_ops.exp(math_ops.square(y) / 2) * math.sqrt(2 * math.pi))
GRADIENTS["BesselI0"] = _unary(lambda x, y: sp.bessel_i1(x))
GRADIENTS["BesselI0e"] = _unary(lambda x, y: sp.bessel_i1e(x) - math_ops.sign(x) * y)
GRADIENTS["BesselJ0"] = _unary(lambda x, y: -sp.bessel_j1(x))
GRADIENTS["BesselY0"] = _unary(lambda x, y: -sp.bessel_y1(x))
GRADIENTS["BesselK0"] = _unary(lambda x, y: -sp.bessel_k1(x))
GRADIENTS["BesselK0e"] = _unary(lambda x, y: y - sp.bessel_k1e(x))
GRADIENTS["BesselK1"] = _unary(lambda x, y: -sp.bessel_k0(x) - y / x)
GRADIENTS["BesselK1e"] = _unary(lambda x, y: y * (1 - math_ops.reciprocal(x)) - sp.bessel_k0e(x))
GRADIENTS["BesselY1"] = _unary(lambda x, y: sp.bessel_y0(x) - y / x)
GRADIENTS["Dawsn"] = _unary(lambda x, y: 1 - 2 * x * y)
GRADIENTS["Expint"] = _unary(lambda x, y: math_ops.exp(x) / x)
GRADIENTS["FresnelCos"] = _unary(lambda x, y: math_ops.cos((math.pi / 2) * math_ops.square(x)))
GRADIENTS["FresnelSin"] = _unary(lambda x, y: math_ops.sin((math.pi / 2) * math_ops.square(x)))
GRADIENTS["Spence"] = _unary(
    lambda x, y: array_ops.where(math_ops.equal(x, 1.0), -array_ops.ones_like(x),
                                 math_ops.log(x) / (1 - array_ops.where(math_ops.equal(x, 1.0), array_ops.zeros_like(x),
                                                                        x))))


def _quotient_at_zero(x, y, at_zero):
    """y / x, and `at_zero` where x is 0 (the limit, for the odd Bessel functions)."""
    safe = array_ops.where(math_ops.equal(x, 0), array_ops.ones_like(x), x)
    return array_ops.where(math_ops.equal(x, 0), array_ops.ones_like(x) * at_zero, y / safe)


GRADIENTS["BesselI1"] = _unary(lambda x, y: sp.bessel_i0(x) - _quotient_at_zero(x, y, 0.5))
GRADIENTS["BesselJ1"] = _unary(lambda x, y: sp.bessel_j0(x) - _quotient_at_zero(x, y, 0.5))
GRADIENTS["BesselI1e"] = _unary(
    lambda x, y: sp.bessel_i0e(x) - y * math_ops.sign(x) - _quotient_at_zero(x, y, 0.5))


def _rt(g, like):
    return reduce_to_shape(g, tuple(like.shape))


@_register("Igamma", "Igammac")
def _igamma_grad(op, g):
    a, x = op.inputs
    sign = 1.0 if op.type == "Igamma" else -1.0  # Q = 1 - P
    ga = None
    if op.needs[0]:
        ga = _rt(g * sign * execute("IgammaGradA", (a, x)), a)
    # d/dx P(a, x) = exp(-x) x^(a-1) / Gamma(a), through logs so it does not overflow; (a - 1) * log(x), not
    # xlogy, as TF: NaN at x = 0 and x = inf when a = 1
    with np.errstate(invalid="ignore", divide="ignore"):  # those NaN are the result, not a fault
        log_density = -x + (a - 1) * math_ops.log(x) - _lgamma(a)
    dx = math_ops.exp(log_density)
    return ga, _rt(g * sign * dx, x)


def _lgamma(a):
    """log|Gamma(a)| for the normalisers of the densities below."""
    return execute("Lgamma", (a,))


@_register("Polygamma")
def _polygamma_grad(op, g):
    a, x = op.inputs
    return None, _rt(g * sp.polygamma(a + 1, x), x)


@_register("Zeta")
def _zeta_grad(op, g):
    x, q = op.inputs
    return None, _rt(g * -x * sp.zeta(x + 1, q), q)


@_register("Betainc")
def _betainc_grad(op, g):
    a, b, x = op.inputs
    # TF defines none for a and b (None: no gradient flows to them)
    log_beta = _lgamma(a) + _lgamma(b) - _lgamma(a + b)
    dx = math_ops.exp(math_ops.xlogy(a - 1, x) + sp.xlog1py(b - 1, -x) - log_beta)
    return None, None, _rt(g * dx, x)


@_register("Xlog1py")
def _xlog1py_grad(op, g):
    x, y = op.inputs
    nonzero = math_ops.cast(math_ops.not_equal(x, 0), x.dtype)
    gx = g * sp.xlog1py(nonzero, y)
    gy = g * math_ops.divide_no_nan(x, 1 + y)
    return _rt(gx, x), _rt(gy, y)


@_register("CumulativeLogsumexp")
def _cumulative_logsumexp_grad(op, g):
    # TF's formula: g split by sign so its logarithm is real, accumulated the other way
    x, out = op.inputs[0], op.outputs[0]
    floor = array_ops.ones_like(g) * float(np.finfo(g.dtype._np).min)
    positive = array_ops.where(math_ops.greater(g, 0), math_ops.log(math_ops.abs(g)), floor)
    negative = array_ops.where(math_ops.less(g, 0), math_ops.log(math_ops.abs(g)), floor)
    attrs = {"axis": op.attrs.get("axis", 0), "exclusive": op.attrs.get("exclusive", False),
             "reverse": not op.attrs.get("reverse", False)}
    pos = math_ops.exp(execute("CumulativeLogsumexp", (positive - out,), attrs) + x)
    neg = math_ops.exp(execute("CumulativeLogsumexp", (negative - out,), attrs) + x)
    return (pos - neg,)


@_register("Angle")
def _angle_grad(op, g):
    # TF: -g / (imag(x) + i real(x))
    x = op.inputs[0]
    z = math_ops.reciprocal(execute("Complex", (math_ops.imag(x), math_ops.real(x))))
    return (-execute("Complex", (g, array_ops.zeros_like(g))) * z,)


@_register("Complex")
def _complex_grad(op, g):
    re, im = op.inputs
    return _rt(math_ops.real(g), re), _rt(math_ops.imag(g), im)


GRADIENTS["Roll"] = lambda op, g: (execute("Roll", (g,), {"shift": tuple(-s for s in op.attrs["shift"]),
                                                         "axis": op.attrs["axis"]}),)

GRADIENTS["CheckNumerics"] = lambda op, g: (execute(
    "CheckNumerics", (g,), {"message": "Not a number (NaN) or infinity (Inf) values detected in gradient. "
                            + op.attrs["message"]}),)
