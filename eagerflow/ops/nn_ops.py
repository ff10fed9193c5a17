"""Neural-network ops (`ef.nn`): activations, softmax, losses, as TensorFlow's."""

import numbers

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute, is_tensor_like
from eagerflow.ops import array_ops, math_ops, random_ops, special_math_ops

__all__ = ["relu", "relu6", "elu", "gelu", "softplus", "sigmoid", "tanh", "softmax", "log_softmax",
           "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits", "l2_loss",
           "bias_add", "leaky_relu", "silu", "swish", "softsign", "sigmoid_cross_entropy_with_logits", "dropout",
           "moments"]

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh
softsign = math_ops.softsign


def relu(features, name=None):
    """max(features, 0).

    >>> ef.nn.relu([-1.0, 2.0]).numpy()
    array([0., 2.], dtype=float32)
    """
    return execute("Relu", (features,))


def relu6(features, name=None):
    """min(max(features, 0), 6).

    >>> ef.nn.relu6([-1.0, 3.0, 8.0]).numpy()
    array([0., 3., 6.], dtype=float32)
    """
    return execute("Relu6", (features,))


def elu(features, name=None):
    """features where > 0, else exp(features) - 1.

    >>> ef.nn.elu([-1.0, 0.0, 2.0]).numpy()
    array([-0.63212055,  0.        ,  2.        ], dtype=float32)
    """
    return execute("Elu", (features,))


def leaky_relu(features, alpha=0.2, name=None):
    """features where > 0, else alpha * features (alpha 0.2 by default).

    >>> ef.nn.leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    x = convert_to_tensor(features)
    if x.dtype.is_integer:   # as TF: integers are made float32
        x = math_ops.cast(x, _dtypes.float32)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    return execute("LeakyRelu", (x,), {"alpha": float(alpha)})


def softplus(features, name=None):
    """log(1 + exp(features)), without overflow.

    >>> ef.nn.softplus([0.0, 100.0]).numpy()
    array([  0.6931472, 100.       ], dtype=float32)
    """
    return execute("Softplus", (features,))


def silu(features, beta=1.0, name=None):
    """features * sigmoid(beta * features), also called swish.

    >>> ef.nn.silu([0.0, 1.0]).numpy()
    array([0.       , 0.7310586], dtype=float32)
    """
    x = convert_to_tensor(features)
    return x * math_ops.sigmoid(x * beta) if beta != 1.0 else x * math_ops.sigmoid(x)


swish = silu


def gelu(features, approximate=False, name=None):
    """x * P(X <= x) for a standard normal X; `approximate=True` uses the tanh form.

    >>> ef.nn.gelu([-1.0, 0.0, 1.0]).numpy()
    array([-0.15865526,  0.        ,  0.8413447 ], dtype=float32)
    """
    x = convert_to_tensor(features)
    if not x.dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor. Received: features.dtype={x.dtype!r}. "
                         f"Cast it first, e.g. ef.cast(x, ef.float32).")
    # TF's formulas with TF's constants, whose ops the placement log names (erfc: gelu(inf) is inf)
    if approximate:
        coeff = math_ops.cast(0.044715, x.dtype)
        return 0.5 * x * (1.0 + math_ops.tanh(0.7978845608028654 * (x + coeff * math_ops.pow(x, 3))))
    return 0.5 * x * special_math_ops.erfc(-x * math_ops.cast(0.7071067811865476, x.dtype))


def _at_least_1d(op, logits):
    t = convert_to_tensor(logits)
    if t.shape.rank == 0:
        raise errors.InvalidArgumentError(None, op, f"logits must have >= 1 dimension, got shape () [Op:{op}]. "
                                          f"Give a vector of logits, e.g. ef.reshape(x, [1]).")
    return t


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default).

    >>> ef.nn.softmax([1.0, 2.0, 3.0]).numpy()
    array([0.09003057, 0.24472846, 0.66524094], dtype=float32)
    """
    return execute("Softmax", (_at_least_1d("Softmax", logits),), {"axis": -1 if axis is None else int(axis)})


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along `axis`, computed stably.

    >>> ef.nn.log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    return execute("LogSoftmax", (_at_least_1d("LogSoftmax", logits),), {"axis": -1 if axis is None else int(axis)})


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between probability `labels` and `logits` along `axis`.

    >>> ef.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    logits_t = convert_to_tensor(logits)
    labels_t = convert_to_tensor(labels, dtype=logits_t.dtype)
    if labels_t.shape != logits_t.shape:
        raise errors.InvalidArgumentError(None, "SoftmaxCrossEntropyWithLogits",
                                          f"logits and labels must be broadcastable: logits_size={logits_t.shape} "
                                          f"labels_size={labels_t.shape}")
    if axis not in (-1, logits_t.ndim - 1):
        perm = [d for d in range(logits_t.ndim) if d != axis % logits_t.ndim] + [axis % logits_t.ndim]
        logits_t, labels_t = array_ops.transpose(logits_t, perm), array_ops.transpose(labels_t, perm)
    loss, _ = execute("SoftmaxCrossEntropyWithLogits", (logits_t, labels_t))
    return loss


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy between integer class `labels` and `logits` (the last axis holds classes).

    >>> ef.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=[[2.0, 0.0], [0.0, 0.0]]).numpy()
    array([0.12692805, 0.6931472 ], dtype=float32)
    """
    logits_t = convert_to_tensor(logits)
    labels_t = convert_to_tensor(labels)
    if not labels_t.dtype.is_integer:
        raise TypeError(f"labels must be int32 or int64 class indices, got {labels_t.dtype.name}.")
    if labels_t.shape.as_list() != logits_t.shape.as_list()[:-1]:
        raise ValueError(f"Shape mismatch: The shape of labels (received {labels_t.shape}) should equal the shape "
                         f"of logits except for the last dimension (received {logits_t.shape}).")
    loss, _ = execute("SparseSoftmaxCrossEntropyWithLogits", (logits_t, labels_t), match=False)
    return loss


def l2_loss(t, name=None):
    """sum(t ** 2) / 2.

    >>> print(ef.nn.l2_loss([1.0, 2.0]))
    ef.Tensor(2.5, shape=(), dtype=float32)
    """
    return execute("L2Loss", (t,))


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, where bias is 1-D and matches the last dimension of value.

    >>> ef.nn.bias_add([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0]).numpy()
    array([[11., 22.],
           [13., 24.]], dtype=float32)
    """
    v, b = convert_to_tensor(value), convert_to_tensor(bias)
    channels_first = data_format is not None and data_format.startswith("NC")
    axis = 1 if channels_first else -1
    if b.ndim != 1 or v.ndim < 2 or v.shape[axis] != b.shape[0]:
        raise errors.InvalidArgumentError(
            None, "BiasAdd", f"Must provide as many biases as the {'channel' if channels_first else 'last'} dimension "
            f"of the input tensor: bias shape {b.shape.as_list()} vs. value shape {v.shape.as_list()} [Op:BiasAdd]. "
            f"Give a 1-D bias with one value per channel, and a value of rank 2 or more.")
    if channels_first:  # the bias runs along axis 1: broadcast it over the spatial dimensions
        b = execute("Reshape", (b,), {"shape": (b.shape[0],) + (1,) * (v.ndim - 2)})
    return execute("BiasAdd", (v, b))


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise cross-entropy of independent binary `labels` (in [0, 1]) and `logits`.

    Computed as TF, without overflow: max(x, 0) - x * z + log(1 + exp(-|x|)).

    >>> ef.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.0, -2.0]).numpy()
    array([0.6931472, 0.126928 ], dtype=float32)
    """
    if labels is None or logits is None:
        raise ValueError("sigmoid_cross_entropy_with_logits needs both labels and logits: "
                         "call it as sigmoid_cross_entropy_with_logits(labels=..., logits=...).")
    x = convert_to_tensor(logits)
    z = convert_to_tensor(labels, dtype=x.dtype) if not is_tensor_like(labels) else convert_to_tensor(labels)
    if x.shape.as_list() != z.shape.as_list():
        raise ValueError(f"`logits` and `labels` must have the same shape, received ({x.shape} vs {z.shape}).")
    zeros = array_ops.zeros_like(x)
    positive = math_ops.greater_equal(x, zeros)
    relu_logits = array_ops.where(positive, x, zeros)
    neg_abs_logits = array_ops.where(positive, -x, x)
    return (relu_logits - x * z) + math_ops.log1p(math_ops.exp(neg_abs_logits))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each element with probability `rate` and scale the others by 1 / (1 - rate).

    The mask comes from `ef.random.uniform` (the global seed and `seed` make it reproducible);
    `noise_shape` (broadcastable to x's shape) drops whole slices. `rate=0` returns x itself.

    >>> y = ef.nn.dropout(ef.ones([1000]), rate=0.5, seed=1)
    >>> sorted(set(y.numpy().tolist()))   # dropped, or kept and scaled by 2
    [0.0, 2.0]
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                         f"x_dtype={x.dtype!r}. Cast it first, e.g. ef.cast(x, ef.float32).")
    if is_tensor_like(rate):
        rate = float(convert_to_tensor(rate).numpy())
    if not isinstance(rate, numbers.Real) or not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
    if rate == 0:
        return x
    # as TF: scale, draw over the noise shape (x's own: a Shape), keep where the draw >= rate, else a scalar zero
    scaled = math_ops.multiply(x, convert_to_tensor(1.0 / (1.0 - rate), dtype=x.dtype))
    shape = array_ops.shape(x) if noise_shape is None else noise_shape
    keep = math_ops.greater_equal(random_ops.uniform(shape, dtype=x.dtype, seed=seed), rate)
    return array_ops.where(keep, scaled, convert_to_tensor(0, dtype=x.dtype))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of x across `axes`, as TF: float16 is accumulated in float32.

    >>> mean, variance = ef.nn.moments(ef.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])
    >>> mean.numpy(), variance.numpy()
    (array([2., 4.], dtype=float32), array([1., 4.], dtype=float32))
    """
    x = convert_to_tensor(x)
    axes = math_ops._axis_attr(axes)
    y = math_ops.cast(x, _dtypes.float32) if x.dtype is _dtypes.float16 else x
    mean = math_ops.reduce_mean(y, axis=axes, keepdims=True)
    variance = math_ops.reduce_mean(math_ops.squared_difference(y, array_ops.stop_gradient(mean)),
                                    axis=axes, keepdims=True)
    if not keepdims:
        mean, variance = array_ops.squeeze(mean, axes), array_ops.squeeze(variance, axes)
    if x.dtype is _dtypes.float16:
        mean, variance = math_ops.cast(mean, _dtypes.float16), math_ops.cast(variance, _dtypes.float16)
    return mean, variance
