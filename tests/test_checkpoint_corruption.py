"""Damaged checkpoints are refused and change nothing: a flipped bit or a truncation anywhere in the
`.index`, the `.data-*` file or the `checkpoint` state file gives DataLossError (a missing file
NotFoundError), and a checkpoint of another model (other shapes or dtypes) assigns no variable."""

import os

import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from eagerflow.checkpoint.bundle import data_filename

FLIPS = (0x01, 0x10, 0x80)


class Model(ef.Module):
    def __init__(self, n=1000, dtype=np.float32):
        super().__init__()
        self.a = ef.Variable(np.zeros(n, dtype))
        self.s = ef.Variable(np.array([b"", b""], dtype=object))
        self.step = ef.Variable(np.int64(0))


def _saved(tmp_path):
    m = Model()
    m.a.assign(np.arange(1000, dtype=np.float32))
    m.s.assign(np.array([b"abc", b"de"], dtype=object))
    m.step.assign(7)
    manager = ef.train.CheckpointManager(ef.train.Checkpoint(model=m), str(tmp_path), max_to_keep=2)
    manager.save()
    return manager.save()


def _untouched(m):
    assert not m.a.numpy().any() and m.s.numpy().tolist() == [b"", b""] and int(m.step.numpy()) == 0


def _refused(path, error=errors.DataLossError):
    m = Model()
    with pytest.raises(error):
        ef.train.Checkpoint(model=m).restore(path)
    _untouched(m)


def _damaged(path, raw, offsets, all_bits=False):
    for pos in offsets:
        for bit in (FLIPS if all_bits else FLIPS[pos % len(FLIPS):][:1]):
            b = bytearray(raw)
            b[pos] ^= bit
            with open(path, "wb") as f:
                f.write(b)
            yield pos, bit


@pytest.mark.parametrize("which", ["index", "data"])
def test_every_flipped_bit_is_data_loss_and_assigns_nothing(tmp_path, which):
    prefix = _saved(tmp_path)
    target = prefix + ".index" if which == "index" else data_filename(prefix)
    raw = open(target, "rb").read()
    offsets = range(len(raw)) if which == "index" else sorted({*range(0, len(raw), 17),
                                                               *range(len(raw) - 16, len(raw))})
    for _ in _damaged(target, raw, offsets):
        _refused(prefix)
    with open(target, "wb") as f:
        f.write(raw)
    m = Model()
    ef.train.Checkpoint(model=m).restore(prefix).assert_consumed()
    assert m.s.numpy().tolist() == [b"abc", b"de"] and int(m.step.numpy()) == 7


@pytest.mark.parametrize("which", ["index", "data"])
def test_every_truncation_is_data_loss_and_assigns_nothing(tmp_path, which):
    prefix = _saved(tmp_path)
    target = prefix + ".index" if which == "index" else data_filename(prefix)
    raw = open(target, "rb").read()
    lengths = range(len(raw)) if which == "index" else sorted({*range(0, len(raw), 13),
                                                               *range(len(raw) - 8, len(raw))})
    for keep in lengths:
        with open(target, "wb") as f:
            f.write(raw[:keep])
        _refused(prefix)


def test_missing_files_are_not_found_and_assign_nothing(tmp_path):
    prefix = _saved(tmp_path)
    os.remove(data_filename(prefix))
    _refused(prefix, errors.NotFoundError)
    os.remove(prefix + ".index")
    _refused(prefix, errors.NotFoundError)


def test_every_damage_to_the_state_file_is_data_loss(tmp_path):
    prefix = _saved(tmp_path)
    state = tmp_path / "checkpoint"
    raw = state.read_bytes()
    assert ef.train.latest_checkpoint(str(tmp_path)) == prefix
    for pos, _ in _damaged(state, raw, range(len(raw)), all_bits=True):
        with pytest.raises(errors.DataLossError):
            ef.train.latest_checkpoint(str(tmp_path))
        if pos % 5 == 0:
            with pytest.raises(errors.DataLossError):
                ef.train.CheckpointManager(ef.train.Checkpoint(model=Model()), str(tmp_path), 2)
    for keep in range(len(raw)):
        state.write_bytes(raw[:keep])
        with pytest.raises(errors.DataLossError):
            ef.train.get_checkpoint_state(str(tmp_path))
    state.write_bytes(raw)
    assert ef.train.latest_checkpoint(str(tmp_path)) == prefix
    state.unlink()
    assert ef.train.latest_checkpoint(str(tmp_path)) is None     # as TF: no state file, no latest checkpoint


@pytest.mark.parametrize("other", ["shape", "dtype"])
def test_a_checkpoint_of_another_model_assigns_nothing(tmp_path, other):
    prefix = _saved(tmp_path)
    m = Model(n=999) if other == "shape" else Model(dtype=np.float64)
    # `s` and `step` match, `a` does not: nothing at all is assigned
    error = ValueError if other == "shape" else errors.InvalidArgumentError
    with pytest.raises(error, match="No variable was changed"):
        ef.train.Checkpoint(model=m).restore(prefix)
    _untouched(m)
