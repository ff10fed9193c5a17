"""Placement: device strings through ef.device, scope nesting, the placement rules, soft placement,
logical CPU devices (in fresh interpreters, since devices are fixed once initialized), and the
placement log lines."""

import logging
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from eagerflow.device import context

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
HAS_GPU = bool(ef.config.list_physical_devices("GPU"))


# ------------------------------------------------------------------------------------------
# device strings and scope merging, through ef.device
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["CPU:0", "cpu:0", "/CPU:0", "/cpu:0", "/device:CPU:0", "/device:cpu:0", "CPU",
                                  "cpu", CPU0, "/job:localhost/device:CPU:0", "/job:localhost/replica:0/cpu:0",
                                  ef.DeviceSpec(device_type="CPU", device_index=0)])
def test_every_form_of_the_cpu_name_places_on_cpu0(name):
    with ef.device(name):
        assert context.current_device_spec()
        t = ef.constant([1.0]) + 1
    assert t.device == CPU0


def test_logical_device_object_is_accepted_as_scope():
    with ef.device(ef.config.list_logical_devices("CPU")[0]):
        assert (ef.constant(1.0) * 2).device == CPU0


@pytest.mark.parametrize("bad", ["CPU:x", "/device:", "/job:", "GPU:0:1", "/foo:bar"])
def test_malformed_strings_raise_value_error(bad):
    with pytest.raises(ValueError, match="device"):
        with ef.device(bad):
            pass


def test_non_string_scope_raises():
    with pytest.raises(ValueError, match="device name"):
        with ef.device(3):
            pass


@pytest.mark.parametrize("outer, inner, merged", [
    ("/job:worker", "GPU:1", "/job:worker/device:GPU:1"),
    ("/job:worker/device:GPU:0", "/job:ps", "/job:ps/device:GPU:0"),
    ("GPU:0", "/device:CPU:1", "/device:CPU:1"),
    ("/job:worker/task:3", "/replica:2", "/job:worker/replica:2/task:3"),
    ("CPU:0", "", "/device:CPU:0"),
])
def test_nested_scopes_merge_as_tf(outer, inner, merged):
    with ef.device(outer):
        with ef.device(inner):
            assert context.current_device_spec() == merged
        assert context.current_device_spec() == ef.DeviceSpec.from_string(outer).to_string()
    assert context.current_device_spec() == ""


def test_device_none_clears_the_scope_and_switches_balance():
    before = context.switches.active
    with ef.device("GPU:0"):
        with ef.device(None):
            assert context.current_device_spec() == ""
            assert ef.constant([1.0]).device == (GPU0 if HAS_GPU else CPU0)
        assert context.current_device_spec() == "/device:GPU:0"
    assert context.switches.active == before


def test_scope_is_restored_after_an_exception():
    with pytest.raises(RuntimeError):
        with ef.device("CPU:0"):
            raise RuntimeError("boom")
    assert context.current_device_spec() == ""


def test_scopes_are_per_thread():
    import threading
    seen = []
    with ef.device("/job:worker"):
        th = threading.Thread(target=lambda: seen.append(context.current_device_spec()))
        th.start()
        th.join()
    assert seen == [""]


# ------------------------------------------------------------------------------------------
# placement rules (this process: one CPU, and a GPU only where CuPy sees one)
# ------------------------------------------------------------------------------------------

def test_placement_by_dtype_default():
    x = ef.constant([1.0, 2.0])
    assert x.device == (GPU0 if HAS_GPU else CPU0)
    assert ef.constant("a string").device == CPU0
    assert ef.Variable(["s"]).device == CPU0


def test_variable_ops_run_on_the_variable_device_whatever_the_scope():
    v = ef.Variable([1.0, 2.0])
    home = v.device
    with ef.device("/job:localhost/device:CPU:0"), ef.debugging.log_device_placement():
        v.assign_add([1.0, 1.0])
        assert ef.convert_to_tensor(v).device == home
        assert v.value().device == home
    assert v.numpy().tolist() == [2.0, 3.0]


def test_soft_placement_falls_back_to_the_cpu():
    assert ef.config.get_soft_device_placement()
    with ef.device("GPU:7"):
        t = ef.constant([1.0]) * 3
    assert t.device == CPU0 and t.numpy().tolist() == [3.0]
    with ef.device("/job:ps/task:2"):         # a device of another task: refused even so, as TF
        with pytest.raises(errors.InvalidArgumentError, match="another task"):
            ef.constant([1.0]) + 1
    for other in ("/replica:1", "/job:worker/task:0", "/task:1/device:CPU:0"):
        with ef.device(other), pytest.raises(errors.InvalidArgumentError):
            ef.constant([1.0])
    with ef.device("/job:localhost"):         # no device type: the dtype's default
        assert (ef.constant([1.0]) + 1).device in (CPU0, GPU0)


@pytest.mark.parametrize("scope, words", [("GPU:7", ["GPU:7", "Mul", "no device"]),
                                          ("/job:ps", ["/job:ps", "Mul", "another task"]),
                                          ("CPU:5", ["CPU:5", "Mul", "Known devices", "soft placement"])])
def test_without_soft_placement_a_missing_device_raises(scope, words):
    x = ef.constant([1.0])
    with context.soft_placement(False):
        assert not ef.config.get_soft_device_placement()
        with ef.device(scope):
            with pytest.raises(ef.errors.InvalidArgumentError) as info:
                x * x
    for w in words:
        assert w in str(info.value)
    assert ef.config.get_soft_device_placement()


def test_set_soft_device_placement_roundtrip():
    ef.config.set_soft_device_placement(False)
    try:
        assert ef.config.get_soft_device_placement() is False
    finally:
        ef.config.set_soft_device_placement(True)


def test_guide_last_example_falls_back_softly_and_explains(caplog):
    """The guide's multiply under device('GPU:0') of two CPU variables, on this machine."""
    with ef.device("CPU:0"):
        a = ef.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        b = ef.Variable([[1.0, 2.0, 3.0]])
    with caplog.at_level(logging.INFO, logger="eagerflow.placement"):
        with ef.debugging.log_device_placement(explain=True):
            with ef.device("GPU:0"):
                k = a * b
    np.testing.assert_array_equal(k.numpy(), [[1, 4, 9], [4, 10, 18]])
    assert a.device == CPU0 and b.device == CPU0
    mul = [r.getMessage() for r in caplog.records if "op Mul " in r.getMessage()]
    if HAS_GPU:
        assert k.device == GPU0 and mul == [f"Executing op Mul in device {GPU0} (scope)"]
    else:
        assert k.device == CPU0
        assert mul == [f"Executing op Mul in device {CPU0} (soft fallback: no device /device:GPU:0 exists "
                       f"on this machine)"]


# ------------------------------------------------------------------------------------------
# placement logs
# ------------------------------------------------------------------------------------------

def test_log_lines_in_tf_wording(caplog):
    x = ef.constant([[1.0, 2.0]])
    with caplog.at_level(logging.INFO, logger="eagerflow.placement"):
        ef.debugging.set_log_device_placement(True)
        try:
            assert ef.debugging.get_log_device_placement()
            with ef.device("CPU:0"):
                ef.matmul(x, ef.transpose(x))
                v = ef.Variable([1.0])
                v.read_value()
                v.assign([2.0])
                v.assign_add([1.0])
                v.assign_sub([1.0])
        finally:
            ef.debugging.set_log_device_placement(False)
        ef.constant([1.0]) + 1   # not logged any more
    lines = [r.getMessage() for r in caplog.records if r.name == "eagerflow.placement"]
    assert f"Executing op MatMul in device {CPU0}" in lines
    assert f"Executing op Transpose in device {CPU0}" in lines
    for op in ("VarHandleOp", "ReadVariableOp", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp"):
        assert f"Executing op {op} in device {CPU0}" in lines, op
    assert not any("AddV2" in line for line in lines)
    assert not ef.debugging.get_log_device_placement()


def test_log_block_restores_and_explains(caplog):
    x = ef.constant([1.0])
    with caplog.at_level(logging.INFO, logger="eagerflow.placement"):
        with ef.debugging.log_device_placement(explain=True):
            x + 1
            with ef.device("CPU:0"):
                x - 1
            v = ef.Variable([1.0])
            v.assign_add([1.0])
        x * 5
    lines = [r.getMessage() for r in caplog.records if r.name == "eagerflow.placement"]
    dev = x.device
    assert f"Executing op AddV2 in device {dev} (dtype default)" in lines
    assert f"Executing op Sub in device {CPU0} (scope)" in lines
    assert f"Executing op AssignAddVariableOp in device {v.device} (input)" in lines
    assert not any("Mul" in line for line in lines)
    assert not ef.debugging.get_log_device_placement()
    assert context.switches.active == 0


# ------------------------------------------------------------------------------------------
# logical CPU devices: fresh interpreters
# ------------------------------------------------------------------------------------------

TWO_CPUS = """
import gc, logging
import numpy as np
import eagerflow as ef
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1"
cpu = ef.config.list_physical_devices("CPU")[0]
ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration(),
                                                 ef.config.LogicalDeviceConfiguration()])
"""


def run_two_cpus(script):
    env = dict(os.environ)
    env.pop("FAKE_CUPY_GPUS", None)
    done = subprocess.run([sys.executable, "-c", TWO_CPUS + textwrap.dedent(script) + "\nprint('OK')"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("OK"), done.stdout + done.stderr
    return done


def test_logical_cpus_are_listed_and_configuration_is_frozen():
    run_two_cpus("""
        assert ef.config.get_logical_device_configuration(cpu) == [ef.config.LogicalDeviceConfiguration()] * 2
        names = [d.name for d in ef.config.list_logical_devices("CPU")]
        assert names == ["/device:CPU:0", "/device:CPU:1"], names  # as TF lists them
        assert repr(ef.config.list_logical_devices()[1]) == "LogicalDevice(name='/device:CPU:1', device_type='CPU')"
        assert repr(cpu) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
        try:
            ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()])
        except RuntimeError as e:
            assert "initialized" in str(e)
        else:
            raise AssertionError("expected RuntimeError after initialization")
    """)


def test_variables_on_two_cpus_and_an_op_across_them():
    run_two_cpus("""
        with ef.device("CPU:0"):
            a = ef.Variable([1.0, 2.0, 3.0], name="a")
        with ef.device("CPU:1"):
            b = ef.Variable([10.0, 20.0, 30.0], name="b")
        assert a.device == CPU0 and b.device == CPU1
        ef.debugging.reset_copy_stats()
        c = a + b                                     # no scope: CPU:0, b is copied
        assert c.device == CPU0 and c.numpy().tolist() == [11.0, 22.0, 33.0]
        assert ef.debugging.copy_stats() == {(CPU1, CPU0): {"copies": 1, "bytes": 12}}
        with ef.device("CPU:1"):
            d = a * b                                 # scope: CPU:1, a is copied
        assert d.device == CPU1 and d.numpy().tolist() == [10.0, 40.0, 90.0]
        assert ef.debugging.copy_stats()[(CPU0, CPU1)] == {"copies": 1, "bytes": 12}
        assert d._value is not a._buf and not np.shares_memory(d._value, a._buf)
        with ef.device("CPU:1"):
            t1 = ef.constant([1.0, 1.0])
            t2 = ef.constant([2.0, 2.0])
        assert (t1 + t2).device == CPU0               # as the issue: default device, inputs copied
        copies = ef.debugging.copy_stats()
        with ef.device("CPU:1"), ef.GradientTape() as tape:
            tape.watch(t1)
            e = t1 * t2                               # the scope's device holds the inputs: no copy
            with ef.device("CPU:0"):
                f = t1 * t2                           # an inner scope elsewhere: both copied
            g = t2 - t1                               # the outer scope again
        assert (e.device, f.device, g.device) == (CPU1, CPU0, CPU1), (e.device, f.device, g.device)
        assert ef.debugging.copy_stats()[(CPU1, CPU0)]["copies"] == copies[(CPU1, CPU0)]["copies"] + 2
        assert tape.gradient(e, t1).numpy().tolist() == [2.0, 2.0]
        with ef.device("CPU:1"):
            a.assign_add([1.0, 1.0, 1.0])             # the variable's own op stays on CPU:0
        assert a.device == CPU0 and a.numpy().tolist() == [2.0, 3.0, 4.0]
        b.assign(ef.constant([0.0, 0.0, 0.0]))        # a CPU:0 value assigned into CPU:1: a copy
        assert b.numpy().tolist() == [0.0, 0.0, 0.0]
        assert ef.debugging.copy_stats()[(CPU0, CPU1)]["copies"] == 2
        ef.debugging.reset_copy_stats()
        assert ef.debugging.copy_stats() == {}
    """)


def test_memory_per_logical_device():
    run_two_cpus("""
        info = ef.config.experimental.get_memory_info
        with ef.device("CPU:1"):
            v = ef.Variable(np.zeros(1000, np.float32), name="big")
        assert info("CPU:1") == {"current": 4000, "peak": 4000}
        assert info("CPU:0")["current"] == 0
        with ef.device("CPU:0"):
            w = ef.Variable(np.zeros(10, np.float64), name="small")
        report = ef.debugging.memory_report()
        assert [(r["device"], r["name"], r["shape"], r["dtype"], r["bytes"]) for r in report] == [
            (CPU0, "small:0", (10,), "float64", 80), (CPU1, "big:0", (1000,), "float32", 4000)]
        assert report.total("CPU:1") == 4000 and report.total() == 4080
        text = str(report)
        assert "big:0" in text and "(1000,)" in text and "total on " + CPU1 + ": 4000 bytes" in text
        del v
        gc.collect()
        assert info("CPU:1") == {"current": 0, "peak": 4000}
        ef.config.experimental.reset_memory_stats("CPU:1")
        assert info("CPU:1") == {"current": 0, "peak": 0}
        assert [r["name"] for r in ef.debugging.memory_report()] == ["small:0"]
        del w
    """)


def test_transfer_guard_between_logical_cpus():
    run_two_cpus("""
        from eagerflow.device import context
        with ef.device("CPU:1"):
            b = ef.constant([1.0, 2.0])
        a = ef.constant([1.0, 1.0])
        with ef.debugging.transfer_guard("disallow"):
            assert context.switches.active == 1
            assert (a + a).numpy().tolist() == [2.0, 2.0]     # no copy needed: allowed
            try:
                a + b
            except ef.errors.InvalidArgumentError as e:
                assert CPU1 in str(e) and CPU0 in str(e) and "transfer_guard" in str(e)
            else:
                raise AssertionError("expected the guard to refuse the copy")
        assert context.switches.active == 0
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger("eagerflow.placement").addHandler(handler)
        with ef.debugging.transfer_guard("log"):
            assert (a + b).numpy().tolist() == [2.0, 3.0]
        assert len(records) == 1 and "Implicit copy of 8 bytes" in records[0].getMessage()
        assert (a + b).numpy().tolist() == [2.0, 3.0]          # allowed again
        try:
            with ef.debugging.transfer_guard("sometimes"):
                pass
        except ValueError as e:
            assert "allow" in str(e)
        else:
            raise AssertionError
    """)


def test_guide_example_with_logical_cpu_and_explain():
    done = run_two_cpus("""
        import sys
        logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format="%(message)s")
        ef.debugging.set_log_device_placement(True, explain=True)
        with ef.device("CPU:0"):
            a = ef.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            b = ef.Variable([[1.0, 2.0, 3.0]])
        with ef.device("CPU:1"):
            k = a * b
        assert k.device == CPU1
        ef.debugging.set_log_device_placement(False)
    """)
    assert f"Executing op Mul in device {CPU1} (scope)" in done.stdout
    assert f"Executing op VarHandleOp in device {CPU0} (scope)" in done.stdout
    assert done.stdout.count("Executing op Mul") == 1   # printed once (no duplicate handler)
