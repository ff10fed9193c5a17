"""Device specifications: parsing, printing and merging TensorFlow device strings.

A device string names a device of a (possibly distributed) cluster::

    /job:localhost/replica:0/task:0/device:CPU:0

Every field is optional, so ``"GPU:0"``, ``"/cpu:0"``, ``"/device:GPU:1"``, ``"GPU"`` and
``"/job:ps/task:1"`` are all valid *partial* specifications. :class:`DeviceSpec` is the
immutable value that such a string parses to; :func:`merge_device_scopes` applies the rule of
nested ``with ef.device(...)`` scopes and :func:`canonical_name` gives the fully qualified name
under which the device registry keeps a device.

Parsing is cached by string, so entering the same scope in a loop costs a dictionary lookup.
"""

from __future__ import annotations

import functools
import re

__all__ = ["DeviceSpec", "canonical_name", "merge_device_scopes"]

# Device types that may be written without the "device:" prefix ("GPU:0", "/cpu:0", "tpu").
# Written that way they are matched case-insensitively and stored upper-cased, as in TF.
_SHORT_FORM_DEVICE_TYPES = frozenset({"CPU", "GPU", "TPU", "CUSTOM", "EPU"})
# Lower-case spellings that the constructor and the "/device:..." form normalize, as in TF.
_UPPERCASED_DEVICE_TYPES = frozenset({"cpu", "gpu", "tpu"})

_DEVICE_TYPE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_EXAMPLES = "'/job:localhost/replica:0/task:0/device:CPU:0', 'GPU:0', '/device:GPU:1' or '/job:ps/task:1'"
_FIELDS = ("job", "replica", "task", "device_type", "device_index")


def _bad_string(spec: str, problem: str) -> ValueError:
    return ValueError(f"Invalid device string {spec!r}: {problem}. Valid examples: {_EXAMPLES}.")


# ------------------------------------------------------------------------------------------
# Field normalization (constructor path)
# ------------------------------------------------------------------------------------------


def _check_job(job):
    if job is None:
        return None
    job = str(job)
    if not job or "/" in job or ":" in job:
        raise ValueError(
            f"Invalid DeviceSpec job {job!r}: a job name is a non-empty string without '/' or ':', "
            "e.g. DeviceSpec(job='worker')."
        )
    return job


def _check_index(name, value):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return int(value)  # as TF: whatever int() reads ('+1', ' 2', '-1')
        except ValueError:
            raise ValueError(f"Invalid DeviceSpec {name} {value!r}: expected an integer, e.g. {name}=0.") from None
    if isinstance(value, bool):
        raise TypeError(f"Invalid DeviceSpec {name} {value!r}: expected a non-negative integer, not a bool.")
    try:
        value = int(value.__index__())
    except (AttributeError, TypeError):
        raise TypeError(
            f"Invalid DeviceSpec {name} {value!r} of type {type(value).__name__}: "
            f"expected a non-negative integer, e.g. {name}=0."
        ) from None
    return value  # a negative index is a valid spec, as TF; placing an op there is InvalidArgumentError


def _check_device_type(device_type):
    if device_type is None:
        return None
    device_type = str(device_type)
    if device_type in _UPPERCASED_DEVICE_TYPES:
        return device_type.upper()
    if not _DEVICE_TYPE_RE.match(device_type):
        raise ValueError(
            f"Invalid DeviceSpec device_type {device_type!r}: a device type is a name such as "
            "'CPU' or 'GPU' (letters, digits and '_', starting with a letter)."
        )
    return device_type


# ------------------------------------------------------------------------------------------
# String <-> fields
# ------------------------------------------------------------------------------------------


def _fields_to_string(job, replica, task, device_type, device_index) -> str:
    parts = []
    if job is not None:
        parts.append(f"/job:{job}")
    if replica is not None:
        parts.append(f"/replica:{replica}")
    if task is not None:
        parts.append(f"/task:{task}")
    if device_type is not None:
        parts.append(f"/device:{device_type}:{'*' if device_index is None else device_index}")
    return "".join(parts)


def _parse_index(spec: str, what: str, text: str, allow_any: bool) -> int | None:
    if allow_any and text == "*":
        return None
    try:
        return int(text)  # as TF: whatever int() reads ('+1', '-1')
    except ValueError:
        pass
    expected = "an integer or '*'" if allow_any else "an integer"
    raise _bad_string(spec, f"{what} {text!r} must be {expected}")


def _parse(spec: str) -> tuple:
    """Splits ``spec`` into normalized (job, replica, task, device_type, device_index)."""
    fields = dict.fromkeys(_FIELDS)
    seen = set()

    def put(name, value):
        key = "device" if name in ("device_type", "device_index") else name
        if key == "device" and key in seen:
            raise _bad_string(spec, "Multiple device types are not allowed; give a single device such as 'GPU:0'")
        fields[name] = value  # a job, replica or task given again: the last one wins, as TF

    for part in spec.split("/"):
        if not part:  # leading, trailing or doubled '/'
            continue
        pieces = part.split(":")
        head, n = pieces[0], len(pieces)
        if head in ("job", "replica", "task") and n == 2:
            if head == "job":
                if not pieces[1]:
                    raise _bad_string(spec, "the job name is empty")
                put("job", pieces[1])
            else:
                put(head, _parse_index(spec, f"the {head}", pieces[1], allow_any=False))
            seen.add(head)
        elif head == "device" and n == 3:
            device_type = pieces[1]
            if not _DEVICE_TYPE_RE.match(device_type):
                raise _bad_string(spec, f"device type {device_type!r} is not a name such as 'CPU' or 'GPU'")
            if device_type in _UPPERCASED_DEVICE_TYPES:
                device_type = device_type.upper()
            index = _parse_index(spec, "the device index", pieces[2], allow_any=True)
            put("device_type", device_type)
            put("device_index", index)
            seen.add("device")
        elif head.upper() in _SHORT_FORM_DEVICE_TYPES and n <= 2:
            index = None if n == 1 else _parse_index(spec, "the device index", pieces[1], allow_any=True)
            put("device_type", head.upper())
            put("device_index", index)
            seen.add("device")
        elif head in ("job", "replica", "task", "device") or head.upper() in _SHORT_FORM_DEVICE_TYPES:
            shapes = {
                "job": "'/job:NAME'",
                "replica": "'/replica:INDEX'",
                "task": "'/task:INDEX'",
                "device": "'/device:TYPE:INDEX'",
            }
            shape = shapes.get(head, f"'{head.upper()}' or '{head.upper()}:INDEX'")
            raise _bad_string(spec, f"the part {part!r} is malformed; it should look like {shape}")
        else:
            known = ", ".join(sorted(_SHORT_FORM_DEVICE_TYPES))
            raise _bad_string(
                spec,
                f"unknown field {head!r} in the part {part!r}; the fields are job, replica, task and "
                f"device, and a device may be written as TYPE:INDEX for TYPE in {known}",
            )
    return tuple(fields[name] for name in _FIELDS)


# ------------------------------------------------------------------------------------------
# DeviceSpec
# ------------------------------------------------------------------------------------------


class DeviceSpec:
    """A (possibly partial) device specification, as TensorFlow's ``tf.DeviceSpec``.

    Immutable and hashable: ``replace`` and ``make_merged_spec`` return new objects. Fields left
    as ``None`` are unspecified; ``device_index=None`` means "any device of that type".

    Example:
        >>> spec = DeviceSpec(job="ps", device_type="GPU", device_index=0)
        >>> spec.to_string()
        '/job:ps/device:GPU:0'
        >>> DeviceSpec.from_string("/cpu:1") == DeviceSpec(device_type="CPU", device_index=1)
        True
    """

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index", "_string", "_hash")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._init(
            _check_job(job),
            _check_index("replica", replica),
            _check_index("task", task),
            _check_device_type(device_type),
            _check_index("device_index", device_index),
        )

    def _init(self, job, replica, task, device_type, device_index):
        setattr_ = object.__setattr__
        setattr_(self, "_job", job)
        setattr_(self, "_replica", replica)
        setattr_(self, "_task", task)
        setattr_(self, "_device_type", device_type)
        setattr_(self, "_device_index", device_index)
        string = _fields_to_string(job, replica, task, device_type, device_index)
        setattr_(self, "_string", string)
        setattr_(self, "_hash", hash(string))

    @classmethod
    def _from_fields(cls, fields):
        """Builds a spec from already-normalized fields, skipping validation."""
        self = cls.__new__(cls)
        self._init(*fields)
        return self

    # -- construction ---------------------------------------------------------------------

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        """Parses a device string (full or partial) into a ``DeviceSpec``.

        Accepts every form TensorFlow accepts: ``/job:J/replica:R/task:T/device:TYPE:I`` with any
        field left out, ``TYPE:I``, ``/TYPE:I``, ``TYPE`` (``cpu``/``gpu``/``tpu`` upper-cased),
        ``*`` as "any index" and ``''`` for the empty spec. Results are cached per string.

        Raises:
            ValueError: if the string is malformed; the message names the string and the fault.

        Example:
            >>> DeviceSpec.from_string("/job:ps/task:1/gpu:*").to_string()
            '/job:ps/task:1/device:GPU:*'
        """
        if spec is None:
            spec = ""
        elif not isinstance(spec, str):
            raise TypeError(
                f"DeviceSpec.from_string expects a device string such as 'GPU:0', got "
                f"{type(spec).__name__} {spec!r}"
            )
        return _from_string_cached(cls, spec)

    def replace(self, **kwargs) -> DeviceSpec:
        """Returns a copy with the given fields replaced (``None`` clears a field).

        Example:
            >>> DeviceSpec.from_string("/job:ps/device:CPU:0").replace(device_type="GPU").to_string()
            '/job:ps/device:GPU:0'
        """
        unknown = set(kwargs) - set(_FIELDS)
        if unknown:
            raise TypeError(
                f"DeviceSpec.replace() got unexpected field(s) {sorted(unknown)}; "
                f"the fields are {', '.join(_FIELDS)}"
            )
        fields = {name: getattr(self, name) for name in _FIELDS}
        fields.update(kwargs)
        return type(self)(**fields)

    def make_merged_spec(self, dev) -> DeviceSpec:
        """Returns a new spec: the fields of ``dev`` where set, those of ``self`` elsewhere.

        ``dev`` may be a ``DeviceSpec`` or a device string.

        Example:
            >>> outer = DeviceSpec.from_string("/job:ps/device:CPU:0")
            >>> outer.make_merged_spec(DeviceSpec.from_string("GPU:1")).to_string()
            '/job:ps/device:GPU:1'
        """
        if isinstance(dev, str):
            dev = DeviceSpec.from_string(dev)
        elif not isinstance(dev, DeviceSpec):
            raise TypeError(
                f"make_merged_spec expects a DeviceSpec or a device string, got {type(dev).__name__} {dev!r}"
            )
        return type(self)._from_fields(_merge_fields(self._fields(), dev._fields()))

    # -- fields ---------------------------------------------------------------------------

    @property
    def job(self) -> str | None:
        """The job name, e.g. ``'localhost'`` or ``'ps'``."""
        return self._job

    @property
    def replica(self) -> int | None:
        """The replica index."""
        return self._replica

    @property
    def task(self) -> int | None:
        """The task index within the job."""
        return self._task

    @property
    def device_type(self) -> str | None:
        """The device type, e.g. ``'CPU'`` or ``'GPU'``."""
        return self._device_type

    @property
    def device_index(self) -> int | None:
        """The device index; ``None`` means any device of the type."""
        return self._device_index

    def _fields(self) -> tuple:
        return (self._job, self._replica, self._task, self._device_type, self._device_index)

    def to_string(self) -> str:
        """Returns TensorFlow's string form; ``''`` for an empty spec.

        Example:
            >>> DeviceSpec(job="ps", task=1, device_type="gpu", device_index=0).to_string()
            '/job:ps/task:1/device:GPU:0'
        """
        return self._string

    # -- value semantics ------------------------------------------------------------------

    def __eq__(self, other):
        if not isinstance(other, DeviceSpec):
            return NotImplemented
        return self._string == other._string

    def __hash__(self):
        return self._hash

    def __setattr__(self, name, value):
        raise AttributeError(f"DeviceSpec is immutable; use spec.replace({name.lstrip('_')}=...) instead")

    def __delattr__(self, name):
        raise AttributeError("DeviceSpec is immutable")

    def __reduce__(self):
        return (type(self), self._fields())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __repr__(self):
        # as TF: every field, unquoted
        return "<DeviceSpec(" + ", ".join(f"{name}={value}" for name, value in zip(_FIELDS, self._fields())) + ")>"


def _merge_fields(base: tuple, override: tuple) -> tuple:
    return tuple(b if o is None else o for b, o in zip(base, override))


@functools.lru_cache(maxsize=4096)
def _from_string_cached(cls, spec: str) -> DeviceSpec:
    return cls._from_fields(_parse(spec))


def _as_spec(value, what: str) -> DeviceSpec:
    if isinstance(value, DeviceSpec):
        return value
    if isinstance(value, str):
        return DeviceSpec.from_string(value)
    # tf.device raises ValueError for a non-string device name; do the same.
    raise ValueError(
        f"Expecting a device string such as 'GPU:0' (or a DeviceSpec or None) for the {what}, "
        f"got {type(value).__name__} {value!r}"
    )


# ------------------------------------------------------------------------------------------
# Scopes and canonical names
# ------------------------------------------------------------------------------------------


def merge_device_scopes(outer, inner, *, base=None):
    """Returns the device string in effect inside ``with device(inner)`` nested in ``outer``.

    The rule of TensorFlow 2: every field that ``inner`` sets overrides the same field of
    ``outer``; fields it leaves out are inherited. ``inner=None`` (``with device(None)``) clears
    the scope and returns ``None``, whatever ``outer`` is. ``outer`` of ``None`` or ``''`` means
    no enclosing scope. Arguments may be strings or ``DeviceSpec`` objects; the result is a
    string in TF's form (``''`` when nothing is constrained) or ``None``, cached per arguments.

    ``base``: what an outermost scope is merged into. TF's eager context uses its first device,
    ``'/job:localhost/replica:0/task:0/device:CPU:0'``, so that a top-level ``device('GPU')``
    becomes ``.../device:GPU:0`` and a top-level ``device('/job:ps')`` pins the CPU; the default
    ``None`` keeps partial scopes partial and leaves the rest to placement.

    Raises:
        ValueError: if a string is malformed or an argument is not a string/DeviceSpec/None.

    Example:
        >>> merge_device_scopes("/job:ps", "GPU:0")
        '/job:ps/device:GPU:0'
        >>> merge_device_scopes("/job:ps/device:GPU:0", "/device:CPU:1")
        '/job:ps/device:CPU:1'
        >>> merge_device_scopes("GPU:0", None) is None
        True
    """
    try:
        return _merge_cached(outer, inner, base)
    except TypeError:
        # Unhashable argument (a list, say): the uncached path raises the clear error.
        return _merge_device_scopes(outer, inner, base)


def _merge_device_scopes(outer, inner, base):
    if inner is None:
        return None
    inner_spec = _as_spec(inner, "inner device scope")
    if outer is None or (isinstance(outer, str) and not outer):
        if base is None:
            return inner_spec.to_string()
        outer_spec = _as_spec(base, "base device")
    else:
        outer_spec = _as_spec(outer, "outer device scope")
    return _fields_to_string(*_merge_fields(outer_spec._fields(), inner_spec._fields()))


_merge_cached = functools.lru_cache(maxsize=4096)(_merge_device_scopes)


def canonical_name(
    spec, default_job: str = "localhost", default_replica: int = 0, default_task: int = 0
) -> str:
    """Returns the fully qualified TF name of a device, filling job, replica and task defaults.

    ``spec`` (a string or ``DeviceSpec``) must set the device type and index; the registry
    looks devices up by the name this returns. Cached per argument tuple.

    Raises:
        ValueError: if ``spec`` is malformed or leaves the device type or index unset.

    Example:
        >>> canonical_name("cpu:0")
        '/job:localhost/replica:0/task:0/device:CPU:0'
        >>> canonical_name("/job:ps/task:1/device:GPU:1")
        '/job:ps/replica:0/task:1/device:GPU:1'
    """
    try:
        return _canonical_cached(spec, default_job, default_replica, default_task)
    except TypeError:
        # Unhashable argument: the uncached path raises the clear error.
        return _canonical_name(spec, default_job, default_replica, default_task)


def _canonical_name(spec, default_job, default_replica, default_task):
    parsed = _as_spec(spec, "device")
    if parsed.device_type is None or parsed.device_index is None:
        raise ValueError(
            f"Cannot give a canonical device name for {spec!r}: it needs both a device type and an "
            "index, e.g. 'CPU:0' or '/job:localhost/replica:0/task:0/device:GPU:1'."
        )
    defaults = DeviceSpec(job=default_job, replica=default_replica, task=default_task)
    return _fields_to_string(*_merge_fields(defaults._fields(), parsed._fields()))


_canonical_cached = functools.lru_cache(maxsize=4096)(_canonical_name)
