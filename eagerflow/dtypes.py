"""DType objects, their NumPy mapping, and inference of dtypes from Python values.

Every DType is created once; `as_dtype` returns those same objects, so `is` works.
The enum numbers are TensorFlow's `DataType` values (they are written into checkpoints).
"""

import builtins
import sys

import numpy as np

__all__ = [
    "DType", "as_dtype", "infer_dtype", "infer_dtype_strict", "HoldsTensors", "OutOfRange", "MixedKinds",
    "float16", "half", "bfloat16", "float32", "float64", "double",
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "bool", "complex64", "complex128", "string", "resource", "variant",
]


class DType:
    """The type of the elements of a tensor, e.g. ``ef.float32``.

    >>> import eagerflow as ef
    >>> ef.float32.name, ef.float32.size, ef.int8.max
    ('float32', 4, 127)
    """

    __slots__ = ("_name", "_enum", "_np", "_kind", "_index")

    def __init__(self, name, enum, np_dtype, kind):
        self._name = name
        self._enum = enum
        if np_dtype is not None:  # None: an ml_dtypes type, resolved on first use (__getattr__)
            self._np = np.dtype(np_dtype)
        self._kind = kind  # 'f' floating, 'i' signed, 'u' unsigned, 'c' complex, 'b' bool, 's' string

    def __getattr__(self, name):
        # Only reached while a slot is unset: bfloat16's NumPy dtype before ml_dtypes is loaded.
        if name == "_np" and self._name in _ML_DTYPES:
            _load_ml_dtypes()
            return self._np
        raise AttributeError(f"'DType' object has no attribute {name!r}")

    name = property(lambda self: self._name)
    as_datatype_enum = property(lambda self: self._enum)
    as_numpy_dtype = property(lambda self: self._np.type)
    is_floating = property(lambda self: self._kind == "f")
    is_integer = property(lambda self: self._kind in "iu")
    is_unsigned = property(lambda self: self._kind == "u")
    is_complex = property(lambda self: self._kind == "c")
    is_bool = property(lambda self: self._kind == "b")
    is_numeric = property(lambda self: self._kind in "fiuc")
    base_dtype = property(lambda self: self)

    @property
    def real_dtype(self):
        """float32 for complex64, float64 for complex128, the dtype itself otherwise."""
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def size(self):
        """Bytes per element (strings: 0, as in TF: an element has no fixed size)."""
        return 0 if self._kind == "s" else self._np.itemsize

    @property
    def min(self):
        return self._limits("minimum")[0]

    @property
    def max(self):
        return self._limits("maximum")[1]

    def _limits(self, which):
        # TF: Python ints for integer dtypes, NumPy scalars of the dtype for floating ones;
        # bool, complex and string have no limits
        if self._kind in "iu":
            info = np.iinfo(self._np)
            return int(info.min), int(info.max)
        if self._kind == "f":
            info = _load_ml_dtypes().finfo(self._np)
            return self._np.type(info.min), self._np.type(info.max)
        raise TypeError(f"Cannot find {which} value of {self} with type {self}.")

    def is_compatible_with(self, other):
        return self is as_dtype(other)

    def __repr__(self):
        # TF: repr is the attribute path (tf.float32), str the older ef.float32
        return f"ef.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __reduce__(self):
        return as_dtype, (self._name,)


float16 = half = DType("float16", 19, np.float16, "f")
bfloat16 = DType("bfloat16", 14, None, "f")
float32 = DType("float32", 1, np.float32, "f")
float64 = double = DType("float64", 2, np.float64, "f")
int8 = DType("int8", 6, np.int8, "i")
int16 = DType("int16", 5, np.int16, "i")
int32 = DType("int32", 3, np.int32, "i")
int64 = DType("int64", 9, np.int64, "i")
uint8 = DType("uint8", 4, np.uint8, "u")
uint16 = DType("uint16", 17, np.uint16, "u")
uint32 = DType("uint32", 22, np.uint32, "u")
uint64 = DType("uint64", 23, np.uint64, "u")
bool = DType("bool", 10, np.bool_, "b")  # noqa: A001 - TF's name
complex64 = DType("complex64", 8, np.complex64, "c")
complex128 = DType("complex128", 18, np.complex128, "c")
string = DType("string", 7, object, "s")
# handles (`Variable.handle`): no tensor of eagerflow holds elements of these
resource = DType("resource", 20, object, "r")
variant = DType("variant", 21, object, "v")

ALL_DTYPES = (float16, bfloat16, float32, float64, int8, int16, int32, int64,
              uint8, uint16, uint32, uint64, bool, complex64, complex128, string)
for _i, _d in enumerate(ALL_DTYPES + (resource, variant)):
    _d._index = _i  # the position of the dtype's kernel table on a device (`Device.typed_kernels`)

_BY_NAME = {d.name: d for d in ALL_DTYPES + (resource, variant)}
_BY_NAME.update({"half": float16, "double": float64, "float": float32})  # TF's aliases, and no others
_BY_ENUM = {d.as_datatype_enum: d for d in ALL_DTYPES + (resource, variant)}

# DTypes whose NumPy type comes from ml_dtypes. ml_dtypes is imported on first need, not with
# eagerflow: its newer versions take most of a second to import, ten times all of eagerflow.
_ML_DTYPES = {"bfloat16": bfloat16}


class _NumpyDtypeTable(dict):
    """numpy dtype -> DType; the execute path looks results up here, so keys are np.dtype objects.

    A miss of `table[np_dtype]` on an ml_dtypes type (the caller imported ml_dtypes and made a
    bfloat16 array) loads eagerflow's ml_dtypes entries and looks again. `get` stays dict's own
    (fast, no such retry): callers retry a miss through `from_numpy`.
    """

    def __missing__(self, np_dtype):
        if "ml_dtypes" in sys.modules and not _ml_dtypes_loaded:
            _load_ml_dtypes()
            return dict.__getitem__(self, np_dtype)
        raise KeyError(np_dtype)


NP_TO_DTYPE = _NumpyDtypeTable((d._np, d) for d in ALL_DTYPES if d.name not in _ML_DTYPES)
for _byte_kind in ("S", "U"):
    NP_TO_DTYPE[np.dtype(_byte_kind)] = string
_ml_dtypes_loaded = False


def from_numpy(np_dtype):
    """The DType of a NumPy dtype object, or None (ml_dtypes types included once the caller has them)."""
    try:
        return NP_TO_DTYPE[np_dtype]
    except KeyError:
        return None


def _load_ml_dtypes():
    """Import ml_dtypes and give its DTypes their NumPy types (once); returns the module."""
    global _ml_dtypes_loaded
    import ml_dtypes
    if not _ml_dtypes_loaded:
        for name, d in _ML_DTYPES.items():
            d._np = np.dtype(getattr(ml_dtypes, name))
            dict.__setitem__(NP_TO_DTYPE, d._np, d)
        _ml_dtypes_loaded = True
    return ml_dtypes


# TF's as_dtype takes these Python types and no others (`as_dtype(int)` is a TypeError: int32 or int64?)
_BUILTIN = {float: float32, builtins.bool: bool, object: string}
_AMBIGUOUS = (int, complex, str, bytes)


def as_dtype(type_value):
    """Convert a name, NumPy dtype, Python type, enum number or DType into a DType.

    >>> import eagerflow as ef
    >>> ef.as_dtype("float32") is ef.float32, ef.as_dtype(np.int64)
    (True, ef.int64)
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        try:
            return _BY_NAME[type_value]
        except KeyError:
            raise TypeError(f"Cannot convert {type_value!r} to a DType: unknown dtype name. "
                            f"Known names: {sorted(d.name for d in ALL_DTYPES)}.") from None
    if isinstance(type_value, int) and not isinstance(type_value, np.generic):
        if type_value in _BY_ENUM:
            return _BY_ENUM[type_value]
        raise TypeError(f"Cannot convert {type_value!r} to a DType: not a DataType enum value.")
    if type_value in _BUILTIN:
        return _BUILTIN[type_value]
    if isinstance(type_value, type) and type_value in _AMBIGUOUS:  # (np.dtype(int) == int: no `in` alone)
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a DType: Python's "
                        f"{type_value.__name__} has no one TF dtype. Name one, e.g. ef.int32 or ef.int64.")
    as_np = getattr(type_value, "as_numpy_dtype", None)  # objects of other TF-like libraries
    if as_np is not None and not isinstance(type_value, type):
        return as_dtype(as_np)
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert {type_value!r} to a DType.") from None
    found = from_numpy(np_dtype)
    if found is None and np_dtype.kind in "SU":
        found = string
    if found is None:
        raise TypeError(f"Cannot convert {type_value!r} to a DType: numpy dtype {np_dtype} has no "
                        f"eagerflow equivalent.")
    return found


def infer_dtype(value):
    """The dtype TensorFlow gives a Python value or NumPy array; see `infer_dtype_strict`.

    >>> ef.dtypes.infer_dtype([1, 2.5]), ef.dtypes.infer_dtype([np.float64(1.0), 2])
    (ef.float32, ef.float64)
    """
    try:
        return infer_dtype_strict(value)
    except (HoldsTensors, OutOfRange, MixedKinds) as e:
        raise ValueError(str(e) or "Can't infer a dtype for a sequence that holds tensors.") from None


def infer_dtype_strict(value):
    """The dtype TensorFlow gives a Python value or NumPy array (for `constant`, `Variable`, ...).

    Python float -> float32, int -> int32 (int64 when it does not fit), complex -> complex128,
    bool -> bool, str/bytes -> string; NumPy arrays and scalars keep their dtype. A nested sequence
    takes its kind from its FIRST leaf, as TF: after an int, floats make it float32 and bools are
    ints; after a NumPy float, everything takes that dtype; after a bool or a string, only bools or
    strings may follow. Anything else is TF's ValueError ("mixed types", "unsupported type"); mixed
    kinds, integers beyond int64 and sequences holding tensors raise the ValueError subclasses
    `MixedKinds`, `OutOfRange` and `HoldsTensors`, which a conversion to a requested dtype may still
    resolve (`execute.to_array`).
    """
    np_dtype = getattr(value, "dtype", None)
    if np_dtype is not None:
        if isinstance(np_dtype, DType):
            return np_dtype
        return as_dtype(np_dtype)
    t = type(value)
    if t is float:
        return float32
    if t is builtins.bool:
        return bool
    if t is int:
        if -(2 ** 31) <= value < 2 ** 31:
            return int32
        return _python_int_dtype([value])
    if t is complex:
        return complex128
    if t is str or t is bytes:
        return string
    if isinstance(value, (list, tuple, range)):
        return _infer_sequence(value)
    raise _unsupported(value)


class HoldsTensors(ValueError):
    """Raised by `infer_dtype` for a nested sequence that holds tensors or variables."""


class OutOfRange(ValueError):
    """Raised by `infer_dtype` for Python integers beyond int64 (a requested dtype may still hold them)."""


def _unsupported(value):
    return ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type ({type(value)!r}) to a "
                      f"Tensor. Give a number, a string, a nested list of them, a NumPy array or a tensor.")


class MixedKinds(ValueError):
    """Raised by `infer_dtype_strict` for a sequence whose leaves TF will not infer one dtype for."""


def _mixed(value, first, leaf):
    return MixedKinds(f"Can't convert Python sequence with mixed types to Tensor: {_short(value)} starts with "
                      f"{first!r} and also holds {leaf!r}. Make the values one kind (e.g. all floats), or give "
                      f"dtype= explicitly.")


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _python_int_dtype(ints):
    lo, hi = min(ints), max(ints)
    if -(2 ** 31) <= lo and hi < 2 ** 31:
        return int32
    if -(2 ** 63) <= lo and hi < 2 ** 63:
        return int64
    raise OutOfRange(f"Can't convert Python sequence with out-of-range integer to Tensor: {max(ints, key=abs)} does "
                     f"not fit int64. Give dtype=ef.uint64 for values up to 2**64 - 1, or use floats.")


def _leaf_kind(leaf):
    """TF's kind of one leaf of a sequence: 'i', 'f' (Python float), 'b', 'c', 's', a floating DType
    (a NumPy float scalar or array), or None (unsupported)."""
    t = type(leaf)
    if t is float:
        return "f"
    if t is int:
        return "i"
    if t is builtins.bool or t is np.bool_:
        return "b"
    if t is complex:
        return "c"
    if t is str or t is bytes:
        return "s"
    np_dtype = getattr(leaf, "dtype", None)
    if isinstance(leaf, (np.generic, np.ndarray)):
        kind = np_dtype.kind
        if kind in "iu":
            return "i"
        if kind == "b":
            return "b"
        if kind == "c":
            return "c"
        if kind in "SU":
            return "s"
        found = NP_TO_DTYPE.get(np_dtype)
        if found is not None and found.is_floating:
            return found
    if isinstance(leaf, (str, bytes)):
        return "s"
    return None


_ACCEPTS = {"i": "ibf", "f": "ibf", "c": "ibfc", "b": "b", "s": "s"}  # what may follow a first leaf of a kind


def _infer_sequence(value):
    if value and all(type(item) is float for item in value):  # the common flat list, without the walk
        return float32
    first = None
    ints = []
    floats = False
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple, range)):
            stack.extend(reversed(item))
            continue
        if type(item) is np.ndarray and item.ndim:
            if item.dtype.kind in "OSU" or not item.size:
                stack.extend(reversed(list(item)))
                continue
            leaf, sample = item, item.flat[0]  # a whole array at once: its kind, its extreme values
        else:
            leaf = sample = item[()] if type(item) is np.ndarray else item
        kind = _leaf_kind(leaf)
        if kind is None and isinstance(getattr(leaf, "dtype", None), DType):
            raise HoldsTensors()  # a tensor or variable: the caller packs them (or refuses, as ef.constant)
        if first is None:
            if kind is None:
                raise _unsupported(sample)
            first, first_leaf = kind, sample
        elif kind is None or (kind if type(kind) is str else "f") not in _ACCEPTS.get(first, "ibf"):
            raise _mixed(value, first_leaf, sample)
        if kind == "i":
            if type(leaf) is np.ndarray:
                ints += [int(leaf.min()), int(leaf.max())]
            else:
                ints.append(int(leaf))
        elif kind == "f" or type(kind) is DType:
            floats = True
    if first is None:
        return float32  # TF: an empty list is float32
    if type(first) is DType:
        return first
    if first == "i":
        return float32 if floats else _python_int_dtype(ints)
    return {"f": float32, "c": complex128, "b": bool, "s": string}[first]


def __getattr__(name):
    # TF's tf.dtypes.cast and tf.dtypes.saturate_cast are ops: resolved on first use, since this module sits
    # above the ops layer
    if name in ("cast", "saturate_cast"):
        from eagerflow.ops import math_ops
        return getattr(math_ops, name)
    raise AttributeError(f"module 'eagerflow.dtypes' has no attribute {name!r}")
