"""Devices and placement on a CPU-only machine: two logical CPUs, placement logs with reasons,
copies between devices, memory per device, and the guide's GPU example falling back softly.

    python examples/device_placement.py
"""

import logging
import sys

import eagerflow as tf

# Placement lines go through Python's logging; show them on stdout, interleaved with prints.
logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format="  log: %(message)s")

# Split the one physical CPU into two logical devices (before the first op, as in TF).
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration(),
                                                 tf.config.LogicalDeviceConfiguration()])
print("logical devices:")
for d in tf.config.list_logical_devices():
    print("  ", d)

print("\nvariables on CPU:0 and CPU:1, an op across them, logged with reasons:")
with tf.debugging.log_device_placement(explain=True):
    with tf.device("CPU:0"):
        a = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], name="a")
    with tf.device("CPU:1"):
        b = tf.Variable([[1.0, 2.0, 3.0]], name="b")
    with tf.device("CPU:1"):
        k = a * b                      # a is copied to CPU:1
    c = a + b                          # no scope: the default device CPU:0, b is copied
    with tf.device("CPU:1"):
        a.assign_add(tf.ones([2, 3]))  # a variable's own op stays on its device
print("k on", k.device, "=", k.numpy().tolist())
print("c on", c.device, "=", c.numpy().tolist())

print("\ncopies between devices:")
for (src, dst), n in tf.debugging.copy_stats().items():
    print(f"  {src[-5:]} -> {dst[-5:]}: {n['copies']} copies, {n['bytes']} bytes")

print("\nthe guide's example: variables on the CPU, a multiply under device('GPU:0'):")
with tf.debugging.log_device_placement(explain=True):
    with tf.device("GPU:0"):
        g = a * b
print("result on", g.device)

print("\nthe transfer guard:")
with tf.debugging.transfer_guard("disallow"):
    try:
        a + b
    except tf.errors.InvalidArgumentError as e:
        print("  refused:", str(e)[:90], "...")

print("\nmemory per device (bytes held by variables):")
for name in ("CPU:0", "CPU:1"):
    print(f"  {name}: {tf.config.experimental.get_memory_info(name)}")
print(tf.debugging.memory_report())
del b
print("after del b, CPU:1:", tf.config.experimental.get_memory_info("CPU:1"))
