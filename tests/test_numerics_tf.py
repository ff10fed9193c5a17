"""TF's numerics that NumPy does not share: denormal results flushed to zero, no RuntimeWarning for nan/inf."""

import warnings

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef

TINY32 = np.finfo(np.float32).tiny


@pytest.mark.parametrize("dtype", [ef.float32, ef.float64, ef.bfloat16])
def test_results_below_the_smallest_normal_are_zero(dtype):
    x = ef.constant([-100.0, -720.0, 0.0], dtype)
    tiny = np.finfo(np.float32 if dtype is not ef.float64 else np.float64).tiny
    for out in (ef.exp(x), ef.sigmoid(x), ef.nn.softplus(x), ef.nn.softmax(ef.constant([0.0, -800.0], dtype)),
                ef.nn.sigmoid_cross_entropy_with_logits(labels=ef.zeros_like(x), logits=x)):
        values = np.abs(out.numpy().astype(np.float64))
        assert not ((values > 0) & (values < tiny)).any(), out
    assert ef.exp(x).numpy()[2] == 1


def test_flush_keeps_the_sign_and_normal_values():
    x = ef.constant([-100.0, -10.0, 0.0, 88.0])
    assert np.array_equal(ef.exp(x).numpy(), np.exp(x.numpy()) * (np.exp(x.numpy()) >= TINY32))
    assert np.signbit(ef.pow(ef.constant([-2.0]), 3.0 - 140.0).numpy()).all()  # -(2**-137) -> -0
    assert ef.pow(ef.constant([-2.0]), -137.0).numpy()[0] == 0
    assert ef.exp(ef.constant(-100.0)).numpy() == 0  # a scalar result too
    assert ef.cast(ef.constant([1e-39, 1e-30], ef.float64), ef.float32).numpy().tolist() == [0, np.float32(1e-30)]


def test_float16_keeps_its_denormals_as_tf():
    assert ef.exp(ef.constant([-10.0], ef.float16)).numpy()[0] == np.exp(np.float16(-10.0))


def test_the_fast_path_and_a_replayed_function_flush_alike():
    f = ef.function(lambda x: ef.exp(x) * ef.pow(x, 2.0))
    x = ef.constant([-100.0, 1e-2])
    assert f(x).numpy()[0] == 0 and f(x).numpy()[0] == 0  # traced, then replayed


def _run_silently(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", category=RuntimeWarning, module=__name__)
        out = fn()
    return out, [w for w in caught if issubclass(w.category, RuntimeWarning)]


def test_nan_and_inf_results_warn_nothing_while_user_numpy_still_warns():
    inf = ef.constant([np.inf, 1.0])
    v = ef.Variable([np.inf])
    f = ef.function(lambda x: ef.math.log(x - x) * 0)

    def ops():
        return [(inf * 0).numpy(), ef.math.squared_difference(inf, inf).numpy(),
                ef.reduce_mean(ef.constant([], ef.float32)).numpy(), v.assign_sub([np.inf]).numpy(),
                ef.math.log(ef.constant(-1.0)).numpy(), f(inf).numpy(), f(inf).numpy()]

    before = np.geterr()
    out, caught = _run_silently(ops)
    assert [(w.filename, str(w.message)) for w in caught] == [] and np.isnan(out[0][0]) and np.isnan(out[3][0])
    assert np.geterr() == before  # NumPy's error state is the user's
    _, caught = _run_silently(lambda: np.array([np.inf], np.float32) * 0)
    assert len(caught) == 1 and caught[0].filename == __file__


def test_a_warnings_error_filter_set_later_does_not_break_kernels():
    v = ef.Variable([np.inf, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan((ef.constant([np.inf]) * 0).numpy()[0])
        assert np.isnan(ef.math.log(ef.constant(-1.0)).numpy())
        v.assign_sub([np.inf, 1.0])
        with pytest.raises(RuntimeWarning):
            np.array([np.inf]) * 0
    assert np.isnan(v.numpy()[0]) and v.numpy()[1] == 0


def test_bfloat16_flush():
    x = ef.exp(ef.constant([-90.0], ef.bfloat16)).numpy()
    assert x.dtype == ml_dtypes.bfloat16 and float(x[0]) == 0


def test_products_keep_denormals_as_the_other_arithmetic():  # the documented gap: TF gives 0
    assert ef.matmul(ef.constant([[1e-20]]), ef.constant([[1e-20]])).numpy()[0, 0] == np.float32(1e-20) ** 2
