"""The thread count of the BLAS library NumPy calls (OpenBLAS or MKL), for `ef.config.threading`.

NumPy has no setting for it; the library has, as a C function: it is found among the shared libraries
loaded into this process and called through ctypes. Where none is found (another BLAS, another system),
`set_threads` says so by returning False and nothing changes.
"""

import contextlib
import ctypes
import glob
import os
import threading

# (setter, getter) names: NumPy's wheels bundle OpenBLAS with a scipy_ prefix and 64-bit integers
_SYMBOLS = (("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
            ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
            ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
            ("openblas_set_num_threads", "openblas_get_num_threads"),
            ("MKL_Set_Num_Threads", "MKL_Get_Max_Threads"))

_found = None  # [(set, get)] once looked up
_initial = None  # the libraries' own counts, restored by set_threads(0)


def _candidates():
    import numpy as np
    paths = set()
    try:
        with open("/proc/self/maps") as maps:  # Linux: what is loaded, wherever it came from
            paths.update(line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower())
    except OSError:
        pass
    libs_dir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    paths.update(glob.glob(os.path.join(libs_dir, "*blas*")))
    return sorted(p for p in paths if os.path.isfile(p))


def _libraries():
    global _found, _initial
    if _found is None:
        import numpy as np
        np.dot(np.ones(2), np.ones(2))  # makes sure NumPy's BLAS is loaded
        found = []
        for path in _candidates():
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            for set_name, get_name in _SYMBOLS:
                if hasattr(lib, set_name) and hasattr(lib, get_name):
                    setter, getter = getattr(lib, set_name), getattr(lib, get_name)
                    setter.argtypes, setter.restype, getter.restype = [ctypes.c_int], None, ctypes.c_int
                    found.append((setter, getter))
                    break
        _found, _initial = found, [getter() for _, getter in found]
    return _found


def threads():
    """The BLAS threads now (the first library's), or None where no library was found."""
    libs = _libraries()
    return libs[0][1]() if libs else None


def set_threads(count):
    """Run BLAS calls on `count` threads (0: the library's own count); False where no library was found."""
    libs = _libraries()
    for (setter, _), initial in zip(libs, _initial):
        setter(count or initial)
    return bool(libs)


# The requests to lower the count that are active now (a kernel spreading its GEMMs over threads of its own, the
# replicas of a strategy), from any thread: the libraries run on the smallest cap asked for, and the counts they
# had before the first request come back when the last one ends, unless something else set them meanwhile.
_caps_lock = threading.Lock()
_caps = []
_before = None    # each library's count when the first active request began
_applied = None   # the cap last set


def _apply_caps():
    global _applied
    libs = _libraries()
    if _caps:
        _applied = min(_caps)
        for setter, _ in libs:
            setter(_applied)
        return
    for (setter, getter), count in zip(libs, _before):
        if getter() == _applied:  # not changed by anything else meanwhile
            setter(count)
    _applied = None


@contextlib.contextmanager
def _capped(cap_of):
    """BLAS calls on at most `cap_of(count before any request)` threads meanwhile, in every thread of the
    process (nested and concurrent requests combine: the smallest cap holds until the last one ends)."""
    global _before
    libs = _libraries()
    if not libs:
        yield
        return
    with _caps_lock:
        if not _caps:
            _before = [getter() for _, getter in libs]
        cap = max(1, cap_of(_before[0]))
        _caps.append(cap)
        _apply_caps()
    try:
        yield
    finally:
        with _caps_lock:
            _caps.remove(cap)
            _apply_caps()


def single_threaded():
    """BLAS calls on one thread meanwhile, in every thread of the process (for a kernel that spreads its GEMMs over
    threads of its own)."""
    return _capped(lambda count: 1)


def shared_by(callers):
    """BLAS calls of `callers` threads at once inside (the replicas of a strategy on one CPU's cores): each
    call uses its share of the library's threads, so all together use what one call would. Without it each
    replica's product asks for every core; the library then runs callers one at a time and its idle threads
    spin against the replicas."""
    if callers < 2:
        return contextlib.nullcontext()
    return _capped(lambda count: count // callers)
