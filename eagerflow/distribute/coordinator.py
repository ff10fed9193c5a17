"""`ClusterCoordinator`: schedules functions on the workers of a `ParameterServerStrategy`, as
`tf.distribute.coordinator.ClusterCoordinator`.

`schedule(fn, args, kwargs)` queues the function (shipped with cloudpickle: the variables its closure refers
to travel as handles to their parameter servers) and returns a `RemoteValue` at once; one thread per worker
takes functions from the queue and runs each on its worker (a Ray actor call). A worker that dies while
running a function is dropped and the function goes back to the front of the queue, for another worker
(at-least-once, as TF). A parameter server that dies fails the function with `UnavailableError`; then the
queued functions are cancelled and `join()`/`done()`/`fetch()` raise it.
"""

import collections
import contextlib
import functools
import threading

from eagerflow import errors
from eagerflow.distribute import ray_tasks
from eagerflow.framework import nest

__all__ = ["ClusterCoordinator", "RemoteValue", "PerWorkerValues", "PerWorkerValue",
           "experimental_get_current_worker_index"]

_worker = threading.local()  # on a worker, while a function runs: its index and per-worker resources


@contextlib.contextmanager
def _on_worker(index, resources):
    _worker.index, _worker.resources = index, resources
    try:
        yield
    finally:
        _worker.index = _worker.resources = None


def experimental_get_current_worker_index():
    """The index of the worker running the current scheduled function (a ValueError elsewhere), as TF."""
    index = getattr(_worker, "index", None)
    if index is None:
        raise ValueError("Must be called within a function scheduled by a ClusterCoordinator (on a worker).")
    return index


def _to_host(value):
    """A function's result as NumPy for the trip back (tensors and variables read once)."""
    def host(x):
        if hasattr(x, "_ef_read"):
            x = x._ef_read()
        return x.numpy() if hasattr(x, "numpy") and hasattr(x, "_value") else x
    return nest.map_structure(host, value)


class RemoteValue:
    """The result of a scheduled function, available once it has run on a worker, as TF's RemoteValue."""

    def __init__(self):
        self._done = threading.Event()
        self._value = None
        self._error = None

    def _set(self, value=None, error=None):
        self._value, self._error = value, error
        self._done.set()

    def fetch(self):
        """Wait for the function; its result as NumPy values (its error, raised, if it failed)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def get(self):
        """Wait for the function; its result as tensors, as TF's `get()`."""
        from eagerflow.framework.execute import convert_to_tensor
        import numpy as np
        return nest.map_structure(
            lambda x: convert_to_tensor(x) if isinstance(x, (np.ndarray, np.generic)) else x, self.fetch())

    def __repr__(self):
        state = "failed" if self._error is not None else "done" if self._done.is_set() else "pending"
        return f"<ef.distribute.coordinator.RemoteValue ({state})>"


class PerWorkerValues:
    """One value per worker (a dataset, an iterator): a scheduled function given it as an argument sees the
    value of the worker it runs on, as TF's."""

    def __init__(self, values):
        self._values = tuple(values)

    def __reduce__(self):
        return _resolve_per_worker, (self._values,)

    def __iter__(self):
        raise TypeError("iter() of per-worker values: call iter() on the per-worker dataset instead.")


PerWorkerValue = PerWorkerValues


class _PerWorkerIterator(PerWorkerValues):
    """`iter(per_worker_dataset)`: one iterator per worker, to pass to scheduled functions (`next()` there)."""

    def __iter__(self):
        return self

    def __next__(self):
        raise TypeError("next() of a per-worker iterator on the coordinator: pass the iterator to "
                        "coordinator.schedule(fn, args=(iterator,)) and call next() inside fn, on the worker.")


def _resolve_per_worker(values):
    index = experimental_get_current_worker_index()
    return _worker.resources[values[index]]


class _PerWorkerDataset:
    """`coordinator.create_per_worker_dataset(...)`: one dataset on each worker; `iter()` gives one
    iterator per worker (PerWorkerValues)."""

    def __init__(self, coordinator, make):
        self._coordinator = coordinator
        self._datasets = coordinator._on_each_worker(make)

    def __iter__(self):
        makers = [functools.partial(_iterate, rid) for rid in self._datasets]
        return _PerWorkerIterator(self._coordinator._on_each_worker(None, makers))

    def __repr__(self):
        return "<ef.distribute.coordinator PerWorkerDataset>"


def _iterate(rid):
    return iter(_worker.resources[rid])


def _given(value):
    return value


class _Closure:
    __slots__ = ("payload", "remote_value")

    def __init__(self, payload):
        self.payload = payload
        self.remote_value = RemoteValue()


class ClusterCoordinator:
    """Runs functions on the workers of `strategy` (a ParameterServerStrategy), as TF's."""

    def __new__(cls, strategy):
        existing = getattr(strategy, "_coordinator", None)  # one per strategy, as TF
        return existing if existing is not None else object.__new__(cls)

    def __init__(self, strategy):
        from eagerflow.distribute.parameter_server import ParameterServerStrategy
        if getattr(self, "_strategy", None) is strategy:
            return
        if not isinstance(strategy, ParameterServerStrategy):
            raise ValueError(f"Only `tf.distribute.experimental.ParameterServerStrategy` is supported to work with "
                             f"`tf.distribute.experimental.coordinator.ClusterCoordinator` currently; got "
                             f"{strategy!r}.")
        self._strategy = strategy
        strategy._coordinator = self
        self._ray = ray_tasks.ray()
        resolver = strategy.cluster_resolver
        self._workers = list(resolver._workers)
        self._queue = collections.deque()
        self._cv = threading.Condition()
        self._inflight = 0
        self._error = None       # the first failure, raised by join()/done() (then cleared, as TF)
        self._alive = len(self._workers)
        self._resource_ids = 0
        self._threads = [threading.Thread(target=self._serve, args=(i, actor), daemon=True,
                                          name=f"ef-coordinator-worker-{i}")
                         for i, (_, actor) in enumerate(self._workers)]
        for t in self._threads:
            t.start()

    strategy = property(lambda self: self._strategy)

    # ------------------------------------------------------------------ scheduling
    def schedule(self, fn, args=None, kwargs=None):
        """Queue `fn(*args, **kwargs)` for some worker; returns its RemoteValue at once. As TF, after a
        failure (until `join()` or `done()` raises it) scheduling raises the failure."""
        import cloudpickle
        payload = cloudpickle.dumps((getattr(fn, "python_function", fn), tuple(args or ()), dict(kwargs or {})))
        closure = _Closure(payload)
        with self._cv:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            if self._alive == 0:
                raise self._no_workers()
            self._queue.append(closure)
            self._inflight += 1
            self._cv.notify()
        return closure.remote_value

    def _no_workers(self):
        return errors.UnavailableError(None, None, "Every worker of the cluster has died: no function can run. "
                                                   "Restart the cluster (and restore the latest checkpoint).")

    def _serve(self, index, actor):
        while True:
            with self._cv:
                while not self._queue:
                    self._cv.wait()
                closure = self._queue.popleft()
            try:
                kind, value = self._ray.get(actor.run.remote(closure.payload))
            except self._ray.exceptions.RayActorError:
                with self._cv:  # this worker is gone: the function goes to another one (at-least-once)
                    self._alive -= 1
                    if self._alive > 0:
                        self._queue.appendleft(closure)
                        self._cv.notify()
                        return
                    self._fail(closure, self._no_workers())
                    for queued in self._queue:
                        self._fail(queued, self._no_workers())
                    self._queue.clear()
                    self._cv.notify_all()
                return
            with self._cv:
                if kind == "ok":
                    closure.remote_value._set(value)
                    self._inflight -= 1
                else:
                    self._fail(closure, value)
                    if kind == "unavailable":  # a parameter server is gone: what is queued cannot run
                        cancelled = errors.CancelledError(
                            None, None, f"Cancelled: an earlier function failed ({type(value).__name__}: {value}).")
                        for queued in self._queue:
                            self._fail(queued, cancelled)
                        self._queue.clear()
                self._cv.notify_all()

    def _fail(self, closure, error):
        """Under the lock: `closure` failed with `error` (the first failure is kept for join/done)."""
        closure.remote_value._set(error=error)
        self._inflight -= 1
        if self._error is None:
            self._error = error

    def join(self):
        """Wait for every scheduled function; raise the first failure (and forget it), as TF."""
        with self._cv:
            while self._inflight:
                self._cv.wait()
            if self._error is not None:
                error, self._error = self._error, None
                raise error

    def done(self):
        """Whether every scheduled function has finished (raising the first failure), as TF."""
        with self._cv:
            if self._error is not None:
                error, self._error = self._error, None
                raise error
            return self._inflight == 0

    def fetch(self, val):
        """The values of RemoteValues anywhere in the structure `val` (waiting for them), as TF."""
        return nest.map_structure(lambda x: x.fetch() if isinstance(x, RemoteValue) else x, val)

    # ------------------------------------------------------------------ per-worker resources
    def _on_each_worker(self, make, makers=None):
        """Build a resource on every worker from `make` (or from `makers[i]` on worker i): their ids."""
        import cloudpickle
        calls = []
        for i, (_, actor) in enumerate(self._workers):
            self._resource_ids += 1
            rid = self._resource_ids
            calls.append(actor.create_resource.remote(rid, cloudpickle.dumps(make if makers is None else makers[i])))
        try:
            return self._ray.get(calls)
        except self._ray.exceptions.RayActorError as e:
            raise ray_tasks.unavailable("a worker", e) from None

    def create_per_worker_dataset(self, dataset_fn):
        """One dataset per worker, from `dataset_fn()` (or a given `ef.data.Dataset`), as TF: `iter()` of the
        result is per-worker iterators to pass to scheduled functions."""
        make = dataset_fn if callable(dataset_fn) and not hasattr(dataset_fn, "element_spec") else \
            functools.partial(_given, dataset_fn)
        return _PerWorkerDataset(self, make)
