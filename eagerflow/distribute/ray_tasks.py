"""The tasks of a Ray cluster: parameter servers and workers as Ray actors, each running eagerflow.

Imported only by the distributed tier (`RayClusterResolver`, `ParameterServerStrategy`,
`ClusterCoordinator`): `import eagerflow` never imports Ray.
"""

import numpy as np

from eagerflow import errors

INSTALL = "pip install 'eagerflow[distributed]'"


def ray():
    """The `ray` module, or an ImportError that says how to install it."""
    try:
        import ray as _ray
    except ImportError as e:
        raise ImportError(f"eagerflow's distributed tier (ParameterServerStrategy, ClusterCoordinator, "
                          f"RayClusterResolver) runs on Ray, which is not installed: {INSTALL}") from e
    return _ray


def unavailable(task, error):
    return errors.UnavailableError(
        None, None, f"Task {task} is unavailable: its Ray actor died ({type(error).__name__}: "
        f"{str(error).splitlines()[0] if str(error) else ''}). Its variables are lost unless they were "
        f"checkpointed: restart the cluster and restore the latest checkpoint.")


class RayTransport:
    """How a RemoteDevice reaches its task: calls of the task's actor (see eagerflow.device.remote)."""

    def __init__(self, task, actor):
        self.task = task
        self.actor = actor
        self._ray = ray()

    def submit(self, method, *args):
        return getattr(self.actor, method).remote(*args)

    def wait(self, pending):
        try:
            return self._ray.get(pending)
        except self._ray.exceptions.RayActorError as e:
            raise unavailable(self.task, e) from None

    def call(self, method, *args):
        return self.wait(self.submit(method, *args))

    def __reduce__(self):  # an actor handle travels: a worker builds its own transport around it
        return RayTransport, (self.task, self.actor)


class ParameterServer:
    """A parameter-server task: named variables (plain ef.Variables here) and the calls that read and
    update them. Ray runs an actor's calls one at a time, so each batch of updates is atomic."""

    def __init__(self, task):
        import eagerflow  # noqa: F401  (the backends)
        self._task = task
        self._variables = {}

    def ready(self):
        return self._task

    def create(self, key, array, name, dtype_name, shape):
        from eagerflow.distribute.ps_values import exact_name
        from eagerflow.tensor_shape import TensorShape
        from eagerflow.variables import Variable
        self._variables[key] = Variable(array, name=exact_name(name), dtype=dtype_name,
                                        trainable=False, shape=None if shape is None else TensorShape(shape))

    def pull(self, keys):
        return [self._variables[k]._current() for k in keys]  # Ray serializes (copies) the buffers

    def apply(self, updates):
        """Run `updates` ([(key, method, args, kwargs)]) in order; the first failure stops them and is
        returned."""
        for key, method, args, kwargs in updates:
            try:
                getattr(self._variables[key], method)(*args, **kwargs)
            except Exception as e:  # returned, not raised: the caller re-raises the same class
                return e
        return None

    def update(self, key, method, args, kwargs, before=None):
        """One update run here now (from the coordinator, or a worker's count_up_to), after the updates
        `before` (a worker's earlier ones to this server, as `apply`'s): ('ok', its result: None, or a tensor's
        host array), ('variable', None) where it returns the variable (an unread read of it), or ('error', the
        exception: of `before`'s first refused update, or of this one, which changed nothing)."""
        from eagerflow.framework.tensor import Tensor
        from eagerflow.variables import Variable, _UnreadVariable
        try:
            refused = self.apply(before) if before else None
            if refused is not None:
                return "error", refused
            result = getattr(self._variables[key], method)(*args, **kwargs)
        except Exception as e:  # returned, not raised: the caller re-raises the same class
            return "error", e
        if isinstance(result, (Variable, _UnreadVariable)):
            return "variable", None
        return "ok", np.asarray(result.numpy()) if isinstance(result, Tensor) else None

    def step(self, updates, keys):
        """One exchange of a worker's: its previous function's `updates` (or None), then the values of `keys`
        for its next one. Returns (the updates' failure or None, the values), one Ray object."""
        return (self.apply(updates) if updates else None), self.pull(keys)

    def drop(self, keys):
        for k in keys:
            self._variables.pop(k, None)


class Worker:
    """A worker task: runs the functions a ClusterCoordinator schedules, exchanging the values and updates
    of their variables with the parameter servers itself (see `run`)."""

    def __init__(self, index, ps_tasks):
        import eagerflow  # noqa: F401
        from eagerflow.device import registry
        from eagerflow.device.remote import RemoteDevice
        self._index = index
        for name, transport in ps_tasks:
            if registry.get_device(name) is None:
                registry.register_remote_device(RemoteDevice(name, transport))
        self._ps_index = {name: i for i, (name, _) in enumerate(ps_tasks)}
        self._transports = [registry.get_device(name).transport for name, _ in ps_tasks]
        self._held = {}  # {ps index: updates} of the last function run here, pushed by the next exchange
        self._resources = {}
        self._payloads = {}  # payload id -> (pickled function, its pulls), sent once (see coordinator._Shipped)

    def ready(self):
        return self._index

    def run(self, closures, drops, push_last):
        """Run scheduled functions in order, each `(payload id, payload, {ps index: keys of the variables its
        pickle refers to})`, the payload and keys None where this worker was sent them before (kept until
        the coordinator lists their id in `drops`, dropped after this call). Each function is unpickled anew
        from its payload: it runs on fresh objects, as it was when scheduled. Before each function one
        exchange (a call to each parameter server involved, all at once) pushes the previous function's
        updates, then pulls this one's values. The last function's updates are pushed before returning with
        `push_last` (the coordinator has nothing more for this worker now), else held, for the next call's
        first exchange to push.

        Returns (the outcome of the updates held before this call: None or the exception that refused
        them, [[kind, value, held] for each function run]): kind 'ok' (value: its result as NumPy), 'error'
        or 'unavailable' (value: the exception); `held`: its updates are held, their outcome is the next
        call's. A parameter server found gone stops the functions (the list is then shorter)."""
        reports, before = [], None
        holder = "before" if self._held else None  # whose updates are held: "before" this call, or a report

        def pushed(failure):  # the holder's updates went to the parameter servers: their outcome
            nonlocal before
            if holder == "before":
                before = failure
            elif holder is not None:
                reports[holder][2] = False
                if failure is not None:
                    reports[holder][:2] = _failed(failure)

        for payload_id, payload, pulls in closures:
            if payload is not None:
                self._payloads[payload_id] = payload, pulls
        try:
            for payload_id, _, _ in closures:
                if payload_id not in self._payloads:  # calls arrive in order, so this is a bug: said plainly
                    raise errors.InternalError(None, None, f"Worker {self._index} was sent function {payload_id} by "
                                               f"its id alone, but does not hold it.")
                payload, pulls = self._payloads[payload_id]
                failure, values, gone = self._exchange(pulls)
                pushed(failure)
                if gone is not None or isinstance(failure, errors.UnavailableError):
                    if gone is not None:
                        reports.append(["unavailable", gone, False])
                    return before, reports
                reports.append(self._run_one(payload, pulls, values))
                holder = len(reports) - 1 if self._held else None
            if push_last and holder is not None:
                pushed(self._exchange({})[0])
            return before, reports
        finally:
            for payload_id in drops:
                self._payloads.pop(payload_id, None)

    def _exchange(self, pulls):
        """Push the held updates and pull the values of `pulls` ({ps index: keys}): one call to each server
        involved, all started at once. Returns (the held updates' failure or None, {ps index: arrays}, the
        UnavailableError of a server `pulls` needs, or None)."""
        held, self._held = self._held, {}
        calls = [(p, self._transports[p].submit("step", held.get(p), pulls.get(p, [])))
                 for p in sorted(set(held) | set(pulls))]
        failure, values, gone = None, {}, None
        for p, call in calls:
            try:
                refused, values[p] = self._transports[p].wait(call)
            except errors.UnavailableError as e:
                refused = e if p in held else None
                if p in pulls:
                    gone = gone or e
            failure = failure or refused
        return failure, values, gone

    def _run_one(self, payload, pulls, values):
        import cloudpickle

        from eagerflow.distribute import coordinator, ps_values
        with ps_values.worker_step() as step, coordinator._on_worker(self._index, self._resources):
            try:
                fn, args, kwargs = cloudpickle.loads(payload)
                for p, keys in pulls.items():
                    step.receive(keys, values[p])
                result = coordinator._to_host(fn(*args, **kwargs))
            except Exception as e:  # the function's own error travels to RemoteValue.fetch()
                return [*_failed(e), False]
            self._held = {self._ps_index[name]: updates for name, updates in step.pending.items() if updates}
        return ["ok", result, bool(self._held)]

    def create_resource(self, rid, payload):
        """Build a per-worker resource (a dataset, or an iterator over one) from its pickled maker."""
        import cloudpickle

        from eagerflow.distribute import coordinator
        with coordinator._on_worker(self._index, self._resources):
            make = cloudpickle.loads(payload)
            self._resources[rid] = make()
        return rid


def _failed(error):
    """A failed function's (kind, error) for the trip to the coordinator (an error that cannot travel as it is
    goes as a RuntimeError that names it)."""
    import cloudpickle
    if isinstance(error, errors.UnavailableError):
        return "unavailable", error
    try:
        cloudpickle.dumps(error)
    except Exception:
        error = RuntimeError(f"{type(error).__name__}: {error}")
    return "error", error
