"""Export and import of variables as safetensors files, keyed by the checkpoint's object paths.

The key of a variable is its object path without the attribute suffix (`model/dense/kernel` for
the checkpoint key `model/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`), so the files read naturally
in PyTorch, JAX or anything else that reads safetensors. Needs the optional `safetensors` package
(`pip install eagerflow[safetensors]`); strings and complex numbers have no safetensors dtype.

>>> import eagerflow as ef, tempfile, os
>>> class M: pass
>>> m = M(); m.w = ef.Variable([1.0, 2.0])
>>> p = os.path.join(tempfile.mkdtemp(), "m.safetensors")
>>> save_safetensors(m, p); _ = m.w.assign([0.0, 0.0]); _ = load_safetensors(m, p); m.w.numpy()
array([1., 2.], dtype=float32)
"""

import os

import numpy as np

from eagerflow import dtypes, errors
from eagerflow.checkpoint.bundle import atomic_replace
from eagerflow.checkpoint.checkpoint import Checkpoint, RestoreReport
from eagerflow.checkpoint.graph import build_graph, object_path
from eagerflow.tensor_shape import TensorShape
from eagerflow.variables import snapshot

__all__ = ["save_safetensors", "load_safetensors"]

_UNSUPPORTED = (dtypes.string, dtypes.complex64, dtypes.complex128)


def _numpy_api():
    try:
        import safetensors.numpy as st
    except ImportError:
        raise ImportError("ef.train.save_safetensors/load_safetensors need the safetensors package: "
                          "pip install 'eagerflow[safetensors]' (or pip install safetensors).") from None
    return st


def _graph(obj):
    if isinstance(obj, Checkpoint):
        root, extra = obj._graph_root()
        return build_graph(root, extra)
    return build_graph(obj)


def _paths(obj):
    g = _graph(obj)
    return [(object_path(g.paths[nid]), var) for nid, _, var in g.variables]


def save_safetensors(obj, path, metadata=None):
    """Write every variable reachable from `obj` (a Checkpoint, Module or any object) to `path`.

    Written to a temporary file in the same directory, fsynced and renamed. Raises
    InvalidArgumentError for a string or complex variable (safetensors has no such dtype).

    >>> import tempfile, os, safetensors.numpy
    >>> m = ef.Module(); m.w = ef.Variable([1.0, 2.0]); path = os.path.join(tempfile.mkdtemp(), "m.safetensors")
    >>> ef.train.save_safetensors(m, path); safetensors.numpy.load_file(path)
    {'w': array([1., 2.], dtype=float32)}
    """
    st = _numpy_api()
    tensors = {}
    paths = list(_paths(obj))
    for key, var in paths:
        if var.dtype in _UNSUPPORTED:
            raise errors.InvalidArgumentError(
                None, None, f"Cannot export variable {var.name!r} ('{key}') to safetensors: safetensors has no "
                f"{var.dtype.name} dtype. Save it with ef.train.Checkpoint instead, or move it out of the object.")
    for (key, var), buf in zip(paths, snapshot([var for _, var in paths])):   # one instant, as checkpoints
        value = var._device.backend.to_host(buf)
        tensors[key] = value if value.flags.c_contiguous else value.copy()
    path = os.fspath(path)
    meta = {"format": "eagerflow"}
    meta.update(metadata or {})
    with atomic_replace(path) as tmp:
        st.save_file(tensors, tmp, metadata=meta)


def load_safetensors(obj, path, strict=True):
    """Assign every variable reachable from `obj` the value saved under its object path in `path`.

    Everything is checked before anything is assigned: a missing file is NotFoundError, a dtype
    mismatch InvalidArgumentError, a shape mismatch ValueError, and with `strict=True` (the default)
    a variable without a value or a value without a variable is a ValueError. Returns a
    `RestoreReport`.

    >>> import tempfile, os
    >>> m = ef.Module(); m.w = ef.Variable([1.0, 2.0]); path = os.path.join(tempfile.mkdtemp(), "m.safetensors")
    >>> ef.train.save_safetensors(m, path); _ = m.w.assign([0.0, 0.0])
    >>> print(ef.train.load_safetensors(m, path)); m.w.numpy()
    restored 1 value(s)
    array([1., 2.], dtype=float32)
    """
    st = _numpy_api()
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise errors.NotFoundError(None, None, f"No safetensors file at '{path}'. Check the path.")
    try:
        values = st.load_file(path)
    except Exception as e:  # noqa: BLE001 - the library raises its own error types
        raise errors.DataLossError(None, None, f"Cannot read safetensors file '{path}': {e}. The file is damaged "
                                   "or not a safetensors file; re-export it.") from None
    targets = _paths(obj)
    missing = [k for k, _ in targets if k not in values]
    known = {k for k, _ in targets}
    unexpected = sorted(k for k in values if k not in known)
    if strict and (missing or unexpected):
        raise ValueError(f"safetensors file '{path}' does not match the object: missing {missing[:8]}, unexpected "
                         f"{unexpected[:8]}. No variable was changed. Pass strict=False to load the keys that match.")
    plan = []
    for key, var in targets:
        if key not in values:
            continue
        value = values[key]
        want = np.dtype(var.dtype.as_numpy_dtype)
        if value.dtype != want:
            raise errors.InvalidArgumentError(
                None, None, f"Cannot load '{key}' from '{path}' into variable {var.name!r}: the file holds "
                f"{value.dtype}, the variable is {var.dtype.name}. No variable was changed. Cast before exporting.")
        if not var.shape.is_compatible_with(TensorShape(list(value.shape))):
            raise ValueError(f"Cannot load '{key}' from '{path}' into variable {var.name!r}: the file holds shape "
                             f"{TensorShape(list(value.shape))}, the variable has shape {var.shape}. No variable "
                             "was changed.")
        plan.append((key, var, value))
    for _, var, value in plan:
        var.assign(value, read_value=False)
    return RestoreReport([k for k, _, _ in plan], missing, unexpected, [])
