"""`ef.debugging`: placement logging and inspection."""

import contextlib
import logging

from eagerflow.device import context, placement

__all__ = ["set_log_device_placement", "log_device_placement"]

_handler = None


def set_log_device_placement(enabled, explain=False):
    """Log every op's device (`Executing op MatMul in device ...`), from now on; any time, not only at start.

    Lines go to the `eagerflow.placement` logger; when nothing else handles it, they are printed to
    stderr. `explain=True` adds why each device was chosen.
    """
    global _handler
    enabled = bool(enabled)
    if enabled != context.settings.log_placement:
        (context.switches.enable if enabled else context.switches.disable)()
    context.settings.log_placement = enabled
    context.settings.log_explain = bool(explain) and enabled
    logger = placement.logger
    if enabled and _handler is None and not logger.handlers:
        _handler = logging.StreamHandler()
        _handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(_handler)
    if enabled and logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)


@contextlib.contextmanager
def log_device_placement(explain=False):
    """Log placements for one block only."""
    old = (context.settings.log_placement, context.settings.log_explain)
    set_log_device_placement(True, explain=explain)
    try:
        yield
    finally:
        set_log_device_placement(old[0], explain=old[1])
