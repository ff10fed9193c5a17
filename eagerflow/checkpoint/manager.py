"""`CheckpointManager` and the `checkpoint` state file, as TensorFlow writes and reads them.

The state file is a `CheckpointState` proto in text format, paths relative to the directory, after
a comment line with the crc32c of the rest (TF skips it; eagerflow refuses a file that fails it)::

    # eagerflow-crc32c: 5a1b2c3d
    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_timestamps: 1700000000.5
    last_preserved_timestamp: 1699999990.25

It is written to a temporary file, fsynced and renamed, after the checkpoint it names is complete:
a crash at any point leaves the previous state and checkpoints intact.

>>> import eagerflow as ef, tempfile
>>> d = tempfile.mkdtemp()
>>> m = ef.train.CheckpointManager(ef.train.Checkpoint(w=ef.Variable(1.0)), d, max_to_keep=2)
>>> [os.path.basename(m.save()) for _ in range(3)]
['ckpt-1', 'ckpt-2', 'ckpt-3']
>>> [os.path.basename(p) for p in m.checkpoints], os.path.basename(ef.train.latest_checkpoint(d))
(['ckpt-2', 'ckpt-3'], 'ckpt-3')
"""

import collections
import contextlib
import glob
import os
import re
import time

from eagerflow import errors
from eagerflow.checkpoint.bundle import atomic_replace, bundle_exists, delete_bundle, remove_temporaries
from eagerflow.checkpoint.checksum import crc32c
from eagerflow.checkpoint.options import as_options

__all__ = ["CheckpointManager", "CheckpointState", "get_checkpoint_state", "update_checkpoint_state",
           "latest_checkpoint"]

STATE_FILENAME = "checkpoint"
_CRC_MARK = "# eagerflow-crc32c: "   # first line of the state files eagerflow writes (a comment to TF)
_FIELD = re.compile(r'^\s*(\w+)\s*:\s*(.*?)\s*$')


class CheckpointState(collections.namedtuple(
        "CheckpointState", ["model_checkpoint_path", "all_model_checkpoint_paths",
                            "all_model_checkpoint_timestamps", "last_preserved_timestamp"])):
    """The contents of a `checkpoint` state file (paths as written, usually relative)."""


def _quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(s, path):
    if len(s) < 2 or s[0] not in "\"'" or s[-1] != s[0]:
        raise errors.DataLossError(f"Checkpoint state file '{path}' has a malformed string {s!r}; "
                                   "delete the file or rewrite it with CheckpointManager.save().")
    return bytes(s[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _format_state(state):
    lines = [f"model_checkpoint_path: {_quote(state.model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in state.all_model_checkpoint_paths]
    lines += [f"all_model_checkpoint_timestamps: {t!r}" for t in state.all_model_checkpoint_timestamps]
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {state.last_preserved_timestamp!r}")
    return "\n".join(lines) + "\n"


def _checksum_line(body):
    return f"{_CRC_MARK}{crc32c(body):08x}".encode()


def _verified_text(raw, path):
    """The text of a state file, its checksum verified when it has eagerflow's first line.

    A first line one byte away from that form counts as a damaged checksum line, so that no flip of
    a single byte goes unnoticed; files TF writes have no such line and are read as they are.
    """
    head, _, body = raw.partition(b"\n")
    mark = _CRC_MARK.encode()
    if len(head) == len(mark) + 8 and sum(a != b for a, b in zip(head, mark)) <= 1:
        if head != _checksum_line(body):
            raise errors.DataLossError(
                f"Checkpoint state file '{path}' fails its checksum: it is damaged. Delete it (the checkpoints "
                "stay), or rewrite it with CheckpointManager.save() or ef.train.update_checkpoint_state().")
        raw = body
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise errors.DataLossError(f"Checkpoint state file '{path}' is not UTF-8 text: it is damaged. Delete it "
                                   "or rewrite it with CheckpointManager.save().") from None


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The `CheckpointState` of `checkpoint_dir` (paths made absolute when they were relative), or None.

    A damaged state file raises `DataLossError`.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); print(ef.train.get_checkpoint_state(d))
    None
    >>> ef.train.update_checkpoint_state(d, os.path.join(d, "ckpt-1"))
    >>> os.path.basename(ef.train.get_checkpoint_state(d).model_checkpoint_path)
    'ckpt-1'
    """
    path = os.path.join(os.fspath(checkpoint_dir), latest_filename or STATE_FILENAME)
    try:
        with open(path, "rb") as f:
            text = _verified_text(f.read(), path)
    except FileNotFoundError:
        return None
    model, paths, stamps, preserved = None, [], [], 0.0
    for line in text.split("\n"):   # not splitlines(): a damaged byte may be one of its other separators
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _FIELD.match(line)
        if not m:
            raise errors.DataLossError(f"Checkpoint state file '{path}' has a line TF's text format cannot have: "
                                       f"{line!r}. Delete the file or rewrite it with CheckpointManager.save().")
        name, value = m.groups()
        try:
            if name == "model_checkpoint_path":
                model = _unquote(value, path)
            elif name == "all_model_checkpoint_paths":
                paths.append(_unquote(value, path))
            elif name == "all_model_checkpoint_timestamps":
                stamps.append(float(value))
            elif name == "last_preserved_timestamp":
                preserved = float(value)
        except ValueError:
            raise errors.DataLossError(f"Checkpoint state file '{path}': {name} has the bad value {value!r}.") from None
    if not model:
        raise errors.DataLossError(f"Invalid checkpoint state loaded from '{path}': no model_checkpoint_path. "
                                   "Delete the file, or rewrite it with CheckpointManager.save().")
    d = os.fspath(checkpoint_dir)

    def absolute(p):
        return p if os.path.isabs(p) else os.path.join(d, p)

    return CheckpointState(absolute(model), [absolute(p) for p in paths], stamps, preserved)


def update_checkpoint_state(save_dir, model_checkpoint_path, all_model_checkpoint_paths=None,
                            all_model_checkpoint_timestamps=None, last_preserved_timestamp=None,
                            latest_filename=None):
    """Write the `checkpoint` state file of `save_dir` atomically (relative paths, after a checksum line).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); ef.train.update_checkpoint_state(d, os.path.join(d, "ckpt-1"))
    >>> print(open(os.path.join(d, "checkpoint")).read().splitlines()[1])
    model_checkpoint_path: "ckpt-1"
    """
    save_dir = os.fspath(save_dir)
    paths = list(all_model_checkpoint_paths or [])
    if model_checkpoint_path not in paths:
        paths.append(model_checkpoint_path)

    def relative(p):
        p = os.fspath(p)
        if os.path.dirname(os.path.abspath(p)) == os.path.abspath(save_dir):
            return os.path.basename(p)
        return p

    state = CheckpointState(relative(model_checkpoint_path), [relative(p) for p in paths],
                            list(all_model_checkpoint_timestamps or []), last_preserved_timestamp or 0.0)
    name = latest_filename or STATE_FILENAME
    for leftover in glob.glob(os.path.join(glob.escape(save_dir), f".{glob.escape(name)}.*.tmp")):  # of a killed save
        with contextlib.suppress(FileNotFoundError):
            os.remove(leftover)
    body = _format_state(state).encode("utf-8")
    with atomic_replace(os.path.join(save_dir, name)) as tmp, open(tmp, "wb") as f:
        f.write(_checksum_line(body) + b"\n" + body)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in `checkpoint_dir`, or None (as TF).

    >>> import tempfile; latest_checkpoint(tempfile.mkdtemp()) is None
    True
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is not None and bundle_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


class CheckpointManager:
    """Numbers, rotates and records checkpoints in a directory, as `tf.train.CheckpointManager`.

    `save()` writes `directory/<checkpoint_name>-N` (N: the checkpoint's `save_counter` after it is
    incremented, or `checkpoint_number`), records it in the `checkpoint` state file, then deletes
    the oldest beyond `max_to_keep` (None keeps all), except one every `keep_checkpoint_every_n_hours`.
    A new manager on the same directory picks up the recorded checkpoints.

    >>> import eagerflow as ef, tempfile
    >>> ckpt = ef.train.Checkpoint(step=ef.Variable(0))
    >>> manager = ef.train.CheckpointManager(ckpt, tempfile.mkdtemp(), max_to_keep=3)
    >>> status = ckpt.restore(manager.latest_checkpoint)   # None at first: nothing restored
    >>> os.path.basename(manager.save())
    'ckpt-1'
    """

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None, init_fn=None):
        if directory is None:
            raise ValueError("CheckpointManager needs a directory; pass directory='path/to/ckpts'.")
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"max_to_keep must be a positive integer or None (keep all), got {max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_every = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._interval = checkpoint_interval
        self._last_checkpoint_step = None
        self._init_fn = init_fn
        state = get_checkpoint_state(self._directory) if os.path.isdir(self._directory) else None
        now = time.time()
        self._maybe_delete = collections.OrderedDict()
        if state is None:
            self._latest = None
            self._last_preserved = now - 1.0
        else:
            self._latest = state.model_checkpoint_path
            self._last_preserved = min(state.last_preserved_timestamp, now)
            stamps = state.all_model_checkpoint_timestamps or [self._last_preserved] * len(
                state.all_model_checkpoint_paths)
            for path, stamp in zip(state.all_model_checkpoint_paths, stamps):
                stamp = min(stamp, now)
                if stamp > self._last_preserved:
                    self._maybe_delete[path] = stamp

    directory = property(lambda self: self._directory)
    checkpoint = property(lambda self: self._checkpoint)
    checkpoint_interval = property(lambda self: self._interval)

    @property
    def latest_checkpoint(self):
        """The prefix of the newest checkpoint (None before the first save in an empty directory)."""
        return self._latest

    @property
    def checkpoints(self):
        """The prefixes of the checkpoints kept, oldest first."""
        return list(self._maybe_delete)

    def _record_state(self):
        if self._latest is None:
            return
        paths = list(self._maybe_delete)
        update_checkpoint_state(self._directory, self._latest, paths,
                                [self._maybe_delete[p] for p in paths], self._last_preserved)

    def _sweep(self):
        if not self._max_to_keep:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            if self._keep_every and stamp - self._keep_every * 3600.0 >= self._last_preserved:
                self._last_preserved = stamp
                continue
            delete_bundle(path)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Write a numbered checkpoint, record it, rotate old ones; returns its prefix (or None if skipped)."""
        if self._interval is not None:   # as TF: never twice at one step, even with check_interval=False
            step = int(self._step_counter.numpy()) if hasattr(self._step_counter, "numpy") else int(
                self._step_counter)
            last = self._last_checkpoint_step
            if last is not None and (step == last or (check_interval and step < last + self._interval)):
                return None
            self._last_checkpoint_step = step
        options = as_options(options, "CheckpointManager.save")
        sync = getattr(self._checkpoint, "sync", None)
        if sync is not None:
            sync()   # an asynchronous save before this one is complete (and recorded) first
        os.makedirs(self._directory, exist_ok=True)
        counter = getattr(self._checkpoint, "save_counter", None)
        if counter is not None:
            counter.assign_add(1, read_value=False)
        number = checkpoint_number
        if number is None:
            if counter is None:
                raise ValueError("Pass checkpoint_number: the checkpoint has no save_counter.")
            number = int(counter.numpy())
        elif hasattr(number, "numpy"):
            number = int(number.numpy())
        path = f"{self._prefix}-{int(number)}"
        remove_temporaries(self._prefix, numbered=True)

        def record(written):      # once the files are complete (in the background for an asynchronous save)
            self._maybe_delete.pop(written, None)
            self._maybe_delete[written] = time.time()
            self._latest = written
            self._record_state()     # the new checkpoint is recorded before anything is deleted
            self._sweep()
            self._record_state()

        try:
            if hasattr(self._checkpoint, "_write"):
                path = self._checkpoint._write(path, options, done=record)
            else:
                if options.enable_async or options.experimental_write_callbacks:
                    raise ValueError(f"CheckpointManager.save(options=...) needs an ef.train.Checkpoint for "
                                     f"asynchronous saves and write callbacks; got {type(self._checkpoint).__name__}.")
                path = self._checkpoint.write(path)
                record(path)
        except BaseException:
            if counter is not None:
                counter.assign_sub(1, read_value=False)
            raise
        return path

    def restore_or_initialize(self):
        """Restore the latest checkpoint, or run `init_fn` when there is none; returns the path or None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None
