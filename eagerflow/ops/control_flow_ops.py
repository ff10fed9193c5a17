"""Control flow in eager form (`ef.cond`, `ef.while_loop`, `ef.map_fn`, `ef.scan`, ...), as TF-2 runs it eagerly:
the Python functions are called as the values decide, so every op they run is recorded by active tapes and
gradients flow through loops and branches naturally.
"""

import contextlib
import threading

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.device import context
from eagerflow.framework import execute as _execute
from eagerflow.framework import nest
from eagerflow.framework.execute import convert_to_tensor, is_tensor_like
from eagerflow.framework.tensor_spec import TensorSpec
from eagerflow.ops import array_ops
from eagerflow.ops.tensor_array_ops import TensorArray
from eagerflow.tensor_shape import as_shape

__all__ = ["cond", "case", "switch_case", "while_loop", "map_fn", "scan", "foldl", "foldr", "vectorized_map",
           "py_function", "numpy_function", "no_op", "group", "tuple", "identity_n", "ensure_shape", "Assert",
           "control_dependencies", "init_scope", "grad_pass_through", "recompute_grad", "CriticalSection",
           "no_gradient", "RegisterGradient", "AggregationMethod", "get_current_name_scope", "inside_function",
           "is_symbolic_tensor", "guarantee_const", "timestamp"]

_tuple = tuple


def _truth(pred):
    """The Python truth of a predicate (a non-scalar tensor is ambiguous: ValueError, as TF)."""
    if is_tensor_like(pred):
        return bool(convert_to_tensor(pred).numpy())
    return bool(pred)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` if `pred` else `false_fn()`; only the branch taken runs.

    >>> ef.cond(ef.constant(3) > 2, lambda: "big", lambda: "small")
    'big'
    """
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    return true_fn() if _truth(pred) else false_fn()


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first callable whose predicate is true, else of `default`.

    >>> ef.case([(ef.constant(False), lambda: 1), (ef.constant(True), lambda: 2)], default=lambda: 3)
    2
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, _tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple. Received {pair}.")
        if not callable(pair[1]):
            raise TypeError("fn for pred %s must be callable." % pair[0])
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    truths = [_truth(p) for p, _ in pairs]
    for truth, (_, fn) in zip(truths, pairs):
        if truth:
            return fn()
    if default is None:
        preds = ", ".join(str(t) for t in truths)
        raise errors.InvalidArgumentError(
            None, None, f"Expected '{array_ops.constant(False)}' to be true. Summarized data: b'Input error: None of "
            f"conditions evaluated as True:'\n{preds}")
    return default()


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """`branch_fns[branch_index]()` (a list, or a dict of int keys); out of range: `default()`, else the last.

    >>> ef.switch_case(ef.constant(1), [lambda: "a", lambda: "b"])
    'b'
    """
    if not is_tensor_like(branch_index):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    index = convert_to_tensor(branch_index)
    if not index.dtype.is_integer:
        raise TypeError(f"branch_index must be an integer tensor, got {index.dtype.name}")
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
        keys = [k for k, _ in items]
        if keys != list(range(len(keys))):
            raise ValueError(f"branch_fns keys must be 0..N-1, got {keys}")
        fns = [f for _, f in items]
    else:
        fns = [f[1] if isinstance(f, _tuple) else f for f in branch_fns]
    if not fns:
        raise ValueError("Must provide at least one item in branch_fns")
    for f in fns + ([default] if default is not None else []):
        if not callable(f):
            raise TypeError(f"branch_fns[i] must be callable, got {f!r}")
    i = int(index.numpy())
    if 0 <= i < len(fns):
        return fns[i]()
    return (default or fns[-1])()


def _specs(structure):
    return nest.map_structure(lambda v: TensorSpec.from_tensor(v) if is_tensor_like(v) else v, structure)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, maximum_iterations=None, name=None):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`, at most `maximum_iterations` times.

    `loop_vars` is a list or tuple (nested structures allowed); `body` returns the same structure, as TF
    checks. `shape_invariants`, a structure of shapes, is checked against every iteration's values.

    >>> ef.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i), (ef.constant(0), ef.constant(0)))
    (<ef.Tensor: shape=(), dtype=int32, numpy=4>, <ef.Tensor: shape=(), dtype=int32, numpy=6>)
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    limit = None
    if maximum_iterations is not None:
        m = convert_to_tensor(maximum_iterations)
        if m.shape.rank != 0:
            raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {m.shape}")
        if m.dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"'maximum_iterations' must be int32 or int64, got {m.dtype.name}")
        limit = int(m.numpy())
    structure = _specs(list(loop_vars))
    invariants = None if shape_invariants is None else nest.flatten(shape_invariants)
    values = loop_vars
    count = 0
    while (limit is None or count < limit) and _truth(cond(*values)):
        values = body(*values)
        nest.assert_same_structure(structure, list(values))
        # as TF: the body's Python values become tensors (once the structure is checked)
        values = nest.pack_sequence_as(values, [v if is_tensor_like(v) or isinstance(v, TensorArray)
                                                else convert_to_tensor(v) for v in nest.flatten(values)])
        if invariants is not None:
            _check_invariants(invariants, nest.flatten(values))
        count += 1
    return values


def _check_invariants(invariants, values):
    for shape, v in zip(invariants, values):
        if shape is None or not is_tensor_like(v):
            continue
        if not as_shape(shape).is_compatible_with(convert_to_tensor(v).shape):
            raise ValueError(f"Input tensor has shape {convert_to_tensor(v).shape} after one iteration, which is not "
                             f"compatible with the shape invariant {as_shape(shape)}. Give a less specific invariant "
                             f"(e.g. ef.TensorShape([None])) for a value that changes shape.")


def _elem_dtypes(signature):
    return nest.map_structure(lambda s: s.dtype if isinstance(s, TensorSpec) else _dtypes.as_dtype(s), signature)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None, fn_output_signature=None):
    """`fn` applied to each slice of `elems` (a tensor or a structure of tensors) along axis 0, the results stacked.

    Without `fn_output_signature` (or `dtype`), results must have the dtypes of `elems`, as TF.

    >>> ef.map_fn(lambda x: x * x, ef.constant([1, 2, 3])).numpy()
    array([1, 4, 9], dtype=int32)
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {fn!r}")
    signature = fn_output_signature if fn_output_signature is not None else dtype
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors. Got {}".format(elems))
    n = flat[0].shape[0] if flat[0].ndim else None
    for e in flat:
        if e.ndim == 0:
            raise ValueError(f"Elements in elems must be 1+ dimensional Tensors, not scalars. Got {e}")
        if e.shape[0] != n:
            raise ValueError(f"All elements of elems must have the same size along axis 0, got sizes "
                             f"{[x.shape[0] for x in flat]}")
    out_dtypes = _elem_dtypes(signature) if signature is not None else nest.map_structure(
        lambda e: e.dtype, nest.pack_sequence_as(elems, flat))
    slices = [array_ops.unstack(e) for e in flat]
    results = [fn(nest.pack_sequence_as(elems, [s[i] for s in slices])) for i in range(n)]
    flat_dtypes = nest.flatten(out_dtypes)
    arrays = [TensorArray(d, size=n, element_shape=_signature_shape(s), infer_shape=infer_shape)
              for d, s in zip(flat_dtypes, nest.flatten(signature) if signature is not None else flat_dtypes)]
    for i, r in enumerate(results):
        leaves = nest.flatten(r)
        if len(leaves) != len(arrays):
            nest.assert_same_structure(out_dtypes, r)
        for ta, leaf in zip(arrays, leaves):
            ta.write(i, leaf)
    return nest.pack_sequence_as(out_dtypes, [ta.stack() for ta in arrays])


def _signature_shape(spec):
    return spec.shape if isinstance(spec, TensorSpec) else None


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
         reverse=False, name=None):
    """The running results of `a = fn(a, x)` over the slices x of `elems`, stacked (from `initializer`, or the
    first slice).

    >>> ef.scan(lambda a, x: a + x, ef.constant([1, 2, 3, 4])).numpy()
    array([ 1,  3,  6, 10], dtype=int32)
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {fn!r}")
    order, elem = _walk(elems, reverse)
    if initializer is None:
        if not order:
            raise errors.OutOfRangeError(None, None, "Tried to read from index 0 but array size is: 0 ")
        acc = elem(order[0])
        outs = [acc]
        order = order[1:]
    else:
        acc = nest.map_structure(convert_to_tensor, initializer)
        outs = []
    for i in order:
        acc = fn(acc, elem(i))
        outs.append(acc)
    if reverse:
        outs = outs[::-1]
    like = acc if outs else nest.map_structure(convert_to_tensor, initializer)
    leaves = [nest.flatten(o) for o in outs]
    stacked = [array_ops.stack([lv[k] for lv in leaves]) if leaves else
               array_ops.zeros([0] + list(leaf.shape), leaf.dtype) for k, leaf in enumerate(nest.flatten(like))]
    return nest.pack_sequence_as(like, stacked)


def _walk(elems, reverse):
    """(the indices of `elems`' first axis in walking order, elem(i): the nest of slices i) for scan and the folds."""
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    n = flat[0].shape[0]
    order = list(range(n))[::-1] if reverse else list(range(n))
    slices = [array_ops.unstack(e) for e in flat]

    def elem(i):
        return nest.pack_sequence_as(elems, [s[i] for s in slices])

    return order, elem


def _fold(fn, elems, initializer, reverse):
    if not callable(fn):
        raise TypeError(f"{fn!r} is not callable. Please provide a callable function.")
    order, elem = _walk(elems, reverse)
    if initializer is None:
        if not order:
            raise errors.OutOfRangeError(None, None, "Tried to read from index 0 but array size is: 0 ")
        acc = elem(order[0])
        order = order[1:]
    else:
        acc = nest.map_structure(convert_to_tensor, initializer)
    for i in order:
        acc = fn(acc, elem(i))
    return acc


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """`a = fn(a, x)` over the slices x of `elems` from the first; the final `a`.

    >>> int(ef.foldl(lambda a, x: a - x, ef.constant([1, 2, 3]), initializer=10))
    4
    """
    return _fold(fn, elems, initializer, reverse=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """`a = fn(a, x)` over the slices x of `elems` from the last; the final `a`.

    >>> int(ef.foldr(lambda a, x: a * 10 + x, ef.constant([1, 2, 3])))
    321
    """
    return _fold(fn, elems, initializer, reverse=True)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """`fn` over the slices of `elems` along axis 0, results stacked: `map_fn` whose output dtypes are the ones
    `fn` returns. (TF vectorizes `fn` into batched ops; eagerflow runs it per slice, with the same results.)

    >>> ef.vectorized_map(lambda x: ef.reduce_sum(x), ef.constant([[1, 2], [3, 4]])).numpy()
    array([3, 7], dtype=int32)
    """
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat or flat[0].ndim == 0:
        raise ValueError("elems must be a structure of tensors with a leading batch dimension")
    first = fn(nest.pack_sequence_as(elems, [e[0] for e in flat])) if flat[0].shape[0] else None
    if first is None:
        return map_fn(fn, elems)
    signature = nest.map_structure(lambda r: TensorSpec.from_tensor(convert_to_tensor(r)), first)
    return map_fn(fn, elems, fn_output_signature=signature)


def py_function(func, inp, Tout, name=None):  # noqa: N803 - TF's name
    """Call the Python function `func` on the tensors `inp`; its results are converted to `Tout`.

    The ops `func` runs are recorded by active tapes, so the result is differentiable, as in TF.

    >>> ef.py_function(lambda x: x * 2, [ef.constant([1, 2])], Tout=ef.int32).numpy()
    array([2, 4], dtype=int32)
    """
    args = [convert_to_tensor(x) for x in (inp if isinstance(inp, (list, _tuple)) else [inp])]
    return _convert_results(func(*args), Tout, "EagerPyFunc")


def numpy_function(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's name
    """Call `func` on the NumPy values of `inp`; its results (NumPy arrays or numbers) become tensors of
    `Tout`. Not differentiable, as TF.

    >>> ef.numpy_function(lambda x: x + 1, [ef.constant([1, 2])], ef.int32).numpy()
    array([2, 3], dtype=int32)
    """
    args = [convert_to_tensor(x).numpy() for x in (inp if isinstance(inp, (list, _tuple)) else [inp])]
    return _convert_results(func(*args), Tout, "PyFunc")


def _convert_results(out, tout, op):
    single = not isinstance(tout, (list, _tuple))
    touts = [tout] if single else list(tout)
    results = [out] if single else (list(out) if isinstance(out, (list, _tuple)) else [out])
    if out is None and not touts:
        return []
    if len(results) != len(touts):
        raise errors.InvalidArgumentError(None, op, f"{op}: the function returned {len(results)} values, but Tout "
                                                    f"lists {len(touts)} dtypes [Op:{op}]")
    converted = []
    for value, dtype in zip(results, touts):
        dtype = _dtypes.as_dtype(dtype)
        try:
            t = convert_to_tensor(value, dtype=dtype)
        except (TypeError, ValueError) as e:
            raise errors.InvalidArgumentError(None, op, f"{type(e).__name__}: {e} [Op:{op}]") from None
        converted.append(t)
    return converted[0] if single else converted


def no_op(name=None):
    """Does nothing (TF's NoOp; eagerly there is nothing to order).

    >>> ef.no_op() is None
    True
    """
    return None


def group(*inputs, **kwargs):
    """Eagerly, the inputs have run already: returns None, as TF.

    >>> ef.group(ef.constant(1)) is None
    True
    """
    return None


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """The tensors, once `control_inputs` have run (eagerly they have): returned as given, as TF.

    >>> len(ef.tuple([ef.constant(1), ef.constant(2)]))
    2
    """
    if control_inputs is not None:
        for c in control_inputs:
            if callable(c):
                c()
    return tensors


def identity_n(input, name=None):
    """Identities of a list of tensors.

    >>> [t.dtype for t in ef.identity_n([1, 2.0])]
    [ef.int32, ef.float32]
    """
    return [array_ops.identity(x) for x in input]


def ensure_shape(x, shape, name=None):
    """`x` if its shape is compatible with `shape` (None for any size), else an InvalidArgumentError.

    >>> ef.ensure_shape(ef.zeros([3, 2]), [None, 2]).shape
    TensorShape([3, 2])
    """
    t = convert_to_tensor(x)
    want = as_shape(shape)
    if not want.is_compatible_with(t.shape):
        raise errors.InvalidArgumentError(
            None, "EnsureShape", f"Shape of tensor input {t.shape.as_list()} is not compatible with expected shape "
            f"{_shape_text(want)}. [Op:EnsureShape]")
    return array_ops.identity(t)


def _shape_text(shape):
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _summarize(t, summarize):
    """One data item of Assert's message, as TF's eager _summarize_eager."""
    n = 3 if summarize is None else summarize
    value = t.numpy()
    if t.ndim:
        flat = value.reshape(-1)
        n = flat.size if n < 0 else n
        items = [str(v) for v in flat[:n]]
        if len(items) < flat.size:
            items.append("...")
    else:
        items = [str(value)] if n != 0 else []
    return ", ".join(items)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """Raise InvalidArgumentError with `data` summarised (first `summarize` elements) unless `condition`.

    >>> ef.debugging.Assert(ef.constant(True), ["never shown"]) is None
    True
    """
    if _truth(condition):
        return None
    shown = [_summarize(convert_to_tensor(d), summarize) for d in data]
    raise errors.InvalidArgumentError(None, None, f"Expected '{str(condition)}' to be true. Summarized data: "
                                                  + "\n".join(shown))


@contextlib.contextmanager
def control_dependencies(control_inputs):
    """Eagerly every op has run when it returns, so nothing needs ordering; callables in `control_inputs` are
    called, as TF.

    >>> with ef.control_dependencies([ef.constant(1)]):
    ...     y = ef.constant(2)
    """
    if control_inputs:
        for c in control_inputs:
            if callable(c):
                c()
    yield


@contextlib.contextmanager
def init_scope():
    """A block lifted out of gradient recording, as TF's init_scope: ops in it are not recorded by this
    thread's tapes (nor by a tracing `ef.function`), and names start from the outermost scope.

    >>> with ef.GradientTape() as tape:
    ...     with ef.init_scope():
    ...         v = ef.Variable(1.0)
    """
    from eagerflow import module

    state = context.thread_state()
    recorders = list(state.recorders)
    for r in recorders:
        _execute.pop_recorder(r)
    saved_scope = module._state.name_scope
    module._state.name_scope = ""
    try:
        yield
    finally:
        module._state.name_scope = saved_scope
        for r in recorders:
            _execute.push_recorder(r)


def grad_pass_through(f):
    """`f` whose gradient is the identity: forward `f(x)`, backward as if `f` were `lambda x: x`.

    >>> x = ef.Variable(2.0)
    >>> with ef.GradientTape() as tape:
    ...     y = ef.grad_pass_through(ef.round)(x * 1.3)
    >>> round(float(tape.gradient(y, x)), 4)
    1.3
    """
    from eagerflow.autodiff.custom import custom_gradient

    @custom_gradient
    def passed(*args):
        def grad(*upstream, variables=None):
            if variables is not None:
                return upstream, [None] * len(variables)
            return upstream
        return f(*args), grad

    return passed


def recompute_grad(f):
    """`f` that keeps no intermediate results for the backward pass: the gradient runs `f` again under a tape
    (memory for time, as TF's recompute_grad).

    >>> g = ef.recompute_grad(lambda x: ef.sin(x) * x)
    >>> x = ef.constant(1.0)
    >>> with ef.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = g(x)
    >>> round(float(tape.gradient(y, x)), 4)
    1.3818
    """
    from eagerflow.autodiff.custom import custom_gradient
    from eagerflow.autodiff.tape import GradientTape

    @custom_gradient
    def recomputed(*args):
        with _no_recording():
            result = f(*args)

        def grad(*upstream, variables=None):
            with GradientTape() as tape:
                tape.watch(list(args))
                if variables:
                    tape.watch(variables)
                again = f(*args)
            sources = list(args) + list(variables or [])
            grads = tape.gradient(again, sources, output_gradients=list(upstream) if len(upstream) > 1 else upstream[0])
            if variables is not None:
                return grads[:len(args)], grads[len(args):]
            return grads[:len(args)]
        return result, grad

    return recomputed


@contextlib.contextmanager
def _no_recording():
    """Run a block unseen by this thread's tapes; the trainable variables it reads are still watched by them
    (as TF's tapes watch every variable accessed), and custom_gradient still learns of them."""
    from eagerflow.autodiff.custom import _VariableCollector
    from eagerflow.autodiff.tape import GradientTape

    state = context.thread_state()
    hidden = [r for r in state.recorders if not isinstance(r, _VariableCollector)]
    for r in hidden:
        _execute.pop_recorder(r)
    reads = _VariableCollector()
    _execute.push_recorder(reads)
    try:
        yield
    finally:
        _execute.pop_recorder(reads)
        for r in hidden:
            _execute.push_recorder(r)
            if isinstance(r, GradientTape) and r._watch_accessed:
                for v in reads.variables.values():
                    r.watch(v)


class CriticalSection:
    """Runs functions one at a time: `execute(fn)` holds the section's lock while `fn` runs.

    >>> cs = ef.CriticalSection()
    >>> cs.execute(lambda: 1 + 1)
    2
    """

    def __init__(self, name=None, shared_name=None, critical_section_def=None, import_scope=None):
        self._name = name or "critical_section"
        self._lock = threading.RLock()

    @property
    def name(self):
        return self._name

    def execute(self, fn, exclusive_resource_access=True, name=None):
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {fn!r}")
        with self._lock:
            return fn()


def no_gradient(op_type):
    """Declare op `op_type` as having no gradient: tapes give None through it.

    >>> ef.no_gradient("MyCustomOp")
    """
    from eagerflow.autodiff.gradients import GRADIENTS, load_areas

    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    load_areas()  # so that a later first use cannot put eagerflow's own gradient back over this one
    GRADIENTS[op_type] = lambda op, *grads: (None,) * len(op.inputs)


class RegisterGradient:
    """Decorator registering `fn(op, *grads)` as the gradient of op type `op_type` (an op with no gradient yet).

    >>> @ef.RegisterGradient("MyOtherCustomOp")
    ... def _my_grad(op, grad):
    ...     return grad
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        from eagerflow.autodiff.gradients import GRADIENTS, load_areas

        load_areas()  # eagerflow's own gradients first, so that registering over one is refused as TF refuses it
        if self._op_type in GRADIENTS:
            raise KeyError(f"Registering two gradient with name '{self._op_type}'! (Previous registration was in "
                           f"{getattr(GRADIENTS[self._op_type], '__module__', '?')})")

        def adapted(op, *grads):
            out = fn(op, *grads)
            return out if isinstance(out, (list, _tuple)) else (out,)
        GRADIENTS[self._op_type] = adapted
        return fn


class AggregationMethod:
    """The ways of adding up gradients that reach a tensor along several paths (constants, as TF's).

    >>> ef.AggregationMethod.ADD_N
    0
    """

    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def get_current_name_scope():
    """The current name scope, without the trailing slash ('' at the top).

    >>> with ef.name_scope("outer"):
    ...     ef.get_current_name_scope()
    'outer'
    """
    from eagerflow.module import current_name_scope

    return current_name_scope().rstrip("/")


def inside_function():
    """False: eagerflow has no graph functions, `ef.function` runs the Python function eagerly.

    >>> ef.inside_function()
    False
    """
    return False


def is_symbolic_tensor(tensor):
    """False: every eagerflow tensor holds its value (there are no graph tensors).

    >>> ef.is_symbolic_tensor(ef.constant(1))
    False
    """
    return False


def guarantee_const(input, name=None):
    """`input` itself (TF's promise that the value is constant; eager values always are).

    >>> float(ef.guarantee_const(ef.constant(1.0)))
    1.0
    """
    return array_ops.identity(input)


def timestamp(name=None):
    """The time now in seconds since the epoch, as a float64 scalar.

    >>> ef.timestamp().dtype
    ef.float64
    """
    import time

    return array_ops.constant(time.time(), dtype=_dtypes.float64)

