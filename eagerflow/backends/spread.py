"""Intra-op threads for the kernels that split their work into independent blocks of GEMMs (the convolutions).

NumPy's BLAS spreads each GEMM over its own threads, which meet at the end of every call; a kernel of many
block GEMMs pays that meeting per block, and on a loaded machine a thread the OS has put aside holds up the
rest each time. Instead the kernel's blocks are handed out to as many threads as the BLAS library has (the
intra-op count, `ef.config.threading`), each taking the next block when it is done with one (a slowed thread
takes fewer), while the library runs every call on the calling thread. The im2col copies then run in
parallel too. Only one kernel spreads at a time; another thread's kernel meanwhile runs on its own thread,
as every other BLAS call of the process does (the library is single-threaded until the kernel is done).
"""

import itertools
import os
import threading

from eagerflow.backends import blas_threads

__all__ = ["spread"]

_busy = threading.Lock()  # held by the kernel whose blocks are spread now
_helpers = (0, None)  # (threads, the ThreadPoolExecutor of them), made on first use


def _reset_after_fork():
    global _busy, _helpers
    _busy, _helpers = threading.Lock(), (0, None)  # a forked child has none of the parent's threads


os.register_at_fork(after_in_child=_reset_after_fork)


def _threads(xp, tasks):
    if xp.__name__ != "numpy" or tasks < 2:
        return 1
    return min(blas_threads.threads() or 1, tasks)


def spread(xp, tasks, worker):
    """Runs `work(task)` for each of `tasks`, in no particular order, where `work = worker()` is made once per
    thread (for its own buffers). On NumPy with more than one intra-op thread the tasks are shared out among
    that many threads, this one included; elsewhere, or while another kernel spreads its own, they run here
    in turn. The first error of any thread is raised once all have stopped."""
    global _helpers
    tasks = list(tasks)
    threads = _threads(xp, len(tasks))
    if threads < 2 or not _busy.acquire(blocking=False):
        work = worker()
        for task in tasks:
            work(task)
        return
    try:
        if _helpers[0] < threads - 1:
            from concurrent.futures import ThreadPoolExecutor
            if _helpers[1] is not None:
                _helpers[1].shutdown(wait=False)
            _helpers = (threads - 1, ThreadPoolExecutor(threads - 1, thread_name_prefix="eagerflow-intra-op"))
        take = itertools.count().__next__  # atomic: each task goes to one thread
        failed = []

        def run():
            try:
                work = worker()
                while not failed and (i := take()) < len(tasks):
                    work(tasks[i])
            except BaseException as e:
                failed.append(e)

        with blas_threads.single_threaded():
            helpers = [_helpers[1].submit(run) for _ in range(threads - 1)]
            run()
            for helper in helpers:
                if not helper.cancel():  # one that has not started yet finds no task left: not waited for
                    helper.result()
        if failed:
            raise failed[0]
    finally:
        _busy.release()
