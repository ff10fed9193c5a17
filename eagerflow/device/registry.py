"""Physical and logical devices.

Physical devices come from the backends (NumPy: one CPU; CuPy: one per visible GPU). Each
physical device is split into one or more logical devices (`set_logical_device_configuration`);
a logical device is what tensors live on and ops run on: it owns a bound kernel table and its
memory accounting. The devices are created on first use and fixed from then on, as in TF.
"""

import threading

from eagerflow import errors
from eagerflow.device.spec import DeviceSpec

__all__ = ["Device", "PhysicalDevice", "LogicalDevice", "LogicalDeviceConfiguration",
           "devices", "get_device", "cpu0", "list_physical_devices", "list_logical_devices",
           "set_logical_device_configuration", "get_logical_device_configuration", "initialized",
           "set_visible_devices", "get_visible_devices", "backends",
           "register_backend", "register_remote_device", "remove_remote_device", "remote_devices", "generation"]

LOCAL_PREFIX = "/job:localhost/replica:0/task:0"


class PhysicalDevice:
    """A device found on this machine (`ef.config.list_physical_devices()`).

    >>> cpu = ef.config.list_physical_devices("CPU")[0]
    >>> cpu.name, cpu.device_type
    ('/physical_device:CPU:0', 'CPU')
    """

    __slots__ = ("name", "device_type", "backend", "backend_index")

    def __init__(self, name, device_type, backend, backend_index):
        self.name = name
        self.device_type = device_type
        self.backend = backend
        self.backend_index = backend_index

    def __repr__(self):
        return f"PhysicalDevice(name='{self.name}', device_type='{self.device_type}')"

    def __eq__(self, other):
        return isinstance(other, PhysicalDevice) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class LogicalDevice:
    """A device ops can run on (`ef.config.list_logical_devices()`), as TF's namedtuple.

    >>> cpu = ef.config.list_logical_devices("CPU")[0]
    >>> cpu.name, cpu.device_type
    ('/device:CPU:0', 'CPU')
    """

    __slots__ = ("name", "device_type")

    def __init__(self, name, device_type):
        self.name = name
        self.device_type = device_type

    def __repr__(self):
        return f"LogicalDevice(name='{self.name}', device_type='{self.device_type}')"

    def __eq__(self, other):
        return isinstance(other, LogicalDevice) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class LogicalDeviceConfiguration:
    """The configuration of one logical device carved out of a physical one.

    >>> ef.config.LogicalDeviceConfiguration(memory_limit=1024)
    LogicalDeviceConfiguration(memory_limit=1024, experimental_priority=None, experimental_device_ordinal=None)
    """

    def __init__(self, memory_limit=None, experimental_priority=None, experimental_device_ordinal=None):
        self.memory_limit = memory_limit
        self.experimental_priority = experimental_priority
        self.experimental_device_ordinal = experimental_device_ordinal

    def __repr__(self):
        return (f"LogicalDeviceConfiguration(memory_limit={self.memory_limit}, "
                f"experimental_priority={self.experimental_priority}, "
                f"experimental_device_ordinal={self.experimental_device_ordinal})")

    def __eq__(self, other):
        return isinstance(other, LogicalDeviceConfiguration) and vars(self) == vars(other)


class Device:
    """A logical device: where buffers live and kernels run.

    `kernels` maps TF op names to functions of arrays (the backend's table bound to its array
    module), `typed_kernels[dtype._index]` the same less the ops TF has no kernel for; `fast` is
    True when ops without a scope land here anyway, so the execute path may skip placement for
    inputs that all live here.
    """

    __slots__ = ("name", "spec", "device_type", "index", "backend", "xp", "kernels", "typed_kernels", "array_type",
                 "fast", "memory_current", "memory_peak", "memory_limit", "_lock", "__weakref__")
    remote = False  # a device of this process; a device of another task (device/remote.py) says True

    def __init__(self, name, device_type, index, backend, memory_limit=None):
        self.name = name
        self.spec = DeviceSpec.from_string(name)
        self.device_type = device_type
        self.index = index
        self.backend = backend
        self.xp = backend.xp
        self.kernels = backend.kernels
        self.typed_kernels = backend.typed_kernels  # per dtype: the kernels TF has for it
        self.array_type = backend.array_type
        self.fast = False
        self.memory_current = 0
        self.memory_peak = 0
        self.memory_limit = memory_limit
        self._lock = threading.Lock()

    def supports(self, dtype):
        """Whether this device has kernels for `dtype` (strings live only on the CPU)."""
        return self.backend.supports(dtype)

    def allocated(self, nbytes):
        with self._lock:
            self.memory_current += nbytes
            if self.memory_current > self.memory_peak:
                self.memory_peak = self.memory_current

    def released(self, nbytes):
        with self._lock:
            self.memory_current -= nbytes

    def free_memory(self):
        """Bytes a new buffer may take here (None when unknown): what the backend reports free, within
        this logical device's `memory_limit` (MiB, less what its variables hold) when one was set."""
        free = self.backend.free_memory()
        if self.memory_limit is not None:
            left = max(int(self.memory_limit) * 2 ** 20 - self.memory_current, 0)
            free = left if free is None else min(free, left)
        return free

    def __repr__(self):
        return f"<Device {self.name}>"


_backends = []          # registered backend modules, CPU first
_configs = {}           # physical device name -> [LogicalDeviceConfiguration]
_visible = None         # names of the physical devices the process may use (set_visible_devices); None: all
_devices = None         # full name -> Device, once initialized
_ordered = ()           # the Devices in listing order
_cpu0 = None
_init_lock = threading.RLock()
_remote = {}            # full name -> RemoteDevice: devices of other tasks (parameter servers), added at any time
_generation = [0]       # bumped when the remote devices change: cached lookups of device names key on it


def register_backend(backend):
    """Add a backend: an object with `device_type`, `count()` and `for_device(index)`.

    Backends register themselves when `eagerflow.backends` is imported (the GPU backend only
    where CuPy is installed); the devices layer never imports them.
    """
    with _init_lock:
        if _devices is not None:
            raise RuntimeError("Backends must be registered before devices are initialized.")
        _backends.append(backend)


def list_physical_devices(device_type=None):
    """Physical devices, optionally of one type ('CPU', 'GPU').

    >>> ef.config.list_physical_devices('CPU')
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    found = []
    for backend in _backends:
        for i in range(backend.count()):
            found.append(PhysicalDevice(f"/physical_device:{backend.device_type}:{i}",
                                        backend.device_type, backend, i))
    if device_type is not None:
        found = [d for d in found if d.device_type == device_type]  # exactly, as TF: 'cpu' lists nothing
    return found


def backends():
    """The registered backend modules, CPU first."""
    return tuple(_backends)


def get_visible_devices(device_type=None):
    """The physical devices this process may use, optionally of one type (every device, unless
    `set_visible_devices` hid some). The type is matched exactly, as TF does ('CPU', not 'cpu').

    >>> ef.config.get_visible_devices('CPU')
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    >>> ef.config.get_visible_devices('GPU')
    []
    """
    found = [d for d in list_physical_devices() if _visible is None or d.name in _visible]
    return found if device_type is None else [d for d in found if d.device_type == device_type]


def set_visible_devices(devices, device_type=None):
    """Make only `devices` (PhysicalDevices) visible: of `device_type` when given (devices of other types stay
    as they are), of every type otherwise. Only before the devices are initialized (the first op or
    variable); after that, RuntimeError, unless nothing changes. The logical devices of the visible
    physical ones are what ops can run on; hiding every CPU leaves no device to run on (NotFoundError at
    the first op, as TF).

    >>> gpus = ef.config.list_physical_devices('GPU')
    >>> ef.config.set_visible_devices(gpus, 'GPU')  # all of them, as they are: allowed at any time
    """
    global _visible
    if not isinstance(devices, list):
        devices = [devices]
    physical = list_physical_devices()
    for d in devices:
        if d not in physical or (device_type is not None and d.device_type != device_type):
            raise ValueError(f"Unrecognized device: {d!r}. Pass PhysicalDevices of "
                             f"ef.config.list_physical_devices({'' if device_type is None else repr(device_type)}).")
    with _init_lock:
        kept = [] if device_type is None else [d for d in get_visible_devices() if d.device_type != device_type]
        names = [d.name for d in kept + devices]
        if names == [d.name for d in get_visible_devices()]:
            return
        if _devices is not None:
            raise RuntimeError("Visible devices cannot be modified after being initialized (an op or a variable "
                               "has already run). Set them at the start of the program.")
        _visible = frozenset(names)


def set_logical_device_configuration(device, logical_devices):
    """Split physical `device` into logical devices; only before the devices are initialized.

    >>> cpu = ef.config.list_physical_devices("CPU")[0]
    >>> ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)  # doctest: +SKIP
    >>> len(ef.config.list_logical_devices("CPU"))  # doctest: +SKIP
    2
    """
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"Expected a PhysicalDevice from list_physical_devices(), got {device!r}.")
    with _init_lock:
        if _devices is not None:
            raise RuntimeError("Virtual devices cannot be modified after being initialized "
                               "(an op or a variable has already run). Configure devices at the start "
                               "of the program.")
        if logical_devices is None:
            _configs.pop(device.name, None)
            return
        logical_devices = list(logical_devices)
        if not logical_devices:
            raise ValueError(f"Give at least one LogicalDeviceConfiguration for {device.name}.")
        _configs[device.name] = logical_devices


def get_logical_device_configuration(device):
    """The `LogicalDeviceConfiguration`s set for physical `device`, or None when it was not split.

    >>> print(ef.config.get_logical_device_configuration(ef.config.list_physical_devices("CPU")[0]))
    None
    """
    return list(_configs[device.name]) if device.name in _configs else None


def initialized():
    return _devices is not None


def _initialize():
    global _devices, _ordered, _cpu0
    with _init_lock:
        if _devices is not None:
            return
        if not any(p.device_type == "CPU" for p in list_physical_devices()):
            raise RuntimeError("No CPU backend is registered: import eagerflow.backends first.")
        physical = get_visible_devices()
        if not any(p.device_type == "CPU" for p in physical):
            raise errors.NotFoundError(
                None, None, "No CPU devices are available in this process: set_visible_devices() hid them. Make "
                "the CPU visible again: ef.config.set_visible_devices(ef.config.list_physical_devices('CPU'), 'CPU').")
        ordered = []
        for ptype in ("CPU", "GPU"):
            index = 0
            for p in physical:
                if p.device_type != ptype:
                    continue
                for cfg in _configs.get(p.name, [None]):
                    name = f"{LOCAL_PREFIX}/device:{ptype}:{index}"
                    limit = cfg.memory_limit if cfg is not None else None
                    ordered.append(Device(name, ptype, index, p.backend.for_device(p.backend_index), limit))
                    index += 1
        by_name = {d.name: d for d in ordered}
        cpu0 = by_name[f"{LOCAL_PREFIX}/device:CPU:0"]
        gpus = [d for d in ordered if d.device_type == "GPU"]
        (gpus[0] if gpus else cpu0).fast = True
        _ordered = tuple(ordered)
        _cpu0 = cpu0
        _devices = by_name


def devices():
    """All logical devices, CPUs first, in index order."""
    if _devices is None:
        _initialize()
    return _ordered


def cpu0():
    if _devices is None:
        _initialize()
    return _cpu0


def get_device(name):
    """The Device with fully qualified `name` (of this process, or a registered device of another task), or None
    when no such device exists."""
    if _devices is None:
        _initialize()
    found = _devices.get(name)
    return _remote.get(name) if found is None else found


def register_remote_device(device):
    """Add a device of another task (a parameter server's CPU) under its full name; unlike this process's
    devices, these come and go while the program runs."""
    with _init_lock:
        if device.name in _remote and _remote[device.name] is not device:
            raise ValueError(f"A device named {device.name!r} is already registered; remove it first.")
        _remote[device.name] = device
        _generation[0] += 1


def remove_remote_device(device):
    with _init_lock:
        if _remote.get(device.name) is device:
            del _remote[device.name]
            _generation[0] += 1


def remote_devices():
    """The registered devices of other tasks, in registration order."""
    return tuple(_remote.values())


def generation():
    return _generation[0]


def list_logical_devices(device_type=None):
    """Logical devices, optionally of one type. Initializes the devices, as in TF.

    >>> ef.config.list_logical_devices("CPU")[0]
    LogicalDevice(name='/device:CPU:0', device_type='CPU')
    """
    # named as TF lists them: without this task's /job:localhost/replica:0/task:0 prefix
    found = [LogicalDevice(d.name[len(LOCAL_PREFIX):], d.device_type) for d in devices()]
    if device_type is not None:
        found = [d for d in found if d.device_type == device_type]  # exactly, as TF: 'cpu' lists nothing
    return found
