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


@contextlib.contextmanager
def single_threaded():
    """BLAS calls on one thread meanwhile, in every thread of the process (for a kernel that spreads its GEMMs over
    threads of its own); each library's count is given back after."""
    libs = _libraries()
    counts = [getter() for _, getter in libs]
    for setter, _ in libs:
        setter(1)
    try:
        yield
    finally:
        for (setter, _), count in zip(libs, counts):
            setter(count)


_sharing_lock = threading.Lock()
_sharing = {"runs": 0, "restore": None, "lowered": None}  # runs in `shared_by` now; the counts to put back


@contextlib.contextmanager
def shared_by(callers):
    """BLAS calls of `callers` threads at once inside (the replicas of a strategy on one CPU's cores): each
    call uses its share of the library's threads, so all together use what one call would. Without it each
    replica's product asks for every core; the library then runs callers one at a time and its idle threads
    spin against the replicas. The count is the process's: the first run to enter lowers it, the last to
    leave puts it back (unless something else changed it meanwhile)."""
    if callers < 2:
        yield
        return
    with _sharing_lock:
        if _sharing["runs"] == 0:
            own = threads()
            if own is not None and own > 1:
                share = max(1, own // callers)
                set_threads(share)
                _sharing["restore"], _sharing["lowered"] = own, share
            else:
                _sharing["restore"] = _sharing["lowered"] = None
        _sharing["runs"] += 1
    try:
        yield
    finally:
        with _sharing_lock:
            _sharing["runs"] -= 1
            if _sharing["runs"] == 0 and _sharing["restore"] is not None:
                if threads() == _sharing["lowered"]:
                    set_threads(_sharing["restore"])
                _sharing["restore"] = _sharing["lowered"] = None
