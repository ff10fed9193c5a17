"""`ef.distribute.cluster_resolver`: where a cluster's tasks are, as `tf.distribute.cluster_resolver`.

`RayClusterResolver` is eagerflow's own: its tasks are Ray actors (started by it), on a local Ray it starts
itself when given no address, or on an existing Ray cluster (`address="auto"`, `"ray://host:10001"`).
`SimpleClusterResolver` and `ClusterSpec` describe a cluster as TF's do.
"""

import logging
import uuid

__all__ = ["ClusterSpec", "ClusterResolver", "SimpleClusterResolver", "RayClusterResolver"]


class ClusterSpec:
    """The jobs of a cluster and their tasks' addresses, as `tf.train.ClusterSpec`.

    >>> spec = ClusterSpec({"worker": ["a:1", "b:2"], "ps": ["c:3"]})
    >>> spec.jobs, spec.num_tasks("worker"), spec.task_address("ps", 0)
    (['worker', 'ps'], 2, 'c:3')
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            cluster = cluster.as_dict()
        if not isinstance(cluster, dict):
            raise TypeError(f"`cluster` must be a dictionary mapping one or more job names to lists of network "
                            f"addresses, or a ClusterSpec; got {type(cluster).__name__}.")
        self._jobs = {}
        for job, tasks in cluster.items():
            if isinstance(tasks, (list, tuple)):
                tasks = dict(enumerate(tasks))
            elif not isinstance(tasks, dict):
                raise TypeError(f"The tasks for job {job!r} must be a list or a dictionary from integers to "
                                f"addresses; got {type(tasks).__name__}.")
            self._jobs[job] = {int(i): str(a) for i, a in tasks.items()}

    @property
    def jobs(self):
        return list(self._jobs)

    def as_dict(self):
        """{job: [addresses]} (or {job: {index: address}} where the indices have gaps), as TF."""
        out = {}
        for job, tasks in self._jobs.items():
            out[job] = [tasks[i] for i in sorted(tasks)] if sorted(tasks) == list(range(len(tasks))) else dict(tasks)
        return out

    def num_tasks(self, job_name):
        return len(self._job(job_name))

    def task_indices(self, job_name):
        return sorted(self._job(job_name))

    def task_address(self, job_name, task_index):
        tasks = self._job(job_name)
        if task_index not in tasks:
            raise ValueError(f"No task with index {task_index} in job {job_name!r}.")
        return tasks[task_index]

    def job_tasks(self, job_name):
        tasks = self._job(job_name)
        return [tasks.get(i) for i in range(max(tasks) + 1)] if tasks else []

    def _job(self, job_name):
        if job_name not in self._jobs:
            raise ValueError(f"No such job in cluster: {job_name!r}. Its jobs are {self.jobs}.")
        return self._jobs[job_name]

    def __bool__(self):
        return bool(self._jobs)

    def __eq__(self, other):
        return isinstance(other, ClusterSpec) and self.as_dict() == other.as_dict()

    def __repr__(self):
        return f"ClusterSpec({dict(sorted(self.as_dict().items()))!r})"


class ClusterResolver:
    """The base of the resolvers, as `tf.distribute.cluster_resolver.ClusterResolver`."""

    task_type = None
    task_id = None
    rpc_layer = None

    def cluster_spec(self):
        raise NotImplementedError

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        return ""

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        return {}

    @property
    def environment(self):
        return ""


class SimpleClusterResolver(ClusterResolver):
    """A resolver around a given ClusterSpec, as TF's."""

    def __init__(self, cluster_spec, master="", task_type=None, task_id=None, environment="", num_accelerators=None,
                 rpc_layer=None):
        if not isinstance(cluster_spec, ClusterSpec):
            raise TypeError("cluster_spec must be a `ef.distribute.cluster_resolver.ClusterSpec`.")
        self._spec, self._master, self._environment = cluster_spec, master, environment
        self._accelerators = num_accelerators or {}
        self.task_type, self.task_id, self.rpc_layer = task_type, task_id, rpc_layer

    def cluster_spec(self):
        return self._spec

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        if task_type is not None and task_id is not None:
            address = self._spec.task_address(task_type, task_id)
        else:
            address = self._master
        layer = rpc_layer or self.rpc_layer
        return f"{layer}://{address}" if layer and address else address

    def num_accelerators(self, task_type=None, task_id=None, config_proto=None):
        return dict(self._accelerators)

    @property
    def environment(self):
        return self._environment


class RayClusterResolver(ClusterResolver):
    """A cluster of Ray actors: `num_ps` parameter servers (`/job:ps/replica:0/task:i`) and `num_workers`
    workers (`/job:worker/replica:0/task:i`), each a process running eagerflow; this process is the chief
    (the coordinator).

    `address=None`: this process's Ray when it is already initialized, else a local one started here
    (`num_cpus` CPUs, default 2; no dashboard). `address="auto"` or `"ray://host:port"`: join that cluster
    (the tasks then run where Ray schedules them; eagerflow must be installed there). The actors start on
    first use (`cluster_spec()`, or the strategy built on the resolver) and stop with `shutdown()`.
    """

    def __init__(self, num_workers=2, num_ps=1, address=None, num_cpus=None):
        for arg, value in (("num_workers", num_workers), ("num_ps", num_ps)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"RayClusterResolver needs {arg} >= 1 (an int); got {value!r}.")
        if address is not None and not isinstance(address, str):
            raise TypeError(f"address must be None (a local Ray), 'auto' or 'ray://host:port'; got {address!r}.")
        if num_cpus is not None and address is not None:
            raise ValueError("num_cpus sizes a local Ray only: give it without an address (a joined cluster has "
                             "its own CPUs).")
        self.num_workers, self.num_ps, self.address = num_workers, num_ps, address
        self._num_cpus = num_cpus
        self.task_type, self.task_id, self.rpc_layer = "chief", 0, "ray"
        self._namespace = f"eagerflow-{uuid.uuid4().hex[:12]}"
        self._started_ray = False
        self._ps = []        # [(task name, actor)]
        self._workers = []   # [(task name, actor)]
        self._devices = []   # the RemoteDevices registered in this process for the ps tasks

    # ------------------------------------------------------------------ the actors
    def _start(self):
        if self._ps:
            return
        from eagerflow.distribute import ray_tasks
        ray = ray_tasks.ray()
        if not ray.is_initialized():
            if self.address is None:
                ray.init(num_cpus=self._num_cpus or 2, include_dashboard=False, logging_level=logging.WARNING,
                         log_to_driver=False, configure_logging=False)
                self._started_ray = True
            else:
                ray.init(address=self.address, logging_level=logging.WARNING, log_to_driver=False)
        ps_actor = ray.remote(num_cpus=0, max_restarts=0)(ray_tasks.ParameterServer)
        self._ps = [(f"/job:ps/replica:0/task:{i}",
                     ps_actor.options(name=f"/job:ps/replica:0/task:{i}", namespace=self._namespace)
                     .remote(f"/job:ps/replica:0/task:{i}")) for i in range(self.num_ps)]
        self._transports = [(f"{task}/device:CPU:0", ray_tasks.RayTransport(task, actor)) for task, actor in self._ps]
        self._workers = [(f"/job:worker/replica:0/task:{i}", self._worker_actor(i)) for i in range(self.num_workers)]
        ray.get([actor.ready.remote() for _, actor in self._ps + self._workers])

    def _worker_actor(self, index):
        from eagerflow.distribute import ray_tasks
        ray = ray_tasks.ray()
        worker = ray.remote(num_cpus=0, max_restarts=0)(ray_tasks.Worker)
        name = f"/job:worker/replica:0/task:{index}"
        return worker.options(name=name, namespace=self._namespace).remote(index, self._transports)

    def _replace_worker(self, index):
        """A new actor for worker task `index`, whose actor died (started, under the same name)."""
        import time

        from eagerflow.distribute import ray_tasks
        ray = ray_tasks.ray()
        if not self._ps:
            raise RuntimeError(f"{self!r} was shut down.")
        for attempt in range(50):  # the dead actor's name is released shortly after its death
            try:
                actor = self._worker_actor(index)
                break
            except ValueError:
                if attempt == 49:
                    raise
                time.sleep(0.1)
        ray.get(actor.ready.remote())
        self._workers[index] = (self._workers[index][0], actor)
        return actor

    def cluster_spec(self):
        """{'ps': [...], 'worker': [...]}: the tasks as Ray actors (`ray://<namespace>/<actor name>`)."""
        self._start()
        return ClusterSpec({job: [f"ray://{self._namespace}{task}" for task, _ in tasks]
                            for job, tasks in (("ps", self._ps), ("worker", self._workers))})

    def master(self, task_type=None, task_id=None, rpc_layer=None):
        if task_type is None:
            return ""
        return self.cluster_spec().task_address(task_type, task_id or 0)

    def actor(self, task_type, task_id):
        """The Ray actor running task `task_type`:`task_id` ('ps' or 'worker')."""
        self._start()
        tasks = {"ps": self._ps, "worker": self._workers}.get(task_type)
        if tasks is None or not 0 <= task_id < len(tasks):
            raise ValueError(f"No task {task_type!r}:{task_id}; the cluster has {self.num_ps} ps and "
                             f"{self.num_workers} worker tasks.")
        return tasks[task_id][1]

    def shutdown(self):
        """Stop the actors (and the local Ray this resolver started)."""
        from eagerflow.distribute import ray_tasks
        ray = ray_tasks.ray()
        for _, actor in self._ps + self._workers:
            try:
                ray.kill(actor)
            except Exception:  # already gone
                pass
        self._ps, self._workers = [], []
        from eagerflow.device import registry
        for device in self._devices:
            registry.remove_remote_device(device)
        self._devices = []
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def __repr__(self):
        return (f"RayClusterResolver(num_workers={self.num_workers}, num_ps={self.num_ps}, "
                f"address={self.address!r})")
