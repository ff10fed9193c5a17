"""Bad and huge arguments at the op boundary: TF's error classes, raised before anything is allocated
(the TF-recorded cases are tests/conformance/cases/robust_arguments.py; these go beyond TF, which
returns a wrong shape for some of them)."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.device import memory
from eagerflow.framework import arguments


@pytest.mark.parametrize("make", [
    lambda: ef.zeros([2 ** 40]),
    lambda: ef.ones([2 ** 40], dtype=ef.int8),
    lambda: ef.constant(1.0, shape=[2 ** 40]),        # TF: shape (0,)
    lambda: ef.one_hot([0], depth=2 ** 40),           # TF: shape (1, 0)
    lambda: ef.one_hot([0], depth=2 ** 33),
    lambda: ef.fill([2 ** 33], 1.0),                  # 32 GiB: more than this machine has free
    lambda: ef.linspace(0.0, 1.0, 2 ** 40),           # TF: shape (0,)
    lambda: ef.eye(2 ** 30),
    lambda: ef.range(2 ** 40),
    lambda: ef.tile([[1.0]], [2 ** 20, 2 ** 20]),
    lambda: ef.broadcast_to(1.0, [2 ** 20, 2 ** 20]),
    lambda: ef.Variable(ef.zeros([2 ** 40])),
    lambda: ef.random.normal([2 ** 40]),
    lambda: ef.random.uniform([2 ** 20, 2 ** 20]),
    lambda: ef.matmul(ef.ones([2 ** 20, 1]), ef.ones([1, 2 ** 20])),  # no up-front check: the kernel's MemoryError
])
def test_huge_outputs_are_resource_exhausted(make):
    with pytest.raises(ef.errors.ResourceExhaustedError, match="OOM"):
        make()


def test_the_free_memory_check_is_the_devices():
    device = memory.find_device("CPU:0")
    assert device.free_memory() is None or device.free_memory() > 0
    arguments.check_allocation((2 ** 20,), ef.float32, device, "Fill")  # 4 MiB: fine
    with pytest.raises(ef.errors.ResourceExhaustedError, match=r"shape\[1099511627776\] and type float32"):
        arguments.check_allocation((2 ** 40,), ef.float32, device, "Fill")


def test_element_counts_beyond_int64_are_invalid():
    with pytest.raises(ef.errors.InvalidArgumentError, match="2\\*\\*63 - 1 elements"):
        ef.zeros([2 ** 32, 2 ** 32])
    with pytest.raises(ValueError, match="out-of-range integer"):
        ef.zeros([2 ** 63])
    assert ef.zeros([2 ** 40, 0]).shape == (2 ** 40, 0)  # no elements: nothing to allocate


@pytest.mark.parametrize("call, error", [
    (lambda: ef.reduce_sum(ef.constant(6.0), axis=0), ef.errors.InvalidArgumentError),
    (lambda: ef.reduce_prod(ef.Variable([1.0, 2.0]), axis=[0, 1]), ef.errors.InvalidArgumentError),
    (lambda: ef.reduce_sum([1.0], axis=0.0), TypeError),
    (lambda: ef.gather([1.0, 2.0], [0], axis=1), ef.errors.InvalidArgumentError),
    (lambda: ef.one_hot([0], depth=-1), ef.errors.InvalidArgumentError),
    (lambda: ef.one_hot([0], depth=2.0), TypeError),
    (lambda: ef.tile([1.0], [-2]), ef.errors.InvalidArgumentError),
    (lambda: ef.zeros([2.5]), TypeError),
    (lambda: ef.zeros([[2]]), ef.errors.InvalidArgumentError),
    (lambda: ef.fill([2.5], 1.0), ef.errors.InvalidArgumentError),
    (lambda: ef.math.top_k([1, 2], k=-1), ef.errors.InvalidArgumentError),
])
def test_bad_arguments_raise_tf_classes_naming_the_values(call, error):
    with pytest.raises(error) as info:
        call()
    assert any(ch.isdigit() for ch in str(info.value))  # the message names the values


def test_a_failed_op_changes_no_variable():
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    before = v.numpy().tobytes()
    for bad in (lambda: ef.reduce_sum(v, axis=2), lambda: ef.gather(v, [0], axis=-3), lambda: ef.tile(v, [-1, 1]),
                lambda: ef.reshape(v, [3]), lambda: ef.one_hot(ef.cast(v, ef.int32), depth=-1)):
        with pytest.raises((ef.errors.InvalidArgumentError, TypeError)):
            bad()
    assert v.numpy().tobytes() == before


def test_device_indices_beyond_uint64_are_malformed():
    with pytest.raises(ef.errors.InvalidArgumentError, match="Malformed device specification"):
        with ef.device("CPU:99999999999999999999"):
            ef.constant(1.0) + 1
    with ef.device("CPU:18446744073709551615"):  # fits: soft placement falls back, as TF
        assert (ef.constant(1.0) + 1).device.endswith("CPU:0")


def test_numpy_integer_arguments_are_accepted():
    assert ef.zeros(np.array([2, 3])).shape == (2, 3)
    assert ef.one_hot([0], depth=np.int64(3)).shape == (1, 3)
    assert ef.reduce_sum([[1, 2]], axis=np.int32(1)).numpy().tolist() == [3]
    assert ef.tile([1], ef.constant([2])).numpy().tolist() == [1, 1]
