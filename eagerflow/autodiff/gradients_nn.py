"""Gradients of the convolution, pooling, morphology and signal ops (kernels in backends/kernels_nn.py and
backends/kernels_signal.py), registered into the gradient table.

A convolution is bilinear in (input, filter): its backprop-input and backprop-filter ops are its two
adjoints, and each of those is differentiated with the other two, so every order of derivative exists.
"""

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
GRADIENTS["IsotonicRegression"] = lambda op, g, g_segments=None: (
    execute("IsotonicRegressionGrad", (g, op.outputs[1]), match=False),)


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


def _real_fft_grad(name):
    def grad(op, g):
        return (execute(name, (g,), {"input_shape": _shape(op.inputs[0]), **op.attrs}),)
    return grad


for _suffix in ("", "2D", "3D", "ND"):
    GRADIENTS["RFFT" + _suffix] = _real_fft_grad("RFFTGrad")
    GRADIENTS["IRFFT" + _suffix] = _real_fft_grad("IRFFTGrad")


@_register("CTCLossDense")
def _ctc_loss_grad(op, g_loss, g_grad=None):
    """The kernel's own d loss / d logits, scaled per batch element by the upstream gradient."""
    scale = _x("ExpandDims", _x("ExpandDims", g_loss, axis=0), axis=-1)
    return _x("Mul", scale, op.outputs[1]), None, None, None
