"""Math ops: thin functions over `execute`, named and behaving as TensorFlow's."""

import builtins
import math

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.backends import dtype_support
from eagerflow.framework import arguments
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import (
    _tf_name, convert_to_tensor, execute, is_tensor_like, log_constants, raw_op_inputs,
)
from eagerflow.framework.tensor import check_truediv_dtypes
from eagerflow.ops.array_ops import stop_gradient, where

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "truncatediv",
    "truncatemod",
    "pow", "negative", "abs", "sign", "square", "sqrt", "rsqrt", "reciprocal", "exp", "expm1", "log",
    "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "erf", "maximum", "minimum", "equal", "not_equal",
    "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
    "logical_xor", "round", "floor", "ceil", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_any", "reduce_all", "reduce_logsumexp", "argmax", "argmin", "cumsum", "cumprod",
    "matmul", "tensordot", "einsum", "clip_by_value", "add_n", "squared_difference", "cast",
    "real", "imag", "conj", "reduce_variance", "reduce_std", "divide_no_nan", "is_nan", "is_inf",
    "is_finite", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh", "rint",
    "log_sigmoid", "softsign", "xlogy", "xdivy", "multiply_no_nan", "reduce_euclidean_norm", "segment_sum",
    "unsorted_segment_sum", "saturate_cast", "count_nonzero", "lgamma",
]


def add(x, y, name=None):
    """x + y elementwise, with broadcasting. `ef.add([1, 2], 3)` -> [4, 5].

    >>> ef.add([1, 2], 3).numpy()
    array([4, 5], dtype=int32)
    """
    return execute("AddV2", raw_op_inputs((x, y)))


def subtract(x, y, name=None):
    """x - y elementwise.

    >>> ef.subtract([5, 3], [1, 1]).numpy()
    array([4, 2], dtype=int32)
    """
    return execute("Sub", (x, y))


def multiply(x, y, name=None):
    """x * y elementwise.

    >>> ef.multiply([1, 2], [3, 4]).numpy()
    array([3, 8], dtype=int32)
    """
    return execute("Mul", (x, y))


def truediv(x, y, name=None):
    """x / y; integers are divided as floats (int32 -> float64), as in TF.

    >>> ef.divide([1, 2], 2).numpy()
    array([0.5, 1. ])
    >>> ef.truediv([1.0, 3.0], 2.0).numpy()
    array([0.5, 1.5], dtype=float32)
    """
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype_hint=x.dtype)
    check_truediv_dtypes(x, y)
    return execute("RealDiv", (x, y))


def divide(x, y, name=None):
    """x / y as the `/` operator: a Python or NumPy x takes the dtype of a tensor y first (as TF's
    `tf.math.divide`; `truediv` converts y to x's dtype instead).

    >>> ef.divide(1, ef.constant([2.0, 4.0])).numpy()
    array([0.5 , 0.25], dtype=float32)
    """
    if not is_tensor_like(x):
        x = convert_to_tensor(x, dtype=y.dtype if is_tensor_like(y) else None)
    return x / y


def floordiv(x, y, name=None):
    """x // y, rounding toward minus infinity.

    >>> ef.math.floordiv([7, -7], 2).numpy()
    array([ 3, -4], dtype=int32)
    """
    return execute("FloorDiv", (x, y))


def floormod(x, y, name=None):
    """x % y with the sign of y (Python's rule).

    >>> ef.math.floormod([7, -7], 3).numpy()
    array([1, 2], dtype=int32)
    """
    return execute("FloorMod", (x, y))


mod = floormod


def truncatediv(x, y, name=None):
    """x / y rounded toward zero (C's rule).

    >>> ef.truncatediv([7, -7], 2).numpy()
    array([ 3, -3], dtype=int32)
    """
    return execute("TruncateDiv", (x, y))


def truncatemod(x, y, name=None):
    """x % y with the sign of x (C's rule): `truncatemod(-7, 2)` is -1.

    >>> ef.truncatemod([7, -7], 3).numpy()
    array([ 1, -1], dtype=int32)
    """
    return execute("TruncateMod", (x, y))


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """x ** y elementwise.

    >>> ef.pow([2, 3], 2).numpy()
    array([4, 9], dtype=int32)
    """
    return execute("Pow", (x, y))


def squared_difference(x, y, name=None):
    """(x - y) ** 2 elementwise.

    >>> ef.math.squared_difference([1.0, 4.0], [3.0, 1.0]).numpy()
    array([4., 9.], dtype=float32)
    """
    return execute("SquaredDifference", (x, y))


def _example(code, shows):
    """The docstring lines of one doctest example: `code` and the output it shows."""
    return "\n\n    >>> " + code + "\n    " + shows.replace("\n", "\n    ") + "\n    "


def _unary(op, doc, code, shows):
    def fn(x, name=None):
        return execute(op, (x,))
    fn.__doc__ = doc + _example(code, shows)
    return fn


negative = _unary("Neg", "-x elementwise.", 'ef.negative([1, -2]).numpy()', 'array([-1,  2], dtype=int32)')
abs = _unary("Abs", "|x| elementwise (the modulus for complex x).", 'ef.abs([-1.5, 2.0]).numpy()',  # noqa: A001
             'array([1.5, 2. ], dtype=float32)')
sign = _unary("Sign", "-1, 0 or 1 by the sign of x.", 'ef.sign([-2.0, 0.0, 3.0]).numpy()',
              'array([-1.,  0.,  1.], dtype=float32)')
square = _unary("Square", "x * x elementwise.", 'ef.square([2, -3]).numpy()', 'array([4, 9], dtype=int32)')
sqrt = _unary("Sqrt", "The square root of x (floating dtypes).", 'ef.sqrt([4.0, 9.0]).numpy()',
              'array([2., 3.], dtype=float32)')
rsqrt = _unary("Rsqrt", "1 / sqrt(x).", 'ef.math.rsqrt([4.0, 16.0]).numpy()', 'array([0.5 , 0.25], dtype=float32)')
reciprocal = _unary("Reciprocal", "1 / x.", 'ef.math.reciprocal([2.0, 4.0]).numpy()',
                    'array([0.5 , 0.25], dtype=float32)')
exp = _unary("Exp", "e ** x.", 'ef.exp([0.0, 1.0]).numpy().round(5)', 'array([1.     , 2.71828], dtype=float32)')
expm1 = _unary("Expm1", "e ** x - 1, accurate near 0.", 'ef.math.expm1([0.0, 1e-10]).numpy()',
               'array([0.e+00, 1.e-10], dtype=float32)')
log = _unary("Log", "The natural logarithm.", 'ef.math.log([1.0, np.e]).numpy()', 'array([0., 1.], dtype=float32)')
log1p = _unary("Log1p", "log(1 + x), accurate near 0.", 'ef.math.log1p([0.0, 1e-10]).numpy()',
               'array([0.e+00, 1.e-10], dtype=float32)')
sin = _unary("Sin", "Sine.", 'ef.sin([0.0, np.pi / 2]).numpy()', 'array([0., 1.], dtype=float32)')
cos = _unary("Cos", "Cosine.", 'ef.cos([0.0, np.pi]).numpy()', 'array([ 1., -1.], dtype=float32)')
tan = _unary("Tan", "Tangent.", 'ef.tan([0.0, np.pi / 4]).numpy()', 'array([0., 1.], dtype=float32)')
tanh = _unary("Tanh", "Hyperbolic tangent.", 'ef.tanh([0.0, 1.0]).numpy().round(5)',
              'array([0.     , 0.76159], dtype=float32)')
sigmoid = _unary("Sigmoid", "1 / (1 + exp(-x)), computed without overflow.", 'ef.sigmoid([0.0, 2.0]).numpy().round(5)',
                 'array([0.5   , 0.8808], dtype=float32)')
erf = _unary("Erf", "The Gauss error function.", 'ef.math.erf([0.0, 1.0]).numpy().round(5)',
             'array([0.    , 0.8427], dtype=float32)')
round = _unary("Round", "Round half to even, as TF.", 'ef.round([0.5, 1.5, 2.5]).numpy()',  # noqa: A001
               'array([0., 2., 2.], dtype=float32)')
floor = _unary("Floor", "The largest integer not greater than x.", 'ef.floor([1.5, -1.5]).numpy()',
               'array([ 1., -2.], dtype=float32)')
ceil = _unary("Ceil", "The smallest integer not less than x.", 'ef.math.ceil([1.5, -1.5]).numpy()',
              'array([ 2., -1.], dtype=float32)')
logical_not = _unary("LogicalNot", "not x, for bool tensors.", 'ef.logical_not([True, False]).numpy()',
                     'array([False,  True])')


def conj(x, name=None):
    """The complex conjugate (x itself for real dtypes, as TF).

    >>> ef.math.conj([1 + 2j]).numpy()
    array([1.-2.j])
    """
    x = _numeric(x, "conj")
    return execute("Conj", (x,)) if x.dtype.is_complex else x


asin = _unary("Asin", "The inverse sine, in [-pi/2, pi/2] (NaN outside [-1, 1]).",
              'ef.asin([0.0, 1.0]).numpy().round(5)',
              'array([0.    , 1.5708], dtype=float32)')
acos = _unary("Acos", "The inverse cosine, in [0, pi] (NaN outside [-1, 1]).", 'ef.acos([1.0, 0.0]).numpy().round(5)',
              'array([0.    , 1.5708], dtype=float32)')
atan = _unary("Atan", "The inverse tangent, in (-pi/2, pi/2).", 'ef.atan([0.0, 1.0]).numpy().round(5)',
              'array([0.    , 0.7854], dtype=float32)')
sinh = _unary("Sinh", "Hyperbolic sine.", 'ef.sinh([0.0, 1.0]).numpy().round(5)',
              'array([0.    , 1.1752], dtype=float32)')
cosh = _unary("Cosh", "Hyperbolic cosine.", 'ef.cosh([0.0, 1.0]).numpy().round(5)',
              'array([1.     , 1.54308], dtype=float32)')
asinh = _unary("Asinh", "The inverse hyperbolic sine.", 'ef.asinh([0.0, 1.0]).numpy().round(5)',
               'array([0.     , 0.88137], dtype=float32)')
acosh = _unary("Acosh", "The inverse hyperbolic cosine (NaN below 1).", 'ef.acosh([1.0, 2.0]).numpy().round(5)',
               'array([0.     , 1.31696], dtype=float32)')
atanh = _unary("Atanh", "The inverse hyperbolic tangent (inf at +-1, NaN beyond).",
               'ef.atanh([0.0, 0.5]).numpy().round(5)',
               'array([0.     , 0.54931], dtype=float32)')
rint = _unary("Rint", "The nearest integer, halves to even (floating dtypes).",
              'ef.math.rint([0.5, 1.5, -1.7]).numpy()',
              'array([ 0.,  2., -2.], dtype=float32)')
softsign = _unary("Softsign", "x / (1 + |x|).", 'ef.math.softsign([-3.0, 0.0, 1.0]).numpy()',
                  'array([-0.75,  0.  ,  0.5 ], dtype=float32)')


def log_sigmoid(x, name=None):
    """log(sigmoid(x)), computed as -softplus(-x) so it does not underflow (as TF).

    >>> ef.math.log_sigmoid([-100.0, 0.0]).numpy()
    array([-100.       ,   -0.6931472], dtype=float32)
    """
    return negative(execute("Softplus", (negative(x),)))


def atan2(y, x, name=None):
    """The angle of the point (x, y), in [-pi, pi]; note the order: y first, as TF.

    >>> ef.atan2([0.0, 1.0], [-1.0, 0.0]).numpy()
    array([3.1415927, 1.5707964], dtype=float32)
    """
    return execute("Atan2", (y, x))


def xlogy(x, y, name=None):
    """x * log(y), and 0 where x is 0 (even where y is 0).

    >>> ef.math.xlogy([0.0, 2.0], [0.0, 1.0]).numpy()
    array([0., 0.], dtype=float32)
    """
    return execute("Xlogy", (x, y))


def xdivy(x, y, name=None):
    """x / y, and 0 where x is 0 (even where y is 0).

    >>> ef.math.xdivy([0.0, 3.0], [0.0, 2.0]).numpy()
    array([0. , 1.5], dtype=float32)
    """
    return execute("Xdivy", (x, y))


def multiply_no_nan(x, y, name=None):
    """x * y, and 0 where y is 0 (even where x is inf or NaN).

    >>> ef.math.multiply_no_nan([np.inf, 2.0], [0.0, 3.0]).numpy()
    array([0., 6.], dtype=float32)
    """
    x = convert_to_tensor(x)  # as TF: y converts to x's dtype, so a tensor y of another dtype is a ValueError
    return execute("MulNoNan", (x, convert_to_tensor(y, dtype=x.dtype)))


def real(x, name=None):
    """The real part of x (x itself for real dtypes).

    >>> ef.math.real([1 + 2j]).numpy()
    array([1.])
    """
    x = _numeric(x, "real")
    return execute("Real", (x,)) if x.dtype.is_complex else x


def _numeric(x, what):
    """x as a tensor; TF's real/conj refuse bools and strings with a TypeError."""
    x = convert_to_tensor(x)
    if not x.dtype.is_numeric:
        raise TypeError(f"ef.math.{what} needs a numeric tensor, got dtype {x.dtype.name}: {x}. Cast it first, "
                        f"e.g. ef.cast(x, ef.float32).")
    return x


def imag(x, name=None):
    """The imaginary part of x (zeros for real dtypes).

    >>> ef.math.imag([1 + 2j]).numpy()
    array([2.])
    """
    x = convert_to_tensor(x)
    return execute("Imag", (x,)) if x.dtype.is_complex else execute("ZerosLike", (x,))


def is_nan(x, name=None):
    """True where x is NaN.

    >>> ef.math.is_nan([1.0, np.nan, np.inf]).numpy()
    array([False,  True, False])
    """
    return execute("IsNan", (x,))


def is_inf(x, name=None):
    """True where x is +inf or -inf.

    >>> ef.math.is_inf([1.0, np.nan, -np.inf]).numpy()
    array([False, False,  True])
    """
    return execute("IsInf", (x,))


def is_finite(x, name=None):
    """True where x is neither NaN nor infinite.

    >>> ef.math.is_finite([1.0, np.nan, np.inf]).numpy()
    array([ True, False, False])
    """
    return execute("IsFinite", (x,))


def maximum(x, y, name=None):
    """The larger of x and y elementwise, with broadcasting.

    >>> ef.maximum([1, 5], [3, 2]).numpy()
    array([3, 5], dtype=int32)
    """
    return execute("Maximum", (x, y))


def minimum(x, y, name=None):
    """The smaller of x and y elementwise, with broadcasting.

    >>> ef.minimum([1, 5], [3, 2]).numpy()
    array([1, 2], dtype=int32)
    """
    return execute("Minimum", (x, y))


def equal(x, y, name=None):
    """x == y elementwise; shapes that don't broadcast are an InvalidArgumentError.

    >>> ef.equal([1, 2], [1, 3]).numpy()
    array([ True, False])
    """
    return execute("Equal", (x, y))


def not_equal(x, y, name=None):
    """x != y elementwise, with broadcasting.

    >>> ef.not_equal([1, 2], [1, 3]).numpy()
    array([False,  True])
    """
    return execute("NotEqual", (x, y))


def less(x, y, name=None):
    """x < y elementwise, with broadcasting.

    >>> ef.less([1, 2, 3], 2).numpy()
    array([ True, False, False])
    """
    return execute("Less", (x, y))


def less_equal(x, y, name=None):
    """x <= y elementwise, with broadcasting.

    >>> ef.less_equal([1, 2, 3], 2).numpy()
    array([ True,  True, False])
    """
    return execute("LessEqual", (x, y))


def greater(x, y, name=None):
    """x > y elementwise, with broadcasting.

    >>> ef.greater([1, 2, 3], 2).numpy()
    array([False, False,  True])
    """
    return execute("Greater", (x, y))


def greater_equal(x, y, name=None):
    """x >= y elementwise, with broadcasting.

    >>> ef.greater_equal([1, 2, 3], 2).numpy()
    array([False,  True,  True])
    """
    return execute("GreaterEqual", (x, y))


def logical_and(x, y, name=None):
    """x and y elementwise, for bool tensors.

    >>> ef.logical_and([True, True], [True, False]).numpy()
    array([ True, False])
    """
    return execute("LogicalAnd", (x, y))


def logical_or(x, y, name=None):
    """x or y elementwise, for bool tensors.

    >>> ef.logical_or([True, False], [False, False]).numpy()
    array([ True, False])
    """
    return execute("LogicalOr", (x, y))


def logical_xor(x, y, name=None):
    """x != y for bools (TF composes it the same way).

    >>> ef.math.logical_xor([True, True, False], [True, False, False]).numpy()
    array([False,  True, False])
    """
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _axis_attr(axis):
    if axis is None:
        return None
    if is_tensor_like(axis):
        axis = convert_to_tensor(axis).numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _reduce(op, doc, code, shows):
    def fn(input_tensor, axis=None, keepdims=False, name=None):
        x = convert_to_tensor(input_tensor)
        if _switches.active:  # TF's axis is a tensor (of all the axes for None)
            log_constants(op, axis if type(axis) is int else None)
        return execute(op, (x,), {"axis": arguments.reduction_axes(axis, x._value.ndim, op),
                                  "keepdims": bool(keepdims)})
    fn.__doc__ = (doc + "\n\n    `axis` is None (all), an int or a list; `keepdims` keeps reduced axes as size 1."
                  + _example(code, shows))
    return fn


reduce_sum = _reduce("Sum", "Sum of elements across axes. `ef.reduce_sum([[1, 2], [3, 4]], axis=0)` -> [4, 6].",
                     'ef.reduce_sum([[1, 2], [3, 4]], axis=0).numpy()', 'array([4, 6], dtype=int32)')
reduce_mean = _reduce("Mean", "Mean across axes (integer inputs give an integer mean, as TF).",
                      'ef.reduce_mean([[1.0, 2.0], [3.0, 4.0]], axis=1).numpy()', 'array([1.5, 3.5], dtype=float32)')
reduce_max = _reduce("Max", "Maximum across axes.", 'ef.reduce_max([[1, 5], [3, 2]], axis=1).numpy()',
                     'array([5, 3], dtype=int32)')
reduce_min = _reduce("Min", "Minimum across axes.", 'ef.reduce_min([[1, 5], [3, 2]], axis=0).numpy()',
                     'array([1, 2], dtype=int32)')
reduce_prod = _reduce("Prod", "Product across axes.", 'ef.reduce_prod([[1, 2], [3, 4]], axis=1, keepdims=True).numpy()',
                      'array([[ 2],\n       [12]], dtype=int32)')
reduce_any = _reduce("Any", "Logical or across axes.", 'ef.reduce_any([[True, False], [False, False]], axis=1).numpy()',
                     'array([ True, False])')
reduce_all = _reduce("All", "Logical and across axes.", 'ef.reduce_all([[True, False], [True, True]], axis=1).numpy()',
                     'array([False,  True])')
reduce_euclidean_norm = _reduce(
    "EuclideanNorm", "sqrt(sum(x ** 2)) across axes (integer inputs give an integer norm, rounded down, as TF).",
    'ef.math.reduce_euclidean_norm([[3.0, 4.0], [5.0, 12.0]], axis=1).numpy()', 'array([ 5., 13.], dtype=float32)')


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across axes, computed stably.

    >>> ef.reduce_logsumexp([[0.0, 0.0], [1000.0, 1000.0]], axis=1).numpy()
    array([6.9314718e-01, 1.0006932e+03], dtype=float32)
    """
    x = convert_to_tensor(input_tensor)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    # as TF: an infinite max is not subtracted (inf - inf would be NaN), so logsumexp([inf, 1]) is inf
    my_max = stop_gradient(where(is_finite(raw_max), raw_max, 0))
    result = log(reduce_sum(exp(x - my_max), axis=axis, keepdims=keepdims))
    if not keepdims:  # as TF: the max reshaped to the result's shape (Shape, Reshape)
        from eagerflow.ops.array_ops import reshape, shape
        my_max = reshape(my_max, shape(result))
    return add(result, my_max)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The (population) variance across axes.

    >>> print(ef.math.reduce_variance([1.0, 2.0, 3.0, 4.0]))
    ef.Tensor(1.25, shape=(), dtype=float32)
    """
    x = convert_to_tensor(input_tensor)
    mean = reduce_mean(x, axis=axis, keepdims=True)
    if mean.dtype.is_integer:  # as TF: the mean of integers is an integer, so their variance is refused
        raise TypeError(f"Input must be either real or complex. Received integer type {mean.dtype!r}: "
                        f"cast it to a float first, e.g. ef.cast(x, ef.float32)")
    diff = x - mean
    if diff.dtype.is_complex:  # |x - mean|**2, real
        squared = execute("Real", (execute("Mul", (execute("Conj", (diff,)), diff)),))
    else:
        squared = square(diff)
    return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The (population) standard deviation across axes.

    >>> print(ef.math.reduce_std([1.0, 2.0, 3.0, 4.0]))
    ef.Tensor(1.118034, shape=(), dtype=float32)
    """
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def _arg(op, code, shows):
    def fn(input, axis=None, output_type=_dtypes.int64, name=None):
        x = convert_to_tensor(input)
        if x.ndim == 0:
            raise errors.InvalidArgumentError(None, op, f"{op} needs a tensor of rank >= 1, got a scalar. [Op:{op}]")
        given, axis = (0, 0) if axis is None else (axis, _arg_axis(op, axis))
        if not -x.ndim <= axis < x.ndim:
            raise errors.InvalidArgumentError(
                None, op, f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got {axis} [Op:{op}]")
        out_type = _dtypes.as_dtype(output_type)
        if out_type not in (_dtypes.int32, _dtypes.int64):  # TF's op lists int16/uint16 but has no kernel for them
            raise errors.InvalidArgumentError(
                None, op, f"Value for attr 'output_type' of {out_type.name} is not in the list of allowed values: "
                f"int32, int64 [Op:{op}]. Give output_type=ef.int32 or ef.int64.")
        if _switches.active:  # TF's dimension is a tensor
            log_constants(op, given)
        return execute(op, (x,), {"axis": axis, "output_type": out_type.as_numpy_dtype})
    fn.__name__ = fn.__qualname__ = f"{op[:3].lower()}{op[3:].lower()}_v2"  # TF's names: argmax_v2, argmin_v2
    fn.__doc__ = (f"Index of the {'largest' if op == 'ArgMax' else 'smallest'} value along `axis` (int64 by default)."
                  + _example(code, shows))
    return fn


def _arg_axis(op, axis):
    """The axis of ArgMax/ArgMin as a Python int, refused as TF 2.21 refuses it: argmax first checks in Python
    for an int or an int32/int64 tensor (a NumPy integer fails there), then both ops take a scalar."""
    if op == "ArgMax" and not isinstance(axis, int):
        if not hasattr(axis, "dtype"):
            raise TypeError("axis must be int or Tensor with integer datatype")
        if not is_tensor_like(axis) or axis.dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"axis tensor dtypes {axis.dtype} is not supported")
    if isinstance(axis, int):
        return int(axis)
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32: give the axis as an int")
    t = convert_to_tensor(axis)
    if t.dtype not in (_dtypes.int32, _dtypes.int64):
        raise errors.InvalidArgumentError(
            None, op, f"Value for attr 'Tidx' of {_tf_name(t.dtype)} is not in the list of allowed values: int32, "
            f"int64 [Op:{op}]. Give the axis as an int.")
    if t.ndim != 0:
        raise errors.InvalidArgumentError(
            None, op, f"dim must be a scalar, but received tensor of shape: {list(t.shape)} [Op:{op}]. Reduce one "
            f"axis at a time.")
    return int(t.numpy())


argmax = _arg("ArgMax", 'ef.argmax([[1, 5, 3], [7, 2, 0]], axis=1).numpy()', 'array([1, 0])')
argmin = _arg("ArgMin", 'ef.argmin([[1, 5, 3], [7, 2, 0]], axis=1).numpy()', 'array([0, 2])')


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along `axis`; `exclusive` starts at 0, `reverse` sums from the end.

    >>> ef.cumsum([1, 2, 3]).numpy(), ef.cumsum([1, 2, 3], exclusive=True).numpy()
    (array([1, 3, 6], dtype=int32), array([0, 1, 3], dtype=int32))
    """
    return _scan("Cumsum", x, axis, exclusive, reverse)


def _scan(op, x, axis, exclusive, reverse):
    x = convert_to_tensor(x)
    given, axis = axis, arguments.axis(axis, x._value.ndim, op, "scan axis")  # a scalar has none (NumPy: flattened)
    if _switches.active:  # TF's axis is a tensor
        log_constants(op, given)
    return execute(op, (x,), {"axis": axis, "exclusive": bool(exclusive), "reverse": bool(reverse)})


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along `axis`; `exclusive` starts at 1, `reverse` multiplies from the end.

    >>> ef.math.cumprod([1, 2, 3]).numpy()
    array([1, 2, 6], dtype=int32)
    """
    return _scan("Cumprod", x, axis, exclusive, reverse)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False, name=None):
    """Matrix product of the last two dimensions (batched over the leading ones).

    >>> ef.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    """
    attrs = {}
    if transpose_a:
        attrs["transpose_a"] = True
    if transpose_b:
        attrs["transpose_b"] = True
    if adjoint_a:
        attrs["adjoint_a"] = True
    if adjoint_b:
        attrs["adjoint_b"] = True
    return execute("MatMul", (a, b), attrs or None)


def tensordot(a, b, axes, name=None):
    """Sum of products over `axes` (an int, or a pair of axis lists).

    >>> ef.tensordot([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0], axes=1).numpy()
    array([3., 7.], dtype=float32)
    """
    # As TF's function: each side transposed (contracted axes last for a, first for b) and reshaped to a
    # matrix where it is not one already, one MatMul, the product reshaped to the free dimensions; the
    # placement log names those ops, and the gradient is theirs.
    from eagerflow.ops.array_ops import reshape_checked, transpose_checked
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    if is_tensor_like(axes):
        axes = convert_to_tensor(axes, dtype=_dtypes.int32).numpy().tolist()
    a_axes, b_axes = _tensordot_axes(a, axes)
    matrices, free = [], []
    for x, x_axes, contracted_first in ((a, a_axes, False), (b, b_axes, True)):
        shape = x._value.shape
        x_axes = [int(i) + len(shape) if int(i) < 0 else int(i) for i in x_axes]
        x_free = [i for i in builtins.range(len(shape)) if i not in x_axes]
        rows = math.prod([shape[i] for i in x_free])
        cols = math.prod([shape[i] for i in x_axes])
        perm = x_axes + x_free if contracted_first else x_free + x_axes
        new_shape = (cols, rows) if contracted_first else (rows, cols)
        if perm != list(builtins.range(len(shape))):
            x = transpose_checked(x, tuple(perm))
        if x._value.shape != new_shape:
            x = reshape_checked(x, new_shape)
        matrices.append(x)
        free += [shape[i] for i in x_free]
    product = matmul(*matrices)
    return product if list(product._value.shape) == free else reshape_checked(product, tuple(free))


def _tensordot_axes(a, axes):
    """The contracted axes of a and of b, as lists, from `axes` (an int N: a's last N and b's first N)."""
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > a.ndim:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor {a}.  Received "
                             f"{axes}, vs tensor dimensions {a.ndim}.")
        return list(builtins.range(a.ndim - axes, a.ndim)), list(builtins.range(axes))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
    a_axes, b_axes = axes
    if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
        a_axes, b_axes = [a_axes], [b_axes]
    a_axes, b_axes = list(a_axes), list(b_axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
    return a_axes, b_axes


def einsum(equation, *inputs, **kwargs):
    """Einstein summation, e.g. `ef.einsum('ij,jk->ik', a, b)`.

    >>> ef.einsum('ij,jk->ik', [[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    """
    return execute("Einsum", inputs, {"equation": equation})


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamp t to [clip_value_min, clip_value_max].

    >>> ef.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    # as TF's function: Minimum then Maximum (the placement log names them), each checked not to broadcast t
    values = convert_to_tensor(t)
    clipped = minimum(values, clip_value_max)
    _check_not_broadcast(values, clipped, "clip_value_max")
    clipped = maximum(clipped, clip_value_min)
    _check_not_broadcast(values, clipped, "clip_value_min")
    return clipped


def _check_not_broadcast(values, clipped, bound):
    if clipped.shape != values.shape:
        raise ValueError(f"Shapes {values.shape} and {clipped.shape} are incompatible: clip_by_value's {bound} "
                         f"broadcasts t of shape {values.shape} to {clipped.shape}. Give bounds that broadcast "
                         f"to t's shape (a scalar, or t's shape).")


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype.

    >>> ef.add_n([[1, 2], [3, 4], [5, 6]]).numpy()
    array([ 9, 12], dtype=int32)
    """
    inputs = list(inputs)
    if not inputs:
        raise ValueError("add_n needs at least one input tensor.")
    # as TF, each input converts on its own: [int32 tensor, NumPy int64 array] is a dtype mismatch
    inputs = [x if is_tensor_like(x) else convert_to_tensor(x) for x in inputs]
    shapes = {tuple(x.shape) for x in inputs}
    if len(shapes) > 1:
        raise errors.InvalidArgumentError(
            None, "AddN", f"Inputs to operation AddN of type AddN must have the same size and shape, got shapes "
            f"{sorted(shapes)} [Op:AddN]. Broadcast them first, e.g. with ef.broadcast_to.")
    return execute("AddN", tuple(inputs))


def cast(x, dtype, name=None):
    """`x` converted to `dtype`: floats to ints truncate toward zero, integers wrap (on purpose).

    >>> ef.cast([1.7, -1.7], ef.int32).numpy()
    array([ 1, -1], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    x = convert_to_tensor(x)
    if x.dtype is dtype:
        return convert_to_tensor(x)
    if dtype is _dtypes.string or x.dtype is _dtypes.string:
        raise errors.UnimplementedError(
            None, "Cast", f"Cast {x.dtype.name} to {dtype.name} is not supported [Op:Cast]. Strings and numbers do "
            f"not cast into each other; use ef.strings.to_number / ef.strings.as_string.")
    if dtype is _dtypes.resource or x.dtype is _dtypes.resource:
        raise errors.UnimplementedError(
            None, "Cast", f"Cast {_tf_name(x.dtype)} to {_tf_name(dtype)} is not supported [Op:Cast]. A resource "
            "tensor is a variable's handle: cast the variable's value instead.")
    return execute("Cast", (x,), {"dtype": dtype._np})


def saturate_cast(value, dtype, name=None):
    """`value` cast to `dtype`, clamped first to the values `dtype` holds (no wrap-around).

    >>> ef.dtypes.saturate_cast([-5.0, 300.0], ef.uint8).numpy()
    array([  0, 255], dtype=uint8)
    """
    dtype = _dtypes.as_dtype(dtype)
    x = convert_to_tensor(value)
    if _dtypes.bool in (x.dtype, dtype):  # as TF: a bool has no min or max to clamp to
        raise TypeError(f"Cannot find minimum value of bool: saturate_cast {x.dtype.name} to {dtype.name} has no "
                        f"range to clamp to; use ef.cast")
    if x.dtype.is_complex and not dtype.is_complex:
        x = real(x)
    if dtype.is_numeric and x.dtype.is_numeric and not x.dtype.is_complex:
        # as TF 2.21: always clamped (ClipByValue) to the range both dtypes hold, so a float16 inf becomes
        # 65504 even in float32, and uint32/uint64 inputs meet ClipByValue's missing kernels (NotFoundError)
        source, target = x.dtype, dtype.real_dtype
        low = source.min if float(source.min) > float(target.min) else target.min
        high = source.max if float(source.max) < float(target.max) else target.max
        refused = dtype_support.refusal("ClipByValue", x.dtype, extended=False)  # TF's raw op, not clip_by_value
        if refused is not None:
            raise refused
        x = execute("ClipByValue", (x, _bound(low, x.dtype), _bound(high, x.dtype)))
    return cast(x, dtype)


def _bound(limit, dtype):
    """`limit` as a tensor of `dtype`, rounded toward zero where `dtype` cannot hold it (2**31 - 1 in float32
    is 2**31, which would overflow int32 again)."""
    host = np.asarray(limit, dtype=dtype.real_dtype._np)
    if float(host) != limit and dtype.real_dtype.is_floating:
        host = np.nextafter(host, np.asarray(0, dtype=host.dtype))
    return convert_to_tensor(host.astype(dtype._np))


def count_nonzero(input, axis=None, keepdims=None, dtype=_dtypes.int64, name=None):  # noqa: A002 - TF's name
    """How many elements are not zero (not empty, for strings) over `axis`, as `dtype` (int64).

    >>> ef.math.count_nonzero([[0, 1, 2], [0, 0, 3]], axis=1).numpy()
    array([2, 1])
    """
    x = convert_to_tensor(input)
    from eagerflow.ops.array_ops import zeros
    nonzero = cast(not_equal(x, zeros([], x.dtype)), _dtypes.as_dtype(dtype))  # TF's zero: a Fill
    return reduce_sum(nonzero, axis=axis, keepdims=bool(keepdims))


def lgamma(x, name=None):
    """log(|Gamma(x)|), elementwise (floating dtypes).

    >>> ef.math.lgamma([1.0, 3.0, 0.5]).numpy()
    array([0.       , 0.6931472, 0.5723649], dtype=float32)
    """
    return execute("Lgamma", (x,))


def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y is 0.

    >>> ef.math.divide_no_nan([3.0, 1.0], [2.0, 0.0]).numpy()
    array([1.5, 0. ], dtype=float32)
    """
    # as TF: a Python or NumPy value takes the dtype of the tensor beside it, on either side
    if is_tensor_like(y) and not is_tensor_like(x):
        y = convert_to_tensor(y)
        x = convert_to_tensor(x, dtype=y.dtype)
    elif not is_tensor_like(y):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y, dtype=x.dtype)
    zero = equal(y, 0)
    safe = where(zero, execute("OnesLike", (y,)), y)
    quotient = truediv(x, safe)  # integers divide as floats (int32 -> float64), as TF
    if quotient.dtype.is_complex:
        # TF's complex kernel also returns 0 (+0) where x * conj(y) is 0 (flushed as TF's CPU flushes a
        # denormal product), so |y|**2 underflowing cannot make a nan and no signed zero comes out
        product = multiply(convert_to_tensor(x), conj(safe))
        tiny = float(np.finfo(quotient.dtype.real_dtype.as_numpy_dtype).tiny)
        zero = logical_or(zero, logical_and(less(abs(real(product)), tiny), less(abs(imag(product)), tiny)))
    return where(zero, execute("ZerosLike", (quotient,)), quotient)


def _segment_ids(segment_ids, what):
    ids = convert_to_tensor(segment_ids)
    if ids.dtype not in (_dtypes.int32, _dtypes.int64):  # TF: the op's type check
        raise errors.InvalidArgumentError(
            None, what, f"Value for attr 'Tindices' of {ids.dtype.name} is not in the list of allowed values: int32, "
            f"int64 [Op:{what}]. Cast them with ef.cast(segment_ids, ef.int32).")
    return ids


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of `data` by sorted `segment_ids`: row i of the result sums the rows with id i.

    The ids must be sorted and non-negative; the result has max(id) + 1 rows (ids not present give
    zeros). Use `unsorted_segment_sum` for ids in any order.

    >>> ef.math.segment_sum([[1, 2], [3, 4], [5, 6]], [0, 0, 2]).numpy()
    array([[4, 6],
           [0, 0],
           [5, 6]], dtype=int32)
    """
    return execute("SegmentSum", (data, _segment_ids(segment_ids, "segment_sum")), match=False)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums of the slices of `data` by `segment_ids` in any order, into `num_segments` rows.

    `segment_ids` matches the leading dimensions of `data`; negative ids are dropped, as TF.

    >>> ef.math.unsorted_segment_sum([1.0, 2.0, 3.0, 4.0], [2, -1, 0, 2], num_segments=3).numpy()
    array([3., 0., 5.], dtype=float32)
    """
    if is_tensor_like(num_segments):
        num_segments = convert_to_tensor(num_segments).numpy()
    return execute("UnsortedSegmentSum", (data, _segment_ids(segment_ids, "unsorted_segment_sum")),
                   {"num_segments": int(num_segments)}, match=False)
