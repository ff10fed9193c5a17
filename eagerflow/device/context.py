"""Per-thread execution context: the device scope stack, active recorders (tapes), and switches.

`switches.active` counts, process-wide, every setting that needs the execute path's slow path
(a device scope, placement logging, an active tape, a transfer guard). While it is zero, ops
skip placement, logging and recording entirely; that single integer test is what keeps small
ops cheap. Each setting is entered and left in pairs (`enable()` / `disable()`).
"""

import contextlib
import threading

from eagerflow.device import spec as _spec

__all__ = ["switches", "thread_state", "device", "current_device_spec", "soft_placement",
           "set_soft_device_placement", "get_soft_device_placement", "transfer_guard", "TRANSFER_GUARD_MODES"]


class _Switches:
    __slots__ = ("active", "_lock")

    def __init__(self):
        self.active = 0
        self._lock = threading.Lock()

    def enable(self):
        with self._lock:
            self.active += 1

    def disable(self):
        with self._lock:
            self.active -= 1


switches = _Switches()


class _ThreadState(threading.local):
    def __init__(self):
        self.device_stack = []   # merged device strings, innermost last ('' = no device)
        self.recorders = []      # active tapes, innermost last
        self.transfer_guard = "allow"
        self.name_scope = ""     # prefix for new variable names, e.g. 'dense/' (set by ef.name_scope)


_state = _ThreadState()


def thread_state():
    return _state


class _Settings:
    soft_placement = True
    log_placement = False
    log_explain = False


settings = _Settings()


def current_device_spec():
    """The merged device string of the innermost `device()` scope of this thread, or ''."""
    stack = _state.device_stack
    return stack[-1] if stack else ""


@contextlib.contextmanager
def device(device_name):
    """Run the ops of the block on `device_name` ('CPU:0', '/GPU:1', a DeviceSpec, or None).

    Scopes nest as in TF: fields the inner name leaves out come from the outer scope, and
    `device(None)` clears the scope. Variables keep the device they were created on.

    >>> with ef.device('CPU:0'):
    ...     x = ef.constant([1.0])
    >>> x.device
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    if device_name is not None and not isinstance(device_name, str):
        to_string = getattr(device_name, "to_string", None)
        if to_string is None:
            name = getattr(device_name, "name", None)  # a LogicalDevice
            if not isinstance(name, str):
                raise ValueError(f"Expected a device name string, a DeviceSpec or None, got {device_name!r}.")
            device_name = name
        else:
            device_name = to_string()
    merged = "" if device_name is None else _spec.merge_device_scopes(current_device_spec(), device_name)
    _state.device_stack.append(merged or "")
    switches.enable()
    try:
        yield
    finally:
        switches.disable()
        _state.device_stack.pop()


def set_soft_device_placement(enabled):
    """Whether ops asked to run on a missing device (or one without a kernel) fall back to the CPU.

    >>> old = ef.config.get_soft_device_placement()
    >>> ef.config.set_soft_device_placement(False); ef.config.get_soft_device_placement()
    False
    >>> ef.config.set_soft_device_placement(old)
    """
    settings.soft_placement = bool(enabled)


def get_soft_device_placement():
    """Whether soft device placement is on (see `set_soft_device_placement`).

    >>> ef.config.get_soft_device_placement()   # on by default, as in TF's eager mode
    True
    """
    return settings.soft_placement


@contextlib.contextmanager
def soft_placement(enabled):
    """Soft placement on or off for a block (beyond TF, which only has the global switch)."""
    old = settings.soft_placement
    settings.soft_placement = bool(enabled)
    try:
        yield
    finally:
        settings.soft_placement = old


TRANSFER_GUARD_MODES = ("allow", "log", "disallow")


@contextlib.contextmanager
def transfer_guard(mode):
    """Guard implicit copies between devices in this thread for one block.

    "allow" (the default) copies silently, "log" copies and logs a warning on the
    `eagerflow.placement` logger, "disallow" raises InvalidArgumentError instead of copying.

    >>> x = ef.constant([1.0])
    >>> with ef.debugging.transfer_guard("disallow"):
    ...     y = x + 1          # fine: x is already on the op's device
    """
    if mode not in TRANSFER_GUARD_MODES:
        raise ValueError(f"Unknown transfer guard mode {mode!r}: use one of {', '.join(TRANSFER_GUARD_MODES)}.")
    old = _state.transfer_guard
    _state.transfer_guard = mode
    switches.enable()  # the fast path never copies, but keep every guarded op on the checked path
    try:
        yield
    finally:
        switches.disable()
        _state.transfer_guard = old
