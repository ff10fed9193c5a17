"""The kernel table: each TF op name mapped to one function written against an array module.

An entry is either the name of an `xp` function (bound directly, so the call costs nothing
extra) or `fn(xp, *arrays, **attrs)`. Backends bind the table to their array module (`bind`)
and may override entries. Kernels never write into their inputs, except the variable-update
kernels, whose first argument is the variable's own buffer.
"""

import functools
import warnings

import numpy as np

from eagerflow.framework.areas import Areas


__all__ = ["KERNELS", "bind", "REPLAY_UFUNCS", "load_areas", "on_new_kernels", "rerun_silenced", "DENORMAL_FLUSHED",
           "flush_array", "flush_denormals"]

KERNELS = {}

# NumPy reports a nan or inf result with a RuntimeWarning ("invalid value encountered in multiply"); TF
# reports nothing. NumPy attributes the warning to the Python frame that called the ufunc, so a warnings
# filter for eagerflow's modules silences eagerflow's own calls at no cost per op, and leaves NumPy's error
# state and the warnings of the user's own NumPy code as they are. (Kernels built on NumPy functions written
# in Python, whose frames are NumPy's, switch the warnings off themselves: `_quiet`.)
_installed_in = None  # the `warnings.filters` list that holds the filter


def silence_runtime_warnings():
    """Install the filter in the current `warnings.filters`. `warnings.catch_warnings()` (pytest runs each test,
    and imports test modules, in one) works on a copy of the list and drops it at the end, so tensor creation
    calls this again: a list object other than the one it was installed in is a copy that may lack it."""
    global _installed_in
    if warnings.filters is not _installed_in:
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"eagerflow(\.|$)")
        _installed_in = warnings.filters


silence_runtime_warnings()


def rerun_silenced(kernel, args, attrs):
    """`kernel` run again with NumPy's floating-point reports off, for when the user's warnings filters (added
    after eagerflow's, e.g. `simplefilter("error")`) turned such a report into an exception: TF has none.
    Only for kernels that do not write into their inputs."""
    with np.errstate(all="ignore"):
        return kernel(*args, **attrs) if attrs else kernel(*args)


def _quiet(fn):
    """Run `fn` with floating-point warnings off: TF returns inf/nan silently (x/0, log(0))."""
    @functools.wraps(fn)
    def kernel(xp, *args, **attrs):
        with xp.errstate(all="ignore"):
            return fn(xp, *args, **attrs)
    return kernel


def _cast_like(xp, out, like):
    return out if out.dtype == like.dtype else out.astype(like.dtype)


# ----------------------------------------------------------------------------- elementwise
for _op, _fn in {
    "AddV2": "add", "Sub": "subtract", "Mul": "multiply", "Maximum": "maximum",
    "Minimum": "minimum", "Equal": "equal", "NotEqual": "not_equal", "Less": "less",
    "LessEqual": "less_equal", "Greater": "greater", "GreaterEqual": "greater_equal",
    "LogicalAnd": "logical_and", "LogicalOr": "logical_or", "LogicalNot": "logical_not",
    "BitwiseAnd": "bitwise_and", "BitwiseOr": "bitwise_or", "BitwiseXor": "bitwise_xor",
    "Invert": "invert", "Neg": "negative", "Abs": "absolute", "Square": "square",
    "Sin": "sin", "Cos": "cos", "Floor": "floor", "Ceil": "ceil", "Round": "round",
    "Conj": "conjugate", "Real": "real", "Imag": "imag", "IsNan": "isnan", "IsInf": "isinf", "IsFinite": "isfinite",
}.items():
    KERNELS[_op] = _fn



def _logical(op, fn):
    """TF's logical ops take bool tensors only (NumPy would read any number as a truth value)."""
    def kernel(xp, *xs):
        for i, x in enumerate(xs):
            if x.dtype.kind != "b":
                raise ValueError(f"cannot compute {op} as input #{i}(zero-based) was expected to be a bool tensor "
                                 f"but is a {x.dtype} tensor. Make it bool first, e.g. ef.not_equal(x, 0)")
        return getattr(xp, fn)(*xs)
    return kernel


for _op, _fn in {"LogicalAnd": "logical_and", "LogicalOr": "logical_or", "LogicalNot": "logical_not"}.items():
    KERNELS[_op] = _logical(_op, _fn)

KERNELS["Identity"] = lambda xp, x: x  # tensors are immutable, so sharing the buffer is safe
KERNELS["StopGradient"] = lambda xp, x: x
KERNELS["Sign"] = lambda xp, x: xp.sign(x)


@_quiet
def _real_div(xp, x, y):
    kind = x.dtype.kind
    if kind in "iuc":
        if kind == "c":
            return _complex_quotient(xp, x, y)
        # TF's truediv casts integers first: 8/16-bit to float32, wider to float64
        wide = "float32" if x.dtype.itemsize <= 2 else "float64"
        x, y = x.astype(wide), y.astype(wide)
    return xp.true_divide(x, y)


KERNELS["RealDiv"] = _real_div
KERNELS["Sqrt"] = _quiet(lambda xp, x: xp.sqrt(x))
KERNELS["Rsqrt"] = _quiet(lambda xp, x: _cast_like(xp, 1 / xp.sqrt(x), x))
def _ftz(xp, a):
    """Denormals as signed zeros: TF's CPU threads flush them, on input and on output of every float op."""
    return xp.where(xp.abs(a) < xp.finfo(a.dtype).tiny, a * 0, a)


def _complex(xp, real, imag, dtype):
    out = xp.empty(real.shape, dtype=dtype)  # part by part: real + 1j * imag would turn inf * 1j into nan
    out.real, out.imag = real, imag
    return out


def _eigen_complex_quotient(xp, a, b, y):
    """(a + ib) / y as Eigen's vectorized complex division computes it (pdiv_complex): scaled by m = max(|re|,
    |im|) of y, ((a + ib) * conj(y / m)) / ((re / m)**2 + (im / m)**2) / m, each step flushed. So a 0j divisor
    gives nan+nanj (0 / 0), an infinite part of it nan+nanj too, and a denormal part reads as 0."""
    a, b, c, d = _ftz(xp, a), _ftz(xp, b), _ftz(xp, y.real), _ftz(xp, y.imag)
    m = xp.maximum(xp.abs(c), xp.abs(d))
    cs, ds = _ftz(xp, c / m), _ftz(xp, d / m)
    denom = _ftz(xp, _ftz(xp, cs * cs) + _ftz(xp, ds * ds))
    # (a + ib) * (cs - i ds) as Eigen's packet product: (a * cs - b * -ds, a * -ds + b * cs)
    real = _ftz(xp, _ftz(xp, a * cs) - _ftz(xp, b * -ds))
    imag = _ftz(xp, _ftz(xp, a * -ds) + _ftz(xp, b * cs))
    return _complex(xp, _ftz(xp, _ftz(xp, real / denom) / m), _ftz(xp, _ftz(xp, imag / denom) / m), y.dtype)


def _scalar_complex_quotient(xp, a, b, y):
    """(a + ib) / y as C++'s std::complex divides (the runtime's __divsc3/__divdc3: Smith's method, then C's
    recovery of the infinities and zeros that came out nan+nanj), each step flushed: 1 / 0j is inf+nanj."""
    a, b, c, d = _ftz(xp, a), _ftz(xp, b), _ftz(xp, y.real), _ftz(xp, y.imag)
    by_d = xp.abs(c) < xp.abs(d)
    ratio = _ftz(xp, xp.where(by_d, c / d, d / c))
    denom = _ftz(xp, xp.where(by_d, _ftz(xp, c * ratio) + d, _ftz(xp, d * ratio) + c))
    # by d: x = (a * ratio + b) / denom, y = (b * ratio - a) / denom; by c: (b * ratio + a), (b - a * ratio)
    real = _ftz(xp, xp.where(by_d, _ftz(xp, a * ratio) + b, _ftz(xp, b * ratio) + a) / denom)
    imag = _ftz(xp, xp.where(by_d, _ftz(xp, b * ratio) - a, b - _ftz(xp, a * ratio)) / denom)
    lost = xp.isnan(real) & xp.isnan(imag)
    zero = lost & (c == 0) & (d == 0) & ~(xp.isnan(a) & xp.isnan(b))
    big = lost & ~zero & (xp.isinf(a) | xp.isinf(b)) & xp.isfinite(c) & xp.isfinite(d)
    small = lost & ~zero & ~big & (xp.isinf(c) | xp.isinf(d)) & xp.isfinite(a) & xp.isfinite(b)
    inf = xp.asarray(np.inf, dtype=c.dtype)

    def unit(v):  # copysign(isinf(v) ? 1 : 0, v)
        return xp.copysign(xp.where(xp.isinf(v), 1.0, 0.0).astype(v.dtype), v)
    a1, b1, c1, d1 = unit(a), unit(b), unit(c), unit(d)
    real = xp.where(zero, xp.copysign(inf, c) * a, xp.where(big, inf * (a1 * c + b1 * d),
                                                            xp.where(small, 0.0 * (a * c1 + b * d1), real)))
    imag = xp.where(zero, xp.copysign(inf, c) * b, xp.where(big, inf * (b1 * c - a1 * d),
                                                            xp.where(small, 0.0 * (b * c1 - a * d1), imag)))
    return _complex(xp, real, imag, y.dtype)


# Eigen's packets hold 4 complex64 or 2 complex128 values (AVX): TF's CPU kernels divide the first
# n - n % width elements (of the flattened output) as packets, the rest one by one as std::complex does
_COMPLEX_PACKET = {"complex64": 4, "complex128": 2}


def _complex_quotient(xp, x, y):
    """x / y of complex arrays (broadcast together) as TF's CPU kernel divides them."""
    x, y = xp.broadcast_arrays(x, y)
    shape = x.shape
    x, y = x.reshape(-1), y.reshape(-1)
    packed = x.size - x.size % _COMPLEX_PACKET[y.dtype.name]
    head, tail = slice(0, packed), slice(packed, None)
    out = xp.concatenate([_eigen_complex_quotient(xp, x[head].real, x[head].imag, y[head]),
                          _scalar_complex_quotient(xp, x[tail].real, x[tail].imag, y[tail])])
    return out.reshape(shape)


@_quiet
def _reciprocal(xp, x):
    if x.dtype.kind != "c":
        return _cast_like(xp, 1 / x, x)
    return _complex_quotient(xp, xp.ones((), dtype=x.dtype), x)


KERNELS["Reciprocal"] = _reciprocal
KERNELS["Exp"] = _quiet(lambda xp, x: xp.exp(x))
KERNELS["Expm1"] = _quiet(lambda xp, x: xp.expm1(x))
KERNELS["Log"] = _quiet(lambda xp, x: xp.log(x))
KERNELS["Log1p"] = _quiet(lambda xp, x: xp.log1p(x))
KERNELS["Tan"] = _quiet(lambda xp, x: xp.tan(x))
KERNELS["Tanh"] = lambda xp, x: xp.tanh(x)
def _pow(xp, x, y):
    """x ** y. Complex: as TF's std::pow, C's cpow, `exp(y * log(x))` (not NumPy's power, which multiplies out
    small integer powers): `0j ** -1` is `inf+nanj`, `0j ** 0` is `nan+nanj`, and the rounding is the same."""
    if x.dtype.kind == "c":
        return xp.exp(y * xp.log(x))
    return xp.power(x, y)


KERNELS["Pow"] = _quiet(_pow)
KERNELS["SquaredDifference"] = lambda xp, x, y: _squared_difference(xp, x - y)


# Ops whose kernel is one ufunc of its inputs once its dtype checks have passed, with floating-point
# warnings off: a replayed ef.function (framework/recording.py), whose dtypes were checked when it was
# traced, calls the ufunc itself, into a reused buffer (`out=`).
REPLAY_UFUNCS = {"Sqrt": "sqrt", "Expm1": "expm1", "Log": "log", "Log1p": "log1p", "Tan": "tan",
                 "Tanh": "tanh", "Sin": "sin", "Cos": "cos"}  # not Exp and Pow: their results are flushed


def _squared_difference(xp, d):
    return d * xp.conj(d) if d.dtype.kind == "c" else xp.square(d)  # TF: |x - y|^2 for complex


@_quiet
def _sigmoid(xp, x):
    if x.dtype.kind == "c":
        return 1 / (1 + xp.exp(-x))
    if x.dtype.itemsize == 2:  # float16, bfloat16: TF's e / (1 + e), e = exp(x), each step in the half type
        e = xp.exp(x)
        return xp.where(xp.isinf(e), xp.ones_like(x), e / (1 + e)).astype(x.dtype, copy=False)
    # Split by sign so exp never overflows: 1/(1+e^-x) for x >= 0, e^x/(1+e^x) for x < 0.
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


KERNELS["Sigmoid"] = _sigmoid


def _int_division_check(xp, x, y):
    if x.dtype.kind in "iu" and not xp.all(y):
        raise ZeroDivisionError("Integer division by zero")


@_quiet
def _floor_div(xp, x, y):
    _int_division_check(xp, x, y)
    if x.dtype.kind not in "iu":  # TF: floor(x / y), so -5.5 // inf is -0.0 (NumPy: -1.0)
        return xp.floor(xp.true_divide(x, y))
    return xp.floor_divide(x, y)


@_quiet
def _floor_mod(xp, x, y):
    _int_division_check(xp, x, y)
    if x.dtype.kind not in "iu":  # TF: fmod, moved into y's sign; 0.5 % -0.25 is 0.0 (NumPy: -0.0)
        m = xp.fmod(x, y)
        return xp.where(((x < 0) != (y < 0)) & (m != 0), m + y, m)
    return xp.remainder(x, y)


@_quiet
def _truncate_div(xp, x, y):
    _int_division_check(xp, x, y)
    if x.dtype.kind in "iu":
        q = xp.floor_divide(x, y)
        return q + ((q < 0) & (q * y != x)).astype(q.dtype)
    return xp.trunc(x / y)


KERNELS["FloorDiv"] = _floor_div
KERNELS["FloorMod"] = _floor_mod
KERNELS["TruncateDiv"] = _truncate_div


@_quiet
def _truncate_mod(xp, x, y):
    _int_division_check(xp, x, y)
    return xp.fmod(x, y)


KERNELS["TruncateMod"] = _truncate_mod


def _cast(xp, x, dtype):
    if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":
        x = xp.real(x)
    if np.dtype(dtype) == np.uint64 and x.dtype.kind in "fV":
        return _float_to_uint64(xp, x)
    return x.astype(dtype)


def _float_to_uint64(xp, x):
    """Floats to uint64 as TF's CPU kernel converts them: exactly in [2**63, 2**64), through int64 below
    (so -1.0 wraps to 2**64 - 1), and 2**63 for NaN, infinities and whatever else is out of range
    (x86's 'integer indefinite'); NumPy gives 0 or 2**63 there depending on the value."""
    f = x.astype("float64")
    high = (f >= 2.0 ** 63) & (f < 2.0 ** 64)
    inside = (f > -(2.0 ** 63)) & (f < 2.0 ** 63)
    through_int64 = xp.where(inside, f, 0.0).astype("int64").astype("uint64")
    exact = xp.where(high, f, 0.0).astype("uint64")
    return xp.where(high, exact, xp.where(inside, through_int64, xp.asarray(2 ** 63, dtype="uint64")))


KERNELS["Cast"] = _cast


def _bitcast(xp, x, type):  # noqa: A002 - TF's attr
    """The bits of `x` as `type`: a narrower type adds a last dimension, a wider one takes it away."""
    x = x if x.flags.c_contiguous else xp.array(x, order="C")
    if type.itemsize < x.dtype.itemsize:
        return x[..., None].view(type)
    out = x.view(type)
    return out if type.itemsize == x.dtype.itemsize else out.reshape(x.shape[:-1])


KERNELS["Bitcast"] = _bitcast
KERNELS["ClipByValue"] = lambda xp, x, lo, hi: xp.minimum(xp.maximum(x, lo), hi).astype(x.dtype, copy=False)
KERNELS["AddN"] = lambda xp, *xs: functools.reduce(xp.add, xs)

# Inverse trigonometric and hyperbolic functions; out-of-domain inputs give NaN silently, as TF.
for _op, _fn in {"Asin": "arcsin", "Acos": "arccos", "Atan": "arctan", "Sinh": "sinh", "Cosh": "cosh",
                 "Asinh": "arcsinh", "Acosh": "arccosh", "Atanh": "arctanh", "Rint": "rint"}.items():
    KERNELS[_op] = _quiet(lambda xp, x, _fn=_fn: getattr(xp, _fn)(x))
KERNELS["Atan2"] = lambda xp, y, x: xp.arctan2(y, x)
KERNELS["Softsign"] = lambda xp, x: x / (1 + xp.abs(x))


# Eigen's AVX packet widths on TF's CPU: a binary op computes the first n - n % width elements of the
# (flattened) output packet by packet and the rest one by one; float16 and bfloat16 go through float32 packets
_PACKET_WIDTH = {"float16": 8, "bfloat16": 8, "float32": 8, "float64": 4, "complex64": 4, "complex128": 2}


def _zero_where_x_is(xp, x, out):
    """`out` with 0 where x is 0, as TF's xdivy/xlogy: its packet path keeps x there (so -0.0 stays -0.0),
    its element-by-element tail returns a literal +0."""
    x = xp.broadcast_to(x, out.shape)
    zero = x == 0
    packed = out.size - out.size % _PACKET_WIDTH.get(out.dtype.name, 1)
    kept = xp.zeros(out.shape, dtype=out.dtype)
    kept.reshape(-1)[:packed] = x.reshape(-1)[:packed]
    return xp.where(zero, kept, out)


@_quiet
def _xlogy(xp, x, y):
    """x * log(y), and 0 where x is 0 (even where y is 0 or NaN), as TF's Xlogy."""
    return _zero_where_x_is(xp, x, (x * xp.log(y)).astype(x.dtype, copy=False))


@_quiet
def _xdivy(xp, x, y):
    """x / y, and 0 where x is 0, as TF's Xdivy; complex quotients as TF's CPU divides them."""
    quotient = _complex_quotient(xp, x, y) if x.dtype.kind == "c" else xp.true_divide(x, y)
    return _zero_where_x_is(xp, x, quotient.astype(x.dtype, copy=False))


@_quiet
def _mul_no_nan(xp, x, y):
    """x * y, and 0 where y is 0 (even where x is inf or NaN), as TF's MulNoNan."""
    return xp.where(y == 0, xp.zeros_like(x * y), x * y).astype(x.dtype, copy=False)


KERNELS["Xlogy"] = _xlogy
KERNELS["Xdivy"] = _xdivy
KERNELS["MulNoNan"] = _mul_no_nan

# ----------------------------------------------------------------------------- nn
KERNELS["Relu"] = lambda xp, x: xp.maximum(x, 0).astype(x.dtype, copy=False)
KERNELS["Relu6"] = lambda xp, x: xp.clip(x, 0, 6).astype(x.dtype, copy=False)
KERNELS["LeakyRelu"] = lambda xp, x, alpha=0.2: xp.where(x > 0, x, x * alpha).astype(x.dtype, copy=False)
def _expm1(xp, x):
    """exp(x) - 1 as TF's half-type kernels (elu, selu) compute it: exp, then minus 1, each rounded to the
    half type; expm1 elsewhere."""
    return xp.exp(x) - 1 if x.dtype.itemsize == 2 else xp.expm1(x)


KERNELS["Elu"] = _quiet(lambda xp, x: xp.where(x < 0, _expm1(xp, x), x).astype(x.dtype, copy=False))  # -0.0 kept
@_quiet
def _softplus(xp, x):
    """log1p(exp(x)) as TF's kernel: x itself above -t and exp(x) below t, where t = log(eps) + 2 of the dtype
    (-13.9 float32, -2.9 bfloat16): there the other terms are below its precision. float16 goes through
    float32, rounding once."""
    if x.dtype.name == "float16":
        return _softplus(xp, x.astype("float32")).astype(x.dtype)
    threshold = np.log(_float_info(x.dtype).eps) + 2
    e = xp.exp(x)
    return xp.where(x > -threshold, x, xp.where(x < threshold, e, xp.log1p(e))).astype(x.dtype, copy=False)


def _float_info(dtype):
    import ml_dtypes  # finfo of bfloat16 too

    return ml_dtypes.finfo(dtype)


KERNELS["Softplus"] = _softplus
KERNELS["BiasAdd"] = lambda xp, x, b: x + b
KERNELS["L2Loss"] = lambda xp, x: (xp.sum(xp.square(x)) / 2).astype(x.dtype)


def _softmax(xp, x, axis=-1):
    shifted = x - xp.max(x, axis=axis, keepdims=True)
    e = xp.exp(shifted)
    return e / xp.sum(e, axis=axis, keepdims=True)


def _log_softmax(xp, x, axis=-1):
    shifted = x - xp.max(x, axis=axis, keepdims=True)
    return shifted - xp.log(xp.sum(xp.exp(shifted), axis=axis, keepdims=True))


KERNELS["Softmax"] = _quiet(_softmax)
KERNELS["LogSoftmax"] = _quiet(_log_softmax)


@_quiet
def _softmax_xent(xp, logits, labels):
    """(loss, backprop) as TF's SoftmaxCrossEntropyWithLogits: stable via log-softmax."""
    log_p = _log_softmax(xp, logits, axis=-1)
    loss = -xp.sum(labels * log_p, axis=-1)
    return loss, xp.exp(log_p) - labels


@_quiet
def _sparse_softmax_xent(xp, logits, labels):
    depth = logits.shape[-1]
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= depth):
        bad = labels[(labels < 0) | (labels >= depth)].ravel()[0]
        raise IndexError(f"Received a label value of {int(bad)} which is outside the valid range of "
                         f"[0, {depth}).")
    log_p = _log_softmax(xp, logits, axis=-1)
    one_hot = (labels[..., None] == xp.arange(depth)).astype(logits.dtype)
    loss = -xp.sum(one_hot * log_p, axis=-1)
    return loss, xp.exp(log_p) - one_hot


KERNELS["SoftmaxCrossEntropyWithLogits"] = _softmax_xent
KERNELS["SparseSoftmaxCrossEntropyWithLogits"] = _sparse_softmax_xent

# ----------------------------------------------------------------------------- reductions


def _reduction(name):
    def kernel(xp, x, axis=None, keepdims=False):
        fn = getattr(xp, name)
        if name in ("any", "all") and x.dtype.kind != "b":  # TF's Any/All take bools only
            raise ValueError(f"cannot compute {name.capitalize()} as input #0(zero-based) was expected to be a bool "
                             f"tensor but is a {x.dtype} tensor. Make it bool first, e.g. ef.not_equal(x, 0)")
        if name in ("sum", "prod", "cumsum") and x.dtype.kind in "iub":
            out = fn(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        elif name == "mean" and x.dtype.kind in "iu":
            # TF's integer mean is an integer division of the sum, rounding toward zero; the sum is
            # accumulated wide, so the mean of [100, 100] in int8 is 100.
            wide = "int64" if x.dtype.kind == "i" else "uint64"
            total = xp.sum(x, axis=axis, keepdims=keepdims, dtype=wide)
            count = x.size // max(total.size, 1) if x.size else 1
            out = _truncate_div(xp, total, xp.asarray(count, dtype=wide))
        elif name in ("max", "min") and x.size == 0:
            out = _empty_extreme(xp, x, axis, keepdims, name)
        elif name == "mean" and x.size == 0:  # 0/0: NaN, silently as TF (NumPy would warn)
            out = xp.sum(x, axis=axis, keepdims=keepdims) / xp.zeros((), dtype=x.dtype)
        else:
            out = fn(x, axis=axis, keepdims=keepdims)
        return out.astype(x.dtype, copy=False) if x.dtype.kind != "b" or name in ("any", "all", "max", "min") else out
    return _quiet(kernel)


def _empty_extreme(xp, x, axis, keepdims, name):
    """TF reduces an empty max to the dtype's lowest value (and min to its highest)."""
    import numpy as np  # host-side limits only
    if x.dtype.kind == "f":
        fill = -np.inf if name == "max" else np.inf
    elif x.dtype.kind in "iu":
        info = np.iinfo(x.dtype)
        fill = info.min if name == "max" else info.max
    else:
        fill = name == "min"
    shape = list(x.shape)
    axes = range(x.ndim) if axis is None else [a % x.ndim for a in (axis if isinstance(axis, tuple) else (axis,))]
    for a in sorted(axes, reverse=True):
        if keepdims:
            shape[a] = 1
        else:
            del shape[a]
    return xp.full(shape, fill, dtype=x.dtype)


for _op, _fn in {"Sum": "sum", "Mean": "mean", "Max": "max", "Min": "min", "Prod": "prod",
                 "Any": "any", "All": "all"}.items():
    KERNELS[_op] = _reduction(_fn)


def _arg_extreme(name):
    def kernel(xp, x, axis, output_type):
        if x.shape[axis] == 0:
            raise ValueError(f"Reduction axis {axis} is empty in shape {tuple(x.shape)}")
        if x.dtype.kind in "fV" and bool(xp.isnan(x).any()):
            # TF skips NaNs (a NaN never compares larger or smaller); an all-NaN row gives index 0
            fill = float("-inf") if name == "argmax" else float("inf")
            x = xp.where(xp.isnan(x), xp.asarray(fill, dtype=x.dtype), x)
        return getattr(xp, name)(x, axis=axis).astype(output_type)
    return kernel


KERNELS["ArgMax"] = _arg_extreme("argmax")
KERNELS["ArgMin"] = _arg_extreme("argmin")


def _cumulative(name, identity):
    """Cumsum/Cumprod with TF's `exclusive` (shift in the identity) and `reverse` attributes."""
    def kernel(xp, x, axis=0, exclusive=False, reverse=False):
        if reverse:
            x = xp.flip(x, axis)
        out = getattr(xp, name)(x, axis=axis, dtype=x.dtype)
        if exclusive:
            moved = xp.moveaxis(out, axis, 0)
            first = xp.zeros_like(moved[:1]) if identity == 0 else xp.ones_like(moved[:1])
            out = xp.moveaxis(xp.concatenate([first, moved[:-1]], axis=0), 0, axis)
        return xp.flip(out, axis) if reverse else out
    return kernel


KERNELS["Cumsum"] = _cumulative("cumsum", 0)
KERNELS["Cumprod"] = _cumulative("cumprod", 1)


@_quiet
def _euclidean_norm(xp, x, axis=None, keepdims=False):
    """sqrt(sum(|x|^2)) across axes; integers are rounded toward zero (TF: norm of [1, 1] in int32 is 1)."""
    if x.dtype.kind in "iu":
        total = xp.sum(xp.square(x.astype("float64")), axis=axis, keepdims=keepdims)
        return xp.sqrt(total).astype(x.dtype)
    if x.dtype.kind == "c":
        return xp.sqrt(xp.sum(x * xp.conj(x), axis=axis, keepdims=keepdims)).astype(x.dtype, copy=False)
    return xp.sqrt(xp.sum(xp.square(x), axis=axis, keepdims=keepdims)).astype(x.dtype, copy=False)


KERNELS["EuclideanNorm"] = _euclidean_norm

# ----------------------------------------------------------------------------- linear algebra


def _matmul(xp, a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False):
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(f"In[{0 if a.ndim < 2 else 1}] ndims must be >= 2")
    if transpose_a or adjoint_a:
        a = xp.swapaxes(a, -1, -2)
        a = xp.conj(a) if adjoint_a else a
    if transpose_b or adjoint_b:
        b = xp.swapaxes(b, -1, -2)
        b = xp.conj(b) if adjoint_b else b
    # 2-D: `dot` calls the same BLAS routine as `matmul` (the same bits) without the gufunc's setup,
    # which is most of the time of a small product (1x16 @ 16x16: 1.5 us against 3.1 us)
    out = xp.dot(a, b) if a.ndim == 2 and b.ndim == 2 else xp.matmul(a, b)
    return _cast_like(xp, out, a)  # ml_dtypes' bfloat16 matmul gives float32


KERNELS["MatMul"] = _matmul
KERNELS["BatchMatMulV2"] = _matmul
KERNELS["Einsum"] = lambda xp, *xs, equation: xp.einsum(equation, *xs)
KERNELS["MatrixInverse"] = lambda xp, x, adjoint=False: xp.linalg.inv(xp.conj(xp.swapaxes(x, -1, -2)) if adjoint else x)
KERNELS["MatrixDeterminant"] = lambda xp, x: xp.linalg.det(x).astype(x.dtype, copy=False)

# ----------------------------------------------------------------------------- array


def _reshape(xp, x, shape):
    return xp.reshape(x, shape)


KERNELS["Reshape"] = _reshape
KERNELS["Transpose"] = lambda xp, x, perm: xp.transpose(x, perm)
KERNELS["ConcatV2"] = lambda xp, *xs, axis: xp.concatenate(xs, axis=axis)
KERNELS["Pack"] = lambda xp, *xs, axis: xp.stack(xs, axis=axis)
KERNELS["Unpack"] = lambda xp, x, axis, num: tuple(xp.moveaxis(x, axis, 0)) if num else ()
KERNELS["SplitV"] = lambda xp, x, indices, axis: tuple(xp.split(x, indices, axis=axis))
KERNELS["Squeeze"] = lambda xp, x, axis: xp.squeeze(x, axis=axis)
KERNELS["ExpandDims"] = lambda xp, x, axis: xp.expand_dims(x, axis)
KERNELS["Tile"] = lambda xp, x, multiples: xp.tile(x, multiples)
KERNELS["ReverseV2"] = lambda xp, x, axis: xp.flip(x, axis)
KERNELS["BroadcastTo"] = lambda xp, x, shape: xp.broadcast_to(x, shape)
KERNELS["SelectV2"] = lambda xp, cond, x, y: xp.where(cond, x, y)
KERNELS["Where"] = lambda xp, cond: xp.argwhere(cond).astype("int64")
KERNELS["ZerosLike"] = lambda xp, x: xp.full(x.shape, b"", dtype=object) if x.dtype.kind == "O" else xp.zeros_like(x)


def _ones_like(xp, x):
    if x.dtype.kind == "O":
        raise TypeError("OnesLike is not supported for dtype string")
    return xp.ones_like(x)


KERNELS["OnesLike"] = _ones_like
# Scalars go in as Python numbers (`.item()`): CuPy's arange/linspace/full take no 0-d arrays.
KERNELS["Fill"] = lambda xp, value, dims: xp.full(dims, value.item(), dtype=value.dtype)
KERNELS["Range"] = lambda xp, start, limit, delta: xp.arange(start.item(), limit.item(), delta.item(),
                                                             dtype=start.dtype)
KERNELS["Eye"] = lambda xp, num_rows, num_columns, dtype: xp.eye(num_rows, num_columns, dtype=dtype)


def _pad(xp, x, constant_values, paddings, mode="CONSTANT"):  # inputs (x, constant_values), as PadV2
    if x.ndim == 0:  # nothing to pad (NumPy refuses the empty padding list)
        return x.copy()
    paddings = [tuple(int(v) for v in p) for p in paddings]
    if mode == "CONSTANT":
        # The fill as its Python number: CuPy's pad reads `constant_values` with numpy.array(), which refuses a
        # device array. (A string fill stays a 0-d object array, or NumPy would store it as numpy.bytes_.)
        fill = constant_values if x.dtype.kind == "O" else constant_values.item()
        return xp.pad(x, paddings, mode="constant", constant_values=fill)
    return xp.pad(x, paddings, mode=mode.lower())


KERNELS["PadV2"] = _pad


def _gather(xp, params, indices, axis=0, batch_dims=0):
    size = params.shape[axis]
    if indices.size and (int(indices.min()) < 0 or int(indices.max()) >= size):
        bad = indices[(indices < 0) | (indices >= size)].ravel()[0]
        raise IndexError(f"indices = {int(bad)} is not in [0, {size})")
    if batch_dims == 0:
        return xp.take(params, indices, axis=axis)
    # batch_dims > 0: the leading dims of params and indices are matched, not crossed.
    lead = params.shape[:batch_dims]
    flat_p = params.reshape((-1,) + params.shape[batch_dims:])
    flat_i = indices.reshape((-1,) + indices.shape[batch_dims:])
    parts = [xp.take(flat_p[b], flat_i[b], axis=axis - batch_dims) for b in range(flat_p.shape[0])]
    out = xp.stack(parts) if parts else xp.zeros((0,), params.dtype)
    return out.reshape(lead + out.shape[1:])


KERNELS["GatherV2"] = _gather


def _nd_index(xp, indices, shape, of=""):
    """The index tuple of `indices`, whose last dimension indexes `shape`; every column checked in range."""
    for d in range(indices.shape[-1]):
        col = indices[..., d]
        if col.size and (int(col.min()) < 0 or int(col.max()) >= shape[d]):
            raise IndexError(f"indices along dimension {d} must be in [0, {shape[d]}){of}")
    return tuple(xp.moveaxis(indices, -1, 0))


def _gather_nd(xp, params, indices):
    return params[_nd_index(xp, indices, params.shape)]


KERNELS["GatherNd"] = _gather_nd


def _one_hot(xp, indices, on_value, off_value, depth, axis=-1):  # inputs (indices, on, off); depth is an attr
    # written in place: memory for the output only (no depth-long index range), indices outside [0, depth) stay off
    out = xp.full(tuple(indices.shape) + (depth,), off_value.item(), dtype=on_value.dtype)
    ids = indices.reshape(-1)
    rows = xp.nonzero((ids >= 0) & (ids < depth))[0]
    if rows.size:
        out.reshape(ids.size, depth)[rows, ids[rows]] = on_value
    return out if axis == -1 else xp.moveaxis(out, -1, axis)


KERNELS["OneHot"] = _one_hot


def _descending_order(xp, x, axis):
    """Indices sorting x descending, ties keeping the lower index first (as TF's top_k)."""
    if x.dtype.kind in "fV" and x.size and bool(xp.isnan(x).any()):
        return _nan_descending_order(xp, x, axis)
    if x.dtype.kind == "b":
        x = x.astype("int8")
    if xp is np and x.dtype.itemsize <= 4 and x.dtype.kind in "fiu" and x.ndim and x.shape[axis] < 2 ** 32:
        return _packed_descending_order(x, axis)
    # ~x reverses the order of every integer without overflow (-x wraps the most negative value, and unsigned
    # values above the signed maximum would turn negative through an int64 cast)
    return xp.argsort(~x if x.dtype.kind in "iu" else -x, axis=axis, kind="stable")


def _packed_descending_order(x, axis):
    """`_descending_order` of NumPy values of 32 bits or fewer (no NaN): each value's descending rank key in the
    high 32 bits of a uint64, its index in the low ones, sorted with NumPy's (SIMD) sort, which need not be
    stable since no two packed keys are equal; several times faster than a stable argsort."""
    x = np.moveaxis(x, axis, -1)
    if x.dtype.kind == "f":
        bits = (x.astype(np.float32, copy=False) + np.float32(0)).view(np.uint32)  # + 0: -0.0 ties with 0.0
        # the floats' order as unsigned ints: negative ones have all bits flipped, others the sign bit set
        key = bits ^ (np.negative(bits >> np.uint32(31)) | np.uint32(1 << 31))
    elif x.dtype.kind == "i":
        key = x.astype(np.int32).view(np.uint32) ^ np.uint32(1 << 31)
    else:
        key = x.astype(np.uint32)
    packed = (~key).astype(np.uint64) << np.uint64(32)
    packed |= np.arange(x.shape[-1], dtype=np.uint64)
    packed.sort(axis=-1)
    packed &= np.uint64(0xFFFFFFFF)
    order = packed.view(np.int64)  # the indices, below 2 ** 32
    return np.moveaxis(order, -1, axis)


def _nan_descending_order(xp, x, axis, k=None, sorted=True):
    """TF's order of values holding NaN (see nan_order), row by row on the host; `k` and `sorted` as top_k's."""
    from eagerflow.backends import nan_order  # only rows holding NaN need it
    host = _host_rows(x, axis, np.float64)
    rows = host.reshape(-1, host.shape[-1]).tolist()
    n = host.shape[-1]
    if k is None or k >= n:
        order = [nan_order.sort_order(row) for row in rows]
    elif k == 1:
        lanes = 32 // x.dtype.itemsize if x.dtype.itemsize > 2 else 8  # AVX lanes (16-bit floats: 8 floats)
        order = [[nan_order.top_1_index(row, lanes)] for row in rows]
    elif sorted:
        order = [nan_order.top_n_order(row, k) for row in rows]
    else:
        order = [nan_order.top_n_heap(row, k, range(k + 1, n)) for row in rows]
    order = np.array(order, dtype=np.int64).reshape(host.shape[:-1] + (len(order[0]),))
    return xp.asarray(np.moveaxis(order, -1, axis))


def _top_n_heap_order(xp, x, k):
    """The indices top_k(sorted=False) gives for 1 < k < n of values without NaN: TF's gtl::TopN heap as it
    stands after the pushes, replayed on the host on each column's rank in the sorted order (see nan_order)."""
    from eagerflow.backends import nan_order
    host = _host_rows(x, -1, None)
    flat = host.reshape(-1, host.shape[-1])
    order = _descending_order(np, flat, -1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(flat.shape[-1]), axis=-1)
    heap = np.take_along_axis(order, nan_order.top_n_heap_ranks(ranks, k), axis=-1)
    return xp.asarray(heap.reshape(host.shape[:-1] + (k,)))


def _host_rows(x, axis, dtype):
    """x on the host (NumPy) with `axis` last, in `dtype` (None: its own)."""
    return np.moveaxis(np.asarray(x.get() if hasattr(x, "get") else x, dtype=dtype), axis, -1)


def _top_k(xp, x, k, sorted=True):
    """The k largest along the last axis (ties: the lower index), largest first, as TF's CPU kernel; with
    `sorted=False` and 1 < k < n, in the order TF's kernel leaves them: its gtl::TopN heap's."""
    if k > x.shape[-1]:
        raise ValueError(f"input must have at least k={k} columns, got shape {tuple(x.shape)}")
    if k and x.dtype.kind in "fV" and bool(xp.isnan(x).any()):
        idx = _nan_descending_order(xp, x, -1, k, sorted)
    elif not sorted and 1 < k < x.shape[-1] and x.size:
        idx = _top_n_heap_order(xp, x, k)
    else:  # TF sorts for k = n and takes the maximum for k = 1, whatever `sorted` says
        idx = _descending_order(xp, x, -1)[..., :k]
    return xp.take_along_axis(x, idx, axis=-1), idx.astype("int32")


KERNELS["TopKV2"] = _top_k


def _strided_slice(xp, x, key):
    try:
        return x[key]
    except IndexError as e:
        raise IndexError(f"{e} (slicing shape {tuple(x.shape)} with {key!r})") from None


KERNELS["StridedSlice"] = _strided_slice



def _add_at(xp, a, index, b):
    """`a[index] += b` with repeated indices adding up, as NumPy's `add.at`. A namespace whose `add.at` does
    not cover every dtype supplies `scatter_add` instead (the GPU's: CUDA's atomicAdd has no int8/16/64,
    uint8/16 or complex, and CuPy before 13 has no `ufunc.at` at all)."""
    scatter_add = getattr(xp, "scatter_add", None)
    if scatter_add is None:
        xp.add.at(a, index, b)
    else:
        scatter_add(a, index, b)


def _unsorted_segment_sum(xp, data, segment_ids, num_segments):
    """Row i of the output is the sum of the slices of `data` whose id is i; negative ids are dropped."""
    ids = segment_ids
    if tuple(data.shape[:ids.ndim]) != tuple(ids.shape):
        raise ValueError(f"data.shape = {tuple(data.shape)} does not start with segment_ids.shape = "
                         f"{tuple(ids.shape)}: give one segment id per leading slice of data")
    if ids.size and int(ids.max()) >= num_segments:
        flat = ids.ravel()
        pos = int(xp.argmax(flat >= num_segments))
        raise ValueError(f"segment_ids[{pos}] = {int(flat[pos])} is out of range [0, {num_segments}): "
                         f"raise num_segments or drop that id (negative ids are skipped)")
    out = xp.zeros((num_segments,) + tuple(data.shape[ids.ndim:]), dtype=data.dtype)
    keep = ids >= 0
    _add_at(xp, out, ids[keep], data[keep])
    return out


def _segment_sum(xp, data, segment_ids):
    """As `_unsorted_segment_sum` with sorted, non-negative 1-D ids; the output has max(id) + 1 rows."""
    ids = segment_ids
    if ids.ndim != 1 or (data.ndim == 0 or ids.shape[0] != data.shape[0]):
        raise ValueError(f"segment_ids should be a vector of the size of data's first dimension, got "
                         f"segment_ids.shape = {tuple(ids.shape)} and data.shape = {tuple(data.shape)}")
    if ids.size and int(ids.min()) < 0:
        raise ValueError(f"segment ids must be >= 0, got {int(ids.min())}; use ef.math.unsorted_segment_sum "
                         f"to skip negative ids")
    if ids.size > 1 and bool((ids[1:] < ids[:-1]).any()):
        raise ValueError("segment ids are not increasing: sort data by id first, or use "
                         "ef.math.unsorted_segment_sum")
    return _unsorted_segment_sum(xp, data, ids, int(ids[-1]) + 1 if ids.size else 0)


KERNELS["SegmentSum"] = _segment_sum
KERNELS["UnsortedSegmentSum"] = _unsorted_segment_sum

# ----------------------------------------------------------------------------- gradient helpers
# Kernels the gradient table (eagerflow/autodiff/gradients.py) uses; each has a gradient itself.
KERNELS["ReluGrad"] = lambda xp, g, y: g * (y > 0)  # as TF: a multiply by the mask (NaN upstream stays NaN)


def _strided_slice_grad(xp, g, shape, key):
    """Zeros of `shape` with `g` written at `key` (the gradient of StridedSlice)."""
    out = xp.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


def _gather_grad(xp, g, indices, shape, axis=0, batch_dims=0):
    """Zeros of `shape` with `g` added at `indices` along `axis` (repeats add up): GatherV2's gradient."""
    out = xp.zeros(shape, dtype=g.dtype)
    if batch_dims == 0:
        _add_at(xp, out, (slice(None),) * axis + (indices,), g)
        return out
    flat_o = out.reshape((-1,) + tuple(shape[batch_dims:]))
    flat_i = indices.reshape((-1,) + indices.shape[batch_dims:])
    flat_g = g.reshape((flat_o.shape[0],) + g.shape[batch_dims:])
    lead = (slice(None),) * (axis - batch_dims)
    for b in range(flat_o.shape[0]):
        _add_at(xp, flat_o[b], lead + (flat_i[b],), flat_g[b])
    return out


def _gather_nd_grad(xp, g, indices, shape):
    out = xp.zeros(shape, dtype=g.dtype)
    _add_at(xp, out, tuple(xp.moveaxis(indices, -1, 0)), g)
    return out


KERNELS["StridedSliceGrad"] = _strided_slice_grad
KERNELS["GatherGrad"] = _gather_grad
KERNELS["GatherNdGrad"] = _gather_nd_grad

# ----------------------------------------------------------------------------- variables
# The first argument is the variable's buffer, which these kernels update in place.
KERNELS["ReadVariableOp"] = lambda xp, ref: ref
KERNELS["AssignVariableOp"] = lambda xp, ref, value: xp.copyto(ref, value)
# Called as kernel(ref, value, out=ref): the ufunc itself, so a small update costs no Python frame.
KERNELS["AssignAddVariableOp"] = "add"
KERNELS["AssignSubVariableOp"] = "subtract"


def _scatter_check(xp, ref, indices):
    return _nd_index(xp, indices, ref.shape, f" for a variable of shape {tuple(ref.shape)}")


def _element(value):
    """A 0-d value as its element: NumPy stores a 0-d array into one element of an object (string) array as
    the array object itself, not as its bytes."""
    return value[()] if value.ndim == 0 else value


def _scatter_nd_update(xp, ref, indices, updates):
    ref[_scatter_check(xp, ref, indices)] = _element(updates)


def _scatter_nd_add(xp, ref, indices, updates):
    if updates.dtype == bool:  # TF's bool addition: a + b is a or b
        return _scatter_nd_or(xp, ref, indices, updates)
    _add_at(xp, ref, _scatter_check(xp, ref, indices), updates)


def _scatter_nd_sub(xp, ref, indices, updates):
    if updates.dtype == bool:  # TF's bool subtraction: a - b is a != b
        return _scatter_nd_xor(xp, ref, indices, updates)
    # adding the negation is exact (x - y is x + -y in IEEE arithmetic, and modulo 2**n for integers), and
    # needs only a scatter add: CuPy has no `subtract.at`
    _add_at(xp, ref, _scatter_check(xp, ref, indices), xp.negative(updates))


def _slice_assign(xp, ref, value, key):
    ref[key] = _element(value)


def _truncating_divide(xp, a, b):
    """C's integer division (toward zero), as TF's integer ScatterDiv; true division for the other dtypes."""
    if a.dtype.kind not in "iu":
        return xp.true_divide(a, b)
    q = xp.floor_divide(a, b)
    return q + ((q < 0) & (q * b != a)).astype(q.dtype)


# As TF's Eigen max/min, a NaN on either side keeps the variable's element where the comparison is false.
_COMBINE = {
    "mul": lambda xp, a, b: xp.multiply(a, b),
    "div": _truncating_divide,
    "max": lambda xp, a, b: xp.where(a < b, b, a),
    "min": lambda xp, a, b: xp.where(b < a, b, a),
    "xor": lambda xp, a, b: xp.not_equal(a, b),
    "or": lambda xp, a, b: xp.logical_or(a, b),
}


def _scatter_nd_combine(how):
    """`ref[index] = f(ref[index], updates)` with repeated indices applied one after another, in their order:
    round k takes every index's k-th occurrence (unique within the round), so any array module's fancy
    indexing does it, without a `ufunc.at` (CuPy has none for multiply, divide or a NaN-keeping max)."""
    combine = _COMBINE[how]

    def kernel(xp, ref, indices, updates):
        if not indices.size:
            return
        depth = indices.shape[-1]
        cols = tuple(c.ravel() for c in _scatter_check(xp, ref, indices))
        n = cols[0].size
        upd = updates.reshape((n,) + tuple(ref.shape[depth:]))
        flat = xp.ravel_multi_index(cols, ref.shape[:depth]).astype(np.int64)
        order = xp.argsort(flat * n + xp.arange(n))  # by index, ties in their order (the keys are unique)
        ordered = flat[order]
        rank = xp.empty(n, dtype=np.int64)
        rank[order] = xp.arange(n) - xp.searchsorted(ordered, ordered)  # k: the index's k-th occurrence
        for k in range(int(rank.max()) + 1):
            chosen = rank == k
            at = tuple(c[chosen] for c in cols)
            ref[at] = combine(xp, ref[at], upd[chosen]).astype(ref.dtype, copy=False)
    return kernel


def _rows(nd_kernel):
    """TF's row scatters (ResourceScatterUpdate, ...): `indices` of any shape index the first dimension, and
    a scalar `updates` goes to every row it indexes; a scalar variable is one row."""
    def kernel(xp, ref, indices, updates):
        rows = ref.reshape(1) if ref.ndim == 0 else ref  # a view: written in place
        if updates.ndim == 0:
            updates = xp.broadcast_to(updates, tuple(indices.shape) + tuple(rows.shape[1:]))
        nd_kernel(xp, rows, indices[..., None], updates)
    return kernel


_scatter_nd_xor = _scatter_nd_combine("xor")
_scatter_nd_or = _scatter_nd_combine("or")
KERNELS["ResourceScatterNdUpdate"] = _scatter_nd_update
KERNELS["ResourceScatterNdAdd"] = _scatter_nd_add
KERNELS["ResourceScatterNdSub"] = _scatter_nd_sub
KERNELS["ResourceScatterNdMax"] = _scatter_nd_combine("max")
KERNELS["ResourceScatterNdMin"] = _scatter_nd_combine("min")
KERNELS["ResourceScatterUpdate"] = _rows(_scatter_nd_update)
KERNELS["ResourceScatterAdd"] = _rows(_scatter_nd_add)
KERNELS["ResourceScatterSub"] = _rows(_scatter_nd_sub)
for _how in ("mul", "div", "max", "min"):
    KERNELS[f"ResourceScatter{_how.capitalize()}"] = _rows(_scatter_nd_combine(_how))
del _how
KERNELS["ResourceStridedSliceAssign"] = _slice_assign

# Every op that writes into a variable's buffer (tapes and ef.function recordings treat them as updates).
VARIABLE_UPDATES = frozenset({
    "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp", "ResourceStridedSliceAssign",
    "ResourceScatterNdUpdate", "ResourceScatterNdAdd", "ResourceScatterNdSub", "ResourceScatterNdMax",
    "ResourceScatterNdMin", "ResourceScatterUpdate", "ResourceScatterAdd", "ResourceScatterSub",
    "ResourceScatterMul", "ResourceScatterDiv", "ResourceScatterMax", "ResourceScatterMin",
})


# TF's CPU threads run with denormals flushed to zero: a float32, float64 or bfloat16 result below the
# smallest normal number is a (signed) zero (exp(-100.) is 0). These are the ops whose inputs of ordinary
# magnitude give such results: exponentials, powers, narrowing casts. Products (`*`, matmul, square, prod)
# give denormals only of operands below about 1e-19 and keep them, as the rest of the arithmetic does:
# checking every result would double the cost of the smallest ops.
DENORMAL_FLUSHED = frozenset({"Exp", "Sigmoid", "Softplus", "Softmax", "Erfc", "Pow", "Cast"})


_SMALLEST_NORMAL = {np.dtype(np.float32): np.finfo(np.float32).tiny, np.dtype(np.float64): np.finfo(np.float64).tiny}


def flush_array(out):
    """NumPy result `out` with its denormal float32/float64/bfloat16 values made (signed) zeros: in place
    where `out` owns its memory, else a new array. Other dtypes and other values go through untouched."""
    dtype = getattr(out, "dtype", None)
    limit = _SMALLEST_NORMAL.get(dtype)
    if limit is None:
        # bfloat16 by name: ml_dtypes is imported only once bfloat16 is used
        if dtype is None or dtype.kind != "V" or dtype.name != "bfloat16":
            return out
        limit = _SMALLEST_NORMAL[np.dtype(np.float32)]
    if type(out) is not np.ndarray:  # a NumPy scalar: times 0 keeps the sign, as TF's flush does
        return out * 0 if abs(out) < limit else out
    small = np.abs(out) < limit
    if out.base is not None:  # a view (of an input, perhaps): flushed into a new array
        return np.where(small, out * 0, out)
    np.multiply(out, 0, out=out, where=small)
    return out


def flush_denormals(kernels, ops=DENORMAL_FLUSHED):
    """`kernels` (bound to NumPy) with the results of `ops` flushed as TF's CPU kernels flush them."""
    def flushing(kernel):
        def flushed(*args, **attrs):
            return flush_array(kernel(*args, **attrs))
        return flushed

    return {op: flushing(k) if op in ops else k for op, k in kernels.items()}


def bind(table, xp):
    """The table with each entry bound to array module `xp`: a dict of plain callables."""
    bound = {}
    for name, kernel in table.items():
        bound[name] = getattr(xp, kernel) if isinstance(kernel, str) else functools.partial(kernel, xp)
    return bound


# The kernels of other areas (convolutions, decompositions, special functions, FFTs, scatters) register into
# the same table when first needed: most programs never run most of them, and `import eagerflow` stays fast.
# A device binds the core table at start; the first op whose kernel is missing loads the areas (`load_areas`),
# and every bound table is extended in place, so the execute path keeps its plain dict lookups.
_listeners = []


def on_new_kernels(extend):
    """Call `extend(table)` with the whole (unbound) table when `load_areas` runs: `extend` adds what it lacks."""
    _listeners.append(extend)


def _extend_devices():
    # the whole table: an area imported directly earlier registered into it without telling the devices
    for extend in _listeners:
        extend(dict(KERNELS))


load_areas = Areas("eagerflow.backends", ("kernels_nn", "kernels_linalg", "kernels_math", "kernels_signal",
                                          "kernels_scatter"), then=_extend_devices).load
