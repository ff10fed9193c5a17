"""`ef.config`: devices and placement settings, as `tf.config`.

>>> ef.config.list_physical_devices('CPU')
[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
>>> cpu = ef.config.list_physical_devices('CPU')[0]
>>> # Only before the first op or variable (RuntimeError after), as in TF:
>>> ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)  # doctest: +SKIP
>>> ef.config.experimental.get_memory_info('CPU:0')       # bytes held by live variables
{'current': ..., 'peak': ...}
"""

from eagerflow.config import experimental  # noqa: F401
from eagerflow.device.context import get_soft_device_placement, set_soft_device_placement  # noqa: F401
from eagerflow.device.registry import (  # noqa: F401
    LogicalDevice,
    LogicalDeviceConfiguration,
    PhysicalDevice,
    get_logical_device_configuration,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
)

from eagerflow.framework.function import functions_run_eagerly, run_functions_eagerly  # noqa: F401

get_visible_devices = list_physical_devices
