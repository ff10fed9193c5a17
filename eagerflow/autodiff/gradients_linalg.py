"""Gradients of the linear-algebra ops (kernels in backends/kernels_linalg.py), as TF's linalg_grad.py.

Written with eagerflow's public ops, so tapes nest through them for higher derivatives.
"""

from eagerflow.autodiff.gradients import GRADIENTS, _register, reduce_to_shape
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops import linalg_ops as la

__all__ = []


def _adj(x):
    return la.matrix_transpose(x, conjugate=True)


def _mm(a, b, **kw):
    return math_ops.matmul(a, b, **kw)


def _zeros_or(g, like):
    return array_ops.zeros_like(like) if g is None else g


def _eye_like(x):
    return array_ops.eye(x.shape[-1], dtype=x.dtype)


@_register("MatrixSolveLs")
def _matrix_solve_ls_grad(op, g):
    """lstsq(fast=False): TF defines no gradient (the rank cut is not differentiable)."""
    raise ValueError("Gradient not defined for fast=False: ef.linalg.lstsq(..., fast=False) has no gradient; use "
                     "fast=True (the normal equations) to differentiate, or ef.stop_gradient through it")


@_register("Cholesky")
def _cholesky_grad(op, g):
    l = op.outputs[0]
    l_inv = la.triangular_solve(l, array_ops.broadcast_to(_eye_like(l), tuple(l.shape)))
    middle = _mm(l, g, adjoint_a=True)
    middle = la.set_diag(middle, 0.5 * la.diag_part(middle))
    middle = la.band_part(middle, -1, 0)
    grad = _mm(_mm(l_inv, middle, adjoint_a=True), l_inv)
    return (0.5 * (grad + _adj(grad)),)


def _solve_like_grad(op, g, solve_again):
    """The gradients of c = solve(a, b) for MatrixSolve and MatrixTriangularSolve."""
    a, b = op.inputs
    c = op.outputs[0]
    adjoint = op.attrs.get("adjoint", False)
    grad_b = solve_again(a, g, not adjoint)
    grad_a = None
    if op.needs[0]:
        grad_a = -_mm(c, grad_b, adjoint_b=True) if adjoint else -_mm(grad_b, c, adjoint_b=True)
    return grad_a, grad_b


@_register("MatrixSolve")
def _solve_grad(op, g):
    ga, gb = _solve_like_grad(op, g, lambda a, r, adj: la.solve(a, r, adjoint=adj))
    return (reduce_to_shape(ga, tuple(op.inputs[0].shape)) if ga is not None else None,
            reduce_to_shape(gb, tuple(op.inputs[1].shape)))


@_register("MatrixTriangularSolve")
def _triangular_solve_grad(op, g):
    lower = op.attrs.get("lower", True)
    ga, gb = _solve_like_grad(op, g, lambda a, r, adj: la.triangular_solve(a, r, lower=lower, adjoint=adj))
    if ga is not None:
        ga = reduce_to_shape(la.band_part(ga, -1, 0) if lower else la.band_part(ga, 0, -1), tuple(op.inputs[0].shape))
    return ga, reduce_to_shape(gb, tuple(op.inputs[1].shape))


@_register("LogMatrixDeterminant")
def _log_det_grad(op, g_sign, g_logabs):
    a = op.inputs[0]
    if g_logabs is None:
        return (array_ops.zeros_like(a),)
    g = math_ops.cast(g_logabs, a.dtype) if a.dtype.is_complex else g_logabs
    return (g[..., None, None] * la.inv(a, adjoint=True),)


@_register("SelfAdjointEigV2")
def _eigh_grad(op, g_e, g_v):
    a = op.inputs[0]
    e, v = op.outputs
    if not op.attrs.get("compute_v", True):
        e, v = la.eigh(a)
    g_e = _zeros_or(g_e, e)
    g_e = math_ops.cast(g_e, v.dtype) if v.dtype.is_complex else g_e
    if g_v is None or not op.attrs.get("compute_v", True):
        inner = la.diag(g_e)
    else:
        diff = array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1)
        f = la.set_diag(math_ops.reciprocal(la.set_diag(diff, array_ops.ones_like(e))), array_ops.zeros_like(e))
        f = math_ops.cast(f, v.dtype) if v.dtype.is_complex else f
        inner = la.diag(g_e) + f * _mm(v, g_v, adjoint_a=True)
    grad = _mm(v, _mm(inner, v, adjoint_b=True))
    # the op reads the lower triangle only: symmetrise onto it
    grad = la.band_part(grad + _adj(grad), -1, 0)
    return (la.set_diag(grad, 0.5 * la.diag_part(grad)),)


def _safe_reciprocal(x, epsilon=1e-20):
    return x * math_ops.reciprocal(x * x + epsilon)


@_register("Svd")
def _svd_grad(op, g_s, g_u, g_v):
    a = op.inputs[0]
    s, u, v = op.outputs
    g_s = _zeros_or(g_s, s)
    g_s = math_ops.cast(g_s, a.dtype) if a.dtype.is_complex else g_s
    g_s_mat = la.diag(g_s)
    if not op.attrs.get("compute_uv", True):
        s, u, v = la.svd(a, compute_uv=True)
        return (_mm(u, _mm(g_s_mat, v, adjoint_b=True)),)
    full = op.attrs.get("full_matrices", False)
    g_u, g_v = _zeros_or(g_u, u), _zeros_or(g_v, v)
    m, n = a.shape[-2], a.shape[-1]
    use_adjoint = m > n
    if use_adjoint:  # the gradient of a^H = v s u^H, transposed at the end
        m, n = n, m
        u, v = v, u
        g_u, g_v = g_v, g_u
    if full and abs(m - n) > 1:
        raise NotImplementedError("svd gradient with full_matrices=True is implemented only for matrices whose "
                                  f"dimensions differ by at most 1, got shape {tuple(a.shape)}")
    s = math_ops.cast(s, a.dtype) if a.dtype.is_complex else s
    s_mat = la.diag(s)
    s2 = math_ops.square(s)
    f = la.set_diag(_safe_reciprocal(array_ops.expand_dims(s2, -2) - array_ops.expand_dims(s2, -1)),
                    array_ops.zeros_like(s))
    s_inv_mat = la.diag(_safe_reciprocal(s))
    v1, g_v1 = v[..., :, :m], g_v[..., :, :m]
    u_gu = _mm(u, g_u, adjoint_a=True)
    v_gv = _mm(v1, g_v1, adjoint_a=True)
    f_u, f_v = f * u_gu, f * v_gv
    term1_nouv = g_s_mat + _mm(f_u + _adj(f_u), s_mat) + _mm(s_mat, f_v + _adj(f_v))
    grad = _mm(u, _mm(term1_nouv, v1, adjoint_b=True))
    if m != n:
        gv1t = _adj(g_v1)
        term2_nous = gv1t - _mm(_mm(gv1t, v1), v1, adjoint_b=True)
        if full:
            v2, g_v2 = v[..., :, m:n], g_v[..., :, m:n]
            term2_nous = term2_nous - _mm(_mm(v1, g_v2, adjoint_a=True), v2, adjoint_b=True)
        grad = grad + _mm(_mm(u, s_inv_mat), term2_nous)
    if a.dtype.is_complex:
        l = _eye_like(s_mat) * v_gv
        grad = grad + 0.5 * _mm(u, _mm(_mm(s_inv_mat, _adj(l) - l), v1, adjoint_b=True))
    return (_adj(grad) if use_adjoint else grad,)


def _r_inverse_h(x, r):
    """x @ inv(r)^H for upper-triangular r."""
    return _adj(la.triangular_solve(r, _adj(x), lower=False))


def _qr_grad_deep(q, r, dq, dr):
    qdq = _mm(q, dq, adjoint_a=True)
    rdr = _mm(r, dr, adjoint_b=True)
    tril = la.band_part(qdq - _adj(qdq) + rdr - _adj(rdr), -1, 0)
    out = _mm(q, dr + _r_inverse_h(tril, r)) + _r_inverse_h(dq - _mm(q, qdq), r)
    if q.dtype.is_complex:
        m = rdr - _adj(qdq)
        eyem = la.set_diag(array_ops.zeros_like(m), la.diag_part(m))
        correction = eyem - math_ops.cast(math_ops.real(eyem), q.dtype)
        out = out + _r_inverse_h(_mm(q, _adj(correction)), r)
    return out


@_register("Qr")
def _qr_grad(op, dq, dr):
    a = op.inputs[0]
    q, r = op.outputs
    dq, dr = _zeros_or(dq, q), _zeros_or(dr, r)
    rows, cols = a.shape[-2], a.shape[-1]
    if rows > cols and q.shape[-1] == q.shape[-2]:
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and full_matrices is true.")
    if rows >= cols:
        return (_qr_grad_deep(q, r, dq, dr),)
    # a = [x, y], r = [u, w]: reduce to the square case
    y = a[..., :, rows:]
    u = r[..., :, :rows]
    dw, du = dr[..., :, rows:], dr[..., :, :rows]
    dx = _qr_grad_deep(q, u, dq + _mm(y, dw, adjoint_b=True), du)
    return (array_ops.concat([dx, _mm(q, dw)], axis=-1),)


@_register("MatrixExponential")
def _expm_grad(op, g):
    # The adjoint of the Fréchet derivative: the upper-right block of expm([[x^H, g], [0, x^H]]).
    xh = _adj(op.inputs[0])
    n = xh.shape[-1]
    zeros = array_ops.zeros_like(xh)
    block = array_ops.concat([array_ops.concat([xh, g], -1), array_ops.concat([zeros, xh], -1)], -2)
    return (la.expm(block)[..., :n, n:],)


@_register("MatrixSquareRoot")
def _sqrtm_grad(op, g):
    # s = sqrtm(a), da = s ds + ds s; the gradient y solves s^H y + y s^H = g (a Sylvester equation,
    # solved through its Kronecker form in row-major vectorization).
    s = op.outputs[0]
    n = s.shape[-1]
    sh = _adj(s)
    eye = _eye_like(s)
    kron = (math_ops.einsum("...ij,kl->...ikjl", sh, eye)
            + math_ops.einsum("ij,...kl->...ikjl", eye, math_ops.conj(s) if s.dtype.is_complex else s))
    batch = tuple(s.shape[:-2])
    k = array_ops.reshape(kron, batch + (n * n, n * n))
    y = la.solve(k, array_ops.reshape(g, batch + (n * n, 1)))
    return (array_ops.reshape(y, batch + (n, n)),)


GRADIENTS["MatrixBandPart"] = lambda op, g: (
    la.band_part(g, op.attrs["num_lower"], op.attrs["num_upper"]),)
GRADIENTS["Diag"] = lambda op, g: (la.tensor_diag_part(g),)
GRADIENTS["DiagPart"] = lambda op, g: (la.tensor_diag(g),)


@_register("MatrixDiagV3")
def _matrix_diag_grad(op, g):
    return (la.diag_part(g, k=op.attrs["k"], align=op.attrs["align"]),)


@_register("MatrixDiagPartV3")
def _matrix_diag_part_grad(op, g):
    x = op.inputs[0]
    shape = tuple(x.shape)
    return (la.diag(g, k=op.attrs["k"], num_rows=shape[-2], num_cols=shape[-1], align=op.attrs["align"]),)


@_register("MatrixSetDiagV3")
def _matrix_set_diag_grad(op, g):
    k, align = op.attrs["k"], op.attrs["align"]
    d = op.inputs[1]
    return (la.set_diag(g, array_ops.zeros_like(d), k=k, align=align), la.diag_part(g, k=k, align=align))


GRADIENTS["Cross"] = lambda op, g: (la.cross(op.inputs[1], g), la.cross(g, op.inputs[0]))


def _transpose_tridiagonal(diags):
    sup, main, sub = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    pad_end = [[0, 0]] * (sup.ndim - 1) + [[0, 1]]
    pad_start = [[0, 0]] * (sup.ndim - 1) + [[1, 0]]
    new_sup = array_ops.pad(sub[..., 1:], pad_end)
    new_sub = array_ops.pad(sup[..., :-1], pad_start)
    return array_ops.stack([new_sup, main, new_sub], axis=-2)


def _three_diagonals_of_product(x, y):
    """The super, main and sub diagonals of x @ y^T (each padded to length n as TF's compact layout)."""
    pad_end = [[0, 0]] * (x.ndim - 2) + [[0, 1]]
    pad_start = [[0, 0]] * (x.ndim - 2) + [[1, 0]]
    sup = array_ops.pad(math_ops.reduce_sum(x[..., :-1, :] * y[..., 1:, :], -1), pad_end)
    main = math_ops.reduce_sum(x * y, -1)
    sub = array_ops.pad(math_ops.reduce_sum(x[..., 1:, :] * y[..., :-1, :], -1), pad_start)
    return sup, main, sub


@_register("TridiagonalSolve")
def _tridiagonal_solve_grad(op, g):
    diags = op.inputs[0]
    x = op.outputs[0]
    grad_rhs = la.tridiagonal_solve(_transpose_tridiagonal(diags), g,
                                    partial_pivoting=op.attrs.get("partial_pivoting", True))
    sup, main, sub = _three_diagonals_of_product(grad_rhs, x)
    return -array_ops.stack([sup, main, sub], axis=-2), grad_rhs


@_register("TridiagonalMatMul")
def _tridiagonal_matmul_grad(op, g):
    sup, main, sub, rhs = op.inputs
    diags = array_ops.stack([sup[..., 0, :], main[..., 0, :], sub[..., 0, :]], axis=-2)
    grad_rhs = la.tridiagonal_matmul(_transpose_tridiagonal(diags), g)
    g_sup, g_main, g_sub = (array_ops.expand_dims(d, -2) for d in _three_diagonals_of_product(g, rhs))
    return g_sup, g_main, g_sub, grad_rhs


@_register("Eig")
def _eig_grad(op, g_e, g_v):
    """TF's _EigGrad: through the (non-unitary) eigenvectors with a solve; real inputs get the real part."""
    a = op.inputs[0]
    e, v = op.outputs
    if not op.attrs.get("compute_v", True):
        e, v = la.eig(a)
        g_v = None
    g_e = _zeros_or(g_e, e)
    if g_v is None:
        grad = la.solve(v, _mm(la.diag(g_e), v, adjoint_b=True), adjoint=True)
    else:
        f = la.set_diag(_safe_reciprocal(array_ops.expand_dims(e, -2) - array_ops.expand_dims(e, -1)),
                        array_ops.zeros_like(e))
        f = math_ops.conj(f)
        vgv = _mm(v, g_v, adjoint_a=True)
        diag_part = la.diag(la.diag_part(math_ops.cast(math_ops.real(vgv), vgv.dtype)))
        mid = la.diag(g_e) + f * (vgv - _mm(_mm(v, v, adjoint_a=True), diag_part))
        grad = la.solve(v, _mm(mid, v, adjoint_b=True), adjoint=True)
    return (grad if a.dtype.is_complex else math_ops.cast(math_ops.real(grad), a.dtype),)
