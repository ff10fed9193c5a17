"""Kernels of `ef.nn` beyond the activations: convolutions, pooling, morphology, LRN, CTC, top-k tests.

Every spatial kernel works on channels-last arrays `(batch, *spatial, channels)` with 1, 2 or 3
spatial dimensions (the op wrappers transpose NCHW inputs), padding given explicitly as one
`(before, after)` pair per spatial dimension (the wrappers compute SAME's). A window is a strided
view of the padded input, `(batch, *out, *kernel, channels)`; a convolution copies that view block by
block into a buffer (im2col) and multiplies each block by the filter as one GEMM of the backend, the blocks
shared out among the intra-op threads (backends/spread.py); float32 3x3 filters at unit strides with many
channels take Winograd's algorithm instead, while TF32 execution is allowed.
Gradients scatter back with one strided add per kernel offset (9 for a 3x3 filter), never a loop over
pixels.
"""

import functools
import itertools
import math

import numpy as np

from eagerflow.backends.kernels import KERNELS, _expm1, _quiet
from eagerflow.backends.spread import spread

__all__ = []


def _pad(xp, x, pads, value=0):
    if not any(lo or hi for lo, hi in pads):
        return x
    return xp.pad(x, ((0, 0), *pads, (0, 0)), mode="constant", constant_values=value)


def _out_shape(padded, ksize, strides, dilations):
    out = []
    for n, k, s, d in zip(padded, ksize, strides, dilations):
        span = (k - 1) * d + 1
        if n < span:
            raise ValueError(f"Computed output size would be negative: {(n - span) // s + 1} "
                             f"[input_size (padded): {n}, effective_filter_size: {span}, stride: {s}]; use "
                             f"padding='SAME' or a smaller window")
        out.append((n - span) // s + 1)
    return tuple(out)


def _windows(xp, x, ksize, strides, dilations, out):
    """The view `(batch, *out, *ksize, channels)` of padded `x`: element [n, o, k, c] is
    x[n, o * stride + k * dilation, c]."""
    st = x.strides
    r = len(ksize)
    shape = (x.shape[0], *out, *ksize, x.shape[-1])
    strides = (st[0], *(st[1 + i] * strides[i] for i in range(r)), *(st[1 + i] * dilations[i] for i in range(r)),
               st[-1])
    return xp.lib.stride_tricks.as_strided(x, shape, strides)


def _offsets(ksize, strides, dilations, out):
    """(kernel offset, the slice of the padded input that offset reads in every window) for each offset."""
    for offset in itertools.product(*(range(k) for k in ksize)):
        yield offset, (slice(None),) + tuple(slice(o * d, o * d + s * (n - 1) + 1, s) for o, s, d, n in
                                              zip(offset, strides, dilations, out)) + (slice(None),)


def _crop(xp, x, pads):
    return x[(slice(None),) + tuple(slice(lo, x.shape[1 + i] - hi) for i, (lo, hi) in enumerate(pads))
             + (slice(None),)]


def _floating(op, *arrays):
    for a in arrays:
        if a.dtype.kind not in "fV":
            raise TypeError(f"{op} is not supported for dtype {a.dtype}: it takes floating-point tensors "
                            f"(half, bfloat16, float32, float64); cast first")


# ----------------------------------------------------------------------------- convolution

def _check_depth(x, w, r):
    if x.shape[-1] != w.shape[r]:
        raise ValueError(f"input depth must be evenly divisible by filter depth: {x.shape[-1]} vs {w.shape[r]} "
                         f"(the input has {x.shape[-1]} channels; the filter's dimension {r} must be that)")


# Bytes of im2col matrix per GEMM on NumPy, where a block is one thread's: copied and multiplied while it stays in
# that core's L2 cache (1 MB here; bench_conv's batch on one thread: 0.6-2.4 MB blocks within 10% of each other, 4.7
# MB ones 20% slower). Other backends take larger blocks (fewer, larger GEMMs to launch).
_COLUMN_BYTES = 1 << 20
_DEVICE_COLUMN_BYTES = 1 << 22


def _column_blocks(n, out, row_bytes, block_bytes=None):
    """Index blocks (batch slice, outer output slice) of the output grid `(n, *out)`, of about `block_bytes`
    (_COLUMN_BYTES unless given) of
    im2col rows each and contiguous in a C-ordered array of that grid: whole images when an image fits, else
    runs of one image's outer output rows (at least one). Balanced: 32 images in 2 blocks of 16, not 30 and 2."""
    inner = 1
    for o in out[1:]:
        inner *= o
    rows = max((block_bytes or _COLUMN_BYTES) // max(row_bytes, 1), 1)
    if out[0] * inner <= rows:
        step = -(-n // -(-n * out[0] * inner // rows)) if n else 1
        return [(slice(b, min(b + step, n)), slice(None)) for b in range(0, n, step)]
    step = max(rows // inner, 1)
    step = -(-out[0] // -(-out[0] // step))
    return [(slice(b, b + 1), slice(o, min(o + step, out[0]))) for b in range(n) for o in range(0, out[0], step)]


def _im2col(xp, windows, r):
    """A function from a block of _column_blocks to its im2col matrix `(rows, prod(ksize) * channels)`: that
    block of the windows view `(batch, *out, *ksize, channels)` copied into a buffer the function reuses (each
    thread makes its own)."""
    depth = math.prod(windows.shape[1 + r:])
    buf = None

    def columns(block):
        nonlocal buf
        view = windows[block]
        if view.flags.c_contiguous:  # a 1x1 filter at unit strides without padding: the input itself
            return view.reshape(-1, depth)
        if buf is None or buf.size < view.size:
            buf = xp.empty(view.size, dtype=windows.dtype)
        cols = buf[:view.size].reshape(view.shape)
        cols[...] = view
        return cols.reshape(-1, depth)
    return columns


def _im2col_blocks(xp, windows, r):
    depth = math.prod(windows.shape[1 + r:])
    return _column_blocks(windows.shape[0], windows.shape[1:1 + r], depth * windows.itemsize,
                          None if xp is np else _DEVICE_COLUMN_BYTES)


def _conv(xp, x, w, strides, dilations, pads):
    """Cross-correlation: im2col blocks of the padded input, each times the filter as one GEMM (spread over the
    intra-op threads); Winograd's algorithm instead where _winograd_applies."""
    _floating("Conv", x, w)
    r = w.ndim - 2
    _check_depth(x, w, r)
    if _winograd_applies(xp, x, w, strides, dilations, pads):
        return _winograd_conv(x, w, pads)
    xpad = _pad(xp, x, pads)
    out = _out_shape(xpad.shape[1:-1], w.shape[:r], strides, dilations)
    taps = w.reshape(-1, w.shape[-1])
    y = xp.empty((x.shape[0], *out, w.shape[-1]), dtype=x.dtype)
    windows = _windows(xp, xpad, w.shape[:r], strides, dilations, out)

    def worker():
        columns = _im2col(xp, windows, r)
        return lambda block: xp.matmul(columns(block), taps, out=y[block].reshape(-1, w.shape[-1]))
    spread(xp, _im2col_blocks(xp, windows, r), worker)
    return y


# ----------------------------------------------------------------------------- Winograd F(4x4, 3x3)
# A 3x3 convolution at unit strides computed a 4x4 output tile at a time from a 6x6 input tile with 36 products
# per channel pair instead of 144 (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015):
# Y = A^T [(G w G^T) * (B^T d B)] A. With the tiles of a block of images side by side, each transform is one GEMM
# by a 36x36 (or 16x36) Kronecker matrix and the products are 36 GEMMs (tiles x C) @ (C x K): for bench_conv's
# batch half of im2col's time on one thread. The transforms cost precision; of the interpolation points tried,
# 0, 1, -1, 2, -1/2 and infinity lose least (on random data the largest error is about 25 float32 ulps of the
# output's largest magnitude, the rms 2, where im2col's are 5 and 0.5; the usual 0, 1, -1, 2, -2: 60 and 3). So it
# is taken only for float32 and while TF32 execution is allowed: TF's switch for faster, less exact float32
# convolutions, on by default; `enable_tensor_float_32_execution(False)` gives im2col's results.


def _winograd_matrices(points, m=4, r=3):
    """(A^T, G, B^T) of F(m, r) by Toom-Cook from m + r - 2 finite points and infinity: A^T evaluates at the
    points, G interpolates the filter's polynomial there (scaled by the Lagrange denominators), B^T's rows are
    the coefficients of the products of the other points' factors."""
    n = m + r - 1
    at, g, bt = np.zeros((m, n)), np.zeros((n, r)), np.zeros((n, n))
    for i, a in enumerate(points):
        others = [b for j, b in enumerate(points) if j != i]
        at[:, i] = [a ** k for k in range(m)]
        g[i] = [a ** k / math.prod(a - b for b in others) for k in range(r)]
        bt[i, :n - 1] = np.poly(others)[::-1]
    at[m - 1, n - 1] = g[n - 1, r - 1] = 1
    bt[n - 1] = np.poly(points)[::-1]
    return at, g, bt


_WINO_AT, _WINO_G, _WINO_BT = _winograd_matrices([0, 1, -1, 2, -0.5])
_WINO_INPUT = np.kron(_WINO_BT, _WINO_BT).astype(np.float32)    # (36, 36): tile d (row-major 6x6) to B^T d B
_WINO_OUTPUT = np.kron(_WINO_AT, _WINO_AT).astype(np.float32)   # (16, 36): product tile m to A^T m A
# Below these channel counts the transforms cost more than the multiplications they save (one thread: 32 and 32
# take 0.76x im2col's time, 16 and 16 1.07x).
_WINO_MIN_CHANNELS = 32
# A block holds at least this many tiles (else 1 MB of them), so that the 36 GEMMs stay efficient with many
# channels (one thread, 128 channels: 0.43x im2col's time with blocks of 64 tiles, 0.57x with 128, 0.60x 256).
_WINO_MIN_TILES = 64


def _winograd_applies(xp, x, w, strides, dilations, pads):
    from eagerflow.device import context
    return (xp is np and x.dtype == np.float32 and w.dtype == np.float32 and w.ndim == 4
            and w.shape[:2] == (3, 3) and tuple(strides) == (1, 1) and tuple(dilations) == (1, 1)
            and min(w.shape[2], w.shape[3]) >= _WINO_MIN_CHANNELS and all(lo >= 0 and hi >= 0 for lo, hi in pads)
            and x.shape[1] + sum(pads[0]) >= 3 and x.shape[2] + sum(pads[1]) >= 3 and x.shape[0] > 0
            and context.settings.tensor_float_32)


def _winograd_conv(x, w, pads):
    """Conv2D of float32 NHWC `x` by a 3x3 filter at unit strides, by Winograd's F(4x4, 3x3) (see above): blocks
    of whole tile rows of the output, each padded, transformed, multiplied and transformed back by one thread
    with its own buffers; the output tiles past the edge are computed in a margin and cropped."""
    n, height, width, depth = x.shape
    k = w.shape[-1]
    (top, bottom), (left, right) = pads
    out_h, out_w = height + top + bottom - 2, width + left + right - 2
    rows, cols = -(-out_h // 4), -(-out_w // 4)  # tiles
    taps = np.einsum("ai,ijck,bj->abck", _WINO_G, w.astype(np.float64), _WINO_G, optimize=True)
    taps = taps.reshape(36, depth, k).astype(np.float32)
    y = np.empty((n, 4 * rows, 4 * cols, k), dtype=np.float32)
    blocks = _column_blocks(n, (rows, cols), 36 * depth * 4, max(_COLUMN_BYTES, 36 * depth * 4 * _WINO_MIN_TILES))

    def worker():
        buffers = {}

        def run(block):
            images, tile_rows = block
            first, stop = tile_rows.indices(rows)[:2]
            count = len(range(*images.indices(n)))
            tiles = count * (stop - first) * cols
            shape = (count, 4 * (stop - first) + 2, 4 * cols + 2, depth)
            if buffers.get("shape") != shape:  # a new size (the last block's): new buffers, margins zero
                buffers.update(shape=shape, padded=np.zeros(shape, np.float32),
                               d=np.empty((36, tiles * depth), np.float32), v=np.empty((36, tiles * depth), np.float32),
                               m=np.empty((36, tiles, k), np.float32), y=np.empty((16, tiles * k), np.float32))
            padded = buffers["padded"]
            # rows lo..hi of x (in x's numbering) make the block's padded rows; [a, b) of them lie in x, the rest
            # are zero (a block wholly in the top or bottom padding has none in x)
            lo, hi = 4 * first - top, 4 * stop + 2 - top
            a = max(-lo, 0)
            b = max(min(hi, height) - lo, a)
            padded[:, :a] = 0
            padded[:, b:] = 0
            padded[:, a:b, left:left + width] = x[images, lo + a:lo + b]
            s = padded.strides
            tiles_view = np.lib.stride_tricks.as_strided(
                padded, (6, 6, count, stop - first, cols, depth), (s[1], s[2], s[0], 4 * s[1], 4 * s[2], s[3]))
            d, v, m, out = buffers["d"], buffers["v"], buffers["m"], buffers["y"]
            d.reshape(tiles_view.shape)[...] = tiles_view
            np.matmul(_WINO_INPUT, d, out=v)
            np.matmul(v.reshape(36, tiles, depth), taps, out=m)
            np.matmul(_WINO_OUTPUT, m.reshape(36, tiles * k), out=out)
            target = y[images, 4 * first:4 * stop]
            t = target.strides
            np.lib.stride_tricks.as_strided(
                target, (4, 4, count, stop - first, cols, k), (t[1], t[2], t[0], 4 * t[1], 4 * t[2], t[3])
            )[...] = out.reshape(4, 4, count, stop - first, cols, k)
        return run
    spread(np, blocks, worker)
    if (4 * rows, 4 * cols) != (out_h, out_w):
        y = np.ascontiguousarray(y[:, :out_h, :out_w])
    return y


def _conv_backprop_input(xp, w, g, input_sizes, strides, dilations, pads):
    """d(conv(x, w))/dx applied to `g`: the transposed convolution, as TF's Conv2DBackpropInput. With unit strides
    it is itself a convolution (of g with the flipped, transposed filter); otherwise the columns of g @ w^T are
    added back at each kernel offset."""
    r = w.ndim - 2
    ksize = w.shape[:r]
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(input_sizes[1:-1], pads))
    out = _out_shape(padded, ksize, strides, dilations)
    if tuple(g.shape[1:-1]) != out or g.shape[-1] != w.shape[-1] or g.shape[0] != input_sizes[0]:
        raise ValueError(f"Conv{r}DBackpropInput: the gradient has shape {tuple(g.shape)} where an input of shape "
                         f"{tuple(input_sizes)} and a filter of shape {tuple(w.shape)} give outputs of shape "
                         f"{(input_sizes[0], *out, w.shape[-1])}; check output_shape, strides and padding")
    spans = [(k - 1) * d for k, d in zip(ksize, dilations)]
    flipped_pads = tuple((span - lo, span - hi + (n - (o - 1) - 1 - span))
                         for span, (lo, hi), n, o in zip(spans, pads, padded, out))
    if all(s == 1 for s in strides) and all(lo >= 0 and hi >= 0 for lo, hi in flipped_pads):
        flipped = xp.flip(w, axis=tuple(range(r))).swapaxes(-1, -2)
        return _conv(xp, g, xp.ascontiguousarray(flipped), strides, dilations, flipped_pads)
    dcols = xp.matmul(g.reshape(-1, g.shape[-1]), w.reshape(-1, w.shape[-1]).T)
    dcols = dcols.reshape((g.shape[0], *out, *ksize, w.shape[r]))
    dx = xp.zeros((input_sizes[0], *padded, input_sizes[-1]), dtype=g.dtype)
    lead = (slice(None),) * (1 + r)
    for offset, where in _offsets(ksize, strides, dilations, out):
        dx[where] += dcols[lead + offset]
    return _crop(xp, dx, pads)


# Filter-gradient partial sums: at most this many, each of consecutive blocks added in order, and at most this many
# bytes of them; they are then added in order, so the result is the same on any number of threads.
_FILTER_PARTS, _FILTER_PART_BYTES = 16, 1 << 25


def _conv_backprop_filter(xp, x, g, filter_sizes, strides, dilations, pads):
    """d(conv(x, w))/dw applied to `g`, as TF's Conv2DBackpropFilter: the sum over im2col blocks of
    (block's columns)^T @ (block's g), in a fixed number of partial sums (the work spread over threads)."""
    r = len(filter_sizes) - 2
    ksize = filter_sizes[:r]
    xpad = _pad(xp, x, pads)
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    windows = _windows(xp, xpad, ksize, strides, dilations, out)
    blocks = _im2col_blocks(xp, windows, r)
    taps = (-1, filter_sizes[-1])
    part_bytes = g.itemsize * math.prod(filter_sizes)
    count = min(len(blocks), _FILTER_PARTS, max(_FILTER_PART_BYTES // max(part_bytes, 1), 1))
    if not count:  # an empty batch
        return xp.zeros(filter_sizes, dtype=g.dtype)
    parts = xp.empty((count, math.prod(filter_sizes[:-1]), filter_sizes[-1]), dtype=g.dtype)
    groups = [blocks[len(blocks) * i // count:len(blocks) * (i + 1) // count] for i in range(count)]

    def worker():
        columns = _im2col(xp, windows, r)
        scratch = None

        def add_group(i):
            nonlocal scratch
            for k, block in enumerate(groups[i]):
                if k == 0:
                    xp.matmul(columns(block).T, g[block].reshape(taps), out=parts[i])
                    continue
                if scratch is None:
                    scratch = xp.empty(parts.shape[1:], dtype=g.dtype)
                xp.matmul(columns(block).T, g[block].reshape(taps), out=scratch)
                xp.add(parts[i], scratch, out=parts[i])
        return add_group
    spread(xp, range(count), worker)
    dw = parts[0]
    for part in parts[1:]:
        xp.add(dw, part, out=dw)
    return dw.reshape(filter_sizes)


for _name in ("Conv2D", "Conv3D"):
    KERNELS[_name] = _conv
for _name in ("Conv2DBackpropInput", "Conv3DBackpropInputV2"):
    KERNELS[_name] = _conv_backprop_input
for _name in ("Conv2DBackpropFilter", "Conv3DBackpropFilterV2"):
    KERNELS[_name] = _conv_backprop_filter


def _depthwise(xp, x, w, strides, dilations, pads):
    """Channel c of x convolved with each of its filters w[..., c, m]: output channel c * M + m."""
    _floating("DepthwiseConv2dNative", x, w)
    r = w.ndim - 2
    _check_depth(x, w, r)
    xpad = _pad(xp, x, pads)
    ksize = w.shape[:r]
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    y = xp.zeros((x.shape[0], *out, *w.shape[r:]), dtype=x.dtype)
    for offset, where in _offsets(ksize, strides, dilations, out):
        y += xpad[where][..., None] * w[offset]
    return y.reshape((x.shape[0], *out, -1))


def _depthwise_backprop_input(xp, w, g, input_sizes, strides, dilations, pads):
    r = w.ndim - 2
    ksize = w.shape[:r]
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(input_sizes[1:-1], pads))
    out = _out_shape(padded, ksize, strides, dilations)
    if tuple(g.shape[1:-1]) != out or g.shape[-1] != w.shape[-2] * w.shape[-1]:
        raise ValueError(f"DepthwiseConv2dNativeBackpropInput: the gradient has shape {tuple(g.shape)} where an "
                         f"input of shape {tuple(input_sizes)} and a filter of shape {tuple(w.shape)} give outputs "
                         f"of shape {(input_sizes[0], *out, w.shape[-2] * w.shape[-1])}")
    g = g.reshape((*g.shape[:-1], *w.shape[r:]))
    dx = xp.zeros((input_sizes[0], *padded, input_sizes[-1]), dtype=g.dtype)
    for offset, where in _offsets(ksize, strides, dilations, out):
        dx[where] += (g * w[offset]).sum(axis=-1)
    return _crop(xp, dx, pads)


def _depthwise_backprop_filter(xp, x, g, filter_sizes, strides, dilations, pads):
    r = len(filter_sizes) - 2
    ksize = filter_sizes[:r]
    xpad = _pad(xp, x, pads)
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    g = g.reshape((-1, *filter_sizes[r:]))
    dw = xp.zeros(filter_sizes, dtype=g.dtype)
    for offset, where in _offsets(ksize, strides, dilations, out):
        dw[offset] = (xpad[where].reshape(-1, filter_sizes[r])[..., None] * g).sum(axis=0)
    return dw


KERNELS["DepthwiseConv2dNative"] = _depthwise
KERNELS["DepthwiseConv2dNativeBackpropInput"] = _depthwise_backprop_input
KERNELS["DepthwiseConv2dNativeBackpropFilter"] = _depthwise_backprop_filter

# ----------------------------------------------------------------------------- pooling


def _lowest(xp, dtype):
    import numpy as np  # host-side limits only
    if dtype.kind == "f" or dtype.kind == "V":
        return -np.inf
    return np.iinfo(dtype).min


def _lowest_finite(dtype):
    import ml_dtypes  # host-side limits only (finfo of bfloat16 too)
    return ml_dtypes.finfo(dtype).min if dtype.kind in "fV" else _lowest(None, dtype)


def _max_windows(xp, x, ksize, strides, dilations, pads):
    xpad = _pad(xp, x, pads, _lowest(xp, x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    return xpad, out, _windows(xp, xpad, ksize, strides, dilations, out)


def _kernel_axes(r):
    return tuple(range(1 + r, 1 + 2 * r))


def _max_pool(xp, x, ksize, strides, pads, dilations=None):
    """The window maxima as a running maximum over the kernel offsets (one strided view each). As TF: NaN is
    passed over and the maximum starts at the dtype's lowest finite value (an all -inf or all NaN window gives
    that value)."""
    r = x.ndim - 2
    dilations = dilations or (1,) * r
    xpad = _pad(xp, x, pads, _lowest(xp, x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    views = [xpad[where] for _, where in _offsets(ksize, strides, dilations, out)]
    if x.dtype.kind in "fiu" and len(views) > 1:
        # `maximum` is a third faster than `fmax` here and gives the same where every window's maximum is
        # finite (or +inf); a NaN or an all -inf window makes the least result NaN or -inf: recomputed below
        # (the check one reduction, no array of flags)
        y = xp.empty(views[0].shape, dtype=x.dtype)
        xp.maximum(views[0], views[1], out=y)
        for view in views[2:]:
            xp.maximum(y, view, out=y)
        if x.dtype.kind != "f" or not y.size or bool(xp.isfinite(y.min())):
            return y
    y = xp.fmax(views[0], xp.asarray(_lowest_finite(x.dtype), dtype=x.dtype))
    for view in views[1:]:
        xp.fmax(y, view, out=y)
    return y


def _window_argmax(xp, xpad, ksize, strides, dilations, out):
    """The flat kernel offset of each window's first maximum, (batch, *out, channels), with the maxima: a later
    offset wins only if strictly greater than all before it (ties keep the earlier one, and a NaN in the first
    offset holds its window), as TF. Arithmetic, not masked writes (those are several times slower in NumPy):
    the winner is the largest k whose value beat the running maximum."""
    best = arg = first = step = None
    for k, (_, where) in enumerate(_offsets(ksize, strides, dilations, out)):
        v = xpad[where]
        if best is None:
            first, best = v, v.copy()
            arg, step = xp.zeros(v.shape, dtype="int32"), xp.empty(v.shape, dtype="int32")
            continue
        better = xp.greater(v, best)
        xp.fmax(best, v, out=best)  # a later NaN never wins; a NaN first is restored below
        xp.multiply(better, k, out=step)
        xp.maximum(arg, step, out=arg)
    if first.dtype.kind in "fV":
        held = xp.isnan(first)
        if held.any():
            arg[held] = 0
            best[held] = first[held]
    return arg, best


def _uint_of(dtype):
    return {2: "uint16", 4: "uint32", 8: "uint64"}[dtype.itemsize]


def _disjoint_windows(ksize, strides, dilations):
    """Whether no padded element lies in two windows (the usual 2x2 stride-2 pooling)."""
    return all(k == 1 or (d == 1 and s >= k) for k, s, d in zip(ksize, strides, dilations))


def _max_pool_grad(xp, x, y, g, ksize, strides, pads, dilations=None):
    """The gradient of MaxPool: each window's gradient goes to its first maximum (repeats add up)."""
    r = x.ndim - 2
    dilations = dilations or (1,) * r
    xpad = _pad(xp, x, pads, _lowest(xp, x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    arg, _ = _window_argmax(xp, xpad, ksize, strides, dilations, out)
    dx = xp.zeros(xpad.shape, dtype=g.dtype)
    disjoint = _disjoint_windows(ksize, strides, dilations)
    if disjoint:
        # each element takes at most one window's gradient: written in place as g's bits masked by the hit
        # (branch-free and exact for any value, inf and NaN included)
        bits = _uint_of(g.dtype)
        g_bits, mask = g.view(bits), xp.empty(g.shape, dtype=bits)
    zero = xp.zeros((), dtype=g.dtype)
    for k, (_, where) in enumerate(_offsets(ksize, strides, dilations, out)):
        if disjoint:
            xp.equal(arg, k, out=mask)
            xp.negative(mask, out=mask)
            xp.bitwise_and(g_bits, mask, out=dx[where].view(bits))
        else:
            dx[where] += xp.where(arg == k, g, zero)
    return _crop(xp, dx, pads)


def _max_pool_grad_grad(xp, x, y, gg, ksize, strides, pads, dilations=None):
    """The gradient of MaxPoolGrad with respect to its upstream: gg read at each window's maximum."""
    r = x.ndim - 2
    dilations = dilations or (1,) * r
    xpad = _pad(xp, x, pads, _lowest(xp, x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    arg, _ = _window_argmax(xp, xpad, ksize, strides, dilations, out)
    gpad = _pad(xp, gg, pads)
    result = xp.zeros(arg.shape, dtype=gg.dtype)
    for k, (_, where) in enumerate(_offsets(ksize, strides, dilations, out)):
        hit = arg == k
        result[hit] = gpad[where][hit]
    return result


# TF's 3-D max pooling has rules of its own. Its forward kernel is Eigen's, or for float32 oneDNN's where TF
# runs oneDNN (`onednn_enabled`). Eigen's maximum is the running "keep it if greater, else take the new value"
# (a NaN is kept until a later value replaces it; padding is the lowest finite value); oneDNN's passes over NaN
# and starts at the lowest finite value (an all -inf or all NaN window gives it), as 2-D max_pool does under
# both. The gradient goes to every element of a window equal to that maximum and finite (ties share it in full),
# and the second-order gradient reads the first element equal to it.

# the CPU features that make TF 2.21 run its oneDNN kernels by default on Linux (util.cc's IsMKLEnabled)
_ONEDNN_CPU_FLAGS = frozenset({"avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"})


@functools.lru_cache(maxsize=None)
def onednn_enabled():
    """Would TF 2.21 run its oneDNN CPU kernels in this process? TF_ENABLE_ONEDNN_OPTS decides where it reads as a
    bool ("1"/"true", "0"/"false"); else TF's default, on for a Linux CPU with one of `_ONEDNN_CPU_FLAGS`. Read
    once, as TF reads it."""
    import os
    import sys
    value = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "").strip().lower()
    if value in ("1", "true", "0", "false"):
        return value in ("1", "true")
    if not sys.platform.startswith("linux"):
        return False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return not _ONEDNN_CPU_FLAGS.isdisjoint(line.split(":", 1)[1].split())
    except OSError:
        pass
    return False


def _max_pool3d(xp, x, ksize, strides, pads, dilations=None):
    dilations = dilations or (1,) * 3
    lowest = _lowest_finite(x.dtype)
    xpad = _pad(xp, x, pads, lowest)
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    if x.dtype == np.float32 and onednn_enabled():   # TF's bfloat16 MaxPool3D keeps Eigen's rule under oneDNN
        y = xp.full(tuple(xpad.shape[:1]) + tuple(out) + tuple(xpad.shape[-1:]), lowest, dtype=x.dtype)
        for _, where in _offsets(ksize, strides, dilations, out):
            xp.fmax(y, xpad[where], out=y)
        return y
    y = None
    for _, where in _offsets(ksize, strides, dilations, out):
        v = xpad[where]
        y = v.copy() if y is None else xp.where(y > v, y, v)
    return y


@_quiet
def _max_pool3d_grad(xp, x, y, g, ksize, strides, pads, dilations=None):
    dilations = dilations or (1,) * 3
    xpad = _pad(xp, x, pads, _lowest_finite(x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    dx = xp.zeros(xpad.shape, dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for _, where in _offsets(ksize, strides, dilations, out):
        dx[where] += xp.where(xpad[where] - y == 0, g, zero)  # inf - inf is NaN: an infinite maximum takes none
    return _crop(xp, dx, pads)


def _max_pool3d_grad_grad(xp, x, y, gg, ksize, strides, pads, dilations=None):
    dilations = dilations or (1,) * 3
    xpad = _pad(xp, x, pads, _lowest_finite(x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, dilations)
    gpad = _pad(xp, gg, pads)
    result = xp.zeros(y.shape, dtype=gg.dtype)
    found = xp.zeros(y.shape, dtype=bool)
    for _, where in _offsets(ksize, strides, dilations, out):
        hit = (xpad[where] == y) & ~found
        result = xp.where(hit, gpad[where], result)
        found |= hit
    return result


KERNELS["MaxPool3D"] = _max_pool3d
KERNELS["MaxPool3DGrad"] = _max_pool3d_grad
KERNELS["MaxPool3DGradGrad"] = _max_pool3d_grad_grad


def _avg_counts(xp, spatial, ksize, strides, dilations, pads, dtype):
    """How many real (unpadded) elements each window holds: TF averages over those only."""
    ones = xp.ones((1, *spatial, 1), dtype=dtype)
    opad = _pad(xp, ones, pads)
    out = _out_shape(opad.shape[1:-1], ksize, strides, dilations)
    return _windows(xp, opad, ksize, strides, dilations, out).sum(axis=_kernel_axes(len(ksize))), out


@_quiet
def _avg_pool(xp, x, ksize, strides, pads, dilations=None):
    _floating("AvgPool", x)
    r = x.ndim - 2
    dilations = dilations or (1,) * r
    xpad = _pad(xp, x, pads)
    counts, out = _avg_counts(xp, x.shape[1:-1], ksize, strides, dilations, pads, x.dtype)
    total = None
    for _, where in _offsets(ksize, strides, dilations, out):
        total = xpad[where].copy() if total is None else xp.add(total, xpad[where], out=total)
    return (total / counts).astype(x.dtype, copy=False)


def _avg_pool_grad(xp, g, input_shape, ksize, strides, pads, dilations=None):
    r = len(ksize)
    dilations = dilations or (1,) * r
    counts, out = _avg_counts(xp, input_shape[1:-1], ksize, strides, dilations, pads, g.dtype)
    share = (g / counts).astype(g.dtype, copy=False)
    padded = tuple(n + lo + hi for n, (lo, hi) in zip(input_shape[1:-1], pads))
    dx = xp.zeros((input_shape[0], *padded, input_shape[-1]), dtype=g.dtype)
    for _, where in _offsets(ksize, strides, dilations, out):
        dx[where] += share
    return _crop(xp, dx, pads)


KERNELS["MaxPool"] = _max_pool
KERNELS["MaxPoolGrad"] = _max_pool_grad
KERNELS["MaxPoolGradGrad"] = _max_pool_grad_grad
for _name in ("AvgPool", "AvgPool3D"):
    KERNELS[_name] = _avg_pool
for _name in ("AvgPoolGrad", "AvgPool3DGrad"):
    KERNELS[_name] = _avg_pool_grad


def _max_pool_with_argmax(xp, x, ksize, strides, pads, output_type, include_batch_in_index=False):
    """(max, flat index of the max in x): ((b * height + y) * width + x) * channels + c, batch only if asked."""
    xpad = _pad(xp, x, pads, _lowest(xp, x.dtype))
    out = _out_shape(xpad.shape[1:-1], ksize, strides, (1, 1))
    arg, best = _window_argmax(xp, xpad, ksize, strides, (1, 1), out)
    n, h, w, c = x.shape
    ky, kx = divmod(arg, ksize[1])
    oy = xp.arange(out[0]).reshape(1, -1, 1, 1) * strides[0] - pads[0][0]
    ox = xp.arange(out[1]).reshape(1, 1, -1, 1) * strides[1] - pads[1][0]
    index = ((oy + ky) * w + (ox + kx)) * c + xp.arange(c)
    if include_batch_in_index:
        index = index + xp.arange(n).reshape(-1, 1, 1, 1) * (h * w * c)
    return best, index.astype(output_type)


def _max_pool_grad_with_argmax(xp, x, g, argmax, include_batch_in_index=False):
    """Each gradient element added at its flat argmax position."""
    from eagerflow.backends.kernels import _add_at
    n = x.shape[0]
    flat = xp.zeros((n, x[0].size), dtype=g.dtype)
    idx = argmax.reshape(n, -1).astype("int64")
    if include_batch_in_index:
        idx = idx - xp.arange(n).reshape(-1, 1) * x[0].size
    rows = xp.broadcast_to(xp.arange(n).reshape(-1, 1), idx.shape)
    _add_at(xp, flat, (rows, idx), g.reshape(n, -1))
    return flat.reshape(x.shape)


KERNELS["MaxPoolWithArgmax"] = _max_pool_with_argmax
KERNELS["MaxPoolGradWithArgmax"] = _max_pool_grad_with_argmax

# ----------------------------------------------------------------------------- morphology


def _dilation_argmax(xp, x, w, strides, dilations, pads):
    xpad, out, cols = _max_windows(xp, x, w.shape[:2], strides, dilations, pads)
    n, c = x.shape[0], x.shape[-1]
    flat = (cols + w[..., :]).reshape((n, *out, w.shape[0] * w.shape[1], c))
    return xpad, out, flat, xp.argmax(flat, axis=-2)


def _dilation2d(xp, x, w, strides, dilations, pads):
    """Grey-scale dilation: max over the window of x + w, as TF's Dilation2D (w: (h, w, channels))."""
    _floating("Dilation2D", x, w)
    if w.ndim != 3 or w.shape[-1] != x.shape[-1]:
        raise ValueError(f"Dilation2D: filter must be 3-D (height, width, {x.shape[-1]}), got shape {tuple(w.shape)}")
    _, _, flat, _ = _dilation_argmax(xp, x, w, strides, dilations, pads)
    return flat.max(axis=-2)


def _dilation2d_backprop_input(xp, x, w, g, strides, dilations, pads):
    xpad, out, _, arg = _dilation_argmax(xp, x, w, strides, dilations, pads)
    dx = xp.zeros(xpad.shape, dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for k, (_, where) in enumerate(_offsets(w.shape[:2], strides, dilations, out)):
        dx[where] += xp.where(arg == k, g, zero)
    return _crop(xp, dx, pads)


def _dilation2d_backprop_filter(xp, x, w, g, strides, dilations, pads):
    _, out, _, arg = _dilation_argmax(xp, x, w, strides, dilations, pads)
    dw = xp.zeros(w.shape, dtype=g.dtype)
    zero = xp.zeros((), dtype=g.dtype)
    for k, (offset, _) in enumerate(_offsets(w.shape[:2], strides, dilations, out)):
        dw[offset] = xp.where(arg == k, g, zero).reshape(-1, w.shape[-1]).sum(axis=0)
    return dw


KERNELS["Dilation2D"] = _dilation2d
KERNELS["Dilation2DBackpropInput"] = _dilation2d_backprop_input
KERNELS["Dilation2DBackpropFilter"] = _dilation2d_backprop_filter

# ----------------------------------------------------------------------------- top-k tests


def _in_top_k(xp, predictions, targets, k):
    """True where the target's prediction is among the k largest of its row (ties count as in, as TF);
    a non-finite prediction or an out-of-range target is never in."""
    if predictions.ndim != 2 or targets.ndim != 1 or targets.shape[0] != predictions.shape[0]:
        raise ValueError(f"predictions must be 2-D (batch, classes) and targets 1-D (batch,); got shapes "
                         f"{tuple(predictions.shape)} and {tuple(targets.shape)}")
    classes = predictions.shape[1]
    valid = (targets >= 0) & (targets < classes)
    safe = xp.where(valid, targets, 0).astype("int64")
    target_p = xp.take_along_axis(predictions, safe[:, None], axis=1)
    above = (predictions > target_p).sum(axis=1)
    return valid & xp.isfinite(target_p[:, 0]) & (above < k)


KERNELS["InTopKV2"] = _in_top_k


@_quiet
def _selu(xp, x):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    # as TF: scale * alpha as one constant of x's dtype, and -0.0 on the positive side (kept)
    scale_alpha, scale = np.asarray(scale * alpha, dtype=x.dtype), np.asarray(scale, dtype=x.dtype)
    return xp.where(x < 0, scale_alpha * _expm1(xp, x), scale * x).astype(x.dtype, copy=False)


@_quiet
def _selu_grad(xp, g, y):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    # as TF's SeluGrad: the slope at 0 (output 0) is the scale, the positive side's
    return (g * xp.where(y < 0, y + scale * alpha, scale)).astype(g.dtype, copy=False)


KERNELS["Selu"] = _selu
KERNELS["SeluGrad"] = _selu_grad

# ----------------------------------------------------------------------------- labels (data-dependent shapes)


def _collapse_repeated(xp, labels, seq_length):
    """(labels with runs merged into one, padded with zeros to the longest new row; the new lengths)."""
    if labels.ndim != 2 or seq_length.shape != (labels.shape[0],):
        raise ValueError(f"labels must be (batch, max_len) and seq_length (batch,); got shapes {tuple(labels.shape)} "
                         f"and {tuple(seq_length.shape)}")
    n, width = labels.shape
    starts = xp.ones(labels.shape, dtype=bool)
    starts[:, 1:] = labels[:, 1:] != labels[:, :-1]
    keep = starts & (xp.arange(width)[None, :] < seq_length[:, None])
    new_len = keep.sum(axis=1).astype(seq_length.dtype)
    longest = int(new_len.max()) if n else 0
    out = xp.zeros((n, longest), dtype=labels.dtype)
    slots = xp.arange(longest)[None, :] < new_len[:, None]
    out[slots] = labels[keep]
    return out, new_len


def _ctc_unique_labels(xp, labels):
    """Per row: its distinct labels in order of first appearance (zero-padded), and each label's index among them."""
    if labels.ndim != 2:
        raise ValueError(f"labels must be (batch, max_len), got shape {tuple(labels.shape)}")
    n, width = labels.shape
    unique = xp.zeros(labels.shape, dtype="int64")
    ids = xp.zeros(labels.shape, dtype="int32")
    for row in range(n):  # one row at a time: each has its own set of labels
        values, first, inverse = xp.unique(labels[row], return_index=True, return_inverse=True)
        order = xp.argsort(first)
        rank = xp.empty_like(order)
        rank[order] = xp.arange(order.size)
        unique[row, :values.size] = values[order]
        ids[row] = rank[inverse.reshape(-1)]
    return unique, ids


def _compute_accidental_hits(xp, true_classes, sampled):
    """(row, sampled position, -FLT_MAX) for each true class of each row that was sampled, as TF: in the order of
    the rows and their true classes, at the last position where that class was sampled."""
    hits = true_classes[:, :, None] == sampled[None, None, :]
    found = hits.any(axis=-1)
    last = sampled.shape[0] - 1 - xp.argmax(hits[..., ::-1], axis=-1)
    rows, cols = xp.nonzero(found)
    return (rows.astype("int32"), last[rows, cols].astype("int64"),
            xp.full(rows.shape[0], -3.4028234663852886e38, dtype="float32"))


def _isotonic_rows(xp, x, decreasing):
    """Pool adjacent violators, row by row on the host: (fit, segment id of each element)."""
    import numpy as np
    host = np.asarray(x.get() if hasattr(x, "get") else x)
    rows = host.reshape(-1, host.shape[-1]) if host.ndim else host.reshape(1, 1)
    fit = np.empty_like(rows)
    seg = np.empty(rows.shape, dtype=np.int32)
    for r, row in enumerate(rows):
        sums, counts = [], []
        for v in (row if decreasing else -row):
            sums.append(float(v))
            counts.append(1)
            while len(sums) > 1 and sums[-2] / counts[-2] < sums[-1] / counts[-1]:
                s, c = sums.pop(), counts.pop()
                sums[-1] += s
                counts[-1] += c
        i = 0
        for k, (s, c) in enumerate(zip(sums, counts)):
            fit[r, i:i + c] = (s / c) if decreasing else -(s / c)
            seg[r, i:i + c] = k
            i += c
    return xp.asarray(fit.reshape(host.shape)), xp.asarray(seg.reshape(host.shape))


def _isotonic_regression(xp, x, decreasing=True):
    return _isotonic_rows(xp, x, decreasing)


def _isotonic_regression_grad(xp, g, segments):
    """Each element's gradient is the mean of the upstream gradient over its segment."""
    n = segments.shape[-1]
    if n == 0:
        return g
    flat_s = segments.reshape(-1, n).astype("int64")
    flat_g = g.reshape(-1, n)
    rows = flat_s.shape[0]
    width = max(n, int(flat_s.max()) + 1)  # ids of several rows' segments meet in one row of TF's gradient
    key = flat_s + xp.arange(rows).reshape(-1, 1) * width
    from eagerflow.backends.kernels import _add_at
    sums = xp.zeros(rows * width, dtype=g.dtype)
    counts = xp.zeros(rows * width, dtype=g.dtype)
    _add_at(xp, sums, key.ravel(), flat_g.ravel())
    _add_at(xp, counts, key.ravel(), xp.ones(key.size, dtype=g.dtype))
    return (sums[key] / counts[key]).reshape(g.shape).astype(g.dtype, copy=False)


KERNELS["CollapseRepeated"] = _collapse_repeated
KERNELS["CTCUniqueLabels"] = _ctc_unique_labels
KERNELS["ComputeAccidentalHits"] = _compute_accidental_hits
KERNELS["IsotonicRegression"] = _isotonic_regression
KERNELS["IsotonicRegressionGrad"] = _isotonic_regression_grad

# ----------------------------------------------------------------------------- CTC


def _logsumexp(xp, x, axis, keepdims=False):
    """TF's reduce_logsumexp: the maximum taken out (0 where it is not finite), in the input's precision."""
    top = x.max(axis=axis, keepdims=True)
    top = xp.where(xp.isfinite(top), top, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = xp.log(xp.exp(x - top).sum(axis=axis, keepdims=True)) + top
    return out if keepdims else out.squeeze(axis)


def _ctc_loss_dense(xp, logits, labels, label_length, logit_length, blank=0):
    """(loss, d loss / d logits) of connectionist temporal classification over dense labels, as TF's ctc_loss_dense
    computes them: a forward-backward over 2 * (max_label_length + 1) states (label states, the first a start
    state, then one blank state after each), each frame's state log-probabilities normalised, and the start and
    end priors log(1e-307) (about -706.9), not -inf, off their states. So a label sequence no alignment produces
    has a large finite loss (about 707 plus the log-probabilities of the frames), as TF's. The transitions are
    TF's (self loops, start -> first label, label -> its blank, blank -> next label, label -> next label unless it
    repeats), summed over each state's predecessors only (TF's dense matrix adds exact zeros for the others).
    The gradient is zero on frames past logit_length. logits: (time, batch, classes), float32."""
    steps, batch, classes = logits.shape
    if labels.ndim != 2 or labels.shape[0] != batch:
        raise ValueError(f"labels must be (batch={batch}, max_label_length), got shape {tuple(labels.shape)}")
    lengths_l, lengths_t = label_length.astype("int64"), logit_length.astype("int64")
    if int(lengths_t.max(initial=0)) > steps or int(lengths_l.max(initial=0)) > labels.shape[1]:
        raise ValueError(f"logit_length must be <= {steps} and label_length <= {labels.shape[1]}")
    dtype = logits.dtype
    neg = dtype.type(-np.inf)
    order = [blank] + [c for c in range(classes) if c != blank]   # TF moves the blank class first
    logits = logits[:, :, order]
    labels = xp.where(labels < blank, labels + 1, labels).astype("int64")
    width = labels.shape[1]
    states = 2 * (width + 1)
    log_p = logits - logits.max(axis=-1, keepdims=True)
    log_p = log_p - xp.log(xp.exp(log_p).sum(axis=-1, keepdims=True))
    observed = xp.concatenate([xp.full((steps, batch, 1), neg, dtype),
                               xp.take_along_axis(log_p, xp.broadcast_to(labels[None], (steps, batch, width)), 2),
                               xp.broadcast_to(log_p[:, :, :1], (steps, batch, width + 1))], axis=2)
    # the states each state is entered from (-1: none), and those it leads to; three at most, itself first
    idx = np.arange(states)
    pred, succ = np.full((states, 3), -1), np.full((states, 3), -1)
    pred[:, 0] = succ[:, 0] = idx
    pred[1:width + 1, 1] = width + 1 + idx[:width]        # label u <- the blank after label u - 1
    succ[width + 1:2 * width + 1, 1] = idx[1:width + 1]   # blank u -> label u + 1
    pred[width + 1:, 1] = idx[:width + 1]                 # blank u <- label u (the start state's: blank 0)
    succ[:width + 1, 1] = width + 1 + idx[:width + 1]
    pred[1, 2] = 0                                        # the first label <- the start state
    succ[0, 2] = 1
    pred = xp.asarray(np.broadcast_to(pred, (batch, states, 3)).copy())
    succ = xp.asarray(np.broadcast_to(succ, (batch, states, 3)).copy())
    if width > 1:   # label u -> label u + 1 unless the two are the same
        differ = labels[:, 1:] != labels[:, :-1]
        pred[:, 2:width + 1, 2] = xp.where(differ, xp.arange(1, width)[None], -1)
        succ[:, 1:width, 2] = xp.where(differ, xp.arange(2, width + 1)[None], -1)
    log_0 = dtype.type(np.float32(np.log(1e-307)))
    initial = xp.full((batch, states), log_0, dtype)
    initial[:, 0] = 0
    final = xp.full((batch, states), log_0, dtype)
    rows = xp.arange(batch)
    final[rows, lengths_l] = 0
    final[rows, width + 1 + lengths_l] = 0

    def through(links, values):   # logsumexp over each state's links of `values`
        got = xp.take_along_axis(values, xp.maximum(links, 0).reshape(batch, -1), 1).reshape(batch, states, 3)
        return _logsumexp(xp, xp.where(links >= 0, got, neg), -1)

    fwd = xp.empty((steps + 1, batch, states), dtype)
    fwd[0] = initial
    for t in range(steps):
        a = through(pred, fwd[t]) + observed[t]
        fwd[t + 1] = a - _logsumexp(xp, a, -1, keepdims=True)
    mask = (xp.arange(steps)[:, None] < lengths_t[None, :]).astype(dtype)
    bwd = xp.empty((steps + 1, batch, states), dtype)
    bwd[steps] = final
    cum = xp.zeros((steps + 1, batch), dtype)
    for t in range(steps - 1, -1, -1):
        b = through(succ, bwd[t + 1] + observed[t])
        total = _logsumexp(xp, b, -1, keepdims=True)
        m = mask[t][:, None]
        cum[t] = cum[t + 1] + total[:, 0] * mask[t]
        with np.errstate(invalid="ignore"):
            bwd[t] = (b - total) * m + final * (1 - m)
    fb = fwd[1:] + bwd[1:]
    fb = fb - _logsumexp(xp, fb, 2, keepdims=True)
    with np.errstate(divide="ignore"):
        fb = fb + xp.log(mask)[:, :, None]
    log_like = bwd[0, :, 0] + cum[0]
    # state log-probabilities summed per class: the blank's over the blank states, a label's over its states
    label_states = fb[:, :, 1:width + 1]
    olabel = xp.full((steps, batch, classes), neg, dtype)
    olabel[:, :, 0] = _logsumexp(xp, fb[:, :, width + 1:], -1)
    onehot = labels[:, :, None] - 1 == xp.arange(classes - 1)[None, None, :]   # (batch, width, classes - 1)
    olabel[:, :, 1:] = _logsumexp(xp, xp.where(onehot[None], label_states[..., None], neg), 2)
    grad = (xp.exp(log_p) - xp.exp(olabel)) * mask[:, :, None]
    out = xp.empty_like(grad)
    out[:, :, order] = grad
    return (-log_like).astype(dtype), out


KERNELS["CTCLossDense"] = _ctc_loss_dense
