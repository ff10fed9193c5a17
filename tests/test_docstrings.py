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


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"ef": ef, "np": np}, optionflags=doctest.ELLIPSIS,
                             verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples in {name} fail"
    # An example may not leave global settings changed behind it: later code would run differently.
    assert context.switches.active == 0, f"an example in {name} left a scope, tape, guard or logging on"
    assert context.settings.soft_placement is True, f"an example in {name} left soft placement off"
    assert random_ops._GlobalSeed.seed is None, f"an example in {name} left the global random seed set"
