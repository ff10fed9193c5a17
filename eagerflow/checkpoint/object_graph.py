"""TensorFlow's `TrackableObjectGraph` proto as plain Python data.

A checkpoint stores, beside the values, the graph of the objects that owned them: node 0 is the
root (the `Checkpoint`), each node lists its named children (edges), the tensors it saved
(`attributes`, each with the `checkpoint_key` of its value) and the slot variables an optimizer
keeps for other nodes. It is saved as a scalar string tensor under `_CHECKPOINTABLE_OBJECT_GRAPH`.

A node is a dict::

    {"children": [{"node_id": 1, "local_name": "model"}],
     "attributes": [{"name": "VARIABLE_VALUE", "full_name": "v", "checkpoint_key": "v/.ATTRIBUTES/VARIABLE_VALUE"}],
     "slot_variables": [{"original_variable_node_id": 2, "slot_name": "m", "slot_variable_node_id": 5}]}

with optional "registered_saver" ({"name", "object_name"}) and "has_checkpoint_values" (bool).

>>> nodes = [{"children": [{"node_id": 1, "local_name": "v"}]},
...          {"attributes": [{"name": "VARIABLE_VALUE", "full_name": "v",
...                           "checkpoint_key": "v/.ATTRIBUTES/VARIABLE_VALUE"}]}]
>>> decode_object_graph(encode_object_graph(nodes))[1]["attributes"][0]["checkpoint_key"]
'v/.ATTRIBUTES/VARIABLE_VALUE'
"""

import numpy as np

from eagerflow import errors
from eagerflow.checkpoint._wire import LEN, VARINT, encode_fields, iter_fields

__all__ = ["OBJECT_GRAPH_KEY", "encode_object_graph", "decode_object_graph", "object_graph_tensor",
           "object_graph_from_tensor", "read_object_graph"]

OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"

# TrackableObjectGraph { repeated TrackableObject nodes = 1; }
# TrackableObject {
#   repeated ObjectReference children = 1;        {int32 node_id = 1; string local_name = 2}
#   repeated SerializedTensor attributes = 2;     {string name = 1; string full_name = 2; string checkpoint_key = 3}
#   repeated SlotVariableReference slot_variables = 3;
#        {int32 original_variable_node_id = 1; string slot_name = 2; int32 slot_variable_node_id = 3}
#   RegisteredSaver registered_saver = 4;         {string name = 1; string object_name = 2}
#   google.protobuf.BoolValue has_checkpoint_values = 5;  {bool value = 1}
# }
_CHILD = (("node_id", 1, int), ("local_name", 2, str))
_ATTRIBUTE = (("name", 1, str), ("full_name", 2, str), ("checkpoint_key", 3, str))
_SLOT = (("original_variable_node_id", 1, int), ("slot_name", 2, str), ("slot_variable_node_id", 3, int))
_SAVER = (("name", 1, str), ("object_name", 2, str))


def _encode_message(d, spec):
    fields = []
    for name, number, kind in spec:
        v = d.get(name, kind())
        if kind is int:
            if v:
                fields.append((number, VARINT, int(v)))
        elif v:
            fields.append((number, LEN, v))
    return encode_fields(fields)


def _decode_message(buf, spec, what):
    out = {name: kind() for name, _, kind in spec}
    by_number = {number: (name, kind) for name, number, kind in spec}
    for number, wire, value in iter_fields(buf, what):
        if number not in by_number:
            continue
        name, kind = by_number[number]
        if kind is int and wire == VARINT:
            value &= 0xFFFFFFFF
            out[name] = value - (1 << 32) if value >> 31 else value
        elif kind is str and wire == LEN:
            out[name] = bytes(value).decode("utf-8", errors="surrogateescape")
    return out


def encode_object_graph(nodes):
    """Serialize a list of node dicts (see the module docstring) as a TrackableObjectGraph proto."""
    out = []
    for i, node in enumerate(nodes):
        unknown = set(node) - {"children", "attributes", "slot_variables", "registered_saver",
                               "has_checkpoint_values"}
        if unknown:
            raise ValueError(f"Object graph node {i} has unknown fields {sorted(unknown)}; a node holds "
                             "children, attributes, slot_variables, registered_saver, has_checkpoint_values.")
        fields = [(1, LEN, _encode_message(c, _CHILD)) for c in node.get("children", ())]
        fields += [(2, LEN, _encode_message(a, _ATTRIBUTE)) for a in node.get("attributes", ())]
        fields += [(3, LEN, _encode_message(s, _SLOT)) for s in node.get("slot_variables", ())]
        if node.get("registered_saver"):
            fields.append((4, LEN, _encode_message(node["registered_saver"], _SAVER)))
        if "has_checkpoint_values" in node:
            fields.append((5, LEN, encode_fields([(1, VARINT, 1)] if node["has_checkpoint_values"] else [])))
        out.append((1, LEN, encode_fields(fields)))
    return encode_fields(out)


def decode_object_graph(data):
    """Parse a serialized TrackableObjectGraph into a list of node dicts."""
    nodes = []
    for number, wire, value in iter_fields(data, "TrackableObjectGraph"):
        if number != 1 or wire != LEN:
            continue
        node = {"children": [], "attributes": [], "slot_variables": []}
        for n2, w2, v2 in iter_fields(value, "TrackableObject"):
            if w2 != LEN:
                continue
            if n2 == 1:
                node["children"].append(_decode_message(v2, _CHILD, "ObjectReference"))
            elif n2 == 2:
                node["attributes"].append(_decode_message(v2, _ATTRIBUTE, "SerializedTensor"))
            elif n2 == 3:
                node["slot_variables"].append(_decode_message(v2, _SLOT, "SlotVariableReference"))
            elif n2 == 4:
                node["registered_saver"] = _decode_message(v2, _SAVER, "RegisteredSaver")
            elif n2 == 5:
                flag = False
                for n3, w3, v3 in iter_fields(v2, "BoolValue"):
                    if n3 == 1 and w3 == VARINT:
                        flag = bool(v3)
                node["has_checkpoint_values"] = flag
        nodes.append(node)
    return nodes


def object_graph_tensor(nodes):
    """The scalar string tensor (0-d object array) to save under `OBJECT_GRAPH_KEY`."""
    t = np.empty((), dtype=object)
    t[()] = encode_object_graph(nodes)
    return t


def object_graph_from_tensor(value):
    """Decode the object graph from the value saved under `OBJECT_GRAPH_KEY`."""
    value = np.asarray(value, dtype=object)
    if value.shape != ():
        raise errors.DataLossError(f"The object graph entry '{OBJECT_GRAPH_KEY}' should be a scalar string, "
                                   f"got shape {value.shape}; the checkpoint is damaged.")
    return decode_object_graph(value[()])


def read_object_graph(reader):
    """The object graph of an open `BundleReader`, or None when the checkpoint has none (TF1 style)."""
    if OBJECT_GRAPH_KEY not in reader:
        return None
    return object_graph_from_tensor(reader.read(OBJECT_GRAPH_KEY))
