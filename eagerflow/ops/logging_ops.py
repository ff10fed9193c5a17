"""`ef.print`: print tensors as TF's `tf.print` does (values only, summarized)."""

import sys

import numpy as np

from eagerflow.framework.execute import convert_to_tensor, host_event, is_tensor_like
from eagerflow.framework.nest import flatten, is_nested, pack_sequence_as

__all__ = ["print"]

# TF's tf.compat.v1.logging.INFO/WARN/ERROR (Python's logging levels) as output streams: (absl's severity
# letter, its rank for TF_CPP_MIN_LOG_LEVEL, the line of TF's logging_ops.cc that logs it)
_LOG_LEVELS = {20: ("I", 0, 169), 30: ("W", 1, 171), 40: ("E", 2, 173)}


def _element_format(dtype):
    """How TF prints one element of `dtype`: bools as 1/0, strings quoted, floats as short as they read back."""
    if dtype.kind == "b":
        return lambda v: "1" if v else "0"
    if dtype.kind == "O":
        return lambda v: '"' + (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)) + '"'
    if dtype.kind == "f" or dtype.name == "bfloat16":
        return _double_text if dtype.itemsize == 8 else _float_text
    return str


def _float_text(v):
    """As TF's FloatToBuffer: 6 significant digits when they read back as the same float32, else 9."""
    v = float(v)
    short = f"{v:.6g}"
    return short if np.float32(short) == np.float32(v) else f"{v:.9g}"


def _double_text(v):
    short = f"{v:.15g}"
    return short if float(short) == v else f"{v:.17g}"


def _array_text(a, fmt, summarize, indent=0):
    """`a` as TF prints it: `[1 2 3]`, rows on lines of their own, the middle elided past 2*summarize."""
    if a.ndim == 0:
        return fmt(a[()])
    n = a.shape[0]
    if 0 <= summarize and 2 * summarize < n:
        index = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        index = list(range(n))
    if a.ndim == 1:
        return "[" + " ".join("..." if i is None else fmt(a[i]) for i in index) + "]"
    parts = ["..." if i is None else _array_text(a[i], fmt, summarize, indent + 1) for i in index]
    return "[" + ("\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _unprintable_text(a, summarize):
    """A tensor of a dtype TF's printer has no format for (complex): a `?` per element, flat, the first
    `summarize` of them (all for a negative one) and `...` when some are left out."""
    shown = a.size if summarize < 0 else min(a.size, summarize)
    text = " ".join("?" * shown) + ("..." if shown < a.size else "")
    return text if a.ndim == 0 else "[" + text + "]"


def _text(value, summarize):
    if is_tensor_like(value):
        array = np.asarray(value)
        if array.dtype.kind == "c":
            return _unprintable_text(array, summarize)
        return _array_text(array, _element_format(array.dtype), summarize)
    if isinstance(value, str):
        return value
    if is_nested(value):  # Python structure holding tensors: its repr, with the tensors formatted
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k!r}: {_text(v, summarize)}" for k, v in value.items()) + "}"
        inner = ", ".join(_text(v, summarize) for v in value)
        if isinstance(value, list):
            return "[" + inner + "]"
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    return repr(value) if not isinstance(value, (int, float)) else str(value)


def _log_line(level, text):
    """TF's PrintV2 at a logging level writes a line of its C++ log (absl) on stderr: severity, the time (absl's
    before it is initialized: 0000 00:00:<seconds since the epoch>), the thread, TF's source line, the text; lines
    below TF_CPP_MIN_LOG_LEVEL (0 info, 1 warning, 2 error) are left out, as TF leaves them out."""
    import os
    import threading
    import time
    severity, rank, line = _LOG_LEVELS[level]
    try:
        minimum = int(os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0"))
    except ValueError:
        minimum = 0
    if rank < minimum:
        return
    sys.stderr.write(f"{severity}0000 00:00:{time.time():.6f} {threading.get_native_id():7d} logging_ops.cc:{line}] "
                     f"{text}\n")


_DEFAULT_STREAM = object()  # sys.stderr at call time, as TF


def print(*inputs, output_stream=_DEFAULT_STREAM, sep=" ", end="\n", summarize=3, name=None):  # noqa: A001
    """Print `inputs` as TF's `tf.print`: tensors as values only (`[1 2 3]`), strings as they are.

    `output_stream` is `sys.stderr` (TF's default) or `sys.stdout`, `"file://path"` to append to a file, or a
    logging level (`logging.INFO`, `WARNING`, `ERROR`, TF's `tf.compat.v1.logging` levels): a line of TF's C++
    log format on stderr. As TF, no other stream: print to one yourself (`print(x.numpy(), file=f)`). Each
    dimension longer than 2 * `summarize` shows its first and last `summarize` elements around `...`;
    `summarize=-1` (or a negative number) prints everything; None means 3. Complex values print as `?`, as TF.

    >>> ef.print("x =", ef.constant([1, 2, 3]), output_stream=sys.stdout)
    x = [1 2 3]
    >>> ef.print(ef.range(10), summarize=2, output_stream=sys.stdout)
    [0 1 ... 8 9]
    """
    summarize = 3 if summarize is None else int(summarize)
    stream = sys.stderr if output_stream is _DEFAULT_STREAM else output_stream
    level = stream if type(stream) is int and stream in _LOG_LEVELS else None
    if not (level is not None or stream is sys.stdout or stream is sys.stderr
            or (isinstance(stream, str) and stream.startswith("file://"))):
        raise ValueError(f"Unsupported output stream, logging level, or file.{stream}. Supported streams are "
                         f"sys.stdout, sys.stderr, the logging levels logging.INFO, logging.WARNING and "
                         f"logging.ERROR, and 'file://<filepath>'. To write to another stream, print the values "
                         f"yourself: print(x.numpy(), file=stream).")
    structure = list(inputs)
    flat = flatten(structure)
    tensors = [convert_to_tensor(x) for x in flat if is_tensor_like(x)]

    def emit(*values):  # a host event: a traced ef.function prints on every call, with that call's values
        it = iter(values)
        filled = pack_sequence_as(structure, [next(it) if is_tensor_like(x) else x for x in flat])
        text = sep.join(_text(v, summarize) for v in filled) + end
        if level is not None:
            _log_line(level, text)
        elif isinstance(stream, str):
            with open(stream[len("file://"):], "a") as f:
                f.write(text)
        else:
            stream.write(text)

    host_event("PrintV2", emit, tensors)
    return None
