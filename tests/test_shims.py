"""Eager-only shims for TF-2 code: ef.function, executing_eagerly, print, TensorSpec, nest, get_static_value."""

import collections
import io
import os
import sys

import numpy as np
import pytest

import eagerflow as ef

# ----------------------------------------------------------------------------- ef.function


def test_function_plain_decorator_traces_once_per_signature():
    calls = []

    @ef.function
    def f(x):
        """Doc."""
        calls.append(ef.executing_eagerly())  # a Python side effect runs once per trace, as TF
        return x * 2

    assert f(ef.constant(3.0)).numpy() == 6.0
    assert f(ef.constant(4.0)).numpy() == 8.0
    assert calls == [False]
    assert f.__name__ == "f" and f.__doc__ == "Doc."
    assert f.__wrapped__ is f.python_function
    assert f.python_function(5) == 10


def test_function_with_options_and_gradients():
    @ef.function(jit_compile=True, reduce_retracing=True, autograph=False, experimental_relax_shapes=True)
    def loss(w, x):
        return ef.reduce_sum(w * x)

    w = ef.Variable([1.0, 2.0])
    with ef.GradientTape() as tape:
        y = loss(w, ef.constant([3.0, 4.0]))
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [3.0, 4.0])
    assert ef.function(lambda: 1)() == 1


def test_function_on_methods_and_modules():
    class Model(ef.Module):
        def __init__(self):
            super().__init__()
            self.v = ef.Variable(2.0)

        @ef.function
        def __call__(self, x):
            return self.v * x

        @ef.function(input_signature=[ef.TensorSpec([], ef.float32)])
        def scaled(self, x):
            return self.v * x + 1

    m = Model()
    assert float(m(ef.constant(3.0))) == 6.0
    assert float(m.scaled(3)) == 7.0
    assert Model.scaled.python_function.__name__ == "scaled"
    assert m.scaled.__wrapped__.__self__ is m


def test_function_input_signature_converts_and_checks():
    @ef.function(input_signature=[ef.TensorSpec([None], ef.float32), ef.TensorSpec([], ef.int32)])
    def f(x, n):
        assert isinstance(x, ef.Tensor) and isinstance(n, ef.Tensor)
        return x * ef.cast(n, ef.float32)

    np.testing.assert_array_equal(f([1, 2], 3).numpy(), [3.0, 6.0])
    assert f.input_signature[1] == ef.TensorSpec([], ef.int32)
    with pytest.raises(TypeError, match=r"argument 0 is TensorSpec\(shape=\(2,\), dtype=ef.int32.*does not match"):
        f(ef.constant([1, 2]), 3)
    with pytest.raises(TypeError, match="argument 0 is TensorSpec.shape=.1, 1."):
        f(ef.constant([[1.0]]), 3)
    with pytest.raises(TypeError, match="input_signature of 2 tensors, got 1 positional"):
        f([1.0])
    with pytest.raises(TypeError, match="does not convert to"):
        f([1.0], 2.5)
    with pytest.raises(TypeError, match="sequence of ef.TensorSpec"):
        ef.function(lambda x: x, input_signature=[[None]])
    with pytest.raises(TypeError, match="needs a callable"):
        ef.function(3)


def test_executing_eagerly_and_get_static_value():
    assert ef.executing_eagerly() is True
    value = ef.get_static_value(ef.constant([1, 2]))
    assert isinstance(value, np.ndarray) and value.tolist() == [1, 2]
    assert ef.get_static_value(ef.Variable(1.0)) is None  # as TF: a variable is not static
    assert ef.get_static_value([1, 2]) == [1, 2] and ef.get_static_value(3) == 3


# ----------------------------------------------------------------------------- ef.print


def _printed(*inputs, **kwargs):
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()) as out:  # TF's streams are sys.stdout and sys.stderr only
        ef.print(*inputs, output_stream=sys.stdout, **kwargs)
    return out.getvalue()


def test_print_like_tf():
    # each expected line was printed by TF 2.21's tf.print for the same inputs
    assert _printed(ef.constant([1, 2, 3]), "x", ef.constant([[1.5, 2.0]]), ef.range(10)) == \
        "[1 2 3] x [[1.5 2]] [0 1 2 ... 7 8 9]\n"
    assert _printed(ef.constant("s"), 3, [1, 2], summarize=-1) == '"s" 3 [1, 2]\n'
    assert _printed(ef.constant(True), ef.constant([True, False]), ef.constant(2.5), ef.constant([0.1, 1e-7])) == \
        "1 [1 0] 2.5 [0.1 1e-07]\n"
    assert _printed({"a": ef.constant(1)}, sep=",", end="!\n") == "{'a': 1}!\n"
    assert _printed(ef.range(10), summarize=2) == "[0 1 ... 8 9]\n"
    assert _printed(ef.range(10), summarize=None) == "[0 1 2 ... 7 8 9]\n"
    assert _printed(ef.constant([], ef.float32)) == "[]\n"
    assert _printed(ef.constant([1 / 3, 1e20, np.nan, np.inf, -0.0, 123456789.0, 1e-5, 100.0, 0.5]), summarize=-1) \
        == "[0.333333343 1e+20 nan inf -0 123456792 1e-05 100 0.5]\n"
    assert _printed(ef.constant([1 / 3, 1e20, 123456789.0, 1e-5, 100.0], ef.float64)) == \
        "[0.33333333333333331 1e+20 123456789 1e-05 100]\n"
    assert _printed(ef.constant([1 / 3, 100.0], ef.float16), ef.constant([1 / 3], ef.bfloat16)) == \
        "[0.333251953 100] [0.333984375]\n"
    assert _printed(ef.constant(["ab", "c"])) == '["ab" "c"]\n'
    assert _printed([ef.constant(1), ef.constant([2, 3])], (ef.constant(4.5),)) == "[1, [2 3]] (4.5,)\n"
    assert _printed("a", "b", sep="") == "ab\n"
    assert _printed(ef.constant([[1.0]]), ef.Variable([1.0, 2.0])) == "[[1]] [1 2]\n"
    assert _printed() == "\n"
    # TF has no format for complex values: a `?` each, flat, summarized as a whole
    assert _printed(ef.constant(1j), ef.constant([1j, 2]), ef.ones([3, 7], ef.complex128),
                    ef.ones([2, 2], ef.complex64), summarize=3) == "? [? ?] [? ? ?...] [? ? ?...]\n"
    assert _printed(ef.ones([2, 2], ef.complex64), summarize=-1) == "[? ? ? ?]\n"


def test_print_matrices_like_tf():
    assert _printed(ef.reshape(ef.range(16), [8, 2])) == \
        "[[0 1]\n [2 3]\n [4 5]\n ...\n [10 11]\n [12 13]\n [14 15]]\n"
    assert _printed(ef.reshape(ef.range(27), [3, 3, 3])) == (
        "[[[0 1 2]\n  [3 4 5]\n  [6 7 8]]\n\n [[9 10 11]\n  [12 13 14]\n  [15 16 17]]\n\n"
        " [[18 19 20]\n  [21 22 23]\n  [24 25 26]]]\n")


def test_print_streams(capsys, tmp_path):
    ef.print("to stderr", ef.constant([1]))
    ef.print("to stdout", output_stream=sys.stdout)
    out, err = capsys.readouterr()
    assert err == "to stderr [1]\n" and out == "to stdout\n"
    path = tmp_path / "log.txt"
    ef.print("a", output_stream=f"file://{path}")
    ef.print("b", output_stream=f"file://{path}")
    assert path.read_text() == "a\nb\n"
    with pytest.raises(ValueError, match="Unsupported output stream.*file://"):
        ef.print("x", output_stream="nowhere")
    for other in (io.StringIO(), None, open(os.devnull, "w")):   # TF: sys.stdout and sys.stderr only
        with pytest.raises(ValueError, match="Unsupported output stream"):
            ef.print("x", output_stream=other)


# ----------------------------------------------------------------------------- ef.TensorSpec


def test_tensor_spec():
    spec = ef.TensorSpec([None, 2])
    assert repr(spec) == "TensorSpec(shape=(None, 2), dtype=ef.float32, name=None)"
    assert spec.shape.as_list() == [None, 2] and spec.dtype == ef.float32 and spec.name is None
    assert spec.is_compatible_with(ef.constant([[1.0, 2.0]]))
    assert not spec.is_compatible_with(ef.constant([[1, 2]]))
    assert not spec.is_compatible_with(ef.constant([1.0, 2.0]))
    assert not spec.is_compatible_with([[1.0, 2.0]])  # a list is not a tensor, as TF
    assert spec.is_compatible_with(ef.TensorSpec([3, 2])) and spec.is_compatible_with(ef.Variable([[1.0, 2.0]]))
    assert spec == ef.TensorSpec([None, 2], ef.float32) and hash(spec) == hash(ef.TensorSpec((None, 2)))
    assert spec != ef.TensorSpec([None, 2], name="x") and spec != ef.TensorSpec([None, 2], ef.float64)
    assert repr(ef.TensorSpec([], ef.int32, name="x")) == "TensorSpec(shape=(), dtype=ef.int32, name='x')"
    assert repr(ef.TensorSpec(None)) == "TensorSpec(shape=None, dtype=ef.float32, name=None)"
    assert ef.TensorSpec(None).is_compatible_with(ef.constant([[[1.0]]]))
    assert ef.TensorSpec.from_tensor(ef.constant([1, 2]), name="t") == ef.TensorSpec([2], "int32", "t")


# ----------------------------------------------------------------------------- ef.nest


def test_nest_flatten_and_pack_as_tf():
    assert ef.nest.flatten({"b": [1, 2], "a": (3, {"z": 4, "y": 5})}) == [3, 5, 4, 1, 2]
    assert ef.nest.flatten(None) == [None] and ef.nest.flatten(5) == [5] and ef.nest.flatten("ab") == ["ab"]
    t = ef.constant([1.0, 2.0])
    assert ef.nest.flatten(t)[0] is t
    assert ef.nest.flatten(collections.OrderedDict([("b", 1), ("a", 2)])) == [2, 1]  # sorted, as TF
    packed = ef.nest.pack_sequence_as({"b": [1, 2], "a": 3}, [10, 20, 30])
    assert packed == {"b": [20, 30], "a": 10} and list(packed) == ["b", "a"]
    P = collections.namedtuple("P", "x y")
    assert ef.nest.flatten(P(2, 1)) == [2, 1] and ef.nest.pack_sequence_as(P(0, 0), [5, 6]) == P(5, 6)
    d = collections.defaultdict(list, {"k": 1})
    packed = ef.nest.pack_sequence_as(d, [2])
    assert type(packed) is collections.defaultdict and packed.default_factory is list and packed["k"] == 2
    with pytest.raises(ValueError, match="Structure had 2 atoms, but flat_sequence had 1 items"):
        ef.nest.pack_sequence_as([1, 2], [1])


def test_nest_is_nested_and_map_structure():
    assert ef.nest.is_nested([1]) and ef.nest.is_nested((1,)) and ef.nest.is_nested({})
    assert not ef.nest.is_nested(1) and not ef.nest.is_nested("ab") and not ef.nest.is_nested(ef.constant([1]))
    assert ef.nest.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == [11, (22, 33)]
    doubled = ef.nest.map_structure(lambda t: t * 2, {"w": ef.constant(1.0), "b": [ef.constant(2.0)]})
    assert float(doubled["w"]) == 2.0 and float(doubled["b"][0]) == 4.0
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        ef.nest.map_structure(lambda a, b: a, [1, 2], [1])
    with pytest.raises(TypeError, match="same sequence type"):
        ef.nest.map_structure(lambda a, b: a, [1, 2], (1, 2))
    assert ef.nest.map_structure(lambda a, b: a + b, [1], (2,), check_types=False) == [3]
    with pytest.raises(ValueError, match="same set of keys"):
        ef.nest.assert_same_structure({"a": 1}, {"b": 1})


def test_tape_uses_nest_for_its_structures():
    x, y = ef.constant(1.0), ef.constant(2.0)
    with ef.GradientTape() as tape:
        tape.watch({"y": y, "x": [x]})
        z = x * y
    grads = tape.gradient(z, {"second": y, "first": (x,)})
    assert list(grads) == ["second", "first"] and type(grads["first"]) is tuple
    assert float(grads["second"]) == 1.0 and float(grads["first"][0]) == 2.0
