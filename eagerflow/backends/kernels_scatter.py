"""Kernels that write slices into place by index: `scatter_nd`, `tensor_scatter_nd_*` and the segment
reductions beyond the sum, registered into the shared table.

Indices are range-checked first (`kernels._nd_index`), so a bad index changes nothing and is TF's
InvalidArgumentError; repeated indices combine as TF's (added for scatter_nd and *_add, the last update
wins for *_update, as NumPy's assignment does on the CPU).
"""

from eagerflow.backends.kernels import KERNELS, _add_at, _nd_index

__all__ = []


def _check_updates(indices, updates, shape):
    want = tuple(indices.shape[:-1]) + tuple(shape[indices.shape[-1]:])
    if tuple(updates.shape) != want:
        raise ValueError(f"updates has shape {tuple(updates.shape)} but indices {tuple(indices.shape)} into shape "
                         f"{tuple(shape)} need updates of shape {want}")


def _scatter_nd(xp, indices, updates, shape):
    shape = tuple(int(d) for d in shape)
    if indices.ndim == 0 or indices.shape[-1] > len(shape):
        raise ValueError(f"indices of shape {tuple(indices.shape)} cannot index the output shape {shape}: the last "
                         f"dimension of indices must be at most the output's rank {len(shape)}")
    _check_updates(indices, updates, shape)
    out = xp.zeros(shape, dtype=updates.dtype)
    _add_at(xp, out, _nd_index(xp, indices, shape, " of the output"), updates)
    return out


def _tensor_scatter(mode):
    def kernel(xp, tensor, indices, updates):
        if indices.ndim == 0 or indices.shape[-1] > tensor.ndim:
            raise ValueError(f"indices of shape {tuple(indices.shape)} cannot index a tensor of shape "
                             f"{tuple(tensor.shape)}: the last dimension of indices must be at most its rank")
        _check_updates(indices, updates, tensor.shape)
        index = _nd_index(xp, indices, tensor.shape, " of the tensor")
        out = tensor.copy()
        if mode == "update":
            out[index] = updates
        elif mode == "add":
            _add_at(xp, out, index, updates)
        elif mode == "sub":
            _add_at(xp, out, index, -updates)
        else:
            getattr(xp, mode).at(out, index, updates)
        return out
    return kernel


KERNELS["ScatterNd"] = _scatter_nd
KERNELS["TensorScatterUpdate"] = _tensor_scatter("update")
KERNELS["TensorScatterAdd"] = _tensor_scatter("add")
KERNELS["TensorScatterSub"] = _tensor_scatter("sub")
KERNELS["TensorScatterMin"] = _tensor_scatter("minimum")
KERNELS["TensorScatterMax"] = _tensor_scatter("maximum")


def _identity_of(xp, how, dtype):
    """The value of an empty segment in TF's unsorted reductions: lowest for max, highest for min, 1 for prod."""
    if how == "multiply":
        return 1
    info = xp.iinfo(dtype) if dtype.kind in "iu" else xp.finfo(dtype)
    return info.min if how == "maximum" else info.max


def _unsorted_segment(how):
    def kernel(xp, data, segment_ids, num_segments):
        ids = segment_ids
        if tuple(data.shape[:ids.ndim]) != tuple(ids.shape):
            raise ValueError(f"data.shape = {tuple(data.shape)} does not start with segment_ids.shape = "
                             f"{tuple(ids.shape)}: give one segment id per leading slice of data")
        if ids.size and int(ids.max()) >= num_segments:
            raise ValueError(f"segment id {int(ids.max())} is out of range [0, {num_segments}): raise num_segments "
                             f"or drop that id (negative ids are skipped)")
        out = xp.full((num_segments,) + tuple(data.shape[ids.ndim:]), _identity_of(xp, how, data.dtype),
                      dtype=data.dtype)
        keep = ids >= 0
        getattr(xp, how).at(out, ids[keep], data[keep])
        return out
    return kernel


KERNELS["UnsortedSegmentMax"] = _unsorted_segment("maximum")
KERNELS["UnsortedSegmentMin"] = _unsorted_segment("minimum")
KERNELS["UnsortedSegmentProd"] = _unsorted_segment("multiply")
