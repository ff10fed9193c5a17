"""Convolutions, pooling and morphology of `ef.nn`, as TensorFlow's.

Each op runs one kernel on channels-last arrays (backends/kernels_nn.py); channels-first inputs
(`NCHW`, `NCW`, `NCDHW`) are transposed to it and back. Padding is `"SAME"`, `"VALID"` or explicit
`[[0, 0], [top, bottom], [left, right], [0, 0]]` in the data format's order; the wrapper turns it into
one (before, after) pair per spatial dimension, SAME's as TF: the output is ceil(input / stride) and
the odd pixel of padding goes after.
"""

import numbers

from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.ops import array_ops
from eagerflow.ops.cpu_refusals import check_layout

__all__ = ["convolution", "conv1d", "conv2d", "conv3d", "conv_transpose", "conv1d_transpose", "conv2d_transpose",
           "conv3d_transpose", "depthwise_conv2d", "depthwise_conv2d_backprop_input",
           "depthwise_conv2d_backprop_filter", "separable_conv2d", "atrous_conv2d", "atrous_conv2d_transpose",
           "max_pool", "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "pool", "max_pool_with_argmax", "dilation2d", "erosion2d"]

_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def _channels_first(data_format, r):
    """Is `data_format` channels-first (NCHW and its 1-D/3-D kin)? None means channels-last."""
    if data_format is None:
        return False
    if isinstance(data_format, str) and len(data_format) == r + 2 and data_format[0] == "N":
        if data_format[1] == "C":
            return True
        if data_format[-1] == "C":
            return False
    last, first = _FORMATS[r]
    raise ValueError(f"data_format must be {last!r} or {first!r} for {r} spatial dimension(s), got {data_format!r}")


def _check_layout(op, x, first, r):
    """TF's CPU kernels take channels-last inputs only (1-D ops run as their 2-D op, in NCHW)."""
    if first:
        check_layout(op, x.dtype, "NCHW" if r == 1 else _FORMATS[r][1], True)


def _to_last(x, first):
    if not first:
        return x
    return array_ops.transpose(x, [0, *range(2, x.ndim), 1])


def _from_last(y, first):
    if not first:
        return y
    return array_ops.transpose(y, [0, y.ndim - 1, *range(1, y.ndim - 1)])


def _spatial(value, r, what, first, default=1):
    """An int, or a list of 1, r or r + 2 ints (the batch and channel entries must be 1), as r ints."""
    if value is None:
        return (default,) * r
    if isinstance(value, numbers.Integral):
        return (int(value),) * r
    values = [int(v) for v in (value.numpy().tolist() if hasattr(value, "numpy") else value)]
    if len(values) == 1:
        return tuple(values) * r
    if len(values) == r:
        return tuple(values)
    if len(values) == r + 2:
        outer = (values[0], values[1]) if first else (values[0], values[-1])
        if outer != (1, 1):
            raise errors.UnimplementedError(
                None, None, f"Current implementation does not yet support {what} in the batch and depth "
                            f"dimensions: got {what}={values}; give 1 for them")
        return tuple(values[2:]) if first else tuple(values[1:-1])
    raise ValueError(f"{what} should be of length 1, {r} or {r + 2}, but got {len(values)}: {values}")


def _pads(padding, spatial, ksize, strides, dilations, first):
    """One (before, after) pair per spatial dimension for `padding`."""
    r = len(spatial)
    if isinstance(padding, str):
        mode = padding
        if mode == "VALID":
            return ((0, 0),) * r
        if mode == "SAME":
            pads = []
            for n, k, s, d in zip(spatial, ksize, strides, dilations):
                total = max((-(-n // s) - 1) * s + (k - 1) * d + 1 - n, 0)
                pads.append((total // 2, total - total // 2))
            return tuple(pads)
        raise errors.InvalidArgumentError(
            None, None, f"Value for attr 'padding' of {padding!r} is not in the list of allowed values: 'SAME', "
                        f"'VALID', or explicit (before, after) pairs")
    pairs = [tuple(int(v) for v in p) for p in padding]
    if len(pairs) != r + 2 or any(len(p) != 2 for p in pairs):
        raise ValueError(f"explicit padding must be {r + 2} (before, after) pairs, one per dimension of the input, "
                         f"got {padding!r}")
    outer = (pairs[0], pairs[1]) if first else (pairs[0], pairs[-1])
    if outer != ((0, 0), (0, 0)):
        raise ValueError(f"explicit padding of the batch and channel dimensions must be [0, 0], got {padding!r}")
    if any(v < 0 for p in pairs for v in p):
        raise ValueError(f"explicit padding must be non-negative, got {padding!r}")
    return tuple(pairs[2:]) if first else tuple(pairs[1:-1])


def _like(value, x):
    """`value` as a tensor; a Python value takes x's dtype, a tensor keeps its own (execute checks they match)."""
    return convert_to_tensor(value) if is_tensor_like(value) else convert_to_tensor(value, dtype=x.dtype)


def _rank_check(x, r, what, op):
    if x.ndim != r + 2:
        raise ValueError(f"{op}: {what} must be {r + 2}-D, got shape {x.shape}")


def _conv(op, input, filters, strides, padding, data_format, dilations, r):
    x = convert_to_tensor(input)
    w = _like(filters, x)
    _rank_check(x, r, "input", op)
    _rank_check(w, r, "filters", op)
    first = _channels_first(data_format, r)
    strides = _spatial(strides, r, "strides", first)
    dilations = _spatial(dilations, r, "dilations", first)
    _check_layout(op, x, first, r)
    x = _to_last(x, first)
    pads = _pads(padding, x.shape.as_list()[1:-1], w.shape.as_list()[:r], strides, dilations, first)
    y = execute(op, (x, w), {"strides": strides, "dilations": dilations, "pads": pads})
    return _from_last(y, first)


def _conv_name(r):
    return "Conv3D" if r == 3 else "Conv2D"  # TF runs 1-D convolutions as Conv2D


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """2-D convolution of a (batch, height, width, channels) input with a (h, w, in, out) filter.

    >>> x = ef.reshape(ef.range(16.0), [1, 4, 4, 1]); w = ef.ones([2, 2, 1, 1])
    >>> ef.nn.conv2d(x, w, strides=2, padding="VALID")[0, :, :, 0].numpy()
    array([[10., 18.],
           [42., 50.]], dtype=float32)
    """
    return _conv("Conv2D", input, filters, strides, padding, data_format, dilations, 2)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """1-D convolution of a (batch, width, channels) input with a (w, in, out) filter.

    >>> ef.nn.conv1d(ef.reshape(ef.range(4.0), [1, 4, 1]), ef.ones([2, 1, 1]), 1, "VALID")[0, :, 0].numpy()
    array([1., 3., 5.], dtype=float32)
    """
    return _conv("Conv2D", input, filters, stride, padding, data_format, dilations, 1)


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):
    """3-D convolution of a (batch, depth, height, width, channels) input with a (d, h, w, in, out) filter.

    >>> ef.nn.conv3d(ef.ones([1, 3, 3, 3, 1]), ef.ones([2, 2, 2, 1, 1]), [1, 1, 1, 1, 1], "VALID").shape
    TensorShape([1, 2, 2, 2, 1])
    """
    return _conv("Conv3D", input, filters, strides, padding, data_format, dilations, 3)


def convolution(input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None):
    """N-D convolution (N = 1, 2 or 3, from the filter's rank), as `tf.nn.convolution`.

    >>> ef.nn.convolution(ef.ones([1, 5, 5, 1]), ef.ones([3, 3, 1, 2]), padding="SAME").shape
    TensorShape([1, 5, 5, 2])
    """
    w = convert_to_tensor(filters)
    r = w.ndim - 2
    if r not in (1, 2, 3):
        raise ValueError(f"convolution: filters must be 3-D, 4-D or 5-D (1, 2 or 3 spatial dimensions), got shape "
                         f"{w.shape}")
    return _conv(_conv_name(r), input, w, strides, padding, data_format, dilations, r)


def _output_sizes(output_shape, r, first):
    shape = output_shape.numpy().tolist() if hasattr(output_shape, "numpy") else [int(v) for v in output_shape]
    if len(shape) == r:
        return None, shape
    if len(shape) != r + 2:
        raise ValueError(f"output_shape must have {r + 2} elements (or {r} spatial sizes), got {shape}")
    return shape, (shape[2:] if first else shape[1:-1])


def _conv_transpose(op, input, filters, output_shape, strides, padding, data_format, dilations, r):
    x = convert_to_tensor(input)
    w = _like(filters, x)
    _rank_check(x, r, "input", op)
    _rank_check(w, r, "filters", op)
    first = _channels_first(data_format, r)
    strides = _spatial(strides, r, "strides", first)
    dilations = _spatial(dilations, r, "dilations", first)
    _check_layout(op, x, first, r)
    x = _to_last(x, first)
    full, spatial = _output_sizes(output_shape, r, first)
    channels = w.shape[r]
    if full is not None:
        out_channels = full[1] if first else full[-1]
        if out_channels != channels:
            raise ValueError(f"output_shape's channel dimension ({out_channels}) must equal the filter's "
                             f"dimension {r} ({channels}): filters are (*kernel, output channels, input channels)")
        if full[0] != x.shape[0]:
            raise ValueError(f"output_shape's batch dimension ({full[0]}) must equal the input's ({x.shape[0]})")
    if x.shape[-1] != w.shape[-1]:
        raise ValueError(f"input channels ({x.shape[-1]}) must equal the filter's last dimension ({w.shape[-1]}): "
                         f"filters of a transposed convolution are (*kernel, output channels, input channels)")
    pads = _pads(padding, spatial, w.shape.as_list()[:r], strides, dilations, first)
    sizes = (x.shape[0], *spatial, channels)
    y = execute(op, (w, x), {"input_sizes": sizes, "strides": strides, "dilations": dilations, "pads": pads})
    return _from_last(y, first)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC", dilations=None,
                     name=None):
    """The transpose (gradient) of conv2d: filters are (h, w, output channels, input channels).

    >>> ef.nn.conv2d_transpose(ef.ones([1, 2, 2, 1]), ef.ones([2, 2, 1, 1]), [1, 4, 4, 1], 2)[0, :, :, 0].numpy()
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    return _conv_transpose("Conv2DBackpropInput", input, filters, output_shape, strides, padding, data_format,
                           dilations, 2)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC", dilations=None,
                     name=None):
    """The transpose (gradient) of conv1d: filters are (w, output channels, input channels).

    >>> ef.nn.conv1d_transpose(ef.ones([1, 2, 1]), ef.ones([2, 1, 1]), [1, 4, 1], 2)[0, :, 0].numpy()
    array([1., 1., 1., 1.], dtype=float32)
    """
    return _conv_transpose("Conv2DBackpropInput", input, filters, output_shape, strides, padding, data_format,
                           dilations, 1)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NDHWC", dilations=None,
                     name=None):
    """The transpose (gradient) of conv3d: filters are (d, h, w, output channels, input channels).

    >>> ef.nn.conv3d_transpose(ef.ones([1, 1, 1, 1, 2]), ef.ones([2, 2, 2, 3, 2]), [1, 2, 2, 2, 3], 2).shape
    TensorShape([1, 2, 2, 2, 3])
    """
    return _conv_transpose("Conv3DBackpropInputV2", input, filters, output_shape, strides, padding, data_format,
                           dilations, 3)


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None, dilations=None,
                   name=None):
    """N-D transposed convolution (N from the rank of output_shape: 1, 2 or 3).

    >>> ef.nn.conv_transpose(ef.ones([1, 3, 1]), ef.ones([3, 1, 1]), [1, 3, 1], 1)[0, :, 0].numpy()
    array([2., 3., 2.], dtype=float32)
    """
    shape = output_shape.numpy().tolist() if hasattr(output_shape, "numpy") else list(output_shape)
    r = len(shape) - 2
    if r not in (1, 2, 3):
        raise ValueError(f"output_shape must have 3, 4 or 5 elements (1, 2 or 3 spatial dimensions), got {shape}")
    return _conv_transpose(_conv_name(r) + ("BackpropInput" if r < 3 else "BackpropInputV2"), input, filters,
                           shape, strides, padding, data_format, dilations, r)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """conv2d with the filter dilated by `rate` (holes between its taps).

    >>> ef.nn.atrous_conv2d(ef.ones([1, 5, 5, 1]), ef.ones([2, 2, 1, 1]), rate=2, padding="VALID").shape
    TensorShape([1, 3, 3, 1])
    """
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d(value, filters, 1, padding, dilations=int(rate))


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of atrous_conv2d.

    >>> ef.nn.atrous_conv2d_transpose(ef.ones([1, 3, 3, 1]), ef.ones([2, 2, 1, 1]), [1, 5, 5, 1], 2, "VALID").shape
    TensorShape([1, 5, 5, 1])
    """
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d_transpose(value, filters, output_shape, 1, padding, dilations=int(rate))


def _depthwise_parts(op, input, filter, strides, padding, data_format, dilations):
    x = convert_to_tensor(input)
    w = _like(filter, x)
    _rank_check(x, 2, "input", "depthwise_conv2d")
    _rank_check(w, 2, "filter", "depthwise_conv2d")
    first = _channels_first(data_format, 2)
    strides = _spatial(strides, 2, "strides", first)
    dilations = _spatial(dilations, 2, "dilations", first)
    _check_layout(op, x, first, 2)
    return x, w, first, strides, dilations


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):
    """Each input channel convolved with its own `channel_multiplier` filters: (h, w, in, multiplier).

    >>> ef.nn.depthwise_conv2d(ef.ones([1, 3, 3, 2]), ef.ones([2, 2, 2, 3]), [1, 1, 1, 1], "VALID").shape
    TensorShape([1, 2, 2, 6])
    """
    x, w, first, strides, dilations = _depthwise_parts("DepthwiseConv2dNative", input, filter, strides, padding,
                                                       data_format, dilations)
    x = _to_last(x, first)
    pads = _pads(padding, x.shape.as_list()[1:-1], w.shape.as_list()[:2], strides, dilations, first)
    y = execute("DepthwiseConv2dNative", (x, w), {"strides": strides, "dilations": dilations, "pads": pads})
    return _from_last(y, first)


def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding, data_format="NHWC",
                                    dilations=None, name=None):
    """The gradient of depthwise_conv2d with respect to its input (of shape `input_sizes`).

    >>> ef.nn.depthwise_conv2d_backprop_input([1, 3, 3, 1], ef.ones([2, 2, 1, 1]), ef.ones([1, 2, 2, 1]),
    ...                                       [1, 1, 1, 1], "VALID")[0, :, :, 0].numpy()
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """
    g, w, first, strides, dilations = _depthwise_parts("DepthwiseConv2dNativeBackpropInput", out_backprop, filter,
                                                       strides, padding, data_format, dilations)
    sizes = [int(v) for v in (input_sizes.numpy().tolist() if hasattr(input_sizes, "numpy") else input_sizes)]
    if first:
        sizes = [sizes[0], *sizes[2:], sizes[1]]
    pads = _pads(padding, sizes[1:-1], w.shape.as_list()[:2], strides, dilations, first)
    y = execute("DepthwiseConv2dNativeBackpropInput", (w, _to_last(g, first)),
                {"input_sizes": tuple(sizes), "strides": strides, "dilations": dilations, "pads": pads})
    return _from_last(y, first)


def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding, data_format="NHWC",
                                     dilations=None, name=None):
    """The gradient of depthwise_conv2d with respect to its filter (of shape `filter_sizes`).

    >>> ef.nn.depthwise_conv2d_backprop_filter(ef.ones([1, 3, 3, 1]), [2, 2, 1, 1], ef.ones([1, 2, 2, 1]),
    ...                                        [1, 1, 1, 1], "VALID")[:, :, 0, 0].numpy()
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    x, g, first, strides, dilations = _depthwise_parts("DepthwiseConv2dNativeBackpropFilter", input, out_backprop,
                                                       strides, padding, data_format, dilations)
    sizes = tuple(int(v) for v in (filter_sizes.numpy().tolist() if hasattr(filter_sizes, "numpy")
                                   else filter_sizes))
    x = _to_last(x, first)
    pads = _pads(padding, x.shape.as_list()[1:-1], sizes[:2], strides, dilations, first)
    return execute("DepthwiseConv2dNativeBackpropFilter", (x, _to_last(g, first)),
                   {"filter_sizes": sizes, "strides": strides, "dilations": dilations, "pads": pads})


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, data_format=None, dilations=None,
                     name=None):
    """depthwise_conv2d followed by a 1x1 conv2d with `pointwise_filter` (1, 1, in * multiplier, out).

    >>> ef.nn.separable_conv2d(ef.ones([1, 4, 4, 2]), ef.ones([3, 3, 2, 2]), ef.ones([1, 1, 4, 5]),
    ...                        [1, 1, 1, 1], "SAME").shape
    TensorShape([1, 4, 4, 5])
    """
    p = convert_to_tensor(pointwise_filter)
    if p.ndim != 4 or p.shape[0] != 1 or p.shape[1] != 1:
        raise ValueError(f"pointwise_filter must be (1, 1, in_channels * channel_multiplier, out_channels), got shape "
                         f"{p.shape}")
    depthwise = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return conv2d(depthwise, p, 1, "VALID", data_format or "NHWC")


# ----------------------------------------------------------------------------- pooling

def _pool(op, input, ksize, strides, padding, data_format, r, dilations=None, explicit_ok=False):
    x = convert_to_tensor(input)
    _rank_check(x, r, "input", op)
    first = _channels_first(data_format, r)
    ksize = _spatial(ksize, r, "ksize", first)
    strides = _spatial(strides, r, "strides", first)
    dilated = _spatial(dilations, r, "dilations", first)
    if not isinstance(padding, str) and not explicit_ok:
        raise ValueError(f"{op} takes padding 'SAME' or 'VALID', got {padding!r}")
    _check_layout(op, x, first, r)
    x = _to_last(x, first)
    pads = _pads(padding, x.shape.as_list()[1:-1], ksize, strides, dilated, first)
    attrs = {"ksize": ksize, "strides": strides, "pads": pads}
    if dilations is not None:
        attrs["dilations"] = dilated
    return _from_last(execute(op, (x,), attrs), first)


def _rank_of(input, r=None):
    if r is not None:
        return r
    x = convert_to_tensor(input)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"Input tensor must be of rank 3, 4 or 5 but was {x.ndim}.")
    return x.ndim - 2


def max_pool(input, ksize, strides, padding, data_format=None, name=None):
    """The maximum of each window (N-D, from the input's rank).

    >>> ef.nn.max_pool(ef.reshape(ef.range(16.0), [1, 4, 4, 1]), 2, 2, "VALID")[0, :, :, 0].numpy()
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    """
    r = _rank_of(input)
    return _pool("MaxPool3D" if r == 3 else "MaxPool", input, ksize, strides, padding, data_format, r,
                 explicit_ok=r == 2)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """max_pool of a (batch, width, channels) input.

    >>> ef.nn.max_pool1d([[[1.0], [3.0], [2.0], [0.0]]], 2, 2, "VALID")[0, :, 0].numpy()
    array([3., 2.], dtype=float32)
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 1, explicit_ok=True)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """max_pool of a (batch, height, width, channels) input.

    >>> ef.nn.max_pool2d(ef.ones([1, 4, 4, 3]), 2, 2, "SAME").shape
    TensorShape([1, 2, 2, 3])
    """
    return _pool("MaxPool", input, ksize, strides, padding, data_format, 2, explicit_ok=True)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """max_pool of a (batch, depth, height, width, channels) input.

    >>> ef.nn.max_pool3d(ef.ones([1, 4, 4, 4, 1]), 2, 2, "VALID").shape
    TensorShape([1, 2, 2, 2, 1])
    """
    return _pool("MaxPool3D", input, ksize, strides, padding, data_format, 3)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):
    """The mean of each window; with SAME padding, of its unpadded elements only (N-D, from the input's rank).

    >>> ef.nn.avg_pool(ef.reshape(ef.range(4.0), [1, 2, 2, 1]), 2, 2, "SAME")[0, :, :, 0].numpy()
    array([[1.5]], dtype=float32)
    """
    r = _rank_of(input)
    return _pool("AvgPool3D" if r == 3 else "AvgPool", input, ksize, strides, padding, data_format, r)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """avg_pool of a (batch, width, channels) input.

    >>> ef.nn.avg_pool1d([[[1.0], [3.0], [2.0]]], 2, 2, "SAME")[0, :, 0].numpy()
    array([2., 2.], dtype=float32)
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 1)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """avg_pool of a (batch, height, width, channels) input.

    >>> ef.nn.avg_pool2d(ef.ones([1, 4, 4, 3]), 2, 2, "VALID").shape
    TensorShape([1, 2, 2, 3])
    """
    return _pool("AvgPool", input, ksize, strides, padding, data_format, 2)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """avg_pool of a (batch, depth, height, width, channels) input.

    >>> ef.nn.avg_pool3d(ef.ones([1, 4, 4, 4, 1]), 2, 2, "VALID").shape
    TensorShape([1, 2, 2, 2, 1])
    """
    return _pool("AvgPool3D", input, ksize, strides, padding, data_format, 3)


def pool(input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None, dilations=None,
         name=None):
    """N-D max or average pooling with optional dilated windows, as `tf.nn.pool`.

    >>> ef.nn.pool(ef.reshape(ef.range(9.0), [1, 3, 3, 1]), [2, 2], "MAX", dilations=[2, 2])[0, :, :, 0].numpy()
    array([[8.]], dtype=float32)
    """
    window = [int(v) for v in window_shape]
    r = len(window)
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"Invalid pooling_type: {pooling_type!r}; use 'MAX' or 'AVG'")
    dil = _spatial(dilations, r, "dilations", False)
    std = _spatial(strides, r, "strides", False)
    if any(d > 1 for d in dil) and padding == "SAME":
        raise ValueError(f"pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. Received: "
                         f"padding={padding} and dilation_rate={list(dil)}; use padding='VALID'")
    if any(d > 1 for d in dil) and any(s > 1 for s in std):
        raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                         f"strides={list(std)} and dilation_rate={list(dil)}")
    op = ("MaxPool3D" if r == 3 else "MaxPool") if pooling_type == "MAX" else ("AvgPool3D" if r == 3 else "AvgPool")
    return _pool(op, input, window, std, padding, data_format, r, dilations=dil if any(d > 1 for d in dil) else None)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC", output_dtype=None,
                         include_batch_in_index=False, name=None):
    """(max_pool, flat index of each maximum): (y * width + x) * channels + c, plus the batch offset if asked.

    >>> out, arg = ef.nn.max_pool_with_argmax(ef.reshape(ef.range(16.0), [1, 4, 4, 1]), 2, 2, "VALID")
    >>> arg[0, :, :, 0].numpy()
    array([[ 5,  7],
           [13, 15]])
    """
    from eagerflow import dtypes
    if data_format != "NHWC":
        raise ValueError(f"Data formats other than 'NHWC' are not yet supported, got {data_format!r}")
    x = convert_to_tensor(input)
    _rank_check(x, 2, "input", "max_pool_with_argmax")
    ksize = _spatial(ksize, 2, "ksize", False)
    strides = _spatial(strides, 2, "strides", False)
    pads = _pads(padding, x.shape.as_list()[1:-1], ksize, strides, (1, 1), False)
    out_type = dtypes.as_dtype(output_dtype or dtypes.int64)
    return execute("MaxPoolWithArgmax", (x,), {"ksize": ksize, "strides": strides, "pads": pads,
                                               "output_type": out_type._np,
                                               "include_batch_in_index": bool(include_batch_in_index)})


def dilation2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """Grey-scale morphological dilation: max over each window of input + filters (h, w, channels).

    >>> ef.nn.dilation2d(ef.reshape(ef.range(9.0), [1, 3, 3, 1]), ef.zeros([2, 2, 1]), [1, 1, 1, 1], "VALID",
    ...                  "NHWC", [1, 1, 1, 1])[0, :, :, 0].numpy()
    array([[4., 5.],
           [7., 8.]], dtype=float32)
    """
    if data_format != "NHWC":
        raise ValueError(f"Data formats other than 'NHWC' are not yet supported, got {data_format!r}")
    x = convert_to_tensor(input)
    w = _like(filters, x)
    _rank_check(x, 2, "input", "dilation2d")
    strides = _spatial(strides, 2, "strides", False)
    dilations = _spatial(dilations, 2, "dilations", False)
    pads = _pads(padding, x.shape.as_list()[1:-1], w.shape.as_list()[:2], strides, dilations, False)
    return execute("Dilation2D", (x, w), {"strides": strides, "dilations": dilations, "pads": pads})


def erosion2d(value, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """Grey-scale morphological erosion: min over each window of value - reversed filters.

    >>> ef.nn.erosion2d(ef.reshape(ef.range(1.0, 10.0), [1, 3, 3, 1]), ef.zeros([2, 2, 1]), [1, 1, 1, 1], "VALID",
    ...                 "NHWC", [1, 1, 1, 1])[0, :, :, 0].numpy()
    array([[1., 2.],
           [4., 5.]], dtype=float32)
    """
    flipped = array_ops.reverse(convert_to_tensor(filters), [0, 1])
    return -dilation2d(-convert_to_tensor(value), flipped, strides, padding, data_format, dilations)
