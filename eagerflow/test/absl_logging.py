"""The log handler absl puts on the root logger of a TF test program, and what its flags change (without absl).

Under `tf.test.main()` every record that reaches the root logger (`tf.get_logger()`'s propagate there, besides
printing `INFO:tensorflow:...` with their own handler) is written to stderr by absl's handler with absl's
prefix, `I1203 17:08:31.724197 140472174160768 file.py:14] message`; the root's level follows
`--verbosity`/`-v` (-1 warning, 0 info, 1 debug, higher for finer levels; info unless given) and
`--logger_levels=name:LEVEL,...` sets the level of named loggers. `--showprefixforinfo=false` drops the prefix
of INFO records at verbosity 0. `--logtostderr`, `--alsologtostderr` and `--stderrthreshold` choose between
the handler's stream and stderr as absl's do; the stream is stderr (absl moves it to a file in `--log_dir` only
when a program asks with absl's own API, which TF's test runner does not), so all of them print on stderr.
"""

import logging
import sys
import threading
import time

__all__ = ["LogSettings", "AbslHandler", "install", "standard_level", "set_logger_levels"]

_THREAD_ID_MASK = 2 ** (8 * 8) - 1  # absl masks the thread id to a C unsigned long
# absl's verbosity -> Python's levels (below -3 is fatal; above 1 goes below DEBUG, one per step)
_ABSL_TO_STANDARD = {-3: logging.CRITICAL, -2: logging.ERROR, -1: logging.WARNING, 0: logging.INFO, 1: logging.DEBUG}
_THRESHOLD_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
                     "error": logging.ERROR, "fatal": logging.CRITICAL}


def standard_level(verbosity):
    """The Python logging level of an absl verbosity."""
    if verbosity <= 1:
        return _ABSL_TO_STANDARD[max(verbosity, -3)]
    return logging.DEBUG - (verbosity - 1)


class LogSettings:
    """The logging flags' values the handler reads as it writes (absl's handler reads its flags as well)."""

    def __init__(self):
        self.parsed = False
        self.verbosity = -1
        self.logtostderr = False
        self.alsologtostderr = False
        self.stderrthreshold = "fatal"
        self.showprefixforinfo = True


def _initial(level):
    if level < logging.WARNING:
        return "I"
    if level < logging.ERROR:
        return "W"
    return "E" if level < logging.CRITICAL else "F"


class _AbslFormatter(logging.Formatter):
    """absl's line: severity, date, time to the microsecond, thread id, file:line, then the message."""

    def __init__(self, settings, handler):
        super().__init__()
        self.settings, self.handler = settings, handler

    def format(self, record):
        plain_info = (not self.settings.showprefixforinfo and self.settings.verbosity == 0
                      and record.levelno == logging.INFO and self.handler.stream is sys.stderr)
        return ("" if plain_info else self._prefix(record)) + super().format(record)

    @staticmethod
    def _prefix(record):
        created = time.localtime(record.created)
        level, critical = record.levelno, ""
        if level >= logging.CRITICAL:  # a fatal record of a logger other than absl's is shown as an error
            level, critical = logging.ERROR, "CRITICAL - "
        return (f"{_initial(level)}{created.tm_mon:02d}{created.tm_mday:02d} {created.tm_hour:02d}:"
                f"{created.tm_min:02d}:{created.tm_sec:02d}.{int(record.created % 1.0 * 1e6):06d} "
                f"{threading.get_ident() & _THREAD_ID_MASK:5d} {record.filename}:{record.lineno}] {critical}")


class AbslHandler(logging.StreamHandler):
    """absl's root handler: its stream (stderr) and stderr, as the logging flags choose."""

    def __init__(self, settings):
        super().__init__(sys.stderr)
        self.settings = settings
        self._warned_before_parsing = False
        self.setFormatter(_AbslFormatter(settings, self))

    def _to_stderr(self, record):
        stream, self.stream = self.stream, sys.stderr
        try:
            super().emit(record)
        finally:
            self.stream = stream

    def emit(self, record):
        if not self.settings.parsed:
            if not self._warned_before_parsing:
                sys.stderr.write("WARNING: Logging before flag parsing goes to stderr.\n")
                self._warned_before_parsing = True
            self._to_stderr(record)
        elif self.settings.logtostderr:
            self._to_stderr(record)
        else:
            super().emit(record)
            threshold = _THRESHOLD_LEVELS[self.settings.stderrthreshold]
            if (self.settings.alsologtostderr or record.levelno >= threshold) and self.stream is not sys.stderr:
                self._to_stderr(record)


_handler = None


def install(settings):
    """Put absl's handler on the root logger (once per process, taking over stderr from other root handlers, as
    absl's app does) with `settings`, and set the root's level from the verbosity."""
    from eagerflow import tf_logging

    global _handler
    tf_logging.get_logger()  # TF's logger takes its own handler at import, before absl's is on the root
    root = logging.getLogger()
    if _handler is None:
        for handler in [h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.stream is sys.stderr]:
            root.removeHandler(handler)
        _handler = AbslHandler(settings)
    _handler.settings = _handler.formatter.settings = settings
    if _handler not in root.handlers:
        root.addHandler(_handler)
    root.setLevel(standard_level(settings.verbosity))
    return _handler


def set_logger_levels(levels):
    """--logger_levels: each named logger's level (Python's ValueError for a level it does not know, as absl's)."""
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
