"""The element spec of `map(fn)`: `fn` traced once, its shapes inferred from the input's spec, as TF.

TF traces a dataset function on the input's `TensorSpec`s and shows what its shape inference
knows, with `None` for what varies between elements. eagerflow has no symbolic tensors: it calls
`fn` once on a concrete element under a recorder, and walks the recorded kernels again with the
input spec's shapes (unknown dimensions as None) through shape rules. What the trace cannot vouch
for gets None dimensions (its rank is the traced one):

- a kernel output whose inputs all have known shapes has the traced shape (with fixed input
  shapes, a recorded kernel's output shape is fixed: what `ef.function` replays rely on);
- with an unknown input dimension, a kernel's rule below says which output dimensions are still
  known; a kernel without a rule gives all dimensions None;
- once `fn` reads a value computed from the element into Python (`int(x)`, `tf.range(x)`), runs a
  kernel whose output shape depends on values (`tf.where`, `tf.unique`), or reads the shape of a
  tensor with unknown dimensions (`tf.shape(x)`, `x.shape`), every tensor made after that point
  may vary from element to element: its dimensions are None.
"""

import threading

from eagerflow.framework import nest, recording
from eagerflow.framework import tensor as _tensor
from eagerflow.framework.tensor import Tensor
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.tensor_shape import TensorShape

_SAME = {"Abs", "Neg", "Sqrt", "Square", "Exp", "Log", "Log1p", "Expm1", "Sin", "Cos", "Tan", "Tanh", "Sigmoid",
         "Relu", "Relu6", "Elu", "Selu", "Softplus", "Softsign", "Sign", "Floor", "Ceil", "Rint", "Round",
         "Reciprocal", "Rsqrt", "Cast", "Identity", "StopGradient", "LogicalNot", "IsNan", "IsInf", "IsFinite",
         "Erfc", "Erfinv", "Lgamma", "Digamma", "ZerosLike", "OnesLike", "Softmax", "LogSoftmax", "Invert", "Conj",
         "Real", "Imag", "Angle", "CheckNumerics", "Cumsum", "Cumprod", "CumulativeLogsumexp", "ReverseV2", "Roll",
         "Acos", "Asin", "Atan", "Acosh", "Asinh", "Atanh", "Sinh", "Cosh", "Ndtri", "Dawsn", "Spence"}
_BROADCAST = {"AddV2", "Sub", "Mul", "RealDiv", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Pow",
              "SquaredDifference", "Atan2", "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual",
              "LogicalAnd", "LogicalOr", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "LeftShift", "RightShift",
              "MulNoNan", "Xdivy", "Xlogy", "Xlog1py", "TruncateDiv", "TruncateMod", "SelectV2", "ClipByValue",
              "AddN", "NextAfter", "Complex", "Igamma", "Igammac", "Zeta", "Polygamma", "Betainc"}
_REDUCE = {"Sum", "Mean", "Max", "Min", "Prod", "Any", "All", "EuclideanNorm"}


def _broadcast(shapes):
    if any(s is None for s in shapes):
        return None
    rank = max(len(s) for s in shapes)
    out = []
    for k in range(rank):
        dims = [s[len(s) - rank + k] for s in shapes if len(s) - rank + k >= 0]
        known = {d for d in dims if d is not None and d != 1}
        if known:
            out.append(known.pop() if len(known) == 1 else None)
        elif any(d is None for d in dims):
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


def _merge(shapes):
    """Shapes that must be equal (Pack's inputs): a dimension is known where any of them knows it."""
    if any(s is None for s in shapes):
        return None
    return tuple(next((d for d in dims if d is not None), None) for dims in zip(*shapes))


def _axes(axis, rank):
    if axis is None:
        return set(range(rank))
    axis = axis if isinstance(axis, (tuple, list)) else (axis,)
    return {int(a) % rank for a in axis}


def _strided(shape, key):
    out, i = [], 0
    key = key if isinstance(key, tuple) else (key,)
    explicit = sum(1 for k in key if k is not None and k is not Ellipsis)
    for k in key:
        if k is None:
            out.append(1)
        elif k is Ellipsis:
            n = len(shape) - explicit
            out.extend(shape[i:i + n])
            i += n
        elif isinstance(k, slice):
            d = shape[i]
            out.append(len(range(*k.indices(d))) if d is not None else None)
            i += 1
        elif isinstance(k, int):
            i += 1
        else:
            raise TypeError
    return tuple(out) + tuple(shape[i:])


def _rule(op, ins, attrs):
    """The output shape of `op` from its inputs' shapes (tuples with None), or a KeyError/TypeError when
    this module has no rule for it."""
    a = ins[0] if ins else None
    if op in _SAME:
        return a
    if op in _BROADCAST:
        return _broadcast(ins)
    if a is None:
        return None
    if op in _REDUCE or op in ("ArgMax", "ArgMin"):
        axes = _axes(attrs.get("axis"), len(a))
        keep = attrs.get("keepdims", False) and op not in ("ArgMax", "ArgMin")
        return tuple(1 if k in axes else d for k, d in enumerate(a) if keep or k not in axes)
    if op == "Reshape":
        shape = tuple(int(d) for d in attrs["shape"])
        return tuple(None if d == -1 else d for d in shape)
    if op == "ExpandDims":
        axis = int(attrs["axis"]) % (len(a) + 1)
        return a[:axis] + (1,) + a[axis:]
    if op == "Squeeze" and attrs.get("axis") is not None:
        axes = _axes(attrs["axis"], len(a))
        return tuple(d for k, d in enumerate(a) if k not in axes)
    if op == "Transpose":
        return tuple(a[int(p)] for p in attrs["perm"])
    if op == "Pack":
        merged = _merge(ins)
        axis = int(attrs.get("axis", 0)) % (len(merged) + 1)
        return merged[:axis] + (len(ins),) + merged[axis:]
    if op == "ConcatV2":
        axis = int(attrs["axis"]) % len(a)
        rest = _merge([s[:axis] + s[axis + 1:] for s in ins])
        dims = [s[axis] for s in ins]
        total = None if rest is None or any(d is None for d in dims) else sum(dims)
        return None if rest is None else rest[:axis] + (total,) + rest[axis:]
    if op == "MatMul":
        b = ins[1]
        rows = a[1] if attrs.get("transpose_a") or attrs.get("adjoint_a") else a[0]
        cols = b[0] if attrs.get("transpose_b") or attrs.get("adjoint_b") else b[1]
        return (rows, cols)
    if op == "StridedSlice":
        return _strided(a, attrs["key"])
    if op == "GatherV2":
        axis, batch_dims = int(attrs.get("axis", 0)) % len(a), int(attrs.get("batch_dims", 0))
        return a[:axis] + ins[1][batch_dims:] + a[axis + 1:]
    if op == "OneHot":
        axis = int(attrs.get("axis", -1))
        axis = len(a) if axis == -1 else axis
        return a[:axis] + (int(attrs["depth"]),) + a[axis:]
    if op == "Tile":
        return tuple(None if d is None else d * int(m) for d, m in zip(a, attrs["multiples"]))
    if op == "PadV2":
        return tuple(None if d is None else d + int(p) + int(q) for d, (p, q) in zip(a, attrs["paddings"]))
    raise KeyError(op)


class _SpecTracer(recording.Tracer):
    """Records `fn` on a concrete element and keeps, for every tensor, the shape TF's inference would give."""

    def __init__(self, arguments, shapes):
        super().__init__(arguments, allow_variable_creation=True)
        self.abstract = dict(zip(self.arguments, shapes))
        self.varies_from = None  # the first slot made after fn's shapes started to depend on values

    def _vary(self):
        if self.varies_from is None:
            self.varies_from = self.count
        self.unsafe = None  # go on recording: the kernels before still have their shapes

    def abstract_of(self, slot):
        shape = self.abstract.get(slot)
        if shape is not None or slot in self.abstract:
            return shape
        traced = tuple(self.shapes[slot])  # a constant, or a tensor made outside any recorded kernel
        varies = self.varies_from is not None and slot >= self.varies_from
        return self.abstract.setdefault(slot, (None,) * len(traced) if varies else traced)

    def record(self, op, inputs, outputs, attrs):
        before = len(self.events)
        super().record(op, inputs, outputs, attrs)
        if self.unsafe is not None:  # a value-dependent shape (recording.DATA_DEPENDENT_SHAPES), or no kernel
            self._vary()
            return
        for kind, op, _, ins, attrs, outs, _ in self.events[before:]:
            known = [self.abstract_of(s) for s in ins]
            fixed = all(s is not None and None not in s for s in known)
            for slot in outs:
                traced = tuple(self.shapes[slot])
                if self.varies_from is not None and slot >= self.varies_from:
                    shape = (None,) * len(traced)
                elif fixed:
                    shape = traced
                elif kind == "kernel" and len(outs) == 1:
                    try:
                        shape = _rule(op, known, attrs)
                    except (KeyError, TypeError, IndexError, ValueError, ZeroDivisionError):
                        shape = (None,) * len(traced)
                    if shape is not None and len(shape) != len(traced):
                        shape = (None,) * len(traced)  # a rule that disagrees with the trace: trust neither
                else:
                    shape = (None,) * len(traced)
                self.abstract[slot] = shape

    def value_read(self, array):
        super().value_read(array)
        if self.unsafe is not None:
            self._vary()

    def shape_read(self, array):
        slot = self._slot.get(id(array)) if self._slot is not None else None
        if slot is not None:
            shape = self.abstract_of(slot)
            if shape is None or None in shape:
                self._vary()


_hook_lock = threading.Lock()
_active = 0
_tracers = threading.local()


def _on_shape_read(array):
    for tracer in getattr(_tracers, "stack", ()):
        tracer.shape_read(array)


def map_output_spec(fn, element, input_spec, call):
    """The spec TF shows for `call(fn, element)`'s output, given the input's `input_spec`; None when the
    element holds anything but tensors (the caller then takes the output's own spec)."""
    global _active
    flat, specs = nest.flatten(element), nest.flatten(input_spec)
    if len(flat) != len(specs) or not all(type(t) is Tensor for t in flat) or not all(
            isinstance(s, TensorSpec) for s in specs):
        return None
    shapes = [None if s.shape.rank is None else tuple(s.shape.as_list()) for s in specs]
    tracer = _SpecTracer(flat, shapes)
    stack = _tracers.__dict__.setdefault("stack", [])
    with _hook_lock:
        _active += 1
        _tensor.set_shape_read_hook(_on_shape_read)
    stack.append(tracer)
    try:
        with tracer, recording.rolled_back():
            out = call(fn, element)
            outputs = nest.flatten(out)
            if not all(isinstance(t, Tensor) for t in outputs):
                return None
            slots = [tracer.slot_of(t) for t in outputs]
    finally:
        stack.remove(tracer)
        with _hook_lock:
            _active -= 1
            if not _active:
                _tensor.set_shape_read_hook(None)
    specs = [TensorSpec(TensorShape(None if tracer.abstract_of(s) is None else list(tracer.abstract_of(s))),
                        t.dtype) for s, t in zip(slots, outputs)]
    return nest.pack_sequence_as(out, specs)
