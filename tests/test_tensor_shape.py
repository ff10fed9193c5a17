"""TensorShape: known and unknown dimensions, compatibility, merging, text forms."""

import pytest

import eagerflow as ef


def test_known_shape():
    s = ef.TensorShape([2, 3])
    assert s.rank == 2 and s.as_list() == [2, 3] and s.num_elements() == 6 and s.is_fully_defined()
    assert repr(s) == "TensorShape([2, 3])" and str(s) == "(2, 3)"
    assert s[0] == 2 and s[-1] == 3 and s[1:] == ef.TensorShape([3]) and list(s) == [2, 3] and len(s) == 2


def test_text_forms():
    assert str(ef.TensorShape([2])) == "(2,)"
    assert str(ef.TensorShape([])) == "()"
    assert repr(ef.TensorShape([])) == "TensorShape([])"
    assert str(ef.TensorShape([None, 3])) == "(None, 3)"
    assert repr(ef.TensorShape([None, 3])) == "TensorShape([None, 3])"
    assert str(ef.TensorShape(None)) == "<unknown>"
    assert repr(ef.TensorShape(None)) == "TensorShape(None)"


def test_unknown_rank():
    s = ef.TensorShape(None)
    assert s.rank is None and s.num_elements() is None and not s.is_fully_defined()
    with pytest.raises(ValueError):
        s.as_list()
    with pytest.raises(ValueError):
        len(s)
    assert s.is_compatible_with([1, 2, 3]) and s.is_compatible_with([])


def test_unknown_dimension():
    s = ef.TensorShape([None, 3])
    assert s.as_list() == [None, 3] and s.rank == 2 and not s.is_fully_defined() and s.num_elements() is None
    assert s.is_compatible_with([7, 3]) and s.is_compatible_with([None, None])
    assert not s.is_compatible_with([7, 4]) and not s.is_compatible_with([3])


def test_compatibility():
    assert ef.TensorShape([1, 2]).is_compatible_with(ef.TensorShape([1, 2]))
    assert not ef.TensorShape([1, 2]).is_compatible_with([1, 2, 3])
    with pytest.raises(ValueError):
        ef.TensorShape([1, 2]).assert_is_compatible_with([2, 2])


def test_merge_with():
    assert ef.TensorShape([None, 3]).merge_with([2, None]) == ef.TensorShape([2, 3])
    assert ef.TensorShape(None).merge_with([4]) == ef.TensorShape([4])
    assert ef.TensorShape([4]).merge_with(ef.TensorShape(None)) == ef.TensorShape([4])
    with pytest.raises(ValueError):
        ef.TensorShape([1, 3]).merge_with([2, None])


def test_equality_and_concatenate():
    assert ef.TensorShape([1, 2]) == [1, 2] and ef.TensorShape([1, 2]) == (1, 2)
    assert ef.TensorShape([1, 2]) != [2, 1]
    assert ef.TensorShape([2, 3]).concatenate([4]) == ef.TensorShape([2, 3, 4])
    assert ef.TensorShape([2]) + ef.TensorShape([None]) == ef.TensorShape([2, None])
    assert ef.TensorShape([2, 3]).concatenate(ef.TensorShape(None)).rank is None
    assert hash(ef.TensorShape([1, 2])) == hash(ef.TensorShape((1, 2)))


def test_bad_dimensions():
    with pytest.raises(ValueError):
        ef.TensorShape([-1])
    with pytest.raises(TypeError):
        ef.TensorShape([1.5])


def test_tensor_shape_property():
    assert ef.constant([[1, 2, 3]]).shape == ef.TensorShape([1, 3])
    assert ef.constant(1).shape == ef.TensorShape([]) and ef.constant(1).shape.rank == 0
