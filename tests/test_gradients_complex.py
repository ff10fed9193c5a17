"""Gradients of complex inputs follow TF's convention: for a real loss L of complex z, the gradient is
dL/d(re z) + i dL/d(im z) (so g * conj(f'(z)) for a holomorphic f), checked by central differences
of the real and imaginary parts."""

import numpy as np
import pytest

import eagerflow as ef

rng = np.random.default_rng(7)


def _c(*shape):
    return rng.uniform(-0.8, 0.8, size=shape) + 1j * rng.uniform(-0.8, 0.8, size=shape)


def _loss(fn, zs, weights):
    y = fn(*[ef.constant(z) for z in zs])
    return float(np.sum(np.real(np.asarray(y) * np.conj(weights))))


def check_complex_gradients(fn, inputs, eps=1e-6, rtol=1e-5, atol=1e-6):
    zs = [np.asarray(z, dtype=np.complex128) for z in inputs]
    y0 = np.asarray(fn(*[ef.constant(z) for z in zs]))
    weights = _c(*y0.shape) if np.iscomplexobj(y0) else rng.uniform(0.5, 1.5, size=y0.shape)
    tensors = [ef.constant(z) for z in zs]
    with ef.GradientTape() as tape:
        tape.watch(tensors)
        y = fn(*tensors)
        target = ef.reduce_sum(ef.math.real(y * ef.constant(np.conj(weights)))) if y.dtype.is_complex else \
            ef.reduce_sum(y * ef.constant(weights))
    analytic = tape.gradient(target, tensors)
    for i, z in enumerate(zs):
        numeric = np.zeros_like(z)
        for k in range(z.size):
            for step in (eps, 1j * eps):
                plus, minus = z.copy().reshape(-1), z.copy().reshape(-1)
                plus[k] += step
                minus[k] -= step
                args = [[plus.reshape(z.shape) if j == i else zs[j] for j in range(len(zs))],
                        [minus.reshape(z.shape) if j == i else zs[j] for j in range(len(zs))]]
                d = (_loss(fn, args[0], weights) - _loss(fn, args[1], weights)) / (2 * eps)
                numeric.reshape(-1)[k] += d * (1 if step == eps else 1j)
        np.testing.assert_allclose(analytic[i].numpy(), numeric, rtol=rtol, atol=atol)


UNARY = {
    "square": ef.square, "sqrt": ef.sqrt, "rsqrt": ef.math.rsqrt, "reciprocal": ef.math.reciprocal,
    "exp": ef.exp, "expm1": ef.math.expm1, "log": ef.math.log, "log1p": ef.math.log1p, "sin": ef.sin,
    "cos": ef.cos, "tan": ef.tan, "tanh": ef.tanh, "sigmoid": ef.sigmoid, "asin": ef.asin, "acos": ef.acos,
    "atan": ef.atan, "sinh": ef.sinh, "cosh": ef.cosh, "asinh": ef.asinh, "acosh": ef.acosh,
    "atanh": ef.atanh, "conj": ef.math.conj, "abs": ef.abs, "real": ef.math.real, "imag": ef.math.imag,
    "reduce_prod": ef.reduce_prod, "cumsum": ef.cumsum, "pow3": lambda z: z ** (3.0 + 0j),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name):
    check_complex_gradients(UNARY[name], [_c(4) + (1.5 if name in ("acosh",) else 0)])


BINARY = {
    "mul": ef.multiply, "div": ef.divide, "add": ef.add, "sub": ef.subtract, "pow": ef.pow,
    "matmul": ef.matmul,
    "matmul_ta": lambda a, b: ef.matmul(a, b, transpose_a=True),
    "matmul_tb": lambda a, b: ef.matmul(a, b, transpose_b=True),
    "matmul_aa": lambda a, b: ef.matmul(a, b, adjoint_a=True),
    "matmul_ab": lambda a, b: ef.matmul(a, b, adjoint_b=True),
    "matmul_ta_ab": lambda a, b: ef.matmul(a, b, transpose_a=True, adjoint_b=True),
    "matmul_aa_tb": lambda a, b: ef.matmul(a, b, adjoint_a=True, transpose_b=True),
    "matmul_aa_ab": lambda a, b: ef.matmul(a, b, adjoint_a=True, adjoint_b=True),
    "tensordot": lambda a, b: ef.tensordot(a, b, 1),
    "einsum": lambda a, b: ef.einsum("ij,jk->ik", a, b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary(name):
    shapes = ((3, 3), (3, 3)) if name.startswith(("matmul", "tensordot", "einsum")) else ((3,), (3,))
    a, b = _c(*shapes[0]), _c(*shapes[1])
    if name == "pow":
        a = a + 1.0  # away from the branch cut of log
    check_complex_gradients(BINARY[name], [a, b])


def test_inverse():
    check_complex_gradients(ef.linalg.inv, [_c(3, 3) + 2 * np.eye(3)])
