"""Linear algebra (`ef.linalg`)."""

import collections

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device.context import switches as _switches
from eagerflow.framework.execute import convert_to_tensor, execute, log_constants
from eagerflow.ops import array_ops, math_ops

__all__ = ["matmul", "matvec", "inv", "det", "norm", "matrix_transpose", "trace", "adjoint", "band_part", "cholesky",
           "cholesky_solve", "cross", "diag", "diag_part", "set_diag", "tensor_diag", "tensor_diag_part", "eig",
           "eigvals", "eigh", "eigvalsh", "eigh_tridiagonal", "expm", "sqrtm", "logm", "logdet", "slogdet", "lstsq",
           "lu", "lu_matrix_inverse", "lu_reconstruct", "lu_solve", "matrix_rank", "normalize", "pinv", "qr", "svd",
           "solve", "triangular_solve", "banded_triangular_solve", "tridiagonal_matmul", "tridiagonal_solve",
           "tensordot", "einsum", "eye"]

tensordot = math_ops.tensordot
einsum = math_ops.einsum
eye = array_ops.eye

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
    t = convert_to_tensor(x)
    return math_ops.reduce_sum(diag_part(t), [-1])  # as TF


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    """The matrix-vector product a @ b over the last dimensions (batched over the leading ones).

    >>> ef.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    product = math_ops.matmul(a, array_ops.expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return array_ops.squeeze(product, axis=-1)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The vector norm ('euclidean', 1, 2, inf) over `axis`, or the Frobenius norm of matrices.

    >>> ef.linalg.norm([[3.0, 4.0], [0.0, 0.0]], axis=1).numpy()
    array([5., 0.], dtype=float32)
    >>> print(ef.linalg.norm([3.0, -4.0], ord=1))
    ef.Tensor(7.0, shape=(), dtype=float32)
    """
    x = convert_to_tensor(tensor)
    if not (ord in ("euclidean", "fro", 2, 1, float("inf")) or isinstance(ord, (int, float)) and ord > 0):
        raise ValueError(f"norm: ord must be 'euclidean', 'fro', a positive number or inf, got {ord!r}.")
    if isinstance(axis, (int, np.integer)) and not isinstance(axis, bool):
        axis = (int(axis),)  # as TF, which reduces over a tuple of axes
    if ord in ("euclidean", "fro", 2):
        mag = math_ops.abs(x) if x.dtype.is_complex else x
        result = math_ops.sqrt(math_ops.reduce_sum(mag * mag, axis=axis, keepdims=True))
    elif ord == 1:
        result = math_ops.reduce_sum(math_ops.abs(x), axis=axis, keepdims=True)
    elif ord == float("inf"):
        result = math_ops.reduce_max(math_ops.abs(x), axis=axis, keepdims=True)
    else:
        result = math_ops.pow(math_ops.reduce_sum(math_ops.pow(math_ops.abs(x), float(ord)), axis=axis,
                                                  keepdims=True), 1.0 / ord)
    # as TF: reduced keeping the dimensions, then squeezed (the Squeeze is in its placement log)
    return result if keepdims else array_ops.squeeze(result, axis)


def _t(x):
    return convert_to_tensor(x)


def _float_check(x, what):
    """TF registers the linear-algebra kernels for floating and complex dtypes only."""
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise errors.InvalidArgumentError(
            None, what, f"Value for attr 'T' of {x.dtype.name} is not in the list of allowed values: double, float, "
            f"half, complex64, complex128 ({what}); cast it first, e.g. ef.cast(x, ef.float32)")
    return x


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two dimensions.

    >>> ef.linalg.adjoint([[1 + 1j, 2], [3, 4]]).numpy()
    array([[1.-1.j, 3.-0.j],
           [2.-0.j, 4.-0.j]])
    """
    return matrix_transpose(matrix, conjugate=True)


def band_part(input, num_lower, num_upper, name=None):
    """Keep `num_lower` subdiagonals and `num_upper` superdiagonals (negative: all) of each matrix.

    >>> ef.linalg.band_part(ef.ones([3, 3]), 0, -1).numpy()   # upper triangle
    array([[1., 1., 1.],
           [0., 1., 1.],
           [0., 0., 1.]], dtype=float32)
    """
    if _switches.active:  # TF's num_lower and num_upper are int64 tensors
        log_constants("MatrixBandPart", num_lower, num_upper, dtype=_dtypes.int64)
    return execute("MatrixBandPart", (input,), {"num_lower": int(num_lower), "num_upper": int(num_upper)})


def cholesky(input, name=None):
    """The lower-triangular Cholesky factor L of each Hermitian positive-definite matrix (input = L L^H).

    Only the lower triangle of the input is read, as TF.

    >>> ef.linalg.cholesky([[4.0, 2.0], [2.0, 5.0]]).numpy()
    array([[2., 0.],
           [1., 2.]], dtype=float32)
    """
    return execute("Cholesky", (_float_check(_t(input), "cholesky"),))


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solve `matrix @ x = rhs` for triangular `matrix` (only its `lower` or upper triangle is read).

    >>> ef.linalg.triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [3.0]]).numpy()
    array([[1.],
           [2.]], dtype=float32)
    """
    return execute("MatrixTriangularSolve", (matrix, rhs), {"lower": bool(lower), "adjoint": bool(adjoint)})


def cholesky_solve(chol, rhs, name=None):
    """Solve `A x = rhs` given `chol`, the Cholesky factor of A.

    >>> a = ef.constant([[4.0, 2.0], [2.0, 5.0]])
    >>> ef.linalg.cholesky_solve(ef.linalg.cholesky(a), [[6.0], [7.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def solve(matrix, rhs, adjoint=False, name=None):
    """Solve `matrix @ x = rhs` (or `matrix^H @ x = rhs`); a singular matrix is an InvalidArgumentError.

    >>> ef.linalg.solve([[2.0, 1.0], [1.0, 3.0]], [[3.0], [5.0]]).numpy().round(4)
    array([[0.8],
           [1.4]], dtype=float32)
    """
    return execute("MatrixSolve", (matrix, rhs), {"adjoint": bool(adjoint)})


# TF's multi-output ops return namedtuples named after the op
Qr = collections.namedtuple("Qr", ["q", "r"])
LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])
Lu = collections.namedtuple("Lu", ["lu", "p"])


def qr(input, full_matrices=False, name=None):
    """The QR decomposition (q, r) of each matrix: q has orthonormal columns, r is upper triangular.

    >>> q, r = ef.linalg.qr([[3.0, 1.0], [4.0, 2.0]])
    >>> ef.matmul(q, r).numpy().round(4)
    array([[3., 1.],
           [4., 2.]], dtype=float32)
    """
    return Qr(*execute("Qr", (_float_check(_t(input), "qr"),), {"full_matrices": bool(full_matrices)}))


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular values s (descending), and with `compute_uv` also u and v: tensor = u diag(s) v^H.

    Returns `(s, u, v)`, or `s` alone when `compute_uv=False`, as TF.

    >>> ef.linalg.svd([[3.0, 0.0], [0.0, -2.0]], compute_uv=False).numpy()
    array([3., 2.], dtype=float32)
    """
    x = _float_check(_t(tensor), "svd")
    s, u, v = execute("Svd", (x,), {"compute_uv": bool(compute_uv), "full_matrices": bool(full_matrices)})
    return (s, u, v) if compute_uv else s


def eigh(tensor, name=None):
    """Eigenvalues (ascending) and eigenvectors (columns) of each self-adjoint matrix (lower triangle read).

    >>> e, v = ef.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> e.numpy()
    array([1., 3.], dtype=float32)
    """
    return execute("SelfAdjointEigV2", (_float_check(_t(tensor), "eigh"),), {"compute_v": True})


def eigvalsh(tensor, name=None):
    """The eigenvalues (ascending) of each self-adjoint matrix.

    >>> ef.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]]).numpy()
    array([1., 3.], dtype=float32)
    """
    return execute("SelfAdjointEigV2", (_float_check(_t(tensor), "eigvalsh"),), {"compute_v": False})[0]


def eig(tensor, name=None):
    """Eigenvalues and eigenvectors of each square matrix, complex (complex64 for float32 input).

    >>> e, v = ef.linalg.eig([[2.0, 0.0], [0.0, 3.0]])
    >>> e.numpy()
    array([2.+0.j, 3.+0.j], dtype=complex64)
    """
    return execute("Eig", (_float_check(_t(tensor), "eig"),), {"compute_v": True})


def eigvals(tensor, name=None):
    """The eigenvalues of each square matrix, complex.

    >>> ef.linalg.eigvals([[0.0, -1.0], [1.0, 0.0]]).numpy()
    array([0.+1.j, 0.-1.j], dtype=complex64)
    """
    return execute("Eig", (_float_check(_t(tensor), "eigvals"),), {"compute_v": False})[0]


def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None):
    """Eigenvalues (and with `eigvals_only=False` eigenvectors) of the symmetric tridiagonal matrix with
    diagonal `alpha` and off-diagonal `beta`. `select`: 'a' all, 'v' those in the value range
    `select_range`, 'i' those with index in `select_range` (inclusive).

    >>> ef.linalg.eigh_tridiagonal([2.0, 2.0], [1.0]).numpy()
    array([1., 3.], dtype=float32)
    """
    a = _t(alpha)
    b = convert_to_tensor(beta, dtype=a.dtype)
    if b.shape[0] != a.shape[0] - 1:
        raise ValueError(f"beta must have one element less than alpha, got shapes {b.shape} and {a.shape}")
    n = a.shape[0]
    eye_n = array_ops.eye(n, dtype=a.dtype)
    off = array_ops.pad(diag(b), [[1, 0], [0, 1]]) if n > 1 else array_ops.zeros([1, 1], a.dtype)
    conj_off = math_ops.conj(off) if a.dtype.is_complex else off
    matrix = eye_n * a[:, None] + off + matrix_transpose(conj_off)
    e, v = eigh(matrix)
    if select == "a":
        keep = None
    elif select == "v":
        lo, hi = select_range
        keep = math_ops.logical_and(math_ops.greater(e, lo), math_ops.less_equal(e, hi))
    elif select == "i":
        lo, hi = select_range
        keep = array_ops.constant(np.arange(n) >= lo) & array_ops.constant(np.arange(n) <= hi)
    else:
        raise ValueError(f"select must be 'a', 'v' or 'i', got {select!r}")
    if keep is not None:
        e = array_ops.boolean_mask(e, keep)
        v = array_ops.boolean_mask(v, keep, axis=1)
    return e if eigvals_only else (e, v)


def slogdet(input, name=None):
    """(sign, log|det|) of each square matrix: the determinant without overflow.

    >>> sign, logabs = ef.linalg.slogdet([[2.0, 0.0], [0.0, -3.0]])
    >>> float(sign), round(float(logabs), 4)
    (-1.0, 1.7918)
    """
    return LogMatrixDeterminant(*execute("LogMatrixDeterminant", (_float_check(_t(input), "slogdet"),)))


def logdet(matrix, name=None):
    """log(det(matrix)) of each Hermitian positive-definite matrix, through its Cholesky factor (as TF).

    >>> print(ef.linalg.logdet([[2.0, 0.0], [0.0, 3.0]]))
    ef.Tensor(1.7917595, shape=(), dtype=float32)
    """
    chol = cholesky(matrix)
    d = diag_part(chol)
    return 2.0 * math_ops.reduce_sum(math_ops.log(math_ops.real(d) if d.dtype.is_complex else d), axis=-1)


def expm(input, name=None):
    """The matrix exponential of each square matrix (scaling and squaring with a Padé approximant).

    >>> ef.linalg.expm([[0.0, 1.0], [0.0, 0.0]]).numpy()
    array([[1., 1.],
           [0., 1.]], dtype=float32)
    """
    return execute("MatrixExponential", (_float_check(_t(input), "expm"),))


def sqrtm(input, name=None):
    """The principal square root of each square matrix (its eigenvalues must not be negative reals).

    >>> ef.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]]).numpy()
    array([[2., 0.],
           [0., 3.]], dtype=float32)
    """
    return execute("MatrixSquareRoot", (_float_check(_t(input), "sqrtm"),))


def logm(input, name=None):
    """The principal matrix logarithm of each square complex matrix (TF: complex64/complex128 only).

    >>> ef.linalg.logm(ef.constant([[1.0 + 0j, 0.0], [0.0, np.e]], ef.complex64)).numpy().real.round(4)
    array([[0., 0.],
           [0., 1.]], dtype=float32)
    """
    return execute("MatrixLogarithm", (input,))


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """The least-squares solution of `matrix @ x = rhs`. `fast=True`: the normal equations with the optional
    L2 regularization through a Cholesky factorization; `fast=False`: the minimum-norm solution of a complete
    orthogonal decomposition, robust for rank-deficient matrices (`l2_regularizer` ignored, no gradient), as TF.

    >>> ef.linalg.lstsq([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [[1.0], [1.0], [2.0]]).numpy().round(4)
    array([[1.],
           [1.]], dtype=float32)
    >>> ef.linalg.lstsq([[1.0, 1.0], [1.0, 1.0]], [[2.0], [2.0]], fast=False).numpy().round(4)  # rank 1
    array([[1.],
           [1.]], dtype=float32)
    """
    a = _float_check(_t(matrix), "lstsq")
    b = convert_to_tensor(rhs, dtype=a.dtype)
    if not fast:  # as TF: l2_regularizer is ignored here, and the result has no gradient
        return execute("MatrixSolveLs", (a, b))
    m, n = a.shape[-2], a.shape[-1]
    reg = math_ops.cast(l2_regularizer, a.dtype) * array_ops.eye(min(m, n), dtype=a.dtype)
    if m >= n:
        gram = math_ops.matmul(a, a, adjoint_a=True) + reg
        return cholesky_solve(cholesky(gram), math_ops.matmul(a, b, adjoint_a=True))
    gram = math_ops.matmul(a, a, adjoint_b=True) + reg
    return math_ops.matmul(a, cholesky_solve(cholesky(gram), b), adjoint_a=True)


def lu(input, output_idx_type=_dtypes.int32, name=None):
    """The LU decomposition with partial pivoting: (lu, p), L (unit diagonal) and U packed in `lu`,
    `p` the row permutation: `gather(input, p)` is L @ U.

    >>> lu_, p = ef.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> p.numpy()
    array([1, 0], dtype=int32)
    """
    x = _float_check(_t(input), "lu")
    return Lu(*execute("Lu", (x,), {"output_idx_type": _dtypes.as_dtype(output_idx_type)._np}))


def _lu_factors(lower_upper):
    n = lower_upper.shape[-1]
    unit = array_ops.eye(n, dtype=lower_upper.dtype)
    lower = band_part(lower_upper, -1, 0) - band_part(lower_upper, 0, 0) + unit
    return lower, band_part(lower_upper, 0, -1)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """The matrix whose LU decomposition is (lower_upper, perm).

    >>> ef.linalg.lu_reconstruct(*ef.linalg.lu([[1.0, 2.0], [3.0, 4.0]])).numpy()
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    lu_ = _t(lower_upper)
    lower, upper = _lu_factors(lu_)
    product = math_ops.matmul(lower, upper)
    p = _t(perm)
    inverse = array_ops.argsort(p, axis=-1)  # the inverse of each permutation
    return array_ops.gather(product, inverse, axis=-2, batch_dims=p.ndim - 1)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """Solve `A x = rhs` given the LU decomposition (lower_upper, perm) of A.

    >>> a = ef.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> ef.linalg.lu_solve(*ef.linalg.lu(a), [[5.0], [11.0]]).numpy().round(4)
    array([[1.],
           [2.]], dtype=float32)
    """
    lu_ = _t(lower_upper)
    p = _t(perm)
    b = convert_to_tensor(rhs, dtype=lu_.dtype)
    permuted = array_ops.gather(b, p, axis=-2, batch_dims=p.ndim - 1)
    lower, upper = _lu_factors(lu_)
    y = triangular_solve(lower, permuted, lower=True)
    return triangular_solve(upper, y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """The inverse of A given its LU decomposition.

    >>> ef.linalg.lu_matrix_inverse(*ef.linalg.lu([[2.0, 0.0], [0.0, 4.0]])).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    lu_ = _t(lower_upper)
    n = lu_.shape[-1]
    unit = array_ops.broadcast_to(array_ops.eye(n, dtype=lu_.dtype), tuple(lu_.shape))
    return lu_solve(lu_, perm, unit)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """The number of singular values above `tol` (default: max(m, n) * eps * the largest one), as TF.

    >>> print(ef.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    ef.Tensor(1, shape=(), dtype=int32)
    """
    x = _float_check(_t(a), "matrix_rank")
    s = svd(x, compute_uv=False)
    if tol is None:
        eps = float(np.finfo(x.dtype.real_dtype._np if x.dtype.is_complex else x.dtype._np).eps)
        tol = math_ops.reduce_max(s, axis=-1, keepdims=True) * (max(x.shape[-2], x.shape[-1]) * eps)
    return math_ops.reduce_sum(math_ops.cast(math_ops.greater(s, tol), _dtypes.int32), axis=-1)


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse, through the SVD; singular values below `rcond` times the largest
    are dropped (default rcond: 10 * max(m, n) * eps, as TF).

    >>> ef.linalg.pinv([[1.0, 0.0], [0.0, 0.0]]).numpy()
    array([[1., 0.],
           [0., 0.]], dtype=float32)
    """
    x = _float_check(_t(a), "pinv")
    if rcond is None:
        real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
        rcond = 10.0 * max(x.shape[-2], x.shape[-1]) * float(np.finfo(real._np).eps)
    s, u, v = svd(x, full_matrices=False, compute_uv=True)
    cutoff = rcond * math_ops.reduce_max(s, axis=-1, keepdims=True)
    big = math_ops.greater(s, cutoff)
    safe = array_ops.where(big, s, array_ops.ones_like(s))
    inv_s = array_ops.where(big, math_ops.reciprocal(safe), array_ops.zeros_like(s))
    inv_s = math_ops.cast(inv_s, x.dtype) if x.dtype.is_complex else inv_s
    return math_ops.matmul(v * inv_s[..., None, :], u, adjoint_b=True)


def normalize(tensor, ord="euclidean", axis=None, name=None):
    """(tensor / norm, norm): `tensor` scaled to unit `ord` norm over `axis`, and the norm (kept dims).

    >>> unit, n = ef.linalg.normalize([3.0, 4.0])
    >>> unit.numpy(), n.numpy()
    (array([0.6, 0.8], dtype=float32), array([5.], dtype=float32))
    """
    x = _t(tensor)
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / math_ops.cast(n, x.dtype) if x.dtype.is_complex else x / n, n


def cross(a, b, name=None):
    """The cross product of 3-vectors in the last dimension.

    >>> ef.linalg.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).numpy()
    array([0., 0., 1.], dtype=float32)
    """
    return execute("Cross", (a, b))


def _k(k):
    if isinstance(k, (tuple, list)):
        lo, hi = (int(v) for v in k)
        if lo > hi:
            raise ValueError(f"k[0] must not be greater than k[1], got k = {tuple(k)}")
        return lo, hi
    k = int(np.asarray(k if not hasattr(k, "numpy") else k.numpy()))
    return k, k


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """A batch of matrices with `diagonal` on diagonal(s) `k` (an int or a (low, high) pair), the rest padding.

    >>> ef.linalg.diag([1, 2]).numpy()
    array([[1, 0],
           [0, 2]], dtype=int32)
    >>> ef.linalg.diag([1, 2], k=1).numpy()
    array([[0, 1, 0],
           [0, 0, 2],
           [0, 0, 0]], dtype=int32)
    """
    d = _t(diagonal)
    if _switches.active:  # TF's k, num_rows, num_cols and padding_value are tensors
        log_constants("MatrixDiagV3", k, num_rows, num_cols)
        log_constants("MatrixDiagV3", padding_value, dtype=d.dtype)
    return execute("MatrixDiagV3", (d,), {"k": _k(k), "num_rows": int(num_rows), "num_cols": int(num_cols),
                                          "padding_value": _pad_value(padding_value), "align": align})


def _pad_value(value):
    return value.item() if hasattr(value, "item") else (value.numpy().item() if hasattr(value, "numpy") else value)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """The diagonal(s) `k` of each matrix (several diagonals stacked, shorter ones padded as `align` says).

    >>> ef.linalg.diag_part([[1, 2], [3, 4]]).numpy()
    array([1, 4], dtype=int32)
    """
    if _switches.active:  # TF's k and padding_value are tensors
        log_constants("MatrixDiagPartV3", k)
        log_constants("MatrixDiagPartV3", padding_value, dtype=_t(input).dtype)
    return execute("MatrixDiagPartV3", (input,), {"k": _k(k), "padding_value": _pad_value(padding_value),
                                                  "align": align})


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """`input` with diagonal(s) `k` replaced by `diagonal`.

    >>> ef.linalg.set_diag(ef.zeros([2, 2]), [1.0, 2.0]).numpy()
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    if _switches.active:  # TF's k is a tensor
        log_constants("MatrixSetDiagV3", k)
    return execute("MatrixSetDiagV3", (input, diagonal), {"k": _k(k), "align": align})


def tensor_diag(diagonal, name=None):
    """A tensor of rank 2r with `diagonal` (rank r) on its diagonal: out[i, j, ..., i, j, ...] = diagonal[i, j, ...].

    >>> ef.linalg.tensor_diag([1, 2]).numpy()
    array([[1, 0],
           [0, 2]], dtype=int32)
    """
    return execute("Diag", (diagonal,))


def tensor_diag_part(input, name=None):
    """The inverse of `tensor_diag`: out[i, j, ...] = input[i, j, ..., i, j, ...].

    >>> ef.linalg.tensor_diag_part([[1, 2], [3, 4]]).numpy()
    array([1, 4], dtype=int32)
    """
    return execute("DiagPart", (input,))


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None):
    """Solve with a triangular band matrix given by its (..., k, n) bands: with `lower`, the diagonal then
    the subdiagonals (right aligned); otherwise the superdiagonals (left aligned) then the diagonal, as TF.

    >>> bands = [[1.0, 0.0], [2.0, 2.0]]    # superdiagonal (left aligned), then the diagonal: [[2, 1], [0, 2]]
    >>> ef.linalg.banded_triangular_solve(bands, [[4.0], [2.0]], lower=False).numpy()
    array([[1.5],
           [1. ]], dtype=float32)
    """
    return execute("BandedTriangularSolve", (bands, rhs), {"lower": bool(lower), "adjoint": bool(adjoint)})


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """The product of a tridiagonal matrix (format 'compact' (..., 3, n), 'sequence' (super, main, sub) or
    'matrix') with `rhs`.

    >>> ef.linalg.tridiagonal_matmul([[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]], [[1.0], [1.0]]).numpy()
    array([[3.],
           [3.]], dtype=float32)
    """
    sup, main, sub = _tridiagonals(diagonals, diagonals_format)
    b = convert_to_tensor(rhs, dtype=main.dtype)
    return execute("TridiagonalMatMul", tuple(array_ops.expand_dims(d, -2) for d in (sup, main, sub)) + (b,))


def _tridiagonals(diagonals, diagonals_format):
    if diagonals_format == "compact":
        d = _t(diagonals)
        return d[..., 0, :], d[..., 1, :], d[..., 2, :]
    if diagonals_format == "sequence":
        sup, main, sub = diagonals
        main = _t(main)
        return convert_to_tensor(sup, dtype=main.dtype), main, convert_to_tensor(sub, dtype=main.dtype)
    if diagonals_format == "matrix":
        m = _t(diagonals)
        parts = diag_part(m, k=(-1, 1), align="LEFT_RIGHT")
        return parts[..., 0, :], parts[..., 1, :], parts[..., 2, :]
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format!r}; use 'compact', 'sequence' or 'matrix'")


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False, conjugate_rhs=False,
                      name=None, partial_pivoting=True, perturb_singular=False):
    """Solve with a tridiagonal matrix (formats as `tridiagonal_matmul`); a singular one is an
    InvalidArgumentError.

    >>> ef.linalg.tridiagonal_solve([[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]], [[3.0], [3.0]]).numpy()
    array([[1.],
           [1.]], dtype=float32)
    """
    if perturb_singular:
        raise NotImplementedError("tridiagonal_solve(perturb_singular=True) is not implemented")
    sup, main, sub = _tridiagonals(diagonals, diagonals_format)
    b = convert_to_tensor(rhs, dtype=main.dtype)
    vector = b.ndim == main.ndim
    if vector:
        b = array_ops.expand_dims(b, -1)
    if transpose_rhs:
        b = matrix_transpose(b)
    if conjugate_rhs:
        b = math_ops.conj(b)
    out = execute("TridiagonalSolve", (array_ops.stack([sup, main, sub], axis=-2), b),
                  {"partial_pivoting": bool(partial_pivoting)})
    if transpose_rhs:
        out = matrix_transpose(out)
    return array_ops.squeeze(out, -1) if vector else out


def conjugate_gradient(operator, rhs, preconditioner=None, x=None, tol=1e-5, max_iter=20, name="conjugate_gradient"):
    """Solve `operator x = rhs` for a Hermitian positive-definite `operator` (a matrix, or any object with
    `matvec`) by conjugate gradients; returns TF's namedtuple (i, x, r, p, gamma). Batches of vectors are
    solved together; the loop stops when every residual norm is below `tol` times |rhs|, or at `max_iter`.

    >>> out = ef.linalg.experimental.conjugate_gradient([[4.0, 1.0], [1.0, 3.0]], [1.0, 2.0])
    >>> out.x.numpy().round(4), int(out.i)
    (array([0.0909, 0.6364], dtype=float32), 2)
    """
    import collections

    if hasattr(operator, "matvec"):
        matvec = operator.matvec
    else:
        a = _t(operator)
        matvec = lambda v: math_ops.matmul(a, v[..., None])[..., 0]  # noqa: E731
    precond = (lambda v: v) if preconditioner is None else (
        preconditioner.matvec if hasattr(preconditioner, "matvec") else
        (lambda v, m=_t(preconditioner): math_ops.matmul(m, v[..., None])[..., 0]))
    b = _t(rhs)

    def dot(u, v):
        return math_ops.reduce_sum(math_ops.conj(u) * v if u.dtype.is_complex else u * v, axis=-1, keepdims=True)

    x = array_ops.zeros_like(b) if x is None else convert_to_tensor(x, dtype=b.dtype)
    r = b - matvec(x)
    p = precond(r)
    gamma = dot(r, p)
    limit = tol * norm(b, axis=-1)
    i = 0
    while i < max_iter and bool(math_ops.reduce_any(math_ops.greater(norm(r, axis=-1), limit))):
        z = matvec(p)
        alpha = gamma / dot(p, z)
        x = x + alpha * p
        r = r - alpha * z
        q = precond(r)
        gamma_new = dot(r, q)
        p = q + (gamma_new / gamma) * p
        gamma = gamma_new
        i += 1
    result = collections.namedtuple("CGState", ["i", "x", "r", "p", "gamma"])
    return result(array_ops.constant(i), x, r, p, array_ops.squeeze(gamma, -1))
