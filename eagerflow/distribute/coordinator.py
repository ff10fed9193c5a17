"""`ClusterCoordinator`: schedules functions on the workers of a `ParameterServerStrategy`, as
`tf.distribute.coordinator.ClusterCoordinator`.

`schedule(fn, args, kwargs)` queues the function (shipped with cloudpickle: the variables its closure refers
to travel as handles to their parameter servers) and returns a `RemoteValue` at once; one thread per worker
takes functions from the queue, a few at a time, and has its worker run them (one Ray actor call; the
worker exchanges values and updates with the parameter servers itself, see ray_tasks.Worker.run). A
worker that dies has its functions that had not reported back go to the front of the queue, for another
worker (at least once, as TF: those whose updates it had already pushed are then applied again), and
its slot gets a new actor (with the per-worker datasets made so far), as TF waits for a failed worker to
come back. A parameter server that dies fails the function with `UnavailableError`; then the queued
functions are cancelled and `join()`/`done()`/`fetch()` raise it.
"""

import collections
import contextlib
import functools
import itertools
import threading
import zlib

from eagerflow import errors
from eagerflow.distribute import ps_values, ray_tasks
from eagerflow.framework import nest

__all__ = ["ClusterCoordinator", "RemoteValue", "PerWorkerValues", "PerWorkerValue",
           "experimental_get_current_worker_index"]

_BATCH = 8  # the most functions one call to a worker runs
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
    __slots__ = ("payload_id", "payload", "pulls", "remote_value")

    def __init__(self, payload_id, payload, pulls):
        self.payload_id = payload_id  # the same for every function pickled to the same bytes (see _Payloads)
        self.payload = payload
        self.pulls = pulls    # {parameter-server index: [keys of the variables the function refers to]}
        self.remote_value = RemoteValue()


# one count for the process: the coordinators of two strategies on one cluster share its workers, and a
# worker keeps the payloads of both by id
_payload_ids = itertools.count(1)


class _Payloads:
    """Ids for pickled functions: a function scheduled again that pickles to the same bytes (its code, and
    what it captures as it is now) gets the same id, so a worker that holds those bytes is sent the id alone
    (see _Shipped). The bytes are the test: anything the function refers to that changed since (a rebound
    global, a layer's attribute, an argument) pickles differently and is shipped anew. Variables pickle as
    handles, so their values (read from the parameter servers at each step) never change the bytes."""

    _KEEP, _BYTES = 64, 64 << 20  # payloads remembered: the latest ones, at least the newest

    def __init__(self):
        self._ids = {}  # (length, crc32) -> (payload, id); the bytes compared on a match
        self._bytes = 0
        self._next = 0

    def id_of(self, payload):
        index = (len(payload), zlib.crc32(payload))
        known = self._ids.get(index)
        if known is not None and known[0] == payload:
            return known[1]
        self._next = next(_payload_ids)
        if known is not None:
            self._forget(index)
        self._ids[index] = (payload, self._next)
        self._bytes += len(payload)
        while len(self._ids) > 1 and (len(self._ids) > self._KEEP or self._bytes > self._BYTES):
            self._forget(next(iter(self._ids)))
        return self._next

    def _forget(self, index):
        self._bytes -= len(self._ids.pop(index)[0])


class _Shipped:
    """The payloads a worker holds (it keeps those the coordinator sent it until told to drop them): the
    coordinator's record of them, the latest used kept, up to `_ENTRIES` and `_BYTES` (at least the newest).
    Only the thread serving the worker uses it."""

    _ENTRIES, _BYTES = 4 * _BATCH, 64 << 20  # more than two calls' functions: a call never drops its own

    def __init__(self):
        self._held = collections.OrderedDict()  # payload id -> its size in bytes
        self._bytes = 0

    def clear(self):  # a new actor holds nothing
        self._held.clear()
        self._bytes = 0

    def call_args(self, closures):
        """What one call to the worker carries for `closures`: [(payload id, payload or None, pulls or None)],
        the bytes only for those it does not hold, and the ids it is to drop after the call."""
        items, drops = [], []
        for c in closures:
            if c.payload_id in self._held:
                self._held.move_to_end(c.payload_id)
                items.append((c.payload_id, None, None))
                continue
            items.append((c.payload_id, c.payload, c.pulls))
            if c.payload_id in drops:  # dropped earlier in this call, sent again
                drops.remove(c.payload_id)
            self._held[c.payload_id] = len(c.payload)
            self._bytes += len(c.payload)
            while len(self._held) > 1 and (len(self._held) > self._ENTRIES or self._bytes > self._BYTES):
                old, size = self._held.popitem(last=False)
                self._bytes -= size
                drops.append(old)
        return items, drops


class _Slot:
    """A worker as the coordinator drives it: its actor (replaced when it dies), the per-worker resources
    made on it (replayed on a replacement) and the payloads it holds."""

    def __init__(self, index, actor):
        self.index, self.actor = index, actor
        self.resources = []   # [(resource id, pickled maker)], in the order they were made
        self.shipped = _Shipped()


class ClusterCoordinator:
    """Runs functions on the workers of `strategy` (a ParameterServerStrategy), as TF's.

    A function costs its worker one call to each parameter server involved (all at once, before it
    runs: the worker's previous function's updates, then the values of the variables this one refers
    to); the call that hands the worker its functions carries up to `_BATCH` of them (a share of the
    queue) and returns their results, and the next one already waits in the worker's queue meanwhile. A
    function's RemoteValue is done once its updates are applied.
    """

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
        self._resolver = resolver
        self._ps_index = {f"{task}/device:CPU:0": i for i, (task, _) in enumerate(resolver._ps)}
        self._slots = [_Slot(i, actor) for i, (_, actor) in enumerate(resolver._workers)]
        self._queue = collections.deque()
        self._cv = threading.Condition()
        self._inflight = 0
        self._error = None       # the first failure, raised by join()/done() (then cleared, as TF)
        self._alive = len(self._slots)
        self._resource_ids = 0
        self._payloads = _Payloads()
        self._threads = [threading.Thread(target=self._serve, args=(slot,), daemon=True,
                                          name=f"ef-coordinator-worker-{slot.index}") for slot in self._slots]
        for t in self._threads:
            t.start()

    strategy = property(lambda self: self._strategy)

    # ------------------------------------------------------------------ scheduling
    def schedule(self, fn, args=None, kwargs=None):
        """Queue `fn(*args, **kwargs)` for some worker; returns its RemoteValue at once. As TF, after a
        failure (until `join()` or `done()` raises it) scheduling raises the failure."""
        import cloudpickle
        with ps_values.collecting_handles() as found:  # pickled each time: the bytes tell whether it changed
            payload = cloudpickle.dumps((getattr(fn, "python_function", fn), tuple(args or ()), dict(kwargs or {})))
        pulls = {self._ps_index[device]: list(keys) for device, keys in found.items()}
        with self._cv:
            closure = _Closure(self._payloads.id_of(payload), payload, pulls)
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

    def _serve(self, slot):
        """The thread of one worker: up to two calls in flight to its actor (the second waits in the actor's
        queue, so the worker goes on without a round trip to this process), each running a batch of queued
        functions (see Worker.run)."""
        ray = self._ray
        calls = collections.deque()  # [(closures, their call)] sent to the worker, in order
        held = None  # (closure, result): a function whose updates the worker holds (the next call says how they went)
        while True:
            with self._cv:
                while not self._queue and not calls and held is None:
                    self._cv.wait()
                batches = []
                while self._queue and len(calls) + len(batches) < 2:
                    batches.append(self._take())
                last = not self._queue  # nothing more for this worker now: the updates go before the call returns
            for i, batch in enumerate(batches):
                push_last = last and i == len(batches) - 1
                calls.append((batch, slot.actor.run.remote(*slot.shipped.call_args(batch), push_last)))
            if not calls:  # nothing to run: a call that only pushes the held updates
                calls.append(([], slot.actor.run.remote([], [], True)))
            batch, call = calls[0]
            try:
                before, reports = ray.get(call)
            except ray.exceptions.RayActorError:  # the worker died: its unfinished functions go to the others
                lost = ([held[0]] if held else []) + [c for b, _ in calls for c in b]
                calls.clear()
                held = None
                with self._cv:
                    self._queue.extendleft(reversed(lost))  # at the front, in order (at least once, as TF)
                    self._cv.notify_all()
                slot.actor = self._replace(slot)
                if slot.actor is None:
                    return
                continue
            except Exception as e:  # noqa: BLE001  (Ray's own failure, e.g. a result it cannot deserialize)
                before, reports = e, [["error", e, False]] * len(batch)
                slot.shipped.clear()  # whether the worker kept this call's payloads is unknown: sent again
            calls.popleft()
            with self._cv:
                if held is not None:
                    self._settle(held[0], "ok", held[1]) if before is None else self._settle(held[0], "error", before)
                    held = None
                for closure, (kind, value, holding) in zip(batch, reports):
                    if holding:
                        held = (closure, value)
                    else:
                        self._settle(closure, kind, value)
                if len(reports) < len(batch):  # the rest was not run: a parameter server is gone
                    gone = reports[-1][1] if reports and reports[-1][0] == "unavailable" else before
                    for closure in batch[len(reports):]:
                        self._fail(closure, self._cancelled(gone))
                self._cv.notify_all()

    def _take(self):
        """Under the lock: the next batch of queued functions for a worker, a share of the queue that leaves
        the other workers theirs (one call runs several: fewer Ray calls per function)."""
        n = min(_BATCH, -(-len(self._queue) // (2 * self._alive)))
        return [self._queue.popleft() for _ in range(n)]

    def _settle(self, closure, kind, value):
        """Under the lock: `closure` ran and its updates are applied ('ok', `value` its result), or it failed
        (`value` the error; 'unavailable': a parameter server is gone, which cancels the queue)."""
        if kind == "ok":
            closure.remote_value._set(value)
            self._inflight -= 1
        else:
            self._fail(closure, value, cancel=isinstance(value, errors.UnavailableError))

    def _replace(self, slot):
        """A new actor for the worker `slot` whose actor died, with the per-worker resources made so far
        (None, and the slot dropped, where the cluster cannot start one)."""
        try:
            actor = self._resolver._replace_worker(slot.index)
            made = 0
            while True:
                with self._cv:
                    todo = slot.resources[made:]
                    if not todo:
                        slot.actor = actor  # resources made from now on go to the new actor
                        slot.shipped.clear()
                        return actor
                self._ray.get([actor.create_resource.remote(rid, payload) for rid, payload in todo])
                made += len(todo)
        except Exception:  # noqa: BLE001  (the cluster cannot give this slot a worker: it is dropped)
            with self._cv:
                self._alive -= 1
                if self._alive == 0:
                    for queued in self._queue:
                        self._fail(queued, self._no_workers())
                    self._queue.clear()
                self._cv.notify_all()
            return None

    def _fail(self, closure, error, cancel=False):
        """Under the lock: `closure` failed with `error` (the first failure is kept for join/done); with
        `cancel` (a parameter server is gone) so does every queued function."""
        closure.remote_value._set(error=error)
        self._inflight -= 1
        if self._error is None:
            self._error = error
        if cancel:
            cancelled = self._cancelled(error)
            for queued in self._queue:
                self._fail(queued, cancelled)
            self._queue.clear()

    @staticmethod
    def _cancelled(error):
        return errors.CancelledError(None, None, f"Cancelled: an earlier function failed ({type(error).__name__}: "
                                                 f"{error}).")

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
        """Build a resource on every worker from `make` (or from `makers[i]` on worker i): their ids. A
        worker that dies meanwhile gets it on its replacement (see _replace)."""
        import cloudpickle
        calls = []
        with self._cv:
            for i, slot in enumerate(self._slots):
                self._resource_ids += 1
                rid, payload = self._resource_ids, cloudpickle.dumps(make if makers is None else makers[i])
                slot.resources.append((rid, payload))
                calls.append((rid, slot.actor.create_resource.remote(rid, payload)))
        for _, call in calls:
            try:
                self._ray.get(call)
            except self._ray.exceptions.RayActorError:
                pass  # that worker's replacement makes it before it runs any function
        return [rid for rid, _ in calls]

    def create_per_worker_dataset(self, dataset_fn):
        """One dataset per worker, from `dataset_fn()` (or a given `ef.data.Dataset`), as TF: `iter()` of the
        result is per-worker iterators to pass to scheduled functions."""
        make = dataset_fn if callable(dataset_fn) and not hasattr(dataset_fn, "element_spec") else \
            functools.partial(_given, dataset_fn)
        return _PerWorkerDataset(self, make)
