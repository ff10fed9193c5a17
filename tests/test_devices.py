"""Devices: listing, configuration, memory and copy accounting, ef.test, `python -m eagerflow`."""

import gc
import subprocess
import sys

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.device import context

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


def test_physical_and_logical_devices_as_tf():
    cpus = ef.config.list_physical_devices("CPU")
    assert repr(cpus[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert ef.config.list_physical_devices("cpu") == [] == ef.config.list_logical_devices("cpu")  # TF: exact type
    assert ef.config.get_visible_devices("CPU") == cpus
    logical = ef.config.list_logical_devices("CPU")
    assert logical[0].name == "/device:CPU:0" and logical[0].device_type == "CPU"  # as TF lists them
    assert repr(logical[0]) == "LogicalDevice(name='/device:CPU:0', device_type='CPU')"
    assert ef.config.experimental.list_physical_devices("CPU") == cpus


def test_gpu_listing_agrees_with_ef_test():
    gpus = ef.config.list_physical_devices("GPU")
    assert ef.test.is_gpu_available() == bool(gpus)
    assert ef.test.gpu_device_name() == ("/device:GPU:0" if gpus else "")
    assert isinstance(ef.test.is_built_with_cuda(), bool)
    if not ef.test.is_built_with_cuda():
        assert gpus == []


def test_logical_configuration_after_initialization_raises():
    ef.constant(1.0)  # devices are initialized by now
    cpu = ef.config.list_physical_devices("CPU")[0]
    with pytest.raises(RuntimeError, match="initialized"):
        ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)
    with pytest.raises(ValueError, match="PhysicalDevice"):
        ef.config.set_logical_device_configuration("CPU:0", [ef.config.LogicalDeviceConfiguration()])


def test_logical_device_configuration_repr_and_eq():
    c = ef.config.LogicalDeviceConfiguration(memory_limit=1024)
    assert c == ef.config.LogicalDeviceConfiguration(memory_limit=1024)
    assert "memory_limit=1024" in repr(c)


def test_memory_goes_up_on_creation_and_down_when_freed():
    info = ef.config.experimental.get_memory_info
    start = info("CPU:0")["current"]
    v = ef.Variable(np.zeros((10, 10), np.float32), name="mem_probe")
    assert info("CPU:0")["current"] == start + 400
    assert info("/device:CPU:0")["peak"] >= start + 400
    assert info(CPU0) == info(ef.config.list_logical_devices("CPU")[0])
    del v
    gc.collect()
    assert info("CPU:0")["current"] == start
    ef.config.experimental.reset_memory_stats("CPU:0")
    assert info("CPU:0")["peak"] == info("CPU:0")["current"]
    assert ef.config.experimental.get_memory_usage("CPU:0") == start


def test_memory_follows_a_shape_change():
    info = ef.config.experimental.get_memory_info
    start = info("CPU:0")["current"]
    v = ef.Variable([1.0, 2.0], shape=ef.TensorShape(None))
    v.assign([1.0, 2.0, 3.0, 4.0])
    assert info("CPU:0")["current"] == start + 16
    del v
    gc.collect()
    assert info("CPU:0")["current"] == start


def test_memory_info_of_a_missing_device_raises():
    with pytest.raises(ValueError, match="GPU:9.*Known devices"):
        ef.config.experimental.get_memory_info("GPU:9")
    with pytest.raises(ValueError, match="device name"):
        ef.config.experimental.get_memory_info(0)


def test_memory_report_lists_live_variables_and_does_not_keep_them_alive():
    v = ef.Variable([[1, 2, 3]], name="report_probe")
    rows = [r for r in ef.debugging.memory_report() if r["name"] == "report_probe:0"]
    assert rows == [{"device": v.device, "name": "report_probe:0", "shape": (1, 3), "dtype": "int32", "bytes": 12}]
    assert "report_probe:0" in str(ef.debugging.memory_report())
    del v, rows
    gc.collect()
    assert not [r for r in ef.debugging.memory_report() if r["name"] == "report_probe:0"]


def test_copy_stats_api():
    ef.debugging.reset_copy_stats()
    assert ef.debugging.copy_stats() == {}
    ef.constant([1.0]) + 1
    assert ef.debugging.copy_stats() == {}  # nothing crossed a device


def test_transfer_guard_modes_and_switches():
    before = context.switches.active
    for mode in ("allow", "log", "disallow"):
        with ef.debugging.transfer_guard(mode):
            assert context.thread_state().transfer_guard == mode
            assert context.switches.active == before + 1
            assert (ef.constant([1.0]) + 1).numpy().tolist() == [2.0]
    assert context.thread_state().transfer_guard == "allow" and context.switches.active == before
    with pytest.raises(ValueError, match="disallow"):
        with ef.debugging.transfer_guard("never"):
            pass


def test_memory_growth_and_details():
    cpu = ef.config.list_physical_devices("CPU")[0]
    assert ef.config.experimental.get_memory_growth(cpu) is False
    ef.config.experimental.set_memory_growth(cpu, True)
    assert ef.config.experimental.get_memory_growth(cpu) is True
    ef.config.experimental.set_memory_growth(cpu, False)
    assert ef.config.experimental.get_device_details(cpu) == {}
    with pytest.raises(ValueError, match="PhysicalDevice"):
        ef.config.experimental.set_memory_growth("CPU:0", True)


def test_python_dash_m_eagerflow_prints_versions_and_devices():
    done = subprocess.run([sys.executable, "-m", "eagerflow"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"eagerflow {ef.__version__}" in done.stdout
    assert f"NumPy {np.__version__}" in done.stdout and "CuPy" in done.stdout
    assert "/physical_device:CPU:0" in done.stdout and CPU0 in done.stdout
