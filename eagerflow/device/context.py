"""Per-thread execution context: the device scope stack, active recorders (tapes), and switches.

`switches.active` counts, process-wide, everything that may need the execute path's slow path or
its recording: global settings (placement logging switched on), and every thread's blocks (device
scopes, transfer guards, logging blocks) and tapes. While it is zero, ops skip placement, logging
and recording entirely; that single integer test is what keeps small ops cheap. When it is not,
an op looks closer: `switches.globals` counts the global settings, and each thread's own
`thread_state().switched` its blocks, so one thread's scope or tape never slows another thread
down, nor changes what its ops do. Each setting is entered and left in pairs, under a lock, so
the counts never drop below the truth.
"""

import contextlib
import threading

from eagerflow.device import spec as _spec

__all__ = ["switches", "thread_state", "device", "current_device_spec", "soft_placement", "placement_logging",
           "soft_placement_on", "logging_block",
           "set_soft_device_placement", "get_soft_device_placement", "transfer_guard", "TRANSFER_GUARD_MODES",
           "DEVICE_POLICIES"]


class _Switches:
    __slots__ = ("active", "globals", "_lock")

    def __init__(self):
        self.active = 0   # everything, everywhere (a hint: zero means no op anywhere needs more than the kernel)
        self.globals = 0  # process-wide settings that need the slow path in every thread
        self._lock = threading.Lock()

    def enable(self):
        """A tape of this thread starts recording (it reads `thread_state().recorders`)."""
        with self._lock:
            self.active += 1

    def disable(self):
        with self._lock:
            self.active -= 1

    def enable_here(self):
        """A block of this thread (a device scope, a guard, a logging block) needs the slow path here."""
        with self._lock:
            self.active += 1
            _state.switched += 1

    def disable_here(self):
        with self._lock:
            self.active -= 1
            _state.switched -= 1

    def set_global(self, flag, on):
        """Switch process-wide setting `flag` (an attribute of `settings`) on or off, counted once."""
        with self._lock:
            if bool(getattr(settings, flag)) != bool(on):
                step = 1 if on else -1
                self.active += step
                self.globals += step
            setattr(settings, flag, on)


switches = _Switches()


class _ThreadState(threading.local):
    def __init__(self):
        self.device_stack = []   # merged device strings, innermost last ('' = no device)
        self.recorders = []      # active tapes, innermost last
        self.transfer_guard = "allow"
        self.name_scope = ""     # prefix for new variable names, e.g. 'dense/' (set by ef.name_scope)
        self.switched = 0        # this thread's blocks that need the slow path (see `switches`)
        self.scoped = 0          # of those, device scopes naming one device of this process (see `device`)
        self.scope_device = None  # the Device of the innermost such scope
        self.log_placement = None   # (on, explain) of this thread's innermost logging block, or None
        self.soft_placement = None  # this thread's innermost soft_placement() block, or None
        self.host_inputs = ()    # ids of the arrays a host event (execute.host_event) reads on purpose
        self.distribution = None     # this thread's strategy scope or replica (eagerflow/distribute), or None
        self.variable_creator = None  # while a strategy is in scope: makes its distributed variables
        self.device_policy = "silent"  # what an op does with an input on another device (set_device_policy)
        self.synchronous = True        # set_synchronous_execution: recorded; ops always run synchronously


_state = _ThreadState()


def thread_state():
    return _state


class _Settings:
    soft_placement = True
    log_placement = False
    log_explain = False
    placer_lines = None      # whether TF's placer prints its lines: fixed when logging is first turned on
    op_determinism = False   # enable_op_determinism(): the GPU backend avoids its order-dependent float kernels
    tensor_float_32 = True   # as TF: float32 matmuls on GPUs of compute capability 8.0+ may round inputs to TF32


settings = _Settings()


def placement_logging():
    """(on, explain): whether this thread logs placements now (its own block, else the global setting)."""
    local = _state.log_placement
    return local if local is not None else (settings.log_placement, settings.log_explain)


def soft_placement_on():
    """Whether soft placement is on in this thread (its own block, else the global setting)."""
    local = _state.soft_placement
    return settings.soft_placement if local is None else local


@contextlib.contextmanager
def logging_block(explain):
    """Log placements in this thread only, for one block (see `ef.debugging.log_device_placement`)."""
    old = _state.log_placement
    _state.log_placement = (True, bool(explain))
    switches.enable_here()
    try:
        yield
    finally:
        switches.disable_here()
        _state.log_placement = old


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
    # A scope naming one device of this process: while every block of the thread is such a scope, an op
    # whose inputs all live on the innermost one's device takes the execute fast path (it runs there anyway)
    target = _local_device(merged) if merged else None
    saved = _state.scope_device
    _state.device_stack.append(merged or "")
    switches.enable_here()
    if target is not None:
        _state.scoped += 1
        _state.scope_device = target
    try:
        yield
    finally:
        if target is not None:
            _state.scoped -= 1
        _state.scope_device = saved
        switches.disable_here()
        _state.device_stack.pop()


def _local_device(merged):
    """The Device of this process scope string `merged` names, or None (a partial or another task's name)."""
    from eagerflow.device import placement
    try:
        found = placement._resolve(merged)
    except Exception:  # noqa: BLE001 - a malformed name: the op's placement raises it, as before
        return None
    return None if found is None or found.remote else found


def set_soft_device_placement(enabled):
    """Whether ops asked to run on a missing device (or one without a kernel) fall back to the CPU.

    >>> old = ef.config.get_soft_device_placement()
    >>> ef.config.set_soft_device_placement(False); ef.config.get_soft_device_placement()
    False
    >>> ef.config.set_soft_device_placement(old)
    """
    with switches._lock:
        settings.soft_placement = bool(enabled)


def get_soft_device_placement():
    """Whether soft device placement is on (see `set_soft_device_placement`).

    >>> ef.config.get_soft_device_placement()   # on by default, as in TF's eager mode
    True
    """
    return soft_placement_on()


@contextlib.contextmanager
def soft_placement(enabled):
    """Soft placement on or off for a block of this thread only (beyond TF, which only has the global switch)."""
    old = _state.soft_placement
    _state.soft_placement = bool(enabled)
    try:
        yield
    finally:
        _state.soft_placement = old


TRANSFER_GUARD_MODES = ("allow", "log", "disallow")
# TF's device placement policies: copy inputs from other devices silently, with a warning, never (int32
# inputs excepted, for the last one)
DEVICE_POLICIES = ("silent", "warn", "explicit", "silent_for_int32")


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
    switches.enable_here()  # the fast path never copies, but keep every guarded op on the checked path
    try:
        yield
    finally:
        switches.disable_here()
        _state.transfer_guard = old
