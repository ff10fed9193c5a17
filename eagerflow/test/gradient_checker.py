"""`ef.test.compute_gradient`: theoretical and numerical Jacobians, as `tf.test.compute_gradient`.

The theoretical Jacobian comes from the tape (one backward pass per element of y, seeded with a one-hot
output gradient); the numerical one from central differences, element by element of x, computed in x's
own dtype as TF does. Both have one row per element of y and one column per element of x; complex
values count as two real elements (real, imaginary).
"""

import numpy as np

from eagerflow import dtypes
from eagerflow.autodiff.tape import GradientTape
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.framework.indexed_slices import IndexedSlices

__all__ = ["compute_gradient"]

_DIFFERENTIABLE = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
                   dtypes.complex128)


def _value(t):
    if isinstance(t, IndexedSlices):
        t = convert_to_tensor(t)
    return np.asarray(t.numpy() if hasattr(t, "numpy") else t)


def _call(f, arrays):
    return f(*[convert_to_tensor(a) for a in arrays])


def _check_dtype(dtype, what):
    if dtype not in _DIFFERENTIABLE:
        raise AssertionError(f"Cannot compute gradient for unsupported type {dtype.name} of {what}: use one of "
                             f"{', '.join(d.name for d in _DIFFERENTIABLE)} (ef.cast the argument).")


def _theoretical(f, y_shape, y_dtype, xs, param):
    x = xs[param]
    x_size = int(np.prod(x.shape, dtype=np.int64)) * (2 if x.dtype.is_complex else 1)
    y_size = int(np.prod(y_shape, dtype=np.int64)) * (2 if y_dtype.is_complex else 1)
    jacobian = np.zeros((y_size, x_size), dtype=x.dtype.real_dtype.as_numpy_dtype)
    dy = np.zeros(y_shape, dtype=y_dtype.as_numpy_dtype)
    dy_flat = dy.reshape(-1).view(y_dtype.real_dtype.as_numpy_dtype)
    for row in range(y_size):
        dy_flat[row] = 1
        with GradientTape() as tape:
            tape.watch(xs[param])
            y = f(*xs)
        grad = tape.gradient(y, xs[param], output_gradients=convert_to_tensor(dy))
        if grad is not None:  # an unconnected x: a row of zeros
            jacobian[row, :] = _value(grad).reshape(-1).view(jacobian.dtype)
        dy_flat[row] = 0
    return jacobian


def _numerical(f, y_size, y_dtype, xs, param, delta):
    x_dtype = xs[param].dtype
    x_size = int(np.prod(xs[param].shape, dtype=np.int64)) * (2 if x_dtype.is_complex else 1)
    y_size *= 2 if y_dtype.is_complex else 1
    x_real = x_dtype.real_dtype.as_numpy_dtype
    y_real = y_dtype.real_dtype.as_numpy_dtype
    arrays = [np.array(_value(t)) for t in xs]  # own copies: perturbed in place
    flat = arrays[param].reshape(-1).view(x_real)
    scale = np.asarray(2 * delta, dtype=y_real)[()]
    jacobian = np.zeros((y_size, x_size), dtype=x_real)
    for col in range(x_size):
        original = flat[col]
        flat[col] += delta
        y_pos = _value(_call(f, arrays))
        flat[col] = original
        flat[col] -= delta
        y_neg = _value(_call(f, arrays))
        flat[col] = original
        jacobian[:, col] = ((y_pos - y_neg) / scale).reshape(-1).view(y_real)
    return jacobian


def compute_gradient(f, x, delta=None):
    """The theoretical and numerical Jacobians of `f` with respect to each of its arguments `x`.

    Returns `(theoretical, numerical)`, each a tuple with one NumPy array per argument, of shape
    (size of y, size of that argument). `delta` (default 1/1024, exact in binary) is the step of the
    central differences.

    >>> theoretical, numerical = ef.test.compute_gradient(lambda a: a * a, [ef.constant([1.0, 3.0])])
    >>> theoretical[0]
    array([[2., 0.],
           [0., 6.]], dtype=float32)
    >>> bool(np.abs(numerical[0] - theoretical[0]).max() < 1e-3)
    True
    """
    if not isinstance(x, (list, tuple)):
        raise ValueError(f"`x` must be a list or tuple of values convertible to a Tensor (arguments to `f`), not a "
                         f"{type(x)}: pass [x].")
    delta = 1.0 / 1024 if delta is None else delta
    xs = [convert_to_tensor(v) for v in x]
    y = convert_to_tensor(_call(f, [_value(t) for t in xs]))
    y_shape = tuple(y.shape)
    pairs = []
    for param, t in enumerate(xs):
        _check_dtype(t.dtype, f"argument {param}")
        _check_dtype(y.dtype, "y")
        pairs.append((_theoretical(f, y_shape, y.dtype, xs, param),
                      _numerical(f, int(np.prod(y_shape, dtype=np.int64)), y.dtype, xs, param, delta)))
    return tuple(zip(*pairs))
