"""Memory accounting per device, and a weak registry of live variables.

What is counted: the buffers of live variables (persistent state), per logical device. A
variable adds its buffer's bytes to its device when it is created, moves the count when its
buffer changes size, and gives the bytes back when it is freed. Tensors (op results, constants)
are not counted: they are transient, and counting them would put a finalizer on every op result,
slowing the execute path. So `current` is "bytes held by variables on this device" and `peak`
its high-water mark since the last `reset_memory_stats`.

The registry holds variables weakly (a `WeakValueDictionary` keyed by the variable's uid), so it
never keeps a variable alive; `memory_report()` lists what is alive now.
"""

import weakref

from eagerflow.device import registry
from eagerflow.device import spec as _spec

__all__ = ["track_variable", "live_variables", "get_memory_info", "reset_memory_stats", "memory_report",
           "MemoryReport", "find_device"]

_live = weakref.WeakValueDictionary()  # uid -> Variable


def track_variable(variable):
    """Register `variable` (weakly) for `memory_report()`; it needs `_uid`, `device`, `name`,
    `shape`, `dtype` and `_nbytes` attributes."""
    _live[variable._uid] = variable


def live_variables():
    """The variables alive now, oldest first."""
    return [v for _, v in sorted(_live.items(), key=lambda kv: kv[0])]


def find_device(device):
    """The Device that `device` names ('GPU:0', '/device:CPU:1', a full name, a DeviceSpec or a
    LogicalDevice); ValueError when there is none."""
    text = device if isinstance(device, str) else getattr(device, "name", None)
    if text is None and hasattr(device, "to_string"):
        text = device.to_string()
    if not isinstance(text, str):
        raise ValueError(f"Expected a device name such as 'CPU:0' or 'GPU:0', got {device!r}.")
    spec = _spec.DeviceSpec.from_string(text)
    if spec.device_type is not None and spec.job in (None, "localhost") and spec.task in (None, 0) \
            and spec.replica in (None, 0):
        found = registry.get_device(f"{registry.LOCAL_PREFIX}/device:{spec.device_type}:{spec.device_index or 0}")
        if found is not None:
            return found
    known = ", ".join(d.name for d in registry.devices())
    raise ValueError(f"No device matches {text!r}. Known devices: {known}. "
                     f"Use a name from ef.config.list_logical_devices().")


def get_memory_info(device):
    """{'current': bytes, 'peak': bytes} held by variables on `device` (any device, not only GPUs).

    >>> v = ef.Variable(ef.zeros([256]))
    >>> ef.config.experimental.get_memory_info('CPU:0')['current'] >= 1024
    True
    """
    dev = find_device(device)
    with dev._lock:
        return {"current": dev.memory_current, "peak": dev.memory_peak}


def reset_memory_stats(device):
    """Set the peak of `device` back to its current usage.

    >>> ef.config.experimental.reset_memory_stats('CPU:0')
    """
    dev = find_device(device)
    with dev._lock:
        dev.memory_peak = dev.memory_current


class MemoryReport(list):
    """Rows (dicts with device, name, shape, dtype, bytes) of the live variables; prints as a table."""

    def total(self, device=None):
        """Bytes held by the listed variables, on all devices or on the one named."""
        name = None if device is None else find_device(device).name
        return sum(r["bytes"] for r in self if name is None or r["device"] == name)

    def __str__(self):
        if not self:
            return "No live variables."
        rows = [("device", "name", "shape", "dtype", "bytes")]
        rows += [(r["device"], r["name"], str(r["shape"]), r["dtype"], str(r["bytes"])) for r in self]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        lines = ["  ".join(c.rjust(w) if i == 4 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                 for row in rows]
        by_device = {}
        for r in self:
            by_device[r["device"]] = by_device.get(r["device"], 0) + r["bytes"]
        lines += [f"total on {d}: {b} bytes" for d, b in by_device.items()]
        return "\n".join(lines)

    __repr__ = list.__repr__


def memory_report():
    """The live variables by device (in device order, then creation order): device, name, shape, dtype, bytes.

    >>> v = ef.Variable([1.0, 2.0], name="w")
    >>> print(ef.debugging.memory_report())  # doctest: +SKIP
    device                                         name  shape  dtype    bytes
    /job:localhost/replica:0/task:0/device:CPU:0   w:0   (2,)   float32      8
    total on /job:localhost/replica:0/task:0/device:CPU:0: 8 bytes
    """
    order = {d.name: i for i, d in enumerate(registry.devices())}
    rows = []
    for v in live_variables():
        try:
            rows.append({"device": v.device, "name": v.name, "shape": tuple(v._buf.shape),
                         "dtype": v.dtype.name, "bytes": int(v._nbytes)})
        except AttributeError:  # a variable whose __init__ failed part way
            continue
    rows.sort(key=lambda r: order.get(r["device"], len(order)))  # stable: creation order within a device
    return MemoryReport(rows)
