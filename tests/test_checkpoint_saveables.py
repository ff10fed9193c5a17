"""Objects that save their own attributes (`_serialize_to_tensors` / `_restore_from_tensors`, TF's
Trackable hooks), as dataset iterators do, beside variables in one checkpoint."""

import numpy as np
import pytest

import eagerflow as ef


class Counter:
    """Saves one attribute, COUNT; refuses a negative count before changing anything."""

    def __init__(self):
        self.count = 0

    def _serialize_to_tensors(self):
        return {"COUNT": np.array(self.count, np.int64)}

    def _restore_from_tensors(self, tensors):
        value = int(tensors["COUNT"])
        if value < 0:
            raise ValueError(f"negative count {value}")
        self.count = value


def test_saved_under_its_attribute_key_and_restored(tmp_path):
    c, v = Counter(), ef.Variable(1.0)
    c.count = 7
    path = ef.train.Checkpoint(counter=c, v=v).save(str(tmp_path / "ck"))
    assert "counter/.ATTRIBUTES/COUNT" in dict(ef.train.list_variables(path))
    c.count = 0
    v.assign(5.0)
    ef.train.Checkpoint(counter=c, v=v).restore(path).assert_consumed()
    assert c.count == 7 and float(v) == 1.0


def test_a_refused_value_changes_no_variable(tmp_path):
    c, v = Counter(), ef.Variable(1.0)
    c.count = -3
    path = ef.train.Checkpoint(counter=c, v=v).save(str(tmp_path / "ck"))
    c.count = 2
    v.assign(9.0)
    with pytest.raises(ValueError, match="negative"):
        ef.train.Checkpoint(counter=c, v=v).restore(path)
    assert c.count == 2 and float(v) == 9.0


def test_nested_in_an_object_path(tmp_path):
    class Holder:
        pass

    h = Holder()
    h.inner = Counter()
    h.inner.count = 4
    path = ef.train.Checkpoint(model=h).save(str(tmp_path / "ck"))
    assert "model/inner/.ATTRIBUTES/COUNT" in dict(ef.train.list_variables(path))
    h.inner.count = 0
    ef.train.Checkpoint(model=h).restore(path).assert_consumed()
    assert h.inner.count == 4
