"""Which dtypes each op takes, as TensorFlow: kernels TF lacks are refused with TF's error class.

TF refuses a dtype at two levels: the op definition does not allow it (`bool + bool`:
InvalidArgumentError, "Value for attr 'T' of bool is not in the list of allowed values"), or it
allows it but no CPU kernel is registered (`reciprocal` of int32: NotFoundError). `op_dtypes.py`
holds both lists, generated from TF's registries. A device binds its kernel table once per dtype
(`tables`), leaving out the refused ops, so the execute path pays nothing for the check: a
missing entry sends the op down the slow path, where `refusal` names the error.
"""

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.backends import op_dtypes

__all__ = ["tables", "extend_tables", "refusal", "supported"]

_SHORT = dict(zip("f16 bf16 f32 f64 i8 i16 i32 i64 u8 u16 u32 u64 b c64 c128 s".split(),
                  (_dtypes.float16, _dtypes.bfloat16, _dtypes.float32, _dtypes.float64, _dtypes.int8, _dtypes.int16,
                   _dtypes.int32, _dtypes.int64, _dtypes.uint8, _dtypes.uint16, _dtypes.uint32, _dtypes.uint64,
                   _dtypes.bool, _dtypes.complex64, _dtypes.complex128, _dtypes.string)))
_INTEGERS = frozenset(d for d in _dtypes.ALL_DTYPES if d.is_integer)

# eagerflow kernels whose first input is not TF's (Fill takes the value first; TF the dims)
_NOT_TF_SIGNATURE = frozenset({"Fill", "StridedSliceGrad"})
# Where TF's Python function accepts more than its op: `tf.add` of strings runs Add (AddV2 has no strings),
# `tf.round` returns integers as they are, `tf.truediv` casts integers to floats before RealDiv.
# `tf.abs` of complex numbers runs ComplexAbs.
_EXTRA = {"AddV2": frozenset({_dtypes.string}), "Round": _INTEGERS, "RealDiv": _INTEGERS,
          "Abs": frozenset({_dtypes.complex64, _dtypes.complex128})}


# TF's Python function refuses these dtypes itself, with a TypeError, before any op runs
_PYTHON_REFUSES = {"RealDiv": frozenset({_dtypes.bool, _dtypes.string})}


# the type attrs of data inputs (`Tidx`: Range's start); others type shapes and indices, which eagerflow kernels
# often take in another position (OneHot's indices come first in both)
_DATA_ATTRS = frozenset({"T", "Tidx"})


def _expand(names):
    return frozenset(_SHORT[n] for n in names.split())


def supported(op, extended=True):
    """(allowed dtypes, dtypes without a kernel) of eagerflow op `op`, or None where it takes every dtype;
    `extended=False`: TF's own lists for the raw op `op`, without the dtypes eagerflow's wrappers route
    through it."""
    if op in _NOT_TF_SIGNATURE:
        return None
    allowed = op_dtypes.ALLOWED.get(op)
    if allowed is None or (op_dtypes.ATTR.get(op, "T") not in _DATA_ATTRS and op != "OneHot"):
        return None  # a first input that is a shape or an index (Conv3DBackpropInputV2's input_sizes): not the data
    extra = _EXTRA.get(op, frozenset()) if extended else frozenset()
    return _expand(allowed) | extra, _expand(op_dtypes.NO_KERNEL.get(op, "")) - extra


def extend_tables(typed, kernels):
    """Add bound `kernels` to the per-dtype tables `typed` (from `tables`), less the ops TF refuses."""
    for table, extra in zip(typed, tables(kernels)):
        table.update(extra)


def tables(kernels):
    """One kernel table per dtype (indexed by `DType._index`): `kernels` less the ops TF refuses for it."""
    refused = {}  # dtype -> ops
    for op in kernels:
        support = supported(op)
        if support is not None:
            allowed, no_kernel = support
            for dtype in _dtypes.ALL_DTYPES:
                if dtype not in allowed or dtype in no_kernel:
                    refused.setdefault(dtype, set()).add(op)
    return tuple({op: k for op, k in kernels.items() if op not in refused.get(dtype, ())}
                 for dtype in _dtypes.ALL_DTYPES) + (
        {op: k for op, k in kernels.items() if op in _HANDLE_OPS}, {})  # resource (v.handle), variant


# what TF runs on resource handles: moving them around, never computing with them
_HANDLE_OPS = frozenset({"Identity", "Reshape", "Pack", "ExpandDims", "Squeeze"})


def refusal(op, dtype, extended=True):
    """TF's error for running `op` on a first input of `dtype`, or None when TF runs it; `extended=False`
    for TF's raw op itself (`ef.realdiv` of integers has no kernel, though `ef.truediv` runs on one)."""
    support = supported(op, extended)
    if support is None:
        if dtype in (_dtypes.resource, _dtypes.variant) and op not in _HANDLE_OPS:
            return errors.InvalidArgumentError(
                None, op, f"No OpKernel was registered to support Op '{op}' with these attrs: [T=DT_"
                f"{dtype.name.upper()}] [Op:{op}]. A {dtype.name} tensor (a variable's handle) only names a "
                "resource: compute with the variable itself.")
        return None
    allowed, no_kernel = support
    attr = op_dtypes.ATTR.get(op, "T")
    if extended and dtype in _PYTHON_REFUSES.get(op, ()):
        return TypeError(f"Invalid dtype {dtype.name} for {op}: it takes numbers. {_way_out(allowed)}")
    if dtype not in allowed:
        names = ", ".join(d.name for d in _dtypes.ALL_DTYPES if d in allowed)
        way_out = _way_out(allowed)
        return errors.InvalidArgumentError(
            None, op, f"Value for attr '{attr}' of {dtype.name} is not in the list of allowed values: {names} "
            f"[Op:{op}]. {way_out}")
    if dtype in no_kernel:
        names = ", ".join(d.name for d in _dtypes.ALL_DTYPES if d in allowed and d not in no_kernel)
        return errors.NotFoundError(
            None, op, f"Could not find device for node: {{{{node {op}}}}} = {op}[{attr}=DT_{dtype.name.upper()}]: "
            f"TensorFlow has {op} kernels for {names} only [Op:{op}]. {_way_out(allowed - no_kernel)}")
    return None


def _way_out(usable):
    for choice in (_dtypes.float32, _dtypes.int32, _dtypes.bool, _dtypes.complex64):
        if choice in usable:
            return f"Cast the input first, e.g. ef.cast(x, ef.{choice.name})."
    return "Give an input of one of those dtypes."
