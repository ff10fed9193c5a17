"""Deferred restoration: values read by `restore()` before the variables that receive them exist.

Kept apart from the checkpoint machinery so that layers and optimizers can call the hook without
importing the file-format code (and `import eagerflow` stays fast).
"""

import threading

__all__ = ["restore_deferred", "ACTIVE", "ACTIVE_LOCK"]

ACTIVE = []                 # restorations with values still waiting for their objects
ACTIVE_LOCK = threading.RLock()


def restore_deferred(obj):
    """Give the variables `obj` has gained since a `restore()` their checkpointed values.

    Layers call it after they build and optimizers after they create slots; call it from your own
    class after it creates variables lazily. Returns the number of variables restored (0 when no
    restoration is waiting, which costs one list check).

    >>> import eagerflow as ef, tempfile, os
    >>> class Lazy(ef.Module): pass
    >>> src = Lazy(); src.w = ef.Variable(3.0)
    >>> p = ef.train.Checkpoint(m=src).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> dst = Lazy(); status = ef.train.Checkpoint(m=dst).restore(p)
    >>> dst.w = ef.Variable(0.0); ef.train.restore_deferred(dst)
    1
    >>> dst.w.numpy()
    np.float32(3.0)
    """
    if not ACTIVE:
        return 0
    with ACTIVE_LOCK:
        count = 0
        for r in list(ACTIVE):
            count += r.restore_into(obj)
        return count
