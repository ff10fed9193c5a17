"""The `eagerflow` logger: warnings eagerflow logs where TF logs through its `tensorflow` logger.

As TF's `tf.get_logger()`, the logger gets a stderr handler printing `WARNING:eagerflow:<message>`
the first time something is logged, unless the application configured logging first (a handler on
the root logger or on `eagerflow`); `ef.get_logger().setLevel(logging.ERROR)` silences it.

>>> ef.get_logger().name
'eagerflow'
"""

import sys

__all__ = ["get_logger", "info", "warning", "user_handlers_for"]

_handler = None  # eagerflow's own stderr handler, once added (`logging` is imported on first use)


def _own_handler(logging, logger):
    """The handler eagerflow adds itself: it shows the `eagerflow` logger's own records only (the
    placement log, a child logger, keeps its own format and handler)."""

    class OwnHandler(logging.StreamHandler):
        def filter(self, record):
            return record.name == logger.name and super().filter(record)

    handler = OwnHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT))
    return handler


def get_logger():
    """The logger eagerflow's warnings go to (TF's `tf.get_logger()`).

    >>> import logging
    >>> ef.get_logger().getEffectiveLevel() <= logging.WARNING
    True
    """
    import logging

    global _handler
    logger = logging.getLogger("eagerflow")
    if _handler is None and not logging.getLogger().handlers and not logger.handlers:
        _handler = _own_handler(logging, logger)
        logger.addHandler(_handler)
    return logger


def warning(message):
    """Log `message` at WARNING level on the eagerflow logger (TF's `tf_logging.warning`).

    >>> from eagerflow import tf_logging
    >>> tf_logging.warning("printed on stderr as WARNING:eagerflow:... unless logging is configured")
    """
    get_logger().warning(message)


def info(message, *args):
    """Log `message % args` at INFO level on the eagerflow logger (TF's `tf_logging.info`): shown where the
    level allows INFO (as `ef.test.main` sets it); elsewhere nothing happens, not even the handler's set-up.

    >>> from eagerflow import tf_logging
    >>> tf_logging.info("time(%s): %ss", "a test", 0.0)  # below the default WARNING level: not shown
    """
    import logging

    if logging.getLogger("eagerflow").isEnabledFor(logging.INFO):
        get_logger().info(message, *args, stacklevel=2)  # the caller, not this wrapper, is where it was logged


def user_handlers_for(logger):
    """Whether a handler other than eagerflow's own would show `logger`'s records."""
    while logger is not None:
        if any(h is not _handler for h in logger.handlers):
            return True
        if not logger.propagate:
            return False
        logger = logger.parent
    return False
