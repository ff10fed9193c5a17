"""Kernels of the special functions (`ef.math.special`, digamma, igamma, ...) and the other math ops added
beside them (bit shifts, nextafter, bincount, unique, searchsorted, histograms), registered into the
shared table.

The special functions come from SciPy on the CPU and from CuPy's `cupyx.scipy.special` on the GPU: the
same names and the same algorithms (Cephes) on both.
"""

import numpy as np

from eagerflow.backends.kernels import KERNELS, _quiet, _zero_where_x_is

__all__ = []


def _special(xp):
    if xp is np:
        import scipy.special

        return scipy.special
    import cupyx.scipy.special

    return cupyx.scipy.special


def _float_kinds(op, *xs):
    for x in xs:
        if x.dtype.kind != "f" and x.dtype.name != "bfloat16":
            raise TypeError(f"{op} is not supported for dtype {x.dtype}: it needs a floating input "
                            f"(float16, float32 or float64)")


def _unary_special(op, fn_name):
    @_quiet
    def kernel(xp, x):
        _float_kinds(op, x)
        wide = x.astype("float32") if x.dtype.itemsize < 4 else x  # SciPy has no float16 loops
        return getattr(_special(xp), fn_name)(wide).astype(x.dtype, copy=False)
    return kernel


for _op, _fn in {"Digamma": "digamma", "Erfc": "erfc", "Erfinv": "erfinv", "Ndtri": "ndtri",
                 "BesselI0": "i0", "BesselI0e": "i0e", "BesselI1": "i1", "BesselI1e": "i1e",
                 "BesselJ0": "j0", "BesselJ1": "j1", "BesselY0": "y0", "BesselY1": "y1",
                 "BesselK0": "k0", "BesselK0e": "k0e", "BesselK1": "k1", "BesselK1e": "k1e",
                 "Dawsn": "dawsn", "Expint": "expi", "Spence": "spence"}.items():
    KERNELS[_op] = _unary_special(_op, _fn)


@_quiet
def _fresnel(xp, x, which):
    _float_kinds("Fresnel" + which, x)
    s, c = _special(xp).fresnel(x.astype("float32") if x.dtype.itemsize < 4 else x)
    return (s if which == "Sin" else c).astype(x.dtype, copy=False)


KERNELS["FresnelSin"] = lambda xp, x: _fresnel(xp, x, "Sin")
KERNELS["FresnelCos"] = lambda xp, x: _fresnel(xp, x, "Cos")


def _binary_special(op, fn):
    @_quiet
    def kernel(xp, a, x):
        _float_kinds(op, a, x)
        return fn(_special(xp), a, x).astype(x.dtype, copy=False)
    return kernel


KERNELS["Igamma"] = _binary_special("Igamma", lambda sp, a, x: sp.gammainc(a, x))
KERNELS["Igammac"] = _binary_special("Igammac", lambda sp, a, x: sp.gammaincc(a, x))
def _zeta(sp, x, q):
    # TF (Eigen's Cephes): at a pole q = 0, -1, -2, ... only an even integer x gives inf; other x give NaN
    pole = (q <= 0) & (q == np.floor(q))
    even = (x == np.floor(x)) & (np.fmod(x, 2) == 0)
    return np.where(pole & ~even, np.nan, sp.zeta(x, q))


KERNELS["Zeta"] = _binary_special("Zeta", _zeta)
@_quiet
def _xlog1py(xp, x, y):
    """x * log1p(y), and 0 where x is 0 (even where y is -1 or NaN), as TF's Xlog1py. TF's complex kernel
    has no packet path: a complex zero x gives a literal +0 everywhere."""
    if x.dtype.kind == "c":
        product = x * xp.log1p(y)
        return xp.where(xp.broadcast_to(x == 0, product.shape), xp.zeros_like(product), product)
    wide = "float32" if x.dtype.itemsize < 4 else x.dtype  # SciPy has no float16 or bfloat16 loops
    product = _special(xp).xlog1py(x.astype(wide), y.astype(wide)).astype(x.dtype, copy=False)
    return _zero_where_x_is(xp, x, product)


KERNELS["Xlog1py"] = _xlog1py


@_quiet
def _polygamma(xp, a, x):
    _float_kinds("Polygamma", a, x)
    # TF: NaN where the order is not a non-negative integer
    whole = (a == xp.floor(a)) & (a >= 0)
    n = xp.where(whole, a, xp.zeros_like(a))
    out = _special(xp).polygamma(n.astype("int64"), x)
    return xp.where(whole, out, xp.full_like(out, np.nan)).astype(x.dtype, copy=False)


@_quiet
def _betainc(xp, a, b, x):
    _float_kinds("Betainc", a, b, x)
    return _special(xp).betainc(a, b, x).astype(x.dtype, copy=False)


KERNELS["Polygamma"] = _polygamma
KERNELS.setdefault("Lgamma", _unary_special("Lgamma", "gammaln"))  # the normaliser of igamma's gradient
_digamma, _lgamma = KERNELS["Digamma"], KERNELS["Lgamma"]
# TF (Eigen's Cephes): digamma has a pole at 0 of either sign, NaN; lgamma(-inf) is +inf (SciPy: -inf)
KERNELS["Digamma"] = lambda xp, x: xp.where(x == 0, xp.asarray(np.nan, dtype=x.dtype), _digamma(xp, x))
KERNELS["Lgamma"] = lambda xp, x: xp.where(xp.isneginf(x), xp.asarray(np.inf, dtype=x.dtype), _lgamma(xp, x))
KERNELS["Betainc"] = _betainc
KERNELS["NextAfter"] = lambda xp, x1, x2: xp.nextafter(x1, x2)

# ----------------------------------------------------------------------------- bit shifts


def _shift(xp, x, y, left):
    if x.dtype.kind not in "iu":
        raise TypeError(f"{'LeftShift' if left else 'RightShift'} is not supported for dtype {x.dtype}: it "
                        f"needs an integer input")
    bits = x.dtype.itemsize * 8
    # TF (and C) leave shifts by a negative or too large amount undefined; TF's kernels clamp y to
    # [0, bits - 1], which is what this does too.
    y = xp.clip(y, 0, bits - 1).astype(x.dtype)
    return xp.left_shift(x, y) if left else xp.right_shift(x, y)


KERNELS["LeftShift"] = lambda xp, x, y: _shift(xp, x, y, True)
KERNELS["RightShift"] = lambda xp, x, y: _shift(xp, x, y, False)

# ----------------------------------------------------------------------------- counting, sorting, searching


def _bincount(xp, arr, weights, size, minlength_only=False, binary_output=False, axis=None):
    """TF's bincount: counts (or summed weights) of each value of `arr` in [0, size); larger values dropped."""
    if arr.size and int(arr.min()) < 0:
        raise ValueError(f"Input arr must be non-negative, got the value {int(arr.min())}")
    if axis == -1 and arr.ndim == 2:  # one row of counts per row of arr
        rows = [_bincount(xp, r, w, size, binary_output=binary_output)
                for r, w in zip(arr, weights if weights.size else [weights] * arr.shape[0])]
        return xp.stack(rows) if rows else xp.zeros((0, size), dtype=weights.dtype)
    flat = arr.ravel()
    keep = flat < size
    w = None if weights.size == 0 else weights.ravel()[keep]
    if binary_output:
        out = xp.zeros(size, dtype=weights.dtype)
        out[flat[keep]] = 1
        return out
    counts = xp.bincount(flat[keep], weights=w, minlength=size)[:size]
    return counts.astype(weights.dtype, copy=False)


def _unique(xp, x, out_idx):
    """Unique values in order of first appearance, and the index of each element's value in them."""
    values, first, inverse = xp.unique(x, return_index=True, return_inverse=True)
    order = xp.argsort(first, kind="stable")
    rank = xp.empty_like(order)
    rank[order] = xp.arange(order.size)
    return values[order], rank[inverse.reshape(-1)].astype(out_idx)


def _unique_with_counts(xp, x, out_idx):
    y, idx = _unique(xp, x, out_idx)
    counts = xp.bincount(idx.astype("int64"), minlength=y.size).astype(out_idx)
    return y, idx, counts


def _search_sorted(xp, sorted_sequence, values, side="left", out_type="int32"):
    if sorted_sequence.shape[:-1] != values.shape[:-1]:
        raise ValueError(f"sorted_sequence and values must have the same leading dimensions, got shapes "
                         f"{tuple(sorted_sequence.shape)} and {tuple(values.shape)}")
    seq = sorted_sequence.reshape(-1, sorted_sequence.shape[-1])
    vals = values.reshape(-1, values.shape[-1])
    rows = [xp.searchsorted(s, v, side=side) for s, v in zip(seq, vals)]
    out = xp.stack(rows) if rows else xp.zeros(vals.shape, dtype="int64")
    return out.reshape(values.shape).astype(out_type)


def _histogram_bins(xp, values, value_range, nbins, dtype="int32"):
    lo, hi = value_range[0], value_range[1]
    scaled = (values - lo) / (hi - lo)
    bins = xp.floor(scaled * nbins).astype("int64")
    return xp.clip(bins, 0, nbins - 1).astype(dtype)


def _histogram_fixed_width(xp, values, value_range, nbins, dtype="int32"):
    bins = _histogram_bins(xp, values, value_range, nbins, "int64")
    return xp.bincount(bins.ravel(), minlength=nbins).astype(dtype)


def _invert_permutation(xp, x):
    n = x.shape[0]
    if x.ndim != 1:
        raise ValueError(f"invert_permutation expects a 1-D vector, got shape {tuple(x.shape)}")
    if n and (int(x.min()) < 0 or int(x.max()) >= n or xp.unique(x).size != n):
        raise ValueError(f"{x.tolist() if n <= 20 else 'x'} is not a permutation of 0..{n - 1}: each index must "
                         f"appear exactly once")
    out = xp.empty_like(x)
    out[x] = xp.arange(n, dtype=x.dtype)
    return out


KERNELS["Bincount"] = _bincount
KERNELS["UniqueV2"] = _unique
KERNELS["UniqueWithCountsV2"] = _unique_with_counts
KERNELS["SearchSorted"] = _search_sorted
KERNELS["HistogramFixedWidth"] = _histogram_fixed_width
KERNELS["HistogramFixedWidthBins"] = _histogram_bins
KERNELS["InvertPermutation"] = _invert_permutation
KERNELS["Roll"] = lambda xp, x, shift, axis: xp.roll(x, shift, axis)
KERNELS["Angle"] = lambda xp, x: xp.angle(x).astype(x.real.dtype, copy=False)


def _cumulative_logsumexp(xp, x, axis=0, exclusive=False, reverse=False):
    if x.dtype.kind != "f":
        raise TypeError(f"CumulativeLogsumexp is not supported for dtype {x.dtype}: it needs a floating input")
    if reverse:
        x = xp.flip(x, axis)
    out = xp.logaddexp.accumulate(x, axis=axis) if xp is np else _logaddexp_scan(xp, x, axis)
    if exclusive:
        moved = xp.moveaxis(out, axis, 0)
        first = xp.full_like(moved[:1], -np.inf)
        out = xp.moveaxis(xp.concatenate([first, moved[:-1]], axis=0), 0, axis)
    return xp.flip(out, axis) if reverse else out


def _logaddexp_scan(xp, x, axis):
    """log(cumsum(exp(x))) shifted by the maximum, for array modules without `logaddexp.accumulate`."""
    top = xp.max(x, axis=axis, keepdims=True)
    return xp.log(xp.cumsum(xp.exp(x - top), axis=axis)) + top


KERNELS["CumulativeLogsumexp"] = _quiet(_cumulative_logsumexp)


def _complex(xp, real, imag):
    if real.dtype.kind != "f" or real.dtype.itemsize < 4:
        raise TypeError(f"Complex is not supported for dtype {real.dtype}: give float32 or float64 parts")
    dtype = "complex64" if real.dtype.itemsize == 4 else "complex128"
    out = xp.empty(np.broadcast_shapes(real.shape, imag.shape), dtype)  # shapes are host tuples (any CuPy)
    out.real, out.imag = real, imag
    return out


KERNELS["Complex"] = _complex


def _check_numerics(xp, x, message):
    """`x`, or ValueError(TF's text) when it holds NaN or Inf."""
    if x.dtype.kind not in "fcV":
        raise TypeError(f"CheckNumerics is not supported for dtype {x.dtype}: it checks floating tensors only")
    if not bool(xp.isfinite(x).all()):
        nan, inf = bool(xp.isnan(x).any()), bool(xp.isinf(x).any())
        kind = "Inf and NaN" if nan and inf else ("NaN" if nan else "Inf")
        raise ValueError(f"{message} : Tensor had {kind} values")
    return x


KERNELS["CheckNumerics"] = _check_numerics


@_quiet
def _igamma_grad_a(xp, a, x):
    """d/da P(a, x), the regularized lower incomplete gamma's derivative in its shape (TF's IgammaGradA), in
    float64 whatever the dtype: the series of P (x < a + 1) or the continued fraction of Q = 1 - P (Lentz),
    each differentiated term by term (forward mode), times the prefactor x^a e^-x / Gamma(a) and its own
    derivative. Every element runs the same fixed-length recurrence, masked where it has converged."""
    _float_kinds("IgammaGradA", a, x)
    sp = _special(xp)
    dtype = a.dtype
    a, x = xp.broadcast_arrays(a.astype("float64"), x.astype("float64"))
    valid = (a > 0) & (x > 0) & xp.isfinite(x)
    aa, xx = xp.where(valid, a, 1.0), xp.where(valid, x, 1.0)
    series = xx < aa + 1
    # the series: P = x^a e^-x / Gamma(a + 1) * sum_n prod_{k<=n} x / (a + k)
    term, total, d_total, harmonic = xp.ones_like(aa), xp.ones_like(aa), xp.zeros_like(aa), xp.zeros_like(aa)
    sa, sx = xp.where(series, aa, 1.0), xp.where(series, xx, 0.5)  # lanes of the fraction: done at once
    for k in range(1, _IGAMMA_MAX_TERMS + 1):
        term = term * sx / (sa + k)
        harmonic = harmonic + 1 / (sa + k)
        total, d_total = total + term, d_total - term * harmonic
        if k % 16 == 0 and bool(xp.all(xp.abs(term) * (1 + harmonic) <= 1e-16 * xp.abs(total))):
            break
    log_pref = sa * xp.log(sx) - sx - sp.gammaln(sa + 1)
    d_p_series = xp.exp(log_pref) * (total * (xp.log(sx) - sp.digamma(sa + 1)) + d_total)
    # the continued fraction: Q = x^a e^-x / Gamma(a) * h, h = 1 / (b0 + a1 / (b1 + a2 / ...)), by modified Lentz
    # with the derivative of each quantity carried beside it (b_i = x + 2i + 1 - a, a_i = -i (i - a))
    ca = xp.where(series, 2.0, aa)  # keep the unused lanes finite
    cx = xp.where(series, 4.0, xx)
    b, db = cx + 1 - ca, -xp.ones_like(ca)
    tiny = 1e-300
    c, dc = xp.full_like(ca, 1 / tiny), xp.zeros_like(ca)
    d, dd = 1 / b, db * -1 / (b * b)
    h, dh = d, dd
    for i in range(1, _IGAMMA_MAX_TERMS + 1):
        an, dan = -i * (i - ca), i * xp.ones_like(ca)
        b = b + 2
        den, dden = an * d + b, dan * d + an * dd + db
        den = xp.where(xp.abs(den) < tiny, tiny, den)
        c_new, dc = b + an / c, db + dan / c - an * dc / (c * c)
        c = xp.where(xp.abs(c_new) < tiny, tiny, c_new)
        d, dd = 1 / den, -dden / (den * den)
        step, dstep = d * c, dd * c + d * dc
        h, dh = h * step, dh * step + h * dstep
        if i % 16 == 0 and bool(xp.all((xp.abs(step - 1) <= 1e-15) & (xp.abs(dstep) <= 1e-15 * (1 + xp.abs(dh / h))))):
            break
    log_pref_q = ca * xp.log(cx) - cx - sp.gammaln(ca)
    d_q = xp.exp(log_pref_q) * (h * (xp.log(cx) - sp.digamma(ca)) + dh)
    grad = xp.where(series, d_p_series, -d_q)
    # x = 0 and x = inf: P is 0 and 1 for every a; NaN outside the domain
    grad = xp.where(valid, grad, xp.where((a > 0) & ((x == 0) | (x == xp.inf)), 0.0, xp.nan))
    grad = xp.where((a > 0) & (x == xp.inf), -0.0, grad)
    return grad.astype(dtype, copy=False)


# the most terms of the series and of the continued fraction (both stop once every element has converged):
# enough for float64 rounding for a up to about 10^5
_IGAMMA_MAX_TERMS = 4000

KERNELS["IgammaGradA"] = _igamma_grad_a
