"""How a replayed `ef.function` calls a NumPy kernel whose operands' shapes and dtypes are known.

A recording (framework/recording.py) is replayed on inputs of the shapes and dtypes it was traced
with, and every check a kernel makes on those (ranks, dtypes, transposes, axes) passed then. So a
replay can call the NumPy routine underneath directly, with the attrs written into the call, and
write the result into a buffer reused from call to call (`out=`). `specialize` gives, for one op of
a recording, the source of that call in two forms:

- `fresh`: an expression giving a new result (for a value that leaves the call);
- `into`: statements writing the result into output buffers `{o0}`, `{o1}`, ... (scratch buffers
  `{t0}`, ... hold the intermediate values of a kernel made of several NumPy calls).

`{a0}`, `{a1}`, ... are the input arrays; `{a0:reshape((1, 16))}` is a view of one (the replay makes it
once per call and value, where it is first needed). Each form computes exactly what the eager kernel computes
(the same NumPy routines on the same operands, in the same order), so results are bit-identical;
an op whose kernel does more than that (dtype promotion, value checks it cannot prove) gets no
specialization and the replay calls the eager kernel.
"""

import numpy as np

from eagerflow.backends.kernels import DENORMAL_FLUSHED, KERNELS, REPLAY_UFUNCS, flush_array

__all__ = ["ReplayCall", "specialize", "ENV"]

# Names the generated sources may use (bound as globals of the replay function).
ENV = {"_np": np, "_dot": np.ndarray.dot, "_flush": flush_array}

_BLAS = {np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.complex64), np.dtype(np.complex128)}
_FLOATS = {np.dtype(np.float32), np.dtype(np.float64)}


class ReplayCall:
    """The source of one op's replay call (see the module docstring).

    `scratch`: (shape, dtype) of each scratch buffer; `env`: constants its source names; `quiet`: NumPy's
    floating-point warnings must be off around it (TF returns inf/nan silently, and the eager kernel switches
    them off itself)."""

    __slots__ = ("fresh", "into", "scratch", "quiet", "env")

    def __init__(self, fresh=None, into=None, scratch=(), quiet=False, env=None):
        self.fresh = fresh
        self.into = into
        self.scratch = tuple(scratch)
        self.quiet = quiet
        self.env = env or {}  # further globals its source names


def _args(n):
    return ", ".join(f"{{a{i}}}" for i in range(n))


def _ufunc_call(name, inputs, outputs, quiet=False):
    """One NumPy ufunc. Into its buffer, an operand of another shape than the result is brought to the
    result's shape first: NumPy's broadcasting loop allocates chunk buffers of its own on every call (up to
    8192 elements an operand), and is slower than the plain loop besides. An operand of one element becomes
    a 0-d view, one of the result's size a view of the result's shape (it differs in unit dimensions only),
    others are copied into a scratch buffer (np.copyto broadcasts without allocating)."""
    out_shape = outputs[0][0]
    operands, copies, scratch = [], [], []
    for j, (shape, dtype) in enumerate(inputs):
        if shape == out_shape or not shape:
            operands.append(f"{{a{j}}}")
        elif _size(shape) == 1:
            operands.append(f"{{a{j}:reshape(())}}")
        elif _size(shape) == _size(out_shape):
            operands.append(f"{{a{j}:reshape({out_shape!r})}}")
        else:
            copies.append(f"_np.copyto({{t{len(scratch)}}}, {{a{j}}}); ")
            operands.append(f"{{t{len(scratch)}}}")
            scratch.append((out_shape, dtype))
    out = "out={o0}" if name in ("maximum", "minimum") else "{o0}"  # positional: NumPy parses it faster
    into = "".join(copies) + f"_np.{name}({', '.join(operands)}, {out})"
    return ReplayCall(f"_np.{name}({_args(len(inputs))})", into, scratch=scratch, quiet=quiet)


def _size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def specialize(op, attrs, inputs, outputs):
    """The ReplayCall of `op` with `attrs` on inputs/outputs given as [(shape, numpy dtype)], or None
    (the replay then calls the eager kernel)."""
    call = _specialize(op, attrs, inputs, outputs)
    if call is not None and op in DENORMAL_FLUSHED:  # as the eager CPU kernel: denormal results are zeros
        call.fresh = None if call.fresh is None else f"_flush({call.fresh})"
        call.into = None if call.into is None else call.into + "; _flush({o0})"
    return call


def _specialize(op, attrs, inputs, outputs):
    maker = _SPECIALIZERS.get(op)
    if maker is None:
        name = KERNELS.get(op)
        if isinstance(name, str) and not attrs and len(outputs) == 1:  # the kernel is one NumPy ufunc
            fn = getattr(np, name, None)
            if isinstance(fn, np.ufunc) and fn.nin == len(inputs) and fn.nout == 1:
                return _ufunc_call(name, inputs, outputs)
        return None
    return maker(attrs, inputs, outputs)


def _replay_ufunc(name):
    def make(attrs, inputs, outputs):
        if attrs:
            return None
        return _ufunc_call(name, inputs, outputs, quiet=True)
    return make


def _matmul(attrs, inputs, outputs):
    (sa, da), (sb, db) = inputs
    unknown = set(attrs) - {"transpose_a", "transpose_b", "adjoint_a", "adjoint_b"}
    if unknown or len(sa) != 2 or len(sb) != 2 or da != db or da not in _BLAS or outputs[0][1] != da:
        return None
    if (attrs.get("adjoint_a") or attrs.get("adjoint_b")) and da.kind == "c":
        return None  # the conjugate is a new array: the eager kernel
    a = "{a0}.T" if attrs.get("transpose_a") or attrs.get("adjoint_a") else "{a0}"
    b = "{a1}.T" if attrs.get("transpose_b") or attrs.get("adjoint_b") else "{a1}"
    # the eager kernel's `np.dot` of 2-D operands, as the method (no dispatch layer): the same BLAS call
    return ReplayCall(f"_dot({a}, {b})", f"_dot({a}, {b}, {{o0}})")


def _reduction(ufunc):
    def make(attrs, inputs, outputs):
        (shape, dtype), = inputs
        if set(attrs) - {"axis", "keepdims"} or dtype not in _FLOATS or 0 in shape:
            return None
        axis = attrs.get("axis")
        axis = None if axis is None else tuple(int(a) for a in (axis if isinstance(axis, (tuple, list)) else (axis,)))
        keep = bool(attrs.get("keepdims", False))
        if ufunc == "mean":  # np.mean: the sum into the output, then a division by the count in place
            return ReplayCall(None, f"_np.mean({{a0}}, axis={axis!r}, keepdims={keep}, out={{o0}})", quiet=True)
        return ReplayCall(None, f"_np.{ufunc}.reduce({{a0}}, axis={axis!r}, keepdims={keep}, out={{o0}})", quiet=True)
    return make


def _relu(attrs, inputs, outputs):
    (_, dtype), = inputs
    if attrs or dtype.kind not in "fiu":
        return None
    return ReplayCall(None, "_np.maximum({a0}, 0, out={o0})")


def _relu_grad(attrs, inputs, outputs):
    (shape_g, dtype_g), (shape_y, dtype_y) = inputs
    if attrs or dtype_g.kind not in "fiu":
        return None
    # the eager kernel: g * (y > 0); the mask is cast to g's dtype in a scratch buffer first (what the
    # multiply would do in chunks of its own, allocated on every call), the same values
    return ReplayCall(None, "_np.greater({a1}, 0, {t0}); _np.copyto({t1}, {t0}); _np.multiply({a0}, {t1}, {o0})",
                      scratch=[(shape_y, np.dtype(bool)), (shape_y, dtype_g)])


def _real_div(attrs, inputs, outputs):
    if attrs or inputs[0][1].kind not in "fc":
        return None
    return _ufunc_call("true_divide", inputs, outputs, quiet=True)


def _bias_add(attrs, inputs, outputs):
    if attrs or inputs[0][1] != inputs[1][1]:
        return None
    return _ufunc_call("add", inputs, outputs)  # the eager kernel: x + b


def _sparse_softmax_xent(attrs, inputs, outputs):
    """The eager kernel's steps (log-softmax, one-hot, loss, backprop), each into a scratch buffer; the
    label range is checked as eagerly, before anything is written."""
    (shape, dtype), (label_shape, label_dtype) = inputs
    if attrs or dtype not in _FLOATS or len(shape) != 2 or len(label_shape) != 1 or not label_shape[0]:
        return None
    rows, depth = shape
    # Operands of the broadcasting steps are copied to the full shape first (see _ufunc_call); the column
    # indices are a constant grid in the labels' dtype (the comparison is exact either way).
    columns = f"_columns_{rows}_{depth}_{label_dtype.name}"
    column = (rows, 1)
    scratch = [(column, dtype), (shape, dtype), (shape, dtype), (column, dtype), (shape, dtype),
               (shape, np.dtype(bool)), (shape, dtype), (shape, dtype), (shape, dtype), (shape, label_dtype)]
    into = ("_check_labels({a1}, %d); " % depth
            + "_np.maximum.reduce({a0}, axis=-1, keepdims=True, out={t0}); _np.copyto({t8}, {t0}); "
              "_np.subtract({a0}, {t8}, {t1}); _np.exp({t1}, {t2}); "
              "_np.add.reduce({t2}, axis=-1, keepdims=True, out={t3}); _np.log({t3}, {t3}); _np.copyto({t8}, {t3}); "
              "_np.subtract({t1}, {t8}, {t4}); "  # log_p
              "_np.copyto({t9}, {a1}[:, None]); _np.equal({t9}, %s, {t5}); _np.copyto({t6}, {t5}); "  # one_hot
              "_np.multiply({t6}, {t4}, {t7}); _np.add.reduce({t7}, axis=-1, out={o0}); _np.negative({o0}, {o0}); "
              "_np.exp({t4}, {t7}); _np.subtract({t7}, {t6}, {o1})" % columns)
    grid = np.ascontiguousarray(np.broadcast_to(np.arange(depth, dtype=label_dtype), shape))
    return ReplayCall(None, into, scratch=scratch, quiet=True, env={"_check_labels": _check_labels, columns: grid})


def _check_labels(labels, depth):
    if int(labels.min()) < 0 or int(labels.max()) >= depth:
        bad = labels[(labels < 0) | (labels >= depth)].ravel()[0]
        raise IndexError(f"Received a label value of {int(bad)} which is outside the valid range of [0, {depth}).")


def _ones_like(attrs, inputs, outputs):
    (_, dtype), = inputs
    if attrs or dtype.kind == "O":
        return None
    return ReplayCall(None, "{o0}.fill(1)")


def _zeros_like(attrs, inputs, outputs):
    (_, dtype), = inputs
    if attrs or dtype.kind == "O":
        return None
    return ReplayCall(None, "{o0}.fill(0)")


def _view(template):
    """Reshapes and the like: a view of the input (as the eager kernel gives), never a buffer."""
    def make(attrs, inputs, outputs):
        return ReplayCall(template.format(**{k: repr(_plain(v)) for k, v in attrs.items()}).replace("[a0]", "{a0}"))
    return make


def _plain(value):
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else int(value)


_SPECIALIZERS = {
    **{op: _replay_ufunc(name) for op, name in REPLAY_UFUNCS.items()},
    "MatMul": _matmul, "BatchMatMulV2": _matmul,
    "Sum": _reduction("add"), "Max": _reduction("maximum"), "Min": _reduction("minimum"),
    "Prod": _reduction("multiply"), "Mean": _reduction("mean"),
    "Relu": _relu, "ReluGrad": _relu_grad, "RealDiv": _real_div, "BiasAdd": _bias_add,
    "SparseSoftmaxCrossEntropyWithLogits": _sparse_softmax_xent,
    "OnesLike": _ones_like, "ZerosLike": _zeros_like,
    "Reshape": _view("_np.reshape([a0], {shape})"), "ExpandDims": _view("_np.expand_dims([a0], {axis})"),
    "BroadcastTo": _view("_np.broadcast_to([a0], {shape})"),
}
