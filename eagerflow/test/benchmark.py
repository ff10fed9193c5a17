"""`ef.test.Benchmark`: TF's benchmark base class and its reports.

`report_benchmark` prints the entry in protocol-buffer text form, as TF does, or, when the environment
names a report file prefix (TEST_REPORT_FILE_PREFIX, as TF's test runners set), writes the serialized
`BenchmarkEntries` message (tensorflow/core/util/test_log.proto) to `<prefix><name>`.
"""

import inspect
import math
import numbers
import os
import struct
import time

from eagerflow import tf_logging

__all__ = ["Benchmark", "TensorFlowBenchmark", "TEST_REPORTER_TEST_ENV"]

TEST_REPORTER_TEST_ENV = "TEST_REPORT_FILE_PREFIX"


# ----------------------------------------------------------------------------- the entry as a message
def _varint(n):
    n &= (1 << 64) - 1  # int64 fields: negative values in two's complement
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, wire_type, payload):
    return _varint(number << 3 | wire_type) + payload


def _string(number, text):
    data = text.encode("utf-8")
    return _field(number, 2, _varint(len(data)) + data)


def _double(number, value):
    return _field(number, 1, struct.pack("<d", float(value)))


def _message(number, body):
    return _field(number, 2, _varint(len(body)) + body)


def _number_text(value):
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class _Entry:
    """One BenchmarkEntry: its fields in proto order, as the binary message and as TF prints it."""

    def __init__(self, name, iters, cpu_time, wall_time, throughput, extras, metrics):
        self.name, self.iters, self.cpu_time, self.wall_time, self.throughput = (name, iters, cpu_time, wall_time,
                                                                                 throughput)
        if extras is not None and not isinstance(extras, dict):
            raise TypeError(f"extras must be a dict, got {type(extras).__name__}")
        self.extras = [(k, v if isinstance(v, numbers.Number) else str(v)) for k, v in (extras or {}).items()]
        if metrics is not None and not isinstance(metrics, list):
            raise TypeError(f"metrics must be a list of dicts, got {type(metrics).__name__}")
        for metric in metrics or []:
            for key in ("name", "value"):
                if key not in metric:
                    raise TypeError(f"metric must has a {key!r} field: {metric!r}")
        self.metrics = list(metrics or [])

    def _scalars(self):
        return [(key, getattr(self, key)) for key in ("iters", "cpu_time", "wall_time", "throughput")
                if getattr(self, key) is not None]

    def serialize(self):
        """The BenchmarkEntries message holding this one entry."""
        body = _string(1, self.name) if self.name else b""
        for key, value in self._scalars():
            number = {"iters": 2, "cpu_time": 3, "wall_time": 4, "throughput": 5}[key]
            if value:  # proto3 leaves zeros out
                body += _field(2, 0, _varint(int(value))) if key == "iters" else _double(number, value)
        for key, value in self.extras:
            kind = _double(1, value) if isinstance(value, numbers.Number) else _string(2, value)
            body += _message(6, _string(1, key) + _message(2, kind))
        for metric in self.metrics:
            part = _string(1, metric["name"]) + (_double(2, metric["value"]) if metric["value"] else b"")
            for number, key in ((3, "min_value"), (4, "max_value")):
                if key in metric:
                    part += _message(number, _double(1, metric[key]) if metric[key] else b"")
            body += _message(7, part)
        return _message(1, body)

    def text(self):
        """The entry as TF prints it (protocol-buffer text format)."""
        lines = ["entry {", f"  name: {_quoted(self.name)}"]
        for key, value in self._scalars():
            if value:
                lines.append(f"  {key}: {int(value) if key == 'iters' else _number_text(value)}")
        for key, value in self.extras:
            shown = (f"double_value: {_number_text(value)}" if isinstance(value, numbers.Number)
                     else f"string_value: {_quoted(value)}")
            lines += ["  extras {", f"    key: {_quoted(key)}", "    value {", f"      {shown}", "    }", "  }"]
        for metric in self.metrics:
            lines += ["  metrics {", f"    name: {_quoted(metric['name'])}"]
            if metric["value"]:
                lines.append(f"    value: {_number_text(metric['value'])}")
            for key in ("min_value", "max_value"):
                if key in metric:
                    inner = [f"      value: {_number_text(metric[key])}"] if metric[key] else []
                    lines += [f"    {key} {{"] + inner + ["    }"]
            lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"


_registry = []  # every Benchmark subclass, for `ef.test.main(['prog', '--benchmark_filter=REGEX'])`


class TensorFlowBenchmark:
    """Base class for benchmarks: methods named `benchmark*` measure and call `report_benchmark`.

    >>> class AddBenchmark(ef.test.Benchmark):
    ...     def benchmark_add(self):
    ...         self.report_benchmark(iters=10, wall_time=0.5)
    >>> AddBenchmark().benchmark_add()
    entry {
      name: "AddBenchmark.benchmark_add"
      iters: 10
      wall_time: 0.5
    }
    <BLANKLINE>
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _registry.append(cls)

    @classmethod
    def is_abstract(cls):
        """True for the base class itself (benchmarks are its subclasses), as TF."""
        return len(cls.mro()) <= 2

    def _get_name(self, overwrite_name=None):
        """'Class.method' of the outermost benchmark method on the stack (or of `overwrite_name`)."""
        method = None
        for frame in reversed(inspect.stack()):
            if isinstance(frame.frame.f_locals.get("self"), TensorFlowBenchmark):
                method = frame.function
                owner = frame.frame.f_locals["self"]
                break
        if method is None:
            raise ValueError("Unable to determine calling Benchmark class: call report_benchmark from a method of "
                             "a Benchmark subclass.")
        return f"{type(owner).__name__}.{overwrite_name or method}"

    def report_benchmark(self, iters=None, cpu_time=None, wall_time=None, throughput=None, extras=None, name=None,
                         metrics=None):
        """Report one measurement: iterations, CPU and wall seconds, throughput (MB/s), `extras` (a dict of
        numbers or strings) and `metrics` (dicts with 'name', 'value' and optionally 'min_value',
        'max_value')."""
        name = self._get_name(overwrite_name=name)
        entry = _Entry(name, iters, cpu_time, wall_time, throughput, extras, metrics)
        # TF's message, its missing space included
        tf_logging.info("Benchmark [%s] iters: %d, wall_time: %g, cpu_time: %g,throughput: %g, extras: %s, "
                        "metrics: %s", name, -1 if iters is None else iters, -1 if wall_time is None else wall_time,
                        -1 if cpu_time is None else cpu_time, -1 if throughput is None else throughput,
                        extras or "None", metrics or "None")
        prefix = os.environ.get(TEST_REPORTER_TEST_ENV)
        if prefix is None:
            print(entry.text())
            return
        path = prefix + name.replace("/", "__")
        if os.path.exists(path):
            raise OSError(f"File already exists: {path} (a benchmark of that name reported already)")
        with open(path, "wb") as f:
            f.write(entry.serialize())

    def run_op_benchmark(self, sess, op_or_tensor, feed_dict=None, burn_iters=2, min_iters=10, store_trace=False,
                         store_memory_usage=True, name=None, extras=None, mbs=0):
        """Time `sess.run(op_or_tensor, feed_dict=feed_dict)`: `burn_iters` untimed runs, then `min_iters` timed
        ones, reported (`report_benchmark`) with their median as `wall_time` and `mbs` megabytes moved per run
        as `throughput`. Returns the reported values, with 'wall_time_mean' and 'wall_time_stdev' added to
        the extras.

        Eager code has no graph session: `sess` is what `TestCase.cached_session()` yields (its `run(t)`
        evaluates `t`) or any object with such a `run`. The trace and memory statistics (`store_trace`,
        `store_memory_usage`, on by default as in TF) come from a traced graph run and raise RuntimeError
        after the timed runs, as TF's eager session does: pass `store_memory_usage=False`."""
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        deltas = []
        for _ in range(min_iters):
            start = time.perf_counter()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            deltas.append(time.perf_counter() - start)
        extras = extras if extras is not None else {}
        if store_trace or store_memory_usage:
            raise RuntimeError(
                f"run_op_benchmark(store_trace={store_trace}, store_memory_usage={store_memory_usage}): the trace "
                f"and the allocator maximums come from a graph session's traced run (RunOptions FULL_TRACE), "
                f"which eager execution does not have (TF's eager session refuses it too). Pass "
                f"store_trace=False, store_memory_usage=False to report the timings alone.")
        median = _median(deltas)
        values = {"iters": min_iters, "wall_time": median, "extras": extras, "name": name,
                  "throughput": mbs / median}
        self.report_benchmark(**values)
        mean, stdev = _mean_and_stdev(deltas)
        values["extras"].update({"wall_time_mean": mean, "wall_time_stdev": stdev})
        return values

    def evaluate(self, tensors):
        """TF's evaluates in the default graph session or `self.cached_session()`; a benchmark has neither
        under eager execution, so it raises AttributeError, as TF's does."""
        raise AttributeError(f"{type(self).__name__!r} object has no attribute 'cached_session' (Benchmark.evaluate "
                             f"needs a graph session; eager tensors give their values with .numpy())")


Benchmark = TensorFlowBenchmark  # TF's public name of the class


def _median(values):
    """The median (the mean of the two middle values for an even count); -1 for no values, as TF."""
    if not values:
        return -1
    ordered = sorted(values)
    return (ordered[len(ordered) // 2] + ordered[(len(ordered) - 1) // 2]) / 2.0


def _mean_and_stdev(values):
    """Mean and sample standard deviation; -1 for what one value (or none) cannot give, as TF."""
    if not values:
        return -1, -1
    mean = sum(values) / len(values)
    if len(values) == 1:
        return mean, -1
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def run_benchmarks(regex):
    """Run every `benchmark*` method of the Benchmark subclasses whose 'module.Class.method' matches `regex` (or
    all of them for 'all'); ValueError when none does."""
    import re

    pattern = None if regex == "all" else re.compile(regex)
    selected = []
    for cls in list(_registry):
        if cls.is_abstract():
            continue
        for attr in sorted(dir(cls)):
            if attr.startswith("benchmark") and callable(getattr(cls, attr)):
                full_name = f"{cls.__module__}.{cls.__name__}.{attr}"
                if pattern is None or pattern.search(full_name):
                    selected.append(full_name)
                    getattr(cls(), attr)()
    if not selected:
        raise ValueError(f"No benchmarks matched the pattern: '{regex}'")
