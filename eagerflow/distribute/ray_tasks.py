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

    def update(self, key, method, args, kwargs):
        """One update from the coordinator: ('ok', its result: None, or a tensor's host array), ('variable',
        None) where it returns the variable (an unread read of it), or ('error', the exception, which changed
        nothing)."""
        from eagerflow.framework.tensor import Tensor
        from eagerflow.variables import Variable, _UnreadVariable
        try:
            result = getattr(self._variables[key], method)(*args, **kwargs)
        except Exception as e:  # returned, not raised: the caller re-raises the same class
            return "error", e
        if isinstance(result, (Variable, _UnreadVariable)):
            return "variable", None
        return "ok", np.asarray(result.numpy()) if isinstance(result, Tensor) else None

    def step(self, updates, keys):
        """A worker's step as the coordinator relays it: the last step's `updates` (or None), then the values
        of `keys` for the next one. Returns (the updates' failure or None, the values): two Ray objects, so
        that the values go to the worker and the outcome to the coordinator."""
        return (self.apply(updates) if updates else None), self.pull(keys)

    def drop(self, keys):
        for k in keys:
            self._variables.pop(k, None)


class Worker:
    """A worker task: runs the functions a ClusterCoordinator schedules, given the values of the variables
    they use (pulled by the coordinator) and returning their updates (pushed by the coordinator)."""

    def __init__(self, index, ps_tasks):
        import eagerflow  # noqa: F401
        from eagerflow.device import registry
        from eagerflow.device.remote import RemoteDevice
        self._index = index
        self._ps_names = [name for name, _ in ps_tasks]
        for name, transport in ps_tasks:
            if registry.get_device(name) is None:
                registry.register_remote_device(RemoteDevice(name, transport))
        self._resources = {}

    def ready(self):
        return self._index

    def run(self, payload, keys, *values):
        """Run a scheduled function: `keys[i]` are the variables whose values `values[i]` (a list of arrays)
        came from one parameter server. Returns 1 + (number of parameter servers) Ray objects: the outcome,
        ('ok', result as NumPy, indices of the servers updated) or ('error' | 'unavailable', exception, ()),
        then each server's updates [(key, method, args)], in order."""
        import cloudpickle

        from eagerflow.distribute import coordinator, ps_values
        nothing = [[] for _ in self._ps_names]
        with ps_values.worker_step() as step, coordinator._on_worker(self._index, self._resources):
            try:
                fn, args, kwargs = cloudpickle.loads(payload)
                for ks, arrays in zip(keys, values):
                    step.receive(ks, arrays)
                result = coordinator._to_host(fn(*args, **kwargs))
            except errors.UnavailableError as e:
                return ("unavailable", e, ()), *nothing
            except Exception as e:  # the function's own error travels to RemoteValue.fetch()
                try:
                    cloudpickle.dumps(e)
                except Exception:
                    e = RuntimeError(f"{type(e).__name__}: {e}")
                return ("error", e, ()), *nothing
            updates = [step.pending.get(name, []) for name in self._ps_names]
            return ("ok", result, tuple(i for i, u in enumerate(updates) if u)), *updates

    def create_resource(self, rid, payload):
        """Build a per-worker resource (a dataset, or an iterator over one) from its pickled maker."""
        import cloudpickle

        from eagerflow.distribute import coordinator
        with coordinator._on_worker(self._index, self._resources):
            make = cloudpickle.loads(payload)
            self._resources[rid] = make()
        return rid
