"""Gradients of the convolution, pooling, morphology and signal ops (kernels in backends/kernels_nn.py and
backends/kernels_signal.py), registered into the gradient table.

A convolution is bilinear in (input, filter): its backprop-input and backprop-filter ops are its two
adjoints, and each of those is differentiated with the other two, so every order of derivative exists.
"""

import numpy as np

from eagerflow.autodiff.gradients import GRADIENTS, _register, _shape, _x, _zeros_like
from eagerflow.framework.execute import execute

__all__ = []

_CONV = {  # forward op: (backprop input, backprop filter)
    "Conv2D": ("Conv2DBackpropInput", "Conv2DBackpropFilter"),
    "Conv3D": ("Conv3DBackpropInputV2", "Conv3DBackpropFilterV2"),
    "DepthwiseConv2dNative": ("DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter"),
}
_FORWARD = {}
for _fwd, (_bi, _bf) in _CONV.items():
    _FORWARD[_bi] = _FORWARD[_bf] = _fwd


def _geometry(attrs):
    return {k: attrs[k] for k in ("strides", "dilations", "pads")}


def _conv_grad(op, g):
    x, w = op.inputs
    bi, bf = _CONV[op.type]
    geo = _geometry(op.attrs)
    gx = execute(bi, (w, g), {"input_sizes": _shape(x), **geo}) if op.needs[0] else None
    gw = execute(bf, (x, g), {"filter_sizes": _shape(w), **geo}) if op.needs[1] else None
    return gx, gw


def _backprop_input_grad(op, u):
    """y = BI(w, g), the adjoint of conv(., w): <y, u> = <g, conv(u, w)>."""
    w, g = op.inputs
    fwd = _FORWARD[op.type]
    geo = _geometry(op.attrs)
    gw = execute(_CONV[fwd][1], (u, g), {"filter_sizes": _shape(w), **geo}) if op.needs[0] else None
    gg = execute(fwd, (u, w), geo) if op.needs[1] else None
    return gw, gg


def _backprop_filter_grad(op, v):
    """y = BF(x, g), the adjoint of conv(x, .): <y, v> = <g, conv(x, v)>."""
    x, g = op.inputs
    fwd = _FORWARD[op.type]
    geo = _geometry(op.attrs)
    gx = execute(_CONV[fwd][0], (v, g), {"input_sizes": _shape(x), **geo}) if op.needs[0] else None
    gg = execute(fwd, (x, v), geo) if op.needs[1] else None
    return gx, gg


for _fwd, (_bi, _bf) in _CONV.items():
    GRADIENTS[_fwd] = _conv_grad
    GRADIENTS[_bi] = _backprop_input_grad
    GRADIENTS[_bf] = _backprop_filter_grad


# ----------------------------------------------------------------------------- pooling

@_register("MaxPool", "MaxPool3D")
def _max_pool_grad(op, g):
    name = "MaxPoolGrad" if op.type == "MaxPool" else "MaxPool3DGrad"
    return (execute(name, (op.inputs[0], op.outputs[0], g), op.attrs),)


@_register("MaxPoolGrad", "MaxPool3DGrad")
def _max_pool_grad_grad(op, gg):
    x, y, _ = op.inputs
    name = "MaxPoolGradGrad" if op.type == "MaxPoolGrad" else "MaxPool3DGradGrad"
    return _zeros_like(x), _zeros_like(y), execute(name, (x, y, gg), op.attrs)


@_register("AvgPool", "AvgPool3D")
def _avg_pool_grad(op, g):
    name = "AvgPoolGrad" if op.type == "AvgPool" else "AvgPool3DGrad"
    return (execute(name, (g,), {"input_shape": _shape(op.inputs[0]), **op.attrs}),)


@_register("AvgPoolGrad", "AvgPool3DGrad")
def _avg_pool_grad_grad(op, gg):
    name = "AvgPool" if op.type == "AvgPoolGrad" else "AvgPool3D"
    attrs = {k: v for k, v in op.attrs.items() if k != "input_shape"}
    return (execute(name, (gg,), attrs),)


@_register("MaxPoolWithArgmax")
def _max_pool_with_argmax_grad(op, g, g_argmax=None):
    x = op.inputs[0]
    return (execute("MaxPoolGradWithArgmax", (x, g, op.outputs[1]),
                    {"include_batch_in_index": op.attrs.get("include_batch_in_index", False)}, match=False),)


@_register("Dilation2D")
def _dilation_grad(op, g):
    x, w = op.inputs
    gx = execute("Dilation2DBackpropInput", (x, w, g), op.attrs) if op.needs[0] else None
    gw = execute("Dilation2DBackpropFilter", (x, w, g), op.attrs) if op.needs[1] else None
    return gx, gw


GRADIENTS["Selu"] = lambda op, g: (_x("SeluGrad", g, op.outputs[0]),)


@_register("IsotonicRegression")
def _isotonic_regression_grad(op, g, g_segments=None):
    """The mean of g over each segment. TF's gradient averages over the segment ids of each slice along axis 0,
    flattened: right for the 2-D inputs it was written for, while another rank mixes a slice's rows and gives
    shape (n0, size / n0) (a 1-D input of n values: (n, 1), each its own mean). So does this one, as TF."""
    segments = op.outputs[1]
    rows = (_shape(segments)[0], -1)
    return (execute("IsotonicRegressionGrad", (_x("Reshape", g, shape=rows), _x("Reshape", segments, shape=rows)),
                    match=False),)


# ----------------------------------------------------------------------------- FFT

def _fft_size(op, g):
    axes = op.attrs.get("axes")
    shape = _shape(op.outputs[0])
    rank = {"FFT": 1, "IFFT": 1, "FFT2D": 2, "IFFT2D": 2, "FFT3D": 3, "IFFT3D": 3}.get(op.type)
    dims = [shape[a] for a in axes] if axes is not None else shape[len(shape) - rank:]
    size = 1
    for d in dims:
        size *= d
    return size


def _fft_pair(inverse_op):
    def grad(op, g):
        size = _fft_size(op, g)
        out = execute(inverse_op, (g,), op.attrs or None)
        scale = float(size) if inverse_op.startswith("I") else 1.0 / size
        return (_x("Mul", out, complex(scale) if out._dtype.is_complex else scale),)
    return grad


for _fwd, _inv in (("FFT", "IFFT"), ("FFT2D", "IFFT2D"), ("FFT3D", "IFFT3D"), ("FFTND", "IFFTND")):
    # y = F x: the adjoint is F^H g = N * ifft(g); for y = ifft(x) it is fft(g) / N
    GRADIENTS[_fwd] = _fft_pair(_inv)
    GRADIENTS[_inv] = _fft_pair(_fwd)


def _real_fft_grad(name, rank):
    def grad(op, g):
        lengths, shape = op.attrs["fft_length"], _shape(op.inputs[0])
        kept = (lengths[-1] // 2 + 1,) if name == "IRFFTGrad" else lengths[-1:]
        if any(n < m for n, m in zip(lengths[:-1] + kept, shape[-rank:])):
            return (_cropped_rfft_grad if name == "RFFTGrad" else _cropped_irfft_grad)(op, g, rank),
        return (execute(name, (g,), {"input_shape": shape, **op.attrs}),)
    return grad


# TF registers gradients for RFFT, IRFFT, RFFT2D and IRFFT2D only (the 3-D and N-D ones have none: LookupError).
# Its gradients assume fft_length does not crop the input (the Python functions pad a shorter input, never crop a
# longer one): where it does, they fail on shapes that do not broadcast, or broadcast a length-1 axis into values
# unrelated to the gradient (or return a gradient of the cropped shape). Those cases follow TF's formulas step by
# step below, so they fail or compute exactly as TF's do; the others take the exact kernels.
for _suffix, _rank in (("", 1), ("2D", 2)):
    GRADIENTS["RFFT" + _suffix] = _real_fft_grad("RFFTGrad", _rank)
    GRADIENTS["IRFFT" + _suffix] = _real_fft_grad("IRFFTGrad", _rank)


def _alternating(n, dtype):
    """[1, -1, 1, -1, ...] of length n."""
    return _const([1.0 - 2.0 * (i % 2) for i in range(n)], dtype)


def _const(values, dtype):
    from eagerflow.ops.array_ops import constant
    return constant(values, dtype=dtype)


def _cropped_rfft_grad(op, g, rank):
    """TF's RFFT/RFFT2D gradient: 0.5 * (irfft(g) * size + Re(terms for the bins Hermitian symmetry dropped))."""
    from eagerflow.ops import math_ops
    lengths, shape = op.attrs["fft_length"], _shape(op.inputs[0])
    even = 1.0 - lengths[-1] % 2
    y0, ym = g[..., 0:1], g[..., -1:]
    if rank == 1:
        extra = y0 + even * ym * _alternating(shape[-1], g.dtype)
    else:
        rows = shape[-2]
        index = np.arange(rows)
        dft = _const(np.exp(-2j * np.pi * np.outer(index, index) / rows), g.dtype)
        extra = math_ops.matmul(dft, math_ops.conj(y0))
        ym_term = math_ops.matmul(dft, math_ops.conj(ym))
        ym_term = _x("Tile", ym_term, multiples=(1,) * (len(shape) - 1) + (shape[-1],)) * _alternating(shape[-1],
                                                                                                       g.dtype)
        extra = extra + even * ym_term
    the_irfft = execute("IRFFT" if rank == 1 else "IRFFT2D", (g,), {"fft_length": lengths})
    return 0.5 * (the_irfft * float(np.prod(shape[-rank:])) + math_ops.real(extra))


def _cropped_irfft_grad(op, g, rank):
    """TF's IRFFT/IRFFT2D gradient: rfft(g) / size, the bins Hermitian symmetry folded counted twice."""
    lengths, shape = op.attrs["fft_length"], _shape(op.inputs[0])
    odd = lengths[-1] % 2
    mask = [1.0] + [2.0] * (shape[-1] - 2 + odd) + [1.0] * (1 - odd)
    size = float(np.prod(_shape(g)[-rank:]))
    the_rfft = execute("RFFT" if rank == 1 else "RFFT2D", (g,), {"fft_length": lengths})
    return the_rfft * _const([m / size for m in mask], the_rfft.dtype)


@_register("CTCLossDense")
def _ctc_loss_grad(op, g_loss, g_grad=None):
    """The kernel's own d loss / d logits, scaled per batch element by the upstream gradient."""
    scale = _x("ExpandDims", _x("ExpandDims", g_loss, axis=0), axis=-1)
    return _x("Mul", scale, op.outputs[1]), None, None, None
