"""Object-based checkpoints: `Checkpoint`, its restore status, deferred restoration, readers.

A checkpoint saves every variable reachable from its root under the path of attributes that
reaches it (`model/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`), with the object graph beside the
values, in TensorFlow's tensor-bundle format: TF reads what eagerflow writes and the reverse.

Restoring matches the checkpoint's object graph against the live objects, edge by edge from the
root, so a value is found by structure (any path to it), not by one spelling of its key. Every
file, checksum, dtype and shape is checked before any variable is assigned. Values go through the
CPU and land in each variable's own buffer on its own device (`assign`, in place).

Deferred restoration: a checkpoint value whose object does not exist yet (an optimizer slot
before the first step, a layer's kernel before its first call, an attribute assigned later)
stays pending in a registry of active restorations. When an object gains variables it calls
`restore_deferred(obj)` (eagerflow's layers and optimizers do this after they build), which
re-walks the checkpoint graph from the nodes matched to `obj` and assigns the new variables their
values before they are used. Status queries (`assert_consumed()`, `report()`, ...) re-walk from
the root too, for objects that never call the hook. A restoration leaves the registry once every
value is consumed, or once the objects it could still restore into are gone.

>>> import eagerflow as ef, tempfile, os
>>> class Model(ef.Module): pass
>>> m = Model(); m.w = ef.Variable([1.0, 2.0], name="w")
>>> path = ef.train.Checkpoint(model=m).save(os.path.join(tempfile.mkdtemp(), "ckpt"))
>>> os.path.basename(path)
'ckpt-1'
>>> _ = m.w.assign([0.0, 0.0]); _ = ef.train.Checkpoint(model=m).restore(path).assert_consumed()
>>> m.w.numpy()
array([1., 2.], dtype=float32)
"""

import collections
import copy
import logging
import os
import threading
import weakref

import numpy as np

from eagerflow import dtypes, errors
from eagerflow.checkpoint import bundle
from eagerflow.checkpoint.data_structures import wrap
from eagerflow.checkpoint.deferred import ACTIVE, ACTIVE_LOCK, attribute_set, restore_deferred
from eagerflow.checkpoint.graph import (
    VARIABLE_VALUE, _trackable, build_graph, child_of, saves_tensors, tracked_children,
)
from eagerflow.checkpoint.options import as_options, run_write_callbacks
from eagerflow.checkpoint.object_graph import OBJECT_GRAPH_KEY, object_graph_tensor, read_object_graph
from eagerflow.tensor_shape import TensorShape
from eagerflow.variables import Variable, snapshot

__all__ = ["Checkpoint", "CheckpointLoadStatus", "RestoreReport", "restore_deferred", "CheckpointReader",
           "load_checkpoint", "load_variable", "list_variables", "variables_to_save"]

_log = logging.getLogger("eagerflow.checkpoint")
_SLOT_ALIASES = {"m": ("momentum",), "v": ("velocity",), "momentum": ("m",), "velocity": ("v",)}


class _Strong:
    """A strong reference with the call interface of `weakref.ref` (for lists, dicts, tuples)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def __call__(self):
        return self._obj


def _ref(obj):
    try:
        return weakref.ref(obj)
    except TypeError:
        return _Strong(obj)


def variables_to_save(root, root_extra=()):
    """`(SavedGraph, {key: host array})` for everything reachable from `root`.

    The variables' values are one snapshot (`variables.snapshot`): a save while another thread trains
    writes the state between two of its updates, never a mix of steps. On the CPU no copy is made:
    copy-on-write keeps the buffers written (and checksummed) unchanged while training goes on.
    """
    g = build_graph(root, root_extra)
    entries = g.variables
    buffers = snapshot([var for _, _, var in entries])
    tensors = {key: var._device.backend.to_host(buf) for (_, key, var), buf in zip(entries, buffers)}
    tensors.update(g.saver_tensors())
    return g, tensors


class _AsyncWrite:
    """A checkpoint being written by a background thread (CheckpointOptions(enable_async=True))."""

    def __init__(self, job):
        self._error = None
        self._thread = threading.Thread(target=self._run, args=(job,), name="eagerflow-async-checkpoint")
        self._thread.start()   # not a daemon: the interpreter waits for it at exit, as TF syncs at exit

    def _run(self, job):
        try:
            job()
        except BaseException as e:  # noqa: BLE001 - handed to whoever waits, and logged for a program that never does
            self._error = e
            _log.error("An asynchronous checkpoint write failed (Checkpoint.sync() raises it): %s: %s",
                       type(e).__name__, e)

    def join(self):
        self._thread.join()
        if self._error is not None:
            raise self._error


# ---------------------------------------------------------------------------------------------
# restoration
# ---------------------------------------------------------------------------------------------
def _split_path(path):
    path = path.strip("/")
    marker = "/.ATTRIBUTES"
    if marker in path:
        path = path[: path.index(marker)]
    return [p for p in path.split("/") if p]


def _apply_key_map(nodes, key_map, prefix):
    """The checkpoint graph with the objects at each old path moved to the new path."""
    nodes = copy.deepcopy(nodes)
    moves = []
    for old, new in key_map.items():
        old_parts, new_parts = _split_path(old), _split_path(new)
        if not old_parts or not new_parts:
            raise ValueError(f"key_map entry {old!r}: {new!r} must map an object path to an object path, "
                             "e.g. {'model/dense': 'model/layer1'}.")
        parent, nid = None, 0
        for depth, part in enumerate(old_parts):
            found = [c for c in nodes[nid]["children"] if c["local_name"] == part]
            if not found:
                here = "/".join(old_parts[:depth]) or "(root)"
                names = [c["local_name"] for c in nodes[nid]["children"]]
                raise errors.NotFoundError(
                    f"key_map: checkpoint '{prefix}' has no object '{old}': '{here}' has no child {part!r} "
                    f"(its children: {names}). Use an object path of the checkpoint "
                    "(ef.train.list_variables shows the keys).")
            parent, nid = nid, found[0]["node_id"]
        moves.append((parent, old_parts[-1], nid, new_parts))
    for parent, name, _, _ in moves:
        nodes[parent]["children"] = [c for c in nodes[parent]["children"] if c["local_name"] != name]
    for _, _, nid, new_parts in moves:
        cur = 0
        for part in new_parts[:-1]:
            found = [c for c in nodes[cur]["children"] if c["local_name"] == part]
            if found:
                cur = found[0]["node_id"]
            else:
                nodes.append({"children": [], "attributes": [], "slot_variables": []})
                nodes[cur]["children"].append({"node_id": len(nodes) - 1, "local_name": part})
                cur = len(nodes) - 1
        nodes[cur]["children"] = [c for c in nodes[cur]["children"] if c["local_name"] != new_parts[-1]]
        nodes[cur]["children"].append({"node_id": nid, "local_name": new_parts[-1]})
    return nodes


def _slot_of(optimizer, variable, slot_name):
    """The slot `slot_name` the optimizer keeps for `variable` (TF1 names m/v or Keras names)."""
    names = (slot_name,) + _SLOT_ALIASES.get(slot_name, ())
    get_slot = getattr(optimizer, "get_slot", None)
    if callable(get_slot):
        for name in names:
            try:
                slot = get_slot(variable, name)
            except (KeyError, ValueError, AttributeError):
                slot = None
            if isinstance(slot, Variable):
                return slot
    slots_for = getattr(optimizer, "_slots_for", None)
    if callable(slots_for):
        try:
            slots = slots_for(variable)
        except (KeyError, ValueError, AttributeError):
            slots = None
        if isinstance(slots, dict):
            slots = list(slots.items())
        for name in names:
            for n, s in slots or ():
                if n == name and isinstance(s, Variable):
                    return s
    return None


def _shape_text(shape):
    return str(TensorShape(list(shape)))


class _Restoration:
    """One `restore()`: the checkpoint graph, the values not yet consumed, and what matched what."""

    def __init__(self, prefix, nodes, meta, values, root, root_extra, skip_mismatched, skip_slots=False):
        self.prefix = prefix
        self.skip_slots = skip_slots      # CheckpointOptions(experimental_skip_slot_variables=True)
        self.nodes = nodes
        self.meta = meta                  # key -> (DType, shape)
        self.values = values              # key -> host array, dropped once assigned
        self.root_ref = _ref(root)
        # the extra children of the root now (a callable: `save_counter` is attached after `restore()` reads)
        self._root_extra = root_extra if callable(root_extra) else (lambda extra=list(root_extra): extra)
        self.name_based = False           # no object graph in the checkpoint (TF1 `Saver`): matched by names
        self.skip_mismatched = skip_mismatched
        self.matched = {}                 # node id -> ref to object
        self.restored = {}                # node id -> ref to the variable that took the value
        self.consumed = set()             # keys assigned
        self.mismatched = {}              # key -> (variable name, checkpoint shape, variable shape)
        self.save_counter_keys = {"save_counter/.ATTRIBUTES/VARIABLE_VALUE"}  # not a "nontrivial" match
        self.attribute_keys = [a["checkpoint_key"] for n in nodes for a in n["attributes"]]

    # -- matching ---------------------------------------------------------------------------------
    @property
    def root_extra(self):
        return list(self._root_extra())

    def _children_of(self, nid, obj, name):
        if nid == 0:
            for n, v in self.root_extra:
                if n == name:
                    return v
        return child_of(obj, name)

    def _walk(self, starts):
        """Match checkpoint nodes to objects from `starts` [(node id, object)]; return the plan."""
        plan = []
        queue = collections.deque(starts)
        seen = set()
        slot_refs = []
        while queue or slot_refs:
            if not queue:
                for optimizer, s in slot_refs:
                    ref = self.matched.get(s["original_variable_node_id"])
                    original = ref() if ref is not None else None
                    if isinstance(original, Variable) and s["slot_variable_node_id"] not in seen:
                        slot = _slot_of(optimizer, original, s["slot_name"])
                        if slot is not None:
                            queue.append((s["slot_variable_node_id"], slot))
                slot_refs = []
                continue
            nid, obj = queue.popleft()
            if nid in seen or nid >= len(self.nodes):
                continue
            seen.add(nid)
            self.matched[nid] = _ref(obj)
            node = self.nodes[nid]
            if isinstance(obj, Variable):
                for attr in node["attributes"]:
                    if attr["name"] != VARIABLE_VALUE:
                        continue
                    done = self.restored.get(nid)
                    if (done is None or done() is not obj) and attr["checkpoint_key"] in self.values:
                        plan.append((nid, obj, attr["checkpoint_key"]))
            elif saves_tensors(obj) and nid not in self.restored:
                for a in node["attributes"]:
                    # TF names the attribute ITERATOR and stores ITERATOR_STATE: match by prefix
                    tf_state = [k for k, (dtype, _) in self.meta.items()
                                if dtype is dtypes.variant and k.startswith(a["checkpoint_key"])]
                    if tf_state:
                        raise errors.UnimplementedError(
                            None, "RestoreV2", f"'{tf_state[0]}' in checkpoint '{self.prefix}' is "
                            f"TensorFlow's serialized state of {type(obj).__name__} (a variant tensor), which "
                            "eagerflow cannot restore. Nothing was changed. Restore the other objects without it "
                            "(leave it out of the Checkpoint and call expect_partial()) and restart the pipeline.")
                keys = {a["name"]: a["checkpoint_key"] for a in node["attributes"]
                        if a["checkpoint_key"] in self.values}
                if keys:
                    plan.append((nid, obj, keys))
            for c in node["children"]:
                if c["node_id"] in seen:
                    continue
                child = self._children_of(nid, obj, c["local_name"])
                if child is not None:
                    queue.append((c["node_id"], child))
            if not self.skip_slots:
                for s in node["slot_variables"]:
                    slot_refs.append((obj, s))
        return plan

    def _check(self, plan):
        """Every dtype and shape of the plan; raises before anything is assigned."""
        bad_dtype, bad_shape = [], []
        for _, var, key in plan:
            if not isinstance(var, Variable):
                continue  # an object restoring its own attributes checks them itself
            dtype, shape = self.meta[key]
            if dtype is not var.dtype:
                bad_dtype.append((var, key, dtype, shape))
            elif not var.shape.is_compatible_with(TensorShape(list(shape))):
                bad_shape.append((var, key, dtype, shape))
        if bad_dtype:
            var, key, dtype, _ = bad_dtype[0]
            more = f" ({len(bad_dtype) - 1} more dtype mismatches)" if len(bad_dtype) > 1 else ""
            raise errors.InvalidArgumentError(
                None, "RestoreV2",
                f"Cannot restore variable {var.name!r} from '{key}' in checkpoint '{self.prefix}': the checkpoint "
                f"holds {dtype.name}, the variable is {var.dtype.name}{more}. No variable was changed. Create the "
                f"variable with dtype=ef.{dtype.name}, or load the value with ef.train.load_variable and cast it.")
        if bad_shape:
            if self.skip_mismatched:
                for var, key, _, shape in bad_shape:
                    self.mismatched[key] = (var.name, tuple(shape), tuple(var.shape.as_list() or ()))
                skip = {id(v) for v, *_ in bad_shape}
                return [p for p in plan if id(p[1]) not in skip]
            var, key, _, shape = bad_shape[0]
            more = f" ({len(bad_shape) - 1} more shape mismatches)" if len(bad_shape) > 1 else ""
            raise ValueError(
                f"Cannot restore variable {var.name!r} from '{key}' in checkpoint '{self.prefix}': the checkpoint "
                f"holds shape {_shape_text(shape)}, the variable has shape {var.shape}{more}. No variable was "
                "changed. Build the object with the checkpoint's shapes, or pass skip_mismatched=True to "
                "restore the rest and list the mismatches in status.report().")
        return plan

    def _assign(self, plan):
        # Objects restoring their own attributes first: each checks its values and raises before it
        # changes anything, and before any variable is assigned.
        savers = [p for p in plan if not isinstance(p[1], Variable)]
        plan = [p for p in plan if isinstance(p[1], Variable)]
        for nid, obj, keys in savers:
            obj._restore_from_tensors({name: self.values[key] for name, key in keys.items()})
            self.restored[nid] = _ref(obj)
            self.consumed.update(keys.values())
        for nid, var, key in plan:
            var.assign(self.values[key], read_value=False)
            self.restored[nid] = _ref(var)
            self.consumed.add(key)
        for _, _, key in plan:
            self.values.pop(key, None)
        for _, _, keys in savers:
            for key in keys.values():
                self.values.pop(key, None)
        return len(plan) + len(savers)

    def run(self, starts):
        plan = self._check(self._walk(starts))
        n = self._assign(plan)
        self._update_registry()
        return n

    def restore_into(self, obj):
        starts = [(nid, obj) for nid, ref in list(self.matched.items()) if ref() is obj]
        if not starts:
            return 0
        return self.run(starts)

    def rewalk(self):
        root = self.root_ref()
        if root is not None and self.pending_keys():
            self.run([(0, root)])

    # -- bookkeeping ------------------------------------------------------------------------------
    def pending_keys(self):
        return [k for k in self.attribute_keys if k not in self.consumed and k not in self.mismatched
                and k in self.values]

    def _alive(self):
        if self.root_ref() is not None:
            return True
        return any(isinstance(ref, weakref.ref) and ref() is not None for ref in self.matched.values())

    def _update_registry(self):
        with ACTIVE_LOCK:
            waiting = bool(self.pending_keys()) and self._alive()
            present = any(r is self for r in ACTIVE)
            if waiting and not present:
                ACTIVE.append(self)
            elif not waiting and present:
                ACTIVE[:] = [r for r in ACTIVE if r is not self]
            # drop restorations whose objects are all gone
            ACTIVE[:] = [r for r in ACTIVE if r is self or r._alive()]


def _read_checkpoint(path):
    """(prefix, object graph nodes or None, meta, values): everything read and crc-checked."""
    with bundle.BundleReader(path) as reader:
        meta = {k: reader.dtype_and_shape(k) for k in reader.keys()}
        # TF's variant tensors (a tf.data iterator's state) hold TF's own objects: left unread, so the
        # variables of such a checkpoint still restore
        values = {k: reader.read(k) for k in reader.keys() if meta[k][0] is not dtypes.variant}
        nodes = read_object_graph(reader)
        prefix = reader.prefix
    values.pop(OBJECT_GRAPH_KEY, None)
    return prefix, nodes, meta, values


def _name_based_nodes(root, root_extra, meta):
    """A synthetic object graph for a checkpoint without one (TF1 `Saver`): keys are variable names."""
    g = build_graph(root, root_extra)
    nodes = copy.deepcopy(g.nodes)
    for nid, _, var in g.variables:
        name = var.name[:-2] if var.name.endswith(":0") else var.name
        nodes[nid]["attributes"] = ([{"name": VARIABLE_VALUE, "full_name": name, "checkpoint_key": name}]
                                    if name in meta else [])
    return nodes, g


def _extra_now(root_extra):
    return root_extra() if callable(root_extra) else root_extra


def _restore(path, root, root_extra=(), key_map=None, skip_mismatched=False, skip_slots=False):
    prefix, nodes, meta, values = _read_checkpoint(path)
    name_based = nodes is None
    if name_based:
        nodes, _ = _name_based_nodes(root, _extra_now(root_extra), meta)
    if key_map:
        nodes = _apply_key_map(nodes, key_map, prefix)
    r = _Restoration(prefix, nodes, meta, values, root, root_extra, skip_mismatched, skip_slots)
    r.name_based = name_based
    r.run([(0, root)])
    return r


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------
class RestoreReport(collections.namedtuple("RestoreReport", ["restored", "missing", "unexpected", "mismatched"])):
    """What a restore did: keys `restored`; `missing`: program keys the checkpoint had no value for;
    `unexpected`: checkpoint keys nothing took (yet); `mismatched`: `(key, checkpoint shape, variable
    shape)` skipped with `skip_mismatched=True`.

    >>> report = ef.train.RestoreReport(restored=["w"], missing=["b"], unexpected=[], mismatched=[])
    >>> print(report)
    restored 1 value(s)
    missing (1):
      b
    """

    def __str__(self):
        lines = [f"restored {len(self.restored)} value(s)"]
        for title, items in (("missing", self.missing), ("unexpected", self.unexpected),
                             ("mismatched", [f"{k}: checkpoint {s}, variable {v}" for k, s, v in self.mismatched])):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines += [f"  {x}" for x in items]
        return "\n".join(lines)


class CheckpointLoadStatus:
    """The result of `Checkpoint.restore()`: assertions about what was matched, and a report.

    >>> import eagerflow as ef, tempfile, os
    >>> class M(ef.Module): pass
    >>> a = M(); a.w = ef.Variable(1.0); a.extra = ef.Variable(2.0)
    >>> p = ef.train.Checkpoint(m=a).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> b = M(); b.w = ef.Variable(0.0)
    >>> ef.train.Checkpoint(m=b).restore(p).expect_partial().report().unexpected
    ['m/extra/.ATTRIBUTES/VARIABLE_VALUE']
    """

    def __init__(self, restoration, checkpoint):
        self._r = restoration
        self._checkpoint = checkpoint  # the root of the restoration, weakly held there: kept alive for report()
        self._flags = {"_partial": False}
        # Warn when the checkpoint goes (it outlives this status, which holds it), as TF. The checkpoint does not
        # hold its status (that cycle would wait for the garbage collector to free every restored variable), and
        # the finalizer holds neither (its registry would keep them, and every variable, alive for ever).
        weakref.finalize(checkpoint, _warn_unconsumed, restoration, self._flags)

    def _program(self):
        root = self._r.root_ref()
        if root is None:
            return None
        return build_graph(root, self._r.root_extra)

    def _unrestored_program_keys(self):
        g = self._program()
        if g is None:
            return []
        restored = {id(ref()) for ref in self._r.restored.values() if ref() is not None}
        # a name-based restore does not ask for `save_counter`, as TF's (it is "optionally restored")
        optional = {id(self._checkpoint._save_counter)} if self._r.name_based else set()
        out = []
        for _, key, var in g.variables:
            if id(var) in optional:
                continue
            if id(var) not in restored:   # `save_counter` too, after a `write()` that saved none, as TF
                out.append(key)
        return out

    def assert_consumed(self):
        """Raise AssertionError unless every checkpoint value was restored and every variable got one."""
        self._r.rewalk()
        unconsumed = self._r.pending_keys() + sorted(self._r.mismatched)
        if unconsumed:
            raise AssertionError(
                f"Unresolved values in checkpoint '{self._r.prefix}': {_few(unconsumed)}. Nothing in the restored "
                "objects took them (yet): create the objects that own them (e.g. run one optimizer step), or use "
                "status.expect_partial() / status.report() when a partial restore is intended.")
        missing = self._unrestored_program_keys()
        if missing:
            raise AssertionError(
                f"Some variables were not restored from checkpoint '{self._r.prefix}': {_few(missing)}. The "
                "checkpoint has no value for them; check the object structure (status.report() lists both sides).")
        return self

    def assert_existing_objects_matched(self):
        """Raise AssertionError unless every existing variable got a value (checkpoint extras are fine)."""
        self._r.rewalk()
        missing = self._unrestored_program_keys()
        if missing:
            raise AssertionError(
                f"Some existing variables were not matched in checkpoint '{self._r.prefix}': {_few(missing)}. "
                "Check the attribute names against ef.train.list_variables(path).")
        return self

    def assert_nontrivial_match(self):
        """Raise AssertionError unless something besides the save counter was restored."""
        self._r.rewalk()
        if not (self._r.consumed - self._r.save_counter_keys):
            raise AssertionError(f"Nothing except the save counter was restored from checkpoint "
                                 f"'{self._r.prefix}'. Check that the objects match the checkpoint's.")
        return self

    def expect_partial(self):
        """Silence the warning about unrestored values when this status is dropped."""
        self._flags["_partial"] = True
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run eagerly (values are assigned on restore); re-checks deferred values."""
        self._r.rewalk()

    def initialize_or_restore(self, session=None):
        self._r.rewalk()

    def report(self):
        """A `RestoreReport`: restored, missing, unexpected and shape-mismatched keys.

        The unexpected keys include values still waiting for objects that do not exist yet.
        """
        self._r.rewalk()
        mism = [(k, v[1], v[2]) for k, v in sorted(self._r.mismatched.items())]
        return RestoreReport(sorted(self._r.consumed), self._unrestored_program_keys(),
                             sorted(set(self._r.pending_keys())), mism)


def _warn_unconsumed(restoration, state):
    try:
        if state.get("_partial"):
            return
        keys = restoration.pending_keys()
        if keys:
            _log.warning("Values in checkpoint '%s' were not restored into any object: %s. Call "
                         "status.expect_partial() to silence this when a partial restore is intended.",
                         restoration.prefix, _few(keys))
    except Exception:  # noqa: BLE001 - never raise from a finalizer
        pass


def _few(keys, n=8):
    keys = list(keys)
    return ", ".join(keys[:n]) + (f" ... ({len(keys)} in all)" if len(keys) > n else "")


class _InitializationOnlyStatus:
    """What `restore(None)` returns: nothing restored, nothing to assert (as TF)."""

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    assert_existing_objects_matched = assert_consumed
    assert_nontrivial_match = assert_consumed

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        pass

    initialize_or_restore = run_restore_ops

    def report(self):
        return RestoreReport([], [], [], [])


# ---------------------------------------------------------------------------------------------
# Checkpoint
# ---------------------------------------------------------------------------------------------
class Checkpoint:
    """Saves and restores the variables reachable from the objects given, as `tf.train.Checkpoint`.

    `save(prefix)` writes `prefix-N` (N from `save_counter`, an int64 variable created lazily) and
    updates the `checkpoint` state file; `write(path)` writes exactly `path`; `read(path)` and
    `restore(path)` return a `CheckpointLoadStatus`. `restore` also takes `key_map` (rename object
    paths: `{"old/path": "new/path"}`) and `skip_mismatched` (skip and report shape mismatches
    instead of raising). With `root=obj`, `obj` is the root and the other objects are attached to it.

    >>> import eagerflow as ef, tempfile, os
    >>> v = ef.Variable([1, 2], name="v")
    >>> ckpt = ef.train.Checkpoint(v=v)
    >>> prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
    >>> os.path.basename(ckpt.save(prefix)), os.path.basename(ckpt.save(prefix))
    ('ckpt-1', 'ckpt-2')
    >>> [key for key, shape in ef.train.list_variables(os.path.dirname(prefix))]
    ['_CHECKPOINTABLE_OBJECT_GRAPH', 'save_counter/.ATTRIBUTES/VARIABLE_VALUE', 'v/.ATTRIBUTES/VARIABLE_VALUE']
    """

    def __init__(self, root=None, **kwargs):
        for k, v in list(kwargs.items()) + ([("root", root)] if root is not None else []):
            if not _trackable(v) or v is None:
                raise ValueError(
                    f"`Checkpoint` was expecting {k} to be a trackable object (a Variable, a Module, an optimizer, "
                    f"a list or dict of them, or any object holding variables in its attributes), got {v!r}. "
                    f"Pass the object that owns the variables, e.g. Checkpoint({k}=model).")
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_kwargs", [])
        object.__setattr__(self, "_save_counter", None)
        object.__setattr__(self, "_pending", None)      # the asynchronous write in flight
        for k, v in sorted(kwargs.items(), key=lambda kv: kv[0]):
            if k.startswith("_") or k in ("save_counter", "save", "write", "read", "restore", "sync"):
                raise ValueError(f"Checkpoint cannot track an object named {k!r}: the name is reserved. "
                                 "Pick another keyword.")
            setattr(self, k, v)

    def __setattr__(self, name, value):
        """As TF's: an attribute assigned later (`ckpt.listed = [v]`) is tracked as the keywords are, and
        restored at once where a `restore()` has values for it. A list or dict is wrapped as a module's is."""
        value = wrap(value)
        object.__setattr__(self, name, value)
        if name.startswith("_") or not _trackable(value):
            return
        kwargs = [(k, v) for k, v in self._kwargs if k != name]
        kwargs.append((name, value))
        object.__setattr__(self, "_kwargs", kwargs)
        attribute_set(self, value)

    # -- the graph ------------------------------------------------------------------------------
    def _checkpoint_dependencies(self):
        items = list(self._kwargs)
        if self._save_counter is not None:
            items.append(("save_counter", self._save_counter))
        return items

    def _graph_root(self):
        """(root object, extra children of the root node)."""
        if self._root is None:
            return self, ()
        extra = list(sorted(self._kwargs + [("root", self._root)], key=lambda kv: kv[0]))
        own = {n for n, _ in tracked_children(self._root)[0]}
        for n, v in extra:
            if n in own and child_of(self._root, n) is not v:
                raise ValueError(f"Cannot attach {n!r} to the checkpoint root {type(self._root).__name__}: "
                                 f"the root already has a different {n!r}. Use another keyword.")
        extra = [(n, v) for n, v in extra if n not in own]
        if self._save_counter is not None:
            extra.append(("save_counter", self._save_counter))
        return self._root, extra

    @property
    def save_counter(self):
        """The number of `save()` calls (an int64 variable, created on first use, restored with the rest)."""
        if self._save_counter is None:
            from eagerflow.device.context import device

            with device("/cpu:0"):
                self._save_counter = Variable(np.int64(0), name="save_counter", trainable=False,
                                              dtype=dtypes.int64)
            root, _ = self._graph_root()
            restore_deferred(root)
        return self._save_counter

    # -- saving ---------------------------------------------------------------------------------
    def write(self, file_prefix, options=None):
        """Write a checkpoint at exactly `file_prefix` (no numbering, no state file); returns the path.

        >>> import eagerflow as ef, tempfile, os
        >>> p = ef.train.Checkpoint(w=ef.Variable(1.0)).write(os.path.join(tempfile.mkdtemp(), "w"))
        >>> sorted(os.listdir(os.path.dirname(p)))
        ['w.data-00000-of-00001', 'w.index']
        """
        return self._write(file_prefix, as_options(options, "Checkpoint.write"))

    def _write(self, file_prefix, options, done=None):
        """Snapshot the values now; write them (in the background with `enable_async`), then call
        `done(path)` (the state file), then the options' write callbacks. Returns the path."""
        self.sync()   # one write at a time, in order
        path = os.fspath(file_prefix)
        root, extra = self._graph_root()
        g, tensors = variables_to_save(root, extra)
        tensors[OBJECT_GRAPH_KEY] = object_graph_tensor(g.nodes)   # last, as TF's writer

        def job():
            bundle.write_bundle(path, tensors)
            if done is not None:
                done(path)
            run_write_callbacks(options, path)

        if options.enable_async:
            self._pending = _AsyncWrite(job)
        else:
            job()
        return path

    def sync(self):
        """Wait until an asynchronous write (`CheckpointOptions(enable_async=True)`) is on disk; raise its error.

        >>> import eagerflow as ef, tempfile, os
        >>> ckpt = ef.train.Checkpoint(v=ef.Variable(1.0))
        >>> options = ef.train.CheckpointOptions(enable_async=True)
        >>> path = ckpt.save(os.path.join(tempfile.mkdtemp(), "ck"), options=options)
        >>> ckpt.sync(); ef.train.latest_checkpoint(os.path.dirname(path)) == path
        True
        """
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.join()

    def save(self, file_prefix, options=None):
        """Write `file_prefix-N` with N = ++save_counter and record it in the directory's `checkpoint` file."""
        from eagerflow.checkpoint.manager import update_checkpoint_state

        options = as_options(options, "Checkpoint.save")
        self.sync()
        counter = self.save_counter
        counter.assign_add(1, read_value=False)
        path = f"{os.fspath(file_prefix)}-{int(counter.numpy())}"
        bundle.remove_temporaries(file_prefix, numbered=True)   # what a killed save left
        try:
            self._write(path, options, done=lambda p: update_checkpoint_state(os.path.dirname(p) or ".", p, [p]))
        except BaseException:
            counter.assign_sub(1, read_value=False)
            raise
        return path

    # -- restoring ------------------------------------------------------------------------------
    def read(self, save_path, options=None, *, key_map=None, skip_mismatched=False):
        """Restore from `save_path` (as `restore`, without creating `save_counter`)."""
        options = as_options(options, "Checkpoint.read")
        self.sync()   # an asynchronous save of ours is on disk before anything is read
        if save_path is None:
            return _InitializationOnlyStatus()
        root, extra = self._graph_root()
        me = weakref.ref(self)   # the restoration, kept in the registry, must not keep the checkpoint alive

        def extra_now():
            ckpt = me()
            return extra if ckpt is None else ckpt._graph_root()[1]

        r = _restore(save_path, root, extra_now, key_map=key_map, skip_mismatched=skip_mismatched,
                     skip_slots=options.experimental_skip_slot_variables)
        status = CheckpointLoadStatus(r, self)
        return status

    def restore(self, save_path, options=None, *, key_map=None, skip_mismatched=False):
        """Restore every variable from `save_path` (a prefix, its .index or data file); returns the status.

        Values for objects that do not exist yet are restored when they are created (see the module
        docstring). `save_path=None` restores nothing (`CheckpointManager.latest_checkpoint` is None
        before the first save). Nothing is assigned unless every value read, dtype and shape checks out.
        """
        try:
            status = self.read(save_path, options, key_map=key_map, skip_mismatched=skip_mismatched)
        except errors.NotFoundError as e:
            raise errors.NotFoundError(
                None, None, f"Error when restoring from checkpoint {os.fspath(save_path)!r}: {e.message} "
                "You may be missing the checkpoint suffix (e.g. the '-1' in 'path/to/ckpt-1').") from None
        # Created after the read, as TF: it takes the checkpoint's value as a deferred restoration, and is a
        # variable `assert_consumed()` asks a value for (none after a `write()`).
        self.save_counter  # noqa: B018
        return status


# ---------------------------------------------------------------------------------------------
# readers
# ---------------------------------------------------------------------------------------------
def _checkpoint_path(ckpt_dir_or_file):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        from eagerflow.checkpoint.manager import latest_checkpoint

        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}. "
                             "Pass a checkpoint prefix such as 'dir/ckpt-1'.")
        return latest
    return path


class CheckpointReader:
    """Reads keys, dtypes, shapes and values of a checkpoint, as `tf.train.load_checkpoint` returns.

    >>> import eagerflow as ef, tempfile, os
    >>> p = ef.train.Checkpoint(w=ef.Variable([1.0, 2.0])).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> r = ef.train.load_checkpoint(p)
    >>> r.get_variable_to_shape_map()["w/.ATTRIBUTES/VARIABLE_VALUE"], r.get_tensor("w/.ATTRIBUTES/VARIABLE_VALUE")
    ([2], array([1., 2.], dtype=float32))
    """

    def __init__(self, path):
        self._reader = bundle.BundleReader(_checkpoint_path(path))
        self.prefix = self._reader.prefix

    def get_tensor(self, key):
        """The value saved under `key`: a NumPy array, a NumPy scalar for a scalar (as TF), strings as
        `bytes` objects.

        >>> import tempfile, os
        >>> p = ef.train.Checkpoint(step=ef.Variable(7)).write(os.path.join(tempfile.mkdtemp(), "c"))
        >>> ef.train.load_checkpoint(p).get_tensor("step/.ATTRIBUTES/VARIABLE_VALUE")
        np.int32(7)
        """
        value = self._reader.read(key)
        if value.ndim == 0:
            return value[()]
        return value.copy() if value.dtype != object else value

    def has_tensor(self, key):
        return key in self._reader

    def get_variable_to_shape_map(self):
        return {k: list(self._reader.dtype_and_shape(k)[1]) for k in self._reader.keys()}

    def get_variable_to_dtype_map(self):
        return {k: self._reader.dtype_and_shape(k)[0] for k in self._reader.keys()}

    def keys(self):
        return self._reader.keys()

    def close(self):
        self._reader.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def load_checkpoint(ckpt_dir_or_file):
    """A `CheckpointReader` for a checkpoint prefix (or its files), or the latest one in a directory.

    >>> import tempfile, os
    >>> p = ef.train.Checkpoint(w=ef.Variable([1.0, 2.0])).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> ef.train.load_checkpoint(p).get_tensor("w/.ATTRIBUTES/VARIABLE_VALUE")
    array([1., 2.], dtype=float32)
    """
    return CheckpointReader(ckpt_dir_or_file)


def load_variable(ckpt_dir_or_file, name):
    """The value saved under `name` (a checkpoint key; a trailing ':0' is dropped).

    >>> import eagerflow as ef, tempfile, os
    >>> p = ef.train.Checkpoint(w=ef.Variable(4)).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> ef.train.load_variable(p, "w/.ATTRIBUTES/VARIABLE_VALUE")
    np.int32(4)
    """
    if name.endswith(":0"):
        name = name[:-2]
    with CheckpointReader(ckpt_dir_or_file) as r:
        return r.get_tensor(name)


def list_variables(ckpt_dir_or_file):
    """`(key, shape)` of every tensor in the checkpoint, sorted by key (shape as a list).

    >>> import tempfile, os
    >>> p = ef.train.Checkpoint(w=ef.Variable([1.0, 2.0])).write(os.path.join(tempfile.mkdtemp(), "c"))
    >>> ef.train.list_variables(p)
    [('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('w/.ATTRIBUTES/VARIABLE_VALUE', [2])]
    """
    with CheckpointReader(ckpt_dir_or_file) as r:
        return sorted(r.get_variable_to_shape_map().items())
