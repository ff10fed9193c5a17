"""Recording what a Python function does with tensors, and replaying it (the engine of `ef.function`).

A `Tracer` is a recorder (like a tape: `execute.push_recorder`) that sees every event of its
thread while the Python function runs eagerly for the first time: kernel ops with their input
tensors, attrs, device and outputs; variable reads and updates (with their operand); host events
that must run on every call (`ef.print`, random ops). Tensors are identified by their array, so a
value is followed through the ops that consume it. Each value is a *slot* of the recording: an
argument, the output of an earlier event, or a constant captured at trace time (a tensor that no
recorded event produced: a Python number converted on the way, a tensor from outside the
function). Tensors are immutable, so a constant is safe to reuse on every call.

A trace that reads a value computed from the function's inputs into Python (`bool(t)`, `int(t)`,
`t.numpy()`, `float(variable)`, an op wrapper that turns a tensor into a Python list) depends on
that value: replaying it could take a branch the inputs no longer take. Such a trace is marked
unsafe, with the reason, and never replayed.

`Plan` compiles a recording into one Python function (generated source: one line per event,
kernels and constants bound as globals), so a replay costs a kernel call and a local variable per
op: no conversion, placement, dtype checks or tape bookkeeping. Variable reads take the buffer
under the variable's rules (copy-on-write), updates go through the variable's own in-place path.
When anything else is switched on in the thread (a tape, a device scope, logging, an outer
trace), the plan replays through `execute` instead, so tapes record the ops and gradients flow
through the call exactly as they would through the eager ops.
"""

import contextlib
import sys
import threading

import numpy as np

from eagerflow.backends import replay_calls
from eagerflow.backends.kernels import VARIABLE_UPDATES
from eagerflow.device import context as _context
from eagerflow.framework import execute as _ex
from eagerflow.framework import tensor as _tensor
from eagerflow.framework.tensor import Tensor

__all__ = ["Tracer", "Plan", "tracing", "rolled_back", "note_python_state"]

# Ops whose output shape depends on input values: Python code reading such a shape while tracing
# (loop bounds, gradients) would bake one call's shape into the recording.
DATA_DEPENDENT_SHAPES = {"Where", "Unique", "UniqueV2", "UniqueWithCounts", "ListDiff", "SetDiff1D"}

# Kernels whose outputs never share memory with their inputs, besides those a replay writes into buffers
# (the memory plan may then give their inputs reused buffers even when their outputs leave the call).
FRESH_OUTPUTS = {"Sum", "Mean", "Max", "Min", "Prod", "Any", "All", "ArgMax", "ArgMin", "MatMul", "BatchMatMulV2"}


class _State(threading.local):
    def __init__(self):
        self.tracers = []      # active tracers of this thread, innermost last


_state = _State()
_thread = _context.thread_state()


def thread_state():
    """This thread's tracing state (its active tracers)."""
    return _state


def tracing():
    """True while this thread traces an `ef.function` (TF: not executing eagerly)."""
    return bool(_state.tracers)


def note_python_state(reason):
    """The traced Python code used state a replay cannot reproduce (it took elements from a dataset
    iterator): this thread's traces must run eagerly, for `reason`."""
    for tracer in _state.tracers:
        if tracer.unsafe is None:
            tracer.unsafe = reason


def _on_value_read(array):
    """Tensor/Variable hook: a value is being read into Python (None: a variable's value)."""
    if id(array) in _thread.host_inputs:  # a host event (ef.print) reads its own inputs: replayed with them
        return
    for tracer in _state.tracers:
        tracer.value_read(array)


_hook_lock = threading.Lock()
_tracing_threads = 0  # the value-read hook is installed only while some thread traces


def _symbolic_text(t):
    return _state.tracers[-1].symbolic_text(t) if _state.tracers else None


def _hook_in():
    global _tracing_threads
    with _hook_lock:
        _tracing_threads += 1
        _tensor.set_value_read_hook(_on_value_read, _symbolic_text)


def _hook_out():
    global _tracing_threads
    with _hook_lock:
        _tracing_threads -= 1
        if not _tracing_threads:
            _tensor.set_value_read_hook(None, None)


@contextlib.contextmanager
def rolled_back():
    """Undo every variable update made inside the block (variables keep the buffers they had).

    Holding each live variable's buffer makes the updates inside copy on write, so the old values stay
    intact; they are put back at the end. For tracing a signature without running it for real."""
    from eagerflow.device import memory
    before = [(v, v._buf) for v in memory.live_variables()]
    try:
        yield
    finally:
        for v, buf in before:
            if v._buf is not buf:
                with v._lock:
                    v._replace_buffer(buf)


class Tracer:
    """Records the events of one trace (see the module docstring)."""

    def __init__(self, arguments, allow_variable_creation, names=()):
        self.events = []          # (kind, op, device, input slots, attrs, output slots, payload)
        self._slot = {}           # id(array) -> slot
        self._keep = []           # every array seen, so that ids stay unique while tracing
        self.constants = {}       # slot -> array
        self.dtypes = {}          # slot -> DType
        self.devices = {}         # slot -> Device
        self.shapes = {}          # slot -> shape (of this trace's values)
        self.count = 0
        self.unsafe = None        # why the trace must not be replayed, or None
        self.created = []         # variables created while tracing
        self._allow_creation = allow_variable_creation
        self.arguments = [self._new(t) for t in arguments]
        self.names = dict(zip(self.arguments, names))   # slot -> TF's name of the graph tensor (x:0)
        self._name_counts = {}

    def __enter__(self):
        _hook_in()
        _state.tracers.append(self)
        _ex.push_recorder(self)
        return self

    def __exit__(self, *exc):
        _ex.pop_recorder(self)
        _state.tracers.remove(self)
        _hook_out()
        self._keep = None  # the recording keeps only what the plan needs
        self._slot = None

    # ------------------------------------------------------------------ slots
    def _new(self, t):
        slot = self.count
        self.count += 1
        self._slot[id(t._value)] = slot
        self._keep.append(t._value)
        self.dtypes[slot] = t._dtype
        self.devices[slot] = t._device
        self.shapes[slot] = t._value.shape
        return slot

    def slot_of(self, t):
        """The slot of tensor `t`: known, or a new constant captured now."""
        slot = self._slot.get(id(t._value))
        if slot is None:
            slot = self._new(t)
            self.constants[slot] = t._value
        return slot

    def symbolic_text(self, t):
        """What TF prints for a graph tensor (`Tensor("x:0", shape=(2,), dtype=float32)`), or None for a
        tensor this trace did not make (an eager tensor from outside prints its value, as in TF)."""
        slot = self._slot.get(id(t._value)) if self._slot is not None else None
        if slot is None:
            return None
        name = self.names.get(slot)
        if name is None:
            op = next((e[1] for e in reversed(self.events) if slot in e[5]), "Const")
            n = self._name_counts.get(op, 0)
            self._name_counts[op] = n + 1
            name = self.names[slot] = op if n == 0 else f"{op}_{n}"
        shape = "(" + ", ".join(str(d) for d in t._value.shape) + ("," if t._value.ndim == 1 else "") + ")"
        return f'Tensor("{name}:0", shape={shape}, dtype={t._dtype.name})'

    def is_dynamic(self, array):
        slot = self._slot.get(id(array)) if self._slot is not None else None
        return slot is not None and slot not in self.constants

    # ------------------------------------------------------------------ events
    def record(self, op, inputs, outputs, attrs):
        if self.unsafe is not None:
            return
        if op == "ReadVariableOp":
            self.events.append(("read", op, None, (), None, (self._new(outputs[0]),), inputs[0]))
            return
        if op in VARIABLE_UPDATES:
            if not inputs:
                return  # the initial assignment of a variable created while tracing
            variable, operands = inputs[0], inputs[1:]
            self.events.append(("update", op, None, tuple(self.slot_of(t) for t in operands),
                                dict(attrs), (), variable))
            return
        if op == "VarHandleOp":  # a variable created while tracing (outputs: the variable)
            self.variable_created(outputs[0])
            return
        if "_host" in attrs:  # host work to redo on every call (ef.print, random numbers): execute.host_event
            self.events.append(("host", op, None, tuple(self.slot_of(t) for t in inputs), None,
                                tuple(self._new(t) for t in outputs), attrs["_host"]))
            return
        device = outputs[0]._device if outputs else None
        if device is None or op not in device.kernels or not all(type(t) is Tensor or isinstance(t, Tensor)
                                                                  for t in inputs):
            self.unsafe = f"it runs {op}, which eagerflow cannot replay"
            return
        if op in DATA_DEPENDENT_SHAPES:
            self.unsafe = f"{op}'s output shape depends on the values of its inputs"
            return
        in_slots = tuple(self.slot_of(t) for t in inputs)
        self.events.append(("kernel", op, device, in_slots, dict(attrs), tuple(self._new(t) for t in outputs), None))

    def value_read(self, array):
        if self.unsafe is None and (array is None or self.is_dynamic(array)):
            self.unsafe = ("it reads the value of a tensor computed from its inputs into Python (bool(), int(), "
                           "float(), .numpy() or an op argument), so a replay could take another branch")

    def variable_created(self, variable):
        if not self._allow_creation:
            raise ValueError("tf.function only supports singleton tf.Variables created on the first call. Make sure "
                             "the tf.Variable is only created once or created outside tf.function. See "
                             "https://www.tensorflow.org/guide/function#creating_tfvariables for more information.")
        self.created.append(variable)

    def output_slot(self, value):
        """The slot of an output tensor (variables are read: TF returns their value)."""
        if type(value) in _ex._readable:
            value = value._ef_read()
        return self.slot_of(value)


class Plan:
    """A recording compiled for replay: `plan(arrays)` runs it on the argument arrays and returns the
    output arrays (see the module docstring)."""

    def __init__(self, tracer, output_slots):
        self.events = [e for e in _live(tracer.events, output_slots)]
        self.constants = dict(tracer.constants)
        self.dtypes = dict(tracer.dtypes)
        self.devices = dict(tracer.devices)
        self.shapes = dict(tracer.shapes)
        self.arguments = tuple(tracer.arguments)
        self.outputs = tuple(output_slots)
        self.kernels = {i: device.kernels[op] for i, (kind, op, device, *_) in enumerate(self.events)
                        if kind == "kernel"}
        self.calls = {i: call for i in self.kernels if (call := self._specialize(i)) is not None}
        self.quiet = any(call.quiet for call in self.calls.values())
        self.buffered, self.scratch = self._plan_buffers()
        self._local = threading.local()  # each thread replays into buffers of its own
        self._make, self._lines = self._compile()

    def _specialize(self, i):
        """The replay_calls.ReplayCall of kernel event `i` (NumPy devices), or None: the eager kernel."""
        _, op, device, ins, attrs, outs, _ = self.events[i]
        if device.array_type is not np.ndarray:
            return None
        if any(self.dtypes[s]._np is None for s in ins + outs):  # no NumPy dtype of its own (quantized types)
            return None
        meta = [[(tuple(self.shapes[s]), np.dtype(self.dtypes[s]._np)) for s in slots] for slots in (ins, outs)]
        return replay_calls.specialize(op, attrs, *meta)

    # ------------------------------------------------------------------ the memory plan
    def _plan_buffers(self):
        """({slot: buffer index}, {event: [buffer index]}): the kernel results a replay writes into buffers
        reused from call to call (`out=`), and the scratch buffers of the kernels that need some. A result
        qualifies when nothing that leaves the call can alias it: not an output, not given to a host function
        (which might keep it), and not an input of a kernel whose output (a view, maybe) could reach one."""
        may_escape = set(self.outputs)
        for i in reversed(range(len(self.events))):
            kind, op, _, ins, _, outs, _ = self.events[i]
            if kind == "host" or (kind == "kernel" and not self._fresh(i) and any(s in may_escape for s in outs)):
                may_escape.update(ins)
        planned, scratch, shapes = {}, {}, []
        for i, (kind, _op, _device, _ins, _attrs, outs, _) in enumerate(self.events):
            call = self.calls.get(i)
            if kind == "kernel" and call is not None and call.into is not None and not may_escape.intersection(outs):
                for s in outs:
                    planned[s] = len(shapes)
                    shapes.append((tuple(self.shapes[s]), np.dtype(self.dtypes[s]._np)))
                scratch[i] = list(range(len(shapes), len(shapes) + len(call.scratch)))
                shapes.extend(call.scratch)
        self._buffer_layout = shapes
        return planned, scratch

    def _fresh(self, i):
        """Whether kernel event `i` always gives results that share no memory with its inputs."""
        call = self.calls.get(i)
        return self.events[i][1] in FRESH_OUTPUTS or (call is not None and call.into is not None)

    def _thread_buffers(self):
        """This thread's buffers (made on its first replay)."""
        return self._thread_replay()[1]

    def _thread_replay(self):
        """(replay function, buffers) of this thread."""
        made = getattr(self._local, "made", None)
        if made is None:
            buffers = [np.empty(shape, dtype=dtype) for shape, dtype in self._buffer_layout]
            made = self._local.made = (self._make(*buffers), buffers)
        return made

    # ------------------------------------------------------------------ compiling the fast replay
    def _compile(self):
        """The generated `make(*buffers)`, returning a replay function that writes into those buffers (closure
        variables), and {line number: event index} for errors."""
        env = {"_wrap": _ex.wrap, **replay_calls.ENV, "__name__": __name__}  # NumPy's warnings name it: our filter
        lines = ["def make(" + "".join(f"b{j}, " for j in range(len(self._buffer_layout))) + "):",
                 "  def replay(args):"]
        line_event = {}
        if self.arguments:
            lines.append("    " + "".join(f"s{s}, " for s in self.arguments) + "= args")
        for slot, array in self.constants.items():
            env[f"c{slot}"] = array
        last_use = {}
        for i, (_, _, _, ins, _, _, _) in enumerate(self.events):
            for s in ins:
                last_use[s] = i
        for s in self.outputs:
            last_use[s] = len(self.events)

        views = {}  # (operand, view) -> the local name of that view, made at its first use

        def ref(slot):
            if slot in self.constants:
                return f"c{slot}"
            return f"b{self.buffered[slot]}" if slot in self.buffered else f"s{slot}"

        for i, (kind, op, _device, ins, attrs, outs, payload) in enumerate(self.events):
            args = ", ".join(ref(s) for s in ins)
            if kind == "kernel":
                call = self.calls.get(i)
                names = {f"a{j}": ref(s) for j, s in enumerate(ins)}
                if call is not None:
                    env.update(call.env)
                if outs and outs[0] in self.buffered:
                    names.update({f"o{j}": ref(s) for j, s in enumerate(outs)})
                    names.update({f"t{j}": f"b{b}" for j, b in enumerate(self.scratch[i])})
                    made = []
                    source = call.into.format_map(_Operands(names, views, made))
                    lines.append("    " + "".join(f"{name} = {value}; " for name, value in made) + source)
                else:
                    target = ", ".join(f"s{s}" for s in outs)
                    if call is not None and call.fresh is not None:
                        lines.append(f"    {target}, = ({call.fresh.format(**names)},)" if len(outs) > 1 else
                                     f"    {target} = {call.fresh.format(**names)}")
                    else:
                        env[f"k{i}"] = self.kernels[i]
                        if attrs:
                            env[f"a{i}"] = attrs
                        lines.append(f"    {target} = k{i}({args}{', ' if args and attrs else ''}"
                                     f"{'**a%d' % i if attrs else ''})")
            elif kind == "read":
                env[f"v{i}"] = payload._current
                lines.append(f"    s{outs[0]} = v{i}()")
            elif kind == "update":
                env[f"u{i}"] = _updater(op, payload, attrs)
                lines.append(f"    u{i}({args})")
            else:  # host
                env[f"h{i}"] = payload
                env[f"d{i}"] = tuple((self.devices[s], self.dtypes[s]) for s in ins)
                wrapped = ", ".join(f"_wrap({ref(s)}, *d{i}[{j}])" for j, s in enumerate(ins))
                call = f"h{i}({wrapped})"
                if outs:
                    env["_as_tuple"] = _as_tuple
                    call = f"{', '.join(f's{s}' for s in outs)}, = (t._value for t in _as_tuple({call}))"
                lines.append(f"    {call}")
            line_event[len(lines)] = i
            # free a variable's buffer as soon as it is no longer needed: a later update then writes in place
            for s in ins:
                if last_use.get(s) == i and s not in self.constants and self._is_read(s):
                    lines.append(f"    s{s} = None" + "".join(f"; {name} = None" for (operand, _), name in views.items()
                                                           if operand == f"s{s}"))
        lines.append("    return (" + "".join(f"{ref(s)}, " for s in self.outputs) + ")")
        lines.append("  return replay")
        self.source = "\n".join(lines)
        code = compile(self.source, "<ef.function replay>", "exec")
        exec(code, env)  # noqa: S102 - the source is generated above from the recording, nothing else
        return env["make"], line_event

    def captured_variables(self):
        """The variables the recording reads or updates, in first-use order."""
        seen = {}
        for kind, _, _, _, _, _, payload in self.events:
            if kind in ("read", "update"):
                seen.setdefault(id(payload), payload)
        return list(seen.values())

    def _is_read(self, slot):
        return any(kind == "read" and outs[0] == slot for kind, _, _, _, _, outs, _ in self.events)

    # ------------------------------------------------------------------ running
    def run(self, tensors):
        """The outputs for argument tensors `tensors`: arrays from the fast replay, or tensors from a replay
        through `execute` when this thread has tapes, scopes or logging switched on (a tape knows them)."""
        switches, here = _ex._switches, _ex._state
        if switches.active and (switches.globals or here.switched or here.recorders):  # this thread's, only
            return self._run_through_execute(tensors)
        made = getattr(self._local, "made", None)
        replay = (made or self._thread_replay())[0]
        try:
            if self.quiet:  # TF returns inf/nan silently (the eager kernels of these calls say so themselves)
                with np.errstate(all="ignore"):
                    return replay([t._value for t in tensors])
            return replay([t._value for t in tensors])
        except _ex._KERNEL_ERRORS as e:
            event = self._failing_event(sys.exc_info()[2])
            if event is None or event[0] != "kernel":
                raise
            raise _ex._kernel_error(event[1], event[2], (), e) from None

    def _failing_event(self, tb):
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<ef.function replay>":
                i = self._lines.get(tb.tb_lineno)
                return None if i is None else self.events[i]
            tb = tb.tb_next
        return None

    def _run_through_execute(self, tensors):
        """Replay op by op through `execute`, so tapes, placement logs and outer traces see every op
        (the argument tensors themselves go in: a tape may watch them)."""
        values = dict(zip(self.arguments, tensors))
        for s, a in self.constants.items():
            values[s] = _ex.wrap(a, self.devices[s], self.dtypes[s])
        for kind, op, _, ins, attrs, outs, payload in self.events:
            inputs = [values[s] for s in ins]
            if kind == "kernel":
                out = _ex.execute(op, inputs, attrs or None, match=False)
                for s, t in zip(outs, out if type(out) is tuple else (out,)):
                    values[s] = t
            elif kind == "read":
                values[outs[0]] = payload._ef_read()
            elif kind == "update":
                _updater(op, payload, attrs, tensors=True)(*inputs)
            else:  # host
                out = _ex.host_event(op, payload, inputs)
                for s, t in zip(outs, _as_tuple(out) if outs else ()):
                    values[s] = t
        return tuple(values[s] for s in self.outputs)


class _Operands(dict):
    """The names a ReplayCall's source is formatted with; `{a0:reshape((1, 16))}` names a view of operand a0,
    made once (`made` collects the assignments the line must begin with)."""

    def __init__(self, names, views, made):
        super().__init__(names)
        self._views, self._made = views, made

    def __getitem__(self, key):
        return _Operand(dict.__getitem__(self, key), self._views, self._made)


class _Operand(str):
    """An operand's name; formatted with a spec (`reshape((1, 16))`), the name of that view of it."""

    def __format__(self, spec):
        if not spec:
            return str(self)
        key = (str(self), spec)
        name = self._views.get(key)
        if name is None:
            name = self._views[key] = f"w{len(self._views)}"
            self._made.append((name, f"{self}.{spec}"))
        return name

    def __new__(cls, text, views, made):
        operand = super().__new__(cls, text)
        operand._views, operand._made = views, made
        return operand


def _as_tuple(x):
    return x if type(x) is tuple else (x,)


def _live(events, output_slots):
    """The events a replay needs: every effect (variable updates, host and random ops) and the pure kernel
    ops whose outputs something needed consumes; the rest was computed while tracing and is dropped."""
    needed = set(output_slots)
    kept = []
    for event in reversed(events):
        kind, _, _, ins, _, outs, _ = event
        if kind in ("update", "host") or any(s in needed for s in outs):
            kept.append(event)
            needed.update(ins)
    kept.reverse()
    return kept


def _updater(op, variable, attrs, tensors=False):
    """A callable applying update `op` to `variable` with operand arrays (tensors with `tensors=True`)."""
    def as_tensor(x):
        return x if tensors else _ex.wrap(x, variable._device, variable._dtype)

    if op in ("AssignAddVariableOp", "AssignSubVariableOp"):
        if tensors:
            return getattr(variable, "assign_add" if op == "AssignAddVariableOp" else "assign_sub")
        update = variable._update_in_place
        return lambda x: update(op, x, False)
    if op == "AssignVariableOp":
        return lambda x: variable.assign(as_tensor(x), read_value=False)
    if op == "ResourceStridedSliceAssign":
        key, how = attrs["key"], attrs.get("how", "assign")
        return lambda x: variable._assign_slice(key, as_tensor(x), how)
    return lambda idx, upd: variable._scatter(op, _ex.wrap(idx, variable._device) if not tensors else idx,
                                             as_tensor(upd))
