"""`ef.config`: devices and placement settings, as `tf.config`.

>>> ef.config.list_physical_devices('CPU')
[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
>>> cpu = ef.config.list_physical_devices('CPU')[0]
>>> ef.config.set_logical_device_configuration(            # before the first op
...     cpu, [ef.config.LogicalDeviceConfiguration()] * 2)
>>> ef.config.experimental.get_memory_info('CPU:0')
{'current': 0, 'peak': 0}
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

get_visible_devices = list_physical_devices
