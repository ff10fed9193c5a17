"""Math ops: thin functions over `execute`, named and behaving as TensorFlow's."""

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.ops.array_ops import squeeze, stop_gradient, where

__all__ = [
    "add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod", "truncatediv",
    "pow", "negative", "abs", "sign", "square", "sqrt", "rsqrt", "reciprocal", "exp", "expm1", "log",
    "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "erf", "maximum", "minimum", "equal", "not_equal",
    "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or", "logical_not",
    "logical_xor", "round", "floor", "ceil", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_any", "reduce_all", "reduce_logsumexp", "argmax", "argmin", "cumsum",
    "matmul", "tensordot", "einsum", "clip_by_value", "add_n", "squared_difference", "cast",
    "real", "imag", "conj", "reduce_variance", "reduce_std", "divide_no_nan", "is_nan", "is_inf",
    "is_finite",
]


def add(x, y, name=None):
    """x + y elementwise, with broadcasting. `ef.add([1, 2], 3)` -> [4, 5]."""
    return execute("AddV2", (x, y))


def subtract(x, y, name=None):
    """x - y elementwise."""
    return execute("Sub", (x, y))


def multiply(x, y, name=None):
    """x * y elementwise."""
    return execute("Mul", (x, y))


def truediv(x, y, name=None):
    """x / y; integers are divided as floats (int32 -> float64), as in TF."""
    return execute("RealDiv", (x, y))


divide = truediv


def floordiv(x, y, name=None):
    """x // y, rounding toward minus infinity."""
    return execute("FloorDiv", (x, y))


def floormod(x, y, name=None):
    """x % y with the sign of y (Python's rule)."""
    return execute("FloorMod", (x, y))


mod = floormod


def truncatediv(x, y, name=None):
    """x / y rounded toward zero (C's rule)."""
    return execute("TruncateDiv", (x, y))


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """x ** y elementwise."""
    return execute("Pow", (x, y))


def squared_difference(x, y, name=None):
    return execute("SquaredDifference", (x, y))


def _unary(op, doc):
    def fn(x, name=None):
        return execute(op, (x,))
    fn.__doc__ = doc
    return fn


negative = _unary("Neg", "-x elementwise.")
abs = _unary("Abs", "|x| elementwise (the modulus for complex x).")  # noqa: A001
sign = _unary("Sign", "-1, 0 or 1 by the sign of x.")
square = _unary("Square", "x * x elementwise.")
sqrt = _unary("Sqrt", "The square root of x (floating dtypes).")
rsqrt = _unary("Rsqrt", "1 / sqrt(x).")
reciprocal = _unary("Reciprocal", "1 / x.")
exp = _unary("Exp", "e ** x.")
expm1 = _unary("Expm1", "e ** x - 1, accurate near 0.")
log = _unary("Log", "The natural logarithm.")
log1p = _unary("Log1p", "log(1 + x), accurate near 0.")
sin = _unary("Sin", "Sine.")
cos = _unary("Cos", "Cosine.")
tan = _unary("Tan", "Tangent.")
tanh = _unary("Tanh", "Hyperbolic tangent.")
sigmoid = _unary("Sigmoid", "1 / (1 + exp(-x)), computed without overflow.")
erf = _unary("Erf", "The Gauss error function.")
round = _unary("Round", "Round half to even, as TF.")  # noqa: A001
floor = _unary("Floor", "The largest integer not greater than x.")
ceil = _unary("Ceil", "The smallest integer not less than x.")
logical_not = _unary("LogicalNot", "not x, for bool tensors.")
conj = _unary("Conj", "The complex conjugate.")


def real(x, name=None):
    x = convert_to_tensor(x)
    return execute("Real", (x,)) if x.dtype.is_complex else x


def imag(x, name=None):
    x = convert_to_tensor(x)
    return execute("Imag", (x,)) if x.dtype.is_complex else execute("ZerosLike", (x,))


def is_nan(x, name=None):
    return not_equal(x, x)


def is_inf(x, name=None):
    return equal(abs(x), float("inf"))


def is_finite(x, name=None):
    return logical_not(logical_or(is_nan(x), is_inf(x)))


def maximum(x, y, name=None):
    return execute("Maximum", (x, y))


def minimum(x, y, name=None):
    return execute("Minimum", (x, y))


def equal(x, y, name=None):
    """x == y elementwise; shapes that don't broadcast are an InvalidArgumentError."""
    return execute("Equal", (x, y))


def not_equal(x, y, name=None):
    return execute("NotEqual", (x, y))


def less(x, y, name=None):
    return execute("Less", (x, y))


def less_equal(x, y, name=None):
    return execute("LessEqual", (x, y))


def greater(x, y, name=None):
    return execute("Greater", (x, y))


def greater_equal(x, y, name=None):
    return execute("GreaterEqual", (x, y))


def logical_and(x, y, name=None):
    return execute("LogicalAnd", (x, y))


def logical_or(x, y, name=None):
    return execute("LogicalOr", (x, y))


def logical_xor(x, y, name=None):
    """x != y for bools (TF composes it the same way)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _axis_attr(axis):
    if axis is None:
        return None
    if is_tensor_like(axis):
        axis = convert_to_tensor(axis).numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _reduce(op, doc):
    def fn(input_tensor, axis=None, keepdims=False, name=None):
        return execute(op, (input_tensor,), {"axis": _axis_attr(axis), "keepdims": bool(keepdims)})
    fn.__doc__ = doc + "\n\n    `axis` is None (all), an int or a list; `keepdims` keeps reduced axes as size 1."
    return fn


reduce_sum = _reduce("Sum", "Sum of elements across axes. `ef.reduce_sum([[1, 2], [3, 4]], axis=0)` -> [4, 6].")
reduce_mean = _reduce("Mean", "Mean across axes (integer inputs give an integer mean, as TF).")
reduce_max = _reduce("Max", "Maximum across axes.")
reduce_min = _reduce("Min", "Minimum across axes.")
reduce_prod = _reduce("Prod", "Product across axes.")
reduce_any = _reduce("Any", "Logical or across axes.")
reduce_all = _reduce("All", "Logical and across axes.")


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across axes, computed stably."""
    x = convert_to_tensor(input_tensor)
    stop = stop_gradient(reduce_max(x, axis=axis, keepdims=True))
    out = log(reduce_sum(exp(x - stop), axis=axis, keepdims=True)) + stop
    if not keepdims:
        out = squeeze(out, axis=_axis_attr(axis) if axis is not None else None)
    return out


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    x = convert_to_tensor(input_tensor)
    mean = reduce_mean(x, axis=axis, keepdims=True)
    return reduce_mean(square(x - mean), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def _arg(op):
    def fn(input, axis=None, output_type=_dtypes.int64, name=None):
        x = convert_to_tensor(input)
        if x.ndim == 0:
            raise errors.InvalidArgumentError(None, op, f"{op} needs a tensor of rank >= 1, got a scalar. [Op:{op}]")
        axis = 0 if axis is None else _axis_attr(axis)
        if not -x.ndim <= axis < x.ndim:
            raise errors.InvalidArgumentError(
                None, op, f"Expected dimension in the range [{-x.ndim}, {x.ndim}), but got {axis} [Op:{op}]")
        out_type = _dtypes.as_dtype(output_type)
        if out_type not in (_dtypes.int32, _dtypes.int64, _dtypes.int16, _dtypes.uint16):
            raise TypeError(f"output_type must be int32 or int64 (or int16/uint16), got {out_type.name}.")
        return execute(op, (x,), {"axis": axis, "output_type": out_type.as_numpy_dtype})
    fn.__doc__ = f"Index of the {'largest' if op == 'ArgMax' else 'smallest'} value along `axis` (int64 by default)."
    return fn


argmax = _arg("ArgMax")
argmin = _arg("ArgMin")


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along `axis`; `exclusive` starts at 0, `reverse` sums from the end."""
    return execute("Cumsum", (x,), {"axis": int(axis), "exclusive": bool(exclusive), "reverse": bool(reverse)})


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
    """Sum of products over `axes` (an int, or a pair of axis lists)."""
    if is_tensor_like(axes):
        axes = convert_to_tensor(axes).numpy().tolist()
    if isinstance(axes, (list, tuple)):
        axes = tuple(tuple(a) if isinstance(a, (list, tuple)) else a for a in axes)
    return execute("Tensordot", (a, b), {"axes": axes})


def einsum(equation, *inputs, **kwargs):
    """Einstein summation, e.g. `ef.einsum('ij,jk->ik', a, b)`."""
    return execute("Einsum", inputs, {"equation": equation})


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamp t to [clip_value_min, clip_value_max]."""
    return execute("ClipByValue", (t, clip_value_min, clip_value_max))


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype."""
    inputs = list(inputs)
    if not inputs:
        raise ValueError("add_n needs at least one input tensor.")
    shapes = {tuple(convert_to_tensor(x).shape) if not is_tensor_like(x) else tuple(x.shape) for x in inputs}
    if len(shapes) > 1:
        raise ValueError(f"add_n: all inputs must have the same shape, got shapes {sorted(shapes)}.")
    return execute("AddN", tuple(inputs))


def cast(x, dtype, name=None):
    """`x` converted to `dtype`: floats to ints truncate toward zero, integers wrap (on purpose).

    >>> ef.cast([1.7, -1.7], ef.int32).numpy()
    array([ 1, -1], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    x = convert_to_tensor(x) if not is_tensor_like(x) else x
    if x.dtype is dtype:
        return convert_to_tensor(x)
    if dtype is _dtypes.string or x.dtype is _dtypes.string:
        raise TypeError(f"Cannot cast {x.dtype.name} to {dtype.name}; use ef.strings functions for strings.")
    return execute("Cast", (x,), {"dtype": dtype._np})


def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y is 0."""
    y = convert_to_tensor(y, dtype=convert_to_tensor(x).dtype) if not is_tensor_like(y) else y
    safe = where(equal(y, 0), execute("OnesLike", (y,)), y)
    return where(equal(y, 0), execute("ZerosLike", (y,)), truediv(x, safe))

