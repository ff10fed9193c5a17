"""Convolutions and pooling: a direct NumPy oracle, finite-difference gradients of every op, errors."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eagerflow as ef
from gradcheck import check_gradients

rng = np.random.default_rng(0)


def _conv_oracle(x, w, stride, dilation, pads):
    """Direct loops over output pixels: the definition of a 2-D cross-correlation."""
    x = np.pad(x, ((0, 0), *pads, (0, 0)))
    kh, kw, _, o = w.shape
    oh = (x.shape[1] - (kh - 1) * dilation - 1) // stride + 1
    ow = (x.shape[2] - (kw - 1) * dilation - 1) // stride + 1
    y = np.zeros((x.shape[0], oh, ow, o))
    for i, j in itertools.product(range(oh), range(ow)):
        patch = x[:, i * stride:i * stride + (kh - 1) * dilation + 1:dilation,
                  j * stride:j * stride + (kw - 1) * dilation + 1:dilation, :]
        y[:, i, j] = np.tensordot(patch, w, axes=3)
    return y


@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (1, 2), (3, 1)])
@pytest.mark.parametrize("padding", ["VALID", [[0, 0], [2, 1], [0, 3], [0, 0]]])
def test_conv2d_matches_direct_loops(stride, dilation, padding):
    x, w = rng.standard_normal((2, 7, 8, 3)), rng.standard_normal((3, 2, 3, 4))
    pads = [(0, 0), (0, 0)] if padding == "VALID" else [tuple(p) for p in padding[1:3]]
    got = ef.nn.conv2d(x, w, stride, padding, dilations=dilation).numpy()
    np.testing.assert_allclose(got, _conv_oracle(x, w, stride, dilation, pads), rtol=1e-10)


CHANNELS_FIRST_ON_CPU = {  # TF's CPU kernels take channels-last only: (call, TF's error class)
    "conv2d": (lambda: ef.nn.conv2d(ef.ones([1, 2, 4, 4]), ef.ones([2, 2, 2, 3]), 1, "VALID", data_format="NCHW"),
               ef.errors.UnimplementedError),
    "conv1d": (lambda: ef.nn.conv1d(ef.ones([1, 2, 5]), ef.ones([2, 2, 3]), 1, "VALID", data_format="NCW"),
               ef.errors.UnimplementedError),
    "conv3d": (lambda: ef.nn.conv3d(ef.ones([1, 2, 3, 3, 3]), ef.ones([2, 2, 2, 2, 3]), [1] * 5, "VALID",
                                    data_format="NCDHW"), ef.errors.InvalidArgumentError),
    "depthwise": (lambda: ef.nn.depthwise_conv2d(ef.ones([1, 2, 4, 4]), ef.ones([2, 2, 2, 1]), [1] * 4, "VALID",
                                                 data_format="NCHW"), ef.errors.UnimplementedError),
    "conv2d_transpose": (lambda: ef.nn.conv2d_transpose(ef.ones([1, 3, 3, 3]), ef.ones([2, 2, 2, 3]), [1, 2, 4, 4],
                                                        1, "VALID", data_format="NCHW"),
                         ef.errors.InvalidArgumentError),
    "max_pool2d": (lambda: ef.nn.max_pool2d(ef.ones([1, 2, 4, 4]), 2, 1, "VALID", data_format="NCHW"),
                   ef.errors.InvalidArgumentError),
    "avg_pool3d": (lambda: ef.nn.avg_pool3d(ef.ones([1, 2, 3, 3, 3]), 2, 1, "VALID", data_format="NCDHW"),
                   ef.errors.InvalidArgumentError),
    "depth_to_space": (lambda: ef.nn.depth_to_space(ef.ones([1, 4, 2, 2]), 2, data_format="NCHW"),
                       ef.errors.NotFoundError),
}


@pytest.mark.parametrize("name", sorted(CHANNELS_FIRST_ON_CPU))
def test_channels_first_is_refused_on_the_cpu(name):
    call, error = CHANNELS_FIRST_ON_CPU[name]
    with pytest.raises(error, match="NHWC|NDHWC"):
        call()



def _conv_nd_oracle(x, w, g, strides, dilations, pads):
    """Direct loops over output positions, any rank: the cross-correlation y and, for an upstream g, the
    gradients of sum(y * g) with respect to x and w."""
    r = w.ndim - 2
    xpad = np.pad(x, ((0, 0), *pads, (0, 0)))
    ksize = w.shape[:r]
    out = [(xpad.shape[1 + i] - (ksize[i] - 1) * dilations[i] - 1) // strides[i] + 1 for i in range(r)]
    y = np.zeros((x.shape[0], *out, w.shape[-1]))
    dxpad, dw = np.zeros(xpad.shape), np.zeros(w.shape)
    for o in itertools.product(*(range(n) for n in out)):
        window = (slice(None),) + tuple(slice(o[i] * strides[i], o[i] * strides[i] + (ksize[i] - 1) * dilations[i] + 1,
                                              dilations[i]) for i in range(r))
        y[(slice(None), *o)] = np.tensordot(xpad[window], w, axes=r + 1)
        go = g[(slice(None), *o)]
        dw += np.tensordot(xpad[window], go, axes=([0], [0]))
        dxpad[window] += np.tensordot(go, w, axes=([1], [r + 1]))
    dx = dxpad[(slice(None),) + tuple(slice(lo, dxpad.shape[1 + i] - hi) for i, (lo, hi) in enumerate(pads))]
    return y, dx, dw


def _same_pads(size, k, stride, dilation):
    span = (k - 1) * dilation + 1
    total = max((-(-size // stride) - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


# (call, x shape, w shape, strides, dilations, pads): unit and larger strides (the input gradient as a convolution
# with the flipped filter, or scattered back), dilations, explicit and SAME padding, odd sizes, 1-D and 3-D, a
# 1x1 filter read straight from the input and one that is padded
CONV_CASES = {
    "2d same": (lambda x, w: ef.nn.conv2d(x, w, 1, "SAME"), (3, 7, 5, 2), (3, 3, 2, 4), (1, 1), (1, 1),
                ((1, 1), (1, 1))),
    "2d strides": (lambda x, w: ef.nn.conv2d(x, w, [1, 2, 3, 1], [[0, 0], [2, 1], [0, 3], [0, 0]]),
                   (3, 7, 8, 2), (3, 2, 2, 3), (2, 3), (1, 1), ((2, 1), (0, 3))),
    "2d dilated": (lambda x, w: ef.nn.conv2d(x, w, 1, "VALID", dilations=[1, 2, 1, 1]), (2, 9, 6, 3),
                   (2, 3, 3, 2), (1, 1), (2, 1), ((0, 0), (0, 0))),
    "2d 1x1": (lambda x, w: ef.nn.conv2d(x, w, 1, "VALID"), (3, 4, 5, 3), (1, 1, 3, 2), (1, 1), (1, 1),
               ((0, 0), (0, 0))),
    "2d 1x1 padded": (lambda x, w: ef.nn.conv2d(x, w, 1, [[0, 0], [1, 0], [0, 2], [0, 0]]), (2, 3, 4, 2),
                      (1, 1, 2, 2), (1, 1), (1, 1), ((1, 0), (0, 2))),
    "1d": (lambda x, w: ef.nn.conv1d(x, w, 2, "SAME"), (3, 9, 2), (3, 2, 3), (2,), (1,), (_same_pads(9, 3, 2, 1),)),
    "3d": (lambda x, w: ef.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"), (2, 3, 5, 4, 2), (2, 3, 2, 2, 3),
           (1, 2, 1), (1, 1, 1), (_same_pads(3, 2, 1, 1), _same_pads(5, 3, 2, 1), _same_pads(4, 2, 1, 1))),
    "3d unit": (lambda x, w: ef.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME"), (2, 3, 4, 3, 2), (3, 2, 3, 2, 2),
                (1, 1, 1), (1, 1, 1), (_same_pads(3, 3, 1, 1), _same_pads(4, 2, 1, 1), _same_pads(3, 3, 1, 1))),
}


@pytest.mark.parametrize("column_bytes", [1, 3000, 1 << 25])  # one output row per GEMM, a few, the whole batch
@pytest.mark.parametrize("name", sorted(CONV_CASES))
def test_conv_and_gradients_match_direct_loops(name, column_bytes, monkeypatch):
    from eagerflow.backends import kernels_nn
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", column_bytes)
    call, xs, ws, strides, dilations, pads = CONV_CASES[name]
    x, w = ef.constant(rng.standard_normal(xs)), ef.constant(rng.standard_normal(ws))
    with ef.GradientTape() as tape:
        tape.watch([x, w])
        y = call(x, w)
        g = rng.standard_normal(y.shape)
        loss = ef.reduce_sum(y * g)
    dx, dw = tape.gradient(loss, [x, w])
    y_want, dx_want, dw_want = _conv_nd_oracle(x.numpy(), w.numpy(), g, strides, dilations, pads)
    np.testing.assert_allclose(y.numpy(), y_want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dx.numpy(), dx_want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dw.numpy(), dw_want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("n,out,row_bytes,column_bytes", [
    (32, (32, 32), 2304, 1 << 25), (32, (32, 32), 2304, 1 << 27), (5, (7, 3), 8, 100), (5, (7, 3), 8, 1),
    (2, (9,), 4, 12), (1, (4, 3, 2), 1, 1 << 25), (0, (3, 3), 8, 1 << 25),
])
def test_column_blocks_tile_the_output_grid_once(n, out, row_bytes, column_bytes, monkeypatch):
    from eagerflow.backends import kernels_nn
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", column_bytes)
    seen = np.zeros((n, *out), dtype=int)
    rows = max(column_bytes // row_bytes, 1)
    sizes = []
    for block in kernels_nn._column_blocks(n, out, row_bytes):
        part = seen[block]
        part += 1
        assert part.flags.c_contiguous  # the block's output (and upstream gradient) rows are a plain GEMM operand
        sizes.append(part.size)
    assert (seen == 1).all()
    inner = int(np.prod(out[1:]))
    assert all(s <= max(rows, inner) for s in sizes)
    assert not sizes or sizes[0] == max(sizes)  # the buffer is sized by the first block


def test_conv_of_an_empty_batch():
    x, w = ef.zeros([0, 5, 4, 2]), ef.constant(rng.standard_normal((3, 3, 2, 3)), ef.float32)
    with ef.GradientTape() as tape:
        tape.watch([x, w])
        y = ef.nn.conv2d(x, w, 1, "SAME")
        loss = ef.reduce_sum(y)
    dx, dw = tape.gradient(loss, [x, w])
    assert y.shape == (0, 5, 4, 3) and dx.shape == (0, 5, 4, 2)
    np.testing.assert_array_equal(dw.numpy(), np.zeros((3, 3, 2, 3)))


X = rng.standard_normal((2, 5, 6, 3))
W = rng.standard_normal((3, 2, 3, 4))
GRADIENT_CASES = {
    "conv2d same s2": lambda x, w: ef.nn.conv2d(x, w, 2, "SAME"),
    "conv2d valid d2": lambda x, w: ef.nn.conv2d(x, w, 1, "VALID", dilations=2),
    "conv2d explicit": lambda x, w: ef.nn.conv2d(x, w, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]),
    "depthwise": lambda x, w: ef.nn.depthwise_conv2d(x, w[..., :2], [1, 2, 2, 1], "SAME"),
    "depthwise dil": lambda x, w: ef.nn.depthwise_conv2d(x, w[..., :2], [1, 1, 1, 1], "VALID", dilations=[1, 2]),
    "separable": lambda x, w: ef.nn.separable_conv2d(x, w[..., :2], ef.reshape(w[0, :, :, :2], [1, 1, 6, 2]),
                                                     [1, 1, 1, 1], "SAME"),
    "conv2d_transpose": lambda x, w: ef.nn.conv2d_transpose(x[:, :3, :3], w[:, :, :2, :3], [2, 5, 6, 2], 2),
    "atrous_transpose": lambda x, w: ef.nn.atrous_conv2d_transpose(x, w[:, :, :2, :3], [2, 5, 6, 2], 2, "SAME"),
    "max_pool": lambda x, w: ef.nn.max_pool2d(x, [2, 3], [1, 2], "SAME"),
    "avg_pool": lambda x, w: ef.nn.avg_pool2d(x, 3, 2, "SAME"),
    "pool avg dilated": lambda x, w: ef.nn.pool(x, [2, 2], "AVG", dilations=[2, 1]),
    "max_pool_with_argmax": lambda x, w: ef.nn.max_pool_with_argmax(x, 2, 2, "SAME")[0],
    "dilation2d": lambda x, w: ef.nn.dilation2d(x, w[:2, :2, :, 0], [1, 1, 1, 1], "SAME", "NHWC", [1, 1, 2, 1]),
    "erosion2d": lambda x, w: ef.nn.erosion2d(x, w[:2, :2, :, 0], [1, 2, 1, 1], "VALID", "NHWC", [1, 1, 1, 1]),
}


@pytest.mark.parametrize("name", sorted(GRADIENT_CASES))
def test_gradients_match_finite_differences(name):
    check_gradients(GRADIENT_CASES[name], [X, W])


def test_gradients_1d_3d():
    check_gradients(lambda x, w: ef.nn.conv1d(x, w, 2, "SAME"),
                    [rng.standard_normal((2, 7, 3)), rng.standard_normal((3, 3, 2))])
    check_gradients(lambda x, w: ef.nn.conv3d(x, w, [1, 2, 1, 1, 1], "SAME"),
                    [rng.standard_normal((1, 4, 3, 3, 2)), rng.standard_normal((2, 2, 2, 2, 3))])
    check_gradients(lambda x, w: ef.nn.conv3d_transpose(x, w, [1, 4, 3, 3, 2], [1, 2, 1, 1, 1]),
                    [rng.standard_normal((1, 2, 3, 3, 3)), rng.standard_normal((2, 2, 2, 2, 3))])
    # TF has MaxPool3D kernels for float16/bfloat16/float32 only: check it in float32 (piecewise linear, so a
    # coarse step is exact away from ties)
    check_gradients(lambda x: ef.cast(ef.nn.max_pool3d(ef.cast(x, ef.float32), 2, 1, "SAME"), ef.float64),
                    [rng.standard_normal((1, 3, 3, 2, 2))], eps=1e-3, rtol=1e-3, atol=1e-4)
    check_gradients(lambda x: ef.nn.avg_pool1d(x, 3, 2, "SAME"), [rng.standard_normal((2, 7, 2))])


def test_backprop_ops_are_the_gradients():
    x, w = ef.constant(X), ef.constant(W[..., :2])
    g = ef.constant(rng.standard_normal((2, 3, 3, 6)))
    with ef.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = ef.reduce_sum(ef.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME") * g)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), ef.nn.depthwise_conv2d_backprop_input(
        [2, 5, 6, 3], w, g, [1, 2, 2, 1], "SAME").numpy())
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), ef.nn.depthwise_conv2d_backprop_filter(
        x, [3, 2, 3, 2], g, [1, 2, 2, 1], "SAME").numpy())


def test_second_order_through_conv_and_pooling():
    def hessian_vector(fn):
        check_gradients(lambda x: _grad_of(fn, x), [X[:1, :4, :4, :2]], rtol=1e-4, atol=1e-5)

    def _grad_of(fn, x):
        with ef.GradientTape() as tape:
            tape.watch(x)
            y = ef.reduce_sum(fn(x) ** 2)
        return tape.gradient(y, x)
    w = ef.constant(W[:, :, :2, :2])
    hessian_vector(lambda x: ef.nn.conv2d(x, w, 1, "SAME"))
    hessian_vector(lambda x: ef.nn.avg_pool2d(x, 2, 1, "SAME"))
    hessian_vector(lambda x: ef.nn.conv2d_transpose(x, w, [1, 4, 4, 2], 1))


def test_max_pool_gradient_goes_to_first_maximum():
    x = ef.constant([[[[1.0], [1.0]], [[0.0], [1.0]]]])
    with ef.GradientTape() as tape:
        tape.watch(x)
        y = ef.nn.max_pool2d(x, 2, 2, "VALID")
    assert tape.gradient(y, x).numpy().ravel().tolist() == [1.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize("call,error", [
    (lambda: ef.nn.conv2d(X, W[:, :, :2], 1, "SAME"), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.conv2d(X, W, 1, "same"), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.conv2d(X, W, [2, 1, 1, 1], "SAME"), ef.errors.UnimplementedError),
    (lambda: ef.nn.conv2d(X, W, 1, "VALID", dilations=4), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.conv2d(ef.constant(X), ef.constant(W, ef.float32), 1, "SAME"), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.conv2d(X[0], W, 1, "SAME"), ValueError),
    (lambda: ef.nn.conv2d(X, W, 1, [[1, 1], [0, 0], [0, 0], [0, 0]]), ValueError),
    (lambda: ef.nn.conv2d(X, W, 1, "SAME", data_format="HWCN"), ValueError),
    (lambda: ef.nn.conv2d_transpose(X, W, [2, 5, 6, 3], 1, "SAME"), ValueError),
    (lambda: ef.nn.conv2d_transpose(X[..., :1], W[:, :, :, :1], [2, 9, 6, 3], 1, "SAME"),
     ef.errors.InvalidArgumentError),
    (lambda: ef.nn.max_pool2d(X, 2, 1, "FULL"), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.max_pool(X[0, 0], 2, 1, "SAME"), ValueError),
    (lambda: ef.nn.avg_pool2d(ef.constant([[[[1]]]]), 1, 1, "SAME"), ef.errors.InvalidArgumentError),
    (lambda: ef.nn.atrous_conv2d(X, W, 0, "SAME"), ValueError),
    (lambda: ef.nn.pool(X, [2, 2], "MAX", padding="SAME", dilations=[2, 2]), ValueError),
    (lambda: ef.nn.pool(X, [2, 2], "MAX", strides=[2, 2], dilations=[2, 2]), ValueError),
    (lambda: ef.nn.pool(X, [2, 2], "MEDIAN"), ValueError),
])
def test_errors(call, error):
    with pytest.raises(error):
        call()


def test_integer_max_pool_and_float16_conv():
    x = ef.constant([[[[1], [5]], [[3], [2]]]])
    assert ef.nn.max_pool2d(x, 2, 1, "SAME").numpy().ravel().tolist() == [5, 5, 3, 2]
    y = ef.nn.conv2d(ef.ones([1, 3, 3, 1], ef.float16), ef.ones([2, 2, 1, 1], ef.float16), 1, "VALID")
    assert y.dtype == ef.float16 and y.numpy().ravel().tolist() == [4.0] * 4


def test_max_pool3d_follows_the_kernel_tf_runs(monkeypatch):
    # TF_ENABLE_ONEDNN_OPTS picks TF's kernel (tests/conformance/cases/nn_max_pool3d_onednn.py and _ties.py)
    from eagerflow.backends import kernels_nn
    x = ef.constant([[np.nan, 1.0], [-np.inf, -np.inf], [2.0, np.nan]], shape=[1, 1, 3, 2, 1])
    try:
        for value, onednn, want in (("1", True, [1.0, np.finfo(np.float32).min, 2.0]), ("true", True, None),
                                    ("0", False, [1.0, -np.inf, np.nan]), ("False", False, None)):
            monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", value)
            kernels_nn.onednn_enabled.cache_clear()
            assert kernels_nn.onednn_enabled() is onednn
            if want is not None:
                got = ef.nn.max_pool3d(x, [1, 1, 2], [1, 1, 2], "VALID").numpy().ravel()
                np.testing.assert_array_equal(got, np.float32(want))
    finally:
        monkeypatch.undo()
        kernels_nn.onednn_enabled.cache_clear()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([0.0, 0.1, 0.5]), st.sampled_from(["VALID", "SAME"]))
def test_max_pool_passes_over_nan_and_starts_at_the_lowest_finite(seed, special, padding):
    # the oracle: each window's fmax (NaN passed over), started at the lowest finite float32, as TF's kernel
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 5, 6, 3)).astype(np.float32)
    mask = rng.random(x.shape)
    x[mask < special / 3] = np.nan
    x[(mask >= special / 3) & (mask < 2 * special / 3)] = -np.inf
    x[(mask >= 2 * special / 3) & (mask < special)] = np.inf
    got = ef.nn.max_pool2d(x, 2, 2, padding).numpy()
    low = np.finfo(np.float32).min
    rows, cols = got.shape[1:3]
    want = np.full(got.shape, low, np.float32)
    for i in range(rows):
        for j in range(cols):
            window = x[:, 2 * i:2 * i + 2, 2 * j:2 * j + 2].reshape(2, -1, 3)
            want[:, i, j] = np.fmax(np.fmax.reduce(window, axis=1), low)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_max_pool_of_a_lone_all_minus_inf_window_is_the_lowest_finite(dtype):
    # no NaN anywhere: only the one all -inf window sends the kernel to its fmax pass
    x = rng.standard_normal((1, 4, 4, 2)).astype(dtype)
    x[0, 2:, :2, 1] = -np.inf
    want = np.fmax(x.reshape(1, 2, 2, 2, 2, 2).max(axis=(2, 4)), np.finfo(dtype).min)
    got = ef.nn.max_pool2d(x, 2, 2, "VALID").numpy()
    np.testing.assert_array_equal(got, want)
    assert got[0, 1, 0, 1] == np.finfo(dtype).min and got.dtype == dtype


def test_max_pool_of_an_empty_batch():
    got = ef.nn.max_pool2d(ef.zeros([0, 4, 4, 3]), 2, 2, "VALID")
    assert got.shape == (0, 2, 2, 3)


def _spread_threads(monkeypatch, count):
    from eagerflow.backends import spread
    monkeypatch.setattr(spread, "_threads", lambda xp, tasks: min(count, tasks))


@pytest.mark.parametrize("name", ["2d same", "2d strides", "2d 1x1 padded", "3d unit"])
def test_conv_kernels_on_several_threads_give_the_one_thread_result_bit_for_bit(name, monkeypatch):
    from eagerflow.backends import kernels_nn
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", 64)  # many blocks: every thread takes several
    call, xs, ws = CONV_CASES[name][:3]
    x = ef.constant(rng.standard_normal((9, *xs[1:])), ef.float32)
    w = ef.constant(rng.standard_normal(ws), ef.float32)
    results = []
    for threads in (1, 3):
        _spread_threads(monkeypatch, threads)
        with ef.GradientTape() as tape:
            tape.watch([x, w])
            y = call(x, w)
            loss = ef.reduce_sum(y * y)
        results.append([t.numpy() for t in (y, *tape.gradient(loss, [x, w]))])
    for one, several in zip(*results):
        np.testing.assert_array_equal(one, several)


def test_convolutions_of_several_threads_at_once_are_each_right(monkeypatch):
    # one thread's kernel spreads its blocks while the others' run on their own threads meanwhile
    import threading
    from eagerflow.backends import kernels_nn
    monkeypatch.setattr(kernels_nn, "_COLUMN_BYTES", 256)
    _spread_threads(monkeypatch, 2)
    xs = [rng.standard_normal((4, 9, 8, 3)).astype(np.float32) for _ in range(4)]
    w = rng.standard_normal((3, 3, 3, 5)).astype(np.float32)
    want = [_conv_oracle(x, w, 1, 1, [(1, 1), (1, 1)]) for x in xs]
    got, failures = [None] * len(xs), []
    start = threading.Barrier(len(xs))

    def run(i):
        try:
            start.wait(10)
            for _ in range(5):
                got[i] = ef.nn.conv2d(xs[i], w, 1, "SAME").numpy()
        except Exception as e:  # noqa: BLE001 - reported below
            failures.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(xs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    for g, want_i in zip(got, want):
        np.testing.assert_allclose(g, want_i, rtol=1e-4, atol=1e-4)


def test_spread_raises_a_thread_error_and_gives_the_blas_threads_back(monkeypatch):
    from eagerflow.backends import blas_threads, spread
    _spread_threads(monkeypatch, 2)
    before = blas_threads.threads()
    done = []

    def worker():
        def work(task):
            if task == 5:
                raise ArithmeticError(f"task {task}")
            done.append(task)
        return work
    with pytest.raises(ArithmeticError, match="task 5"):
        spread.spread(np, range(40), worker)
    assert blas_threads.threads() == before
    done.clear()
    spread.spread(np, range(40), lambda: done.append)  # the next kernel spreads again
    assert sorted(done) == list(range(40))
