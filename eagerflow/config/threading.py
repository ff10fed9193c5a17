"""`ef.config.threading`: TF's thread-pool sizes, as `tf.config.threading`.

TF sizes its two thread pools from these when its runtime starts: after the first op or variable, a
different value is a RuntimeError (the same value is fine). 0 lets the runtime choose. eagerflow's ops
spread over threads inside the BLAS library NumPy calls, and the convolutions over as many threads of their
own (backends/spread.py), so the intra-op count is that library's thread count (OpenBLAS or MKL, set
through its C API; 0 gives back its own). The inter-op count is
checked and kept as TF keeps it: eagerflow runs each op on the calling thread, as TF runs eager ops, and
has no pool of op threads for it to size.

>>> ef.config.threading.get_intra_op_parallelism_threads()
0
"""

import operator

from eagerflow import errors
from eagerflow.backends import blas_threads
from eagerflow.device import registry

__all__ = ["get_intra_op_parallelism_threads", "set_intra_op_parallelism_threads",
           "get_inter_op_parallelism_threads", "set_inter_op_parallelism_threads"]

_threads = {"Intra": 0, "Inter": 0}


def _set(kind, num_threads):
    try:
        value = operator.index(num_threads)
    except TypeError:
        raise TypeError(f"{kind.lower()}_op_parallelism_threads must be an integer (0: the runtime chooses), got "
                        f"{num_threads!r}.") from None
    if _threads[kind] == value:
        return
    if registry.initialized():
        raise RuntimeError(f"{kind} op parallelism cannot be modified after initialization (it is "
                           f"{_threads[kind]}; an op or a variable has already run). Set it at the start of the "
                           f"program.")
    if kind == "Intra" and value >= 0 and not blas_threads.set_threads(value) and value:
        raise errors.UnimplementedError(
            None, None, f"intra_op_parallelism_threads={value}: no BLAS library whose threads eagerflow can set "
            "(OpenBLAS or MKL) is loaded by NumPy here. Size your BLAS's threads with its environment variable "
            "(OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, OMP_NUM_THREADS) before starting Python.")
    _threads[kind] = value


def get_intra_op_parallelism_threads():
    """The threads one op may use (0: the runtime chooses)."""
    return _threads["Intra"]


def set_intra_op_parallelism_threads(num_threads):
    """Set the threads one op may use; only before the devices are initialized (RuntimeError after,
    unless the value stays the same)."""
    _set("Intra", num_threads)


def get_inter_op_parallelism_threads():
    """The ops that may run at once (0: the runtime chooses)."""
    return _threads["Inter"]


def set_inter_op_parallelism_threads(num_threads):
    """Set the ops that may run at once; only before the devices are initialized (RuntimeError after,
    unless the value stays the same)."""
    _set("Inter", num_threads)
