"""Module walking, name scopes, unique layer names, Dense and Sequential."""

import numpy as np
import pytest

import eagerflow as ef
from eagerflow.module import reset_unique_names


@pytest.fixture(autouse=True)
def _fresh_names():
    reset_unique_names()
    yield
    reset_unique_names()


class Leaf(ef.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = ef.Variable([1.0], name="w")
        self.b = ef.Variable([0.0], name="b", trainable=False)


class Tree(ef.Module):
    def __init__(self):
        super().__init__()
        self.z_first = Leaf("z_leaf")
        self.blocks = [Leaf("block0"), (Leaf("block1"),)]
        self.table = {"beta": ef.Variable(2.0, name="beta"), "alpha": ef.Variable(1.0, name="alpha")}
        self.a_scalar = ef.Variable(3.0, name="scalar")
        self.constant = ef.constant(1.0)


def names(vs):
    return [v.name for v in vs]


def test_walk_order_is_tfs_direct_attributes_sorted_then_submodules():
    t = Tree()
    # direct: a_scalar, (blocks: modules), constant, table (sorted keys: alpha, beta), z_first (module);
    # then the submodules in the order found: block0, block1, z_leaf; each its own sorted attributes.
    assert names(t.variables) == ["scalar:0", "alpha:0", "beta:0", "b:0", "w:0", "b:0", "w:0", "b:0", "w:0"]
    assert [m.name for m in t.submodules] == ["block0", "block1", "z_leaf"]
    assert names(t.trainable_variables) == ["scalar:0", "alpha:0", "beta:0", "w:0", "w:0", "w:0"]
    assert names(t.non_trainable_variables) == ["b:0", "b:0", "b:0"]
    assert t.variables[3] is t.blocks[0].b and t.variables[-1] is t.z_first.w
    assert isinstance(t.variables, tuple)


def test_each_variable_and_module_is_reported_once():
    m = ef.Module()
    v = ef.Variable(1.0, name="shared")
    leaf = Leaf()
    m.a = v
    m.b = [v, v, {"k": v}]
    m.c = leaf
    m.d = leaf
    m.e = [leaf.w]
    assert names(m.variables) == ["shared:0", "w:0", "b:0"]
    assert m.submodules == (leaf,)


def test_cycles_terminate():
    a, b = ef.Module(name="a"), ef.Module(name="b")
    a.child, b.child = b, a
    a.v = ef.Variable(1.0, name="va")
    b.v = ef.Variable(1.0, name="vb")
    assert names(a.variables) == ["va:0", "vb:0"]
    assert [m.name for m in a.submodules] == ["b"]


def test_flatten_with_paths_and_predicate():
    t = Tree()
    paths = [p for p, _ in t._flatten(predicate=lambda x: isinstance(x, ef.Variable), with_path=True)]
    assert ("table", "alpha") in paths and ("blocks", 1, 0, "w") in paths and ("z_first", "b") in paths
    direct = list(t._flatten(recursive=False, predicate=lambda x: isinstance(x, ef.Variable)))
    assert names(direct) == ["scalar:0", "alpha:0", "beta:0"]


def test_unsortable_dict_keys_raise_value_error_naming_the_property():
    m = ef.Module()
    m.mixed = {1: ef.Variable(1.0), "a": ef.Variable(2.0)}
    with pytest.raises(ValueError, match="Error processing property 'mixed'"):
        m.variables  # noqa: B018


def test_seed_case_trainable_false_is_not_trainable():
    # The guide: "You can turn off gradients for a variable by setting trainable to false".
    m = ef.Module()
    m.step_counter = ef.Variable(1, trainable=False)
    m.w = ef.Variable(2.0)
    assert m.trainable_variables == (m.w,)
    assert m.non_trainable_variables == (m.step_counter,)
    m.frozen = ef.Variable(3.0, trainable=False)
    with ef.GradientTape() as tape:
        y = m.w * m.frozen
    assert tape.gradient(y, [m.w, m.frozen])[1] is None
    assert m.trainable_variables == (m.w,)


def test_module_names_are_not_unique_and_are_validated():
    assert ef.Module().name == "module" and ef.Module().name == "module"
    assert Leaf().name == "leaf"

    class MyDenseBlock(ef.Module):
        pass

    assert MyDenseBlock().name == "my_dense_block"
    for bad in ("has space", "1abc", "a/b", "", "dash-ed"):
        with pytest.raises(ValueError, match="not a valid module name"):
            ef.Module(name=bad)
    assert ef.Module().name_scope.name == "module/"


def test_name_scope_prefixes_and_nests():
    with ef.name_scope("x") as scope:
        assert scope == "x/"
        v = ef.Variable(1.0, name="w")
        with ef.name_scope("y"):
            u = ef.Variable(1.0, name="w")
            with ef.name_scope("abs/"):
                a = ef.Variable(1.0, name="w")
            with ef.name_scope(""):
                e = ef.Variable(1.0, name="w")
        d = ef.Variable(1.0)
    assert (v.name, u.name, a.name, e.name, d.name) == ("x/w:0", "x/y/w:0", "abs/w:0", "w:0", "x/Variable:0")
    assert ef.Variable(1.0, name="w").name == "w:0"
    with pytest.raises(ValueError, match="must be a string"):
        ef.name_scope(3)


def test_name_scope_restored_after_error():
    with pytest.raises(RuntimeError):
        with ef.name_scope("boom"):
            raise RuntimeError()
    assert ef.Variable(1.0, name="w").name == "w:0"


def test_bare_variables_share_a_name():
    # The guide: two variables with the same name are fine outside models.
    a = ef.Variable([2.0, 3.0], name="Mark")
    b = ef.Variable([2.0, 3.0], name="Mark")
    assert a.name == b.name == "Mark:0"


def test_with_name_scope_and_module_name_scope():
    class Scale(ef.Module):
        @ef.Module.with_name_scope
        def __call__(self, x):
            if not hasattr(self, "w"):
                self.w = ef.Variable(2.0, name="w")
            return x * self.w

    s = Scale()
    with ef.name_scope("outer"):
        out = s(3.0)           # the module's scope is absolute: not 'outer/scale/'
    assert float(out) == 6.0 and s.w.name == "scale/w:0"
    assert Scale.__call__.__name__ == "__call__"
    with ef.name_scope("outer"):
        inner = ef.Module(name="inner")
    assert inner.name_scope.name == "outer/inner/"
    with inner.name_scope:
        assert ef.Variable(1.0, name="v").name == "outer/inner/v:0"


def test_layer_names_are_unique_like_keras_and_variables_get_unique_names():
    d0, d1, d2 = ef.layers.Dense(2), ef.layers.Dense(2), ef.layers.Dense(2, name="head")
    assert (d0.name, d1.name, d2.name) == ("dense", "dense_1", "head")
    x = ef.ones([1, 3])
    d0(x), d1(x), d2(x)
    # Keras 3 variables: the path names the layer, the wrapped ef.Variable is named by the path
    assert [v.path for v in [d0.kernel, d0.bias, d1.kernel, d2.bias]] == ["dense/kernel", "dense/bias",
                                                                          "dense_1/kernel", "head/bias"]
    assert names([d0.kernel.value, d2.bias.value]) == ["dense/kernel:0", "head/bias:0"]
    assert (d0.kernel.name, d2.bias.name) == ("kernel", "bias")
    ef.keras.backend.clear_session()
    assert ef.layers.Dense(1).name == "dense"
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        ef.layers.Dense(2, name="a/b")


def test_sequential_mlp_variables_and_shapes():
    ef.random.set_seed(3)
    model = ef.layers.Sequential([ef.layers.Dense(5, activation="relu"), ef.layers.Dense(2, use_bias=False)])
    assert model.variables == []  # built lazily
    y = model(np.ones((4, 3), np.float32))
    assert y.shape == (4, 2) and y.dtype == ef.float32
    # Keras 3's order: kernel before bias (Dense keeps it as `_kernel`, as Keras)
    assert [v.path for v in model.trainable_variables] == ["sequential/dense/kernel", "sequential/dense/bias",
                                                           "sequential/dense_1/kernel"]
    assert model.layers[0].kernel.shape == (3, 5) and model.layers[1].bias is None
    assert model.submodules == tuple(model.layers)
    model2 = ef.layers.Sequential([ef.layers.Dense(1)])
    model2(ef.ones([1, 2]))
    assert model2.name == "sequential_1" and model2.variables[0].path.startswith("sequential_1/dense_2/")


def test_dense_math_and_glorot_init():
    ef.random.set_seed(7)
    d = ef.layers.Dense(64, activation="tanh", bias_initializer="ones")
    x = np.linspace(-1, 1, 32 * 10, dtype=np.float32).reshape(32, 10)
    got = d(x).numpy()
    want = np.tanh(x @ d.kernel.numpy() + d.bias.numpy())
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    limit = np.sqrt(6 / (10 + 64))
    k = d.kernel.numpy()
    assert np.abs(k).max() <= limit and np.abs(k).max() > 0.9 * limit and abs(k.mean()) < 0.05
    assert d.bias.numpy().tolist() == [1.0] * 64
    assert d(ef.ones([2, 10], dtype=ef.int32)).dtype == ef.float32  # integer inputs are cast
    assert d(ef.ones([2, 3, 10])).shape == (2, 3, 64)                # higher-rank inputs: last axis


def test_dense_init_is_reproducible_from_the_global_seed():
    ef.random.set_seed(11)
    a = ef.layers.Dense(3)
    a(ef.ones([1, 4]))
    ef.random.set_seed(11)
    b = ef.layers.Dense(3)
    b(ef.ones([1, 4]))
    np.testing.assert_array_equal(a.kernel.numpy(), b.kernel.numpy())


def test_activations_and_bad_arguments():
    d = ef.layers.Dense(2, activation=lambda t: t * 0.0)
    assert d(ef.ones([1, 2])).numpy().tolist() == [[0.0, 0.0]]
    sm = ef.layers.Dense(3, activation="softmax")
    np.testing.assert_allclose(sm(ef.ones([2, 4])).numpy().sum(axis=1), [1.0, 1.0], rtol=1e-6)
    with pytest.raises(ValueError, match="Could not interpret activation"):
        ef.layers.Dense(2, activation="nope")
    with pytest.raises(ValueError, match="positive integer"):
        ef.layers.Dense(0)
    with pytest.raises(ValueError, match="initializer"):
        ef.layers.Dense(2, kernel_initializer="nope")


def test_non_trainable_layer():
    d = ef.layers.Dense(2, trainable=False)
    d(ef.ones([1, 2]))
    assert d.trainable_variables == [] and len(d.non_trainable_variables) == 2
    d.trainable = True  # as Keras 3: unfreezing the layer unfreezes its weights
    assert len(d.trainable_variables) == 2 and d.non_trainable_variables == []


def test_keras_aliases():
    assert ef.keras.layers.Dense is ef.layers.Dense
    assert ef.keras.optimizers.schedules.ExponentialDecay is ef.optimizers.schedules.ExponentialDecay


def test_mlp_trains_with_tape_and_optimizer():
    ef.random.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    model = ef.layers.Sequential([ef.layers.Dense(16, activation="relu"), ef.layers.Dense(2)])
    opt = ef.optimizers.Adam(0.05)
    losses = []
    for _ in range(30):
        with ef.GradientTape() as tape:
            loss = ef.reduce_mean(ef.nn.sparse_softmax_cross_entropy_with_logits(y, model(x)))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    assert losses[-1] < 0.3 * losses[0]
    assert len(opt.variables) == 2 + 2 * 4


@pytest.mark.parametrize("name", ["module", "layers", "keras", "optimizers", "optimizers.optimizer", "optimizers.sgd",
                                  "optimizers.adam", "optimizers.rmsprop", "optimizers.adagrad",
                                  "optimizers.schedules"])
def test_docstring_examples(name):
    import doctest
    import importlib

    module = importlib.import_module(f"eagerflow.{name}")
    result = doctest.testmod(module, extraglobs={"ef": ef}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
