"""Deferred restoration: values read by `restore()` before the variables that receive them exist.

Kept apart from the checkpoint machinery so that layers and optimizers can call the hook without
importing the file-format code (and `import eagerflow` stays fast).
"""

import threading

__all__ = ["restore_deferred", "attribute_set", "ACTIVE", "ACTIVE_LOCK"]

ACTIVE = []                 # restorations with values still waiting for their objects
ACTIVE_LOCK = threading.RLock()


def restore_deferred(obj):
    """Give the variables `obj` has gained since a `restore()` their checkpointed values.

    Layers call it after they build, optimizers after they create slots, and `ef.Module` whenever
    it gains an attribute; call it from your own (non-Module) class after it creates variables
    lazily. Returns the number of variables restored (0 when no restoration is waiting, which costs
    one list check).

    >>> import eagerflow as ef, tempfile, os
    >>> class Lazy: pass
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


def attribute_set(obj, value):
    """`obj` gained the attribute `value` (a variable, module or container): as TF, where a `restore()`
    has a value for it, it is restored now, when it is attached, and so are the variables it (a layer
    built later, a submodule) creates afterwards. Costs one list check when no restoration waits.

    >>> import eagerflow as ef, tempfile, os
    >>> src = ef.Module(); src.w = ef.Variable(3.0)
    >>> p = ef.train.Checkpoint(m=src).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> dst = ef.Module(); status = ef.train.Checkpoint(m=dst).restore(p)
    >>> dst.w = ef.Variable(0.0)    # ef.Module calls attribute_set(dst, dst.w)
    >>> dst.w.numpy()
    np.float32(3.0)
    """
    if ACTIVE:
        restore_deferred(obj)
