"""Devices of other tasks: a parameter server's CPU, seen from this process.

A `RemoteDevice` holds buffers in another process (a Ray actor, see `eagerflow.distribute.ray_tasks`);
this process never runs kernels there. It is registered under its TF name
(`/job:ps/replica:0/task:0/device:CPU:0`) so scopes and `Variable.device` name it. Arrays on their way to
or from it are host arrays of this process's CPU backend, so it shares that backend's array type, and an
operand prepared "on" it is a host array ready to ship. The transport that reaches the other process
is given by the distribution layer (the device layer knows nothing of Ray): an object with

- `call(method, *args)`: run `method` of the remote task with `args`, wait, return its result;
- `submit(method, *args)` and `wait(pending)`: the same, started now and awaited later (several tasks
  at once);

raising `errors.UnavailableError` when the task is gone.
"""

from eagerflow.device import registry
from eagerflow.device.spec import DeviceSpec

__all__ = ["RemoteDevice"]


class RemoteDevice(registry.Device):
    """The CPU of another task: where remote variables' buffers live.

    `copy_out(keys, target)` is the copy between devices that this kind of device implements: the
    buffers named by `keys` (one key or a list) fetched in one call, as arrays on `target`.
    """

    __slots__ = ("transport",)
    remote = True

    def __init__(self, name, transport):
        cpu = registry.cpu0()
        registry.Device.__init__(self, name, "CPU", DeviceSpec.from_string(name).device_index or 0, cpu.backend)
        self.transport = transport

    def copy_out(self, key, target):
        """The buffer `key` holds there, now, as an array on `target` (a device of this process). An array
        given instead of a key is one staged here on its way (a host array): copied as it is."""
        if isinstance(key, str):
            (key,) = self.transport.call("pull", [key])
        return target.backend.from_host(key)

    def pull(self, keys):
        """The buffers of `keys`, in one call, as host arrays."""
        return self.transport.call("pull", list(keys))

    def __repr__(self):
        return f"<RemoteDevice {self.name}>"
