"""`import eagerflow` loads the core only; every other public name loads on first use, and is the same object
as the one its module defines."""

import json
import os
import subprocess
import sys

import pytest

import eagerflow as ef

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(ef.__file__)))


def _fresh(code):
    env = dict(os.environ, PYTHONPATH=CHECKOUT)
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# What a program that never touches them does not pay for at import: namespaces, op families, kernel and
# gradient areas beyond the core, ef.function's tracer, third-party libraries.
_NOT_AT_IMPORT = [
    "eagerflow.nn", "eagerflow.linalg", "eagerflow.math", "eagerflow.random", "eagerflow.signal",
    "eagerflow.bitwise", "eagerflow.debugging", "eagerflow.layers", "eagerflow.optimizers", "eagerflow.keras",
    "eagerflow.train", "eagerflow.data", "eagerflow.io", "eagerflow.distribute", "eagerflow.config",
    "eagerflow.ops.numeric_ops", "eagerflow.ops.linalg_ops", "eagerflow.ops.nn_impl", "eagerflow.ops.conv_ops",
    "eagerflow.ops.control_flow_ops", "eagerflow.ops.signal_ops", "eagerflow.framework.function",
    "eagerflow.backends.kernels_nn", "eagerflow.backends.kernels_linalg", "eagerflow.backends.kernels_math",
    "eagerflow.backends.kernels_signal", "eagerflow.autodiff.gradients_nn", "eagerflow.autodiff.gradients_linalg",
    "scipy", "ml_dtypes", "ray", "cupy",
]


def test_import_loads_the_core_only():
    loaded = _fresh(f"import sys, json, eagerflow; print(json.dumps([m for m in {_NOT_AT_IMPORT!r} "
                    f"if m in sys.modules]))")
    assert loaded == []


def test_every_lazy_name_resolves_to_its_module_attribute():
    for name in sorted(ef._LAZY):
        module, attribute = ef._LAZY[name]
        assert getattr(ef, name) is getattr(sys.modules[module], attribute), name
    for name in ef._LAZY_SUBMODULES:
        assert getattr(ef, name) is sys.modules[f"eagerflow.{name}"]
    assert set(ef._LAZY) <= set(dir(ef)) and ef._LAZY_SUBMODULES <= set(dir(ef))


def test_first_use_loads_kernels_and_gradients_in_a_fresh_process():
    # a convolution and its gradient in a process that imported only the core: the areas load on the miss
    got = _fresh(
        "import json, sys, eagerflow as ef\n"
        "x = ef.Variable(ef.ones([1, 3, 3, 1]))\n"
        "with ef.GradientTape() as tape:\n"
        "    y = ef.reduce_sum(ef.nn.conv2d(x, ef.ones([2, 2, 1, 1]), 1, 'VALID'))\n"
        "g = tape.gradient(y, x)\n"
        "print(json.dumps([float(y), g.numpy().ravel().tolist(), 'eagerflow.backends.kernels_nn' in sys.modules]))")
    assert got == [16.0, [1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0], True]


def test_registering_a_gradient_eagerflow_has_is_refused_before_first_use():
    # eagerflow's own gradient areas load first, so the clash is seen as TF sees it (KeyError)
    got = _fresh(
        "import json, eagerflow as ef\n"
        "try:\n"
        "    ef.RegisterGradient('Conv2D')(lambda op, g: g)\n"
        "    print(json.dumps('registered'))\n"
        "except KeyError as e:\n"
        "    print(json.dumps(type(e).__name__))")
    assert got == "KeyError"


def test_unknown_name_is_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = ef.no_such_name


def test_an_area_imported_directly_still_reaches_the_devices():
    got = _fresh(
        "import json, eagerflow as ef\n"
        "import eagerflow.backends.kernels_nn  # registers into the table before any device asked for it\n"
        "print(json.dumps(ef.nn.avg_pool2d(ef.ones([1, 2, 2, 1]), 2, 2, 'VALID').numpy().ravel().tolist()))")
    assert got == [1.0]


def test_no_top_level_names_tf_lacks():
    # code written against eagerflow must run on TF: these live in tf.math only, truncatediv/mod at the top only
    for name in ("floordiv", "floormod", "mod", "log", "log1p", "rsqrt", "ceil", "logical_xor", "reduce_std",
                 "reduce_variance"):
        assert not hasattr(ef, name) and hasattr(ef.math, name), name
    assert hasattr(ef, "truncatediv") and not hasattr(ef.math, "truncatediv")
