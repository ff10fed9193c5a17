"""`ef.config`: devices and placement settings, as `tf.config`.

>>> ef.config.list_physical_devices('CPU')
[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
>>> cpu = ef.config.list_physical_devices('CPU')[0]
>>> # Only before the first op or variable (RuntimeError after), as in TF:
>>> ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)  # doctest: +SKIP
>>> ef.config.experimental.get_memory_info('CPU:0')       # bytes held by live variables
{'current': ..., 'peak': ...}
"""

from eagerflow.config import experimental, optimizer, threading  # noqa: F401
from eagerflow.device.context import get_soft_device_placement, set_soft_device_placement  # noqa: F401
from eagerflow.device.registry import (  # noqa: F401
    LogicalDevice,
    LogicalDeviceConfiguration,
    PhysicalDevice,
    get_logical_device_configuration,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_visible_devices,
)

from eagerflow.framework.function import functions_run_eagerly, run_functions_eagerly  # noqa: F401


def experimental_run_functions_eagerly(run_eagerly):
    """TF's deprecated name of `run_functions_eagerly`.

    >>> ef.config.experimental_run_functions_eagerly(False)
    """
    run_functions_eagerly(run_eagerly)


def experimental_functions_run_eagerly():
    """TF's deprecated name of `functions_run_eagerly`.

    >>> ef.config.experimental_functions_run_eagerly()
    False
    """
    return functions_run_eagerly()
