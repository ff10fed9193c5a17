"""Object tracking: the graph of Python objects that a checkpoint saves, as TensorFlow draws it.

Any object is tracked through its attributes (`vars(obj)`, in assignment order), as TF's
`AutoTrackable` does for `tf.Module`: a `Variable` is a leaf saving one attribute
`VARIABLE_VALUE`; a list or tuple is a node whose children are named '0', '1', ...; a dict is a
node whose children are its (string) keys; any other object with a `__dict__` is a node whose
children are its attributes. An object can choose its children by defining
`_checkpoint_dependencies()` returning `(name, value)` pairs (the `Checkpoint` itself does).
An object whose class defines TF's `_serialize_to_tensors()` (returning `{attribute name: host
array}`) and `_restore_from_tensors({attribute name: host array})` is a leaf saving those
attributes (a dataset iterator saves `ITERATOR_STATE`). Objects that lead to no variable or saved
attribute are left out of a saved graph (TF keeps empty trackables; they hold no values, so both
sides restore the same).

Nodes are numbered breadth first from the root (node 0), children in order, and the path that
first reaches an object names its values: `model/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`.
In a name, '.' is written '..' and '/' is written '.S', as in TF.

>>> import eagerflow as ef
>>> class M: pass
>>> m = M(); m.layers = [ef.Variable(1.0, name="w")]
>>> g = build_graph(m)
>>> [key for _, key, _ in g.variables]
['layers/0/.ATTRIBUTES/VARIABLE_VALUE']
"""

import functools
import io
import logging
import threading
import types
import weakref

import numpy as np

from eagerflow.framework.tensor import Tensor
from eagerflow.keras_variables import unwrap
from eagerflow.variables import Variable

__all__ = ["build_graph", "tracked_children", "child_of", "escape_local_name", "variable_key",
           "object_path", "saves_tensors", "ATTRIBUTES", "VARIABLE_VALUE", "SavedGraph"]

ATTRIBUTES = ".ATTRIBUTES"
VARIABLE_VALUE = "VARIABLE_VALUE"

_NOT_TRACKED = (str, bytes, bytearray, memoryview, int, float, complex, bool, type(None), np.ndarray, np.generic,
                np.dtype, Tensor, type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
                types.MethodType, types.CodeType, types.FrameType, types.GeneratorType, functools.partial,
                weakref.ref, range, slice, io.IOBase, logging.Logger, threading.Thread, set, frozenset)
# Library objects whose internals never hold eagerflow variables: not walked.
_NOT_WALKED_MODULES = ("numpy", "builtins", "threading", "logging", "io", "_io", "re", "random", "ml_dtypes",
                       "collections", "functools", "typing", "pathlib", "os", "subprocess", "socket")


def escape_local_name(name):
    """A name as it appears in a checkpoint key: '.' -> '..', '/' -> '.S' (TF's escaping)."""
    return name.replace(".", "..").replace("/", ".S")


def object_path(path):
    """The key prefix of an object reached by the names in `path`: 'model/dense/kernel'."""
    return "/".join(escape_local_name(n) for n in path)


def variable_key(path):
    """The checkpoint key of a variable reached by `path`: '<path>/.ATTRIBUTES/VARIABLE_VALUE'."""
    return f"{object_path(path)}/{ATTRIBUTES}/{VARIABLE_VALUE}"


def saves_tensors(obj):
    """Whether `obj` saves its own attributes (`_serialize_to_tensors`), as a dataset iterator does."""
    return hasattr(type(obj), "_serialize_to_tensors")


def _leaf(obj):
    return isinstance(obj, Variable) or saves_tensors(obj)


def _walkable(obj):
    """Whether `obj` is an object tracked through its attributes (not a leaf value or library object)."""
    if isinstance(obj, _NOT_TRACKED) or not hasattr(obj, "__dict__"):
        return False
    module = type(obj).__module__ or ""
    return module.split(".", 1)[0] not in _NOT_WALKED_MODULES


def _trackable(value):
    return isinstance(value, (Variable, list, tuple, dict)) or _walkable(value) or hasattr(
        type(value), "_checkpoint_dependencies") or saves_tensors(value)


def tracked_children(obj):
    """The `(name, child)` pairs of `obj` that may hold variables, in TF's order.

    Returns `(pairs, bad)`; `bad` lists `(key, child)` of dict entries whose key is not a string
    (TF refuses to save those when they hold variables).
    """
    if _leaf(obj):
        return [], []
    check = getattr(type(obj), "_check_saveable", None)   # a list or dict wrapper changed in a way TF refuses
    if check is not None:
        check(obj)
    hook = getattr(type(obj), "_checkpoint_dependencies", None)
    bad = []
    if hook is not None:
        items = obj._checkpoint_dependencies()
        items = list(items.items()) if isinstance(items, dict) else list(items)
    elif isinstance(obj, (list, tuple)):
        items = [(str(i), v) for i, v in enumerate(obj)]
    elif isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            (items if isinstance(k, str) else bad).append((k, v))
    elif _walkable(obj):
        items = list(vars(obj).items())
    else:
        return [], []
    # a Keras variable saves its wrapped variable's value under its own name, as Keras 3's under TF
    items = [(n, unwrap(v)) for n, v in items]
    return [(n, v) for n, v in items if _trackable(v)], [(k, unwrap(v)) for k, v in bad if _trackable(unwrap(v))]


_MISSING = object()


def child_of(obj, name):
    """The child of `obj` named `name` (a checkpoint's `local_name`), or None when it has none."""
    if _leaf(obj):
        return None
    hook = getattr(type(obj), "_checkpoint_dependencies", None)
    if hook is not None:
        items = obj._checkpoint_dependencies()
        value = dict(items).get(name, _MISSING) if not isinstance(items, dict) else items.get(name, _MISSING)
    elif isinstance(obj, (list, tuple)):
        value = obj[int(name)] if name.isdigit() and int(name) < len(obj) else _MISSING
    elif isinstance(obj, dict):
        value = obj.get(name, _MISSING)
    elif _walkable(obj):
        value = vars(obj).get(name, _MISSING)
    else:
        value = _MISSING
    if value is _MISSING or value is None:
        return None
    value = unwrap(value)
    return value if _trackable(value) else None


class SavedGraph:
    """The graph of `root` as it would be saved.

    `nodes`: TF object-graph node dicts; `objects`: the object of each node; `paths`: the names
    leading to each node; `variables`: `(node_id, key, variable)` for every variable, in node order;
    `savers`: `(node_id, object)` for every object that saves its own attributes.
    """

    def __init__(self, nodes, objects, paths, variables, savers=()):
        self.nodes, self.objects, self.paths, self.variables = nodes, objects, paths, variables
        self.savers = list(savers)

    def saver_tensors(self):
        """`{key: host array}` of every saver's attributes, each added to its node's attributes."""
        out = {}
        for n, obj in self.savers:
            for name, value in obj._serialize_to_tensors().items():
                key = f"{object_path(self.paths[n])}/{ATTRIBUTES}/{name}"
                self.nodes[n]["attributes"].append({"name": name, "full_name": "", "checkpoint_key": key})
                out[key] = value
        return out


def build_graph(root, root_extra=()):
    """Walk `root` breadth first and return a `SavedGraph` (only objects that lead to variables).

    `root_extra`: `(name, object)` pairs attached to the root after its own children (what
    `Checkpoint(root=obj, **others)` attaches). Raises ValueError for a dict holding variables
    under a key that is not a string.
    """
    # Pass 1: everything reachable, identified by id() (the list keeps every object alive).
    objs = [root]
    index = {id(root): 0}
    edges = []
    bad_edges = []
    i = 0
    while i < len(objs):
        pairs, bad = tracked_children(objs[i])
        if i == 0:
            pairs = pairs + list(root_extra)
        out = []
        for name, child in pairs:
            j = index.get(id(child))
            if j is None:
                j = index[id(child)] = len(objs)
                objs.append(child)
            out.append((name, j))
        for key, child in bad:
            j = index.get(id(child))
            if j is None:
                j = index[id(child)] = len(objs)
                objs.append(child)
            bad_edges.append((i, key, j))
        edges.append(out)
        i += 1
    # Which objects lead to a variable (reverse reachability).
    parents = [[] for _ in objs]
    for a, out in enumerate(edges):
        for _, b in out:
            parents[b].append(a)
    useful = [_leaf(o) for o in objs]
    stack = [k for k, u in enumerate(useful) if u]
    while stack:
        b = stack.pop()
        for a in parents[b]:
            if not useful[a]:
                useful[a] = True
                stack.append(a)
    for a, key, b in bad_edges:
        if useful[b]:
            raise ValueError(
                f"Cannot save the dict {_describe(objs[a])}: its key {key!r} is not a string and holds "
                f"variables ({_describe(objs[b])}). Checkpoint keys are object paths; use string keys, "
                f"e.g. {{'{key}': ...}}.")
    # Pass 2: TF's numbering over the useful objects.
    order = [0]
    node_of = {0: 0}
    paths = [()]
    nodes = []
    k = 0
    while k < len(order):
        a = order[k]
        children = []
        for name, b in edges[a]:
            if not useful[b]:
                continue
            n = node_of.get(b)
            if n is None:
                n = node_of[b] = len(order)
                order.append(b)
                paths.append(paths[k] + (name,))
            children.append({"node_id": n, "local_name": name})
        nodes.append({"children": children, "attributes": [], "slot_variables": []})
        k += 1
    variables = []
    for n, a in enumerate(order):
        obj = objs[a]
        if isinstance(obj, Variable):
            key = variable_key(paths[n])
            nodes[n]["attributes"].append({"name": VARIABLE_VALUE, "full_name": _full_name(obj),
                                           "checkpoint_key": key})
            variables.append((n, key, obj))
    savers = [(n, objs[a]) for n, a in enumerate(order) if saves_tensors(objs[a])]
    for n in range(len(nodes)):
        nodes[n]["has_checkpoint_values"] = useful[order[n]]
    return SavedGraph(nodes, [objs[a] for a in order], paths, variables, savers)


def _full_name(variable):
    name = variable.name
    return name[:-2] if name.endswith(":0") else name


def _describe(obj):
    if isinstance(obj, Variable):
        return f"variable {obj.name!r}"
    return f"{type(obj).__name__} at {id(obj):#x}"
