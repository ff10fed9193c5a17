"""Assertions and numeric checks (`ef.debugging.assert_*`, `check_numerics`, `enable_check_numerics`), with
TF's eager error classes and message texts.
"""

import threading

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework import execute as _execute
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.framework.tensor import Tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.control_flow_ops import Assert

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal", "assert_greater",
           "assert_greater_equal", "assert_near", "assert_negative", "assert_positive", "assert_non_negative",
           "assert_non_positive", "assert_rank", "assert_rank_at_least", "assert_rank_in", "assert_integer",
           "assert_type", "assert_scalar", "assert_same_float_dtype", "assert_proper_iterable", "assert_all_finite",
           "assert_shapes", "check_numerics", "enable_check_numerics", "disable_check_numerics", "is_numeric_tensor",
           "Assert"]


def _message_prefix(message):
    return f"{message}.  " if message else ""


def _shape_and_dtype(t):
    return f"shape={t.shape} dtype={t.dtype.name}"


def _pretty(item, summarize):
    if isinstance(item, Tensor):
        value = item.numpy()
        if np.isscalar(value) or np.ndim(value) == 0:
            return str(value)
        flat = value.reshape(-1)
        items = [str(v) for v in flat[:summarize]]
        if len(items) < flat.size:
            items.append("...")
        return str(items)
    return str(item)


def _binary_assert(sym, op_fn, x, y, data, summarize, message):
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype) if not is_tensor_like(y) else convert_to_tensor(y)
    test = op_fn(x, y)
    if bool(math_ops.reduce_all(test).numpy()):
        return None
    summarize = 3 if summarize is None else (10 ** 9 if summarize < 0 else summarize)
    if data is None:
        data = [f"Condition x {sym} y did not hold."]
        if summarize > 0:
            if x.shape == y.shape and x.shape.as_list():
                mask = math_ops.logical_not(test)
                where = array_ops.where(mask).numpy()
                n = min(summarize, where.shape[0])
                data += [f"Indices of first {n} different values:", where[:n], "Corresponding x values:",
                         array_ops.boolean_mask(x, mask).numpy().reshape(-1)[:n], "Corresponding y values:",
                         array_ops.boolean_mask(y, mask).numpy().reshape(-1)[:n]]
            xs, ys = x.numpy().reshape(-1), y.numpy().reshape(-1)
            data += [f"First {min(xs.size, summarize)} elements of x:", xs[:summarize],
                     f"First {min(ys.size, summarize)} elements of y:", ys[:summarize]]
    if message is not None:
        data = [message] + list(data)
    raise errors.InvalidArgumentError(None, None, "\n".join(_pretty(d, summarize) for d in data))


def _binary(sym, op_fn, doc):
    def fn(x, y, message=None, summarize=None, name=None):
        return _binary_assert(sym, op_fn, x, y, None, summarize, message)
    fn.__doc__ = doc
    return fn


assert_equal = _binary("==", math_ops.equal, """InvalidArgumentError unless x == y everywhere (broadcasting).

    >>> ef.debugging.assert_equal([1, 2], [1, 2]) is None
    True
    """)
assert_none_equal = _binary("!=", math_ops.not_equal, """InvalidArgumentError unless x != y everywhere.

    >>> ef.debugging.assert_none_equal([1, 2], [3, 4]) is None
    True
    """)
assert_less = _binary("<", math_ops.less, """InvalidArgumentError unless x < y everywhere.

    >>> ef.debugging.assert_less([1, 2], 3) is None
    True
    """)
assert_less_equal = _binary("<=", math_ops.less_equal, """InvalidArgumentError unless x <= y everywhere.

    >>> ef.debugging.assert_less_equal([1, 3], 3) is None
    True
    """)
assert_greater = _binary(">", math_ops.greater, """InvalidArgumentError unless x > y everywhere.

    >>> ef.debugging.assert_greater([4, 5], 3) is None
    True
    """)
assert_greater_equal = _binary(">=", math_ops.greater_equal, """InvalidArgumentError unless x >= y everywhere.

    >>> ef.debugging.assert_greater_equal([3, 5], 3) is None
    True
    """)
for _fn, _name in ((assert_equal, "assert_equal"), (assert_none_equal, "assert_none_equal"),
                   (assert_less, "assert_less"), (assert_less_equal, "assert_less_equal"),
                   (assert_greater, "assert_greater"), (assert_greater_equal, "assert_greater_equal")):
    _fn.__name__ = _fn.__qualname__ = _name


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """InvalidArgumentError unless |x - y| <= atol + rtol * |y| everywhere (default tolerances 10 eps).

    >>> ef.debugging.assert_near([1.0, 2.0], [1.0, 2.0 + 1e-7]) is None
    True
    """
    message = _message_prefix(message)
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x.dtype)
    real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    eps = float(np.finfo(real._np).eps) if real.is_floating else 0
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, dtype=real)
    atol = convert_to_tensor(10 * eps if atol is None else atol, dtype=real)
    data = [message, f"x and y not equal to tolerance rtol = {str(rtol)}, atol = {str(atol)}",
            f"x ({_shape_and_dtype(x)}) = ", x, f"y ({_shape_and_dtype(y)}) = ", y]
    tol = atol + rtol * math_ops.abs(y)
    diff = math_ops.abs(x - y)
    return Assert(math_ops.reduce_all(math_ops.less(diff, tol)), data, summarize=summarize)


def _sign_assert(x, data_text, compare, summarize, message):
    message = _message_prefix(message)
    t = convert_to_tensor(x)
    data = [message, data_text, f"x ({_shape_and_dtype(t)}) = ", t]
    zero = convert_to_tensor(0, dtype=t.dtype)
    lhs, rhs, sym, fn = compare(t, zero)
    return _binary_assert(sym, fn, lhs, rhs, data, summarize, None)


def assert_negative(x, message=None, summarize=None, name=None):
    """InvalidArgumentError unless x < 0 everywhere.

    >>> ef.debugging.assert_negative([-1, -2]) is None
    True
    """
    return _sign_assert(x, "Condition x < 0 did not hold element-wise:",
                        lambda t, z: (t, z, "<", math_ops.less), summarize, message)


def assert_positive(x, message=None, summarize=None, name=None):
    """InvalidArgumentError unless x > 0 everywhere.

    >>> ef.debugging.assert_positive([1, 2]) is None
    True
    """
    return _sign_assert(x, "Condition x > 0 did not hold element-wise:",
                        lambda t, z: (z, t, "<", math_ops.less), summarize, message)


def assert_non_negative(x, message=None, summarize=None, name=None):
    """InvalidArgumentError unless x >= 0 everywhere.

    >>> ef.debugging.assert_non_negative([0, 2]) is None
    True
    """
    return _sign_assert(x, "Condition x >= 0 did not hold element-wise:",
                        lambda t, z: (z, t, "<=", math_ops.less_equal), summarize, message)


def assert_non_positive(x, message=None, summarize=None, name=None):
    """InvalidArgumentError unless x <= 0 everywhere.

    >>> ef.debugging.assert_non_positive([0, -2]) is None
    True
    """
    return _sign_assert(x, "Condition x <= 0 did not hold element-wise:",
                        lambda t, z: (t, z, "<=", math_ops.less_equal), summarize, message)


def _rank_of(x):
    return convert_to_tensor(x).shape


def _given_rank(rank):
    r = convert_to_tensor(rank)
    if r.ndim != 0 or not r.dtype.is_integer:
        raise ValueError(f"Rank must be a scalar integer, got {rank!r}")
    return int(r.numpy())


def assert_rank(x, rank, message=None, name=None):
    """ValueError unless `x` has rank `rank`.

    >>> ef.debugging.assert_rank(ef.zeros([2, 3]), 2) is None
    True
    """
    shape = _rank_of(x)
    r = _given_rank(rank)
    if shape.rank != r:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank {r}.  Received rank {shape.rank}, "
                         f"shape {shape}")


def assert_rank_at_least(x, rank, message=None, name=None):
    """ValueError unless `x` has rank >= `rank`.

    >>> ef.debugging.assert_rank_at_least(ef.zeros([2, 3]), 1) is None
    True
    """
    shape = _rank_of(x)
    r = _given_rank(rank)
    if shape.rank < r:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank at least {r}.  Received rank "
                         f"{shape.rank}, shape {shape}")


def assert_rank_in(x, ranks, message=None, name=None):
    """ValueError unless the rank of `x` is one of `ranks`.

    >>> ef.debugging.assert_rank_in(ef.zeros([2]), [1, 2]) is None
    True
    """
    shape = _rank_of(x)
    given = tuple(_given_rank(r) for r in ranks)
    if shape.rank not in given:
        raise ValueError(f"{_message_prefix(message)}Tensor  must have rank in {given}.  Received rank "
                         f"{shape.rank}, shape {shape}")


def assert_integer(x, message=None, name=None):
    """TypeError unless `x` has an integer dtype.

    >>> ef.debugging.assert_integer(ef.constant([1])) is None
    True
    """
    t = convert_to_tensor(x)
    if not t.dtype.is_integer:
        raise TypeError(f'{_message_prefix(message)}Expected "x" to be integer type.  Found: tensor of dtype '
                        f"{t.dtype}")


def assert_type(tensor, tf_type, message=None, name=None):
    """TypeError unless `tensor` has dtype `tf_type`.

    >>> ef.debugging.assert_type(ef.constant(1.0), ef.float32) is None
    True
    """
    want = _dtypes.as_dtype(tf_type)
    t = convert_to_tensor(tensor)
    if t.dtype is not want:
        raise TypeError(f"{_message_prefix(message)}tensor must be of type {want!r}; got {t.dtype!r}")


def assert_scalar(tensor, message=None, name=None):
    """ValueError unless `tensor` is a scalar; returns it.

    >>> ef.debugging.assert_scalar(ef.constant(1)).shape
    TensorShape([])
    """
    t = convert_to_tensor(tensor)
    if t.shape.rank != 0:
        raise ValueError(f"{_message_prefix(message)}Expected scalar shape, saw shape: {t.shape}.")
    return t


def assert_same_float_dtype(tensors=None, dtype=None):
    """The one floating dtype of `tensors` (and `dtype`); ValueError if they differ or are not floating.

    >>> ef.debugging.assert_same_float_dtype([ef.zeros([2])])
    ef.float32
    """
    expected = None if dtype is None else _dtypes.as_dtype(dtype)
    first = None
    for t in tensors or []:
        if t is None:
            continue
        if expected is None:
            expected, first = t.dtype, t
        elif t.dtype is not expected:
            as_text = f" as {str(first)}" if first is not None else ""
            raise ValueError(f"{str(t)}, type={t.dtype}, must be of the same type ({expected}){as_text}.")
    if expected is None:
        return _dtypes.float32
    if not expected.is_floating:
        raise ValueError(f"Expected floating point type, got {expected}.")
    return expected


def assert_proper_iterable(values):
    """TypeError unless `values` is an iterable that is not a tensor, array or string.

    >>> ef.debugging.assert_proper_iterable([1, 2]) is None
    True
    """
    if is_tensor_like(values) or isinstance(values, (np.ndarray, bytes, str)):
        kind = type(values)
        raise TypeError(f'Expected argument "values" to be a "proper" iterable.  Found: {kind}')
    if not hasattr(values, "__iter__"):
        raise TypeError(f'Expected argument "values" to be iterable.  Found: {type(values)}')


def check_numerics(tensor, message, name=None):
    """`tensor` if it has no NaN or Inf, else InvalidArgumentError '<message> : Tensor had NaN values'.

    >>> ef.debugging.check_numerics(ef.constant([1.0]), "fine").numpy()
    array([1.], dtype=float32)
    """
    return execute("CheckNumerics", (tensor,), {"message": str(message)})


def assert_all_finite(x, message, name=None):
    """`x` if it has no NaN or Inf (as `check_numerics`).

    >>> ef.debugging.assert_all_finite(ef.constant([1.0]), "fine").numpy()
    array([1.], dtype=float32)
    """
    return check_numerics(x, message)


def is_numeric_tensor(tensor):
    """True for a tensor of a number dtype (not bool or string).

    >>> ef.debugging.is_numeric_tensor(ef.constant([1])), ef.debugging.is_numeric_tensor(ef.constant([True]))
    (True, False)
    """
    return isinstance(tensor, Tensor) and (tensor.dtype.is_integer or tensor.dtype.is_floating
                                           or tensor.dtype.is_complex)


# ----------------------------------------------------------------------------- assert_shapes


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Check that the tensors' shapes agree with symbolic specs: each entry (tensor, spec), the spec a list of
    ints and names ('N'); the same name must have the same size everywhere; '...' (or a leading '*') allows
    any leading dimensions. ValueError on a mismatch, as TF's eager check.

    >>> ef.debugging.assert_shapes([(ef.zeros([2, 3]), ("N", 3)), (ef.zeros([2]), ("N",))]) is None
    True
    """
    message = _message_prefix(message)
    entries = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    sizes = {}
    for x, spec in entries:
        t = convert_to_tensor(x)
        spec = list(spec) if not isinstance(spec, str) else list(spec)
        shape = t.shape.as_list()
        ellipsis = bool(spec) and (spec[0] is Ellipsis or spec[0] == "*")
        dims = spec[1:] if ellipsis else spec
        who = _shape_and_dtype(t)
        if ellipsis:
            if len(shape) < len(dims):  # (the rank checks name no tensor, as TF's eager assert_rank)
                raise ValueError(f"{message}Tensor  must have rank at least {len(dims)}.  Received rank "
                                 f"{len(shape)}, shape {t.shape}")
        elif len(dims) == 1:  # TF: a one-dimensional spec also accepts a scalar
            if len(shape) not in (0, 1):
                raise ValueError(f"{message}Tensor  must have rank in (0, 1).  Received rank {len(shape)}, "
                                 f"shape {t.shape}")
        elif len(shape) != len(dims):
            raise ValueError(f"{message}Tensor  must have rank {len(dims)}.  Received rank {len(shape)}, "
                             f"shape {t.shape}")
        offset = len(shape) - len(dims)
        for i, d in enumerate(dims):
            axis = i + offset
            if axis < 0 or axis >= len(shape):
                continue
            actual = shape[axis]
            if isinstance(d, str):
                if d in sizes:
                    want, origin, origin_axis = sizes[d]
                    if actual != want:
                        raise ValueError(f"{message}Specified by tensor {origin} dimension {origin_axis}.  Tensor "
                                         f"{who} dimension {axis} must have size {want}.  Received size {actual}, "
                                         f"shape {t.shape}")
                else:
                    sizes[d] = (actual, who, axis)
            elif d is not None and int(d) != actual:
                raise ValueError(f"{message}Specified explicitly.  Tensor {who} dimension {axis} must have size "
                                 f"{int(d)}.  Received size {actual}, shape {t.shape}")
    return None


# ----------------------------------------------------------------------------- check numerics of every op


class _NumericsChecker:
    """A recorder that checks every floating output of every op this thread runs."""

    def __init__(self, stack_height_limit, path_length_limit):
        self.stack_height_limit = stack_height_limit
        self.path_length_limit = path_length_limit

    def record(self, op, inputs, outputs, attrs):
        for k, out in enumerate(outputs):
            if not isinstance(out, Tensor) or not (out.dtype.is_floating or out.dtype.is_complex):
                continue
            value = out._device.xp.asarray(out._value)
            if bool(out._device.xp.isfinite(value).all()):
                continue
            has_nan = bool(out._device.xp.isnan(value).any())
            has_inf = bool(out._device.xp.isinf(value).any())
            kind = "Inf and NaN" if has_nan and has_inf else ("NaN" if has_nan else "Inf")
            shown = "\n".join(f"    {i}: {str(t)}" for i, t in enumerate(inputs))
            raise errors.InvalidArgumentError(
                None, op, f"\n\n!!! Detected Infinity or NaN in output {k} of eagerly-executing op \"{op}\" (# of "
                f"outputs: {len(outputs)}) !!!\n  dtype: {out.dtype}\n  shape: {out.shape}\n\n  Input tensors "
                f"({len(inputs)}):\n{shown}\n\n : Tensor had {kind} values")


_checkers = threading.local()


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """From now on (in this thread, as TF's op callbacks) every op's floating output is checked for NaN and
    Inf; the first op that makes one raises InvalidArgumentError naming the op, its inputs and the kind.
    The cost is paid only while it is on.

    >>> ef.debugging.enable_check_numerics()
    >>> ef.debugging.disable_check_numerics()
    """
    if getattr(_checkers, "checker", None) is None:
        _checkers.checker = _NumericsChecker(stack_height_limit, path_length_limit)
        _execute.push_recorder(_checkers.checker)


def disable_check_numerics():
    """Stop checking op outputs (see `enable_check_numerics`); nothing happens if it was off.

    >>> ef.debugging.disable_check_numerics()
    """
    checker = getattr(_checkers, "checker", None)
    if checker is not None:
        _execute.pop_recorder(checker)
        _checkers.checker = None

