"""`ef.config.experimental`: memory accounting and device details, as `tf.config.experimental`.

Unlike TF, `get_memory_info` works for every device, CPUs included. It counts the bytes held by
live variables on the device (see `eagerflow.device.memory` for what is and is not counted).

>>> v = ef.Variable(ef.zeros([1000]))
>>> ef.config.experimental.get_memory_info('CPU:0')['current'] >= 4000
True
"""

from eagerflow.device.memory import get_memory_info, reset_memory_stats  # noqa: F401
from eagerflow.device.registry import (  # noqa: F401
    get_logical_device_configuration,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
)

get_virtual_device_configuration = get_logical_device_configuration
set_virtual_device_configuration = set_logical_device_configuration

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
    """TF's device policy; eagerflow always copies inputs silently, as TF's default 'silent'."""
    return "silent"


__all__ = ["get_memory_info", "reset_memory_stats", "get_memory_usage", "set_memory_growth", "get_memory_growth",
           "get_device_details", "get_device_policy", "list_physical_devices", "list_logical_devices",
           "set_logical_device_configuration", "get_logical_device_configuration",
           "get_virtual_device_configuration", "set_virtual_device_configuration"]
