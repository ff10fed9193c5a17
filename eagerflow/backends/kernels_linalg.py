"""Kernels of the linear-algebra ops (`ef.linalg`), registered into the shared table.

Written against the array module `xp` (NumPy or CuPy). The few algorithms neither has (matrix square
root and logarithm: Schur methods) run on the host through SciPy (`_host`), on either backend. A
failed factorization raises ValueError with TF's text, which `execute` turns into InvalidArgumentError.
"""

import numpy as np

from eagerflow.backends.kernels import KERNELS, _quiet

__all__ = []


def _linalg_errors(message):
    """Turn the array module's LinAlgError into ValueError(`message`): TF's InvalidArgumentError text."""
    def deco(fn):
        def kernel(xp, *args, **attrs):
            try:
                return fn(xp, *args, **attrs)
            except Exception as e:  # numpy.linalg.LinAlgError, cupy's LinAlgError: both subclass Exception
                if type(e).__name__ == "LinAlgError":
                    raise ValueError(message) from None
                raise
        return kernel
    return deco


def _square(x, op):
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"Input matrix must be square: {op} got a tensor of shape {tuple(x.shape)}")


def _h(xp, x):
    """The conjugate transpose of the last two dimensions."""
    x = xp.swapaxes(x, -1, -2)
    return xp.conj(x) if x.dtype.kind == "c" else x


def _to_host(xp, x):
    return x if xp is np else xp.asnumpy(x)


def _host(fn):
    """A kernel run on the host with NumPy/SciPy, its result put back on `xp`'s device."""
    def kernel(xp, *args, **attrs):
        out = fn(*[_to_host(xp, a) for a in args], **attrs)
        if isinstance(out, tuple):
            return tuple(xp.asarray(o) for o in out)
        return xp.asarray(out)
    return kernel


def _batched(fn, x, dtype=None):
    """`fn` applied to each matrix of a batch (for host functions that take one matrix)."""
    flat = x.reshape((-1,) + x.shape[-2:])
    outs = [fn(m) for m in flat]
    out = np.stack(outs) if outs else np.zeros(flat.shape, dtype or x.dtype)
    return out.reshape(x.shape[:-2] + out.shape[1:])


# ----------------------------------------------------------------------------- factorizations

@_linalg_errors("Cholesky decomposition was not successful. The input might not be valid.")
def _cholesky(xp, x):
    _square(x, "Cholesky")
    # TF reads only the lower triangle: symmetrise from it, so an asymmetric input behaves as in TF.
    low = xp.tril(x)
    sym = low + _h(xp, xp.tril(x, -1))
    out = xp.linalg.cholesky(sym)
    if not bool(xp.all(xp.isfinite(out))):  # CuPy reports a failed factorization with NaNs, not an error
        raise ValueError("Cholesky decomposition was not successful. The input might not be valid.")
    return out


def _qr(xp, x, full_matrices=False):
    # LAPACK has no half precision: float16 (which TF's Qr takes) is factored in float32 and rounded back
    work = x.astype(xp.float32) if x.dtype == xp.float16 else x
    q, r = xp.linalg.qr(work, mode="complete" if full_matrices else "reduced")
    return q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)


def _svd(xp, x, compute_uv=True, full_matrices=False):
    if not compute_uv:
        s = xp.linalg.svd(x, compute_uv=False)
        return s, xp.zeros((0,), x.dtype), xp.zeros((0,), x.dtype)
    u, s, vh = xp.linalg.svd(x, full_matrices=full_matrices)
    return s.astype(x.real.dtype, copy=False), u, _h(xp, vh)


def _eigh(xp, x, compute_v=True):
    _square(x, "SelfAdjointEigV2")
    # TF reads the lower triangle, as LAPACK's 'L'
    if compute_v:
        e, v = xp.linalg.eigh(x, UPLO="L")
        return e, v
    return xp.linalg.eigvalsh(x, UPLO="L"), xp.zeros((0,), x.dtype)


def _complex_of(dtype):
    return np.complex64 if np.dtype(dtype) in (np.float32, np.complex64) else np.complex128


def _eig(x, compute_v=True):
    _square(x, "Eig")
    tout = _complex_of(x.dtype)
    if compute_v:
        e, v = np.linalg.eig(x)
        # TF normalises each eigenvector to unit norm, as LAPACK; both return the same vectors
        return e.astype(tout), v.astype(tout)
    return np.linalg.eigvals(x).astype(tout), np.zeros((0,), tout)


def _lu(xp, x, output_idx_type="int32"):
    """Partial-pivoting LU of each matrix: (L and U packed in one matrix, the row permutation)."""
    _square(x, "Lu")
    n = x.shape[-1]
    a = xp.array(x, copy=True).reshape((-1, n, n))
    b = a.shape[0]
    perm = xp.broadcast_to(xp.arange(n), (b, n)).copy()
    rows = xp.arange(b)
    for k in range(n):
        piv = k + xp.argmax(xp.abs(a[:, k:, k]), axis=1)
        # swap rows k and piv in every matrix
        rk, rp = a[rows, k].copy(), a[rows, piv].copy()
        a[rows, k], a[rows, piv] = rp, rk
        pk, pp = perm[rows, k].copy(), perm[rows, piv].copy()
        perm[rows, k], perm[rows, piv] = pp, pk
        pivot = a[:, k, k]
        with xp.errstate(all="ignore"):
            factor = a[:, k + 1:, k] / pivot[:, None]
        factor = xp.where(pivot[:, None] == 0, xp.zeros_like(factor), factor)
        a[:, k + 1:, k] = factor
        a[:, k + 1:, k + 1:] -= factor[:, :, None] * a[:, k, k + 1:][:, None, :]
    return a.reshape(x.shape), perm.reshape(x.shape[:-1]).astype(output_idx_type)


KERNELS["Cholesky"] = _cholesky
KERNELS["Qr"] = _qr
KERNELS["Svd"] = _svd
KERNELS["SelfAdjointEigV2"] = _eigh
KERNELS["Eig"] = _host(_eig)
KERNELS["Lu"] = _lu

# ----------------------------------------------------------------------------- solvers


def _substitute(xp, a, b, lower):
    """Solve a x = b for triangular a by substitution (inf/NaN where a is singular, as TF)."""
    n = a.shape[-1]
    x = xp.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:], dtype=b.dtype)
    order = range(n) if lower else range(n - 1, -1, -1)
    for i in order:
        s = b[..., i, :] - xp.einsum("...j,...jk->...k", a[..., i, :], x)
        x[..., i, :] = s / a[..., i, i][..., None]
    return x


def _matrix_solve_ls_min_norm(xp, matrix, rhs):
    """The minimum-norm least-squares solution of each matrix @ x = rhs (TF's lstsq with fast=False, a complete
    orthogonal decomposition): pinv(matrix) @ rhs, singular values below min(m, n) * eps of the largest counting
    as zero (the rank cut of that decomposition)."""
    if matrix.ndim < 2 or rhs.ndim < 2:
        raise ValueError(f"MatrixSolveLs: the matrix and the right-hand side must have rank >= 2, got shapes "
                         f"{tuple(matrix.shape)} and {tuple(rhs.shape)}")
    if matrix.shape[:-2] != rhs.shape[:-2] or matrix.shape[-2] != rhs.shape[-2]:
        raise ValueError(f"MatrixSolveLs: the matrix {tuple(matrix.shape)} and the right-hand side "
                         f"{tuple(rhs.shape)} must have the same batch shape and number of rows")
    m, n = matrix.shape[-2:]
    if min(m, n) == 0:
        return xp.zeros(matrix.shape[:-2] + (n, rhs.shape[-1]), dtype=matrix.dtype)
    eps = np.finfo(matrix.dtype).eps
    return xp.matmul(xp.linalg.pinv(matrix, rcond=min(m, n) * eps), rhs).astype(matrix.dtype, copy=False)


KERNELS["MatrixSolveLs"] = _matrix_solve_ls_min_norm


@_quiet
def _triangular_solve(xp, matrix, rhs, lower=True, adjoint=False):
    _square(matrix, "MatrixTriangularSolve")
    a = xp.tril(matrix) if lower else xp.triu(matrix)
    if adjoint:
        a, lower = _h(xp, a), not lower
    try:
        return xp.linalg.solve(a, xp.broadcast_to(rhs, a.shape[:-2] + rhs.shape[-2:]) if rhs.ndim < a.ndim else rhs)
    except Exception as e:
        if type(e).__name__ != "LinAlgError":
            raise
        return _substitute(xp, a, rhs, lower)


@_linalg_errors("Input matrix is not invertible.")
def _solve(xp, matrix, rhs, adjoint=False):
    _square(matrix, "MatrixSolve")
    a = _h(xp, matrix) if adjoint else matrix
    out = xp.linalg.solve(a, rhs)
    if xp is not np and not bool(xp.all(xp.isfinite(out))) and bool(xp.all(xp.isfinite(a))):
        raise ValueError("Input matrix is not invertible.")
    return out


def _log_det(xp, x):
    _square(x, "LogMatrixDeterminant")
    sign, logabs = xp.linalg.slogdet(x)
    return sign.astype(x.dtype), logabs.astype(x.real.dtype)


def _tridiagonal_solve(xp, diagonals, rhs, partial_pivoting=True):
    """Solve with the (..., 3, n) compact tridiagonal matrix: row 0 superdiagonal, 1 main, 2 subdiagonal."""
    n = diagonals.shape[-1]
    sup, main, sub = diagonals[..., 0, :], diagonals[..., 1, :], diagonals[..., 2, :]
    full = xp.zeros(diagonals.shape[:-2] + (n, n), dtype=diagonals.dtype)
    idx = xp.arange(n)
    full[..., idx, idx] = main
    full[..., idx[:-1], idx[1:]] = sup[..., :-1]
    full[..., idx[1:], idx[:-1]] = sub[..., 1:]
    try:
        return xp.linalg.solve(full, rhs)
    except Exception as e:
        if type(e).__name__ == "LinAlgError":
            raise ValueError("The matrix is not invertible.") from None
        raise


def _tridiagonal_matmul(xp, superdiag, maindiag, subdiag, rhs):
    """(..., 1, n) diagonals times (..., n, k) rhs: out[i] = sub[i] r[i-1] + main[i] r[i] + sup[i] r[i+1]."""
    sup, main, sub = (d[..., 0, :, None] for d in (superdiag, maindiag, subdiag))
    out = main * rhs
    out[..., 1:, :] += sub[..., 1:, :] * rhs[..., :-1, :]
    out[..., :-1, :] += sup[..., :-1, :] * rhs[..., 1:, :]
    return out


def _banded_triangular_solve(xp, bands, rhs, lower=True, adjoint=False):
    """Solve with a triangular band matrix given as (..., k, n) bands (LAPACK's layout, as TF)."""
    k, n = bands.shape[-2], bands.shape[-1]
    full = xp.zeros(bands.shape[:-2] + (n, n), dtype=bands.dtype)
    idx = xp.arange(n)
    # 'LEFT_RIGHT' packing: superdiagonals left aligned, subdiagonals right aligned
    for d in range(k):
        if lower:  # row d holds subdiagonal d
            full[..., idx[d:], idx[:n - d]] = bands[..., d, d:]
        else:      # row d holds superdiagonal k-1-d (the main diagonal is the last row)
            s = k - 1 - d
            full[..., idx[:n - s], idx[s:]] = bands[..., d, :n - s]
    return _triangular_solve(xp, full, rhs, lower=lower, adjoint=adjoint)


KERNELS["MatrixTriangularSolve"] = _triangular_solve
KERNELS["MatrixSolve"] = _solve
KERNELS["LogMatrixDeterminant"] = _log_det
KERNELS["TridiagonalSolve"] = _tridiagonal_solve
KERNELS["TridiagonalMatMul"] = _tridiagonal_matmul
KERNELS["BandedTriangularSolve"] = _banded_triangular_solve

# ----------------------------------------------------------------------------- matrix functions

# Padé coefficients of exp (Higham 2005), and the 1-norm bounds up to which each order is accurate
_PADE = {
    3: (120., 60., 12., 1.),
    5: (30240., 15120., 3360., 420., 30., 1.),
    7: (17297280., 8648640., 1995840., 277200., 25200., 1512., 56., 1.),
    9: (17643225600., 8821612800., 2075673600., 302702400., 30270240., 2162160., 110880., 3960., 90., 1.),
    13: (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800., 129060195264000.,
         10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182., 1.),
}
_THETA = {np.dtype("float64"): ((1.495585217958292e-002, 3), (2.539398330063230e-001, 5),
                                (9.504178996162932e-001, 7), (2.097847961257068e+000, 9), (5.371920351148152, 13)),
          np.dtype("float32"): ((4.258730016922831e-001, 3), (1.880152677804762e+000, 5), (3.925724783138660, 7))}


def _matrix_exponential(xp, x):
    """Scaling and squaring with a Padé approximant (Higham 2005), as TF's `expm`; one order for the batch."""
    _square(x, "MatrixExponential")
    if x.size == 0:
        return x.copy()
    real = np.dtype(x.real.dtype)
    thetas = _THETA.get(real, _THETA[np.dtype("float32")])
    norm = float(xp.max(xp.sum(xp.abs(x), axis=-2)))
    order, squarings = None, 0
    for theta, m in thetas:
        if norm <= theta:
            order = m
            break
    if order is None:
        theta, order = thetas[-1]
        squarings = max(0, int(np.ceil(np.log2(norm / theta)))) if norm > 0 else 0
    a = x / (2.0 ** squarings)
    c = _PADE[order]
    eye = xp.broadcast_to(xp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    a2 = a @ a
    if order == 13:
        a4, a6 = a2 @ a2, a2 @ a2 @ a2
        u = a @ (a6 @ (c[13] * a6 + c[11] * a4 + c[9] * a2) + c[7] * a6 + c[5] * a4 + c[3] * a2 + c[1] * eye)
        v = a6 @ (c[12] * a6 + c[10] * a4 + c[8] * a2) + c[6] * a6 + c[4] * a4 + c[2] * a2 + c[0] * eye
    else:
        powers = [eye, a2]
        while len(powers) <= order // 2:
            powers.append(powers[-1] @ a2)
        u = a @ sum(c[2 * k + 1] * powers[k] for k in range(order // 2 + 1))
        v = sum(c[2 * k] * powers[k] for k in range(order // 2 + 1))
    out = xp.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        out = out @ out
    return out.astype(x.dtype, copy=False)


def _sqrtm(x):
    import scipy.linalg

    _square(x, "MatrixSquareRoot")
    out = _batched(lambda m: scipy.linalg.sqrtm(m), x)
    # a real matrix has a real root when its eigenvalues allow; TF returns its real dtype either way
    return (out if x.dtype.kind == "c" else np.real(out)).astype(x.dtype)


def _logm(x):
    import scipy.linalg

    _square(x, "MatrixLogarithm")
    if x.dtype.kind != "c":
        raise TypeError(f"MatrixLogarithm is not supported for dtype {x.dtype}: TF computes it for complex64 and "
                        f"complex128 only; cast with ef.cast(x, ef.complex64)")
    return _batched(lambda m: scipy.linalg.logm(m), x).astype(x.dtype)


KERNELS["MatrixExponential"] = _quiet(_matrix_exponential)
KERNELS["MatrixSquareRoot"] = _host(_sqrtm)
KERNELS["MatrixLogarithm"] = _host(_logm)

# ----------------------------------------------------------------------------- band, diagonals, cross


def _band_part(xp, x, num_lower, num_upper):
    m, n = x.shape[-2], x.shape[-1]
    i = xp.arange(m)[:, None]
    j = xp.arange(n)[None, :]
    keep = xp.ones((m, n), dtype=bool)
    if num_lower >= 0:
        keep &= (i - j) <= num_lower
    if num_upper >= 0:
        keep &= (j - i) <= num_upper
    return xp.where(keep, x, xp.zeros((), x.dtype))


def _right_aligned(d, align):
    """Whether diagonal `d` is right aligned (padded on the left) in TF's packed layout: `align` is
    "RIGHT_LEFT" and the like, the first word for superdiagonals, the second for subdiagonals."""
    sup, sub = align.split("_")
    side = sup if d >= 0 else sub
    return side == "RIGHT"


def _diag_len(m, n, d):
    return min(m + min(d, 0), n - max(d, 0))


def _matrix_diag_part(xp, x, k=(0, 0), padding_value=0, align="RIGHT_LEFT"):
    lo, hi = k
    m, n = x.shape[-2], x.shape[-1]
    width = max(_diag_len(m, n, d) for d in range(lo, hi + 1))
    rows = []
    for d in range(hi, lo - 1, -1):
        length = _diag_len(m, n, d)
        i = xp.arange(length) + max(-d, 0)
        diag = x[..., i, i + d]
        pad = width - length
        if pad:
            fill = xp.full(diag.shape[:-1] + (pad,), padding_value, dtype=x.dtype)
            diag = xp.concatenate([fill, diag] if _right_aligned(d, align) else [diag, fill], -1)
        rows.append(diag)
    return rows[0] if lo == hi else xp.stack(rows, axis=-2)


def _matrix_diag(xp, diagonal, k=(0, 0), num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    lo, hi = k
    diags = diagonal[..., None, :] if lo == hi else diagonal
    width = diags.shape[-1]
    min_rows = width + max(-lo, 0)
    min_cols = width + max(hi, 0)
    if num_rows < 0 and num_cols < 0:  # TF: square, just large enough for every diagonal
        m = n = max(min_rows, min_cols)
    else:
        m = num_rows if num_rows >= 0 else min_rows
        n = num_cols if num_cols >= 0 else min_cols
    out = xp.full(diags.shape[:-2] + (m, n), padding_value, dtype=diagonal.dtype)
    for r, d in enumerate(range(hi, lo - 1, -1)):
        length = _diag_len(m, n, d)
        if length <= 0:
            continue
        row = diags[..., r, :]
        start = width - length if _right_aligned(d, align) else 0
        i = xp.arange(length) + max(-d, 0)
        out[..., i, i + d] = row[..., start:start + length]
    return out


def _matrix_set_diag(xp, x, diagonal, k=(0, 0), align="RIGHT_LEFT"):
    lo, hi = k
    m, n = x.shape[-2], x.shape[-1]
    diags = diagonal[..., None, :] if lo == hi else diagonal
    width = diags.shape[-1]
    out = xp.array(x, copy=True)
    for r, d in enumerate(range(hi, lo - 1, -1)):
        length = _diag_len(m, n, d)
        start = width - length if _right_aligned(d, align) else 0
        i = xp.arange(length) + max(-d, 0)
        out[..., i, i + d] = diags[..., r, start:start + length]
    return out


def _diag(xp, diagonal):
    """TF's Diag: a tensor of rank 2r with `diagonal` (rank r) on its diagonal."""
    flat = diagonal.reshape(-1)
    out = xp.zeros((flat.size, flat.size), dtype=diagonal.dtype)
    out[xp.arange(flat.size), xp.arange(flat.size)] = flat
    return out.reshape(diagonal.shape + diagonal.shape)


def _diag_part(xp, x):
    r = x.ndim // 2
    if x.ndim % 2 or x.shape[:r] != x.shape[r:]:
        raise ValueError(f"Input must have even rank and its first half of dimensions equal to the second, got "
                         f"shape {tuple(x.shape)}")
    size = int(np.prod(x.shape[:r]))
    return x.reshape(size, size)[xp.arange(size), xp.arange(size)].reshape(x.shape[:r])


def _cross(xp, a, b):
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"Cross needs vectors of 3 elements in the last dimension, got shapes {tuple(a.shape)} "
                         f"and {tuple(b.shape)}")
    if a.shape != b.shape:
        raise ValueError(f"Cross needs both inputs of the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    return xp.cross(a, b)


KERNELS["MatrixBandPart"] = _band_part
KERNELS["MatrixDiagPartV3"] = _matrix_diag_part
KERNELS["MatrixDiagV3"] = _matrix_diag
KERNELS["MatrixSetDiagV3"] = _matrix_set_diag
KERNELS["Diag"] = _diag
KERNELS["DiagPart"] = _diag_part
KERNELS["Cross"] = _cross
