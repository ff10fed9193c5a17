"""Gradients of the scatter and segment ops of backends/kernels_scatter.py (and of lgamma), as TF's
array_grad.py/math_grad.py."""

from eagerflow.autodiff.gradients import GRADIENTS, _register, _select, _zeros_like
from eagerflow.framework.execute import execute

__all__ = []


def _gather_nd(params, indices):
    return execute("GatherNd", (params, indices), match=False)


def _cast_like(x, like):
    return execute("Cast", (x,), {"dtype": like._dtype._np})


GRADIENTS["Lgamma"] = lambda op, g: (execute("Mul", (g, execute("Digamma", op.inputs))),)
GRADIENTS["ScatterNd"] = lambda op, g: (None, _gather_nd(g, op.inputs[0]))
GRADIENTS["TensorScatterAdd"] = lambda op, g: (g, None, _gather_nd(g, op.inputs[1]))
GRADIENTS["TensorScatterSub"] = lambda op, g: (g, None, execute("Neg", (_gather_nd(g, op.inputs[1]),)))


@_register("TensorScatterUpdate")
def _tensor_scatter_update_grad(op, g):
    _, indices, updates = op.inputs
    cleared = execute("TensorScatterUpdate", (g, indices, _zeros_like(updates)), match=False)
    return cleared, None, _gather_nd(g, indices)


@_register("TensorScatterMin", "TensorScatterMax")
def _tensor_scatter_min_max_grad(op, g):
    """As TF: the gradient goes to every input equal to the result, shared among ties."""
    x, indices, updates = op.inputs
    out = op.outputs[0]
    x_hit = _cast_like(execute("Equal", (x, out)), g)
    y_hit = _cast_like(execute("Equal", (updates, _gather_nd(out, indices))), g)
    ys_hit = execute("ScatterNd", (indices, y_hit), {"shape": tuple(x._value.shape)}, match=False)
    share = execute("RealDiv", (g, execute("AddV2", (x_hit, ys_hit))))
    return execute("Mul", (x_hit, share)), None, execute("Mul", (y_hit, _gather_nd(share, indices)))


def _gather(params, ids):
    return execute("GatherV2", (params, ids), {"axis": 0, "batch_dims": 0}, match=False)


def _leading(mask, data):
    """`mask` (shaped as the ids) reshaped to broadcast over data's trailing dimensions."""
    return execute("Reshape", (mask,), {"shape": tuple(mask._value.shape) + (1,) * (data.ndim - mask.ndim)})


@_register("UnsortedSegmentMax", "UnsortedSegmentMin")
def _unsorted_segment_min_max_grad(op, g):
    """As TF: the gradient goes to the slices equal to their segment's result, shared among ties."""
    data, ids = op.inputs
    out = op.outputs[0]
    kept = execute("GreaterEqual", (ids, 0), match=False)
    safe = execute("Maximum", (ids, 0), match=False)
    selected = execute("LogicalAnd", (execute("Equal", (data, _gather(out, safe))), _leading(kept, data)))
    count = execute("UnsortedSegmentSum", (_cast_like(selected, g), ids), {"num_segments": out._value.shape[0]},
                    match=False)
    shared = _gather(execute("RealDiv", (g, count)), safe)
    return _select(selected, shared, _zeros_like(shared)), None


@_register("UnsortedSegmentProd")
def _unsorted_segment_prod_grad(op, g):
    """As TF: the product of the other slices of the segment (computed without dividing by a zero)."""
    data, ids = op.inputs
    out = op.outputs[0]
    n = out._value.shape[0]
    safe = execute("Maximum", (ids, 0), match=False)
    is_zero = execute("Equal", (data, 0))
    zeros_per_segment = execute("UnsortedSegmentSum", (_cast_like(is_zero, ids), ids), {"num_segments": n},
                                match=False)
    ones = execute("OnesLike", (data,))
    prod_nonzero = execute("UnsortedSegmentProd", (_select(is_zero, ones, data), ids), {"num_segments": n},
                           match=False)
    one_zero = execute("Equal", (_gather(zeros_per_segment, safe), 1), match=False)
    at_zero = _select(_leading(one_zero, data) if one_zero.ndim < data.ndim else one_zero,
                      _gather(prod_nonzero, safe), _zeros_like(data))
    others = _select(is_zero, at_zero, execute("RealDiv", (_gather(out, safe), _select(is_zero, ones, data))))
    grad = execute("Mul", (others, _gather(g, safe)))
    kept = _leading(execute("GreaterEqual", (ids, 0), match=False), data)
    return _select(kept, grad, _zeros_like(grad)), None
