"""Every example in eagerflow's docstrings runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.device import context
from eagerflow.ops import random_ops

MODULES = sorted(m.name for m in pkgutil.walk_packages(ef.__path__, "eagerflow.") if ".__main__" not in m.name)


def _global_settings():
    return {"switches on": context.switches.active, "soft placement": context.settings.soft_placement,
            "placement logging": context.settings.log_placement, "global seed": random_ops._GlobalSeed.seed}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    before = _global_settings()
    result = doctest.testmod(module, extraglobs={"ef": ef, "np": np}, optionflags=doctest.ELLIPSIS,
                             verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples in {name} fail"
    # An example may not leave a global setting changed behind it: later code would run differently.
    assert _global_settings() == before, f"an example in {name} changed a global setting"
