"""Core timings of eagerflow against plain NumPy, measured in the same run.

    python benchmarks/bench_core.py [--quick]

Goals (issue 2): small ops at most 4x NumPy's time; large ops within 5% of NumPy; `import
eagerflow` under 0.15 s. Each time is the best of several repeats (the least disturbed run).
"""

import argparse
import os
import platform
import subprocess
import sys
import timeit

import numpy as np

import eagerflow as ef


def compare(ef_fn, np_fn, number, repeat):
    """(eagerflow, NumPy) seconds per call: the fastest of `repeat` runs of `number` calls each, the two
    sides interleaved run by run so that warm-up (BLAS threads, CPU clocks, caches) favours neither."""
    for _ in range(2):
        ef_fn(), np_fn()
    ef_best = np_best = float("inf")
    for _ in range(repeat):
        ef_best = min(ef_best, timeit.timeit(ef_fn, number=number) / number)
        np_best = min(np_best, timeit.timeit(np_fn, number=number) / number)
    return ef_best, np_best


def import_time(module, repeat):
    """Best wall time of `import module` in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    return min(times)


def fmt(seconds):
    if seconds < 1e-6:
        return f"{seconds * 1e9:8.0f} ns"
    if seconds < 1e-3:
        return f"{seconds * 1e6:8.2f} us"
    return f"{seconds * 1e3:8.2f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, noisier numbers)")
    args = parser.parse_args()
    small_n, small_r, big_r = (2000, 3, 3) if args.quick else (20000, 7, 7)

    rows = []  # (case, eagerflow seconds, numpy seconds, goal ratio)

    # a small op: a + b on shape (2,)
    a_np, b_np = np.array([1.0, 2.0], np.float32), np.array([3.0, 4.0], np.float32)
    a_ef, b_ef = ef.constant(a_np), ef.constant(b_np)
    rows.append(("a + b, shape (2,)", *compare(lambda: a_ef + b_ef, lambda: a_np + b_np, small_n, small_r), 4.0))

    # a small in-place update: v.assign_add(c) against np.add(x, c, out=x)
    v, c = ef.Variable([1.0, 2.0]), ef.constant([0.5, 0.5])
    x_np, c_np = np.array([1.0, 2.0], np.float32), np.array([0.5, 0.5], np.float32)
    rows.append(("v.assign_add(c), shape (2,)",
                 *compare(lambda: v.assign_add(c), lambda: np.add(x_np, c_np, out=x_np), small_n, small_r), 4.0))

    # creating a small variable against creating a small array
    rows.append(("Variable([1.0, 2.0])", *compare(lambda: ef.Variable([1.0, 2.0]),
                                                  lambda: np.array([1.0, 2.0], np.float32), small_n // 4, small_r),
                 None))

    # a large in-place update: 16M float32
    n = 16 * 1024 * 1024
    big_v, big_c = ef.Variable(np.zeros(n, np.float32)), ef.constant(np.ones(n, np.float32))
    big_x, big_c_np = np.zeros(n, np.float32), np.ones(n, np.float32)
    rows.append(("assign_add, 16M float32",
                 *compare(lambda: big_v.assign_add(big_c), lambda: np.add(big_x, big_c_np, out=big_x), 3, big_r),
                 1.05))

    # a large op: matmul 1024 x 1024 float32
    rng = np.random.default_rng(0)
    m1, m2 = rng.random((1024, 1024), np.float32), rng.random((1024, 1024), np.float32)
    t1, t2 = ef.constant(m1), ef.constant(m2)
    rows.append(("matmul 1024x1024 float32", *compare(lambda: ef.matmul(t1, t2), lambda: np.matmul(m1, m2), 3, big_r),
                 1.05))

    imports = 3 if args.quick else 7
    ef_import, np_import = import_time("eagerflow", imports), import_time("numpy", imports)

    print(f"eagerflow {ef.__version__}, NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")
    blas_env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                           "OMP_NUM_THREADS") if k in os.environ}
    print("BLAS environment: " + (", ".join(f"{k}={v}" for k, v in blas_env.items()) if blas_env else "none set")
          + (" (OPENBLAS_CORETYPE/L2_SIZE can slow NumPy's matmul; both sides use the same BLAS)"
             if {"OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"} & blas_env.keys() else ""))
    print()
    print(f"{'case':30} {'eagerflow':>12} {'numpy':>12} {'ratio':>7}  {'goal':>8}  ok")
    print("-" * 80)
    for case, ef_s, np_s, goal in rows:
        ratio = ef_s / np_s
        goal_text = "-" if goal is None else (f"<= {goal:.0f}x" if goal >= 2 else f"<= {goal:.2f}x")
        ok = "" if goal is None else ("yes" if ratio <= goal else "NO")
        print(f"{case:30} {fmt(ef_s):>12} {fmt(np_s):>12} {ratio:6.2f}x  {goal_text:>8}  {ok}")
    print(f"{'import (fresh interpreter)':30} {fmt(ef_import):>12} {fmt(np_import):>12} {ef_import / np_import:6.2f}x"
          f"  {'< 0.15 s':>8}  {'yes' if ef_import < 0.15 else 'NO'}")
    print("\nratio = eagerflow time / NumPy time; import's NumPy column is `import numpy` alone (a floor).")


if __name__ == "__main__":
    main()
