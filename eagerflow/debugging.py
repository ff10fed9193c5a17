"""`ef.debugging`: placement logging, copy and memory accounting, the transfer guard.

>>> x = ef.Variable([1.0, 2.0])
>>> with ef.debugging.log_device_placement(explain=True):      # for one block, or any time with
...     y = x * 2                                              # set_log_device_placement(True)
>>> ef.debugging.reset_copy_stats(); ef.debugging.copy_stats()   # copies per (source, target)
{}
>>> print(ef.debugging.memory_report())                          # doctest: +ELLIPSIS
device ... name ... shape ... dtype ... bytes
...
"""

import contextlib
import logging

from eagerflow import tf_logging
from eagerflow.device import context, memory, placement
from eagerflow.device.context import transfer_guard  # noqa: F401
from eagerflow.device.memory import memory_report  # noqa: F401
from eagerflow.ops.check_ops import *  # noqa: F401,F403
from eagerflow.ops.check_ops import __all__ as _check_all

__all__ = ["set_log_device_placement", "log_device_placement", "get_log_device_placement", "copy_stats",
           "reset_copy_stats", "transfer_guard", "memory_report", "memory_info"] + list(_check_all)

_handler = None


def set_log_device_placement(enabled, explain=False):
    """Log the device of every op (`Executing op MatMul in device ...`), from now on.

    Unlike TF, this may be switched on and off at any time. Lines go to the logger
    `eagerflow.placement` at INFO level; when no handler would show them (no handler on it or
    on the root logger), one printing to stderr is added. `explain=True` adds why each device
    was chosen: scope, input (the variable's own device), dtype default, or soft fallback.

    >>> ef.debugging.set_log_device_placement(True)
    >>> y = ef.constant([1.0]) + 1    # logs: Executing op AddV2 in device /job:localhost/...CPU:0
    >>> ef.debugging.set_log_device_placement(False)
    """
    enabled = bool(enabled)
    context.switches.set_global("log_placement", enabled)  # counted once, under the switches' lock
    context.settings.log_explain = bool(explain) and enabled
    if enabled:
        if context.settings.placer_lines is None:
            # TF's placer reads the setting once, as its context starts (with the first tensor): turned on later,
            # only the "Executing op" lines follow
            from eagerflow.framework import execute
            context.settings.placer_lines = not execute.tensor_made
        _show_lines()


def _show_lines():
    """Make the placement lines visible: a stderr handler when no handler would show them, INFO level."""
    global _handler
    logger = placement.logger
    if _handler is None and not tf_logging.user_handlers_for(logger):
        _handler = logging.StreamHandler()
        _handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(_handler)
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


def get_log_device_placement():
    """Whether placement logging is on in this thread (a block of this thread, else the global setting).

    >>> with ef.debugging.log_device_placement():
    ...     ef.debugging.get_log_device_placement()
    True
    """
    return context.placement_logging()[0]


@contextlib.contextmanager
def log_device_placement(explain=False):
    """Log placements for one block of this thread only (other threads keep their setting).

    >>> with ef.debugging.log_device_placement(explain=True):
    ...     y = ef.constant([1.0]) * 2   # logs: Executing op Mul in device ...CPU:0 (dtype default)
    """
    _show_lines()
    with context.logging_block(explain):
        yield


def copy_stats():
    """Copies between devices since the last reset: {(source, target): {'copies': n, 'bytes': n}}.

    Device names are the full TF names. Copies of op inputs to the op's device, of values
    assigned to variables on another device, and of initial values are all counted.

    >>> ef.debugging.reset_copy_stats()
    >>> ef.debugging.copy_stats()
    {}
    """
    return placement.copy_stats()


def reset_copy_stats():
    """Forget the copies counted so far (see `copy_stats`).

    >>> ef.debugging.reset_copy_stats(); ef.debugging.copy_stats()
    {}
    """
    placement.reset_copy_stats()


def memory_info(device):
    """Same as `ef.config.experimental.get_memory_info(device)`.

    >>> sorted(ef.debugging.memory_info("CPU:0"))
    ['current', 'peak']
    """
    return memory.get_memory_info(device)
