"""Winograd F(4x4, 3x3) convolutions (backends/kernels_nn.py): float32 3x3 filters at unit strides with at least
32 channels in and out, while TF32 execution is allowed. Checked against the float64 convolution (im2col, itself
checked against direct loops in test_nn_conv.py) within the precision the kernel's comment states."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eagerflow as ef
from eagerflow.backends import kernels_nn

rng = np.random.default_rng(7)
EPS = np.finfo(np.float32).eps


def _ulps_of_max(got, want):
    """The largest error in float32 ulps of the largest magnitude of `want`."""
    return np.abs(got.astype(np.float64) - want).max() / (np.abs(want).max() * EPS)


def _pair(n, h, w, c, k):
    return (rng.standard_normal((n, h, w, c)).astype(np.float32),
            rng.standard_normal((3, 3, c, k)).astype(np.float32))


def _reference(x, w, padding):
    return ef.nn.conv2d(x.astype(np.float64), w.astype(np.float64), 1, padding).numpy()


@pytest.fixture
def tf32():
    yield
    ef.config.experimental.enable_tensor_float_32_execution(True)


@pytest.mark.parametrize("shape", [(2, 32, 32, 32, 32), (3, 9, 7, 32, 40), (1, 5, 5, 33, 48), (1, 1, 1, 32, 32),
                                   (4, 17, 18, 64, 32)])
@pytest.mark.parametrize("padding", ["SAME", "VALID", [[0, 0], [2, 3], [0, 5], [0, 0]]])
def test_winograd_matches_the_float64_convolution(shape, padding):
    x, w = _pair(*shape)
    if padding == "VALID" and min(shape[1:3]) < 3:
        pytest.skip("no output")
    pads = [(1, 1), (1, 1)] if padding == "SAME" else [(0, 0), (0, 0)] if padding == "VALID" else [
        tuple(p) for p in padding[1:3]]
    assert kernels_nn._winograd_applies(np, x, w, (1, 1), (1, 1), pads)
    got = ef.nn.conv2d(x, w, 1, padding)
    want = _reference(x, w, padding)
    assert got.dtype == ef.float32 and got.shape == want.shape
    assert _ulps_of_max(got.numpy(), want) < 64


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 3), h=st.integers(1, 14), w=st.integers(1, 14), top=st.integers(0, 5),
       bottom=st.integers(0, 5), left=st.integers(0, 5), right=st.integers(0, 5))
def test_winograd_tiles_any_size_and_padding(n, h, w, top, bottom, left, right):
    if h + top + bottom < 3 or w + left + right < 3:
        return
    x, f = _pair(n, h, w, 32, 32)
    padding = [[0, 0], [top, bottom], [left, right], [0, 0]]
    assert _ulps_of_max(ef.nn.conv2d(x, f, 1, padding).numpy(), _reference(x, f, padding)) < 64


def test_tf32_off_gives_the_im2col_result(tf32, monkeypatch):
    x, w = _pair(2, 12, 12, 32, 32)
    ef.config.experimental.enable_tensor_float_32_execution(False)
    exact = ef.nn.conv2d(x, w, 1, "SAME").numpy()
    monkeypatch.setattr(kernels_nn, "_WINO_MIN_CHANNELS", 1 << 30)  # im2col whatever the switch says
    ef.config.experimental.enable_tensor_float_32_execution(True)
    np.testing.assert_array_equal(exact, ef.nn.conv2d(x, w, 1, "SAME").numpy())
    monkeypatch.undo()
    fast = ef.nn.conv2d(x, w, 1, "SAME").numpy()
    assert not np.array_equal(exact, fast) and _ulps_of_max(fast, _reference(x, w, "SAME")) < 64


@pytest.mark.parametrize("case", ["float64", "stride 2", "dilation 2", "16 channels in", "16 channels out",
                                  "5x5 filter", "3x1 filter"])
def test_winograd_is_not_taken(case):
    x, w = _pair(1, 8, 8, 32, 32)
    strides, dilations = (2, 2) if case == "stride 2" else (1, 1), (2, 2) if case == "dilation 2" else (1, 1)
    if case == "float64":
        x, w = x.astype(np.float64), w.astype(np.float64)
    elif case == "16 channels in":
        x, w = x[..., :16], w[:, :, :16]
    elif case == "16 channels out":
        w = w[..., :16]
    elif case == "5x5 filter":
        w = rng.standard_normal((5, 5, 32, 32)).astype(np.float32)
    elif case == "3x1 filter":
        w = w[:, :1]
    assert not kernels_nn._winograd_applies(np, x, w, strides, dilations, [(1, 1), (1, 1)])


def test_gradients_through_winograd():
    # the input gradient of a unit-stride 3x3 convolution is itself one (and takes Winograd); the filter's is im2col
    x, w = _pair(2, 10, 11, 32, 32)
    g = rng.standard_normal((2, 10, 11, 32))
    results = []
    for dtype in (ef.float32, ef.float64):
        xt, wt = ef.constant(x, dtype), ef.constant(w, dtype)
        with ef.GradientTape() as tape:
            tape.watch([xt, wt])
            loss = ef.reduce_sum(ef.nn.conv2d(xt, wt, 1, "SAME") * ef.constant(g, dtype))
        results.append([t.numpy() for t in tape.gradient(loss, [xt, wt])])
    (dx, dw), (dx64, dw64) = results
    assert _ulps_of_max(dx, dx64) < 64 and _ulps_of_max(dw, dw64) < 64


def test_winograd_on_several_threads_gives_the_one_thread_result_bit_for_bit(monkeypatch):
    from eagerflow.backends import spread
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", 64)
    monkeypatch.setattr(kernels_nn, "_WINO_MIN_TILES", 1)  # a block a tile row: many blocks
    x, w = _pair(3, 13, 9, 32, 32)
    results = []
    for threads in (1, 3):
        monkeypatch.setattr(spread, "_threads", lambda xp, tasks, t=threads: min(t, tasks))
        results.append(ef.nn.conv2d(x, w, 1, "SAME").numpy())
    np.testing.assert_array_equal(*results)
    assert _ulps_of_max(results[0], _reference(x, w, "SAME")) < 64


@pytest.mark.parametrize("padding", [[[0, 0], [0, 9], [1, 1], [0, 0]], [[0, 0], [10, 0], [0, 2], [0, 0]]])
def test_winograd_blocks_wholly_in_the_padding(padding, monkeypatch):
    # a block a tile row: with more padding than a tile row, some blocks read no row of x
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", 64)
    monkeypatch.setattr(kernels_nn, "_WINO_MIN_TILES", 1)
    x, w = _pair(2, 9, 6, 32, 32)
    assert _ulps_of_max(ef.nn.conv2d(x, w, 1, padding).numpy(), _reference(x, w, padding)) < 64
