"""`ef.train.CheckpointOptions`: each field does what TF does with it, or is refused."""

import os
import threading

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors


def test_fields_and_defaults_as_tf():
    o = ef.train.CheckpointOptions()
    assert (o.experimental_io_device, o.enable_async, o.experimental_enable_async_checkpoint,
            o.experimental_write_callbacks, o.experimental_skip_slot_variables,
            o.experimental_sharding_callback) == (None, False, False, None, False, None)
    assert ef.train.CheckpointOptions(experimental_enable_async_checkpoint=True).enable_async


def test_options_must_be_checkpoint_options(tmp_path):
    ckpt = ef.train.Checkpoint(v=ef.Variable(1.0))
    path = ckpt.write(str(tmp_path / "ck"))
    manager = ef.train.CheckpointManager(ckpt, str(tmp_path / "m"), max_to_keep=5)
    for call in (lambda o: ckpt.write(str(tmp_path / "x"), options=o), lambda o: ckpt.save(str(tmp_path / "y"), o),
                 lambda o: ckpt.read(path, o), lambda o: ckpt.restore(path, o), lambda o: manager.save(options=o)):
        with pytest.raises(TypeError, match="CheckpointOptions"):
            call({"enable_async": True})
    assert sorted(os.listdir(tmp_path)) == ["ck.data-00000-of-00001", "ck.index"]
    assert int(ckpt.save_counter.numpy()) == 0


def test_write_callbacks_run_after_each_write_with_the_path(tmp_path):
    calls = []
    options = ef.train.CheckpointOptions(experimental_write_callbacks=[
        lambda: calls.append(("none", None)),
        lambda path: calls.append(("path", os.path.basename(path), os.path.exists(path + ".index")))])
    ckpt = ef.train.Checkpoint(v=ef.Variable(1.0))
    ckpt.write(str(tmp_path / "w"), options=options)
    ckpt.save(str(tmp_path / "s"), options=options)
    ef.train.CheckpointManager(ckpt, str(tmp_path / "m"), max_to_keep=5).save(options=options)
    assert calls == [("none", None), ("path", "w", True), ("none", None), ("path", "s-1", True),
                     ("none", None), ("path", "ckpt-2", True)]
    bad = ef.train.CheckpointOptions(experimental_write_callbacks=[lambda a, b: None])
    with pytest.raises(AssertionError, match="0 or 1 parameters"):
        ckpt.write(str(tmp_path / "bad"), options=bad)
    with pytest.raises(TypeError):
        ef.train.CheckpointOptions(experimental_write_callbacks=lambda: None)


def test_async_save_snapshots_now_and_writes_in_the_background(tmp_path):
    v = ef.Variable(np.arange(1 << 20, dtype=np.float32))
    ckpt = ef.train.Checkpoint(v=v)
    written = threading.Event()
    release = threading.Event()

    def hold(path):               # keep the background write from finishing until we have looked
        written.set()
        assert release.wait(30)

    options = ef.train.CheckpointOptions(enable_async=True, experimental_write_callbacks=[hold])
    manager = ef.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=1)
    path = manager.save(options=options)
    v.assign_add(np.ones(1 << 20, np.float32))         # after the call: not in the checkpoint
    assert written.wait(30)
    assert threading.current_thread() is threading.main_thread()
    release.set()
    ckpt.sync()
    assert ef.train.latest_checkpoint(str(tmp_path)) == path
    np.testing.assert_array_equal(ef.train.load_variable(path, "v/.ATTRIBUTES/VARIABLE_VALUE"),
                                  np.arange(1 << 20, dtype=np.float32))
    second = manager.save(options=ef.train.CheckpointOptions(enable_async=True))
    ckpt.restore(second).assert_consumed()              # waits for the save first
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-2.data-00000-of-00001", "ckpt-2.index"]
    assert float(ef.train.load_variable(second, "v/.ATTRIBUTES/VARIABLE_VALUE")[0]) == 1.0


def test_an_async_failure_is_raised_by_sync(tmp_path):
    (tmp_path / "file").write_text("x")
    ckpt = ef.train.Checkpoint(v=ef.Variable(1.0))
    ckpt.write(str(tmp_path / "file" / "ck"), options=ef.train.CheckpointOptions(enable_async=True))
    with pytest.raises(errors.FailedPreconditionError, match="a file is in the way"):
        ckpt.sync()
    ckpt.sync()                                         # reported once


def test_io_device_of_this_task_or_refused(tmp_path):
    ckpt = ef.train.Checkpoint(v=ef.Variable(1.0))
    for device in ("/job:localhost", "/cpu:0", "/job:localhost/replica:0/task:0/device:CPU:0", "/cpu:7"):
        options = ef.train.CheckpointOptions(experimental_io_device=device)
        path = ckpt.write(str(tmp_path / "io"), options=options)
        ckpt.read(path, options=options).assert_consumed()
    for device, error in (("/job:foo/task:3", errors.InvalidArgumentError), ("nonsense:::", ValueError)):
        options = ef.train.CheckpointOptions(experimental_io_device=device)    # checked where used, as TF
        with pytest.raises(error):
            ckpt.write(str(tmp_path / "other"), options=options)
        with pytest.raises(error):
            ckpt.restore(path, options=options)
    assert not os.path.exists(tmp_path / "other.index")


def test_sharding_callback_is_refused():
    with pytest.raises(ValueError, match="one data file"):
        ef.train.CheckpointOptions(experimental_sharding_callback=object())


def test_skip_slot_variables_leaves_the_slots():
    """As TF: the object graph's slot variables (TF1 optimizers') are skipped; Keras 3 optimizers keep their
    moments as plain children (`opt/_variables/N`), which TF restores with or without the option."""
    from tf_data import TF_DIR

    for skip in (True, False):
        w = ef.Variable(np.zeros((2, 2), np.float32), name="w")
        b = ef.Variable(np.zeros(2, np.float32), name="b")
        opt = ef.optimizers.Adam(learning_rate=0.1)
        opt.build([w, b])
        options = ef.train.CheckpointOptions(experimental_skip_slot_variables=skip)
        status = ef.train.Checkpoint(w=w, b=b, optimizer=opt).restore(os.path.join(TF_DIR, "optimizer_slots"),
                                                                      options=options)
        assert w.numpy().any()                                     # the variables are restored either way
        moments = [opt.get_slot(var, slot).numpy() for var in (w, b) for slot in ("momentum", "velocity")]
        assert all(m.any() for m in moments) is not skip
        assert any(m.any() for m in moments) is not skip
        unexpected = status.expect_partial().report().unexpected
        assert any(".OPTIMIZER_SLOT" in k for k in unexpected) is skip
