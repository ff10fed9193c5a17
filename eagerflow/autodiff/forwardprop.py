"""`ForwardAccumulator`: forward-mode autodiff (Jacobian-vector products), as `tf.autodiff.ForwardAccumulator`.

While active, the accumulator sees every op of its thread (it is a recorder, like a tape). For each op
with an input that has a tangent, it computes the outputs' tangents from the op's reverse-mode gradient
function, by the double-VJP trick: the VJP `g(d) = J^T d` is linear in `d`, so the JVP is `J u =
d/dd <g(d), u>`, one reverse pass of a private tape over the gradient function's ops. Those ops run
with this accumulator (and the ones entered after it) paused, and are seen by every tape and by the
accumulators entered before it: so `tape.gradient(acc.jvp(y), x)` (reverse over forward) and
nested accumulators (forward over forward) differentiate the tangents, and an accumulator around a
tape's `gradient` call gives Hessian-vector products (forward over reverse).

    >>> x = ef.constant([1.0, 2.0])
    >>> with ef.autodiff.ForwardAccumulator(x, ef.constant([1.0, 0.0])) as acc:
    ...     y = ef.reduce_sum(x ** 3)
    >>> acc.jvp(y)
    <ef.Tensor: shape=(), dtype=float32, numpy=3.0>
"""

import threading

from eagerflow import tf_logging
from eagerflow.autodiff.gradients import NOT_DIFFERENTIABLE, gradient_function
from eagerflow.autodiff.tape import GradientTape, UnconnectedGradients, _Op
from eagerflow.framework.execute import convert_to_tensor, execute, pop_recorder, push_recorder
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.framework.nest import assert_same_structure
from eagerflow.framework.nest import flatten as _flatten
from eagerflow.framework.nest import map_structure as _map_structure
from eagerflow.framework.tensor import Tensor
from eagerflow.keras_variables import unwrap as _unwrap
from eagerflow.ops.array_ops import gather
from eagerflow.variables import Variable

__all__ = ["ForwardAccumulator"]

_PASS_THROUGH = frozenset({"ReadVariableOp", "Identity"})  # the output's tangent is the input's


class _Active(threading.local):
    def __init__(self):
        self.stack = []  # this thread's recording accumulators, outermost first


_active = _Active()


def _differentiable(dtype):
    return dtype.is_floating or dtype.is_complex


class ForwardAccumulator:
    """Computes Jacobian-vector products ("JVP"s) of the ops run inside it, for the `primals` (tensors or
    variables, or a nest of them) moving along `tangents` (the same structure, of the primals' dtypes).

    >>> v = ef.Variable([1.0, 2.0])
    >>> with ef.autodiff.ForwardAccumulator(v, ef.constant([1.0, 1.0])) as acc:
    ...     y = ef.reduce_sum(v * v)
    >>> float(acc.jvp(y))
    6.0
    """

    def __init__(self, primals, tangents):
        self._tangents = {}  # id(tensor or variable) -> its tangent
        self._keep = []      # what the ids belong to, kept alive so an id stays its object's
        self._recording = False
        self._paused = False
        self._watch(primals, tangents)

    def __enter__(self):
        if self._recording:
            raise ValueError("Accumulator is already recording: an accumulator cannot be entered twice at once. "
                             "Create a second accumulator to nest.")
        self._recording = True
        _active.stack.append(self)
        push_recorder(self)
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._recording = False
            pop_recorder(self)
            _active.stack.remove(self)
        return False

    def _watch(self, primals, tangents):
        seen = set()
        for primal in _flatten(primals):
            if id(primal) in seen or id(primal) in self._tangents:
                raise ValueError(f"Tensor {primal!r} was specified as a primal multiple times. This may indicate an "
                                 f"error. If it was intended, please sum the corresponding tangents.")
            seen.add(id(primal))
        try:
            assert_same_structure(primals, tangents)
        except (TypeError, ValueError) as e:
            raise type(e)(f"The primals and the tangents must have the same nested structure: primals {primals!r}, "
                          f"tangents {tangents!r} ({e}).") from None
        for primal, tangent in zip(_flatten(primals), _flatten(tangents)):
            primal = _unwrap(primal)
            if not isinstance(primal, (Tensor, Variable)):
                raise TypeError(f"A primal must be an ef.Tensor or ef.Variable, got {primal!r} of type "
                                f"{type(primal).__name__!r}: convert it first (ef.convert_to_tensor).")
            if not _differentiable(primal.dtype):
                tf_logging.warning(f"The dtype of the watched primal must be floating (e.g. ef.float32), got "
                                   f"ef.{primal.dtype.name}")
            self._tangents[id(primal)] = convert_to_tensor(_unwrap(tangent), dtype=primal.dtype)
            self._keep.append(primal)

    # ------------------------------------------------------------------ recording
    def record(self, op, inputs, outputs, attrs):
        if self._paused or op in NOT_DIFFERENTIABLE:
            return
        tangents = [self._tangents.get(id(t)) for t in inputs]
        if all(t is None for t in tangents):
            return
        if op in _PASS_THROUGH:
            out_tangents = tangents[:1]
        elif op == "CustomGradient":  # as TF: the tangents of f's own results, not of its grad_fn
            out_tangents = [self._tangents.get(id(t)) for t in attrs["results"]]
        else:
            out_tangents = self._jvp(op, inputs, outputs, attrs, tangents)
        for o, t in zip(outputs, out_tangents):
            if t is not None and _differentiable(o.dtype):
                self._tangents[id(o)] = t
                self._keep.append(o)

    def _jvp(self, op, inputs, outputs, attrs, tangents):
        """The outputs' tangents: d/dd <VJP(d), tangents>, by a private tape over the gradient function."""
        fn = gradient_function(op)
        if fn is None:
            raise LookupError(f"No gradient defined for operation '{op}' (op type: {op}), so no JVP either. Wrap "
                              f"the computation in ef.stop_gradient if no tangent should flow through it.")
        stack = _active.stack
        paused = [(acc, acc._paused) for acc in (stack[stack.index(self):] if self in stack else [self])]
        for acc, _ in paused:  # this one and the accumulators entered after it do not see this JVP's ops
            acc._paused = True
        try:
            dummies = [execute("ZerosLike", (o,)) for o in outputs]
            with GradientTape(watch_accessed_variables=False) as inner:
                inner.watch([d for d, o in zip(dummies, outputs) if _differentiable(o.dtype)])
                needs = [t is not None for t in tangents]
                vjps = fn(_Op(op, inputs, outputs, attrs, needs), *dummies)
            targets, seeds = [], []
            for g, u, need in zip(vjps, tangents, needs):
                if need and isinstance(g, IndexedSlices):  # <rows of g, u> is <g.values, those rows of u>
                    targets.append(g.values)
                    seeds.append(gather(u, g.indices))
                elif need and g is not None:
                    targets.append(g)
                    seeds.append(u)
            if not targets:
                return [None] * len(outputs)
            return inner.gradient(targets, dummies, output_gradients=seeds,
                                  unconnected_gradients=UnconnectedGradients.ZERO)
        finally:
            for acc, was in paused:
                acc._paused = was

    # ------------------------------------------------------------------ results
    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangent of each tensor in `primals` (a tensor or a nest): None for one the watched primals do
        not reach (zeros with `unconnected_gradients=ef.UnconnectedGradients.ZERO`).

        >>> x = ef.constant(3.0)
        >>> with ef.autodiff.ForwardAccumulator(x, ef.constant(1.0)) as acc:
        ...     y = x * x
        ...     c = ef.constant(2.0) * 2
        >>> float(acc.jvp(y)), acc.jvp(c)
        (6.0, None)
        """
        unconnected = UnconnectedGradients(unconnected_gradients)

        def one(t):
            t = _unwrap(t)
            if not isinstance(t, (Tensor, Variable)):
                raise AttributeError(f"ForwardAccumulator.jvp takes tensors and variables (or a nest of them), got "
                                     f"{t!r} of type {type(t).__name__!r}.")
            tangent = self._tangents.get(id(t))
            if tangent is None and unconnected is UnconnectedGradients.ZERO:
                tangent = execute("ZerosLike", (t,))
            return tangent

        return _map_structure(one, primals)
