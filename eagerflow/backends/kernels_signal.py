"""FFT kernels of `ef.signal`, registered into the kernel table: `xp.fft` over the innermost axes.

TF's FFT/FFT2D/FFT3D transform the last 1, 2 or 3 axes; the RFFT family crops or zero-pads its input
to `fft_length` first (as `xp.fft.rfftn(s=...)` does); the ND ops take explicit axes. Outputs keep TF's
dtypes (complex64 <-> float32, complex128 <-> float64): NumPy's pocketfft computes in double.
"""

from eagerflow.backends.kernels import KERNELS

__all__ = []

_COMPLEX = {"float32": "complex64", "float64": "complex128"}
_REAL = {"complex64": "float32", "complex128": "float64"}


def _axes(x, rank, axes=None):
    return tuple(range(x.ndim - rank, x.ndim)) if axes is None else tuple(a % x.ndim for a in axes)


def _complex_fft(inverse, rank=None):
    def kernel(xp, x, axes=None, fft_length=None):
        ax = _axes(x, rank if rank is not None else len(axes), axes)
        fn = xp.fft.ifftn if inverse else xp.fft.fftn
        return fn(x, s=fft_length, axes=ax).astype(x.dtype, copy=False)
    return kernel


def _rfft(xp, x, fft_length, axes=None):
    ax = _axes(x, len(fft_length), axes)
    return xp.fft.rfftn(x, s=fft_length, axes=ax).astype(_COMPLEX[x.dtype.name], copy=False)


def _irfft(xp, x, fft_length, axes=None):
    ax = _axes(x, len(fft_length), axes)
    if fft_length[-1] == 0:
        return xp.zeros(x.shape[:ax[0]] + tuple(fft_length), dtype=_REAL[x.dtype.name])
    return xp.fft.irfftn(x, s=fft_length, axes=ax).astype(_REAL[x.dtype.name], copy=False)


def _fit(xp, a, shape):
    """`a` cropped or zero-padded (at the end of each axis) to `shape`."""
    out = xp.zeros(shape, dtype=a.dtype)
    common = tuple(slice(0, min(n, m)) for n, m in zip(a.shape, shape))
    out[common] = a[common]
    return out


def _rfft_grad(xp, g, input_shape, fft_length, axes=None):
    """The gradient of RFFT: Re(N * ifftn(g zero-padded to the full spectrum)), fitted to the input's shape."""
    ax = _axes(g, len(fft_length), axes)
    full = list(g.shape)
    for a, n in zip(ax, fft_length):
        full[a] = n
    spectrum = _fit(xp, g, tuple(full))
    size = 1
    for n in fft_length:
        size *= n
    dx = xp.real(xp.fft.ifftn(spectrum, axes=ax)) * size
    return _fit(xp, dx.astype(_REAL[g.dtype.name], copy=False), tuple(input_shape))


def _irfft_grad(xp, g, input_shape, fft_length, axes=None):
    """The gradient of IRFFT: rfftn(g) / N, doubled for the bins that stand for two (all but DC and Nyquist)."""
    ax = _axes(g, len(fft_length), axes)
    size = 1
    for n in fft_length:
        size *= n
    spectrum = xp.fft.rfftn(g, axes=ax)
    last = fft_length[-1]
    bins = spectrum.shape[ax[-1]]
    weight = xp.full(bins, 2.0)
    weight[0] = 1.0
    if last % 2 == 0 and bins > 1:
        weight[-1] = 1.0
    shape = [1] * spectrum.ndim
    shape[ax[-1]] = bins
    spectrum = spectrum * weight.reshape(shape) / size
    return _fit(xp, spectrum.astype(_COMPLEX[g.dtype.name], copy=False), tuple(input_shape))


for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    KERNELS["FFT" + _suffix] = _complex_fft(False, _rank)
    KERNELS["IFFT" + _suffix] = _complex_fft(True, _rank)
    KERNELS["RFFT" + _suffix] = _rfft
    KERNELS["IRFFT" + _suffix] = _irfft
KERNELS["FFTND"] = _complex_fft(False)
KERNELS["IFFTND"] = _complex_fft(True)
KERNELS["RFFTND"] = _rfft
KERNELS["IRFFTND"] = _irfft
KERNELS["RFFTGrad"] = _rfft_grad
KERNELS["IRFFTGrad"] = _irfft_grad
