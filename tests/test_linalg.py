"""ef.linalg against NumPy/SciPy, with gradients against finite differences."""

import numpy as np
import pytest
import scipy.linalg

import eagerflow as ef
from eagerflow import errors
from gradcheck import check_gradients

RNG = np.random.default_rng(0)


def _spd(n, batch=()):
    a = RNG.normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def _close(got, want, tol=1e-5):
    np.testing.assert_allclose(np.asarray(got), want, rtol=tol, atol=tol)


def test_cholesky_and_solves():
    a = _spd(4, (2,))
    l = ef.linalg.cholesky(a)
    _close(l, np.linalg.cholesky(a))
    b = RNG.normal(size=(2, 4, 3))
    _close(ef.linalg.cholesky_solve(l, b), np.linalg.solve(a, b))
    _close(ef.linalg.solve(a, b), np.linalg.solve(a, b))
    _close(ef.linalg.solve(a, b, adjoint=True), np.linalg.solve(np.swapaxes(a, -1, -2), b))
    low = np.tril(RNG.normal(size=(4, 4))) + 4 * np.eye(4)
    _close(ef.linalg.triangular_solve(low + np.triu(np.ones((4, 4)), 1), b[0]), scipy.linalg.solve_triangular(low, b[0],
                                                                                                          lower=True))
    _close(ef.linalg.triangular_solve(low.T, b[0], lower=False, adjoint=True),
           scipy.linalg.solve_triangular(low.T, b[0], lower=False, trans="T"))
    assert ef.linalg.cholesky(ef.constant(a, ef.float32)).dtype == ef.float32


def test_errors():
    with pytest.raises(errors.InvalidArgumentError, match="Cholesky decomposition was not successful"):
        ef.linalg.cholesky([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(errors.InvalidArgumentError, match="not invertible"):
        ef.linalg.solve([[1.0, 2.0], [2.0, 4.0]], [[1.0], [1.0]])
    with pytest.raises(errors.InvalidArgumentError, match="square"):
        ef.linalg.cholesky(np.ones((2, 3)))
    with pytest.raises(errors.InvalidArgumentError, match="int32"):
        ef.linalg.cholesky([[1, 0], [0, 1]])
    with pytest.raises(errors.InvalidArgumentError):
        ef.linalg.logm([[1.0, 0.0], [0.0, 1.0]])


def test_decompositions():
    a = RNG.normal(size=(3, 5, 4))
    q, r = ef.linalg.qr(a)
    _close(ef.matmul(q, r), a)
    assert q.shape == (3, 5, 4) and r.shape == (3, 4, 4)
    assert np.allclose(np.tril(np.asarray(r), -1), 0)
    q, r = ef.linalg.qr(a, full_matrices=True)
    assert q.shape == (3, 5, 5) and r.shape == (3, 5, 4)
    s, u, v = ef.linalg.svd(a)
    _close(s, np.linalg.svd(a, compute_uv=False))
    _close(ef.matmul(u * s[..., None, :], v, adjoint_b=True), a)
    _close(ef.linalg.svd(a, compute_uv=False), np.linalg.svd(a, compute_uv=False))
    h = _spd(4)
    e, vec = ef.linalg.eigh(h)
    _close(e, np.linalg.eigvalsh(h))
    _close(ef.matmul(vec * e[None, :], vec, adjoint_b=True), h)
    _close(ef.linalg.eigvalsh(h), np.linalg.eigvalsh(h))
    g = RNG.normal(size=(4, 4))
    e, vec = ef.linalg.eig(g)
    assert e.dtype == ef.complex128
    _close(ef.matmul(ef.cast(g, ef.complex128), vec), np.asarray(vec) * np.asarray(e)[None, :])
    _close(np.sort_complex(np.asarray(ef.linalg.eigvals(g))), np.sort_complex(np.linalg.eigvals(g)))


def test_lu_family():
    a = RNG.normal(size=(2, 4, 4))
    lu, p = ef.linalg.lu(a)
    assert p.dtype == ef.int32
    _close(ef.linalg.lu_reconstruct(lu, p), a)
    low = np.tril(np.asarray(lu), -1) + np.eye(4)
    up = np.triu(np.asarray(lu))
    _close(np.take_along_axis(a, np.asarray(p)[..., None], axis=-2), low @ up)
    # the same pivots as LAPACK's getrf
    _, piv = scipy.linalg.lu_factor(a[0])
    perm = np.arange(4)
    for i, j in enumerate(piv):
        perm[[i, j]] = perm[[j, i]]
    np.testing.assert_array_equal(np.asarray(p[0]), perm)
    b = RNG.normal(size=(2, 4, 2))
    _close(ef.linalg.lu_solve(lu, p, b), np.linalg.solve(a, b))
    _close(ef.linalg.lu_matrix_inverse(lu, p), np.linalg.inv(a))


def test_determinants_and_functions():
    a = _spd(3, (2,))
    sign, logabs = ef.linalg.slogdet(-a)
    want_sign, want_log = np.linalg.slogdet(-a)
    _close(sign, want_sign)
    _close(logabs, want_log)
    _close(ef.linalg.logdet(a), np.linalg.slogdet(a)[1])
    m = RNG.normal(size=(2, 4, 4))
    _close(ef.linalg.expm(m), np.stack([scipy.linalg.expm(x) for x in m]), 1e-9)
    _close(ef.linalg.expm(10 * m[0]), scipy.linalg.expm(10 * m[0]), 1e-8)
    _close(ef.linalg.expm(ef.constant(m[0] / 10, ef.float32)), scipy.linalg.expm(m[0] / 10), 1e-5)
    _close(ef.linalg.sqrtm(a[0]), scipy.linalg.sqrtm(a[0]))
    c = (a[0] + 0j).astype(np.complex128)
    _close(ef.linalg.logm(c), scipy.linalg.logm(c))


def test_least_squares_rank_pinv():
    a = RNG.normal(size=(6, 3))
    b = RNG.normal(size=(6, 2))
    _close(ef.linalg.lstsq(a, b), np.linalg.lstsq(a, b, rcond=None)[0])
    wide = RNG.normal(size=(2, 5))
    _close(ef.linalg.lstsq(wide, b[:2]), np.linalg.pinv(wide) @ b[:2])
    reg = 0.5
    _close(ef.linalg.lstsq(a, b, l2_regularizer=reg), np.linalg.solve(a.T @ a + reg * np.eye(3), a.T @ b))
    _close(ef.linalg.pinv(a), np.linalg.pinv(a))
    assert int(ef.linalg.matrix_rank(np.outer([1.0, 2, 3], [1.0, 1]))) == 1
    assert int(ef.linalg.matrix_rank(a)) == 3


def test_diagonals_and_bands():
    x = np.arange(1, 13).reshape(3, 4)
    np.testing.assert_array_equal(ef.linalg.band_part(x, 1, 0).numpy(), np.tril(np.triu(x, -1)))
    np.testing.assert_array_equal(ef.linalg.band_part(x, -1, 1).numpy(), np.tril(x, 1))
    np.testing.assert_array_equal(ef.linalg.diag_part(x).numpy(), np.diagonal(x))
    # TF's documented example of diag_part with k = (-1, 2), align RIGHT_LEFT
    m = np.array([[[1, 2, 3, 4], [5, 6, 7, 8], [9, 8, 7, 6]], [[5, 4, 3, 2], [1, 2, 3, 4], [5, 6, 7, 8]]])
    want = [[[0, 3, 8], [2, 7, 6], [1, 6, 7], [5, 8, 0]], [[0, 3, 4], [4, 3, 8], [5, 2, 7], [1, 6, 0]]]
    np.testing.assert_array_equal(ef.linalg.diag_part(m, k=(-1, 2)).numpy(), want)
    want_ll = [[[3, 8, 0], [2, 7, 6], [1, 6, 7], [0, 5, 8]], [[3, 4, 0], [4, 3, 8], [5, 2, 7], [0, 1, 6]]]
    np.testing.assert_array_equal(ef.linalg.diag_part(m, k=(-1, 2), align="LEFT_RIGHT").numpy(), want_ll)
    # diag of those diagonals rebuilds the band
    back = ef.linalg.diag(ef.linalg.diag_part(m, k=(-1, 2)), k=(-1, 2), num_rows=3, num_cols=4)
    band = np.stack([np.triu(np.tril(mm, 2), -1) for mm in m])
    np.testing.assert_array_equal(back.numpy(), band)
    np.testing.assert_array_equal(ef.linalg.diag([1, 2], k=-1).numpy(), np.diag([1, 2], -1))
    np.testing.assert_array_equal(ef.linalg.diag([1, 2], num_cols=3, num_rows=2).numpy(), [[1, 0, 0], [0, 2, 0]])
    np.testing.assert_array_equal(ef.linalg.set_diag(np.zeros((2, 3)), [7.0, 8.0], k=1).numpy(),
                                  [[0, 7, 0], [0, 0, 8]])
    t = ef.linalg.tensor_diag([[1, 2], [3, 4]])
    assert t.shape == (2, 2, 2, 2) and int(t[1, 0, 1, 0]) == 3 and int(ef.reduce_sum(t)) == 10
    np.testing.assert_array_equal(ef.linalg.tensor_diag_part(t).numpy(), [[1, 2], [3, 4]])
    _close(ef.linalg.cross([[1.0, 2, 3]], [[4.0, 5, 6]]), np.cross([1.0, 2, 3], [4.0, 5, 6])[None])
    _close(ef.linalg.adjoint([[1 + 2j, 3]]), [[1 - 2j], [3]])
    unit, n = ef.linalg.normalize([[3.0, 4.0], [6.0, 8.0]], axis=1)
    _close(n, [[5.0], [10.0]])
    _close(unit, [[0.6, 0.8], [0.6, 0.8]])


def test_tridiagonal_and_banded():
    n = 5
    sup, main, sub = RNG.normal(size=n), RNG.normal(size=n) + 4, RNG.normal(size=n)
    full = np.diag(main) + np.diag(sup[:-1], 1) + np.diag(sub[1:], -1)
    rhs = RNG.normal(size=(n, 2))
    compact = np.stack([sup, main, sub])
    _close(ef.linalg.tridiagonal_solve(compact, rhs), np.linalg.solve(full, rhs))
    _close(ef.linalg.tridiagonal_solve((sup, main, sub), rhs, diagonals_format="sequence"), np.linalg.solve(full, rhs))
    _close(ef.linalg.tridiagonal_solve(full, rhs, diagonals_format="matrix"), np.linalg.solve(full, rhs))
    _close(ef.linalg.tridiagonal_solve(compact, rhs[:, 0]), np.linalg.solve(full, rhs[:, 0]))
    _close(ef.linalg.tridiagonal_matmul(compact, rhs), full @ rhs)
    e = ef.linalg.eigh_tridiagonal(main, sup[:-1])
    _close(e, np.linalg.eigvalsh(np.diag(main) + np.diag(sup[:-1], 1) + np.diag(sup[:-1], -1)))
    low = np.tril(np.triu(RNG.normal(size=(n, n)), -1)) + 3 * np.eye(n)
    bands = np.stack([np.diagonal(low), np.concatenate([[0], np.diagonal(low, -1)])])
    _close(ef.linalg.banded_triangular_solve(bands, rhs), np.linalg.solve(low, rhs))
    up = low.T
    bands_up = np.stack([np.concatenate([np.diagonal(up, 1), [0]]), np.diagonal(up)])
    _close(ef.linalg.banded_triangular_solve(bands_up, rhs, lower=False), np.linalg.solve(up, rhs))


def _sym(x):
    return (x + ef.linalg.matrix_transpose(x)) / 2


@pytest.mark.parametrize("fn,make", [
    (lambda x: ef.linalg.cholesky(_sym(x)), lambda: _spd(3)),
    (lambda x: ef.linalg.inv(x), lambda: _spd(3)),
    (lambda x: ef.linalg.slogdet(x)[1], lambda: RNG.normal(size=(2, 3, 3))),
    (lambda x: ef.linalg.logdet(_sym(x)), lambda: _spd(3)),
    (lambda x: ef.linalg.expm(x), lambda: RNG.normal(size=(3, 3))),
    (lambda x: ef.linalg.sqrtm(x), lambda: _spd(3)),
    (lambda x: ef.linalg.eigh(_sym(x))[0], lambda: _spd(3)),
    (lambda x: ef.abs(ef.linalg.eigh(_sym(x))[1]), lambda: _spd(3)),
    (lambda x: ef.linalg.svd(x, compute_uv=False), lambda: RNG.normal(size=(4, 3))),
    (lambda x: ef.abs(ef.linalg.svd(x)[1]) + ef.reduce_sum(ef.abs(ef.linalg.svd(x)[2])),
     lambda: RNG.normal(size=(4, 3))),
    (lambda x: ef.abs(ef.linalg.svd(x)[2]), lambda: RNG.normal(size=(2, 4))),
    (lambda x: ef.linalg.qr(x)[0] + ef.reduce_sum(ef.linalg.qr(x)[1]), lambda: RNG.normal(size=(4, 3))),
    (lambda x: ef.linalg.qr(x)[1], lambda: RNG.normal(size=(2, 4))),
    (lambda x: ef.linalg.pinv(x), lambda: RNG.normal(size=(4, 3))),
    (lambda x: ef.linalg.band_part(x, 1, 0), lambda: RNG.normal(size=(3, 3))),
    (lambda x: ef.linalg.diag_part(x, k=(-1, 1)), lambda: RNG.normal(size=(3, 4))),
    (lambda x: ef.linalg.diag(x[0], k=1) * 2.0, lambda: RNG.normal(size=(2, 3))),
    (lambda x: ef.linalg.set_diag(x, x[:, 0] * 3.0), lambda: RNG.normal(size=(3, 3))),
    (lambda x: ef.linalg.tensor_diag_part(ef.linalg.tensor_diag(x)), lambda: RNG.normal(size=(2, 2))),
    (lambda x: ef.linalg.cross(x, x[::-1] * 2.0), lambda: RNG.normal(size=(2, 3))),
])
def test_gradients_unary(fn, make):
    check_gradients(fn, [make()], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("fn,make_a", [
    (lambda a, b: ef.linalg.solve(a, b), lambda: _spd(3)),
    (lambda a, b: ef.linalg.solve(a, b, adjoint=True), lambda: _spd(3)),
    (lambda a, b: ef.linalg.triangular_solve(a, b), lambda: _spd(3)),
    (lambda a, b: ef.linalg.triangular_solve(a, b, lower=False, adjoint=True), lambda: _spd(3)),
    (lambda a, b: ef.linalg.cholesky_solve(ef.linalg.cholesky(_sym(a)), b), lambda: _spd(3)),
    (lambda a, b: ef.linalg.lstsq(ef.concat([a, a * 0.5], 0), ef.concat([b, b], 0)), lambda: _spd(3)),
    (lambda a, b: ef.linalg.tridiagonal_solve(a, b), lambda: np.stack([RNG.normal(size=3), RNG.normal(size=3) + 4,
                                                                     RNG.normal(size=3)])),
    (lambda a, b: ef.linalg.tridiagonal_matmul(a, b), lambda: RNG.normal(size=(3, 3))),
])
def test_gradients_solvers(fn, make_a):
    check_gradients(fn, [make_a(), RNG.normal(size=(3, 2))], rtol=1e-4, atol=1e-6)


def test_second_derivative_through_cholesky():
    x = ef.constant(_spd(2))
    with ef.GradientTape() as outer:
        outer.watch(x)
        with ef.GradientTape() as inner:
            inner.watch(x)
            y = ef.reduce_sum(ef.linalg.cholesky(x))
        g = inner.gradient(y, x)
        z = ef.reduce_sum(g * g)
    assert outer.gradient(z, x).shape == (2, 2)


def test_linear_operator_gradients_and_batches():
    m = _spd(3)
    check_gradients(lambda a: ef.linalg.LinearOperatorFullMatrix(a).solve(ef.ones([3, 1], ef.float64)), [m])
    check_gradients(lambda d: ef.linalg.LinearOperatorDiag(d).log_abs_determinant(), [np.array([1.5, -2.0, 3.0])])
    check_gradients(lambda t: ef.linalg.LinearOperatorLowerTriangular(t).solvevec(ef.ones([3], ef.float64)),
                    [np.tril(m)])
    check_gradients(lambda v: ef.linalg.LinearOperatorHouseholder(v).to_dense(), [np.array([1.0, 2.0, -0.5])])
    check_gradients(lambda c: ef.linalg.LinearOperatorToeplitz(c, c * 0.5).to_dense(), [np.array([3.0, 1.0, 0.5])])
    ops = [ef.linalg.LinearOperatorFullMatrix(m[:2, :2]), ef.linalg.LinearOperatorDiag(np.array([2.0]))]
    block = ef.linalg.LinearOperatorBlockDiag(ops)
    _close(block.solve(np.eye(3)), np.linalg.inv(np.asarray(block.to_dense())))
    kron = ef.linalg.LinearOperatorKronecker([ef.linalg.LinearOperatorFullMatrix(m[:2, :2]),
                                              ef.linalg.LinearOperatorFullMatrix(m)])
    _close(kron.to_dense(), np.kron(m[:2, :2], m))
    _close(kron.log_abs_determinant(), np.linalg.slogdet(np.kron(m[:2, :2], m))[1])
    batch = ef.linalg.LinearOperatorDiag(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert batch.shape == (2, 2, 2) and batch.batch_shape == (2,)
    _close(batch.matvec(np.ones((2, 2))), [[1.0, 2.0], [3.0, 4.0]])
    woodbury = ef.linalg.LinearOperatorLowRankUpdate(ef.linalg.LinearOperatorDiag(np.array([1.0, 2.0, 3.0])),
                                                     m[:, :2], diag_update=np.array([0.5, 2.0]))
    dense = np.diag([1.0, 2.0, 3.0]) + m[:, :2] @ np.diag([0.5, 2.0]) @ m[:, :2].T
    _close(woodbury.solve(np.eye(3)), np.linalg.inv(dense))
    spectrum = ef.constant(np.fft.fft([3.0, 1.0, 0.0, 1.0]))
    circ = ef.linalg.LinearOperatorCirculant(spectrum, input_output_dtype=ef.float64)
    _close(circ.to_dense(), scipy.linalg.circulant([3.0, 1.0, 0.0, 1.0]))


def test_eig_gradient_of_real_eigenvalues():
    # a matrix with real, distinct eigenvalues: d(sum w * e)/da against finite differences
    a = np.array([[2.0, 1.0, 0.0], [0.5, 3.0, 0.2], [0.1, 0.3, 5.0]])
    check_gradients(lambda x: ef.math.real(ef.linalg.eigvals(x)), [a], rtol=1e-4)
    check_gradients(lambda x: ef.math.real(ef.linalg.eig(x)[0]) * 2.0, [a], rtol=1e-4)
    # the eigenvector path (LAPACK's unit-norm vectors; |.| removes the sign ambiguity)
    check_gradients(lambda x: ef.abs(ef.math.real(ef.linalg.eig(x)[1])), [a], rtol=1e-4)


def test_linear_operators_load_lazily_under_their_names():
    from eagerflow.ops import linear_operator

    assert tuple(linear_operator.__all__) == ef.linalg._OPERATORS
    assert ef.linalg.LinearOperatorDiag is linear_operator.LinearOperatorDiag
    with pytest.raises(AttributeError):
        _ = ef.linalg.LinearOperatorNope


def test_lstsq_min_norm_against_numpy():
    rng = np.random.default_rng(7)
    deficient = rng.normal(size=(5, 2)) @ rng.normal(size=(2, 4))  # rank 2
    for a in (rng.normal(size=(6, 3)), rng.normal(size=(3, 6)), deficient,
              rng.normal(size=(4, 3)) + 1j * rng.normal(size=(4, 3))):
        b = rng.normal(size=(a.shape[0], 2))
        got = ef.linalg.lstsq(a, b.astype(a.dtype), l2_regularizer=3.0, fast=False)  # the regularizer is ignored
        _close(got, np.linalg.lstsq(a, b.astype(a.dtype), rcond=None)[0])
    batch = rng.normal(size=(3, 5, 2)).astype(np.float32)
    rhs = rng.normal(size=(3, 5, 1)).astype(np.float32)
    got = ef.linalg.lstsq(batch, rhs, fast=False)
    assert got.dtype == ef.float32 and got.shape == (3, 2, 1)
    np.testing.assert_allclose(got.numpy(), [np.linalg.lstsq(m, r, rcond=None)[0] for m, r in zip(batch, rhs)],
                               rtol=1e-4, atol=1e-5)
    with pytest.raises(errors.InvalidArgumentError):
        ef.linalg.lstsq(batch, rhs[:, :4], fast=False)
    x = ef.constant(batch)
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.reduce_sum(ef.linalg.lstsq(x, rhs, fast=False))
    with pytest.raises(ValueError, match="fast=False"):
        tape.gradient(y, x)


def test_qr_of_float16_is_factored_in_float32_and_rounded():
    # TF's Qr takes half precision; LAPACK has none, so the float32 factors are rounded (NumPy as the oracle)
    x = np.array([[3.0, 1.0], [4.0, 2.0], [0.5, -1.0]], np.float16)
    q, r = ef.linalg.qr(x)
    q32, r32 = np.linalg.qr(x.astype(np.float32))
    assert q.dtype == ef.float16 and r.dtype == ef.float16
    np.testing.assert_array_equal(q.numpy(), q32.astype(np.float16))
    np.testing.assert_array_equal(r.numpy(), r32.astype(np.float16))
