"""`ef.config.experimental`: memory accounting, device details, visible devices, the device policy and
execution settings, as `tf.config.experimental`.

Unlike TF, `get_memory_info` works for every device, CPUs included. It counts the bytes held by
live variables on the device (see `eagerflow.device.memory` for what is and is not counted).

>>> v = ef.Variable(ef.zeros([1000]))
>>> ef.config.experimental.get_memory_info('CPU:0')['current'] >= 4000
True
"""

from eagerflow.device import context, registry
from eagerflow.device.memory import get_memory_info, reset_memory_stats  # noqa: F401
from eagerflow.device.registry import (  # noqa: F401
    LogicalDeviceConfiguration,
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)

get_virtual_device_configuration = get_logical_device_configuration
set_virtual_device_configuration = set_logical_device_configuration
VirtualDeviceConfiguration = LogicalDeviceConfiguration

_memory_growth = {}


def get_memory_usage(device):
    """Current bytes held on `device` (TF's deprecated form of `get_memory_info(device)['current']`)."""
    return get_memory_info(device)["current"]


def set_memory_growth(device, enable):
    """Recorded for compatibility: CuPy's memory pool already grows on demand.

    >>> cpu = ef.config.list_physical_devices('CPU')[0]
    >>> ef.config.experimental.set_memory_growth(cpu, True)
    >>> ef.config.experimental.get_memory_growth(cpu)
    True
    >>> ef.config.experimental.set_memory_growth(cpu, False)
    """
    if getattr(device, "name", None) is None or not hasattr(device, "backend_index"):
        raise ValueError(f"Expected a PhysicalDevice from ef.config.list_physical_devices(), got {device!r}.")
    _memory_growth[device.name] = bool(enable)


def get_memory_growth(device):
    """What `set_memory_growth` recorded for `device` (False when never set).

    >>> ef.config.experimental.get_memory_growth(ef.config.list_physical_devices('CPU')[0])
    False
    """
    return _memory_growth.get(device.name, False)


def get_device_details(device):
    """A dict of details about a physical device: its backend's `details()` ({} on the CPU).

    >>> ef.config.experimental.get_device_details(ef.config.list_physical_devices('CPU')[0])
    {}
    """
    details = getattr(device.backend, "details", None)
    return dict(details(device.backend_index)) if details is not None else {}


def get_device_policy():
    """This thread's device policy (see `set_device_policy`): 'silent' unless set otherwise.

    >>> ef.config.experimental.get_device_policy()
    'silent'
    """
    return context.thread_state().device_policy


def set_device_policy(device_policy):
    """What an op of this thread does with an input that lives on another device, as TF's policies:
    'silent' (None: the default) copies it, 'warn' copies it and logs a warning on the
    `eagerflow.placement` logger, 'explicit' raises InvalidArgumentError (copy with `ef.identity`
    under `ef.device(...)`), 'silent_for_int32' copies int32 inputs only and refuses the others.

    >>> ef.config.experimental.set_device_policy('explicit')
    >>> ef.config.experimental.get_device_policy()
    'explicit'
    >>> ef.config.experimental.set_device_policy(None)
    """
    if device_policy is None:
        device_policy = "silent"
    if not isinstance(device_policy, str) or device_policy not in context.DEVICE_POLICIES:
        raise ValueError(f"Invalid argument `device_policy`: {device_policy!r}. Use one of "
                         f"{', '.join(map(repr, context.DEVICE_POLICIES))} or None.")
    context.thread_state().device_policy = device_policy


def get_synchronous_execution():
    """Whether this thread asked for synchronous execution (True unless `set_synchronous_execution(False)`).

    >>> ef.config.experimental.get_synchronous_execution()
    True
    """
    return context.thread_state().synchronous


def set_synchronous_execution(enable):
    """TF's switch between synchronous and asynchronous eager execution, for this thread (None: the
    default, synchronous). Asynchronous execution lets TF report an op's error at a later op; eagerflow
    runs every op synchronously in both modes, which asynchronous execution permits.

    >>> ef.config.experimental.set_synchronous_execution(False)
    >>> ef.config.experimental.get_synchronous_execution()
    False
    >>> ef.config.experimental.set_synchronous_execution(None)
    """
    context.thread_state().synchronous = True if enable is None else bool(enable)


def enable_tensor_float_32_execution(enabled):
    """Let float32 (and complex64) matrix products on GPUs of compute capability 8.0 or more round
    their inputs to TensorFloat-32 (10-bit mantissa) for speed; on by default, as in TF. CPUs have no
    TF32; there the switch lets float32 3x3 convolutions at unit strides with 32 or more channels in and
    out take Winograd's algorithm (about twice as fast, errors up to about 25 float32 ulps of the output's
    largest magnitude where im2col's are 5). Off, both run at full float32 precision.

    >>> ef.config.experimental.enable_tensor_float_32_execution(False)
    >>> ef.config.experimental.tensor_float_32_execution_enabled()
    False
    >>> ef.config.experimental.enable_tensor_float_32_execution(True)
    """
    context.settings.tensor_float_32 = bool(enabled)
    for backend in registry.backends():
        apply = getattr(backend, "apply_tensor_float_32", None)
        if apply is not None:
            apply()


def tensor_float_32_execution_enabled():
    """Whether TF32 execution is allowed (see `enable_tensor_float_32_execution`)."""
    return context.settings.tensor_float_32


def enable_op_determinism():
    """Make every op give the same result for the same inputs, run after run, as TF's.

    eagerflow's CPU kernels (NumPy) always are; on GPUs, adding scatters of floats (tensor_scatter_nd_add,
    unsorted_segment_sum, the gradient of gather, ...) use atomic adds whose order varies: with op
    determinism on they add in input order (on the host). Cannot be turned off again, as in TF.

    >>> ef.config.experimental.enable_op_determinism()  # doctest: +SKIP
    """
    context.settings.op_determinism = True


__all__ = ["get_memory_info", "reset_memory_stats", "get_memory_usage", "set_memory_growth", "get_memory_growth",
           "get_device_details", "get_device_policy", "set_device_policy", "list_physical_devices",
           "list_logical_devices", "set_logical_device_configuration", "get_logical_device_configuration",
           "get_virtual_device_configuration", "set_virtual_device_configuration", "VirtualDeviceConfiguration",
           "get_visible_devices", "set_visible_devices", "get_synchronous_execution", "set_synchronous_execution",
           "enable_tensor_float_32_execution", "tensor_float_32_execution_enabled", "enable_op_determinism"]
