"""`check_gradients(fn, inputs)`: tape gradients against central finite differences in float64."""

import numpy as np

import eagerflow as ef


def _scalarize(y, weights):
    return ef.reduce_sum(y * weights)


def check_gradients(fn, inputs, eps=1e-6, rtol=1e-5, atol=1e-6, seed=0):
    """Compare d(sum(w * fn(*inputs)))/d inputs from GradientTape with central differences.

    `inputs` are arrays (converted to float64 tensors); `w` is a fixed random weight so that
    errors cannot cancel out. Returns the analytic gradients (NumPy arrays).

    >>> check_gradients(lambda x: x * x, [np.array([1.0, 2.0])])  # doctest: +SKIP
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in inputs]
    y0 = np.asarray(fn(*[ef.constant(a) for a in arrays]))
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=y0.shape)

    def value(*arrs):
        return float(np.sum(np.asarray(fn(*[ef.constant(a) for a in arrs])) * weights))

    tensors = [ef.constant(a) for a in arrays]
    with ef.GradientTape() as tape:
        tape.watch(tensors)
        target = _scalarize(fn(*tensors), ef.constant(weights))
    analytic = tape.gradient(target, tensors)
    out = []
    for i, a in enumerate(arrays):
        numeric = np.zeros_like(a)
        flat = numeric.reshape(-1)
        for k in range(a.size):
            plus, minus = a.copy().reshape(-1), a.copy().reshape(-1)
            plus[k] += eps
            minus[k] -= eps
            args_p = [plus.reshape(a.shape) if j == i else arrays[j] for j in range(len(arrays))]
            args_m = [minus.reshape(a.shape) if j == i else arrays[j] for j in range(len(arrays))]
            flat[k] = (value(*args_p) - value(*args_m)) / (2 * eps)
        got = np.zeros_like(a) if analytic[i] is None else np.asarray(ef.convert_to_tensor(analytic[i]))  # dense
        assert got.shape == a.shape, f"input {i}: gradient shape {got.shape} != input shape {a.shape}"
        np.testing.assert_allclose(got, numeric, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")
        out.append(got)
    return out
