"""Linear algebra (`ef.linalg`)."""

from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops import math_ops

__all__ = ["matmul", "inv", "det", "norm", "matrix_transpose", "trace"]

matmul = math_ops.matmul


def inv(input, adjoint=False, name=None):
    """The inverse of each square matrix in the last two dimensions.

    >>> ef.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    return execute("MatrixInverse", (input,), {"adjoint": bool(adjoint)} if adjoint else None)


def det(input, name=None):
    """The determinant of each square matrix in the last two dimensions.

    >>> print(ef.linalg.det([[2.0, 1.0], [1.0, 3.0]]))
    ef.Tensor(5.0, shape=(), dtype=float32)
    """
    return execute("MatrixDeterminant", (input,))


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the last two dimensions (conjugating too with `conjugate=True`).

    >>> ef.linalg.matrix_transpose(ef.zeros([5, 2, 3])).shape
    TensorShape([5, 3, 2])
    """
    from eagerflow.ops import array_ops
    x = convert_to_tensor(a)
    perm = list(range(x.ndim - 2)) + [x.ndim - 1, x.ndim - 2]
    return array_ops.transpose(x, perm, conjugate=conjugate)


def trace(x, name=None):
    """The sum of the main diagonal of each matrix in the last two dimensions.

    >>> ef.linalg.trace(ef.ones([3, 2, 2])).numpy()
    array([2., 2., 2.], dtype=float32)
    >>> print(ef.linalg.trace([[1, 2], [3, 4]]))
    ef.Tensor(5, shape=(), dtype=int32)
    """
    from eagerflow.ops import array_ops
    t = convert_to_tensor(x)
    eye = array_ops.eye(t.shape[-2], t.shape[-1], dtype=t.dtype)
    return math_ops.reduce_sum(t * eye, axis=[-2, -1])


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The vector norm ('euclidean', 1, 2, inf) over `axis`, or the Frobenius norm of matrices.

    >>> ef.linalg.norm([[3.0, 4.0], [0.0, 0.0]], axis=1).numpy()
    array([5., 0.], dtype=float32)
    >>> print(ef.linalg.norm([3.0, -4.0], ord=1))
    ef.Tensor(7.0, shape=(), dtype=float32)
    """
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
