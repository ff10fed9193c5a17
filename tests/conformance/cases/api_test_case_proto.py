# tf.test.TestCase.assertProtoEquals on protobuf's own message types: equal messages (given as messages
# or as text) pass, other expectations fail with AssertionError. (Unequal messages are checked in
# tests/test_tf_test.py: TF 2.21 with protobuf >= 7 fails on them with AttributeError, its compare
# module still reading the removed FieldDescriptor.label.)
import tensorflow as tf
from google.protobuf import struct_pb2, wrappers_pb2


def show(f):
    try:
        f()
        print("OK")
    except Exception as e:
        print(type(e).__name__ + ":", e)


class Checks(tf.test.TestCase):
    def runTest(self):
        pass


t = Checks()
t.setUp()
value = struct_pb2.Value(number_value=1.5)
show(lambda: t.assertProtoEquals("number_value: 1.5", value))
show(lambda: t.assertProtoEquals(b"number_value: 1.5", value))
show(lambda: t.assertProtoEquals(struct_pb2.Value(number_value=1.5), value))
show(lambda: t.assertProtoEquals("", struct_pb2.Value()))
show(lambda: t.assertProtoEquals("value: 0.1", wrappers_pb2.FloatValue(value=0.1)))
listed = struct_pb2.ListValue(values=[struct_pb2.Value(string_value="a"), struct_pb2.Value(bool_value=True)])
show(lambda: t.assertProtoEquals("values { string_value: 'a' } values { bool_value: true }", listed))
nested = struct_pb2.Struct()
nested.fields["k"].number_value = 2.0
show(lambda: t.assertProtoEquals('fields { key: "k" value { number_value: 2 } }', nested))
show(lambda: t.assertProtoEquals(3, value))
show(lambda: t.assertProtoEquals(wrappers_pb2.Int32Value(value=1), value))
print(value)
