"""The lines TF's placer prints when placement logging is on: the nodes of each function it instantiates.

TF runs every eager op as a one-node function, instantiated the first time the op runs with given attrs on a
device; the placer then prints each node of it (`x: (_Arg): /job:localhost/.../device:CPU:0`) on the process's
C-level stdout, and the same line through its INFO log on stderr. The nodes are the op's arguments (`_Arg`, or
`_DeviceArg` for an int32 one, named after the op definition's input, `values_0`, `values_1`... for a list), the
op itself and its results (`<output>_RetVal`, `_Retval` or `_DeviceRetval`), in that order but for an op of no
inputs and one output, which the placer places after its consumers. The op definitions' facts come from
`op_signatures.py`, a table generated from TF's op registry. Only imported once logging is on.
"""

import ctypes
import ctypes.util
import os
import platform
import sys
import threading

from eagerflow.device.op_signatures import ONEDNN_REWRITES, SIGNATURES

__all__ = ["log_function_of_op", "forget_functions"]

# Index-like arguments: eagerflow takes most of them as Python values (attrs), TF as int32 tensors.
_INDEX_ATTRS = frozenset({"Tidx", "Tshape", "Tpaddings", "Tperm", "Tmultiples", "Tindices", "Taxis", "Index",
                          "Tlen", "Tindex", "index_type", "Tblock_shape", "Tcrops", "Tnumsegments", "Tsplits",
                          "Tseed", "shape_type", "Tdim"})
_ATTR_NAMES = {"keepdims": "keep_dims"}  # eagerflow's attr names where they differ from TF's
_OP_ATTR_NAMES = {"Squeeze": {"axis": "squeeze_dims"}}  # ... and those of one op
_HOST_INPUTS = frozenset({"_EagerConst", "Shape", "ShapeN", "Size", "Rank"})  # their int32 inputs stay _Arg
_ONEDNN = (platform.machine().lower() in ("x86_64", "amd64", "i686", "x86")
           and os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").lower() not in ("0", "false"))

# What else TF's function cache tells apart: the dtypes and shapes of the op's variables, and a variable's
# initializing AssignVariableOp from later assignments (its requested device differs)
_CACHE_KEYS = ("_resources", "_initializer")
_instantiated = set()  # the functions TF has made: (op, device, its nodes, attrs)
_lock = threading.Lock()


def _parse(argument):
    name, kind, *count = argument.split(":")
    return name, kind, count[0] if count else None


def _is_list(kind, count):
    return count is not None or kind.startswith("*")


def _is_index(kind):
    return kind in _INDEX_ATTRS or kind in ("=int32", "=int64")


def _bind(arguments, given):
    """[(name, index in a list or None, dtype name)] of TF's arguments, the eagerflow dtypes `given` matched to
    them in order; an index-like argument eagerflow took as a Python value (none left for it) is int32, or its
    type attr's default."""
    parsed = [_parse(a) for a in arguments]
    bound, types, i = [], {}, 0
    for k, (name, kind, count) in enumerate(parsed):
        later = sum(1 for _, kd, c in parsed[k + 1:] if not _is_index(kd) or _is_list(kd, c))
        left = len(given) - i
        if _is_list(kind, count):
            n = max(left - later, 0)
            for j in range(n):
                bound.append((name, j, given[i + j], kind))
            i += n
            continue
        if i < len(given) and not (_is_index(kind) and left <= later):
            bound.append((name, None, given[i], kind))
            i += 1
        else:
            bound.append((name, None, None, kind))
    for _, _, dtype, kind in bound:
        if dtype is not None and not kind.startswith("="):
            types.setdefault(kind.lstrip("*"), dtype)
    return bound, types


def _rows(op, inputs, outputs):
    """The function's nodes as (name, kind), in the placer's order, and its dtypes (TF keys the function by them),
    or None for an op not in the table."""
    signature = SIGNATURES.get(op)
    if signature is None:
        return None
    arguments, results, type_defaults, _, host_outputs = signature
    bound_in, types = _bind(arguments, inputs)
    bound_out, out_types = _bind(results, outputs)

    def dtype_of(dtype, kind):
        if kind.startswith("="):  # a fixed type: whatever eagerflow's input was (an int32 seed for an int64)
            return kind[1:]
        if dtype is not None:
            return dtype
        if kind in types:
            return types[kind]
        # an index eagerflow took as a Python value: TF makes a Python int an int32, whatever the attr's default
        return "int32" if kind in _INDEX_ATTRS else type_defaults.get(kind, "int32")

    arg_nodes, ret_nodes = [], []
    for name, index, dtype, kind in bound_in:
        node = name.replace("_", "__") + ("" if index is None else f"_{index}")
        device_arg = dtype_of(dtype, kind) == "int32" and op not in _HOST_INPUTS
        arg_nodes.append((node, "_DeviceArg" if device_arg else "_Arg"))
    for name, index, dtype, kind in bound_out:
        node = name.replace("_", "__") + ("" if index is None else f"_{index}") + "_RetVal"
        device_ret = (dtype_of(dtype, kind) == "int32" and op != "_EagerConst" and name not in host_outputs)
        ret_nodes.append((node, "_DeviceRetval" if device_ret else "_Retval"))
    op_node = [(op, op)]
    dtypes = tuple(sorted({**out_types, **types}.items()))
    if not arg_nodes and len(ret_nodes) == 1:  # a generator: placed after its consumer
        return ret_nodes + op_node, dtypes
    return arg_nodes + op_node + ret_nodes, dtypes


def _strided_slice_masks(key):
    """TF's StridedSlice masks for an index key (ints, slices, Ellipsis, None), as TF's Python indexing sets them."""
    masks = dict.fromkeys(("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"), 0)
    for i, item in enumerate(key if type(key) is tuple else (key,)):
        bit = 1 << i
        if isinstance(item, slice):
            masks["begin_mask"] |= bit if item.start is None else 0
            masks["end_mask"] |= bit if item.stop is None else 0
        elif item is Ellipsis:
            masks["ellipsis_mask"] |= bit
        elif item is None:
            masks["new_axis_mask"] |= bit
        else:
            masks["shrink_axis_mask"] |= bit
    return masks


# eagerflow attrs that stand for other TF attrs: op -> (eagerflow attr, its TF attrs)
_TRANSLATED = {"StridedSlice": ("key", _strided_slice_masks)}


def _attrs_key(op, attrs):
    """The attrs TF keys its functions by that eagerflow passes as attrs (the rest follow from the dtypes)."""
    if not attrs:
        return ()
    translated = _TRANSLATED.get(op)
    if translated is not None and translated[0] in attrs:
        attrs = {**attrs, **translated[1](attrs[translated[0]])}
    others = SIGNATURES[op][3]
    key = [(name, attrs[name]) for name in _CACHE_KEYS if name in attrs]
    renamed = _OP_ATTR_NAMES.get(op, {})
    for name, value in attrs.items():
        name = renamed.get(name) or _ATTR_NAMES.get(name, name)
        if isinstance(value, list) or (value is None and others.get(name) == ()):
            value = tuple(value or ())
        if name in others and value != others[name]:
            key.append((name, value if isinstance(value, (int, float, str, bool, tuple)) else repr(value)))
    return tuple(sorted(key))


def forget_functions():
    """Forget the functions made so far, as TF's `set_seed` clears its caches: each is made (and printed) again."""
    with _lock:
        _instantiated.clear()


def _c_stdout():
    """libc's puts (TF's placer prints through C's stdout, buffered as Python's -u leaves it), or None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None) if os.name != "nt" else ctypes.cdll.msvcrt
        puts = libc.puts
        puts.argtypes = [ctypes.c_char_p]
        return puts
    except (OSError, AttributeError):
        return None


_puts = None


def _print(line):
    global _puts
    if _puts is None:
        _puts = _c_stdout() or False
    if _puts:
        _puts(line.encode())
    else:
        sys.stdout.write(line + "\n")


def log_function_of_op(op, device, input_dtypes, output_dtypes, attrs, logger):
    """Print the nodes of `op`'s one-node function on `device`, when TF would instantiate it now (its first run
    with these attrs there); `input_dtypes`/`output_dtypes` are the dtype names eagerflow's op took and made."""
    found = _rows(op, tuple(input_dtypes), tuple(output_dtypes))
    if found is None:
        return
    rows, dtypes = found
    key = (op, device.name, tuple(rows), dtypes, _attrs_key(op, attrs))
    with _lock:
        if key in _instantiated:
            return
        if len(_instantiated) >= 65536:  # bound the memory; TF's cache would go on saying nothing
            _instantiated.clear()
        _instantiated.add(key)
    passes = [rows]
    rewrite = ONEDNN_REWRITES.get(op, {}).get(input_dtypes[0] if input_dtypes else None)
    if rewrite is not None and _ONEDNN and device.device_type == "CPU":
        passes.append([(rewrite, rewrite) if name == op else (name, kind) for name, kind in rows])
    for nodes in passes:
        for name, kind in nodes:
            _print(f"{name}: ({kind}): {device.name}")
            logger.info("%s: (%s): %s", name, kind, device.name)
