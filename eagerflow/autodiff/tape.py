"""`GradientTape`: records the ops that touch watched values, and differentiates them in reverse.

While a tape is active, `execute` calls `tape.record(op, inputs, outputs, attrs)` for every op of
the thread. Recording is cheap: the tape keeps the record only when an input is a value it
tracks (a watched tensor, a watched variable, or an output of a recorded op), and then tracks the
outputs. `gradient()` walks the records in reverse (one loop, no recursion) over the ops that
connect the sources to the targets, calling `GRADIENTS[op]` for each; those functions run
eagerflow ops, so an outer tape records them and tapes nest for higher derivatives.

    >>> x = ef.constant(3.0)
    >>> with ef.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0
"""

import contextlib
import enum

import numpy as np

from eagerflow import tf_logging
from eagerflow.autodiff.gradients import NOT_DIFFERENTIABLE, gradient_function
from eagerflow.backends.kernels import VARIABLE_UPDATES
from eagerflow.framework.execute import convert_to_tensor, execute, pop_recorder, push_recorder
from eagerflow.framework.nest import flatten as _flatten
from eagerflow.framework.nest import pack_sequence_as as _pack
from eagerflow.framework.tensor import Tensor
from eagerflow.keras_variables import unwrap as _unwrap
from eagerflow.variables import Variable, VariableSlice

__all__ = ["GradientTape", "UnconnectedGradients"]

_NON_PERSISTENT_USED = ("A non-persistent GradientTape can only be used to compute one set of gradients "
                        "(or jacobians)")


def _seeds(output_gradients, n_targets):
    """One seed per target (None: ones like the target), as TF: the flattened `output_gradients` are tensors
    as given (a Python float is float32, whatever the target's dtype; a scalar stays a scalar), the first
    `n_targets` of them are used, and targets beyond them get ones."""
    if output_gradients is None:
        return [None] * n_targets
    seeds = [convert_to_tensor(_unwrap(g)) for g in _flatten(output_gradients)]  # None: TF's ValueError
    return seeds[:n_targets] + [None] * (n_targets - len(seeds))


class UnconnectedGradients(enum.Enum):
    """What `gradient()` returns for a source the targets do not depend on: None or zeros.

    >>> ef.UnconnectedGradients.ZERO.value
    'zero'
    """

    NONE = "none"
    ZERO = "zero"


class _Op:
    """One record as the gradient functions see it."""

    __slots__ = ("type", "inputs", "outputs", "attrs", "needs")

    def __init__(self, type, inputs, outputs, attrs, needs):
        self.type, self.inputs, self.outputs, self.attrs, self.needs = type, inputs, outputs, attrs, needs

    def __repr__(self):
        return f"<op {self.type}: {len(self.inputs)} inputs, {len(self.outputs)} outputs>"


def _differentiable(dtype):
    return dtype.is_floating or dtype.is_complex


def _dtype_name(dtype):
    return f"ef.{dtype.name}"


_IN_CONTEXT_WARNED = []


def _warn_in_context_once():
    # TF logs this once per process (log_first_n), naming `gradient` also for the jacobians, which call it.
    if not _IN_CONTEXT_WARNED:
        _IN_CONTEXT_WARNED.append(True)
        tf_logging.warning("Calling GradientTape.gradient on a persistent tape inside its context is significantly "
                           "less efficient than calling it outside the context (it causes the gradient ops to be "
                           "recorded on the tape, leading to increased CPU and memory usage). Only call "
                           "GradientTape.gradient inside the context if you actually want to trace the gradient in "
                           "order to compute higher order derivatives.")


# Ops whose gradient passes an IndexedSlices (the sparse gradient of gather) through unchanged, so it
# reaches a variable as TF's does; every other gradient function gets the dense tensor.
_SPARSE_PASS_THROUGH = frozenset({"ReadVariableOp", "Identity"})


def _dense(g):
    return g if g is None or isinstance(g, Tensor) else convert_to_tensor(g)


def _add_gradients(a, b):
    """a + b; two IndexedSlices add by concatenating their rows, as TF aggregates them."""
    from eagerflow.framework.indexed_slices import IndexedSlices, concat

    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        return concat([a, b])
    return execute("AddV2", (_dense(a), _dense(b)))


class GradientTape:
    """Record operations for automatic differentiation.

    Trainable variables read inside the `with` block are watched automatically (unless
    `watch_accessed_variables=False`); other tensors only when passed to `watch`. A tape that
    is not `persistent` computes one set of gradients and then releases what it recorded.

    >>> w = ef.Variable([[1.0], [2.0]])
    >>> with ef.GradientTape() as tape:
    ...     loss = ef.reduce_sum(ef.matmul([[3.0, 4.0]], w))
    >>> tape.gradient(loss, w).numpy().ravel()
    array([3., 4.], dtype=float32)
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed = bool(watch_accessed_variables)
        self._records = []
        self._tracked = set()      # ids of tensors and variables whose uses are recorded
        self._keep = []            # the watched objects, so their ids stay theirs
        self._variables = {}       # id -> watched variable, in watch order
        self._recording = False    # inside the `with` block, and not in stop_recording
        self._active = False       # pushed on the thread's recorder stack
        self._used = False

    # ------------------------------------------------------------------ context
    def __enter__(self):
        if self._active:
            raise ValueError("This GradientTape is already recording; a tape cannot be entered twice at once. "
                             "Use a second tape to nest.")
        push_recorder(self)
        self._active = True
        self._recording = True
        return self

    def __exit__(self, *exc):
        self._stop()
        return False

    def _stop(self):
        if self._active:
            self._active = False
            self._recording = False
            pop_recorder(self)

    @contextlib.contextmanager
    def stop_recording(self):
        """Run the block without recording on this tape (its ops get no gradient from this tape).

        >>> with ef.GradientTape() as tape:
        ...     with tape.stop_recording():
        ...         pass
        """
        if not self._active:
            raise RuntimeError("GradientTape.stop_recording() can only be used while the tape is recording: "
                               "call it inside the tape's `with` block.")
        was = self._recording
        self._recording = False
        try:
            yield
        finally:
            self._recording = was

    def reset(self):
        """Forget everything recorded and watched so far (the tape stays active inside its block).

        >>> with ef.GradientTape() as tape:
        ...     tape.reset()
        """
        if not self._active:
            raise ValueError("Tape is not recording: GradientTape.reset() can only be called inside the tape's "
                             "`with` block. Create a new tape instead.")
        self._records = []
        self._tracked = set()
        self._keep = []
        self._variables = {}
        self._used = False

    # ------------------------------------------------------------------ watching
    def watch(self, tensor):
        """Track `tensor` (a tensor, a variable, or a nest of them) so gradients can be taken with
        respect to it.

        >>> x = ef.constant(2.0)
        >>> with ef.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x ** 3
        >>> float(tape.gradient(y, x))
        12.0
        """
        for t in _flatten(tensor):
            if isinstance(t, Tensor):
                pass
            elif isinstance(t, Variable):
                self._variables.setdefault(id(t), t)
            else:
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, not ef.Tensor or ef.Variable "
                                 f"to GradientTape.watch. Convert it first with ef.convert_to_tensor.")
            if not _differentiable(t._dtype):
                tf_logging.warning(f"The dtype of the watched tensor must be floating (e.g. ef.float32), got "
                                   f"{_dtype_name(t._dtype)}")
            if id(t) not in self._tracked:
                self._tracked.add(id(t))
                self._keep.append(t)

    def watched_variables(self):
        """The variables this tape watches (read inside it, or passed to `watch`), in creation order.

        >>> a, b = ef.Variable(1.0, name="a"), ef.Variable(2.0, name="b")
        >>> with ef.GradientTape() as tape:
        ...     y = b * a
        >>> [v.name for v in tape.watched_variables()]
        ['a:0', 'b:0']
        """
        return tuple(sorted(self._variables.values(), key=lambda v: v._uid))

    def _access_variable(self, variable):
        """A trainable variable was read: watch it if this tape watches accessed variables."""
        if self._recording and self._watch_accessed and variable._trainable and id(variable) not in self._tracked:
            self._variables[id(variable)] = variable
            self._tracked.add(id(variable))
            self._keep.append(variable)

    # ------------------------------------------------------------------ recording (hot path)
    def record(self, op, inputs, outputs, attrs):
        if not self._recording:
            return
        if op in NOT_DIFFERENTIABLE:
            if op in VARIABLE_UPDATES and inputs:  # as TF, an update inside the tape watches the variable
                self._access_variable(inputs[0])
            return
        tracked = self._tracked
        if op == "ReadVariableOp":
            v = inputs[0]
            if id(v) not in tracked:
                # an update's result (`v.assign(x) * 2`) is recorded as a read, but watches nothing: as TF
                if not (self._watch_accessed and v._trainable) or "unread" in attrs:
                    return
                self._variables[id(v)] = v
                tracked.add(id(v))
                self._keep.append(v)
        else:
            hit = False
            for t in inputs:
                if id(t) in tracked:
                    hit = True
                elif type(t) is VariableSlice and id(t._variable) in tracked:
                    # `v[key]` hands out a VariableSlice, not the tensor its read recorded: record the
                    # slice itself as a StridedSlice of the variable.
                    self._records.append(("StridedSlice", (t._variable,), (t,), {"key": t._key}))
                    tracked.add(id(t))
                    hit = True
            if not hit:
                return
        self._records.append((op, inputs, outputs, attrs))
        for o in outputs:
            tracked.add(id(o))

    # ------------------------------------------------------------------ gradients
    def _begin_use(self):
        if self._used and not self._persistent:
            raise RuntimeError(_NON_PERSISTENT_USED)
        if self._recording:
            if self._persistent:
                _warn_in_context_once()
            else:
                self._stop()  # as TF: a non-persistent tape stops recording once it is used
        self._used = True

    def _end_use(self):
        if not self._persistent:
            self._records = []
            self._tracked = set()
            self._keep = []

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of `target`)/d`sources`, in the structure of `sources` (a tensor, variable or nest).

        `output_gradients` weights each target (same structure as `target`); sources the targets do
        not depend on give None, or zeros with `unconnected_gradients=ef.UnconnectedGradients.ZERO`.

        >>> v = ef.Variable(2.0)
        >>> with ef.GradientTape() as tape:
        ...     y = v * v + 1.0
        >>> float(tape.gradient(y, v))
        4.0
        """
        self._begin_use()
        try:
            unconnected = UnconnectedGradients(unconnected_gradients)
            flat_targets = _flatten(target)
            flat_sources = [_unwrap(s) for s in _flatten(sources)]  # a Keras variable: its wrapped one
            self._check_sources(flat_sources)
            if any(t is None for t in flat_targets):
                raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType. "
                                "GradientTape.gradient got None as a target: pass tensors (or drop the None).")
            flat_og = _seeds(output_gradients, len(flat_targets))
            grads = self._compute(flat_targets, flat_sources, flat_og, unconnected)
        finally:
            self._end_use()
        return _pack(sources, grads)

    @staticmethod
    def _check_sources(flat_sources):
        for s in flat_sources:
            if not (isinstance(s, (Tensor, Variable))):
                # AttributeError as TF's (it asks the source for its id)
                raise AttributeError(f"GradientTape.gradient: a source must be an ef.Tensor or ef.Variable, got {s!r} "
                                     f"of type {type(s).__name__!r}. Pass the tensor or variable itself.")

    def _compute(self, targets, sources, seeds, unconnected):
        """The gradients of `targets` (weighted by `seeds`) for each of `sources`, as a list."""
        grads = {}
        for t, seed in zip(targets, seeds):
            if not (isinstance(t, (Tensor, Variable))):
                t = convert_to_tensor(t)
            if not _differentiable(t._dtype):
                continue  # no gradient flows from an integer target (TF logs this at vlog level only)
            g = execute("OnesLike", (t,)) if seed is None else seed
            key = id(t)
            grads[key] = g if key not in grads else execute("AddV2", (grads[key], g))
        # A source is one this tape tracks (watched, or computed from what it watched): a tensor that
        # was never watched gets None even where it met watched values. A source that is itself a
        # target gets the target's seed, watched or not (as TF).
        tracked = self._tracked
        source_ids = {id(s) for s in sources if _differentiable(s._dtype) and (id(s) in tracked or id(s) in grads)}

        # Forward: which records does a source reach, and through which inputs.
        records = self._records
        reach = set(source_ids)
        marks = [None] * len(records)
        for i, (_op, inputs, outputs, _attrs) in enumerate(records):
            needs = None
            for j, t in enumerate(inputs):
                if id(t) in reach and _differentiable(t._dtype):
                    if needs is None:
                        needs = [False] * len(inputs)
                    needs[j] = True
            if needs is not None:
                marks[i] = needs
                for o in outputs:
                    reach.add(id(o))

        # Backward: each record after all the records that use its outputs.
        for i in range(len(records) - 1, -1, -1):
            needs = marks[i]
            if needs is None:
                continue
            op, inputs, outputs, attrs = records[i]
            out_grads = [grads.get(id(o)) if id(o) in source_ids else grads.pop(id(o), None) for o in outputs]
            if all(g is None for g in out_grads):
                continue
            if op not in _SPARSE_PASS_THROUGH:  # other gradient functions take dense tensors
                out_grads = [_dense(g) for g in out_grads]
            fn = gradient_function(op)
            if fn is None:
                raise LookupError(f"No gradient defined for operation '{op}' (op type: {op}). Wrap the computation in "
                                  f"ef.stop_gradient if no gradient should flow through it, or define one with "
                                  f"ef.custom_gradient.")
            in_grads = fn(_Op(op, inputs, outputs, attrs, needs), *out_grads)
            for t, g, need in zip(inputs, in_grads, needs):
                if g is None or not need:
                    continue
                key = id(t)
                prev = grads.get(key)
                grads[key] = g if prev is None else _add_gradients(prev, g)

        out = []
        for s in sources:
            g = grads.get(id(s)) if id(s) in source_ids else None
            if g is None and unconnected is UnconnectedGradients.ZERO:
                g = execute("ZerosLike", (s,))
            out.append(g)
        return out

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """d`target`[i...]/d`source`[j...] for each source: shape target.shape + source.shape.

        >>> x = ef.constant([1.0, 2.0])
        >>> with ef.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.jacobian(y, x).numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        """
        self._begin_use()
        try:
            unconnected = UnconnectedGradients(unconnected_gradients)
            flat_sources = [_unwrap(s) for s in _flatten(sources)]  # a Keras variable: its wrapped one
            self._check_sources(flat_sources)
            t = target if isinstance(target, (Tensor, Variable)) else convert_to_tensor(target)
            shape = tuple(t.shape.as_list())
            n = int(np.prod(shape, dtype=np.int64))
            np_dtype = t._dtype._np
            rows = []
            for i in range(n):
                seed = np.zeros(n, dtype=np_dtype)
                seed[i] = 1
                rows.append(self._compute([t], flat_sources, [seed.reshape(shape)], unconnected))
            result = [self._stack_rows([r[j] for r in rows], shape, s, unconnected, 0)
                      for j, s in enumerate(flat_sources)]
        finally:
            self._end_use()
        return _pack(sources, result)

    @staticmethod
    def _stack_rows(parts, lead_shape, source, unconnected, axis):
        s_shape = tuple(source.shape.as_list())
        if axis == 0:
            full = lead_shape + s_shape
        else:
            full = (s_shape[0],) + lead_shape + s_shape[1:]
        if all(p is None for p in parts):
            if unconnected is UnconnectedGradients.ZERO or not parts:
                return convert_to_tensor(np.zeros(full, dtype=source._dtype._np))
            return None
        parts = [execute("ZerosLike", (source,)) if p is None else p for p in parts]
        stacked = execute("Pack", tuple(parts), {"axis": axis})
        return execute("Reshape", (stacked,), {"shape": full})

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example jacobians: target (b, ...) and source (b, ...) give (b,) + target[1:] + source[1:].

        Row b of the target must depend only on row b of the source (as TF assumes).

        >>> x = ef.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with ef.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> tape.batch_jacobian(y, x).shape
        TensorShape([2, 2, 2])
        """
        self._begin_use()
        try:
            unconnected = UnconnectedGradients(unconnected_gradients)
            self._check_sources([source])
            t = target if isinstance(target, (Tensor, Variable)) else convert_to_tensor(target)
            shape = tuple(t.shape.as_list())
            s_shape = tuple(source.shape.as_list())
            if len(shape) < 2 or len(s_shape) < 2 or shape[0] != s_shape[0]:
                raise ValueError(f"batch_jacobian needs a target and a source of rank 2 or more with the same first "
                                 f"(batch) dimension, got shapes {shape} and {s_shape}.")
            b = shape[0]
            m = int(np.prod(shape[1:], dtype=np.int64))
            parts = []
            for j in range(m):
                seed = np.zeros((b, m), dtype=t._dtype._np)
                seed[:, j] = 1
                parts.append(self._compute([t], [source], [seed.reshape(shape)], unconnected)[0])
            result = self._stack_rows(parts, shape[1:], source, unconnected, 1)
            if result is None:  # as TF: an unconnected batch jacobian is zeros whatever was asked
                result = convert_to_tensor(np.zeros((b,) + shape[1:] + s_shape[1:], dtype=t._dtype._np))
        finally:
            self._end_use()
        return result
