"""`ef.config`: devices and placement settings."""

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
