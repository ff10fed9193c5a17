"""`ef.test.experimental`: as `tf.test.experimental`."""

from eagerflow.device import registry
from eagerflow.framework import recording

__all__ = ["sync_devices"]


def sync_devices():
    """Wait until every device has finished the work queued on it, for timing: GPU kernels run
    asynchronously on their stream (CPU ops are done when they return). Only in eager code, as TF.

    >>> ef.test.experimental.sync_devices()
    """
    if recording.tracing():
        raise RuntimeError("sync_devices() must only be called in Eager mode, outside tf.functions: call it around "
                           "the ef.function call instead.")
    for device in registry.devices():
        synchronize = getattr(device.backend, "synchronize", None)
        if synchronize is not None:
            synchronize()
