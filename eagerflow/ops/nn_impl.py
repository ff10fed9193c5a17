"""`ef.nn` normalisation, losses, embeddings, layout and label ops, as TensorFlow's.

Most are compositions of differentiable ops, so their gradients are those ops' (as in TF's own
Python implementations); ops with data-dependent outputs run as one kernel (backends/kernels_nn.py).
"""

import collections
import math

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.ops import array_ops, clip_ops, conv_ops, math_ops, nn_ops
from eagerflow.backends import dtype_support
from eagerflow.ops.cpu_refusals import check_layout, refuse_no_cpu_kernel, tf_dtype_name

__all__ = ["batch_normalization", "batch_norm_with_global_normalization", "weighted_moments", "normalize_moments",
           "sufficient_statistics", "l2_normalize", "local_response_normalization", "lrn", "embedding_lookup",
           "log_poisson_loss", "weighted_cross_entropy_with_logits", "compute_average_loss",
           "scale_regularization_loss", "zero_fraction", "crelu", "selu", "top_k", "in_top_k", "approx_max_k",
           "approx_min_k", "depth_to_space", "space_to_depth", "space_to_batch", "with_space_to_batch",
           "collapse_repeated", "ctc_unique_labels", "compute_accidental_hits", "isotonic_regression"]

top_k = array_ops.top_k


def _t(x):
    return convert_to_tensor(x)


def _like(value, x):
    return convert_to_tensor(value) if is_tensor_like(value) else convert_to_tensor(value, dtype=x.dtype)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset; offset and scale may be None.

    >>> ef.nn.batch_normalization(ef.constant([1.0, 3.0]), 2.0, 1.0, None, None, 0.0).numpy()
    array([-1.,  1.], dtype=float32)
    """
    x = _t(x)
    inv = math_ops.rsqrt(_like(variance, x) + variance_epsilon)
    if scale is not None:
        inv = inv * _like(scale, x)
    shift = (-_like(mean, x) * inv) if offset is None else (_like(offset, x) - _like(mean, x) * inv)
    return x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma, variance_epsilon,
                                         scale_after_normalization, name=None):
    """batch_normalization with offset `beta` and, when `scale_after_normalization`, scale `gamma`.

    >>> ef.nn.batch_norm_with_global_normalization([1.0, 3.0], 2.0, 1.0, 0.5, 2.0, 0.0, True).numpy()
    array([-1.5,  2.5], dtype=float32)
    """
    return batch_normalization(input, mean, variance, beta, gamma if scale_after_normalization else None,
                               variance_epsilon)


def _float32_for_half(x):
    return math_ops.cast(x, _dtypes.float32) if x.dtype is _dtypes.float16 else x


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """(mean, variance) of x across `axes` with each element counted `frequency_weights` times.

    >>> m, v = ef.nn.weighted_moments(ef.constant([1.0, 2.0, 4.0]), [0], ef.constant([1.0, 1.0, 2.0]))
    >>> float(m), float(v)
    (2.75, 1.6875)
    """
    x = _t(x)
    axes = math_ops._axis_attr(axes)
    xf = _float32_for_half(x)
    w = math_ops.cast(_like(frequency_weights, x), xf.dtype)
    total = math_ops.reduce_sum(w * xf, axis=axes, keepdims=True)
    weights = math_ops.reduce_sum(w + array_ops.zeros_like(xf), axis=axes, keepdims=True)
    mean = math_ops.divide_no_nan(total, weights)
    variance = math_ops.divide_no_nan(math_ops.reduce_sum(w * math_ops.squared_difference(xf, mean), axis=axes,
                                                          keepdims=True), weights)
    if not keepdims:
        mean, variance = array_ops.squeeze(mean, axes), array_ops.squeeze(variance, axes)
    return math_ops.cast(mean, x.dtype), math_ops.cast(variance, x.dtype)


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """(count, sum of x - shift, sum of (x - shift)^2, shift) across `axes`, for normalize_moments.

    >>> c, m, v, s = ef.nn.sufficient_statistics(ef.constant([1.0, 2.0, 3.0]), [0])
    >>> float(c), float(m), float(v), s
    (3.0, 6.0, 14.0, None)
    """
    x = _t(x)
    axes = math_ops._axis_attr(axes)
    axes_list = [axes] if isinstance(axes, int) else list(axes)
    dims = x.shape.as_list()
    count = array_ops.constant(float(math.prod(dims[a] for a in axes_list)), dtype=x.dtype)
    if shift is not None:
        shift = _like(shift, x)
        d = x - shift
        m_ss, v_ss = math_ops.reduce_sum(d, axes, keepdims), math_ops.reduce_sum(math_ops.square(d), axes, keepdims)
    else:
        m_ss, v_ss = math_ops.reduce_sum(x, axes, keepdims), math_ops.reduce_sum(math_ops.square(x), axes, keepdims)
    return count, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """(mean, variance) from sufficient_statistics' sums.

    >>> m, v = ef.nn.normalize_moments(3.0, 6.0, 14.0, None)
    >>> float(m), round(float(v), 4)
    (2.0, 0.6667)
    """
    mean_ss = _t(mean_ss)
    divisor = math_ops.reciprocal(_like(counts, mean_ss))
    shifted_mean = mean_ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + _like(shift, mean_ss)
    variance = _like(variance_ss, mean_ss) * divisor - math_ops.square(shifted_mean)
    return mean, variance


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)).

    >>> ef.nn.l2_normalize([3.0, 4.0]).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    x = _t(x)
    axis = math_ops._axis_attr(dim if axis is None else axis)
    if x.dtype.is_complex:
        square_sum = math_ops.reduce_sum(math_ops.square(math_ops.abs(x)), axis, keepdims=True)
        inv = math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))
        return x * math_ops.cast(inv, x.dtype)
    square_sum = math_ops.reduce_sum(math_ops.square(x), axis, keepdims=True)
    return x * math_ops.rsqrt(math_ops.maximum(square_sum, epsilon))


def local_response_normalization(input, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, name=None):
    """input / (bias + alpha * sum of input^2 over the 2 * depth_radius + 1 nearest channels) ** beta.

    >>> ef.nn.local_response_normalization(ef.ones([1, 1, 1, 3]), depth_radius=1, alpha=1.0, beta=1.0).numpy()
    array([[[[0.33333334, 0.25      , 0.33333334]]]], dtype=float32)
    """
    x = _t(input)
    if x.ndim != 4:
        raise errors.InvalidArgumentError(None, "LRN", f"input must be 4-dimensional, got shape {x.shape}")
    if not x.dtype.is_floating:
        raise errors.InvalidArgumentError(None, "LRN", f"LRN takes half, bfloat16 or float32 input, got {x.dtype.name}")
    shape = x.shape.as_list()
    radius = int(depth_radius)
    sq = array_ops.reshape(math_ops.square(x), [-1, shape[-1], 1])
    window = array_ops.ones([2 * radius + 1, 1, 1], dtype=x.dtype)
    sqr_sum = array_ops.reshape(conv_ops.conv1d(sq, window, 1, [[0, 0], [radius, radius], [0, 0]]), shape)
    return x / math_ops.pow(bias + alpha * sqr_sum, beta)


lrn = local_response_normalization


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows `ids` of `params` (a tensor, or a list of shards split by contiguous id ranges, TF's "div" layout),
    each clipped to L2 norm `max_norm` when given.

    >>> ef.nn.embedding_lookup(ef.constant([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), [2, 0]).numpy()
    array([[4., 5.],
           [0., 1.]], dtype=float32)
    """
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Need at least one param")
        shards = [_t(p) for p in params]
        table = shards[0] if len(shards) == 1 else array_ops.concat(shards, axis=0)
    else:
        table = _t(params)
    rows = array_ops.gather(table, ids)
    if max_norm is None:
        return rows
    ids_rank = _t(ids).ndim
    return clip_ops.clip_by_norm(rows, max_norm, axes=list(range(ids_rank, rows.ndim)))


def _same_shape(a, b, what):
    if a.shape.as_list() != b.shape.as_list():
        raise ValueError(f"{what} must have the same shape ({a.shape} vs {b.shape})")


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """exp(log_input) - log_input * targets, plus Stirling's approximation of log(targets!) when asked.

    >>> ef.nn.log_poisson_loss([1.0, 3.0], [0.0, 1.0], compute_full_loss=True).numpy()
    array([1.       , 1.4823636], dtype=float32)
    """
    log_input = _t(log_input)
    targets = _like(targets, log_input)
    _same_shape(log_input, targets, "log_input and targets")
    result = math_ops.exp(log_input) - log_input * targets
    if compute_full_loss:
        stirling = targets * math_ops.log(targets) - targets + 0.5 * math_ops.log(2 * math.pi * targets)
        small = math_ops.logical_and(targets >= 0.0, targets <= 1.0)
        result = result + array_ops.where(small, array_ops.zeros_like(targets), stirling)
    return result


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """sigmoid_cross_entropy_with_logits with the positive term weighted by `pos_weight`.

    >>> ef.nn.weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0], 2.0).numpy()
    array([1.3862944, 0.6931472], dtype=float32)
    """
    logits = _t(logits)
    labels = _like(labels, logits)
    _same_shape(logits, labels, "logits and labels")
    log_weight = 1 + (_like(pos_weight, logits) - 1) * labels
    return (1 - labels) * logits + log_weight * (math_ops.log1p(math_ops.exp(-math_ops.abs(logits)))
                                                 + nn_ops.relu(-logits))


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """sum(per_example_loss * sample_weight) / global_batch_size (the batch size by default: one replica).

    >>> float(ef.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=6))
    1.0
    """
    loss = _t(per_example_loss)
    if not loss.dtype.is_floating:
        raise TypeError(f"per_example_loss must be a floating-point tensor, got {loss.dtype.name}")
    if sample_weight is not None:
        loss = loss * _like(sample_weight, loss)
    if global_batch_size is None:
        if loss.ndim == 0:
            raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1, "
                             f"received: {loss}")
        global_batch_size = loss.shape[0]
    elif is_tensor_like(global_batch_size):
        global_batch_size = convert_to_tensor(global_batch_size)
        if global_batch_size.dtype.is_integer:
            global_batch_size = math_ops.cast(global_batch_size, loss.dtype)
    return math_ops.divide_no_nan(math_ops.reduce_sum(loss), _like(global_batch_size, loss))


def scale_regularization_loss(regularization_loss):
    """sum(regularization_loss) divided by the number of replicas (one, outside a distribution strategy).

    >>> float(ef.nn.scale_regularization_loss([0.5, 0.25]))
    0.75
    """
    return math_ops.reduce_sum(_t(regularization_loss))


def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, as float32.

    >>> float(ef.nn.zero_fraction([0, 1, 0, 3]))
    0.5
    """
    value = _t(value)
    return math_ops.reduce_mean(math_ops.cast(math_ops.equal(value, array_ops.zeros_like(value)), _dtypes.float32))


def crelu(features, name=None, axis=-1):
    """concat([relu(features), relu(-features)], axis): both signs, so twice the channels.

    >>> ef.nn.crelu([1.0, -2.0]).numpy()
    array([1., 0., 0., 2.], dtype=float32)
    """
    x = _t(features)
    return array_ops.concat([nn_ops.relu(x), nn_ops.relu(-x)], axis)


def selu(features, name=None):
    """scale * elu(features) with alpha = 1.6732632 and scale = 1.0507009 (self-normalising).

    >>> ef.nn.selu([-1.0, 1.0]).numpy()
    array([-1.1113307,  1.050701 ], dtype=float32)
    """
    x = _t(features)
    if not x.dtype.is_floating:
        raise errors.InvalidArgumentError(None, "Selu", f"Selu takes floating-point features, got {x.dtype.name}")
    return execute("Selu", (x,))


def in_top_k(targets, predictions, k, name=None):
    """True where predictions[i, targets[i]] is among the k largest of row i (ties at the boundary count).

    >>> ef.nn.in_top_k([0, 1], [[0.9, 0.1], [0.9, 0.1]], 1).numpy()
    array([ True, False])
    """
    predictions = _t(predictions)
    targets = _t(targets)
    if not targets.dtype.is_integer:
        raise errors.InvalidArgumentError(None, "InTopKV2", f"targets must be int32 or int64 class indices, got "
                                                            f"{targets.dtype.name}")
    if predictions.dtype is not _dtypes.float32:
        raise errors.InvalidArgumentError(None, "InTopKV2",
                                          f"predictions must be float32, got {predictions.dtype.name}")
    return execute("InTopKV2", (predictions, targets), {"k": int(k)}, match=False)


ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])


def _approx_k(operand, k, reduction_dimension, largest):
    x = _t(operand)
    refused = dtype_support.refusal("ApproxTopK", x.dtype)
    if refused is not None:
        raise refused
    if not largest or int(reduction_dimension) != -1:  # TF's CPU kernels: is_max_k along reduction_dimension=-1
        way_out = ("Use reduction_dimension=-1 (transpose the axis last)" if largest else
                   "Use ef.math.approx_max_k(-x, k) and negate its values") + ", or run it on a GPU."
        refuse_no_cpu_kernel("ApproxTopK", x.dtype, f"T={tf_dtype_name(x.dtype)}, is_max_k={str(largest).lower()}, "
                                                    f"k={k}, reduction_dimension={reduction_dimension}",
                             "is_max_k=true, reduction_dimension=-1", way_out)
    axis = int(reduction_dimension) % x.ndim
    if axis != x.ndim - 1:
        perm = [d for d in range(x.ndim) if d != axis] + [axis]
        moved = array_ops.transpose(x, perm)
    else:
        perm, moved = None, x
    values, indices = array_ops.top_k(moved if largest else -moved, k)
    values = values if largest else -values
    if perm is not None:
        back = [perm.index(d) for d in range(x.ndim)]
        values, indices = array_ops.transpose(values, back), array_ops.transpose(indices, back)
    return ApproxTopK(values, indices)


def approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95, reduction_input_size_override=-1,
                 aggregate_to_topk=True, name=None):
    """(values, indices) of the k largest along `reduction_dimension`. Off TPU it is exact, as TF on CPU/GPU.
    TF's CPU kernels reduce along reduction_dimension=-1 only (other values are refused there).

    >>> ef.nn.approx_max_k([3.0, 1.0, 2.0], 2)[0].numpy()
    array([3., 2.], dtype=float32)
    """
    return _approx_k(operand, k, reduction_dimension, True)


def approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95, reduction_input_size_override=-1,
                 aggregate_to_topk=True, name=None):
    """(values, indices) of the k smallest along `reduction_dimension` (exact off TPU). TF has no CPU kernel
    for it (NotFoundError there): on a CPU, negate and use approx_max_k.

    >>> values, indices = ef.math.approx_max_k(-ef.constant([3.0, 1.0, 2.0]), 2)
    >>> (-values).numpy(), indices.numpy()
    (array([1., 2.], dtype=float32), array([1, 2], dtype=int32))
    """
    return _approx_k(operand, k, reduction_dimension, False)


def _block_check(block_size, what):
    b = int(block_size)
    if b < 2:
        raise errors.InvalidArgumentError(None, what, f"Value for attr 'block_size' of {b} must be at least minimum 2")
    return b


def depth_to_space(input, block_size, data_format="NHWC", name=None):
    """Move depth into blocks of space: (n, h, w, c * b * b) -> (n, h * b, w * b, c).

    >>> ef.nn.depth_to_space(ef.reshape(ef.range(4), [1, 1, 1, 4]), 2)[0, :, :, 0].numpy()
    array([[0, 1],
           [2, 3]], dtype=int32)
    """
    b = _block_check(block_size, "DepthToSpace")
    x = _t(input)
    first = conv_ops._channels_first(data_format, 2)
    check_layout("DepthToSpace", x.dtype, data_format, first)
    x = conv_ops._to_last(x, first)
    n, h, w, c = x.shape.as_list()
    if c % (b * b):
        raise errors.InvalidArgumentError(None, "DepthToSpace", f"Input depth dimension {c} should be divisible by: "
                                                                f"{b * b}")
    y = array_ops.reshape(x, [n, h, w, b, b, c // (b * b)])
    y = array_ops.reshape(array_ops.transpose(y, [0, 1, 3, 2, 4, 5]), [n, h * b, w * b, c // (b * b)])
    return conv_ops._from_last(y, first)


def space_to_depth(input, block_size, data_format="NHWC", name=None):
    """Move blocks of space into depth: (n, h * b, w * b, c) -> (n, h, w, c * b * b).

    >>> ef.nn.space_to_depth(ef.reshape(ef.range(4), [1, 2, 2, 1]), 2).numpy().ravel()
    array([0, 1, 2, 3], dtype=int32)
    """
    b = _block_check(block_size, "SpaceToDepth")
    x = _t(input)
    first = conv_ops._channels_first(data_format, 2)
    check_layout("SpaceToDepth", x.dtype, data_format, first)
    x = conv_ops._to_last(x, first)
    n, h, w, c = x.shape.as_list()
    if h % b or w % b:
        raise errors.InvalidArgumentError(None, "SpaceToDepth", f"Image width {w} and height {h} should be divisible "
                                                                f"by block_size: {b}")
    y = array_ops.reshape(x, [n, h // b, b, w // b, b, c])
    y = array_ops.reshape(array_ops.transpose(y, [0, 1, 3, 2, 4, 5]), [n, h // b, w // b, b * b * c])
    return conv_ops._from_last(y, first)


def _int_list(value):
    return [int(v) for v in (value.numpy().ravel().tolist() if hasattr(value, "numpy") else value)]


def space_to_batch(input, block_shape, paddings, name=None):
    """Zero-pad the M spatial dimensions (after batch) and move blocks of them into the batch, as space_to_batch_nd.

    >>> ef.nn.space_to_batch(ef.reshape(ef.range(4), [1, 2, 2, 1]), [2, 2], [[0, 0], [0, 0]]).numpy().ravel()
    array([0, 1, 2, 3], dtype=int32)
    """
    x = _t(input)
    block = _int_list(block_shape)
    pads = [_int_list(p) for p in (paddings.numpy().tolist() if hasattr(paddings, "numpy") else paddings)]
    m = len(block)
    if len(pads) != m or any(b < 1 for b in block):
        raise errors.InvalidArgumentError(None, "SpaceToBatchND", f"block_shape {block} must be positive and paddings "
                                                                  f"{pads} must have one pair per block dimension")
    x = array_ops.pad(x, [[0, 0], *pads] + [[0, 0]] * (x.ndim - 1 - m))
    shape = x.shape.as_list()
    for i, b in enumerate(block):
        if shape[1 + i] % b:
            raise errors.InvalidArgumentError(None, "SpaceToBatchND", f"padded_shape[{i}]={shape[1 + i]} is not "
                                                                      f"divisible by block_shape[{i}]={b}")
    rest = shape[1 + m:]
    split = [shape[0]] + [v for i, b in enumerate(block) for v in (shape[1 + i] // b, b)] + rest
    y = array_ops.reshape(x, split)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, len(split)))
    y = array_ops.transpose(y, perm)
    return array_ops.reshape(y, [shape[0] * math.prod(block)] + [shape[1 + i] // b for i, b in enumerate(block)]
                             + rest)


def _batch_to_space(x, block, crops):
    shape = x.shape.as_list()
    m = len(block)
    n = shape[0] // math.prod(block)
    y = array_ops.reshape(x, block + [n] + shape[1:])
    perm = [m] + [v for i in range(m) for v in (m + 1 + i, i)] + list(range(2 * m + 1, len(shape) + m))
    y = array_ops.transpose(y, perm)
    y = array_ops.reshape(y, [n] + [shape[1 + i] * b for i, b in enumerate(block)] + shape[1 + m:])
    key = (slice(None),) + tuple(slice(lo, shape[1 + i] * block[i] - hi) for i, (lo, hi) in enumerate(crops))
    return y[key]


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None, spatial_dims=None, data_format=None):
    """Run `op(converted_input, num_spatial_dims, padding)` on a space-to-batch view of `input`, so that a
    VALID/SAME op behaves as its dilated version (TF's trick for atrous ops).

    >>> x = ef.reshape(ef.range(16.0), [1, 4, 4, 1])
    >>> op = lambda t, n, p: ef.nn.max_pool2d(t, 2, 1, p)
    >>> ef.nn.with_space_to_batch(x, [2, 2], "VALID", op)[0, :, :, 0].numpy()
    array([[10., 11.],
           [14., 15.]], dtype=float32)
    """
    x = _t(input)
    rate = _int_list(dilation_rate)
    m = len(rate)
    if spatial_dims is None:
        starts_with_c = data_format is not None and data_format.startswith("NC")
        spatial_dims = list(range(2, m + 2)) if starts_with_c else list(range(1, m + 1))
    spatial_dims = [int(d) for d in spatial_dims]
    if spatial_dims != list(range(spatial_dims[0], spatial_dims[0] + m)):
        raise ValueError(f"spatial_dims must be consecutive dimensions, got {spatial_dims}")
    if all(r == 1 for r in rate):
        return op(x, m, padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("filter_shape must be specified for SAME padding")
        fs = _int_list(filter_shape)
        totals = [(k - 1) * r for k, r in zip(fs, rate)]
        base = [(t // 2, t - t // 2) for t in totals]
    elif padding == "VALID":
        base = [(0, 0)] * m
    else:
        raise ValueError(f"Invalid padding method {padding!r}")
    shape = x.shape.as_list()
    sizes = [shape[d] for d in spatial_dims]
    pads, crops = [], []
    for n, (lo, hi), r in zip(sizes, base, rate):
        extra = (-(n + lo + hi)) % r
        pads.append([lo, hi + extra])
        crops.append([0, extra])
    first = spatial_dims[0]
    lead = list(range(first))
    # move the dimensions before the spatial ones (beyond the batch) behind them, as space_to_batch_nd wants
    if first > 1:
        perm = [0] + spatial_dims + [d for d in range(1, x.ndim) if d not in spatial_dims]
        x = array_ops.transpose(x, perm)
    y = space_to_batch(x, rate, pads)
    if first > 1:
        inv = [perm.index(d) for d in range(len(perm))]
        y = array_ops.transpose(y, inv)
    z = op(y, m, "VALID")
    if first > 1:
        z = array_ops.transpose(z, perm)
    out = _batch_to_space(z, rate, crops)
    if first > 1:
        out = array_ops.transpose(out, inv)
    del lead
    return out


def collapse_repeated(labels, seq_length, name=None):
    """(labels with consecutive repeats merged, new lengths), rows padded with zeros, as TF's CTC helper.

    >>> out, n = ef.nn.collapse_repeated([[1, 1, 2, 2, 3], [4, 4, 4, 5, 5]], [5, 3])
    >>> out.numpy().tolist(), n.numpy().tolist()
    ([[1, 2, 3], [4, 0, 0]], [3, 1])
    """
    labels, seq_length = _t(labels), _t(seq_length)
    return execute("CollapseRepeated", (labels, seq_length), match=False)


def ctc_unique_labels(labels, name=None):
    """(unique labels of each row in order of first appearance, padded with zeros; each label's index in them).

    >>> u, i = ef.nn.ctc_unique_labels([[3, 4, 4, 3]])
    >>> u.numpy().tolist(), i.numpy().tolist()
    ([[3, 4, 0, 0]], [[0, 1, 1, 0]])
    """
    return execute("CTCUniqueLabels", (_t(labels),))


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """(row indices, sampled positions, weights -FLT_MAX) where a sampled candidate is one of the row's true classes.

    >>> i, ids, w = ef.nn.compute_accidental_hits(ef.constant([[1], [2]], ef.int64), ef.constant([2, 5], ef.int64), 1)
    >>> i.numpy().tolist(), ids.numpy().tolist()
    ([1], [0])
    """
    true_classes, sampled = _t(true_classes), _t(sampled_candidates)
    if true_classes.ndim != 2 or true_classes.shape[1] != int(num_true):
        raise errors.InvalidArgumentError(None, "ComputeAccidentalHits", f"true_classes must be (batch, num_true="
                                                                         f"{num_true}), got shape {true_classes.shape}")
    return execute("ComputeAccidentalHits", (true_classes, sampled), match=False)


IsotonicRegression = collections.namedtuple("IsotonicRegression", ["output", "segments"])


def isotonic_regression(inputs, decreasing=True, axis=-1):
    """(the best non-increasing (or non-decreasing) fit of each row along `axis` in least squares, segment ids).

    >>> y, seg = ef.nn.isotonic_regression([[1.0, 3.0, 2.0]])
    >>> y.numpy().tolist(), seg.numpy().tolist()
    ([[2.0, 2.0, 2.0]], [[0, 0, 1]])
    """
    x = _t(inputs)
    axis = int(axis) % x.ndim
    if axis != x.ndim - 1:
        perm = [d for d in range(x.ndim) if d != axis] + [axis]
        back = [perm.index(d) for d in range(x.ndim)]
        y, seg = isotonic_regression(array_ops.transpose(x, perm), decreasing, -1)
        return IsotonicRegression(array_ops.transpose(y, back), array_ops.transpose(seg, back))
    if not x.dtype.is_floating:
        x = math_ops.cast(x, _dtypes.float32 if x.dtype.size <= 2 else _dtypes.float64)
    return IsotonicRegression(*execute("IsotonicRegression", (x,), {"decreasing": bool(decreasing)}))


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true, sampled_values,
                    subtract_log_q, remove_accidental_hits, seed):
    """(logits, labels) of the true classes and the sampled ones, as TF's _compute_sampled_logits."""
    from eagerflow.ops import candidate_sampling_ops
    labels = math_ops.cast(_t(labels), _dtypes.int64)
    if labels.ndim == 1:
        labels = array_ops.reshape(labels, [-1, 1])
    flat = array_ops.reshape(labels, [-1])
    if sampled_values is None:
        sampled_values = candidate_sampling_ops.log_uniform_candidate_sampler(labels, num_true, num_sampled, True,
                                                                              num_classes, seed=seed)
    sampled, true_expected, sampled_expected = (array_ops.stop_gradient(_t(v)) for v in sampled_values)
    sampled = math_ops.cast(sampled, _dtypes.int64)
    n = flat.shape[0]
    all_ids = array_ops.concat([flat, sampled], 0)
    all_w = embedding_lookup(weights, all_ids)
    true_w, sampled_w = all_w[:n], all_w[n:]
    inputs = _t(inputs)
    sampled_logits = math_ops.matmul(inputs, sampled_w, transpose_b=True)
    all_b = embedding_lookup(biases, all_ids)
    true_b, sampled_b = all_b[:n], all_b[n:]
    dim = true_w.shape[1]
    dots = array_ops.expand_dims(inputs, 1) * array_ops.reshape(true_w, [-1, num_true, dim])
    true_logits = math_ops.reduce_sum(dots, axis=-1) + array_ops.reshape(true_b, [-1, num_true])
    sampled_logits = sampled_logits + sampled_b
    if remove_accidental_hits:
        rows, cols, hit_weights = compute_accidental_hits(labels, sampled, num_true)
        batch, count = labels.shape[0], sampled.shape[0]
        hits = math_ops.matmul(array_ops.one_hot(rows, batch, dtype=sampled_logits.dtype),
                               array_ops.one_hot(cols, count, dtype=sampled_logits.dtype)
                               * math_ops.cast(array_ops.expand_dims(hit_weights, 1), sampled_logits.dtype),
                               transpose_a=True)
        sampled_logits = sampled_logits + hits
    if subtract_log_q:
        true_logits = true_logits - math_ops.log(math_ops.cast(true_expected, true_logits.dtype))
        sampled_logits = sampled_logits - math_ops.log(math_ops.cast(sampled_expected, sampled_logits.dtype))
    logits = array_ops.concat([true_logits, sampled_logits], 1)
    targets = array_ops.concat([array_ops.ones_like(true_logits) / num_true, array_ops.zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, name="nce_loss"):
    """Noise-contrastive estimation loss per example: logistic losses of the true classes against sampled ones.

    >>> w, b = ef.ones([10, 4]), ef.zeros([10])
    >>> ef.nn.nce_loss(w, b, [[1], [2]], ef.ones([2, 4]), num_sampled=3, num_classes=10).shape
    TensorShape([2])
    """
    logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                      sampled_values, True, remove_accidental_hits, None)
    return math_ops.reduce_sum(nn_ops.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits), axis=1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
                         remove_accidental_hits=True, seed=None, name="sampled_softmax_loss"):
    """Softmax cross-entropy per example over the true classes and a sample of the others.

    >>> w, b = ef.ones([10, 4]), ef.zeros([10])
    >>> ef.nn.sampled_softmax_loss(w, b, [[1], [2]], ef.ones([2, 4]), num_sampled=3, num_classes=10).shape
    TensorShape([2])
    """
    logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                                      sampled_values, True, remove_accidental_hits, seed)
    return nn_ops.softmax_cross_entropy_with_logits(labels=array_ops.stop_gradient(targets), logits=logits)


__all__ += ["nce_loss", "sampled_softmax_loss"]


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None, blank_index=None,
             name=None):
    """Connectionist temporal classification loss per batch element: -log p(labels | logits), summed over every
    alignment (dense labels (batch, max_label_length); logits (time, batch, classes) unless not time-major).
    Computed as TF's ctc_loss_dense, in float32 (float16 and bfloat16 logits are cast to it and the loss back;
    float64 ones fail there, as in TF). A label sequence that no alignment of its logit_length frames can produce
    has a large finite loss, as in TF: its priors are log(1e-307), about -706.9, instead of -inf.

    >>> loss = ef.nn.ctc_loss(ef.constant([[1]]), ef.zeros([2, 1, 2]), ef.constant([1]), ef.constant([2]))
    >>> round(float(loss[0]), 5)   # 3 of the 4 paths of length 2 read "1": -log(3/4)
    0.28768
    """
    logits = _t(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"logits must be a floating-point tensor, got {logits.dtype.name}")
    if logits.dtype is _dtypes.float64:
        raise errors.InvalidArgumentError(
            None, "Mul", "cannot compute Mul as input #1(zero-based) was expected to be a double tensor but is a float "
                         "tensor [Op:Mul]: ctc_loss with dense labels computes in float32 (TF's ctc_loss_dense mixes "
                         "float32 constants into it). Cast the logits: ef.cast(logits, ef.float32).")
    half = logits.dtype if logits.dtype in (_dtypes.float16, _dtypes.bfloat16) else None
    if half is not None:
        logits = math_ops.cast(logits, _dtypes.float32)
    if not logits_time_major:
        logits = array_ops.transpose(logits, [1, 0, 2])
    labels = _t(labels)
    if not labels.dtype.is_integer:
        raise TypeError(f"labels must be an integer tensor, got {labels.dtype.name}")
    classes = logits.shape[-1]
    blank = 0 if blank_index is None else int(blank_index)
    if blank < 0:
        blank += classes
    loss, _ = execute("CTCLossDense", (logits, labels, _t(label_length), _t(logit_length)), {"blank": blank},
                      match=False)
    return loss if half is None else math_ops.cast(loss, half)


__all__ += ["ctc_loss"]


def _pooling_sequence(rng, size, ratio, pseudo_random):
    """The boundaries (output + 1 of them) of fractional pooling along one axis, as TF's generators: random
    splits into floor(size / output) and one more, or ceil(alpha * (i + u)) - ceil(alpha * u) for pseudo-random."""
    import numpy as np
    out = int(size / ratio)
    if out < 1:
        raise ValueError(f"pooling_ratio {ratio} is too large for a dimension of size {size}: the output would be "
                         f"empty")
    if pseudo_random:
        alpha = size / out
        u = rng.random() * 0.99 + 0.005   # strictly inside (0, 1)
        seq = [int(math.ceil(alpha * (i + u)) - math.ceil(alpha * u)) for i in range(out)] + [size]
        return np.asarray(seq, np.int64)
    base = size // out
    diff = np.full(out, base, np.int64)
    diff[rng.permutation(out)[:size - base * out]] += 1
    return np.concatenate([[0], np.cumsum(diff)]).astype(np.int64)


def _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed, reduce, reduce_name):
    from eagerflow.framework.execute import place_new
    from eagerflow.ops import random_ops
    x = _t(value)
    if x.ndim != 4:
        raise errors.InvalidArgumentError(None, "FractionalPool", f"value must be 4-D (batch, height, width, "
                                                                  f"channels), got shape {x.shape}")
    if isinstance(pooling_ratio, (int, float)):
        if reduce_name == "avg":
            raise TypeError(f"Expected list for 'pooling_ratio' argument to 'fractional_avg_pool' Op, not "
                            f"{pooling_ratio}.")
        ratio = [float(pooling_ratio)] * 2
    else:
        ratio = [float(r) for r in pooling_ratio]
        if reduce_name == "avg" and len(ratio) == 4 and (ratio[0] != 1.0 or ratio[3] != 1.0):
            raise errors.UnimplementedError(None, "FractionalAvgPool", "Fractional average pooling is not yet "
                                                                       "supported on the batch nor channel dimension.")
        if len(ratio) != 4 or ratio[0] != 1.0 or ratio[3] != 1.0:
            raise ValueError(f"`pooling_ratio` should have first and last elements with value 1.0. Received: "
                             f"pooling_ratio={list(pooling_ratio)} (4 ratios, for batch, height, width, channels)")
        ratio = ratio[1:3]
    if len(ratio) != 2 or any(r < 1.0 for r in ratio):
        raise ValueError(f"pooling_ratio must be >= 1 for height and width, got {pooling_ratio}")
    rng = random_ops._op_rng(int(seed) if seed else None)
    _, h, w, _ = x.shape.as_list()
    rows, cols = (_pooling_sequence(rng, n, r, pseudo_random) for n, r in zip((h, w), ratio))

    def pool(t, seq, axis, size):
        parts = []
        for a, b in zip(seq[:-1].tolist(), seq[1:].tolist()):
            b = min(b + 1, size) if overlapping else b
            key = [slice(None)] * 4
            key[axis] = slice(a, b)
            parts.append(reduce(t[tuple(key)], axis))
        return array_ops.stack(parts, axis)
    out = pool(pool(x, rows, 1, h), cols, 2, w)   # max and mean over a rectangle are separable
    return out, place_new(rows, _dtypes.int64), place_new(cols, _dtypes.int64)


def fractional_max_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None):
    """Max pooling over a random grid that shrinks height and width by `pooling_ratio` (>= 1, not an integer
    necessarily): (output, row boundaries, column boundaries). The grid is drawn as other random ops (`seed` 0:
    none given; ef.random.set_seed makes it reproducible).

    >>> x = ef.reshape(ef.range(25.0), [1, 5, 5, 1])
    >>> out, rows, cols = ef.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], seed=1)
    >>> out.shape, rows.numpy()[[0, -1]].tolist()
    (TensorShape([1, 3, 3, 1]), [0, 5])
    """
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed,
                            lambda t, axis: math_ops.reduce_max(t, axis), "max")


def fractional_avg_pool(value, pooling_ratio, pseudo_random=False, overlapping=False, seed=0, name=None):
    """Average pooling over a random grid that shrinks height and width by `pooling_ratio`, as fractional_max_pool.

    >>> out, rows, cols = ef.nn.fractional_avg_pool(ef.ones([1, 6, 6, 2]), [1.0, 2.0, 1.5, 1.0], seed=3)
    >>> out.shape, float(ef.reduce_max(out))
    (TensorShape([1, 3, 4, 2]), 1.0)
    """
    return _fractional_pool(value, pooling_ratio, pseudo_random, overlapping, seed,
                            lambda t, axis: math_ops.reduce_mean(t, axis), "avg")


__all__ += ["fractional_max_pool", "fractional_avg_pool"]
