"""Reductions across the replicas' devices: TF's `ReductionToOneDevice`, with small tensors packed.

Each replica hands in a list of tensors (one per value being reduced, e.g. one per gradient), each on its
replica's device. Tensors of one dtype smaller than `PACK_BYTES` are packed into one flat buffer per
replica (TF's `NcclAllReduce`/`HierarchicalCopy` packing), so a reduction of many small gradients costs one
copy per device and one sum, not one per tensor. Every replica's buffer is copied to the reducing device
(through `placement.copy_to`, counted in `copy_stats`), summed there in replica order (the additions of
`AddN`, in the same order, as summing each tensor on its own: the same bits), and the sum is copied back to
each destination device and unpacked into views of the copy.

Between CPU devices the copies and the sum refill buffers of earlier reductions that nothing references
any more (`_Spares`): a training step reduces the same shapes every time, and a new buffer of a large
gradient costs a page fault per 4 KiB, more than the copy itself.
"""

import sys
import threading

import numpy as np

from eagerflow.device import context, placement
from eagerflow.framework.execute import wrap

__all__ = ["batch_reduce", "PACK_BYTES"]

PACK_BYTES = 64 << 10  # tensors below this share a pack: packing copies, which pays for itself on small ones


def batch_reduce(per_replica, reduce_device, destinations, mean=False):
    """Reduce `per_replica[r][k]` (tensor k of replica r) over the replicas, for every k.

    The sums are computed on `reduce_device` and returned once per destination: a list (one per entry of
    `destinations`, Devices) of lists of tensors, the k-th the reduction of tensor k, on that destination
    device. `mean=True` divides by the number of replicas (integers: floor division, as TF)."""
    n = len(per_replica)
    first = per_replica[0]
    out = [[None] * len(first) for _ in destinations]
    for group, summable in _groups(per_replica):
        dtype = first[group[0]]._dtype
        parts = [_pack([per_replica[r][k] for k in group]) for r in range(n)]
        if summable:
            total = wrap(_sum_on(parts, reduce_device), reduce_device, dtype)
        else:  # dtypes or shapes differ between the replicas (AddN says what is wrong), or no AddN kernel
            from eagerflow.ops import math_ops
            with context.device(reduce_device.name):
                total = math_ops.add_n([wrap(_copy(array, device, reduce_device), reduce_device, dtype)
                                        for array, device in parts])
        if mean:
            with context.device(reduce_device.name):
                total = total / n if dtype.is_floating or dtype.is_complex else total // n
        for d, destination in enumerate(destinations):
            array = total._value
            if destination is not reduce_device:
                array = _copy(array, reduce_device, destination)
            if len(group) == 1:
                out[d][group[0]] = wrap(array, destination, total._dtype)
                continue
            offset = 0
            for k in group:
                shape = first[k]._value.shape
                size = first[k]._value.size
                out[d][k] = wrap(array[offset:offset + size].reshape(shape), destination, total._dtype)
                offset += size
    return out


def _groups(per_replica):
    """(index group, summable) pairs: the small tensors of each numeric dtype together, in order; the others
    alone (large ones, and any whose dtype or shape differs between replicas or that AddN does not add).
    A group is summable when its tensors agree in dtype and shape across the replicas and are numbers."""
    groups, small = [], {}
    for k, t in enumerate(per_replica[0]):
        alike = all(r[k]._dtype == t._dtype and r[k]._value.shape == t._value.shape for r in per_replica)
        numeric = t._dtype.is_floating or t._dtype.is_complex or t._dtype.is_integer
        if not alike or not numeric or t._value.nbytes >= PACK_BYTES:
            groups.append(([k], alike and numeric))
        else:
            small.setdefault(t._dtype, []).append(k)
    return groups + [(group, True) for group in small.values()]


def _pack(tensors):
    """(array, device): one replica's tensors of a group flattened into one buffer on the first one's device."""
    device = tensors[0]._device
    if len(tensors) == 1:
        return tensors[0]._value, device
    xp = device.xp
    arrays = [t._value if t._device is device else placement.copy_to(t._value, t._device, device) for t in tensors]
    return xp.concatenate([a.reshape(-1) for a in arrays]), device


def _sum_on(parts, device):
    """The sum of the replicas' arrays (`parts`: (array, device) pairs of one shape and dtype) on `device`, a
    new array: the others copied there, added left to right in replica order (AddN's order)."""
    arrays = [_copy(array, source, device) for array, source in parts]
    if len(arrays) == 1:
        return arrays[0]
    if arrays[1] is not parts[1][0]:
        total = arrays[1]  # the copy made here: the sum goes into it (one buffer less to touch)
    elif type(arrays[0]) is np.ndarray and _Spares.usable(device, device, arrays[0]):
        total = _spares.take(device, arrays[0])
        _spares.give(device, total)
    else:
        total = device.xp.empty_like(arrays[0])
    add = device.xp.add
    add(arrays[0], arrays[1], out=total)
    for array in arrays[2:]:
        add(total, array, out=total)
    return total


def _copy(array, source, target):
    """`array` on `target`: itself where it lives there, else a counted copy (into a spare buffer on a CPU)."""
    if source is target:
        return array
    if not _Spares.usable(source, target, array):
        return placement.copy_to(array, source, target)
    copied = placement.copy_to(array, source, target, out=_spares.take(target, array))
    _spares.give(target, copied)
    return copied


class _Spares:
    """Buffers of earlier reductions on CPU devices, refilled once nothing but this list references them.

    A buffer handed out (wrapped in the tensors of a result, or viewed by them) is referenced from there, so
    its reference count says whether it is free; `take` removes the buffer it returns from the list under the
    lock, so two threads never refill the same one. At most `KEEP` per device, dtype and shape."""

    KEEP = 4
    _FREE = 2  # references of a free buffer in `sys.getrefcount(entries[i])`: the list's and the argument's

    def __init__(self):
        self._lock = threading.Lock()
        self._buffers = {}  # (device name, dtype, shape) -> [arrays]

    @staticmethod
    def usable(source, target, array):
        """Whether a copy of `array` from `source` to `target` may refill a spare: NumPy numbers, local CPUs."""
        return (type(array) is np.ndarray and array.dtype.kind in "biufc" and not source.remote
                and not target.remote and source.array_type is target.array_type is np.ndarray)

    def take(self, device, like):
        """A free C-ordered buffer on `device` of `like`'s shape and dtype (a new one when none is free)."""
        key = (device.name, like.dtype, like.shape)
        with self._lock:
            entries = self._buffers.get(key)
            if entries:
                for i in range(len(entries)):
                    if sys.getrefcount(entries[i]) == self._FREE:
                        return entries.pop(i)
        return np.empty(like.shape, like.dtype)

    def give(self, device, array):
        """Keep `array`, a buffer on `device` that `take` returned, to refill once nothing else references it."""
        key = (device.name, array.dtype, array.shape)
        with self._lock:
            entries = self._buffers.setdefault(key, [])
            if len(entries) < self.KEEP:
                entries.append(array)


_spares = _Spares()
