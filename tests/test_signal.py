"""ef.signal: NumPy/SciPy oracles, finite-difference gradients through every FFT and composite, lazy import."""

import subprocess
import sys

import numpy as np
import pytest
import scipy.fft

import eagerflow as ef
from gradcheck import check_gradients

rng = np.random.default_rng(4)
X = rng.standard_normal((2, 3, 8))


def test_ffts_match_numpy():
    z = ef.constant(X + 1j * rng.standard_normal(X.shape))   # complex128 (a NumPy array would convert to complex64)
    np.testing.assert_allclose(ef.signal.fft(z).numpy(), np.fft.fft(z.numpy()), rtol=1e-12)
    np.testing.assert_allclose(ef.signal.ifft2d(z).numpy(), np.fft.ifft2(z.numpy()), rtol=1e-12)
    np.testing.assert_allclose(ef.signal.fft3d(z).numpy(), np.fft.fftn(z.numpy()), rtol=1e-12)
    np.testing.assert_allclose(ef.signal.rfft(ef.constant(X), [11]).numpy(), np.fft.rfft(X, 11), rtol=1e-12)
    np.testing.assert_allclose(ef.signal.irfft2d(ef.constant(np.fft.rfft2(X)), [3, 8]).numpy(), X, atol=1e-12)
    np.testing.assert_array_equal(ef.signal.fftshift(X, axes=[1, 2]).numpy(), np.fft.fftshift(X, axes=(1, 2)))
    np.testing.assert_array_equal(ef.signal.ifftshift(X).numpy(), np.fft.ifftshift(X))


@pytest.mark.parametrize("kind", [1, 2, 3, 4])
@pytest.mark.parametrize("norm", [None, "ortho"])
def test_dct_matches_scipy(kind, norm):
    if kind == 1 and norm == "ortho":
        return
    np.testing.assert_allclose(ef.signal.dct(X, type=kind, norm=norm).numpy(),
                               scipy.fft.dct(X, type=kind, norm=norm), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ef.signal.idct(X, type=kind, norm=norm).numpy(),
                               scipy.fft.idct(X, type=kind, norm=norm) * (1 if norm else 2 * (8 - (kind == 1))),
                               rtol=1e-10, atol=1e-12)


def test_windows_match_numpy():
    np.testing.assert_allclose(ef.signal.hann_window(7, periodic=False, dtype=ef.float64).numpy(), np.hanning(7))
    np.testing.assert_allclose(ef.signal.hamming_window(6, periodic=False, dtype=ef.float64).numpy(), np.hamming(6))
    np.testing.assert_allclose(ef.signal.kaiser_window(9, 5.0, dtype=ef.float64).numpy(), np.kaiser(9, 5.0))


def test_stft_round_trip_and_mdct_round_trip():
    x = rng.standard_normal((2, 128))
    z = ef.signal.stft(x, 32, 8, window_fn=ef.signal.hann_window)
    y = ef.signal.inverse_stft(z, 32, 8, window_fn=ef.signal.inverse_stft_window_fn(8)).numpy()
    np.testing.assert_allclose(y[:, 32:96], x[:, 32:96], atol=1e-10)
    y = ef.signal.inverse_mdct(ef.signal.mdct(x, 16)).numpy()
    np.testing.assert_allclose(y[:, 8:120], x[:, 8:120], atol=1e-10)


def _c(x):
    return ef.cast(x, ef.complex128)


GRADIENTS = {
    "fft": lambda x: ef.math.real(ef.signal.fft(_c(x))) ** 2 + ef.math.imag(ef.signal.fft(_c(x))),
    "ifft2d": lambda x: ef.math.imag(ef.signal.ifft2d(_c(x) * (1 + 2j))),
    "fft3d": lambda x: ef.math.real(ef.signal.fft3d(_c(x))) ** 2,
    "rfft": lambda x: ef.abs(ef.signal.rfft(x)),
    "rfft padded": lambda x: ef.math.real(ef.signal.rfft(x, [11])) * ef.math.imag(ef.signal.rfft(x, [11])),
    "irfft": lambda x: ef.signal.irfft(ef.signal.rfft(x) * ef.signal.rfft(x)),
    "irfft cropped": lambda x: ef.signal.irfft(ef.signal.rfft(x), [9]) ** 2,
    "rfft2d": lambda x: ef.abs(ef.signal.rfft2d(x, [4, 10])),
    "irfft2d": lambda x: ef.signal.irfft2d(ef.signal.rfft2d(x) ** 2, [3, 9]),
    "stft": lambda x: ef.abs(ef.signal.stft(x, 4, 2)),
    "inverse_stft": lambda x: ef.signal.inverse_stft(ef.signal.stft(x, 4, 2), 4, 2) ** 2,
    "dct": lambda x: ef.signal.dct(x, type=4, norm="ortho") ** 2,
    "mdct": lambda x: ef.signal.mdct(ef.reshape(x, [6, 8]), 4) ** 2,
    "frame": lambda x: ef.signal.frame(x, 3, 2, pad_end=True) ** 2,
    "mfcc": lambda x: ef.signal.mfccs_from_log_mel_spectrograms(x) ** 2,
}


@pytest.mark.parametrize("name", sorted(GRADIENTS))
def test_gradients(name):
    check_gradients(GRADIENTS[name], [X])


@pytest.mark.parametrize("call,error", [
    (lambda: ef.signal.fft(ef.constant(X)), ef.errors.InvalidArgumentError),
    (lambda: ef.signal.fft2d(ef.constant([1.0 + 0j])), ef.errors.InvalidArgumentError),
    (lambda: ef.signal.rfft(ef.constant(X + 0j)), ValueError),
    (lambda: ef.signal.irfft(ef.constant(X)), ValueError),
    (lambda: ef.signal.dct(X, type=5), ValueError),
    (lambda: ef.signal.dct(X, type=1, norm="ortho"), ValueError),
    (lambda: ef.signal.dct(X, axis=0), NotImplementedError),
    (lambda: ef.signal.mdct(X, 6), ValueError),
    (lambda: ef.signal.hann_window(4, dtype=ef.int32), ValueError),
    (lambda: ef.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0), ValueError),
    (lambda: ef.signal.overlap_and_add(X[0, 0], 2), ValueError),
])
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_nd_ffts_have_no_cpu_kernel_as_in_tf():
    z = ef.constant(X + 0j)
    for call in (lambda: ef.signal.fftnd(z), lambda: ef.signal.ifftnd(z, axes=[0]), lambda: ef.signal.rfftnd(X),
                 lambda: ef.signal.irfftnd(z)):
        with pytest.raises(ef.errors.NotFoundError, match="Could not find device for node"):
            call()


def test_gradients_tf_lacks_or_fails():
    x = ef.constant(X)
    with ef.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y3 = ef.abs(ef.signal.rfft3d(x))
        cropped = ef.abs(ef.signal.rfft(x, [5]))   # TF's gradient adds a (.., 5) and a (.., 8) term
        cropped_rows = ef.abs(ef.signal.rfft2d(x, [2, 8]))   # a (3, 3) twiddle matrix meets 2 rows
    with pytest.raises(LookupError):
        tape.gradient(y3, x)
    for y in (cropped, cropped_rows):
        with pytest.raises(ef.errors.InvalidArgumentError):
            tape.gradient(y, x)


def test_signal_loads_on_first_use():
    code = "import sys, eagerflow as ef; a = 'eagerflow.signal' in sys.modules; ef.signal.hann_window(4); print(a)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
