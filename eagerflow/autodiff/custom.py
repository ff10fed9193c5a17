"""`custom_gradient`: a function that supplies its own gradient.

The decorated `f(*args)` returns `(y, grad_fn)`. Its own ops are recorded as any others (so
second derivatives through `grad_fn` reach what `f` computed), then the tapes record one
"CustomGradient" op from the tensor and variable arguments (and the trainable variables `f`
read) to a fresh copy of `y`, whose gradient is `grad_fn(*upstream)`, or
`grad_fn(*upstream, variables=...) -> (input_grads, variable_grads)` when `f` read variables.
"""

import functools
import inspect

from eagerflow.autodiff.gradients import GRADIENTS
from eagerflow.device import context
from eagerflow.framework.execute import convert_to_tensor, execute, pop_recorder, push_recorder, wrap
from eagerflow.framework.nest import flatten as _flatten
from eagerflow.framework.nest import pack_sequence_as as _pack
from eagerflow.framework.tensor import Tensor
from eagerflow.variables import Variable

__all__ = ["custom_gradient"]


class _VariableCollector:
    """A recorder that notes the variables read while `f` runs."""

    def __init__(self):
        self.variables = {}

    def record(self, op, inputs, outputs, attrs):
        if op == "ReadVariableOp" and inputs and isinstance(inputs[0], Variable) and inputs[0]._trainable:
            self.variables.setdefault(id(inputs[0]), inputs[0])


def custom_gradient(f=None):
    """Decorate `f(*args) -> (y, grad_fn)` so that gradients of `y` come from `grad_fn(upstream)`.

    >>> @ef.custom_gradient
    ... def log1pexp(x):
    ...     e = ef.exp(x)
    ...     def grad(upstream):
    ...         return upstream * (1 - 1 / (1 + e))
    ...     return ef.math.log1p(e), grad
    >>> x = ef.constant(100.0)
    >>> with ef.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = log1pexp(x)
    >>> float(tape.gradient(y, x))
    1.0
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        recorders = list(context.thread_state().recorders)
        if not recorders:
            y, _ = f(*args, **kwargs)
            return y
        # As TF, `f` runs recorded: an outer tape sees its ops, so a grad_fn that uses f's
        # intermediates is differentiated again (second derivatives).
        collector = _VariableCollector()
        push_recorder(collector)
        try:
            y, grad_fn = f(*args, **kwargs)
        finally:
            pop_recorder(collector)
        leaves = _flatten(list(args))
        positions = [i for i, a in enumerate(leaves) if isinstance(a, (Tensor, Variable))]
        seen = {id(leaves[i]) for i in positions}
        # A variable argument enters as its read (TF converts it), which the tapes connect to it.
        arg_inputs = [convert_to_tensor(leaves[i]) if isinstance(leaves[i], Variable) else leaves[i]
                      for i in positions]
        variables = [v for k, v in collector.variables.items() if k not in seen]
        if variables and "variables" not in inspect.signature(grad_fn).parameters and not any(
                p.kind is p.VAR_KEYWORD for p in inspect.signature(grad_fn).parameters.values()):
            raise TypeError(f"@custom_gradient function {f.__name__!r} reads variables "
                            f"({', '.join(v.name for v in variables)}), so its grad_fn must accept a keyword argument "
                            f"'variables' and return (input_grads, variable_grads).")
        results, outputs = [], []
        for t in _flatten(y):
            if not isinstance(t, Tensor):
                t = execute("Identity", (t,))
            results.append(t)
            outputs.append(wrap(t._value, t._device, t._dtype))  # a new tensor: y's own history is cut
        # `results`: what `f` computed, whose tangents forward mode passes on (it differentiates f's own ops, as TF)
        attrs = {"grad_fn": grad_fn, "positions": positions, "n_leaves": len(leaves), "variables": variables,
                 "results": results}
        inputs = arg_inputs + variables
        for r in list(context.thread_state().recorders):
            r.record("CustomGradient", inputs, tuple(outputs), attrs)
        return _pack(y, outputs)

    return decorated


def _custom_gradient_grad(op, *grads):
    grads = [execute("ZerosLike", (o,)) if g is None else g for o, g in zip(op.outputs, grads)]
    attrs = op.attrs
    variables = attrs["variables"]
    if variables:
        input_grads, var_grads = attrs["grad_fn"](*grads, variables=variables)
        var_grads = list(_flatten(var_grads))
        if len(var_grads) != len(variables):
            raise ValueError(f"custom_gradient's grad_fn returned {len(var_grads)} variable gradients for "
                             f"{len(variables)} variables: return one gradient (or None) per variable in `variables`.")
    else:
        input_grads, var_grads = attrs["grad_fn"](*grads), []
    flat = _flatten(input_grads) if isinstance(input_grads, (list, tuple)) else [input_grads]
    if len(flat) != attrs["n_leaves"]:
        raise ValueError(f"custom_gradient's grad_fn returned {len(flat)} gradients for {attrs['n_leaves']} "
                         f"arguments: return one gradient (or None) per argument, in order.")
    picked = [flat[i] for i in attrs["positions"]]
    out = []
    for t, g in zip(list(op.inputs), picked + var_grads):
        if g is not None and not isinstance(g, Tensor):
            g = execute("Identity", (g,)) if not hasattr(g, "_ef_read") else g._ef_read()
        if g is not None and g._dtype is not t._dtype:
            g = execute("Cast", (g,), {"dtype": t._dtype._np})
        out.append(g)
    return tuple(out)


GRADIENTS["CustomGradient"] = _custom_gradient_grad
