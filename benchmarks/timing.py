"""Timing helpers shared by the benchmarks (run as scripts: `python benchmarks/bench_*.py`)."""

import time


def best(fn, repeat):
    """The shortest of `repeat` timed calls of `fn`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def rate(fn, steps, repeats=3, warmup=10):
    """Calls per second: the best of `repeats` timed runs of `steps` calls, after `warmup` calls."""
    for _ in range(warmup):
        fn()
    return steps / best(lambda: [fn() for _ in range(steps)], repeats)
