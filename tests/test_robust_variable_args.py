"""Variable arguments TF acts on (constraint, validate_shape, use_locking), top_k(sorted=False), deepcopy,
and multi-device work outside kernels (two fake GPUs: every buffer lives where its tensor says).
TF-recorded: tests/conformance/cases/robust_variable_args.py."""

import copy

import numpy as np
import pytest

import eagerflow as ef
from test_gpu_backend_fake import run_fake


def test_optimizers_apply_the_constraint_after_each_update():
    v = ef.Variable([5.0, -3.0], constraint=lambda t: ef.clip_by_value(t, 0.0, 1.0))
    ef.optimizers.SGD(1.0).apply_gradients([(ef.constant([-10.0, 1.0]), v)])
    assert v.numpy().tolist() == [1.0, 0.0]
    v.assign([7.0, 7.0])  # only optimizers project, as TF
    assert v.numpy().tolist() == [7.0, 7.0]
    with pytest.raises(ValueError, match="constraint"):
        ef.Variable(1.0, constraint="clip")


def test_a_constraint_that_changes_the_shape_is_refused():
    v = ef.Variable([1.0, 2.0], constraint=lambda t: ef.reshape(t, [2, 1]))
    with pytest.raises(ValueError):
        ef.optimizers.SGD(1.0).apply_gradients([(ef.constant([1.0, 1.0]), v)])
    assert v.shape == (2,)


def test_validate_shape_false_keeps_the_shape_as_tf_and_unknown_shapes_take_others():
    v = ef.Variable([1.0, 2.0], validate_shape=False)
    assert v.shape == (2,)
    with pytest.raises(ValueError):
        v.assign([1.0, 2.0, 3.0])
    u = ef.Variable([1.0, 2.0], shape=ef.TensorShape(None))
    u.assign([1.0, 2.0, 3.0])
    assert u.numpy().tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("seed", range(20))
def test_top_k_unsorted_is_the_sorted_set(seed):
    # the order itself is TF's heap order, recorded in tests/conformance/cases/ops_top_k_unsorted.py
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, size=(3, 9)).astype(np.float32)
    k = int(rng.integers(0, 10))
    values, indices = ef.math.top_k(x, k=k, sorted=True)
    u_values, u_indices = ef.math.top_k(x, k=k, sorted=False)
    np.testing.assert_array_equal(np.sort(indices.numpy(), axis=-1), np.sort(u_indices.numpy(), axis=-1))
    np.testing.assert_array_equal(np.take_along_axis(x, u_indices.numpy(), axis=-1), u_values.numpy())


def test_deepcopy_keeps_the_settings_and_takes_the_name_in_the_current_scope():
    with ef.name_scope("outer"):
        w = ef.Variable([1.0, 2.0], name="w", constraint=abs, trainable=False)
    c = copy.deepcopy(w)
    assert (c.name, c.trainable, c.constraint, c.device) == ("outer/w:0", False, abs, w.device)
    with ef.name_scope("outer"):
        assert copy.deepcopy(w).name == "outer/outer/w:0"  # as TF
    w.assign([3.0, 4.0])
    assert c.numpy().tolist() == [1.0, 2.0]


def test_work_outside_kernels_runs_on_each_variables_gpu():
    run_fake("""
        import copy

        def on(t, device):
            buffer = getattr(t, "_value", None)
            if buffer is None:
                buffer = t._buf
            assert t.device == device, (t.device, device)
            assert buffer.device_id == int(device[-1]), (t.device, buffer.device_id)  # the buffer is there too
            return t

        with ef.device("GPU:1"):
            v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
            i = ef.Variable([1, 2, 3])
            s = v[0]  # a slice under the scope runs on GPU:1, and its copy stays there
            on(s, GPU1)
        on(v[0], GPU0)  # no scope: the default device, as TF (the value is copied there)
        v[0].assign([5.0, 6.0])
        v[0].assign_add([1.0, 1.0])
        v[1].assign_sub([1.0, 1.0])
        i[1:].assign_add([10, 10])
        v.scatter_nd_add([[0, 0]], [1.0])
        v.scatter_nd_update(ef.constant([[1, 1]]), ef.constant([9.0]))
        v.assign_add(ef.ones([2, 2]))   # a GPU:0 operand
        with ef.device("CPU:0"):
            v.assign(v + ef.zeros([2, 2]))  # a CPU operand
        assert v.numpy().tolist() == [[8.0, 8.0], [3.0, 10.0]], v.numpy()
        assert i.numpy().tolist() == [1, 12, 13]
        on(v, GPU1)
        on(copy.deepcopy(v), GPU1)
        try:
            v.scatter_nd_update([[5, 0]], [1.0])
        except ef.errors.InvalidArgumentError:
            pass
        else:
            raise AssertionError("an index outside the variable")
        opt = ef.optimizers.Adam(0.1)
        with ef.GradientTape() as tape:
            loss = ef.reduce_sum(v[0] * v[0])
        opt.apply_gradients([(tape.gradient(loss, v), v)])
        on(v, GPU1)
    """, gpus="2")
