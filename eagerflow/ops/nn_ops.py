"""Neural-network ops (`ef.nn`): activations, softmax, losses, as TensorFlow's."""

import math

from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor, execute
from eagerflow.ops import math_ops

__all__ = ["relu", "relu6", "elu", "gelu", "softplus", "sigmoid", "tanh", "softmax", "log_softmax",
           "sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits", "l2_loss",
           "bias_add", "leaky_relu", "silu", "swish"]

sigmoid = math_ops.sigmoid
tanh = math_ops.tanh


def relu(features, name=None):
    """max(features, 0)."""
    return execute("Relu", (features,))


def relu6(features, name=None):
    """min(max(features, 0), 6)."""
    return execute("Relu6", (features,))


def elu(features, name=None):
    """features where > 0, else exp(features) - 1."""
    return execute("Elu", (features,))


def leaky_relu(features, alpha=0.2, name=None):
    x = convert_to_tensor(features)
    return math_ops.maximum(x, x * alpha)


def softplus(features, name=None):
    """log(1 + exp(features)), without overflow."""
    return execute("Softplus", (features,))


def silu(features, beta=1.0, name=None):
    x = convert_to_tensor(features)
    return x * math_ops.sigmoid(x * beta) if beta != 1.0 else x * math_ops.sigmoid(x)


swish = silu


def gelu(features, approximate=False, name=None):
    """x * P(X <= x) for a standard normal X; `approximate=True` uses the tanh form."""
    x = convert_to_tensor(features)
    if approximate:
        c = math.sqrt(2 / math.pi)
        return 0.5 * x * (1.0 + math_ops.tanh(c * (x + 0.044715 * math_ops.pow(x, 3.0))))
    return 0.5 * x * (1.0 + math_ops.erf(x * (1 / math.sqrt(2.0))))


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default)."""
    return execute("Softmax", (logits,), {"axis": -1 if axis is None else int(axis)})


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along `axis`, computed stably."""
    return execute("LogSoftmax", (logits,), {"axis": -1 if axis is None else int(axis)})


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between probability `labels` and `logits` along `axis`."""
    logits_t = convert_to_tensor(logits)
    labels_t = convert_to_tensor(labels, dtype=logits_t.dtype)
    if labels_t.shape != logits_t.shape:
        raise errors.InvalidArgumentError(None, "SoftmaxCrossEntropyWithLogits",
                                          f"logits and labels must be broadcastable: logits_size={logits_t.shape} "
                                          f"labels_size={labels_t.shape}")
    if axis not in (-1, logits_t.ndim - 1):
        from eagerflow.ops import array_ops
        perm = [d for d in range(logits_t.ndim) if d != axis % logits_t.ndim] + [axis % logits_t.ndim]
        logits_t, labels_t = array_ops.transpose(logits_t, perm), array_ops.transpose(labels_t, perm)
    loss, _ = execute("SoftmaxCrossEntropyWithLogits", (logits_t, labels_t))
    return loss


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy between integer class `labels` and `logits` (the last axis holds classes)."""
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
    """sum(t ** 2) / 2."""
    return execute("L2Loss", (t,))


def bias_add(value, bias, data_format=None, name=None):
    """value + bias, where bias is 1-D and matches the last dimension of value."""
    v, b = convert_to_tensor(value), convert_to_tensor(bias)
    if b.ndim != 1 or v.ndim < 2 or v.shape[-1] != b.shape[0]:
        raise ValueError(f"bias_add: bias must be 1-D and match the last dimension of value; got value shape "
                         f"{v.shape} and bias shape {b.shape}.")
    return execute("BiasAdd", (v, b))
