"""`ef.experimental`: TF's experimental namespace (`ef.experimental.dlpack`)."""

import importlib

_SUBMODULES = frozenset({"dlpack"})


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"eagerflow.experimental.{name}")
    raise AttributeError(f"module 'eagerflow.experimental' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
