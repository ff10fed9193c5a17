"""`ef.signal`: FFTs, framing, spectrograms, windows, DCT/MDCT and mel filters, as TensorFlow's.

The FFTs are kernels (backends/kernels_signal.py) with TF's gradients; everything else is built
from differentiable ops the way TF builds it, so gradients flow through stft, inverse_stft, dct,
mdct and mfccs. Windows and the mel matrix are computed on the host in float64 and cast.
"""

import math

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, place_new
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.cpu_refusals import refuse_no_cpu_kernel, tf_dtype_name

__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "fftnd", "ifftnd", "rfft", "irfft", "rfft2d",
           "irfft2d", "rfft3d", "irfft3d", "rfftnd", "irfftnd", "fftshift", "ifftshift", "frame", "overlap_and_add",
           "stft", "inverse_stft", "inverse_stft_window_fn", "hann_window", "hamming_window", "kaiser_window",
           "kaiser_bessel_derived_window", "vorbis_window", "dct", "idct", "mdct", "inverse_mdct",
           "linear_to_mel_weight_matrix", "mfccs_from_log_mel_spectrograms"]


def _complex_input(x):
    return convert_to_tensor(x, dtype_hint=_dtypes.complex64)


def _complex_fft(op, rank, doc):
    def fn(input, name=None):
        x = _complex_input(input)
        if not x.dtype.is_complex:
            raise errors.InvalidArgumentError(None, op, f"{op} takes complex64 or complex128 input, got "
                                                        f"{x.dtype.name}; use rfft for real signals or ef.cast(x, "
                                                        f"ef.complex64)")
        if x.ndim < rank:
            raise errors.InvalidArgumentError(None, op, f"input must be at least rank {rank} but is rank {x.ndim}")
        return execute(op, (x,))
    fn.__name__ = op.lower().replace("2d", "2d")
    fn.__doc__ = doc
    return fn


fft = _complex_fft("FFT", 1, """The DFT over the innermost axis of a complex tensor.

    >>> ef.signal.fft(ef.constant([1.0, 0.0, 0.0, 0.0], ef.complex64)).numpy()
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j], dtype=complex64)
    """)
ifft = _complex_fft("IFFT", 1, """The inverse DFT over the innermost axis (scaled by 1/n).

    >>> ef.signal.ifft(ef.constant([4.0, 0.0, 0.0, 0.0], ef.complex64)).numpy()
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j], dtype=complex64)
    """)
fft2d = _complex_fft("FFT2D", 2, """The 2-D DFT over the two innermost axes.

    >>> ef.signal.fft2d(ef.ones([2, 2], ef.complex64)).numpy().real
    array([[4., 0.],
           [0., 0.]], dtype=float32)
    """)
ifft2d = _complex_fft("IFFT2D", 2, """The inverse 2-D DFT over the two innermost axes.

    >>> ef.signal.ifft2d(ef.constant([[4.0, 0.0], [0.0, 0.0]], ef.complex64)).numpy().real
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """)
fft3d = _complex_fft("FFT3D", 3, """The 3-D DFT over the three innermost axes.

    >>> ef.signal.fft3d(ef.ones([2, 2, 2], ef.complex64)).numpy().real[0, 0, 0]
    np.float32(8.0)
    """)
ifft3d = _complex_fft("IFFT3D", 3, """The inverse 3-D DFT over the three innermost axes.

    >>> ef.signal.ifft3d(ef.ones([2, 2, 2], ef.complex64)).numpy().real[0, 0, 0]
    np.float32(1.0)
    """)


def _lengths(fft_length):
    if fft_length is None:
        return None
    values = fft_length.numpy().tolist() if hasattr(fft_length, "numpy") else fft_length
    return tuple(int(v) for v in np.ravel(values))


def _real_input(x, op):
    t = convert_to_tensor(x, dtype_hint=_dtypes.float32)
    if t.dtype not in (_dtypes.float32, _dtypes.float64):
        raise ValueError(f"{op} requires ef.float32 or ef.float64 inputs, got: {t}")
    return t


def _rfft(op, rank):
    def fn(input_tensor, fft_length=None, name=None):
        x = _real_input(input_tensor, "RFFT")
        if x.ndim < rank:
            raise ValueError(f"Shape must be at least rank {rank} but is rank {x.ndim}")
        length = _lengths(fft_length) or tuple(x.shape.as_list()[x.ndim - rank:])
        if len(length) != rank:
            raise ValueError(f"fft_length must have {rank} elements, got {list(length)}")
        return execute(op, (x,), {"fft_length": length})
    return fn


def _irfft(op, rank):
    def fn(input_tensor, fft_length=None, name=None):
        x = _complex_input(input_tensor)
        if x.dtype not in (_dtypes.complex64, _dtypes.complex128):
            raise ValueError(f"IRFFT requires ef.complex64 or ef.complex128 inputs, got: {x}")
        if x.ndim < rank:
            raise ValueError(f"Shape must be at least rank {rank} but is rank {x.ndim}")
        length = _lengths(fft_length)
        if length is None:
            inner = x.shape.as_list()[x.ndim - rank:]
            length = tuple(inner[:-1]) + (max(0, 2 * (inner[-1] - 1)),)
        if len(length) != rank:
            raise ValueError(f"fft_length must have {rank} elements, got {list(length)}")
        return execute(op, (x,), {"fft_length": length})
    return fn


rfft = _rfft("RFFT", 1)
rfft.__doc__ = """The DFT of a real signal over its innermost axis: fft_length // 2 + 1 complex bins (the input is
    cropped or zero-padded to fft_length).

    >>> ef.signal.rfft([1.0, 1.0, 1.0, 1.0]).numpy()
    array([4.+0.j, 0.+0.j, 0.+0.j], dtype=complex64)
    """
irfft = _irfft("IRFFT", 1)
irfft.__doc__ = """The real signal of fft_length samples (2 * (bins - 1) by default) whose rfft is the input.

    >>> ef.signal.irfft(ef.constant([4.0, 0.0, 0.0], ef.complex64)).numpy()
    array([1., 1., 1., 1.], dtype=float32)
    """
rfft2d = _rfft("RFFT2D", 2)
rfft2d.__doc__ = """rfft over the two innermost axes.

    >>> ef.signal.rfft2d(ef.ones([2, 4])).shape
    TensorShape([2, 3])
    """
irfft2d = _irfft("IRFFT2D", 2)
irfft2d.__doc__ = """The inverse of rfft2d.

    >>> ef.signal.irfft2d(ef.signal.rfft2d(ef.ones([2, 4]))).numpy()
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
rfft3d = _rfft("RFFT3D", 3)
rfft3d.__doc__ = """rfft over the three innermost axes.

    >>> ef.signal.rfft3d(ef.ones([2, 2, 4])).shape
    TensorShape([2, 2, 3])
    """
irfft3d = _irfft("IRFFT3D", 3)
irfft3d.__doc__ = """The inverse of rfft3d.

    >>> ef.signal.irfft3d(ef.signal.rfft3d(ef.ones([2, 2, 4]))).shape
    TensorShape([2, 2, 4])
    """


def _nd_axes(x, axes):
    return tuple(range(x.ndim)) if axes is None else tuple(int(a) for a in np.ravel(
        axes.numpy() if hasattr(axes, "numpy") else axes))


def _norm_scale(norm, lengths, forward):
    """The factor the input is multiplied by for `norm` (TF scales the input, not the output)."""
    if norm in (None, "backward"):
        return None
    n = math.prod(lengths)
    if norm == "forward":
        return 1.0 / n if forward else float(n)
    if norm == "ortho":
        return 1.0 / math.sqrt(n) if forward else math.sqrt(n)
    raise ValueError(f"norm must be 'backward', 'forward' or 'ortho', got {norm!r}")


def _fit_axes(x, axes, lengths):
    """x cropped or zero-padded to `lengths` along `axes` (as TF's wrappers do before the op)."""
    shape = x.shape.as_list()
    pads = [[0, 0] for _ in shape]
    crop = [slice(None)] * len(shape)
    for a, n in zip(axes, lengths):
        if n > shape[a]:
            pads[a][1] = n - shape[a]
        elif n < shape[a]:
            crop[a] = slice(0, n)
    if any(p[1] for p in pads):
        x = array_ops.pad(x, pads)
    if any(c != slice(None) for c in crop):
        x = x[tuple(crop)]
    return x


def _scaled(x, scale):
    return x if scale is None else x * (complex(scale) if x.dtype.is_complex else scale)


_COMPLEX_OF = {_dtypes.float32: _dtypes.complex64, _dtypes.float64: _dtypes.complex128}


def _refuse_on_cpu(op, x, attrs, instead):
    """TF 2.21 has no CPU kernel for the N-D FFTs (its GPU has)."""
    refuse_no_cpu_kernel(op, x.dtype, attrs, None, f"Use ef.signal.{instead} over the innermost axes (transpose the "
                                                   f"axes last), or run it on a GPU.")


def fftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The DFT over `axes` (all by default), the input fitted to `fft_length` first. TF 2.21 has no CPU kernel
    for it (NotFoundError there, as here); a GPU computes it.

    >>> with ef.device("CPU:0"):
    ...     ef.signal.fftnd(ef.ones([2, 2], ef.complex64), axes=[0])
    Traceback (most recent call last):
    ...
    eagerflow.errors.NotFoundError: Could not find device for node: {{node FFTND}} = FFTND[Tcomplex=DT_COMPLEX64]...
    """
    x = _complex_input(input_tensor)
    ax = _nd_axes(x, axes)
    lengths = _lengths(fft_length) or tuple(x.shape.as_list()[a] for a in ax)
    x = _scaled(_fit_axes(x, ax, lengths), _norm_scale(norm, lengths, True))
    _refuse_on_cpu("FFTND", x, f"Tcomplex={tf_dtype_name(x.dtype)}", "fft, fft2d or fft3d")
    return execute("FFTND", (x,), {"axes": ax})


def ifftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse DFT over `axes` (all by default). No CPU kernel in TF 2.21 (refused there, as fftnd).

    >>> with ef.device("CPU:0"):
    ...     ef.signal.ifftnd(ef.constant([[4.0, 0.0], [0.0, 0.0]], ef.complex64))
    Traceback (most recent call last):
    ...
    eagerflow.errors.NotFoundError: Could not find device for node: {{node IFFTND}} = IFFTND[Tcomplex=DT_COMPLEX64]...
    """
    x = _complex_input(input_tensor)
    ax = _nd_axes(x, axes)
    lengths = _lengths(fft_length) or tuple(x.shape.as_list()[a] for a in ax)
    x = _scaled(_fit_axes(x, ax, lengths), _norm_scale(norm, lengths, False))
    _refuse_on_cpu("IFFTND", x, f"Tcomplex={tf_dtype_name(x.dtype)}", "ifft, ifft2d or ifft3d")
    return execute("IFFTND", (x,), {"axes": ax})


def rfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """rfft over `axes` (all by default): the last of them keeps fft_length // 2 + 1 bins. No CPU kernel in
    TF 2.21 (refused there, as fftnd).

    >>> with ef.device("CPU:0"):
    ...     ef.signal.rfftnd(ef.ones([2, 4]))
    Traceback (most recent call last):
    ...
    eagerflow.errors.NotFoundError: Could not find device for node: {{node RFFTND}} = RFFTND[...]...
    """
    x = _real_input(input_tensor, "RFFT")
    ax = _nd_axes(x, axes)
    lengths = _lengths(fft_length) or tuple(x.shape.as_list()[a] for a in ax)
    x = _scaled(x, _norm_scale(norm, lengths, True))
    _refuse_on_cpu("RFFTND", x, f"Tcomplex={tf_dtype_name(_COMPLEX_OF[x.dtype])}, Treal={tf_dtype_name(x.dtype)}",
                   "rfft, rfft2d or rfft3d")
    return execute("RFFTND", (x,), {"fft_length": lengths, "axes": ax})


def irfftnd(input_tensor, fft_length=None, axes=None, norm=None, name=None):
    """The inverse of rfftnd over `axes` (all by default). No CPU kernel in TF 2.21 (refused there, as fftnd).

    >>> with ef.device("CPU:0"):
    ...     ef.signal.irfftnd(ef.ones([2, 3], ef.complex64))
    Traceback (most recent call last):
    ...
    eagerflow.errors.NotFoundError: Could not find device for node: {{node IRFFTND}} = IRFFTND[...]...
    """
    x = _complex_input(input_tensor)
    if x.dtype not in (_dtypes.complex64, _dtypes.complex128):
        raise ValueError(f"IRFFT requires ef.complex64 or ef.complex128 inputs, got: {x}")
    ax = _nd_axes(x, axes)
    lengths = _lengths(fft_length)
    if lengths is None:
        dims = [x.shape.as_list()[a] for a in ax]
        lengths = tuple(dims[:-1]) + (max(0, 2 * (dims[-1] - 1)),)
    x = _scaled(x, _norm_scale(norm, lengths, False))
    _refuse_on_cpu("IRFFTND", x, f"Tcomplex={tf_dtype_name(x.dtype)}, Treal={tf_dtype_name(x.dtype.real_dtype)}",
                   "irfft, irfft2d or irfft3d")
    return execute("IRFFTND", (x,), {"fft_length": lengths, "axes": ax})


def _roll_halves(x, axes, inverse):
    x = convert_to_tensor(x)
    if axes is None:
        axes = list(range(x.ndim))
    elif isinstance(axes, int):
        axes = [axes]
    for a in axes:
        n = x.shape[a]
        shift = (n - n // 2) if inverse else n // 2  # move the last `shift` elements to the front
        if n and shift % n:
            key_tail = [slice(None)] * x.ndim
            key_head = [slice(None)] * x.ndim
            key_tail[a] = slice(n - shift, n)
            key_head[a] = slice(0, n - shift)
            x = array_ops.concat([x[tuple(key_tail)], x[tuple(key_head)]], a)
    return x


def fftshift(x, axes=None, name=None):
    """Move the zero-frequency bin to the centre of `axes` (all by default).

    >>> ef.signal.fftshift([0, 1, 2, 3, 4]).numpy()
    array([3, 4, 0, 1, 2], dtype=int32)
    """
    return _roll_halves(x, axes, False)


def ifftshift(x, axes=None, name=None):
    """The inverse of fftshift.

    >>> ef.signal.ifftshift([3, 4, 0, 1, 2]).numpy()
    array([0, 1, 2, 3, 4], dtype=int32)
    """
    return _roll_halves(x, axes, True)


# ----------------------------------------------------------------------------- framing

def _int(value, what):
    v = value.numpy() if hasattr(value, "numpy") else value
    if np.ndim(v) != 0:
        raise ValueError(f"{what} must be a scalar, got {v!r}")
    return int(v)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Frames of `frame_length` samples every `frame_step` along `axis`: that axis becomes (frames, frame_length).

    >>> ef.signal.frame([1, 2, 3, 4, 5], 3, 2).numpy()
    array([[1, 2, 3],
           [3, 4, 5]], dtype=int32)
    """
    x = convert_to_tensor(signal)
    if x.ndim < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {x.ndim}")
    length, step = _int(frame_length, "frame_length"), _int(frame_step, "frame_step")
    axis = range(x.ndim)[_int(axis, "axis")]
    n = x.shape[axis]
    if pad_end:
        frames = -(-n // step)
        extra = max(0, length + step * (frames - 1) - n)
        if extra:
            pads = [[0, 0]] * x.ndim
            pads[axis] = [0, extra]
            x = array_ops.pad(x, pads, constant_values=pad_value)
    else:
        frames = max(0, 1 + (n - length) // step)
    index = (np.arange(frames)[:, None] * step + np.arange(length)[None, :]).astype(np.int32)
    return array_ops.gather(x, place_new(index, _dtypes.int32), axis=axis)


def overlap_and_add(signal, frame_step, name=None):
    """Sum of frames (..., frames, frame_length) placed `frame_step` apart: the inverse of frame's layout.

    >>> ef.signal.overlap_and_add([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], 2).numpy()
    array([1., 1., 2., 1., 1.], dtype=float32)
    """
    x = convert_to_tensor(signal)
    if x.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.ndim}")
    if hasattr(frame_step, "dtype") and not convert_to_tensor(frame_step).dtype.is_integer:
        raise ValueError(f"frame_step must be an integer. Got {convert_to_tensor(frame_step).dtype}")
    step = _int(frame_step, "frame_step")
    shape = x.shape.as_list()
    outer, frames, length = shape[:-2], shape[-2], shape[-1]
    output_length = length + step * (frames - 1)
    if step == length:
        return array_ops.reshape(x, outer + [output_length])
    segments = -(-length // step)
    x = array_ops.pad(x, [[0, 0]] * len(outer) + [[0, segments], [0, segments * step - length]])
    x = array_ops.reshape(x, outer + [frames + segments, segments, step])
    r = len(outer)
    x = array_ops.transpose(x, list(range(r)) + [r + 1, r, r + 2])
    x = array_ops.reshape(x, outer + [(frames + segments) * segments, step])
    x = x[..., :(frames + segments - 1) * segments, :]
    x = array_ops.reshape(x, outer + [segments, frames + segments - 1, step])
    x = math_ops.reduce_sum(x, -3)
    x = array_ops.reshape(x, outer + [(frames + segments - 1) * step])
    return x[..., :output_length]


# ----------------------------------------------------------------------------- windows

def _window(values, dtype):
    dtype = _dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    return place_new(np.asarray(values, dtype=np.float64).astype(dtype._np), dtype)


def _raised_cosine(window_length, periodic, dtype, a, b):
    n = _int(window_length, "window_length")
    if n == 1:
        return _window([1.0], dtype)
    periodic = bool(periodic.numpy() if hasattr(periodic, "numpy") else periodic)
    denominator = n + (1 if periodic and n % 2 == 0 else 0) - 1  # TF: an odd periodic window is the symmetric one
    return _window(a - b * np.cos(2 * np.pi * np.arange(n) / denominator), dtype)


def hann_window(window_length, periodic=True, dtype=_dtypes.float32, name=None):
    """0.5 - 0.5 cos(2 pi n / N), N = length (periodic, for even lengths) or length - 1.

    >>> ef.signal.hann_window(4).numpy()
    array([0. , 0.5, 1. , 0.5], dtype=float32)
    """
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length, periodic=True, dtype=_dtypes.float32, name=None):
    """0.54 - 0.46 cos(2 pi n / N), N as in hann_window.

    >>> ef.signal.hamming_window(3, periodic=False).numpy()
    array([0.08, 1.  , 0.08], dtype=float32)
    """
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46)


def _kaiser(n, beta):
    if n == 1:
        return np.ones(1)
    half = (n - 1) / 2.0
    arg = np.arange(-half, half + 0.1, dtype=np.float32).astype(np.float64)[:n]
    return np.i0(beta * np.sqrt(np.maximum(0.0, 1 - (arg / half) ** 2))) / np.i0(beta)


def kaiser_window(window_length, beta=12.0, dtype=_dtypes.float32, name=None):
    """I0(beta sqrt(1 - (2n / (N - 1) - 1)^2)) / I0(beta), as numpy.kaiser.

    >>> ef.signal.kaiser_window(3, beta=0.0).numpy()
    array([1., 1., 1.], dtype=float32)
    """
    return _window(_kaiser(_int(window_length, "window_length"), float(beta)), dtype)


def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=_dtypes.float32, name=None):
    """The Kaiser-Bessel-derived window (power complementary, for the MDCT).

    >>> w = ef.signal.kaiser_bessel_derived_window(8).numpy(); bool(abs(w[1] ** 2 + w[5] ** 2 - 1) < 1e-6)
    True
    """
    n = _int(window_length, "window_length")
    csum = np.cumsum(_kaiser(n // 2 + 1, float(beta)))
    half = np.sqrt(csum[:-1] / csum[-1])
    return _window(np.concatenate([half, half[::-1]]), dtype)


def vorbis_window(window_length, dtype=_dtypes.float32, name=None):
    """sin(pi / 2 sin^2(pi (n + 0.5) / N)), the Vorbis power-complementary window.

    >>> ef.signal.vorbis_window(4).numpy().round(4)
    array([0.228 , 0.9737, 0.9737, 0.228 ], dtype=float32)
    """
    n = _int(window_length, "window_length")
    return _window(np.sin(np.pi / 2 * np.sin(np.pi / n * (np.arange(n) + 0.5)) ** 2), dtype)


# ----------------------------------------------------------------------------- spectrograms

def _enclosing_power_of_two(n):
    return int(2 ** np.ceil(np.log(n) / np.log(2.0)))


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window, pad_end=False, name=None):
    """Short-time Fourier transform: rfft of each windowed frame, (..., frames, fft_length // 2 + 1).

    >>> ef.signal.stft(ef.ones([64]), 16, 8).shape
    TensorShape([7, 9])
    """
    x = convert_to_tensor(signals)
    length, step = _int(frame_length, "frame_length"), _int(frame_step, "frame_step")
    n_fft = _enclosing_power_of_two(length) if fft_length is None else _int(fft_length, "fft_length")
    frames = frame(x, length, step, pad_end=pad_end)
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return rfft(frames, [n_fft])


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window_fn for inverse_stft that undoes `forward_window_fn`'s overlap weighting.

    >>> ef.signal.inverse_stft_window_fn(2)(4, ef.float32).numpy()
    array([0., 1., 1., 1.], dtype=float32)
    """
    def inverse_window(frame_length, dtype):
        length, step = _int(frame_length, "frame_length"), _int(frame_step, "frame_step")
        forward = np.asarray(forward_window_fn(length, dtype=dtype).numpy(), dtype=np.float64)
        overlaps = -(-length // step)
        denom = np.pad(forward ** 2, (0, overlaps * step - length)).reshape(overlaps, step).sum(0, keepdims=True)
        denom = np.tile(denom, (overlaps, 1)).reshape(-1)[:length]
        with np.errstate(divide="ignore", invalid="ignore"):
            return _window(np.where(denom == 0, 0.0, forward / denom), dtype)
    return inverse_window


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window, name=None):
    """The signal whose stft is `stfts` (with window_fn=inverse_stft_window_fn(...) it inverts stft exactly).

    >>> x = ef.random.stateless_normal([64], [1, 2])
    >>> y = ef.signal.inverse_stft(ef.signal.stft(x, 16, 4), 16, 4,
    ...                            window_fn=ef.signal.inverse_stft_window_fn(4))
    >>> bool(ef.reduce_max(ef.abs(x[12:52] - y[12:52])) < 1e-5)
    True
    """
    z = convert_to_tensor(stfts)
    if z.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {z.ndim}")
    length, step = _int(frame_length, "frame_length"), _int(frame_step, "frame_step")
    n_fft = _enclosing_power_of_two(length) if fft_length is None else _int(fft_length, "fft_length")
    frames = irfft(z, [n_fft])
    have = frames.shape[-1]
    if have > length:
        frames = frames[..., :length]
    elif have < length:
        frames = array_ops.pad(frames, [[0, 0]] * (frames.ndim - 1) + [[0, length - have]])
    if window_fn is not None:
        frames = frames * window_fn(length, dtype=frames.dtype)
    return overlap_and_add(frames, step)


# ----------------------------------------------------------------------------- DCT, MDCT, mel

def _dct_matrix(kind, n, norm):
    """M with dct(x) = x @ M along the last axis (TF's unnormalised DCTs carry the factor 2)."""
    i = np.arange(n)[:, None]   # input index
    k = np.arange(n)[None, :]   # output index
    if kind == 1:
        m = 2 * np.cos(np.pi * i * k / (n - 1))
        m[0] /= 2
        m[-1] /= 2
    elif kind == 2:
        m = 2 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
        if norm == "ortho":
            m[:, 0] *= 0.5 / np.sqrt(n)
            m[:, 1:] *= 0.5 * np.sqrt(2.0 / n)
    elif kind == 3:
        m = 2 * np.cos(np.pi * i * (2 * k + 1) / (2 * n))
        m[0] /= 2
        if norm == "ortho":
            m[0] *= 1 / np.sqrt(n)
            m[1:] *= np.sqrt(0.5 / n)
    else:
        m = 2 * np.cos(np.pi * (2 * i + 1) * (2 * k + 1) / (4 * n))
        if norm == "ortho":
            m *= np.sqrt(0.5 / n)
    return m


def _validate_dct(x, kind, n, axis, norm):
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if kind not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if kind == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        if x.shape[-1] is not None and x.shape[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _dct(x, kind, n, norm):
    size = x.shape[-1]
    if n is not None:
        x = x[..., :n] if n <= size else array_ops.pad(x, [[0, 0]] * (x.ndim - 1) + [[0, n - size]])
    size = x.shape[-1]
    m = place_new(_dct_matrix(kind, size, norm).astype(x.dtype._np), x.dtype)
    shape = x.shape.as_list()
    flat = array_ops.reshape(x, [-1, size])
    return array_ops.reshape(math_ops.matmul(flat, m), shape)


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002 - TF's names
    """Discrete cosine transform of type 1-4 over the last axis (scipy.fft.dct's definitions).

    >>> ef.signal.dct([1.0, 1.0, 1.0, 1.0]).numpy()
    array([8., 0., 0., 0.], dtype=float32)
    """
    x = convert_to_tensor(input)
    _validate_dct(x, type, n, axis, norm)
    return _dct(x, type, n, norm)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002 - TF's names
    """The inverse DCT: a DCT of the inverse type (2 <-> 3), scaled by 1 / (2N) unless norm='ortho'.

    >>> ef.signal.idct(ef.signal.dct([1.0, 2.0, 3.0], norm="ortho"), norm="ortho").numpy().round(5)
    array([1., 2., 3.], dtype=float32)
    """
    x = convert_to_tensor(input)
    _validate_dct(x, type, n, axis, norm)
    return _dct(x, {1: 1, 2: 3, 3: 2, 4: 4}[type], n, norm)


def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """Modified DCT of frames of `frame_length` (a multiple of 4) taken every frame_length / 2.

    >>> ef.signal.mdct(ef.ones([16]), 8).shape
    TensorShape([3, 4])
    """
    x = convert_to_tensor(signals)
    length = _int(frame_length, "frame_length")
    if length % 4:
        raise ValueError("The frame length must be a multiple of 4.")
    frames = frame(x, length, length // 2, pad_end=pad_end)
    frames = frames * window_fn(length, dtype=frames.dtype) if window_fn is not None else frames * (1 / np.sqrt(2))
    q0, q1, q2, q3 = array_ops.split(frames, 4, axis=-1)
    first = -array_ops.reverse(q2, [-1]) - q3
    second = q0 - array_ops.reverse(q1, [-1])
    return dct(array_ops.concat([first, second], -1), type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """The signal whose mdct is `mdcts`, by overlap-add of the windowed inverse frames.

    >>> x = ef.random.stateless_normal([32], [1, 2])
    >>> y = ef.signal.inverse_mdct(ef.signal.mdct(x, 8))
    >>> bool(ef.reduce_max(ef.abs(x[4:28] - y[4:28])) < 1e-5)
    True
    """
    z = convert_to_tensor(mdcts)
    if z.ndim < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {z.ndim}")
    half = z.shape[-1]
    if norm is None:
        result = dct(z, type=4) * (0.5 / half)
    elif norm == "ortho":
        result = dct(z, type=4, norm="ortho")
    else:
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    r0, r1 = array_ops.split(result, 2, axis=-1)
    frames = array_ops.concat([r1, -array_ops.reverse(r1, [-1]), -array_ops.reverse(r0, [-1]), -r0], -1)
    frames = frames * window_fn(2 * half, dtype=z.dtype) if window_fn is not None else frames * (1 / np.sqrt(2))
    return overlap_and_add(frames, half)


def _hertz_to_mel(f):
    return 1127.0 * np.log(1.0 + f / 700.0)


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000, lower_edge_hertz=125.0,
                                upper_edge_hertz=3800.0, dtype=_dtypes.float32, name=None):
    """(num_spectrogram_bins, num_mel_bins) triangular filters that map a linear spectrogram to the mel scale.

    >>> ef.signal.linear_to_mel_weight_matrix(4, 9, 16000, 100.0, 8000.0).shape
    TensorShape([9, 4])
    """
    dtype = _dtypes.as_dtype(dtype)
    sample_rate = float(sample_rate.numpy() if hasattr(sample_rate, "numpy") else sample_rate)
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz {upper_edge_hertz:.1f}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError(f"upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). Got "
                         f"{upper_edge_hertz} for sample_rate: {sample_rate}")
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")
    freqs = np.linspace(0.0, sample_rate / 2.0, num_spectrogram_bins)[1:]
    bins_mel = _hertz_to_mel(freqs)[:, None]
    edges = np.linspace(_hertz_to_mel(lower_edge_hertz), _hertz_to_mel(upper_edge_hertz), num_mel_bins + 2)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    weights = np.maximum(0.0, np.minimum((bins_mel - lower) / (center - lower), (upper - bins_mel) / (upper - center)))
    return _window(np.pad(weights, [[1, 0], [0, 0]]), dtype)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """Mel-frequency cepstral coefficients: the orthonormal-scaled DCT-II of log-mel spectrograms.

    >>> ef.signal.mfccs_from_log_mel_spectrograms(ef.ones([2, 8])).numpy()[0, 0]
    np.float32(4.0)
    """
    x = convert_to_tensor(log_mel_spectrograms)
    bins = x.shape[-1] if x.ndim else 0
    if bins == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x}")
    return dct(x, type=2) * (1.0 / math.sqrt(bins * 2.0))
