"""What TF 2.21's CPU has no kernel for, refused as TF refuses it where the op would run on a CPU.

TF registers these only for its GPU (or XLA) devices: the channels-first layouts (NCHW, NCW, NCDHW) of
the convolutions, pools and depth/space moves, ApproxTopK other than a max along the last axis, and
the N-D FFTs. eagerflow's kernels compute them on any device; on a CPU they are refused with TF's
error class and message (a GPU device keeps computing them, as TF's GPU kernels do).
"""

from eagerflow import errors
from eagerflow.framework.execute import target_device

__all__ = ["tf_dtype_name", "runs_on_cpu", "check_layout", "refuse_no_cpu_kernel"]

_LAYOUT = {  # op: (TF's error class, TF's message)
    "Conv2D": (errors.UnimplementedError, "The Conv2D op currently only supports the NHWC tensor format on the "
                                          "CPU. The op was given the format: {format}"),
    "Conv3D": (errors.InvalidArgumentError, "CPU implementation of Conv3D currently only supports the NHWC tensor "
                                            "format."),
    "Conv2DBackpropInput": (errors.InvalidArgumentError, "Conv2DCustomBackpropInputOp only supports NHWC."),
    "Conv3DBackpropInputV2": (errors.InvalidArgumentError, "Conv3DBackpropInputOpV2 only supports NDHWC on the CPU."),
    "DepthwiseConv2dNative": (errors.UnimplementedError, "Depthwise convolution on CPU is only supported for NHWC "
                                                         "format"),
    "MaxPool": (errors.InvalidArgumentError, "Default MaxPoolingOp only supports NHWC on device type CPU"),
    "AvgPool": (errors.InvalidArgumentError, "Default AvgPoolingOp only supports NHWC on device type CPU"),
    "MaxPool3D": (errors.InvalidArgumentError, "Default Pooling3DOp only supports NDHWC on device type CPU"),
    "AvgPool3D": (errors.InvalidArgumentError, "Default Pooling3DOp only supports NDHWC on device type CPU"),
}
_LAYOUT["DepthwiseConv2dNativeBackpropInput"] = _LAYOUT["DepthwiseConv2dNativeBackpropFilter"] = \
    _LAYOUT["DepthwiseConv2dNative"]
_NO_CPU_LAYOUT = frozenset({"DepthToSpace", "SpaceToDepth"})  # no CPU kernel at all for NCHW: NotFoundError


def tf_dtype_name(dtype):
    """The DT_ name TF's messages give `dtype` (DT_FLOAT for float32)."""
    return "DT_" + {"float32": "FLOAT", "float64": "DOUBLE", "float16": "HALF"}.get(dtype.name, dtype.name.upper())


def runs_on_cpu(op, dtype):
    """Would `op` on a first input of `dtype` run on a CPU device here (the scope's, or the dtype's default)?"""
    return target_device(op, dtype).device_type == "CPU"


def check_layout(op, dtype, data_format, channels_first):
    """Refuse a channels-first `data_format` for `op` where it would run on a CPU, as TF does."""
    if not channels_first or not runs_on_cpu(op, dtype):
        return
    way_out = ("Give the input channels-last (data_format='N...C', e.g. ef.transpose(x, [0, 2, 3, 1]) for NCHW), "
               "or run the op on a GPU.")
    if op in _NO_CPU_LAYOUT:
        raise errors.NotFoundError(
            None, op, f"Could not find device for node: {{{{node {op}}}}} = {op}[T={tf_dtype_name(dtype)}, "
                      f"data_format=\"{data_format}\"]: TensorFlow's CPU kernels for {op} take data_format NHWC "
                      f"only [Op:{op}]. {way_out}")
    cls, message = _LAYOUT[op]
    raise cls(None, op, f"{message.format(format=data_format)} [Op:{op}]. {way_out}")


def refuse_no_cpu_kernel(op, dtype, attrs, registered, way_out):
    """Raise TF's NotFoundError for `op` (with `attrs`, a string as TF prints them) where it would run on a CPU:
    TF registers CPU kernels for it only as `registered` says (None: none at all)."""
    if not runs_on_cpu(op, dtype):
        return
    kernels = f"no {op} kernel for a CPU" if registered is None else f"{op} CPU kernels only for {registered}"
    raise errors.NotFoundError(
        None, op, f"Could not find device for node: {{{{node {op}}}}} = {op}[{attrs}]: TensorFlow 2.21 has "
                  f"{kernels} [Op:{op}]. {way_out}")
