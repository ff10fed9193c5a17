"""Special functions (`ef.math.special`, `ef.math.digamma`, `ef.math.igamma`, ...), as TensorFlow's.

Each is one op (kernels in backends/kernels_math.py, gradients in autodiff/gradients_math.py).
"""

from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops import math_ops

__all__ = ["digamma", "erfc", "erfinv", "erfcinv", "ndtri", "polygamma", "zeta", "igamma", "igammac", "betainc",
           "bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
           "bessel_k0", "bessel_k0e", "bessel_k1", "bessel_k1e", "dawsn", "expint", "fresnel_cos", "fresnel_sin",
           "spence", "xlog1py", "nextafter"]


def _unary(op, doc, code, shows):
    def fn(x, name=None):
        return execute(op, (x,))
    fn.__doc__ = f"{doc}\n\n    >>> {code}\n    {shows}\n    "
    fn.__name__ = fn.__qualname__ = code.split("(")[0].split(".")[-1]
    return fn


digamma = _unary("Digamma", "The derivative of lgamma (the psi function).",
                 "ef.math.digamma([1.0, 2.0]).numpy().round(4)",
                 "array([-0.5772,  0.4228], dtype=float32)")
erfc = _unary("Erfc", "1 - erf(x), accurate for large x.", "ef.math.erfc([0.0, 1.0]).numpy().round(4)",
              "array([1.    , 0.1573], dtype=float32)")
erfinv = _unary("Erfinv", "The inverse of erf on (-1, 1).", "ef.math.erfinv([0.0, 0.5]).numpy().round(4)",
                "array([0.    , 0.4769], dtype=float32)")
ndtri = _unary("Ndtri", "The inverse of the standard normal CDF.", "ef.math.ndtri([0.5, 0.975]).numpy().round(4)",
               "array([0.  , 1.96], dtype=float32)")
bessel_i0 = _unary("BesselI0", "The modified Bessel function of the first kind, order 0.",
                   "ef.math.bessel_i0([0.0, 1.0]).numpy().round(4)", "array([1.    , 1.2661], dtype=float32)")
bessel_i0e = _unary("BesselI0e", "exp(-|x|) * bessel_i0(x).", "ef.math.bessel_i0e([0.0, 1.0]).numpy().round(4)",
                    "array([1.    , 0.4658], dtype=float32)")
bessel_i1 = _unary("BesselI1", "The modified Bessel function of the first kind, order 1.",
                   "ef.math.bessel_i1([0.0, 1.0]).numpy().round(4)", "array([0.    , 0.5652], dtype=float32)")
bessel_i1e = _unary("BesselI1e", "exp(-|x|) * bessel_i1(x).", "ef.math.bessel_i1e([0.0, 1.0]).numpy().round(4)",
                    "array([0.    , 0.2079], dtype=float32)")
bessel_j0 = _unary("BesselJ0", "The Bessel function of the first kind, order 0.",
                   "ef.math.special.bessel_j0([0.0, 1.0]).numpy().round(4)", "array([1.    , 0.7652], dtype=float32)")
bessel_j1 = _unary("BesselJ1", "The Bessel function of the first kind, order 1.",
                   "ef.math.special.bessel_j1([0.0, 1.0]).numpy().round(4)", "array([0.    , 0.4401], dtype=float32)")
bessel_y0 = _unary("BesselY0", "The Bessel function of the second kind, order 0.",
                   "ef.math.special.bessel_y0([1.0]).numpy().round(4)", "array([0.0883], dtype=float32)")
bessel_y1 = _unary("BesselY1", "The Bessel function of the second kind, order 1.",
                   "ef.math.special.bessel_y1([1.0]).numpy().round(4)", "array([-0.7812], dtype=float32)")
bessel_k0 = _unary("BesselK0", "The modified Bessel function of the second kind, order 0.",
                   "ef.math.special.bessel_k0([1.0]).numpy().round(4)", "array([0.421], dtype=float32)")
bessel_k0e = _unary("BesselK0e", "exp(x) * bessel_k0(x).", "ef.math.special.bessel_k0e([1.0]).numpy().round(4)",
                    "array([1.1445], dtype=float32)")
bessel_k1 = _unary("BesselK1", "The modified Bessel function of the second kind, order 1.",
                   "ef.math.special.bessel_k1([1.0]).numpy().round(4)", "array([0.6019], dtype=float32)")
bessel_k1e = _unary("BesselK1e", "exp(x) * bessel_k1(x).", "ef.math.special.bessel_k1e([1.0]).numpy().round(4)",
                    "array([1.6362], dtype=float32)")
dawsn = _unary("Dawsn", "Dawson's integral exp(-x^2) * integral_0^x exp(t^2) dt.",
               "ef.math.special.dawsn([0.0, 1.0]).numpy().round(4)", "array([0.    , 0.5381], dtype=float32)")
expint = _unary("Expint", "The exponential integral Ei(x).", "ef.math.special.expint([1.0]).numpy().round(4)",
                "array([1.8951], dtype=float32)")
fresnel_cos = _unary("FresnelCos", "The Fresnel cosine integral C(x) = integral_0^x cos(pi t^2 / 2) dt.",
                     "ef.math.special.fresnel_cos([1.0]).numpy().round(4)", "array([0.7799], dtype=float32)")
fresnel_sin = _unary("FresnelSin", "The Fresnel sine integral S(x) = integral_0^x sin(pi t^2 / 2) dt.",
                     "ef.math.special.fresnel_sin([1.0]).numpy().round(4)", "array([0.4383], dtype=float32)")
spence = _unary("Spence", "Spence's function integral_1^x log(t) / (1 - t) dt.",
                "ef.math.special.spence([1.0, 2.0]).numpy().round(4)", "array([ 0.    , -0.8225], dtype=float32)")


def erfcinv(x, name=None):
    """The inverse of erfc on (0, 2): -ndtri(x / 2) / sqrt(2), as TF.

    >>> ef.math.erfcinv([0.5, 1.5]).numpy().round(4)
    array([ 0.4769, -0.4769], dtype=float32)
    """
    x = convert_to_tensor(x)
    return math_ops.negative(ndtri(x * 0.5)) * (0.5 ** 0.5)


def polygamma(a, x, name=None):
    """The a-th derivative of digamma, for integer-valued `a` >= 0 (NaN otherwise), as TF.

    >>> ef.math.polygamma([0.0, 1.0], [1.0, 1.0]).numpy().round(4)
    array([-0.5772,  1.6449], dtype=float32)
    """
    return execute("Polygamma", (a, x))


def zeta(x, q, name=None):
    """The Hurwitz zeta function sum_n (n + q) ** -x.

    >>> ef.math.zeta(2.0, [1.0]).numpy().round(4)
    array([1.6449], dtype=float32)
    """
    return execute("Zeta", (x, q))


def igamma(a, x, name=None):
    """The regularized lower incomplete gamma function P(a, x).

    >>> ef.math.igamma(1.0, [0.0, 1.0]).numpy().round(4)
    array([0.    , 0.6321], dtype=float32)
    """
    return execute("Igamma", (a, x))


def igammac(a, x, name=None):
    """The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x).

    >>> ef.math.igammac(1.0, [0.0, 1.0]).numpy().round(4)
    array([1.    , 0.3679], dtype=float32)
    """
    return execute("Igammac", (a, x))


def betainc(a, b, x, name=None):
    """The regularized incomplete beta function I_x(a, b).

    >>> ef.math.betainc(1.0, 1.0, [0.25, 0.5]).numpy()
    array([0.25, 0.5 ], dtype=float32)
    """
    return execute("Betainc", (a, b, x))


def xlog1py(x, y, name=None):
    """x * log1p(y), and 0 where x is 0.

    >>> ef.math.xlog1py([0.0, 2.0], [-1.0, 0.0]).numpy()
    array([0., 0.], dtype=float32)
    """
    return execute("Xlog1py", (x, y))


def nextafter(x1, x2, name=None):
    """The next representable value after x1 in the direction of x2.

    >>> float(ef.math.nextafter(1.0, 2.0)) - 1.0 == float(np.finfo(np.float32).eps)
    True
    """
    return execute("NextAfter", (x1, x2))
