"""eagerflow: a TensorFlow-compatible eager runtime built around the Variable.

    import eagerflow as tf
    v = tf.Variable([1.0, 2.0])
    v.assign_add([1, 1])
"""

__version__ = "0.1.0"

from eagerflow import errors  # noqa: F401
from eagerflow import dtypes  # noqa: F401
from eagerflow.tf_logging import get_logger  # noqa: F401
from eagerflow.device.context import device  # noqa: F401
from eagerflow.device.spec import DeviceSpec  # noqa: F401
from eagerflow.dtypes import (  # noqa: F401
    DType, as_dtype, bfloat16, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, resource, string, uint8, uint16, uint32, uint64, variant,
)
from eagerflow.framework.execute import convert_to_tensor  # noqa: F401
from eagerflow.framework.tensor import Tensor, newaxis  # noqa: F401
from eagerflow.framework.indexed_slices import IndexedSlices, IndexedSlicesSpec  # noqa: F401
from eagerflow.ops.array_ops import (  # noqa: F401
    boolean_mask, broadcast_to, concat, constant, expand_dims, eye, fill, gather, gather_nd, identity,
    is_tensor, linspace, one_hot, ones, ones_like, pad, range, rank, reshape, reverse, shape, size, sort,
    argsort, split, squeeze, stack, stop_gradient, tile, transpose, unstack, where, zeros, zeros_like,
)
from eagerflow.ops.math_ops import (  # noqa: F401
    abs, add, add_n, argmax, argmin, cast, clip_by_value, cos, cumsum, divide, einsum, equal, exp,
    floor, greater, greater_equal, less, less_equal, logical_and, logical_not, logical_or, matmul, maximum, minimum,
    multiply, negative, not_equal, pow, reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean,
    reduce_min, reduce_prod, reduce_sum, round, sigmoid, sign, sin, sqrt, square, subtract, tan, tanh, tensordot,
    truediv, truncatediv, truncatemod, acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh,
)
from eagerflow.ops.math_ops import saturate_cast  # noqa: F401
from eagerflow.ops.slicing_ops import (  # noqa: F401
    scatter_nd, slice, strided_slice, tensor_scatter_nd_add, tensor_scatter_nd_max, tensor_scatter_nd_min,
    tensor_scatter_nd_sub, tensor_scatter_nd_update,
)
from eagerflow.framework import nest  # noqa: F401
from eagerflow.framework.tensor_spec import TensorSpec  # noqa: F401
from eagerflow.tensor_shape import TensorShape  # noqa: F401
from eagerflow.variables import Variable, VariableAggregation, VariableSynchronization  # noqa: F401
from eagerflow import autodiff  # noqa: F401
from eagerflow.autodiff import GradientTape, UnconnectedGradients, custom_gradient  # noqa: F401
from eagerflow.module import Module, name_scope  # noqa: F401


# Everything below loads on first use (PEP 562): most programs touch a few of these namespaces, and
# `import eagerflow` stays near a tenth of a second. `_LAZY_NAMES` maps each module to the top-level names it
# provides ("name=attribute" where they differ).
_LAZY_SUBMODULES = frozenset(
    "bitwise config data debugging distribute experimental io keras layers linalg math nn optimizers random signal "
    "test train".split())
_LAZY_NAMES = {
    "ops.clip_ops": """
        clip_by_global_norm clip_by_norm""",
    "ops.linalg_ops": """
        eig eigvals matrix_square_root=sqrtm norm""",
    "ops.nn_impl": """
        space_to_batch""",
    "ops.control_flow_ops": """
        AggregationMethod Assert CriticalSection RegisterGradient case cond control_dependencies ensure_shape foldl
        foldr get_current_name_scope grad_pass_through group guarantee_const identity_n init_scope inside_function
        is_symbolic_tensor map_fn no_gradient no_op numpy_function py_function recompute_grad scan switch_case
        timestamp tuple vectorized_map while_loop""",
    "ops.check_ops": """
        assert_equal assert_greater assert_less assert_rank""",
    "ops.tensor_array_ops": """
        TensorArray TensorArraySpec""",
    "ops.init_ops": """
        constant_initializer ones_initializer random_normal_initializer random_uniform_initializer
        zeros_initializer""",
    "ops.signal_ops": """
        fftnd ifftnd irfftnd rfftnd""",
    "ops.numeric_ops": """
        bitcast broadcast_dynamic_shape broadcast_static_shape complex dynamic_partition dynamic_stitch
        histogram_fixed_width histogram_fixed_width_bins meshgrid parallel_stack realdiv repeat reverse_sequence
        roll scalar_mul searchsorted sequence_mask shape_n unique unique_with_counts unravel_index""",
    "ops.logging_ops": """
        print""",
    "framework.function": """
        executing_eagerly function get_static_value""",
}

_LAZY = {}
for _module, _names in _LAZY_NAMES.items():
    for _entry in _names.split():
        _name, _, _attribute = _entry.partition("=")
        _LAZY[_name] = (f"eagerflow.{_module}", _attribute or _name)
del _module, _names, _entry, _name, _attribute


def __getattr__(name):
    import importlib

    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"eagerflow.{name}")
    source = _LAZY.get(name)
    if source is None:
        raise AttributeError(f"module 'eagerflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(source[0]), source[1])
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__():
    return sorted(set(globals()) | _LAZY_SUBMODULES | set(_LAZY))
