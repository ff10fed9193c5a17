"""MirroredStrategy on two logical CPUs, and ParameterServerStrategy on a local Ray, against one device.

    python benchmarks/bench_distribute.py [--steps 50] [--rounds 7] [--tier mirrored|ps|both]

PS part (`--tier ps`; needs Ray): the same MLP step scheduled on 2 workers (1 parameter server) beside
single-process eager, the time of one scheduled step that pulls, updates and pushes one variable, and the
round trip of one variable update from the coordinator, and the CPU that all the cluster's processes
(this one, the raylet, the actors) spend per step, which the machine's load changes less than the times.
Goal (issue 13): PS step overhead <= 3 ms per step per worker.
Where the overhead step goes: eagerflow's own work is small (pickling the function 0.04 ms, the worker's
part 0.04 ms, the server's 0.003 ms); the rest is Ray, whose actor call costs about 1.5 ms of CPU across
the two processes (0.24 ms of the caller's just to submit; 0.7 ms round trip on an idle machine), and on
2 cores the step is CPU-bound. Each step needs one exchange with the parameter server (the previous
step's updates, then this one's values: a function reads at its start what its worker pushed before);
the coordinator costs no more than a share of a call, as it hands a worker up to 8 functions per call
and keeps the next call waiting in the worker's queue. Before that design a step was two chained calls
from the coordinator (server, then worker) and 3.6-4.9 ms of CPU (5.2-10.3 ms per step per worker at
load 5-8); now 2.0-3.2 ms of CPU (2.6-4.1 ms per step per worker at the same loads).

The MLP step of bench_mlp.py (784-256-10, global batch 128, SGD). Under MirroredStrategy each replica
takes 64 rows on its logical CPU, the gradients are summed across the devices (real copies), and
every component is updated. Goal (issue 13): >= 0.8x the single-device steps/s (the CPU has 2 cores).
The two are timed in alternating rounds and the ratio is the median of the rounds' ratios, so a change
in the machine's load hits both; the load average is printed beside them. On a 2-core machine shared
with other processes, OpenBLAS's threads (two per matmul, spinning while they wait) oversubscribe the
cores and both columns slow down many times over: compare runs only at the same load, or with
OPENBLAS_NUM_THREADS=1. Run in a fresh interpreter: logical devices are configured before the first op.
Where the time goes (instructions per step under valgrind with OPENBLAS_NUM_THREADS=1, which the load does
not change): one device 18.6M (OpenBLAS 13.9M, interpreter 1.4M), one replica's 64-row step 11.4M, the
mirrored step 26.1M: OpenBLAS 14.3M, the interpreter 4.05M (1.3M over two replicas' steps: run, merge_call,
the fused reduction, per-component updates), memcpy/memset 5.5M (the reduction's two 0.8 MB copies, which
valgrind counts per byte). In time (best of 5 alternating rounds, load 3.0): one device 1.81 ms, a replica's
step 1.21 ms of which its five products 0.51 ms and the GIL-held rest 0.69 ms, the mirrored step 3.33 ms
(0.54x), 0.91 ms over two replicas' steps one after the other. Since only the products release the GIL,
even with a free second core the step takes at least 2 x 0.69 ms + the strategy's 0.91 ms: a bound of
0.79x; without one (the usual load here), 2 x 1.21 + 0.91 ms: 0.54x, what is measured. 0.8x needs a free
core and the strategy's own GIL-held time below the products' saving. With the library's default threads
each replica's products use threads // replicas while they run (two replicas x two OpenBLAS threads on two
cores ran 59 ms a step at load 3.7; 6.4 ms now); the one-device column keeps both threads.
"""

import argparse
import os
import statistics
import threading
import time

import numpy as np

import eagerflow as ef

cpu = ef.config.list_physical_devices("CPU")[0]
ef.config.set_logical_device_configuration(cpu, [ef.config.LogicalDeviceConfiguration()] * 2)

BATCH, IN, HID, OUT = 128, 784, 256, 10


def model_and_optimizer():
    model = ef.keras.Sequential([ef.keras.layers.Dense(HID, activation="relu"), ef.keras.layers.Dense(OUT)])
    model.build((None, IN))
    return model, ef.keras.optimizers.SGD(0.01)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--tier", choices=["mirrored", "ps", "both"], default="both")
    args = parser.parse_args()
    if args.tier in ("mirrored", "both"):
        mirrored(args)
    if args.tier in ("ps", "both"):
        parameter_servers(args)


def mirrored(args):
    rng = np.random.default_rng(0)
    x = ef.constant(rng.standard_normal((BATCH, IN)).astype(np.float32))
    y = ef.constant(rng.integers(0, OUT, size=BATCH).astype(np.int32))

    single = make_step(*model_and_optimizer())
    strategy = ef.distribute.MirroredStrategy(["CPU:0", "CPU:1"])
    with strategy.scope():
        mirrored_step = make_step(*model_and_optimizer())
    per_replica = next(iter(strategy.experimental_distribute_dataset([(x, y)])))

    runs = {"one": lambda: single(x, y), "two": lambda: strategy.run(mirrored_step, args=per_replica)}
    for fn in runs.values():
        for _ in range(10):
            fn()
    rates = {name: [] for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            start = time.perf_counter()
            for _ in range(args.steps):
                fn()
            rates[name].append(args.steps / (time.perf_counter() - start))
    ratio = statistics.median(t / o for o, t in zip(rates["one"], rates["two"]))
    free = numpy_thread_speedup(x.numpy()[: BATCH // 2], rng.standard_normal((IN, HID)).astype(np.float32))
    one, two = statistics.median(rates["one"]), statistics.median(rates["two"])
    print(f"MLP {IN}-{HID}-{OUT}, global batch {BATCH}, SGD; {args.rounds} alternating rounds of {args.steps} steps, "
          f"medians; load average {os.getloadavg()[0]:.1f}")
    print(f"  one device                       {one:8.1f} steps/s")
    print(f"  MirroredStrategy, 2 logical CPUs {two:8.1f} steps/s   {ratio:.2f}x  (goal >= 0.8x)")
    print(f"  anchor: a replica's first matmul in two NumPy threads at once {free:.2f}x one thread doing both "
          f"(about 2x with a free core and OPENBLAS_NUM_THREADS=1; below 1x when BLAS threads oversubscribe)")


def numpy_thread_speedup(a, b, calls=200):
    """How much faster two threads run 2 x `calls` products a @ b than one thread: what the machine's load
    leaves of its second core for the replicas (NumPy releases the GIL inside the product)."""
    def work():
        for _ in range(calls):
            np.dot(a, b)
    best_one = best_two = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        work()
        work()
        best_one = min(best_one, time.perf_counter() - start)
        threads = [threading.Thread(target=work) for _ in range(2)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        best_two = min(best_two, time.perf_counter() - start)
    return best_one / best_two


def cluster_cpu_seconds():
    """CPU seconds (user + system) used so far by this process and its descendants (the local Ray's
    processes: its raylet and the actors), from /proc; None where there is no /proc."""
    if not os.path.isdir("/proc/self"):
        return None
    tick, parents, cpu = os.sysconf("SC_CLK_TCK"), {}, {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rfind(")") + 2:].split()  # the name, in parentheses, may hold spaces
        parents[int(entry)], cpu[int(entry)] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
    total, me = 0.0, os.getpid()
    for pid in cpu:
        p = pid
        while p and p != me:
            p = parents.get(p)
        total += cpu[pid] if p == me else 0.0
    return total


def parameter_servers(args):
    """PS training (2 workers, 1 PS on a local Ray) beside single-process eager, and one PS round trip."""
    import logging

    import ray

    steps = args.steps
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING, log_to_driver=False,
             configure_logging=False)
    resolver = ef.distribute.cluster_resolver.RayClusterResolver(num_workers=2, num_ps=1)
    strategy = ef.distribute.ParameterServerStrategy(resolver)
    coordinator = ef.distribute.coordinator.ClusterCoordinator(strategy)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, IN)).astype(np.float32)
    y = rng.integers(0, OUT, size=BATCH).astype(np.int32)
    single = make_step(*model_and_optimizer())
    xt, yt = ef.constant(x), ef.constant(y)
    with strategy.scope():
        ps_model, ps_optimizer = model_and_optimizer()
        ps_optimizer.build(ps_model.trainable_variables)
        counter = ef.Variable(0.0)
    ps_step = make_step(ps_model, ps_optimizer)

    def worker_fn():
        return ps_step(ef.constant(x), ef.constant(y))

    def touch():  # the smallest step: one variable pulled, updated, pushed
        counter.assign_add(1.0)

    cpu = {"mlp": [], "touch": []}

    def scheduled(fn, n, name=None):
        start, used = time.perf_counter(), cluster_cpu_seconds()
        for _ in range(n):
            coordinator.schedule(fn)
        coordinator.join()
        rate = n / (time.perf_counter() - start)
        if name and used is not None:
            cpu[name].append((cluster_cpu_seconds() - used) / n)
        return rate

    def local(fn, n):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return n / (time.perf_counter() - start)

    scheduled(worker_fn, 10)
    ones, pss, empties, updates = [], [], [], []
    loads = []
    for _ in range(args.rounds):  # alternating rounds, medians: the machine's load drifts
        ones.append(local(lambda: single(xt, yt), steps))
        pss.append(scheduled(worker_fn, steps, "mlp"))
        empties.append(scheduled(touch, steps, "touch"))
        updates.append(local(lambda: counter.assign_add(1.0, read_value=False), steps))
        loads.append(os.getloadavg()[0])
    one, ps, empty, update = (statistics.median(r) for r in (ones, pss, empties, updates))
    print(f"load average {statistics.median(loads):.1f} (median of the rounds')")
    print(f"MLP {IN}-{HID}-{OUT}, batch {BATCH} per step, SGD; ParameterServerStrategy, local Ray (2 workers, 1 PS); "
          f"{args.rounds} alternating rounds of {steps} steps, medians")
    print(f"  single-process eager             {one:8.1f} steps/s   {1e3 / one:6.2f} ms/step")
    print(f"  PS, 2 workers (asynchronous)     {ps:8.1f} steps/s   {1e3 / ps:6.2f} ms/step (2 in flight)")
    print(f"  PS step overhead (1 variable pulled, updated, pushed; schedule -> result) "
          f"{2e3 / empty:.2f} ms per step per worker ({empty:.0f} steps/s over 2 workers; goal <= 3 ms)")
    print(f"  one PS variable update from the coordinator (assign_add round trip) {1e3 / update:.2f} ms")
    if cpu["touch"]:
        print(f"  CPU of all the cluster's processes per step (the load changes it less than the times): "
              f"MLP {statistics.median(cpu['mlp']) * 1e3:.1f} ms, the overhead step "
              f"{statistics.median(cpu['touch']) * 1e3:.2f} ms")
    resolver.shutdown()
    ray.shutdown()


def make_step(model, optimizer):
    """One training step of `model` (the same under one device, MirroredStrategy and a PS worker)."""
    def step(xb, yb):
        with ef.GradientTape() as tape:
            logits = model(xb)
            loss = ef.reduce_sum(ef.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits)) / BATCH
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    return step


if __name__ == "__main__":
    main()
