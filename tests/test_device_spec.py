"""Tests for eagerflow.device.spec: device strings, DeviceSpec values and scope merging."""

import copy
import pickle
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eagerflow.device.spec import DeviceSpec, canonical_name, merge_device_scopes

FULL_CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"


# ------------------------------------------------------------------------------------------
# Parsing every accepted form
# ------------------------------------------------------------------------------------------

PARSE_CASES = [
    # string, (job, replica, task, device_type, device_index), to_string()
    (FULL_CPU0, ("localhost", 0, 0, "CPU", 0), FULL_CPU0),
    ("CPU:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
    ("cpu:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
    ("/CPU:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
    ("/cpu:0", (None, None, None, "CPU", 0), "/device:CPU:0"),
    ("/device:GPU:1", (None, None, None, "GPU", 1), "/device:GPU:1"),
    ("/device:gpu:1", (None, None, None, "GPU", 1), "/device:GPU:1"),
    ("GPU", (None, None, None, "GPU", None), "/device:GPU:*"),
    ("gpu", (None, None, None, "GPU", None), "/device:GPU:*"),
    ("/gpu:*", (None, None, None, "GPU", None), "/device:GPU:*"),
    ("/device:GPU:*", (None, None, None, "GPU", None), "/device:GPU:*"),
    ("tpu:2", (None, None, None, "TPU", 2), "/device:TPU:2"),
    ("/device:tpu:2", (None, None, None, "TPU", 2), "/device:TPU:2"),
    ("/device:XLA_CPU:0", (None, None, None, "XLA_CPU", 0), "/device:XLA_CPU:0"),
    ("/job:ps/task:1", ("ps", None, 1, None, None), "/job:ps/task:1"),
    (
        "/job:worker/replica:0/task:1/device:GPU:0",
        ("worker", 0, 1, "GPU", 0),
        "/job:worker/replica:0/task:1/device:GPU:0",
    ),
    ("/job:ps/task:1/gpu:3", ("ps", None, 1, "GPU", 3), "/job:ps/task:1/device:GPU:3"),
    ("/replica:2", (None, 2, None, None, None), "/replica:2"),
    # Any order, no leading slash and empty segments are accepted, as TF does.
    ("/device:GPU:0/job:ps", ("ps", None, None, "GPU", 0), "/job:ps/device:GPU:0"),
    ("job:ps/task:3", ("ps", None, 3, None, None), "/job:ps/task:3"),
    ("/job:ps//task:3/", ("ps", None, 3, None, None), "/job:ps/task:3"),
    ("", (None, None, None, None, None), ""),
    ("/", (None, None, None, None, None), ""),
]


@pytest.mark.parametrize("text, fields, canonical", PARSE_CASES, ids=[c[0] or "<empty>" for c in PARSE_CASES])
def test_from_string_forms(text, fields, canonical):
    spec = DeviceSpec.from_string(text)
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == fields
    assert spec.to_string() == canonical
    assert spec == DeviceSpec(*fields)
    # The printed form parses back to the same spec.
    assert DeviceSpec.from_string(canonical) == spec


def test_from_string_none_is_empty_and_cached():
    assert DeviceSpec.from_string(None) == DeviceSpec()
    assert DeviceSpec.from_string("GPU:0") is DeviceSpec.from_string("GPU:0")


def test_from_string_rejects_non_strings():
    with pytest.raises(TypeError, match="device string"):
        DeviceSpec.from_string(0)


# ------------------------------------------------------------------------------------------
# Malformed strings
# ------------------------------------------------------------------------------------------

MALFORMED = [
    ("GPU:x", "device index 'x'"),
    ("/device:CPU:x", "device index 'x'"),
    ("/foo:1", "unknown field 'foo'"),
    ("CPU:0:1", "malformed"),
    ("/device:CPU:0/device:GPU:0", "Multiple device types"),
    ("GPU:0/CPU:0", "Multiple device types"),
    ("/job:", "job name is empty"),
    ("/job", "'/job:NAME'"),
    ("/job:a:b", "'/job:NAME'"),
    ("/task:one", "the task 'one'"),
    ("/replica:*", "the replica '*'"),
    ("/device:GPU", "'/device:TYPE:INDEX'"),
    ("/device::0", "device type ''"),
    ("/device:G-PU:0", "device type 'G-PU'"),
    (" CPU:0", "unknown field ' CPU'"),
    ("localhost", "unknown field 'localhost'"),
]


@pytest.mark.parametrize("text, problem", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_strings_raise_useful_value_error(text, problem):
    with pytest.raises(ValueError) as info:
        DeviceSpec.from_string(text)
    message = str(info.value)
    assert repr(text) in message  # names the string
    assert problem in message  # says what is wrong
    assert "Valid examples: '/job:localhost/replica:0/task:0/device:CPU:0'" in message  # shows the way


def test_malformed_strings_are_not_cached_as_valid():
    for _ in range(2):
        with pytest.raises(ValueError):
            DeviceSpec.from_string("GPU:x")


# ------------------------------------------------------------------------------------------
# Constructor, replace, merge
# ------------------------------------------------------------------------------------------


def test_constructor_normalizes_like_tf():
    spec = DeviceSpec(job="ps", replica="1", task=2, device_type="gpu", device_index=3)
    assert (spec.job, spec.replica, spec.task, spec.device_type, spec.device_index) == ("ps", 1, 2, "GPU", 3)
    assert spec.to_string() == "/job:ps/replica:1/task:2/device:GPU:3"
    assert DeviceSpec(device_type="cpu").to_string() == "/device:CPU:*"
    assert DeviceSpec().to_string() == ""


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"job": ""}, ValueError),
        ({"job": "a/b"}, ValueError),
        ({"job": "a:b"}, ValueError),
        ({"task": "x"}, ValueError),
        ({"device_index": 1.5}, TypeError),
        ({"device_index": True}, TypeError),
        ({"device_type": "G:PU"}, ValueError),
        ({"device_type": ""}, ValueError),
    ],
)
def test_constructor_rejects_bad_fields(kwargs, error):
    name = next(iter(kwargs))
    with pytest.raises(error, match=name):
        DeviceSpec(**kwargs)


def test_replace_returns_new_spec():
    spec = DeviceSpec.from_string("/job:ps/device:CPU:0")
    gpu = spec.replace(device_type="GPU", device_index=1)
    assert gpu.to_string() == "/job:ps/device:GPU:1"
    assert spec.to_string() == "/job:ps/device:CPU:0"
    assert spec.replace(job=None).to_string() == "/device:CPU:0"
    assert spec.replace() == spec
    with pytest.raises(TypeError, match="device"):
        spec.replace(device="GPU")


def test_make_merged_spec_other_overrides_where_set():
    first = DeviceSpec(job="train", device_type="CPU", device_index=0)
    merged = first.make_merged_spec(DeviceSpec(device_type="GPU"))
    assert merged == DeviceSpec(job="train", device_type="GPU", device_index=0)
    assert first == DeviceSpec(job="train", device_type="CPU", device_index=0)  # unchanged
    assert first.make_merged_spec("/job:ps/task:1") == DeviceSpec.from_string("/job:ps/task:1/device:CPU:0")
    assert first.make_merged_spec(DeviceSpec()) == first
    with pytest.raises(TypeError):
        first.make_merged_spec(3)


def test_immutable():
    spec = DeviceSpec.from_string("GPU:0")
    with pytest.raises(AttributeError):
        spec.device_index = 1
    with pytest.raises(AttributeError):
        spec._device_index = 1
    with pytest.raises(AttributeError):
        del spec._job
    assert spec.device_index == 0


def test_equality_and_hash():
    a = DeviceSpec.from_string("/cpu:0")
    b = DeviceSpec(device_type="CPU", device_index=0)
    c = DeviceSpec.from_string("CPU:1")
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert len({a, b, c}) == 2
    assert {a: "x"}[b] == "x"
    assert a != "/device:CPU:0"  # like TF, a spec never equals a string
    assert DeviceSpec() == DeviceSpec.from_string("")


def test_copy_and_pickle_keep_value():
    spec = DeviceSpec.from_string("/job:ps/replica:1/task:2/device:GPU:3")
    assert copy.copy(spec) == spec and copy.deepcopy(spec) == spec
    restored = pickle.loads(pickle.dumps(spec))
    assert restored == spec and restored.to_string() == spec.to_string()


def test_repr():
    assert repr(DeviceSpec.from_string("/job:ps/device:GPU:0")) == (  # as TF
        "<DeviceSpec(job=ps, replica=None, task=None, device_type=GPU, device_index=0)>"
    )
    assert repr(DeviceSpec()) == "<DeviceSpec(job=None, replica=None, task=None, device_type=None, device_index=None)>"


# ------------------------------------------------------------------------------------------
# Canonical names
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CPU:0", FULL_CPU0),
        ("cpu:0", FULL_CPU0),
        ("/device:CPU:0", FULL_CPU0),
        (FULL_CPU0, FULL_CPU0),
        ("GPU:1", "/job:localhost/replica:0/task:0/device:GPU:1"),
        ("/job:ps/task:1/device:GPU:0", "/job:ps/replica:0/task:1/device:GPU:0"),
        ("/job:worker/replica:2/task:3/cpu:4", "/job:worker/replica:2/task:3/device:CPU:4"),
    ],
)
def test_canonical_name(text, expected):
    assert canonical_name(text) == expected
    assert canonical_name(DeviceSpec.from_string(text)) == expected


def test_canonical_name_custom_defaults():
    assert canonical_name("GPU:0", default_job="worker", default_replica=1, default_task=2) == (
        "/job:worker/replica:1/task:2/device:GPU:0"
    )


@pytest.mark.parametrize("text", ["GPU", "/gpu:*", "/job:ps", ""])
def test_canonical_name_needs_type_and_index(text):
    with pytest.raises(ValueError, match="needs both a device type and an index"):
        canonical_name(text)


def test_canonical_name_bad_input():
    with pytest.raises(ValueError, match="GPU:x"):
        canonical_name("GPU:x")
    with pytest.raises(ValueError, match="Expecting a device string"):
        canonical_name(["GPU:0"])


# ------------------------------------------------------------------------------------------
# Scope merging
# ------------------------------------------------------------------------------------------


def nest(*scopes, base=None):
    """The device string in effect inside nested `with device(s)` for s in scopes."""
    current = None
    for scope in scopes:
        current = merge_device_scopes(current, scope, base=base)
    return current


@pytest.mark.parametrize(
    "scopes, expected",
    [
        (("GPU:0",), "/device:GPU:0"),
        (("/job:ps", "GPU:0"), "/job:ps/device:GPU:0"),
        (("/job:ps", "/job:worker"), "/job:worker"),
        (("/job:ps/task:1", "/device:GPU:0"), "/job:ps/task:1/device:GPU:0"),
        (("/job:ps/device:GPU:0", "/device:CPU:1"), "/job:ps/device:CPU:1"),
        (("gpu:0", "cpu:0"), "/device:CPU:0"),
        (("/job:foo", "/job:bar/task:0/device:gpu:2"), "/job:bar/task:0/device:GPU:2"),
        (("/job:foo", "/device:gpu:1"), "/job:foo/device:GPU:1"),
        (("GPU:1", "/task:2"), "/task:2/device:GPU:1"),
        # A partial inner device ("GPU", index *) keeps the outer index, as make_merged_spec does.
        (("GPU:1", "GPU"), "/device:GPU:1"),
        (("CPU:1", "GPU"), "/device:GPU:1"),
        (("/job:ps/device:GPU:0", ""), "/job:ps/device:GPU:0"),
        (
            ("/job:ps", "/job:worker/replica:1", "/task:2", "cpu:3"),
            "/job:worker/replica:1/task:2/device:CPU:3",
        ),
    ],
)
def test_nested_scopes_merge(scopes, expected):
    assert nest(*scopes) == expected


def test_none_clears_scope():
    assert merge_device_scopes("/job:ps/device:GPU:0", None) is None
    assert merge_device_scopes(None, None) is None
    # A scope opened inside a cleared one starts afresh.
    assert nest("/job:ps", None, "GPU:0") == "/device:GPU:0"


def test_outer_none_or_empty_means_no_scope():
    assert merge_device_scopes(None, "cpu:0") == "/device:CPU:0"
    assert merge_device_scopes("", "cpu:0") == "/device:CPU:0"
    assert merge_device_scopes(None, "") == ""


def test_merge_accepts_device_specs():
    outer = DeviceSpec(job="ps")
    assert merge_device_scopes(outer, DeviceSpec.from_string("GPU:0")) == "/job:ps/device:GPU:0"
    assert merge_device_scopes("/job:ps", DeviceSpec(task=1)) == "/job:ps/task:1"


def test_merge_base_reproduces_tf_eager_top_level():
    # TF's eager context merges an outermost scope into its first device (CPU:0).
    assert nest("GPU", base=FULL_CPU0) == "/job:localhost/replica:0/task:0/device:GPU:0"
    assert nest("/job:ps", base=FULL_CPU0) == "/job:ps/replica:0/task:0/device:CPU:0"
    assert nest("/job:ps", "GPU:1", base=FULL_CPU0) == "/job:ps/replica:0/task:0/device:GPU:1"
    assert nest("GPU:1", None, base=FULL_CPU0) is None


def test_merge_rejects_bad_input():
    with pytest.raises(ValueError, match="'GPU:x'"):
        merge_device_scopes(None, "GPU:x")
    with pytest.raises(ValueError, match="'/foo:1'"):
        merge_device_scopes("/foo:1", "GPU:0")
    with pytest.raises(ValueError, match="Expecting a device string"):
        merge_device_scopes(None, 0)
    with pytest.raises(ValueError, match="Expecting a device string"):
        merge_device_scopes(None, ["GPU:0"])


def test_merge_agrees_with_make_merged_spec():
    for outer in ["/job:ps", "GPU:1", "/job:a/replica:1/task:2/device:CPU:3", ""]:
        for inner in ["cpu:0", "/task:5", "GPU", "/job:b/device:GPU:*", ""]:
            merged = DeviceSpec.from_string(outer).make_merged_spec(DeviceSpec.from_string(inner))
            assert merge_device_scopes(outer, inner) == merged.to_string()


# ------------------------------------------------------------------------------------------
# Property tests
# ------------------------------------------------------------------------------------------

_jobs = st.text(
    alphabet=st.characters(blacklist_characters="/:", blacklist_categories=("Cs",)), min_size=1, max_size=12
)
_indices = st.none() | st.integers(min_value=0, max_value=10**6)
_device_types = st.sampled_from(
    ["CPU", "GPU", "TPU", "cpu", "gpu", "tpu", "XLA_CPU", "CUSTOM"]
) | st.from_regex(r"\A[A-Za-z][A-Za-z0-9_]{0,8}\Z")
_specs = st.builds(
    DeviceSpec,
    job=st.none() | _jobs,
    replica=_indices,
    task=_indices,
    device_type=st.none() | _device_types,
    device_index=_indices,
)


@given(_specs)
def test_to_string_round_trips(spec):
    parsed = DeviceSpec.from_string(spec.to_string())
    assert parsed == spec
    assert hash(parsed) == hash(spec)
    assert (parsed.job, parsed.replica, parsed.task, parsed.device_type) == (
        spec.job,
        spec.replica,
        spec.task,
        spec.device_type,
    )
    # device_index is only printed with a device type.
    if spec.device_type is not None:
        assert parsed.device_index == spec.device_index


@given(_specs, _specs)
def test_merge_property(outer, inner):
    merged = DeviceSpec.from_string(merge_device_scopes(outer.to_string(), inner.to_string()))
    for name in ("job", "replica", "task", "device_type"):
        inner_value = getattr(inner, name)
        assert getattr(merged, name) == (getattr(outer, name) if inner_value is None else inner_value)
    # Merging is idempotent: re-entering the same inner scope changes nothing.
    assert merge_device_scopes(merged.to_string(), inner.to_string()) == merged.to_string()


@given(st.text(alphabet=string.ascii_letters + string.digits + "/:*_-", max_size=30))
def test_parser_never_fails_other_than_value_error(text):
    try:
        spec = DeviceSpec.from_string(text)
    except ValueError as e:
        assert repr(text) in str(e)
    else:
        assert DeviceSpec.from_string(spec.to_string()) == spec


def test_tf_accepts_negative_indices_and_repeated_fields():
    # as TF: the string parses (an op placed there is InvalidArgumentError), a field given again wins
    assert DeviceSpec.from_string("CPU:-1").device_index == -1
    assert DeviceSpec(replica=-1).to_string() == "/replica:-1"
    assert DeviceSpec.from_string("/job:a/task:1/job:b").to_string() == "/job:b/task:1"
