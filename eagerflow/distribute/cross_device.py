"""Reductions across the replicas' devices: TF's `ReductionToOneDevice`, with small tensors packed.

Each replica hands in a list of tensors (one per value being reduced, e.g. one per gradient), each on its
replica's device. Tensors of one dtype smaller than `PACK_BYTES` are packed into one flat buffer per
replica (TF's `NcclAllReduce`/`HierarchicalCopy` packing), so a reduction of many small gradients costs one
copy per device and one sum, not one per tensor. Every replica's buffer is copied to the reducing device
(through `placement.copy_to`, counted in `copy_stats`), summed there with the `AddN` op in replica order
(the same additions, in the same order, as summing each tensor on its own, so the same bits), and the sum
is copied back to each destination device and unpacked into views of the copy.
"""

from eagerflow.device import context, placement
from eagerflow.framework.execute import wrap

__all__ = ["batch_reduce", "PACK_BYTES"]

PACK_BYTES = 64 << 10  # tensors below this share a pack: packing copies, which pays for itself on small ones


def batch_reduce(per_replica, reduce_device, destinations, mean=False):
    """Reduce `per_replica[r][k]` (tensor k of replica r) over the replicas, for every k.

    The sums are computed on `reduce_device` and returned once per destination: a list (one per entry of
    `destinations`, Devices) of lists of tensors, the k-th the reduction of tensor k, on that destination
    device. `mean=True` divides by the number of replicas (integers: floor division, as TF)."""
    from eagerflow.ops import math_ops
    n = len(per_replica)
    first = per_replica[0]
    out = [[None] * len(first) for _ in destinations]
    for group in _packs(per_replica):
        dtype = first[group[0]]._dtype
        parts = [_pack([per_replica[r][k] for k in group]) for r in range(n)]
        with context.device(reduce_device.name):
            on_reducer = [_wrap_on(array, device, dtype, reduce_device) for array, device in parts]
            total = math_ops.add_n(on_reducer) if n > 1 else on_reducer[0]
            if mean:
                total = total / n if dtype.is_floating or dtype.is_complex else total // n
        for d, destination in enumerate(destinations):
            array = total._value
            if destination is not reduce_device:
                array = placement.copy_to(array, reduce_device, destination)
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


def _packs(per_replica):
    """Index groups: the small tensors of each numeric dtype together, in order; the others alone (large
    ones, and any whose dtype or shape differs between replicas: AddN then says what is wrong)."""
    groups, small = [], {}
    for k, t in enumerate(per_replica[0]):
        alike = all(r[k]._dtype == t._dtype and r[k]._value.shape == t._value.shape for r in per_replica)
        if not alike or t._value.nbytes >= PACK_BYTES or not (t._dtype.is_floating or t._dtype.is_complex
                                                              or t._dtype.is_integer):
            groups.append([k])
        else:
            small.setdefault(t._dtype, []).append(k)
    return groups + list(small.values())


def _pack(tensors):
    """(array, device): one replica's tensors of a group flattened into one buffer on the first one's device."""
    device = tensors[0]._device
    if len(tensors) == 1:
        return tensors[0]._value, device
    xp = device.xp
    arrays = [t._value if t._device is device else placement.copy_to(t._value, t._device, device) for t in tensors]
    return xp.concatenate([a.reshape(-1) for a in arrays]), device


def _wrap_on(array, device, dtype, target):
    if device is not target:
        array = placement.copy_to(array, device, target)
    return wrap(array, target, dtype)
