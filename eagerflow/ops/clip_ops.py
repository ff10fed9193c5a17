"""Clipping by norm (`ef.clip_by_norm`, `ef.clip_by_global_norm`, `ef.linalg.global_norm`), as TensorFlow's."""

from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops import array_ops, math_ops

__all__ = ["clip_by_norm", "clip_by_global_norm", "global_norm"]


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """`t` scaled so that its L2 norm (across `axes`, all by default) is at most `clip_norm`.

    An `ef.IndexedSlices` is clipped by the norm of its values (each repeated row counted apart) and stays an
    IndexedSlices, as TF.

    >>> ef.clip_by_norm([3.0, 4.0], 1.0).numpy()   # norm 5 -> 1
    array([0.6, 0.8], dtype=float32)
    """
    from eagerflow.framework.indexed_slices import IndexedSlices

    if isinstance(t, IndexedSlices):
        return t.with_values(clip_by_norm(t.values, clip_norm, axes))
    values = convert_to_tensor(t)
    l2sum = math_ops.reduce_sum(values * values, axis=axes, keepdims=True)
    positive = math_ops.greater(l2sum, 0)
    # as TF: the norm's gradient is not NaN for an all-zero t
    l2sum_safe = array_ops.where(positive, l2sum, array_ops.ones_like(l2sum))
    l2norm = array_ops.where(positive, math_ops.sqrt(l2sum_safe), l2sum)
    clip_norm = convert_to_tensor(clip_norm, dtype=values.dtype)
    return values * clip_norm / math_ops.maximum(l2norm, clip_norm)


def _tensor_list(t_list, what):
    if not isinstance(t_list, (list, tuple)):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}. "
                        f"Pass a list, e.g. {what}([t], ...).")
    return [None if t is None else convert_to_tensor(t) for t in t_list]


def global_norm(t_list, name=None):
    """sqrt(sum of the squared L2 norms of the tensors in `t_list`); None entries are skipped.

    >>> print(ef.linalg.global_norm([[3.0], [4.0]]))
    ef.Tensor(5.0, shape=(), dtype=float32)
    """
    tensors = [t for t in _tensor_list(t_list, "global_norm") if t is not None]
    if not tensors:
        raise ValueError("global_norm needs at least one tensor in t_list that is not None.")
    half_squares = [execute("L2Loss", (t,)) for t in tensors]
    return math_ops.sqrt(math_ops.reduce_sum(array_ops.stack(half_squares)) * 2)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(the tensors of `t_list` scaled by clip_norm / max(global_norm, clip_norm), global_norm), as TF.

    None entries stay None. If the global norm is inf or NaN, every value is NaN (as TF): skip that step.

    >>> clipped, norm = ef.clip_by_global_norm([[3.0, 4.0], [[12.0]]], 6.5)
    >>> [c.numpy() for c in clipped], float(norm)
    ([array([1.5, 2. ], dtype=float32), array([[6.]], dtype=float32)], 13.0)
    """
    tensors = _tensor_list(t_list, "clip_by_global_norm")
    norm = global_norm(tensors) if use_norm is None else convert_to_tensor(use_norm)
    clip_norm = convert_to_tensor(clip_norm, dtype=norm.dtype)
    finite_scale = clip_norm * math_ops.minimum(1.0 / norm, 1.0 / clip_norm)
    scale = array_ops.where(math_ops.is_finite(norm), finite_scale, float("nan"))  # NaN for an inf or NaN norm
    clipped = [None if t is None else t * math_ops.cast(scale, t.dtype) for t in tensors]
    return clipped, norm
