"""Checks of op arguments at the op boundary: one function per kind of argument.

Integers (an axis, a depth, `k`), lists of integers (shapes, multiples), axes against a rank, and
the size of an output against int64 and against the free memory of the device it will live on.
Each raises TF's class for the way the argument is wrong (TF's own classes differ from op to op:
a float in `zeros([2.5])` is a TypeError, in `fill([2.5], 1)` an InvalidArgumentError, so the
caller names the class), with the object, the values and the way out, before anything runs.

>>> ef.reduce_sum(ef.constant(6.0), axis=0)
Traceback (most recent call last):
...
eagerflow.errors.InvalidArgumentError: Invalid reduction dimension (0 for input with 0 dimension(s)) ...
"""

import numpy as np

from eagerflow import errors

__all__ = ["integer", "integers", "axis", "reduction_axes", "dims", "non_negative", "check_allocation"]

_INT64_MAX = 2 ** 63 - 1
_CHECK_FREE_ABOVE = 1 << 26  # bytes: smaller outputs skip the free-memory probe (it reads /proc/meminfo)


def _raise(error, op, message):
    if issubclass(error, errors.OpError):
        raise error(None, op, f"{message} [Op:{op}]" if op else message)
    raise error(message)


def _is_int(value):
    return isinstance(value, (int, np.integer)) or (isinstance(value, np.ndarray) and value.ndim == 0
                                                     and value.dtype.kind in "iub")


def integer(value, what, op, error=TypeError):
    """`value` as a Python int: an int, a bool, a NumPy integer or a 0-d integer tensor; a float or
    anything else raises `error`.

    >>> integer(3, "depth", "OneHot"), integer(np.int64(2), "k", "TopKV2")
    (3, 2)
    """
    from eagerflow.framework.execute import is_tensor_like  # execute imports this module
    if is_tensor_like(value):
        array = np.asarray(value)
        if array.ndim != 0 or array.dtype.kind not in "iu":
            _raise(error, op, f"{what} must be an integer scalar, got a tensor of dtype {value.dtype.name} and "
                              f"shape {tuple(array.shape)}. Give a Python int, e.g. {what}=2.")
        return int(array)
    if _is_int(value):
        return int(value)
    _raise(error, op, f"{what} must be an integer, got {value!r} of type {type(value).__name__}. Give a Python "
                      f"int (e.g. {what}={_suggest(value)}).")


def _suggest(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return 2


def integers(value, what, op, error=TypeError):
    """A tuple of Python ints from a scalar, a list, a tuple, a TensorShape, a NumPy array or an
    integer tensor (a vector); floats raise `error`, a nested list InvalidArgumentError.

    >>> integers([2, np.int32(3)], "shape", "Fill")
    (2, 3)
    """
    from eagerflow.framework.execute import is_tensor_like
    if is_tensor_like(value) or isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.dtype.kind not in "iub" and array.size:
            _raise(error, op, f"{what} must be integers, got {'a tensor' if is_tensor_like(value) else 'an array'} "
                              f"of dtype {array.dtype}. Cast it to int32 or int64.")
        if array.ndim > 1:
            raise errors.InvalidArgumentError(
                None, op, f"Expected {what} to be 1-D, but got shape {list(array.shape)} [Op:{op}]. Give a flat list.")
        return tuple(int(v) for v in array.reshape(-1))
    if hasattr(value, "as_list"):  # a TensorShape: fully known dimensions only
        value = value.as_list()
    if _is_int(value):
        return (int(value),)
    if not isinstance(value, (list, tuple)):
        _raise(error, op, f"{what} must be a list of integers, got {value!r} of type {type(value).__name__}.")
    out = []
    for v in value:
        if isinstance(v, (list, tuple)):
            raise errors.InvalidArgumentError(
                None, op, f"Expected {what} to be 1-D, but got {value!r} [Op:{op}]. Give a flat list of integers.")
        if is_tensor_like(v) or isinstance(v, np.ndarray):
            out.append(integer(v, what, op, error))
        elif _is_int(v):
            out.append(int(v))
        else:
            _raise(error, op, f"{what} must be integers, got {v!r} of type {type(v).__name__} in {value!r}. "
                              f"Give whole numbers as ints (e.g. {_suggest(v)}).")
    return tuple(out)


def axis(value, rank, op, what="axis", error=errors.InvalidArgumentError, type_error=TypeError):
    """Axis `value` of a tensor of rank `rank`, in [0, rank) (negative counts from the end).

    >>> axis(-1, 2, "ConcatV2")
    1
    """
    a = integer(value, what, op, type_error)
    if not -rank <= a < rank:
        _raise(error, op, f"Expected {what} in the range [{-rank}, {rank}) for a tensor of rank {rank}, but got "
                          f"{a}. Give an axis inside the tensor's dimensions.")
    return a % rank


def reduction_axes(value, rank, op):
    """The axes of a reduction over a tensor of rank `rank`, normalised: None (all) or a tuple.

    >>> reduction_axes([-1, 0], 2, "Sum")
    (1, 0)
    """
    if value is None:
        return None
    from eagerflow.framework.execute import is_tensor_like
    if is_tensor_like(value) or isinstance(value, np.ndarray):
        array = np.asarray(value)
        if array.dtype.kind not in "iu":
            raise errors.InvalidArgumentError(
                None, op, f"reduction axes must be int32 or int64, got a tensor of dtype {array.dtype} [Op:{op}]. "
                f"Cast them with ef.cast(axis, ef.int32).")
        axes = tuple(int(a) for a in array.reshape(-1))
    elif isinstance(value, (list, tuple)):
        axes = tuple(integer(a, "axis", op) for a in np.asarray(value, dtype=object).reshape(-1)) if value else ()
    else:
        axes = (integer(value, "axis", op),)
    for a in axes:
        if not -rank <= a < rank:
            raise errors.InvalidArgumentError(
                None, op, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)) [Op:{op}]. Reduce "
                f"over an axis in [{-rank}, {rank}), or axis=None for all of them.")
    if _is_int(value):  # one axis stays an int (the kernels and gradients read it so)
        return axes[0] % rank
    return tuple(a % rank for a in axes)


def dims(value, op, what="shape", error=TypeError, negative=errors.InvalidArgumentError, unknown=False):
    """A shape as a tuple of non-negative Python ints (`unknown=True` allows one -1, as reshape).
    Floats raise `error`, negative sizes `negative`, a size beyond int64 ValueError (as TF's conversion).

    >>> dims([2, 3], "Fill")
    (2, 3)
    """
    shape = integers(value, what, op, error)
    for i, d in enumerate(shape):
        if d > _INT64_MAX:
            raise ValueError(f"Can't convert Python sequence with out-of-range integer to Tensor: {what} {list(shape)} "
                             f"has dimension {i} = {d} beyond int64's {_INT64_MAX}.")
        if d < 0 and not (unknown and d == -1):
            _raise(negative, op, f"Dimension {d} must be >= 0 ({what} {list(shape)}, dimension {i}). Sizes are "
                                 f"counts of elements" + (", or -1 for the one inferred." if unknown else "."))
    return shape


def non_negative(value, what, op, error=TypeError):
    """An integer argument that counts something (a depth, `k`, a number of samples): >= 0.

    >>> non_negative(3, "depth", "OneHot")
    3
    """
    n = integer(value, what, op, error)
    if n < 0:
        raise errors.InvalidArgumentError(None, op, f"{what} must be non-negative, got: {n} [Op:{op}]")
    return n


def num_elements(shape, op):
    """The number of elements of `shape`; more than int64 holds is TF's InvalidArgumentError."""
    count = 1
    for d in shape:
        count *= d
    if count > _INT64_MAX and 0 not in shape:
        raise errors.InvalidArgumentError(
            None, op, f"Shape {list(shape)} would have more than 2**63 - 1 elements [Op:{op}]. Use a smaller shape.")
    return count if 0 not in shape else 0


def check_allocation(shape, dtype, device, op):
    """Refuse an output of `shape` and `dtype` that `device` cannot hold, before allocating it:
    ResourceExhaustedError (TF's class for an allocation that cannot be made), never a MemoryError.

    >>> check_allocation((2, 3), ef.float32, ef.config.list_logical_devices()[0], "Fill")
    """
    nbytes = num_elements(shape, op) * np.dtype(dtype._np if hasattr(dtype, "_np") else dtype).itemsize
    if nbytes <= _CHECK_FREE_ABOVE:
        return
    if not hasattr(device, "backend"):  # a LogicalDevice: the Device it names
        from eagerflow.device import memory
        device = memory.find_device(device.name)
    free = device.free_memory()
    if free is not None and nbytes > free:
        raise errors.ResourceExhaustedError(
            None, op, f"OOM when allocating tensor with shape{list(shape)} and type {dtype.name} on {device.name}: "
            f"it needs {nbytes} bytes and {free} are free [Op:{op}]. Use a smaller shape, or free memory first.")
