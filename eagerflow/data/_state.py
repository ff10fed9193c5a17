"""The saved position of an iterator as bytes: JSON for the structure, NumPy's .npy for the arrays.

A state is plain data: dicts with string keys, lists, numbers, strings, None, NumPy arrays and
Tensors (elements held in a shuffle buffer or a prefetch queue). Nothing is pickled, so reading
a checkpoint never runs code; string arrays are stored as their bytes and lengths.

>>> import numpy as np
>>> s = decode(encode({"pos": 3, "order": np.arange(4)}))
>>> s["pos"], s["order"].tolist()
(3, [0, 1, 2, 3])
"""

import io
import json
import struct

import numpy as np

from eagerflow import errors
from eagerflow.framework.tensor import Tensor

__all__ = ["encode", "decode"]

_MAGIC = b"EFDATA1\n"


def _host(t):
    return t._device.backend.to_host(t._value)


def encode(state):
    """`state` as bytes (see the module docstring for what it may hold)."""
    arrays = []

    def walk(x):
        if isinstance(x, Tensor):
            return {"__tensor__": add(_host(x)), "dtype": x.dtype.name}
        if isinstance(x, np.ndarray):
            return {"__array__": add(x)}
        if isinstance(x, dict):
            return {"__dict__": [[k, walk(v)] for k, v in x.items()]}
        if isinstance(x, (list, tuple)):
            return [walk(v) for v in x]
        if isinstance(x, np.generic):
            return x.item()
        if isinstance(x, bytes):
            return {"__bytes__": x.hex()}
        return x

    def add(a):
        if a.dtype == object:  # strings: the bytes and their lengths
            first = len(arrays)
            items = [e if isinstance(e, bytes) else str(e).encode() for e in a.ravel()]
            arrays.append(np.frombuffer(b"".join(items), np.uint8))
            arrays.append(np.array([len(e) for e in items], np.int64))
            arrays.append(np.array(a.shape, np.int64))
            return [first]  # a list marks strings: [index of the bytes]
        arrays.append(a if a.flags.c_contiguous else a.copy())  # (ascontiguousarray would make 0-d 1-d)
        return len(arrays) - 1

    tree = json.dumps(walk(state)).encode()
    out = io.BytesIO()
    out.write(_MAGIC + struct.pack("<Q", len(tree)) + tree)
    out.write(struct.pack("<Q", len(arrays)))
    for a in arrays:
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        data = buf.getvalue()
        out.write(struct.pack("<Q", len(data)) + data)
    return out.getvalue()


def decode(data):
    """The state `encode` wrote; DataLossError for bytes that are not one."""
    from eagerflow.framework.execute import convert_to_tensor
    if isinstance(data, np.ndarray):
        data = data.item() if data.dtype == object else data.tobytes()
    data = bytes(data)
    if not data.startswith(_MAGIC):
        raise errors.DataLossError(None, None, "The saved iterator state is not one eagerflow wrote (its header is "
                                   "missing); restore an iterator from a checkpoint of the same pipeline.")
    try:
        pos = len(_MAGIC)
        (n,) = struct.unpack_from("<Q", data, pos)
        tree = json.loads(data[pos + 8: pos + 8 + n])
        pos += 8 + n
        (count,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        arrays = []
        for _ in range(count):
            (size,) = struct.unpack_from("<Q", data, pos)
            arrays.append(np.load(io.BytesIO(data[pos + 8: pos + 8 + size]), allow_pickle=False))
            pos += 8 + size
    except (ValueError, struct.error, EOFError) as e:
        raise errors.DataLossError(None, None, f"The saved iterator state is truncated or corrupt ({e}).") from None

    def array(ref):
        if isinstance(ref, list):
            raw, lengths, shape = arrays[ref[0]], arrays[ref[0] + 1], arrays[ref[0] + 2]
            ends = np.cumsum(lengths)
            items = [raw[e - n: e].tobytes() for e, n in zip(ends, lengths)]
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(tuple(shape))
        return arrays[ref]

    def walk(x):
        if isinstance(x, dict):
            if "__tensor__" in x:
                return convert_to_tensor(array(x["__tensor__"]), dtype=x["dtype"])
            if "__array__" in x:
                return array(x["__array__"])
            if "__bytes__" in x:
                return bytes.fromhex(x["__bytes__"])
            return {k: walk(v) for k, v in x["__dict__"]}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    return walk(tree)
