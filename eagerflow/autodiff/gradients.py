"""The gradient table: `GRADIENTS["OpName"] = fn(op, *output_grads) -> input grads`.

`op` is the tape's record of one executed op: `op.inputs` (tensors; a Variable for
ReadVariableOp), `op.outputs` (tensors), `op.attrs` (the kernel attrs) and `op.needs` (per
input: does the gradient reach a source through it; a function may skip the others and return
None). An output gradient is None where no gradient reaches that output (only for ops with
several outputs). Every function is written with eagerflow ops, so a tape that is active while
another tape computes gradients records them: tapes nest for higher derivatives.

    >>> GRADIENTS["Mul"]  # (g * y, g * x), each reduced to its input's shape
    <function _mul_grad at ...>

Ops in NOT_DIFFERENTIABLE are not recorded at all (comparisons, argmax, shapes, ...); their
outputs carry no gradient, as in TF.
"""

import math

import numpy as np

from eagerflow import errors
from eagerflow.backends.kernels import VARIABLE_UPDATES
from eagerflow.framework.areas import Areas
from eagerflow.framework.execute import execute

__all__ = ["GRADIENTS", "NOT_DIFFERENTIABLE", "reduce_to_shape", "gradient_function", "load_areas"]

GRADIENTS = {}

NOT_DIFFERENTIABLE = frozenset({
    "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr",
    "LogicalNot", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "Invert", "ArgMax", "ArgMin",
    "Where", "ZerosLike", "OnesLike", "Fill", "Range", "Eye", "OneHot", "Floor", "Ceil",
    "Round", "FloorDiv", "TruncateDiv", "StopGradient", "Any", "All", "VarHandleOp", "ResourceCountUpTo",
    "Const", "Rint", "IsNan", "IsInf", "IsFinite",
}) | VARIABLE_UPDATES


def _x(op, *inputs, **attrs):
    return execute(op, inputs, attrs or None)


def _shape(t):
    return tuple(t._value.shape) if hasattr(t, "_value") else tuple(t._buf.shape)


def _dtype(t):
    return t._dtype


def reduce_to_shape(g, shape):
    """`g` summed over the dimensions that broadcasting added or stretched, to `shape`."""
    if g is None:
        return None
    gs = g._value.shape
    shape = tuple(shape)
    if gs == shape:
        return g
    lead = len(gs) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape) if d == 1 and gs[i + lead] != 1)
    if axes:
        g = execute("Sum", (g,), {"axis": axes, "keepdims": False})
    if g._value.shape != shape:
        g = execute("Reshape", (g,), {"shape": shape})
    return g


def _rt(g, like):
    return reduce_to_shape(g, _shape(like))


def _reduction_axes(sx, sy):
    """TF's BroadcastGradientArgs: the axes of `broadcast(x, y)` that x's and y's gradients are summed over
    (none for equal shapes; a size-1 axis of both is summed for both)."""
    if sx == sy:
        return (), ()
    n = max(len(sx), len(sy))
    px, py = (1,) * (n - len(sx)) + sx, (1,) * (n - len(sy)) + sy
    return (tuple(i for i in range(n) if px[i] == 1), tuple(i for i in range(n) if py[i] == 1))


def _reduce_arg(g, shape, axes):
    if g is None:
        return None
    if axes:
        g = execute("Sum", (g,), {"axis": axes, "keepdims": True})
    return execute("Reshape", (g,), {"shape": shape}) if g._value.shape != shape else g


def _reduce_args(op, gx, gy, scalar_shortcut=False):
    """The gradients `gx`, `gy` of a broadcasting binary op summed to its inputs' shapes, by the inputs' shapes
    as TF's (a seed of another shape than the output's keeps its shape where nothing is summed). With
    `scalar_shortcut`, a scalar y that needs no gradient leaves gx as it is (TF's Add, Sub, Mul, Pow, Maximum)."""
    x, y = op.inputs[:2]
    sx, sy = _shape(x), _shape(y)
    if scalar_shortcut and not op.needs[1] and sy == ():
        return gx, None
    rx, ry = _reduction_axes(sx, sy)
    return (_reduce_arg(gx, sx, rx) if op.needs[0] else None, _reduce_arg(gy, sy, ry) if op.needs[1] else None)


def _zeros_like(t):
    return execute("ZerosLike", (t,))


def _conj(t):
    """`t` conjugated where it is complex. As TF, the gradient of a holomorphic f is g * conj(f'(x))
    (so a real-valued loss of complex values descends along its steepest direction)."""
    return execute("Conj", (t,)) if t._dtype.is_complex else t


def _times_conj(g, derivative):
    return _x("Mul", g, _conj(derivative))


def _register(*names):
    def deco(fn):
        for name in names:
            GRADIENTS[name] = fn
        return fn
    return deco


# ----------------------------------------------------------------------------- plumbing ops

GRADIENTS["Identity"] = lambda op, g: (g,)
GRADIENTS["ReadVariableOp"] = lambda op, g: (g,)
GRADIENTS["AddN"] = lambda op, g: (g,) * len(op.inputs)
GRADIENTS["Sign"] = lambda op, g: (_zeros_like(op.inputs[0]),)  # TF: zeros, not None


@_register("Cast")
def _cast_grad(op, g):
    x = op.inputs[0]
    if not (x._dtype.is_floating or x._dtype.is_complex) or not (g._dtype.is_floating or g._dtype.is_complex):
        return (None,)
    return (execute("Cast", (g,), {"dtype": x._dtype._np}),)


# ----------------------------------------------------------------------------- binary math

@_register("AddV2")
def _add_grad(op, g):
    return _reduce_args(op, g, g, scalar_shortcut=True)


@_register("Sub")
def _sub_grad(op, g):
    return _reduce_args(op, g, _x("Neg", g) if op.needs[1] else None, scalar_shortcut=True)


@_register("Mul")
def _mul_grad(op, g):
    x, y = op.inputs
    return _reduce_args(op, _x("Mul", g, _conj(y)) if op.needs[0] else None,
                        _x("Mul", _conj(x), g) if op.needs[1] else None, scalar_shortcut=True)


@_register("RealDiv")
def _div_grad(op, g):
    x, y = op.inputs
    gx = _x("RealDiv", g, _conj(y))
    gy = _x("Neg", _x("Mul", gx, _conj(op.outputs[0]))) if op.needs[1] else None  # -g x / y^2
    return _reduce_args(op, gx, gy)


@_register("FloorMod")
def _floormod_grad(op, g):
    x, y = op.inputs
    gy = _x("Neg", _x("Mul", g, _x("FloorDiv", x, y))) if op.needs[1] else None
    return _reduce_args(op, g, gy)


@_register("Pow")
def _pow_grad(op, g):
    x, y = op.inputs
    z = op.outputs[0]
    gx = gy = None
    if op.needs[0]:
        gx = _times_conj(g, _x("Mul", y, _x("Pow", x, _x("Sub", y, 1))))
    if op.needs[1]:
        # log(x) where it is defined: x > 0 for real x, x != 0 for complex x (as TF)
        pos = _x("NotEqual" if x._dtype.is_complex else "Greater", x, 0)
        safe = _select(pos, x, _x("OnesLike", x))
        log_x = _select(pos, _x("Log", safe), _x("ZerosLike", x))
        gy = _times_conj(g, _x("Mul", z, log_x))
    return _reduce_args(op, gx, gy, scalar_shortcut=True)


@_register("SquaredDifference")
def _sqdiff_grad(op, g):
    x, y = op.inputs
    d = _x("Mul", g, _x("Mul", _x("Sub", x, y), 2))
    return _reduce_args(op, d, _x("Neg", d) if op.needs[1] else None)


def _select(cond, a, b):
    return execute("SelectV2", (cond, a, b), match=False)


@_register("Maximum", "Minimum")
def _maxmin_grad(op, g):
    x, y = op.inputs
    mask = _x("GreaterEqual" if op.type == "Maximum" else "LessEqual", x, y)
    zeros = _zeros_like(g)
    return _reduce_args(op, _select(mask, g, zeros) if op.needs[0] else None,
                        _select(mask, zeros, g) if op.needs[1] else None, scalar_shortcut=True)


@_register("ClipByValue")
def _clip_grad(op, g):
    x, lo, hi = op.inputs
    zeros = _zeros_like(g)
    below, above = _x("Less", x, lo), _x("Greater", x, hi)
    inside = _x("LogicalNot", _x("LogicalOr", below, above))
    glo = _rt(_select(below, g, zeros), lo) if op.needs[1] else None
    ghi = _rt(_select(above, g, zeros), hi) if op.needs[2] else None
    return _rt(_select(inside, g, zeros), x), glo, ghi


# ----------------------------------------------------------------------------- unary math

GRADIENTS["Neg"] = lambda op, g: (_x("Neg", g),)
GRADIENTS["Conj"] = lambda op, g: (_x("Conj", g),)


@_register("Abs")
def _abs_grad(op, g):
    x = op.inputs[0]
    if x._dtype.is_complex:  # |x| is real: g x / |x| as a complex number, 0 at 0 (TF's ComplexAbs)
        return (_x("Mul", execute("Cast", (g,), {"dtype": x._dtype._np}), _x("Sign", x)),)
    return (_x("Mul", g, _x("Sign", x)),)


def _holomorphic(grad):
    """The gradient of an elementwise op with real coefficients, `grad(g, x, y)` written for real x:
    for complex x, conj(f'(x)) = f'(conj(x)), so it is the same formula of conj(x) and conj(y)."""
    return lambda op, g: (grad(g, _conj(op.inputs[0]), _conj(op.outputs[0])),)


_ELEMENTWISE = {
    "Square": lambda g, x, y: _x("Mul", g, _x("Mul", x, 2)),
    "Sqrt": lambda g, x, y: _x("RealDiv", _x("Mul", g, 0.5), y),
    "Rsqrt": lambda g, x, y: _x("Mul", g, _x("Mul", _x("Mul", y, _x("Square", y)), -0.5)),
    "Reciprocal": lambda g, x, y: _x("Neg", _x("Mul", g, _x("Square", y))),
    "Exp": lambda g, x, y: _x("Mul", g, y),
    "Expm1": lambda g, x, y: _x("Mul", g, _x("AddV2", y, 1)),
    "Log": lambda g, x, y: _x("RealDiv", g, x),
    "Log1p": lambda g, x, y: _x("RealDiv", g, _x("AddV2", x, 1)),
    "Sin": lambda g, x, y: _x("Mul", g, _x("Cos", x)),
    "Cos": lambda g, x, y: _x("Neg", _x("Mul", g, _x("Sin", x))),
    "Tan": lambda g, x, y: _x("Mul", g, _x("AddV2", _x("Square", y), 1)),
    "Tanh": lambda g, x, y: _x("Mul", g, _x("Sub", 1, _x("Square", y))),
    "Sigmoid": lambda g, x, y: _x("Mul", _x("Mul", g, y), _x("Sub", 1, y)),
    "Erf": lambda g, x, y: _x("Mul", g, _x("Mul", _x("Exp", _x("Neg", _x("Square", x))), 2 / math.sqrt(math.pi))),
    "Asin": lambda g, x, y: _x("Mul", g, _x("Rsqrt", _x("Sub", 1, _x("Square", x)))),
    "Acos": lambda g, x, y: _x("Neg", _x("Mul", g, _x("Rsqrt", _x("Sub", 1, _x("Square", x))))),
    "Atan": lambda g, x, y: _x("RealDiv", g, _x("AddV2", _x("Square", x), 1)),
    "Sinh": lambda g, x, y: _x("Mul", g, _x("Cosh", x)),
    "Cosh": lambda g, x, y: _x("Mul", g, _x("Sinh", x)),
    "Asinh": lambda g, x, y: _x("RealDiv", g, _x("Cosh", y)),
    "Acosh": lambda g, x, y: _x("RealDiv", g, _x("Sinh", y)),
    "Atanh": lambda g, x, y: _x("RealDiv", g, _x("Sub", 1, _x("Square", x))),
    "Softsign": lambda g, x, y: _x("RealDiv", g, _x("Square", _x("AddV2", _x("Abs", x), 1))),
}
for _name, _grad in _ELEMENTWISE.items():
    GRADIENTS[_name] = _holomorphic(_grad)


@_register("Atan2")
def _atan2_grad(op, g):
    y, x = op.inputs
    g_over = _x("RealDiv", g, _x("AddV2", _x("Square", x), _x("Square", y)))  # g / (x^2 + y^2)
    return _reduce_args(op, _x("Mul", g_over, x) if op.needs[0] else None,
                        _x("Neg", _x("Mul", g_over, y)) if op.needs[1] else None)


def _nonzero(x):
    return execute("Cast", (_x("NotEqual", x, 0),), {"dtype": x._dtype._np})


@_register("Xlogy")
def _xlogy_grad(op, g):
    """As TF: d/dx = xlogy(x != 0, y), d/dy = xdivy(x, y), so x == 0 gives zeros, not NaN."""
    x, y = op.inputs
    gx = _x("Mul", g, _x("Xlogy", _nonzero(x), y)) if op.needs[0] else None
    gy = _x("Mul", g, _x("Xdivy", x, y)) if op.needs[1] else None
    return _reduce_args(op, gx, gy)


@_register("Xdivy")
def _xdivy_grad(op, g):
    x, y = op.inputs
    gx = _x("Mul", g, _x("Xdivy", _nonzero(x), y)) if op.needs[0] else None
    gy = _x("Mul", g, _x("Xdivy", _x("Neg", x), _x("Square", y))) if op.needs[1] else None
    return _reduce_args(op, gx, gy)


@_register("MulNoNan")
def _mul_no_nan_grad(op, g):
    x, y = op.inputs
    return _reduce_args(op, _x("MulNoNan", g, y) if op.needs[0] else None,
                        _x("MulNoNan", x, g) if op.needs[1] else None)


# ----------------------------------------------------------------------------- nn

GRADIENTS["Relu"] = lambda op, g: (_x("ReluGrad", g, op.outputs[0]),)
GRADIENTS["ReluGrad"] = lambda op, g: (_x("ReluGrad", g, op.inputs[1]), None)


@_register("Relu6")
def _relu6_grad(op, g):
    x = op.inputs[0]
    inside = _x("LogicalAnd", _x("Greater", x, 0), _x("Less", x, 6))
    return (_select(inside, g, _zeros_like(g)),)


@_register("LeakyRelu")
def _leaky_relu_grad(op, g):
    # TF's LeakyReluGrad: the gradient where the input is positive, alpha times it elsewhere (at 0 too)
    return (_select(_x("Greater", op.inputs[0], 0), g, _x("Mul", g, op.attrs["alpha"])),)


@_register("Elu")
def _elu_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    return (_select(_x("Greater", x, 0), g, _x("Mul", g, _x("AddV2", y, 1))),)


GRADIENTS["Softplus"] = lambda op, g: (_x("Mul", g, _x("Sigmoid", op.inputs[0])),)
GRADIENTS["L2Loss"] = lambda op, g: (_x("Mul", op.inputs[0], g),)


@_register("BiasAdd")
def _bias_add_grad(op, g):
    # the bias is 1-D, or (C, 1, ...) for channels-first data: g summed down to its shape
    return g, reduce_to_shape(g, _shape(op.inputs[1])) if op.needs[1] else None


@_register("Softmax")
def _softmax_grad(op, g):
    y = op.outputs[0]
    axis = op.attrs.get("axis", -1)
    dot = execute("Sum", (_x("Mul", g, y),), {"axis": axis, "keepdims": True})
    return (_x("Mul", _x("Sub", g, dot), y),)


@_register("LogSoftmax")
def _log_softmax_grad(op, g):
    y = op.outputs[0]
    axis = op.attrs.get("axis", -1)
    total = execute("Sum", (g,), {"axis": axis, "keepdims": True})
    return (_x("Sub", g, _x("Mul", total, _x("Exp", y))),)


def _xent_logits_grad(op, g_loss, g_backprop):
    """TF's gradient of the (loss, backprop) pair with respect to the logits."""
    logits = op.inputs[0]
    backprop = op.outputs[1]
    out = None
    if g_loss is not None:
        out = _x("Mul", _x("ExpandDims", g_loss, axis=-1), backprop)
    if g_backprop is not None:
        # d(backprop)/d(logits) is the softmax Jacobian: (gb - sum(gb * p)) * p
        p = _x("Softmax", logits, axis=-1)
        dot = execute("Sum", (_x("Mul", g_backprop, p),), {"axis": -1, "keepdims": True})
        extra = _x("Mul", _x("Sub", g_backprop, dot), p)
        out = extra if out is None else _x("AddV2", out, extra)
    return out


@_register("SoftmaxCrossEntropyWithLogits")
def _softmax_xent_grad(op, g_loss, g_backprop=None):
    glabels = None
    if op.needs[1] and g_loss is not None:
        log_p = _x("LogSoftmax", op.inputs[0], axis=-1)
        glabels = _x("Mul", _x("ExpandDims", g_loss, axis=-1), _x("Neg", log_p))
    return _xent_logits_grad(op, g_loss, g_backprop), glabels


@_register("SparseSoftmaxCrossEntropyWithLogits")
def _sparse_xent_grad(op, g_loss, g_backprop=None):
    return _xent_logits_grad(op, g_loss, g_backprop), None


# ----------------------------------------------------------------------------- reductions

def _reduced_axes(attrs, ndim):
    axis = attrs.get("axis")
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axes)) if ndim else ()


def _keepdims_shape(shape, axes):
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def _broadcast_back(g, shape, axes):
    """The gradient of a reduction over `axes` of a tensor of `shape`: g spread over those axes."""
    g = _x("Reshape", g, shape=_keepdims_shape(shape, axes))
    return _x("BroadcastTo", g, shape=shape)


@_register("Sum")
def _sum_grad(op, g):
    x = op.inputs[0]
    shape = _shape(x)
    return (_broadcast_back(g, shape, _reduced_axes(op.attrs, len(shape))),)


@_register("Mean")
def _mean_grad(op, g):
    x = op.inputs[0]
    shape = _shape(x)
    axes = _reduced_axes(op.attrs, len(shape))
    count = int(np.prod([shape[a] for a in axes], dtype=np.int64)) if axes else 1
    return (_broadcast_back(_x("RealDiv", g, float(max(count, 1))), shape, axes),)


@_register("EuclideanNorm")
def _euclidean_norm_grad(op, g):
    """As TF: x / (norm / g), with norm and g kept at the reduced axes (NaN where the norm is 0)."""
    x, norm = op.inputs[0], op.outputs[0]
    shape = _shape(x)
    kept = _keepdims_shape(shape, _reduced_axes(op.attrs, len(shape)))
    return (_x("RealDiv", x, _x("RealDiv", _x("Reshape", norm, shape=kept), _x("Reshape", g, shape=kept))),)


@_register("Max", "Min")
def _extreme_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    shape = _shape(x)
    axes = _reduced_axes(op.attrs, len(shape))
    y_b = _x("Reshape", y, shape=_keepdims_shape(shape, axes))
    mask = execute("Cast", (_x("Equal", x, y_b),), {"dtype": x._dtype._np})
    count = execute("Sum", (mask,), {"axis": axes, "keepdims": True})  # ties share the gradient equally
    g_b = _x("Reshape", g, shape=_keepdims_shape(shape, axes))
    return (_x("Mul", _x("RealDiv", g_b, count), mask),)


@_register("Prod")
def _prod_grad(op, g):
    """Products of all the other elements, by exclusive cumulative products (exact with zeros)."""
    x = op.inputs[0]
    shape = _shape(x)
    axes = _reduced_axes(op.attrs, len(shape))
    kept = tuple(i for i in range(len(shape)) if i not in axes)
    perm = kept + axes
    xt = _x("Transpose", x, perm=perm)
    n_kept = int(np.prod([shape[i] for i in kept], dtype=np.int64))
    flat = _x("Reshape", xt, shape=(n_kept, -1))
    left = _x("Cumprod", flat, axis=1, exclusive=True, reverse=False)
    right = _x("Cumprod", flat, axis=1, exclusive=True, reverse=True)
    others = _x("Reshape", _x("Mul", left, right), shape=_shape(xt))
    others = _x("Transpose", others, perm=tuple(np.argsort(perm).tolist()))
    return (_x("Mul", _broadcast_back(g, shape, axes), _conj(others)),)


@_register("Cumsum")
def _cumsum_grad(op, g):
    a = op.attrs
    return (_x("Cumsum", g, axis=a.get("axis", 0), exclusive=a.get("exclusive", False),
               reverse=not a.get("reverse", False)),)


# ----------------------------------------------------------------------------- linear algebra

def _matmul_mode(attrs, side):
    """How an operand enters a matmul: "n" as is, "t" transposed, "h" adjoint (conjugate transpose)."""
    if attrs.get("adjoint_" + side, False):
        return "h"
    return "t" if attrs.get("transpose_" + side, False) else "n"


def _mm(p, p_mode, q, q_mode, complex_):
    """op(p) @ op(q) with each operand as is, transposed or adjoint ("n", "t", "h"); for real operands
    an adjoint is a transpose."""
    attrs = {}
    for side, mode in (("a", p_mode), ("b", q_mode)):
        if mode == "h":
            attrs[("adjoint_" if complex_ else "transpose_") + side] = True
        elif mode == "t":
            attrs["transpose_" + side] = True
    return execute("MatMul", (p, q), attrs or None)


@_register("MatMul", "BatchMatMulV2")
def _matmul_grad(op, g):
    """For C = op_a(A) @ op_b(B) (op: as is, transposed, adjoint): dC/d(op_a(A)) is g @ op_b(B)^H and
    dC/d(op_b(B)) is op_a(A)^H @ g (TF's conjugated convention); each is then mapped back through its op."""
    a, b = op.inputs
    ma, mb = _matmul_mode(op.attrs, "a"), _matmul_mode(op.attrs, "b")
    c = a._dtype.is_complex
    ga = gb = None
    if op.needs[0]:
        if ma == "n":      # g @ op_b(B)^H
            ga = _mm(g, "n", b, "h", c) if mb == "n" else _mm(g, "n", _conj(b), "n", c) if mb == "t" else \
                _mm(g, "n", b, "n", c)
        elif ma == "t":    # conj(op_b(B)) @ g^T
            ga = _mm(_conj(b), "n", g, "t", c) if mb == "n" else _mm(b, "h", g, "t", c) if mb == "t" else \
                _mm(b, "t", g, "t", c)
        else:              # op_b(B) @ g^H
            ga = _mm(b, mb, g, "h", c)
    if op.needs[1]:
        if mb == "n":      # op_a(A)^H @ g
            gb = _mm(a, "h", g, "n", c) if ma == "n" else _mm(_conj(a), "n", g, "n", c) if ma == "t" else \
                _mm(a, "n", g, "n", c)
        elif mb == "t":    # g^T @ conj(op_a(A))
            gb = _mm(g, "t", _conj(a), "n", c) if ma == "n" else _mm(g, "t", a, "h", c) if ma == "t" else \
                _mm(g, "t", a, "t", c)
        else:              # g^H @ op_a(A)
            gb = _mm(g, "h", a, ma, c)
    return _rt(ga, a), _rt(gb, b)


def _einsum_parts(equation, n):
    eq = equation.replace(" ", "")
    if "." in eq:
        raise NotImplementedError(f"The gradient of einsum with an ellipsis ({equation!r}) is not implemented; "
                                  f"write the dimensions out explicitly.")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs = eq
        letters = lhs.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    ins = lhs.split(",")
    return ins, out


@_register("Einsum")
def _einsum_grad(op, g):
    ins, out = _einsum_parts(op.attrs["equation"], len(op.inputs))
    grads = []
    for i, (spec, x) in enumerate(zip(ins, op.inputs)):
        if not op.needs[i]:
            grads.append(None)
            continue
        if len(set(spec)) != len(spec):
            raise NotImplementedError(f"The gradient of einsum with a repeated index in one operand ({spec!r} in "
                                      f"{op.attrs['equation']!r}) is not implemented.")
        others = [(s, t) for j, (s, t) in enumerate(zip(ins, op.inputs)) if j != i]
        available = set(out).union(*[set(s) for s, _ in others]) if others else set(out)
        target = "".join(c for c in spec if c in available)
        eq = ",".join([out] + [s for s, _ in others]) + "->" + target
        r = execute("Einsum", (g,) + tuple(_conj(t) for _, t in others), {"equation": eq})
        if target != spec:  # indices summed only inside this operand: spread the gradient over them
            shape = _shape(x)
            keep = tuple(shape[k] if c in available else 1 for k, c in enumerate(spec))
            r = _x("BroadcastTo", _x("Reshape", r, shape=keep), shape=shape)
        grads.append(r)
    return tuple(grads)


@_register("MatrixInverse")
def _inverse_grad(op, g):
    y = op.outputs[0]
    flag = "adjoint" if y._dtype.is_complex else "transpose"
    if op.attrs.get("adjoint", False):
        # y = inv(x^H): dx = -(y g^H y)
        inner = execute("MatMul", (g, y), {flag + "_a": True})
        return (_x("Neg", execute("MatMul", (y, inner))),)
    inner = execute("MatMul", (g, y), {flag + "_b": True})     # g y^T
    return (_x("Neg", execute("MatMul", (y, inner), {flag + "_a": True})),)  # -y^T g y^T


@_register("MatrixDeterminant")
def _det_grad(op, g):
    """As TF: g * det(x) * inv(x^H) (TF does not conjugate the determinant)."""
    x, d = op.inputs[0], op.outputs[0]
    scale = _x("Mul", g, d)
    scale = _x("ExpandDims", _x("ExpandDims", scale, axis=-1), axis=-1)
    return (_x("Mul", scale, _x("MatrixInverse", x, adjoint=True)),)


# ----------------------------------------------------------------------------- array ops

def _reshape_back(op, g):
    return (_x("Reshape", g, shape=_shape(op.inputs[0])),)


for _name in ("Reshape", "ExpandDims", "Squeeze"):
    GRADIENTS[_name] = _reshape_back

GRADIENTS["Transpose"] = lambda op, g: (
    _x("Transpose", g, perm=tuple(np.argsort(op.attrs["perm"]).tolist())),)
GRADIENTS["ReverseV2"] = lambda op, g: (_x("ReverseV2", g, axis=op.attrs["axis"]),)
GRADIENTS["BroadcastTo"] = lambda op, g: (_rt(g, op.inputs[0]),)


@_register("SelectV2")
def _select_grad(op, g):
    c, x, y = op.inputs
    zeros = _zeros_like(g)
    return (None, _rt(_select(c, g, zeros), x) if op.needs[1] else None,
            _rt(_select(c, zeros, g), y) if op.needs[2] else None)


@_register("ConcatV2")
def _concat_grad(op, g):
    axis = op.attrs["axis"]
    sizes = [_shape(t)[axis] for t in op.inputs]
    indices = tuple(np.cumsum(sizes)[:-1].tolist())
    return tuple(execute("SplitV", (g,), {"indices": indices, "axis": axis}))


GRADIENTS["Pack"] = lambda op, g: tuple(
    execute("Unpack", (g,), {"axis": op.attrs["axis"], "num": len(op.inputs)}))


def _fill_missing(op, grads):
    return tuple(_zeros_like(o) if gr is None else gr for o, gr in zip(op.outputs, grads))


GRADIENTS["Unpack"] = lambda op, *grads: (
    execute("Pack", _fill_missing(op, grads), {"axis": op.attrs["axis"]}),)
GRADIENTS["SplitV"] = lambda op, *grads: (
    execute("ConcatV2", _fill_missing(op, grads), {"axis": op.attrs["axis"]}),)


@_register("Tile")
def _tile_grad(op, g):
    shape = _shape(op.inputs[0])
    multiples = op.attrs["multiples"]
    split = []
    for m, d in zip(multiples, shape):
        split += [m, d]
    r = _x("Reshape", g, shape=tuple(split))
    r = execute("Sum", (r,), {"axis": tuple(range(0, 2 * len(shape), 2)), "keepdims": False})
    return (r,)


@_register("PadV2")
def _pad_grad(op, g):
    x = op.inputs[0]
    shape = _shape(x)
    pads = op.attrs["paddings"]
    mode = op.attrs.get("mode", "CONSTANT")
    if mode == "CONSTANT":
        key = tuple(slice(p[0], p[0] + d) for p, d in zip(pads, shape))
        return _x("StridedSlice", g, key=key), None
    # REFLECT / SYMMETRIC: every output element is a copy of one input element along each axis.
    np_mode = "reflect" if mode == "REFLECT" else "symmetric"
    r = g
    for axis, (p, d) in enumerate(zip(pads, shape)):
        if p == (0, 0) or tuple(p) == (0, 0):
            continue
        source = np.pad(np.arange(d), tuple(p), mode=np_mode)
        idx = execute("Identity", (source,))
        new_shape = _shape(r)[:axis] + (d,) + _shape(r)[axis + 1:]
        r = execute("GatherGrad", (r, idx), {"shape": new_shape, "axis": axis, "batch_dims": 0}, match=False)
    return r, None


@_register("StridedSlice")
def _strided_slice_grad(op, g):
    return (execute("StridedSliceGrad", (g,), {"shape": _shape(op.inputs[0]), "key": op.attrs["key"]}),)


GRADIENTS["StridedSliceGrad"] = lambda op, g: (_x("StridedSlice", g, key=op.attrs["key"]),)


@_register("GatherV2")
def _gather_grad(op, g):
    params, indices = op.inputs
    axis, batch_dims = op.attrs.get("axis", 0), op.attrs.get("batch_dims", 0)
    if axis == 0 and batch_dims == 0:
        # As TF: the rows of g at the gathered indices, an IndexedSlices (no dense gradient of a large table)
        from eagerflow.framework.indexed_slices import IndexedSlices

        shape = _shape(params)
        values = _x("Reshape", g, shape=(-1,) + tuple(shape[1:]))
        flat = execute("Reshape", (indices,), {"shape": (-1,)})
        return IndexedSlices(values, flat, _dense_shape(shape)), None
    attrs = {"shape": _shape(params), "axis": axis, "batch_dims": batch_dims}
    return execute("GatherGrad", (g, indices), attrs, match=False), None


def _dense_shape(shape):
    from eagerflow.ops.array_ops import constant

    return constant(np.asarray(shape, dtype=np.int32))


@_register("GatherGrad")
def _gather_grad_grad(op, g):
    indices = op.inputs[1]
    attrs = {"axis": op.attrs.get("axis", 0), "batch_dims": op.attrs.get("batch_dims", 0)}
    return execute("GatherV2", (g, indices), attrs, match=False), None


@_register("GatherNd")
def _gather_nd_grad(op, g):
    params, indices = op.inputs
    return execute("GatherNdGrad", (g, indices), {"shape": _shape(params)}, match=False), None


GRADIENTS["GatherNdGrad"] = lambda op, g: (execute("GatherNd", (g, op.inputs[1]), match=False), None)


def _scatter_last_axis(g, indices, x):
    nd = x.ndim
    return execute("GatherGrad", (g, indices), {"shape": _shape(x), "axis": nd - 1, "batch_dims": nd - 1},
                   match=False)


@_register("TopKV2")
def _top_k_grad(op, g_values, g_indices=None):
    if g_values is None:
        return (None,)
    return (_scatter_last_axis(g_values, op.outputs[1], op.inputs[0]),)


@_register("Cumprod")
def _cumprod_grad(op, g):
    """TF's form: a reversed cumulative sum of g * y, divided by x with div_no_nan (0 where x is 0, as TF)."""
    a = op.attrs
    x, y = op.inputs[0], op.outputs[0]
    axis, exclusive, reverse = a.get("axis", 0), a.get("exclusive", False), a.get("reverse", False)
    summed = _x("Cumsum", _x("Mul", g, y), axis=axis, exclusive=exclusive, reverse=not reverse)
    zero = _x("Equal", x, 0)
    quotient = _x("RealDiv", summed, _select(zero, _x("OnesLike", x), x))
    return (_select(zero, _x("ZerosLike", quotient), quotient),)


def _complex_of(g, like):
    return execute("Cast", (g,), {"dtype": like._dtype._np})


GRADIENTS["Real"] = lambda op, g: (_complex_of(g, op.inputs[0]),)
GRADIENTS["Imag"] = lambda op, g: (_x("Mul", _complex_of(g, op.inputs[0]), 1j),)


# ----------------------------------------------------------------------------- segment ops

@_register("SegmentSum")
def _segment_sum_grad(op, g):
    return execute("GatherV2", (g, op.inputs[1]), {"axis": 0, "batch_dims": 0}, match=False), None


@_register("UnsortedSegmentSum")
def _unsorted_segment_sum_grad(op, g):
    """g gathered by id, and zeros for the slices whose (negative) id was dropped."""
    data, ids = op.inputs
    safe = _x("Maximum", ids, 0)
    gathered = execute("GatherV2", (g, safe), {"axis": 0, "batch_dims": 0}, match=False)
    kept = _x("Reshape", _x("GreaterEqual", ids, 0), shape=_shape(ids) + (1,) * (data.ndim - ids.ndim))
    return _select(kept, gathered, _zeros_like(gathered)), None

# The gradients of other areas (nn, linalg, special functions, scatters) register into the same table on the
# first lookup that misses (`load_areas`): a program that never differentiates a convolution never imports them.
load_areas = Areas("eagerflow.autodiff", ("gradients_nn", "gradients_linalg", "gradients_math",
                                          "gradients_scatter")).load


# Ops whose TF gradient is a kernel that refuses an output gradient of another size (`TanhGrad`: "cwise") or
# shape (`ReluGrad`) than the op's output, where eagerflow's formulas would broadcast it.
_GRAD_KERNEL_OF = {"Tanh": ("TanhGrad", False), "Sigmoid": ("SigmoidGrad", False), "Sqrt": ("SqrtGrad", False),
                   "Rsqrt": ("RsqrtGrad", False), "Reciprocal": ("ReciprocalGrad", False),
                   "Inv": ("ReciprocalGrad", False),
                   "Relu": ("ReluGrad", True), "Relu6": ("Relu6Grad", True), "Elu": ("EluGrad", True),
                   "Selu": ("SeluGrad", True), "Softsign": ("SoftsignGrad", True),
                   "LeakyRelu": ("LeakyReluGrad", True)}


def _check_grad_shape(op, g):
    kernel, same_shape = _GRAD_KERNEL_OF[op.type]
    ref = op.inputs[0] if op.type == "Softsign" else op.outputs[0]
    gs, rs = tuple(g._value.shape), _shape(ref)
    if same_shape and gs != rs:
        raise errors.InvalidArgumentError(
            None, kernel, f"Inputs to operation {kernel} of type {kernel} must have the same size and shape.  Input 0: "
            f"{list(gs)} != input 1: {list(rs)} [Op:{kernel}]. Give an output gradient of the target's shape.")
    if not same_shape and math.prod(gs) != math.prod(rs):
        raise errors.InvalidArgumentError(
            None, kernel, f"The two arguments to a cwise op must have same number of elements, got {math.prod(rs)} "
            f"and {math.prod(gs)} [Op:{kernel}]. Give an output gradient of the target's shape.")


def gradient_function(op):
    """The gradient function registered for `op`, or None."""
    fn = GRADIENTS.get(op)
    if fn is None and load_areas():
        fn = GRADIENTS.get(op)
    if fn is not None and op in _GRAD_KERNEL_OF:
        return _shape_checked(fn)
    return fn


def _shape_checked(fn):
    def checked(op, g):
        _check_grad_shape(op, g)
        return fn(op, g)
    return checked
