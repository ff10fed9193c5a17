"""Every example in eagerflow's docstrings runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import eagerflow as ef

MODULES = sorted(m.name for m in pkgutil.walk_packages(ef.__path__, "eagerflow.") if ".__main__" not in m.name)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, extraglobs={"ef": ef, "np": np}, optionflags=doctest.ELLIPSIS,
                             verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples in {name} fail"
