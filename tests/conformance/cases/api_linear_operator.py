# tf.linalg.LinearOperator*: dense forms, products, solves, determinants, shapes of the structured operators.
import numpy as np
import tensorflow as tf

L = tf.linalg
rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(4, 2)).astype(np.float32))


def show(name, op, rhs=None, solve=True, det=True):
    print(name, op.shape, op.dtype.name, op.is_square, op.is_self_adjoint, op.is_non_singular)
    print(" dense", np.round(op.to_dense().numpy(), 4).tolist())
    r = x if rhs is None else rhs
    print(" matmul", np.round(op.matmul(r).numpy(), 4).tolist())
    print(" matmul^H", np.round(op.matmul(r, adjoint=True).numpy(), 4).tolist())
    if solve:
        print(" solve", np.round(op.solve(r).numpy(), 3).tolist())
    if det:
        print(" det", "%.5g" % op.determinant().numpy(), np.round(op.log_abs_determinant().numpy(), 4))
    print(" diag", np.round(op.diag_part().numpy(), 4).tolist(), np.round(op.trace().numpy(), 4))


m = rng.normal(size=(4, 4)).astype(np.float32) + 4 * np.eye(4, dtype=np.float32)
show("FullMatrix", L.LinearOperatorFullMatrix(m))
show("Diag", L.LinearOperatorDiag([1.0, 2.0, -3.0, 4.0]))
show("Identity", L.LinearOperatorIdentity(4))
show("ScaledIdentity", L.LinearOperatorScaledIdentity(4, 2.5))
show("LowerTriangular", L.LinearOperatorLowerTriangular(m))
show("Zeros", L.LinearOperatorZeros(4), solve=False)
show("Adjoint", L.LinearOperatorAdjoint(L.LinearOperatorFullMatrix(m)))
show("Inversion", L.LinearOperatorInversion(L.LinearOperatorFullMatrix(m)))
show("Composition", L.LinearOperatorComposition([L.LinearOperatorFullMatrix(m), L.LinearOperatorDiag([1.0, 2, 3, 4])]))
show("BlockDiag", L.LinearOperatorBlockDiag([L.LinearOperatorFullMatrix(m[:2, :2]), L.LinearOperatorDiag([2.0, 3.0])]))
show("BlockLowerTriangular", L.LinearOperatorBlockLowerTriangular(
    [[L.LinearOperatorFullMatrix(m[:2, :2])],
     [L.LinearOperatorFullMatrix(m[2:, :2]), L.LinearOperatorDiag([2.0, 3.0])]]))
show("Kronecker", L.LinearOperatorKronecker([L.LinearOperatorFullMatrix(m[:2, :2]),
                                             L.LinearOperatorFullMatrix(m[2:, 2:])]))
show("LowRankUpdate", L.LinearOperatorLowRankUpdate(L.LinearOperatorDiag([1.0, 2, 3, 4]), m[:, :2],
                                                    diag_update=[0.5, 2.0]))
show("LowRankUpdateUV", L.LinearOperatorLowRankUpdate(L.LinearOperatorFullMatrix(m), m[:, :1], v=m[:, 1:2]))
show("Householder", L.LinearOperatorHouseholder([1.0, 2.0, 0.0, -1.0]))
show("Permutation", L.LinearOperatorPermutation([2, 0, 3, 1]))
show("Toeplitz", L.LinearOperatorToeplitz([4.0, 1.0, 0.5, 0.2], [4.0, -1.0, 0.3, 0.1]))
show("Tridiag", L.LinearOperatorTridiag([[1.0, 0.5, 0.2, 0.0], [4.0, 4.0, 4.0, 4.0], [0.0, 0.3, 0.1, 0.6]]))
show("Circulant", L.LinearOperatorCirculant(tf.constant([6.0, -2.0, 1.0, -2.0]), input_output_dtype=tf.float32))
c = L.LinearOperatorCirculant(tf.constant([4.0 + 1j, 2 - 1j, 3 + 0j, 1 + 2j], tf.complex64))
show("CirculantComplex", c, rhs=tf.cast(x, tf.complex64))
show("Circulant2D", L.LinearOperatorCirculant2D(tf.constant([[6.0, -1.0], [2.0, 3.0]], tf.complex64)),
     rhs=tf.cast(x, tf.complex64))
show("Circulant3D", L.LinearOperatorCirculant3D(tf.constant([[[6.0, -1.0]], [[2.0, 3.0]]], tf.complex64)),
     rhs=tf.cast(x, tf.complex64))
d = L.LinearOperatorDiag([[1.0, 2.0], [3.0, 4.0]])
print(d.shape, d.batch_shape, d.matvec([1.0, 1.0]).numpy().tolist(), d.determinant().numpy().tolist())
comp = L.LinearOperatorDiag([1.0, 2.0]) @ L.LinearOperatorDiag([3.0, 4.0])
print(type(comp).__name__, comp.to_dense().numpy().tolist())
print(type(L.LinearOperatorDiag([1.0, 2.0]).inverse()).__name__, type(L.LinearOperatorFullMatrix(m).H).__name__)
for bad in [lambda: L.LinearOperatorFullMatrix([1.0, 2.0]), lambda: L.LinearOperatorPermutation([1.0, 0.0]),
            lambda: L.LinearOperatorDiag([1.0, 2.0]).matmul([[1.0], [2.0], [3.0]]),
            lambda: L.LinearOperatorZeros(2, is_non_singular=True)]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__)
