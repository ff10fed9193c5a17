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
    return math_ops.maximum(x, x * alpha)


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
    if approximate:
        c = math.sqrt(2 / math.pi)
        return 0.5 * x * (1.0 + math_ops.tanh(c * (x + 0.044715 * math_ops.pow(x, 3.0))))
    return 0.5 * x * (1.0 + math_ops.erf(x * (1 / math.sqrt(2.0))))


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default).

    >>> ef.nn.softmax([1.0, 2.0, 3.0]).numpy()
    array([0.09003057, 0.24472846, 0.66524094], dtype=float32)
    """
    return execute("Softmax", (logits,), {"axis": -1 if axis is None else int(axis)})


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along `axis`, computed stably.

    >>> ef.nn.log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    return execute("LogSoftmax", (logits,), {"axis": -1 if axis is None else int(axis)})


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
        from eagerflow.ops import array_ops
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
    if b.ndim != 1 or v.ndim < 2 or v.shape[-1] != b.shape[0]:
        raise ValueError(f"bias_add: bias must be 1-D and match the last dimension of value; got value shape "
                         f"{v.shape} and bias shape {b.shape}.")
    return execute("BiasAdd", (v, b))
