"""`CheckpointOptions`, as `tf.train.CheckpointOptions`: every field does what it does in TF, or is refused.

- `experimental_io_device`: the device whose host reads and writes the files. eagerflow's files are
  always written by this process through the CPU, which is what TF does for any device of the local
  task; a device string of another job or task is `InvalidArgumentError` (TF: "unknown device"), a
  malformed one `ValueError`.
- `enable_async` (or `experimental_enable_async_checkpoint`): `write`/`save` take a consistent snapshot of
  the values and return at once; a background thread writes the files (then the state file, then the
  callbacks). `Checkpoint.sync()` waits for it and raises what it raised; the next save or restore
  through the same checkpoint waits first, as does the interpreter's exit.
- `experimental_write_callbacks`: callables run after each write, with the checkpoint path when they
  take one argument, with none when they take none (any other count is `AssertionError`, as TF).
- `experimental_skip_slot_variables`: a restore leaves optimizer slot variables as they are.
- `experimental_sharding_callback`: refused (`ValueError`, as TF for what is not a `ShardingCallback`:
  eagerflow has none; it writes one data file).

>>> import eagerflow as ef, tempfile, os
>>> seen = []
>>> callback = lambda path: seen.append(os.path.basename(path))
>>> options = ef.train.CheckpointOptions(experimental_write_callbacks=[callback])
>>> _ = ef.train.Checkpoint(v=ef.Variable(1.0)).write(os.path.join(tempfile.mkdtemp(), "ck"), options=options)
>>> seen
['ck']
"""

import inspect

from eagerflow import errors

__all__ = ["CheckpointOptions", "as_options", "run_write_callbacks"]


class CheckpointOptions:
    """Options for `Checkpoint.write/save/read/restore` and `CheckpointManager.save` (see the module).

    >>> o = ef.train.CheckpointOptions(enable_async=True)
    >>> o.enable_async, o.experimental_enable_async_checkpoint, o.experimental_io_device
    (True, True, None)
    """

    __slots__ = ("experimental_io_device", "enable_async", "experimental_write_callbacks",
                 "experimental_skip_slot_variables", "experimental_sharding_callback")

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False, experimental_skip_slot_variables=False,
                 experimental_sharding_callback=None):
        if experimental_sharding_callback is not None:   # ValueError as TF's for what is not its ShardingCallback
            raise ValueError(
                f"CheckpointOptions(experimental_sharding_callback={experimental_sharding_callback!r}): eagerflow "
                "has no sharding callbacks; it writes every checkpoint as one data file. Leave the option at None.")
        self.experimental_io_device = experimental_io_device
        self.enable_async = bool(experimental_enable_async_checkpoint or enable_async)
        self.experimental_write_callbacks = (None if experimental_write_callbacks is None
                                             else list(experimental_write_callbacks))
        self.experimental_skip_slot_variables = bool(experimental_skip_slot_variables)
        self.experimental_sharding_callback = None

    @property
    def experimental_enable_async_checkpoint(self):
        return self.enable_async


def _check_io_device(device):
    from eagerflow.device.spec import DeviceSpec

    spec = DeviceSpec.from_string(device)   # ValueError for a malformed string, as TF
    if spec.job not in (None, "localhost") or spec.replica not in (None, 0) or spec.task not in (None, 0):
        raise errors.InvalidArgumentError(
            None, None, f"CheckpointOptions(experimental_io_device={device!r}): {spec.to_string()} is an unknown "
            "device: checkpoints are read and written by this process (/job:localhost/replica:0/task:0). "
            "Pass a device of this task, e.g. '/job:localhost' or '/cpu:0'.")


def as_options(options, call):
    """`options` checked (a `CheckpointOptions`, or None for the defaults)."""
    if options is None:
        return _DEFAULT
    if not isinstance(options, CheckpointOptions):
        raise TypeError(f"{call}(options=...) takes an ef.train.CheckpointOptions, got {type(options).__name__} "
                        f"{options!r}. Pass ef.train.CheckpointOptions(...) or leave options=None.")
    if options.experimental_io_device is not None:   # checked where it is used, as TF
        _check_io_device(options.experimental_io_device)
    return options


def run_write_callbacks(options, path):
    """Run the options' write callbacks for the checkpoint just written at `path`, as TF."""
    for callback in options.experimental_write_callbacks or ():
        n = len(inspect.signature(callback).parameters)
        if n == 0:
            callback()
        elif n == 1:
            callback(path)
        else:
            raise AssertionError(f"Callback functions for checkpoint are required to have 0 or 1 parameters, but "
                                 f"{callback!r} has {n} parameters. Take the checkpoint path or nothing.")


_DEFAULT = CheckpointOptions()
