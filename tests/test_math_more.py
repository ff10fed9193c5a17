"""Special functions against SciPy, the counting/searching/array helpers against NumPy, bitwise ops, with
gradients against finite differences."""

import numpy as np
import pytest
import scipy.special as sp

import eagerflow as ef
from eagerflow import errors
from gradcheck import check_gradients

RNG = np.random.default_rng(1)
POS = RNG.uniform(0.2, 3.0, size=7)
UNIT = RNG.uniform(-0.9, 0.9, size=7)


@pytest.mark.parametrize("fn,ref,x", [
    (ef.math.digamma, sp.digamma, POS), (ef.math.erfc, sp.erfc, UNIT), (ef.math.erfinv, sp.erfinv, UNIT),
    (ef.math.ndtri, sp.ndtri, (UNIT + 1) / 2), (ef.math.bessel_i0, sp.i0, UNIT * 3),
    (ef.math.bessel_i0e, sp.i0e, UNIT * 3), (ef.math.bessel_i1, sp.i1, UNIT * 3),
    (ef.math.bessel_i1e, sp.i1e, UNIT * 3),
    (ef.math.special.bessel_j0, sp.j0, UNIT * 3), (ef.math.special.bessel_j1, sp.j1, UNIT * 3),
    (ef.math.special.bessel_y0, sp.y0, POS), (ef.math.special.bessel_y1, sp.y1, POS),
    (ef.math.special.bessel_k0, sp.k0, POS), (ef.math.special.bessel_k0e, sp.k0e, POS),
    (ef.math.special.bessel_k1, sp.k1, POS), (ef.math.special.bessel_k1e, sp.k1e, POS),
    (ef.math.special.dawsn, sp.dawsn, UNIT * 3), (ef.math.special.expint, sp.expi, POS),
    (ef.math.special.fresnel_cos, lambda x: sp.fresnel(x)[1], UNIT * 2),
    (ef.math.special.fresnel_sin, lambda x: sp.fresnel(x)[0], UNIT * 2), (ef.math.special.spence, sp.spence, POS),
    (ef.math.erfcinv, lambda x: sp.erfcinv(x), UNIT + 1),
])
def test_unary_special(fn, ref, x):
    for dtype in (np.float32, np.float64):
        got = fn(x.astype(dtype))
        assert got.dtype == ef.as_dtype(dtype)
        np.testing.assert_allclose(got.numpy(), ref(x.astype(dtype)), rtol=2e-6 if dtype == np.float64 else 2e-5,
                                   atol=1e-6)
    check_gradients(fn, [x], rtol=1e-4, atol=1e-6)


def test_binary_special():
    a, x = POS, POS[::-1]
    np.testing.assert_allclose(ef.math.igamma(a, x).numpy(), sp.gammainc(a, x))
    np.testing.assert_allclose(ef.math.igammac(a, x).numpy(), sp.gammaincc(a, x))
    np.testing.assert_allclose(ef.math.zeta(a + 1, x).numpy(), sp.zeta(a + 1, x))
    np.testing.assert_allclose(ef.math.polygamma(np.array([0.0, 1, 2, 3, 0, 1, 2]), x).numpy(),
                               sp.polygamma([0, 1, 2, 3, 0, 1, 2], x))
    assert np.isnan(ef.math.polygamma(0.5, 1.0).numpy())
    b = RNG.uniform(0.5, 2, size=7)
    np.testing.assert_allclose(ef.math.betainc(a, b, (UNIT + 1) / 2).numpy(), sp.betainc(a, b, (UNIT + 1) / 2))
    np.testing.assert_allclose(ef.math.xlog1py(a, x).numpy(), sp.xlog1py(a, x))
    assert float(ef.math.xlog1py(0.0, -1.0)) == 0.0
    np.testing.assert_allclose(float(ef.math.lbeta([2.0, 3.0])), sp.betaln(2.0, 3.0), rtol=1e-6)
    assert ef.math.nextafter(np.float64(1), np.float64(0)).numpy() == np.nextafter(1.0, 0.0)
    with pytest.raises(errors.InvalidArgumentError):
        ef.math.digamma([1, 2])
    stop = ef.stop_gradient
    check_gradients(lambda x: ef.math.igamma(stop(ef.constant(a)), x), [x], rtol=1e-4)
    check_gradients(lambda x: ef.math.igammac(stop(ef.constant(a)), x), [x], rtol=1e-4)
    check_gradients(lambda x: ef.math.zeta(stop(ef.constant(a + 1)), x), [x], rtol=1e-4)
    check_gradients(lambda x: ef.math.polygamma(stop(ef.constant(np.ones(7))), x), [x], rtol=1e-4)
    check_gradients(lambda x: ef.math.betainc(stop(ef.constant(a)), stop(ef.constant(b)), x), [(UNIT + 1) / 2],
                    rtol=1e-4)
    check_gradients(lambda x, y: ef.math.xlog1py(x, y), [a, x], rtol=1e-4)


def test_counting_and_searching():
    x = RNG.integers(0, 6, size=20)
    np.testing.assert_array_equal(ef.math.bincount(x).numpy(), np.bincount(x))
    np.testing.assert_array_equal(ef.math.bincount(x, minlength=9).numpy(), np.bincount(x, minlength=9))
    np.testing.assert_array_equal(ef.math.bincount(x, maxlength=3).numpy(), np.bincount(x)[:3])
    w = RNG.normal(size=20).astype(np.float32)
    np.testing.assert_allclose(ef.math.bincount(x, weights=w).numpy(), np.bincount(x, w), rtol=1e-6)
    np.testing.assert_array_equal(ef.math.bincount(x, binary_output=True).numpy(), (np.bincount(x) > 0).astype(int))
    rows = ef.math.bincount(x.reshape(4, 5), axis=-1, minlength=6).numpy()
    np.testing.assert_array_equal(rows, [np.bincount(r, minlength=6) for r in x.reshape(4, 5)])
    with pytest.raises(errors.InvalidArgumentError):
        ef.math.bincount([-1, 2])
    y, idx = ef.unique([5, 3, 5, 1, 3])
    np.testing.assert_array_equal(y.numpy(), [5, 3, 1])
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 0, 2, 1])
    y, idx, count = ef.unique_with_counts(ef.constant([2.0, 2.0, 1.0]), out_idx=ef.int64)
    assert idx.dtype == ef.int64 and count.numpy().tolist() == [2, 1]
    seq = np.sort(RNG.normal(size=(3, 8)), axis=-1)
    vals = RNG.normal(size=(3, 4))
    for side in ("left", "right"):
        want = np.stack([np.searchsorted(s, v, side=side) for s, v in zip(seq, vals)])
        np.testing.assert_array_equal(ef.searchsorted(seq, vals, side=side).numpy(), want)
    v = RNG.normal(size=50)
    np.testing.assert_array_equal(ef.histogram_fixed_width(v, [-1.0, 1.0], nbins=4).numpy(),
                                  np.histogram(np.clip(v, -1, 1 - 1e-12), bins=4, range=(-1, 1))[0])
    np.testing.assert_array_equal(ef.math.invert_permutation([2, 0, 1]).numpy(), [1, 2, 0])
    with pytest.raises(errors.InvalidArgumentError):
        ef.math.invert_permutation([0, 0, 1])
    np.testing.assert_array_equal(ef.math.confusion_matrix([0, 1, 1], [1, 1, 0], num_classes=3).numpy(),
                                  [[0, 1, 0], [1, 1, 0], [0, 0, 0]])
    assert bool(ef.math.is_non_decreasing([1, 1, 2])) and not bool(ef.math.is_strictly_increasing([1, 1, 2]))


def test_array_helpers():
    x = np.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(ef.roll(x, [1, -2], [0, 2]).numpy(), np.roll(x, [1, -2], [0, 2]))
    for indexing in ("xy", "ij"):
        got = ef.meshgrid([1, 2, 3], [4, 5], [6, 7, 8, 9], indexing=indexing)
        for g, w in zip(got, np.meshgrid([1, 2, 3], [4, 5], [6, 7, 8, 9], indexing=indexing)):
            np.testing.assert_array_equal(g.numpy(), w)
    np.testing.assert_array_equal(ef.repeat(x, 2, axis=1).numpy(), np.repeat(x, 2, axis=1))
    np.testing.assert_array_equal(ef.repeat(x, 3).numpy(), np.repeat(x, 3))
    np.testing.assert_array_equal(ef.repeat(x, [1, 0, 2], axis=1).numpy(), np.repeat(x, [1, 0, 2], axis=1))
    np.testing.assert_array_equal(ef.unravel_index([5, 23], [2, 3, 4]).numpy(), np.unravel_index([5, 23], (2, 3, 4)))
    np.testing.assert_array_equal(ef.sequence_mask([0, 2]).numpy(), [[False, False], [True, True]])
    assert ef.sequence_mask([1], 3, dtype=ef.float32).dtype == ef.float32
    parts = ef.dynamic_partition(x, [1, 0], 2)
    np.testing.assert_array_equal(parts[0].numpy(), x[1:])
    np.testing.assert_array_equal(ef.dynamic_stitch([[1, 0], [0]], [[1, 2], [3]]).numpy(), [3, 1])
    got = ef.reverse_sequence(x, [1, 3], seq_axis=1, batch_axis=0).numpy()
    np.testing.assert_array_equal(got, np.stack([x[0], x[1, ::-1]]))
    np.testing.assert_array_equal(ef.broadcast_dynamic_shape([2, 1], [3]).numpy(), [2, 3])
    with pytest.raises(errors.InvalidArgumentError):
        ef.broadcast_dynamic_shape([2], [3])
    assert ef.broadcast_static_shape(ef.TensorShape([None, 1]), ef.TensorShape([4])).as_list() == [None, 4]
    np.testing.assert_array_equal(ef.bitcast(ef.constant([1.0], ef.float32), ef.uint8).numpy(),
                                  np.array([1.0], np.float32).view(np.uint8).reshape(1, 4))
    assert ef.bitcast(ef.constant(np.zeros((2, 4), np.uint8)), ef.int32).shape == (2,)
    np.testing.assert_allclose(ef.math.angle(np.array([1 + 1j, -1j])).numpy(), np.angle([1 + 1j, -1j]))
    c = ef.complex(ef.constant([1.0]), ef.constant([2.0]))
    assert c.dtype == ef.complex64 and c.numpy()[0] == 1 + 2j
    v = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(ef.math.cumulative_logsumexp(v, axis=1).numpy(), np.logaddexp.accumulate(v, axis=1))
    np.testing.assert_allclose(ef.math.cumulative_logsumexp(v, axis=1, reverse=True, exclusive=True).numpy()[:, :-1],
                               np.logaddexp.accumulate(v[:, ::-1], axis=1)[:, ::-1][:, 1:])
    np.testing.assert_allclose(float(ef.math.polyval([2.0, 0.0, 1.0], 3.0)), 19.0)
    np.testing.assert_array_equal(ef.math.reciprocal_no_nan([0.0, 4.0]).numpy(), [0.0, 0.25])
    with pytest.raises(ValueError):
        ef.math.scalar_mul([1.0, 2.0], ef.constant([1.0, 2.0]))  # x is a tensor: TF reads x.dtype first
    check_gradients(lambda t: ef.roll(t, 1, 1), [v])
    check_gradients(lambda t: ef.repeat(t, [2, 1, 0, 1], axis=1), [v])
    check_gradients(lambda t: ef.math.cumulative_logsumexp(t, axis=1), [v], rtol=1e-4)
    check_gradients(lambda t: ef.math.cumulative_logsumexp(t, axis=0, reverse=True), [v], rtol=1e-4)
    check_gradients(lambda t: ef.meshgrid(t[0], t[1])[0] * ef.meshgrid(t[0], t[1])[1], [v])
    check_gradients(lambda re, im: ef.math.real(ef.complex(re, im)) * ef.math.imag(ef.complex(im, re)), [v, v[::-1]])
    check_gradients(lambda re, im: ef.math.angle(ef.complex(re, im)), [v, v[::-1] + 0.1])


def test_bitwise():
    x = RNG.integers(-100, 100, size=8, dtype=np.int32)
    y = RNG.integers(0, 20, size=8, dtype=np.int32)
    np.testing.assert_array_equal(ef.bitwise.bitwise_and(x, y).numpy(), x & y)
    np.testing.assert_array_equal(ef.bitwise.bitwise_or(x, y).numpy(), x | y)
    np.testing.assert_array_equal(ef.bitwise.bitwise_xor(x, y).numpy(), x ^ y)
    np.testing.assert_array_equal(ef.bitwise.invert(x).numpy(), ~x)
    np.testing.assert_array_equal(ef.bitwise.left_shift(x, y % 8).numpy(), x << (y % 8))
    np.testing.assert_array_equal(ef.bitwise.right_shift(x, y % 8).numpy(), x >> (y % 8))
    with pytest.raises(errors.InvalidArgumentError):
        ef.bitwise.bitwise_and([1.0], [2.0])
    with pytest.raises(errors.InvalidArgumentError):
        ef.bitwise.invert([True])
    with pytest.raises(errors.InvalidArgumentError):
        ef.bitwise.left_shift([1.0], [2.0])


def test_betainc_has_no_gradient_for_a_and_b():
    a, b, x = ef.constant([0.5, 2.0]), ef.constant([1.5, 2.5]), ef.constant([0.2, 0.5])
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([a, b, x])
        y = ef.math.betainc(a, b, x)
    ga, gb, gx = tape.gradient(y, [a, b, x])
    assert ga is None and gb is None  # as TF: none defined
    # d/dx I_x(a, b) = x^(a-1) (1-x)^(b-1) / B(a, b)
    expected = np.array([0.2, 0.5]) ** (np.array([0.5, 2.0]) - 1) * (1 - np.array([0.2, 0.5])) ** (
        np.array([1.5, 2.5]) - 1) / sp.beta([0.5, 2.0], [1.5, 2.5])
    np.testing.assert_allclose(gx.numpy(), expected, rtol=1e-5)


def test_igamma_gradient_for_a():
    from scipy.integrate import quad
    a = np.array([0.5, 2.0, 3.0, 10.0, 100.0, 0.1, 1.0, 1.0, 5.0, 1000.0, 1000.0])
    x = np.array([0.3, 1.5, 4.0, 12.0, 90.0, 5.0, 0.0, np.inf, 1e-3, 990.0, 1100.0])
    ta, tx = ef.constant(a), ef.constant(x)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(ta)
        p, q = ef.math.igamma(ta, tx), ef.math.igammac(ta, tx)
    ga, gc = tape.gradient(p, ta).numpy(), tape.gradient(q, ta).numpy()
    # TF 2.21's float64 values (its own series, good to about 1e-8)
    tf_values = [-0.7705703444660327, -0.31348863782507946, -0.1782473578733283, -0.09717797203717947,
                 -0.02461191684397851, -0.0017539473256533214, 0.0, -0.0, -7.172272957509893e-17]
    np.testing.assert_allclose(ga[:9], tf_values, rtol=3e-7, atol=0)
    np.testing.assert_array_equal(gc, -ga)
    # the oracle: dP/da = (1/Gamma(a)) int_0^x log(t) t^(a-1) e^-t dt - digamma(a) P(a, x)
    for i in (0, 1, 2, 3, 5, 8):
        integral = quad(lambda t, s=a[i]: np.log(t) * t ** (s - 1) * np.exp(-t), 0, x[i], epsrel=1e-12, limit=200)[0]
        want = integral / sp.gamma(a[i]) - sp.digamma(a[i]) * sp.gammainc(a[i], x[i])
        np.testing.assert_allclose(ga[i], want, rtol=2e-7)  # quad itself loses digits to cancellation
    # large a (hundreds of series / fraction terms): the same integral with its integrand in log space
    for i in (9, 10):
        def density_log(t, s=a[i]):
            return np.log(t) * np.exp((s - 1) * np.log(t) - t - sp.gammaln(s))
        integral = quad(density_log, 700, x[i], epsrel=1e-13, epsabs=0, limit=500)[0]  # below 700: < 1e-40
        np.testing.assert_allclose(ga[i], integral - sp.digamma(a[i]) * sp.gammainc(a[i], x[i]), rtol=1e-7)
    assert np.isnan(ef.math.igamma(-1.0, 1.0).numpy())
    check_gradients(lambda a: ef.math.igamma(a, ef.constant(POS[::-1])), [POS], rtol=1e-4)
    check_gradients(lambda a: ef.math.igammac(a, ef.constant(POS[::-1])), [POS], rtol=1e-4)
    # broadcast: the gradient sums to a's shape; float32 stays float32
    a32 = ef.constant([[0.5], [2.0]])
    with ef.GradientTape() as tape:
        tape.watch(a32)
        y = ef.math.igamma(a32, ef.constant([0.3, 1.5, 4.0]))
    g = tape.gradient(y, a32)
    assert g.dtype == ef.float32 and g.shape == (2, 1)
    np.testing.assert_allclose(g.numpy().ravel(), [-1.0173, -0.5036], atol=1e-4)  # TF: -1.0173, -0.5036


def test_igamma_gradient_for_x_at_the_ends_is_nan_as_tf():
    a, x = ef.constant([1.0, 1.0, 2.0]), ef.constant([0.0, np.inf, 0.0])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.math.igamma(a, x)
    g = tape.gradient(y, x).numpy()
    assert np.isnan(g[0]) and np.isnan(g[1]) and g[2] == 0.0  # TF: (a - 1) * log(x), 0 * -inf at a = 1
