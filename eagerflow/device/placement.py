"""The placement decision (which device runs an op, and why), copies between devices, logging.

Rules, as TensorFlow's eager runtime:
- an op under a `device()` scope runs on the scope's device;
- otherwise on the default device for its dtype: the first GPU when one exists and has a kernel
  for the dtype, else CPU:0 (so strings always run on the CPU);
- a variable's own ops run on the variable's device, whatever the scope;
- a scope naming a missing device, or one with no kernel for the dtype, falls back to CPU:0
  when soft placement is on, and raises InvalidArgumentError when it is off.
Inputs living elsewhere are copied to the chosen device; each copy is counted per device pair.
"""

import contextlib
import functools
import threading

import numpy as np

from eagerflow import errors
from eagerflow.device import context, registry
from eagerflow.device import spec as _spec

__all__ = ["place", "copy_to", "copy_input", "log_op", "copy_stats", "reset_copy_stats",
           "SCOPE", "INPUT", "DTYPE_DEFAULT", "FALLBACK"]



def __getattr__(name):
    # `placement.logger`, the `eagerflow.placement` logger: `logging` is imported on first use, since only
    # placement logs and transfer warnings need it and `import eagerflow` stays fast
    if name == "logger":
        import logging
        return logging.getLogger("eagerflow.placement")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

SCOPE = "scope"
INPUT = "input"
DTYPE_DEFAULT = "dtype default"
FALLBACK = "soft fallback"


_MAX_DEVICE_INDEX = 2 ** 64  # TF parses a device index as a uint64: a larger one is a malformed name
_defaults = {}  # dtype -> Device; the devices never change once initialized


def default_device(dtype):
    """The device an op of `dtype` runs on when no scope says otherwise: the first GPU that has
    kernels for the dtype, else CPU:0."""
    found = _defaults.get(dtype)
    if found is None:
        found = registry.cpu0()
        gpus = [d for d in registry.devices() if d.device_type == "GPU"]
        if gpus and (dtype is None or gpus[0].supports(dtype)):
            found = gpus[0]
        _defaults[dtype] = found
    return found


def _is_local(spec):
    return spec.job in (None, "localhost") and spec.replica in (None, 0) and spec.task in (None, 0)


def _resolve(scope_string):
    """The Device a (merged) scope string names, or None when it names none on this machine or task."""
    return _resolve_in(scope_string, registry.generation())


@functools.lru_cache(maxsize=256)
def _resolve_in(scope_string, generation):
    spec = _spec.DeviceSpec.from_string(scope_string)
    if spec.device_index is not None and not 0 <= spec.device_index < _MAX_DEVICE_INDEX:
        raise errors.InvalidArgumentError(
            None, None, f"Malformed device specification {scope_string!r}: the device index {spec.device_index} does "
            f"not fit a 64-bit unsigned integer. Use an index from ef.config.list_logical_devices().")
    if not _is_local(spec):  # a device of another task: one registered here (a parameter server's), or none
        if spec.device_type not in (None, "CPU"):
            return None
        return registry.get_device(f"/job:{spec.job}/replica:{spec.replica or 0}/task:{spec.task or 0}"
                                   f"/device:CPU:{spec.device_index or 0}")
    if spec.device_type is None:
        return None
    name = f"{registry.LOCAL_PREFIX}/device:{spec.device_type}:{spec.device_index or 0}"
    return registry.get_device(name)


def place(op_name, dtype, variable_device=None):
    """(device, reason) for running `op_name` on `dtype` values in the current context.

    The reason starts with one of SCOPE, INPUT, DTYPE_DEFAULT or FALLBACK; a fallback also says
    what was asked for and why it could not be used (the text `explain=True` logs show).

    >>> with ef.device("CPU:0"):
    ...     place("AddV2", ef.float32)[1]
    'scope'
    """
    if variable_device is not None:
        return variable_device, INPUT
    scope = context.current_device_spec()
    if not scope:
        return default_device(dtype), DTYPE_DEFAULT
    dev = _resolve(scope)
    if dev is not None and (dtype is None or dev.supports(dtype)):
        if not dev.remote:
            return dev, SCOPE
        if context.soft_placement_on():  # another task's device holds variables only: ops run in this process
            return registry.cpu0(), f"{FALLBACK}: {dev.name} is a device of another task (it holds variables only)"
    spec = _spec.DeviceSpec.from_string(scope)
    local = _is_local(spec)
    if not local:  # as TF, soft placement or not: another task's device cannot run an op of this one
        known = ", ".join(d.name for d in registry.devices())
        raise errors.InvalidArgumentError(
            None, op_name,
            f"Cannot assign a device for operation {op_name}: {scope!r} names a device of another task, and this "
            f"process is /job:localhost/replica:0/task:0 (its devices: {known}). Drop the job/replica/task from the "
            f"device name, or run the op in that task.")
    if spec.device_type is None:
        return default_device(dtype), DTYPE_DEFAULT  # a scope naming only /job:localhost etc.
    if dev is None:
        why = f"no device {scope} exists on this machine"
    else:
        why = f"{dev.name} has no kernel for dtype {dtype.name}"
    if context.soft_placement_on():
        target = default_device(dtype) if spec.device_type is None else registry.cpu0()
        return target, f"{FALLBACK}: {why}"
    known = ", ".join(d.name for d in registry.devices())
    raise errors.InvalidArgumentError(
        None, op_name,
        f"Cannot assign a device for operation {op_name}: {scope!r} was requested but {why}. "
        f"Known devices: {known}. Turn soft placement on (ef.config.set_soft_device_placement(True)) "
        f"to fall back to the CPU, or choose an existing device.")


class _CopyStats:
    def __init__(self):
        self.lock = threading.Lock()
        self.pairs = {}  # (source name, target name) -> [copies, bytes]


_copies = _CopyStats()


def copy_to(value, source, target, out=None):
    """Copy array `value` from Device `source` to Device `target`: a new buffer on the target, or `out` (a
    NumPy buffer of the target of `value`'s shape and dtype, that nobody else uses: both devices CPUs of
    this process) refilled. A device of another task copies out itself (`value` is then what names its
    buffer there)."""
    if source.remote:
        copied = source.copy_out(value, target)
        _count(source, target, int(copied.nbytes))
        return copied
    nbytes = int(value.nbytes)
    _guard(value, source, target, nbytes)
    if out is not None:
        if not (type(out) is type(value) is np.ndarray and out.shape == value.shape and out.dtype == value.dtype
                and source.array_type is target.array_type is np.ndarray):
            raise ValueError(f"copy_to(out=...) refills a NumPy buffer of the value's shape and dtype between CPU "
                             f"devices; got out {type(out).__name__} for {type(value).__name__} from {source.name} "
                             f"to {target.name}. Leave out=None for a new buffer.")
        np.copyto(out, value)
        _count(source, target, nbytes)
        return out
    if source.backend is target.backend or source.array_type is target.array_type and source.xp is target.xp:
        copied = target.backend.copy(value)
    else:
        copied = target.backend.from_host(source.backend.to_host(value))
    _count(source, target, nbytes)
    return copied


def _guard(value, source, target, nbytes):
    """This thread's transfer guard on one copy: a warning ("log") or InvalidArgumentError ("disallow")."""
    guard = context.thread_state().transfer_guard
    if guard != "allow":
        message = (f"Implicit copy of {nbytes} bytes (shape {tuple(value.shape)}, dtype {value.dtype}) "
                   f"from {source.name} to {target.name}")
        if guard == "disallow":
            raise errors.InvalidArgumentError(
                None, None, message + " is disallowed by transfer_guard('disallow'). Create the value on "
                "the target device, or allow transfers for this block.")
        __getattr__("logger").warning(message)


# Under the explicit policies these ops still copy: they are how TF says "copy this tensor there".
_COPYING_OPS = frozenset({"Identity", "IdentityN"})


def copy_input(op, index, tensor, target):
    """Input `index` of `op` (a Tensor on another device) copied to `target`, the op's device, as this
    thread's device policy (`ef.config.experimental.set_device_policy`) allows."""
    policy = context.thread_state().device_policy
    if policy != "silent" and op not in _COPYING_OPS and not tensor._device.remote:
        text = (f"input #{index} was expected to be on {target.name} but is actually on "
                f"{tensor._device.name} (operation running on {target.name})")
        if policy == "warn":
            __getattr__("logger").warning("Copying %s of %s: %s.", "an input", op, text)
        elif not (policy == "silent_for_int32" and tensor._dtype.name == "int32"):
            raise errors.InvalidArgumentError(
                None, op, f"Tensors on conflicting devices: cannot compute {op} as {text}. Tensors can be copied "
                f"explicitly using: `with ef.device(device_name): x = ef.identity(x)` or transparently copied by "
                f"using ef.config.experimental.set_device_policy('silent').")
    return copy_to(tensor._value, tensor._device, target)


def _count(source, target, nbytes):
    with _copies.lock:
        entry = _copies.pairs.setdefault((source.name, target.name), [0, 0])
        entry[0] += 1
        entry[1] += nbytes


def copy_stats():
    """{(source, target): {'copies': n, 'bytes': n}} since the last reset."""
    with _copies.lock:
        return {pair: {"copies": c, "bytes": b} for pair, (c, b) in _copies.pairs.items()}


def reset_copy_stats():
    with _copies.lock:
        _copies.pairs.clear()


# TF's eager runtime keeps the tensors it makes of Python scalars (int, float, bool), keyed by value, type, dtype
# and device: such a scalar's _EagerConst is logged on its first use only
_logged_scalars = set()
_PY_SCALARS = (int, float, bool)


def log_constant(device, value=None, dtype=None, made=None):
    """Log the _EagerConst that makes `value` a tensor on `device`, as TF logs it: a Python scalar once per
    (value, dtype, device), anything else each time (only called when logging is on). One that a `logged_as`
    block leaves out of the log is not TF's: it is not remembered either."""
    names = getattr(_aliases, "names", None)
    if names is not None and "_EagerConst" in names and names["_EagerConst"] is None:
        return
    if type(value) in _PY_SCALARS:
        key = (value, type(value), dtype, device.name)
        if key in _logged_scalars:
            return
        if len(_logged_scalars) >= 65536:  # bound the memory; TF's cache would go on saying nothing
            _logged_scalars.clear()
        _logged_scalars.add(key)
    made = None if made is None else (made,)  # the dtype name of the tensor made, for its function's nodes
    log_op("_EagerConst", device, DTYPE_DEFAULT, made, made or ())


class _EveryOpUnlogged(dict):
    """The names of `logged_as` that leave every op out of the log (inside a host event, which TF runs as one op)."""

    def __contains__(self, op_name):
        return True

    def __missing__(self, op_name):
        return None


EVERY_OP_UNLOGGED = _EveryOpUnlogged()
_aliases = threading.local()  # .names: {eagerflow op: the TF op logged instead (None: not logged)} in a block


@contextlib.contextmanager
def logged_as(names):
    """Within the block, log eagerflow's ops under the names of the one TF op they stand for (`sparse_read`'s
    ReadVariableOp + GatherV2 is TF's ResourceGather: {"ReadVariableOp": None, "GatherV2": "ResourceGather"});
    a (name, dtype names of its inputs) pair gives the TF op's inputs where eagerflow's op has others (for the
    nodes of its function)."""
    outer = getattr(_aliases, "names", None)
    _aliases.names = names
    try:
        yield
    finally:
        _aliases.names = outer


def log_op(op_name, device, reason, inputs=None, outputs=(), attrs=None):
    """Log one op's placement in TF's wording (only called when logging is on). Given the dtype names of its
    inputs and outputs (and its attrs), the nodes of the op's function come first when TF would make it now
    (device/placer_log.py)."""
    names = getattr(_aliases, "names", None)
    if names is not None and op_name in names:
        op_name = names[op_name]
        if op_name is None:
            return
        if type(op_name) is tuple:  # the TF op and the dtype names of its inputs
            op_name, inputs = op_name
        elif inputs:  # the TF op eagerflow's stands for takes its first input; the rest may differ
            inputs = inputs[:1]
    logger = __getattr__("logger")
    if inputs is not None and context.settings.placer_lines:
        from eagerflow.device import placer_log
        placer_log.log_function_of_op(op_name, device, inputs, outputs, attrs, logger)
    if context.placement_logging()[1]:
        logger.info("Executing op %s in device %s (%s)", op_name, device.name, reason)
    else:
        logger.info("Executing op %s in device %s", op_name, device.name)
