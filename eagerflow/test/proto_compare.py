"""`TestCase.assertProtoEquals`: protocol buffer messages compared as TF's test utilities compare them.

protobuf is imported here only, when the assertion runs: whoever has a message to compare has protobuf
installed, and eagerflow itself needs none. Equal messages (field by field, repeated fields in order) pass;
otherwise both are normalized (integers as ints, floats rounded to 6 digits, doubles to 7), floats within
`relative_tolerance` of the expected ones are taken as equal, and the two text forms must then agree; the
failure is `assertMultiLineEqual`'s difference of them. Unlike TF's, the normalizing works on copies: the
caller's messages are left as they were.
"""

import difflib
import math
from collections import abc

__all__ = ["assert_proto_equals"]


def _protobuf():
    try:
        from google.protobuf import descriptor, descriptor_pool, message, text_format
    except ImportError:
        raise TypeError("assertProtoEquals compares protocol buffer messages, which need the protobuf package "
                        "(pip install protobuf); it is not installed, so no message can be given") from None
    return descriptor, descriptor_pool, message, text_format


def _is_repeated(field):
    repeated = getattr(field, "is_repeated", None)  # protobuf >= 6.30; `label` is gone in 7
    if repeated is not None:
        return repeated
    return field.label == field.LABEL_REPEATED


def _submessages(field, values, descriptor):
    """The messages held by one set field: its message, the repeated ones, or a map's message values."""
    if field.type not in (descriptor.FieldDescriptor.TYPE_MESSAGE, descriptor.FieldDescriptor.TYPE_GROUP):
        return []
    kind = field.message_type
    if field.type == descriptor.FieldDescriptor.TYPE_MESSAGE and kind.GetOptions().map_entry:
        value_field = kind.fields_by_number[2]
        return list(values.values()) if value_field.type == descriptor.FieldDescriptor.TYPE_MESSAGE else []
    return list(values) if _is_repeated(field) else [values]


def _normalize_numbers(pb, descriptor):
    """Give the number fields of `pb` (recursively) one type and precision: float and double values set
    from Python and read back from the wire then print alike."""
    F = descriptor.FieldDescriptor
    integer_types = (F.TYPE_INT64, F.TYPE_UINT64, F.TYPE_SINT64, F.TYPE_INT32, F.TYPE_UINT32, F.TYPE_SINT32,
                     F.TYPE_ENUM)
    for field, values in pb.ListFields():
        repeated = _is_repeated(field)
        items = list(values) if repeated else [values]
        if field.type in integer_types:
            normalized = [int(x) for x in items]
        elif field.type == F.TYPE_FLOAT:
            normalized = [round(x, 6) for x in items]
        elif field.type == F.TYPE_DOUBLE:
            normalized = [round(float(x), 7) for x in items]
        else:
            normalized = None
        if normalized is not None:
            if repeated:
                pb.ClearField(field.name)
                getattr(pb, field.name).extend(normalized)
            else:
                setattr(pb, field.name, normalized[0])
        for sub in _submessages(field, values, descriptor):
            _normalize_numbers(sub, descriptor)


def _close(x, y, relative_tolerance):
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) == math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= relative_tolerance * max(abs(x), abs(y))


def _take_close_floats(expected, actual, relative_tolerance, descriptor):
    """Where a float in `actual` is within `relative_tolerance` of `expected`'s, give it `expected`'s value."""
    F = descriptor.FieldDescriptor
    for (field, expected_values), (actual_field, actual_values) in zip(expected.ListFields(), actual.ListFields()):
        repeated = _is_repeated(field)
        if field.type in (F.TYPE_FLOAT, F.TYPE_DOUBLE):
            pairs = zip(expected_values, actual_values) if repeated else [(expected_values, actual_values)]
            for i, (x, y) in enumerate(pairs):
                if _close(x, y, relative_tolerance):
                    if repeated:
                        getattr(actual, actual_field.name)[i] = x
                    else:
                        setattr(actual, actual_field.name, x)
        for x, y in zip(_submessages(field, expected_values, descriptor),
                        _submessages(actual_field, actual_values, descriptor)):
            _take_close_floats(x, y, relative_tolerance, descriptor)


def _same(a, b, message):
    """Field-by-field equality, repeated fields in order (no text formatting, so floats compare exactly)."""
    def as_dict(x):
        if isinstance(x, message.Message):
            return {field.number: value for field, value in x.ListFields()}
        if isinstance(x, abc.Mapping):
            return dict(x.items())
        if not isinstance(x, (str, bytes)):
            try:
                return dict(enumerate(list(x)))
            except TypeError:
                pass
        return x
    a, b = as_dict(a), as_dict(b)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a == b
    return a.keys() == b.keys() and all(_same(a[k], b[k], message) for k in a)


def assert_proto_equals(test, expected, actual, msg=None, relative_tolerance=None):
    """What `TestCase.assertProtoEquals(expected, actual, msg, relative_tolerance)` checks."""
    descriptor, descriptor_pool, message, text_format = _protobuf()
    if not isinstance(actual, message.Message):
        raise TypeError(f"assertProtoEquals: validate_message must be a protocol buffer message, got "
                        f"{type(actual).__name__}: {actual!r}")
    if isinstance(expected, type(actual)):
        pass
    elif isinstance(expected, (str, bytes)):
        parsed = type(actual)()
        text_format.Merge(expected, parsed, descriptor_pool=descriptor_pool.Default())
        expected = parsed
    else:
        raise AssertionError(f"Can't compare protos of type {type(expected)} and {type(actual)}.")
    if _same(expected, actual, message):
        return
    copies = []
    for pb in (expected, actual):
        problems = pb.FindInitializationErrors()
        if problems:
            test.fail(f"Initialization errors: {problems}\n{pb}")
        copy = type(pb)()
        copy.CopyFrom(pb)
        _normalize_numbers(copy, descriptor)
        copies.append(copy)
    expected, actual = copies
    if relative_tolerance is not None:
        _take_close_floats(actual, expected, relative_tolerance, descriptor)
    pool = descriptor_pool.Default()
    expected_text = text_format.MessageToString(expected, descriptor_pool=pool)
    actual_text = text_format.MessageToString(actual, descriptor_pool=pool)
    if len(expected_text) < 2 ** 16 and len(actual_text) < 2 ** 16:
        test.assertMultiLineEqual(expected_text, actual_text, msg=msg)
        return
    diff = "".join(difflib.unified_diff(expected_text.splitlines(True), actual_text.splitlines(True)))
    if diff:
        test.fail(f"{msg} :\n{diff}")
