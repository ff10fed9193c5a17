"""Scoped settings belong to their thread: a block in one thread (device scope, placement logging,
soft placement, transfer guard, tape) changes nothing in another, not even its fast path; the global
switch counter never drops below the truth. Real threads, held inside their blocks by barriers."""

import logging
import threading

import pytest

import eagerflow as ef
from eagerflow.device import context
from eagerflow.framework import execute as execute_module


def _in_thread(block, body):
    """Run `body()` in this thread while another thread sits inside `block()`; return what body returned."""
    inside, done = threading.Event(), threading.Event()
    errors = []

    def hold():
        try:
            with block():
                inside.set()
                done.wait(10)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
            inside.set()

    t = threading.Thread(target=hold)
    t.start()
    assert inside.wait(10)
    try:
        return body()
    finally:
        done.set()
        t.join(10)
        assert not errors, errors


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append((record.threadName, record.getMessage()))


@pytest.fixture
def placement_lines():
    handler = _Lines()
    logger = logging.getLogger("eagerflow.placement")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_a_logging_block_logs_only_its_own_thread(placement_lines):
    x = ef.constant([1.0, 2.0])

    def other_thread():
        assert not ef.debugging.get_log_device_placement()
        return x * 3

    _in_thread(ef.debugging.log_device_placement, other_thread)
    assert not any("Mul" in line for _, line in placement_lines)
    with ef.debugging.log_device_placement():
        assert ef.debugging.get_log_device_placement()
        x * 3
    assert [name for name, line in placement_lines if "Mul" in line] == [threading.current_thread().name]
    assert context.switches.active == 0 and context.switches.globals == 0


def test_the_global_switch_still_reaches_every_thread(placement_lines):
    x = ef.constant([1.0])
    ef.debugging.set_log_device_placement(True)
    try:
        t = threading.Thread(target=lambda: x - 1, name="worker")
        t.start()
        t.join()
    finally:
        ef.debugging.set_log_device_placement(False)
    assert ("worker", f"Executing op Sub in device {x.device}") in placement_lines
    assert context.switches.active == 0


def test_soft_placement_blocks_are_per_thread():
    def missing_gpu():
        with ef.device("GPU:7"):
            return (ef.constant([1.0]) + 1).device

    assert _in_thread(lambda: context.soft_placement(False), missing_gpu).endswith("CPU:0")
    with context.soft_placement(False):
        assert not ef.config.get_soft_device_placement()
        with pytest.raises(ef.errors.InvalidArgumentError, match="GPU:7"):
            missing_gpu()
    assert ef.config.get_soft_device_placement()


@pytest.mark.parametrize("block", ["device scope", "tape", "transfer guard", "logging block"])
def test_another_threads_block_leaves_this_threads_fast_path(block, monkeypatch):
    blocks = {"device scope": lambda: ef.device("CPU:0"), "tape": ef.GradientTape,
              "transfer guard": lambda: ef.debugging.transfer_guard("disallow"),
              "logging block": ef.debugging.log_device_placement}
    slow = []
    real = execute_module._execute_slow
    monkeypatch.setattr(execute_module, "_execute_slow",
                        lambda *a: slow.append(threading.current_thread().name) or real(*a))
    a, b = ef.constant([1.0, 2.0]), ef.constant([3.0, 4.0])
    me = threading.current_thread().name
    assert _in_thread(blocks[block], lambda: (a + b).numpy().tolist()) == [4.0, 6.0]
    assert me not in slow
    with blocks[block]():
        a + b
    # this thread's own tape still records on the fast path, and a scope naming the device the inputs
    # live on keeps it (the op runs there anyway)
    assert (me in slow) == (block not in ("tape", "device scope"))


def test_a_tape_records_only_its_threads_ops():
    v = ef.Variable(2.0)
    with ef.GradientTape() as tape:
        _in_thread(lambda: ef.device("CPU:0"), lambda: v * 100.0)  # another thread, under its own scope
        y = v * 3.0
        t = threading.Thread(target=lambda: v * v)
        t.start()
        t.join()
    assert float(tape.gradient(y, v)) == 3.0


def test_the_switch_counter_never_drops_below_the_truth():
    start = threading.Barrier(8)

    def toggle(i):
        start.wait()
        for k in range(300):
            ef.debugging.set_log_device_placement((i + k) % 2 == 0)
            assert context.switches.active >= context.switches.globals >= 0

    logging.getLogger("eagerflow.placement").disabled = True
    try:
        threads = [threading.Thread(target=toggle, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ef.debugging.set_log_device_placement(True)
        assert context.switches.globals == 1 and context.switches.active == 1
        ef.debugging.set_log_device_placement(True)  # twice on is on once
        assert context.switches.globals == 1
    finally:
        ef.debugging.set_log_device_placement(False)
        logging.getLogger("eagerflow.placement").disabled = False
    assert context.switches.globals == 0 and context.switches.active == 0


def test_scopes_in_many_threads_balance():
    start = threading.Barrier(6)

    def work():
        start.wait()
        for _ in range(200):
            with ef.device("CPU:0"), ef.debugging.transfer_guard("log"), ef.GradientTape():
                ef.constant([1.0]) + 1
            assert context.thread_state().switched == 0

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert context.switches.active == 0 and context.switches.globals == 0
