"""Linear algebra (`ef.linalg`)."""

from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops import math_ops

__all__ = ["matmul", "inv", "det", "norm", "matrix_transpose", "trace"]

matmul = math_ops.matmul


def inv(input, adjoint=False, name=None):
    """The inverse of each square matrix in the last two dimensions."""
    return execute("MatrixInverse", (input,), {"adjoint": bool(adjoint)} if adjoint else None)


def det(input, name=None):
    """The determinant of each square matrix in the last two dimensions."""
    return execute("MatrixDeterminant", (input,))


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    from eagerflow.ops import array_ops
    x = convert_to_tensor(a)
    perm = list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2]
    return array_ops.transpose(x, perm, conjugate=conjugate)


def trace(x, name=None):
    from eagerflow.ops import array_ops
    t = convert_to_tensor(x)
    eye = array_ops.eye(t.shape[-2], t.shape[-1], dtype=t.dtype)
    return math_ops.reduce_sum(t * eye, axis=[-2, -1])


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The vector norm ('euclidean', 1, 2, inf) over `axis`, or the Frobenius norm of matrices."""
    x = convert_to_tensor(tensor)
    keep = bool(keepdims)
    if ord in ("euclidean", "fro", 2):
        mag = math_ops.abs(x) if x.dtype.is_complex else x
        return math_ops.sqrt(math_ops.reduce_sum(mag * mag, axis=axis, keepdims=keep))
    if ord == 1:
        return math_ops.reduce_sum(math_ops.abs(x), axis=axis, keepdims=keep)
    if ord == float("inf"):
        return math_ops.reduce_max(math_ops.abs(x), axis=axis, keepdims=keep)
    if isinstance(ord, (int, float)) and ord > 0:
        return math_ops.pow(math_ops.reduce_sum(math_ops.pow(math_ops.abs(x), float(ord)), axis=axis,
                                                keepdims=keep), 1.0 / ord)
    raise ValueError(f"norm: ord must be 'euclidean', 'fro', a positive number or inf, got {ord!r}.")
