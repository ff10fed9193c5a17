"""Modules of one table's areas (kernels, gradients), imported together on the first lookup that misses.

A table's core entries load with `import eagerflow`; its other areas register into it when first needed, so
a program pays only for the ops it runs. `Areas.load()` imports them once, from whichever thread misses first.
"""

import importlib
import threading

__all__ = ["Areas"]


class Areas:
    """The modules `names` of `package`, loaded once; `then()` runs after they are imported."""

    def __init__(self, package, names, then=None):
        self._modules = [f"{package}.{name}" for name in names]
        self._then = then
        self._loaded = False
        self._lock = threading.Lock()

    def load(self):
        """Import the areas unless done; True for the call that did it (a lookup that missed may now succeed)."""
        if self._loaded:
            return False
        with self._lock:
            if self._loaded:
                return False
            for module in self._modules:
                importlib.import_module(module)
            if self._then is not None:
                self._then()
            self._loaded = True
        return True
