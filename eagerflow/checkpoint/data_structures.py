"""The list, dict and tuple wrappers a `Module` or `Checkpoint` attribute gets, as TF's `ListWrapper`,
`_DictWrapper` and `_TupleWrapper` (a tuple is wrapped when it holds a tracked object or a container).

Assigning a list or dict to a module attribute stores a wrapper around that same container (mutating the
original shows through, as in TF), with the nested lists and dicts wrapped in turn. The wrappers are a `list`
and a `dict` to `isinstance`, compare equal to plain containers, print as TF's (`ListWrapper([...])`,
`DictWrapper({...})` as repr, the dict's own text as str) and are unhashable. A value added through the
wrapper (`append`, `extend`, `insert`, item assignment, `update`, ...) is restored at once where a
`restore()` has a value for it (deferred restoration on append).

Checkpoints are append-only, as TF's: a list whose tracked element was replaced, deleted or moved, or a
wrapped container changed behind the wrapper's back, cannot be saved (ValueError naming the way out), nor
can a dict mapping a non-string key to a tracked object.

>>> import eagerflow as ef
>>> m = ef.Module(); m.layers = []
>>> m.layers.append(ef.Variable(1.0, name="w"))
>>> m.layers, isinstance(m.layers, list), m.layers == [m.layers[0]]
(ListWrapper([<ef.Variable 'w:0' shape=() dtype=float32, numpy=1.0>]), True, True)
"""

import collections.abc
import copy
import sys

from eagerflow.checkpoint.deferred import ACTIVE, attribute_set

__all__ = ["ListWrapper", "DictWrapper", "TupleWrapper", "wrap"]


def wrap(value):
    """`value` as a module attribute holds it: an exact list or dict wrapped, anything else as it is."""
    kind = type(value)
    if kind is list:
        return ListWrapper(value)
    if kind is dict or kind is collections.OrderedDict:
        return DictWrapper(value)
    if kind is tuple and _should_wrap_tuple(value):
        return TupleWrapper(value)
    return value


def _should_wrap_tuple(value):
    """TF wraps a tuple holding a tracked object, a list or dict, or such a tuple."""
    return any(type(e) in (list, dict, collections.OrderedDict) or _tracked(e)
               or (type(e) is tuple and _should_wrap_tuple(e)) for e in value)


def _tracked(value):
    """Whether a checkpoint tracks `value` (a variable, module, wrapper or object holding variables)."""
    from eagerflow.checkpoint.graph import _trackable  # noqa: PLC0415 - graph imports the variable classes

    return isinstance(value, (ListWrapper, DictWrapper, TupleWrapper)) or (
        not isinstance(value, (list, tuple, dict)) and _trackable(value))


def _added(container, value):
    """`value` joined `container`: restored now where a waiting `restore()` has its value."""
    if ACTIVE and _tracked(value):
        attribute_set(container, value)


def _other(value):
    return value._storage if isinstance(value, ListWrapper) else value


class ListWrapper(list):
    """A list attribute of a module: the wrapped list itself (shared), tracked for checkpoints."""

    # The list part of the object stays empty: the elements live in `_storage`, the list the user assigned.

    def __init__(self, wrapped_list):
        super().__init__()
        self._storage = wrapped_list
        self._non_append_mutation = False     # a tracked element replaced, deleted or moved
        self._external_modification = False  # the wrapped list changed outside the wrapper
        for i, element in enumerate(wrapped_list):
            wrapped_list[i] = wrap(element)
        self._snapshot = list(wrapped_list)

    # -- bookkeeping -----------------------------------------------------------------------------
    def _check_external_modification(self):
        if self._external_modification or self._non_append_mutation:
            return
        if self._storage != self._snapshot:
            self._external_modification = True
            self._snapshot = None

    def _update_snapshot(self):
        if not (self._external_modification or self._non_append_mutation):
            self._snapshot = list(self._storage)

    def _has_mutation_or_tracked(self):
        return self._non_append_mutation or any(_tracked(e) for e in self._storage)

    def _check_saveable(self):
        """Raise ValueError where the list cannot be saved (TF's rule: tracking is append-only)."""
        self._check_external_modification()
        if self._non_append_mutation:
            raise ValueError(
                f"Unable to save the object {self!r} (a list wrapper constructed to track trackable TensorFlow "
                "objects). A list element was replaced (__setitem__, __setslice__), deleted (__delitem__, "
                "__delslice__), or moved (sort). In order to support restoration on object creation, tracking is "
                "exclusively for append-only data structures.\n\nIf you don't need this list checkpointed, wrap "
                "it in a non-trackable object; it will be subsequently ignored.")
        if self._external_modification:
            raise ValueError(
                f"Unable to save the object {self!r} (a list wrapper constructed to track trackable TensorFlow "
                f"objects). The wrapped list was modified outside the wrapper (its final value was {self._storage}, "
                f"its value when a checkpoint dependency was added was {self._snapshot}), which breaks "
                "restoration on object creation.\n\nIf you don't need this list checkpointed, assign a copy to "
                "the attribute and change it only through the attribute.")

    # -- reading -----------------------------------------------------------------------------------
    def __getitem__(self, key):
        return self._storage[key]     # a slice is a plain list, as TF's

    def __len__(self):
        return len(self._storage)

    def __iter__(self):
        return iter(self._storage)

    def __reversed__(self):
        return reversed(self._storage)

    def __contains__(self, value):
        return value in self._storage

    def index(self, value, *args):
        return self._storage.index(value, *args)

    def count(self, value):
        return self._storage.count(value)

    def __repr__(self):
        return f"ListWrapper({self._storage!r})"

    __str__ = __repr__

    def __eq__(self, other):
        return self._storage == _other(other)

    def __ne__(self, other):
        return self._storage != _other(other)

    def __lt__(self, other):
        return self._storage < _other(other)

    def __le__(self, other):
        return self._storage <= _other(other)

    def __gt__(self, other):
        return self._storage > _other(other)

    def __ge__(self, other):
        return self._storage >= _other(other)

    def __hash__(self):
        raise TypeError("unhashable type: 'ListWrapper'")

    def __add__(self, other):
        return self._storage + _other(other)

    def __radd__(self, other):
        return other + self._storage

    def __mul__(self, n):
        return self._storage * n

    __rmul__ = __mul__

    def __sizeof__(self):
        return super().__sizeof__() + sys.getsizeof(self._storage)

    def copy(self):
        copied = ListWrapper(copy.copy(self._storage))
        copied._non_append_mutation, copied._external_modification = (self._non_append_mutation,
                                                                        self._external_modification)
        return copied

    __copy__ = copy

    def __deepcopy__(self, memo):
        copied = ListWrapper(copy.deepcopy(self._storage, memo))
        copied._non_append_mutation, copied._external_modification = (self._non_append_mutation,
                                                                        self._external_modification)
        return copied

    def __reduce_ex__(self, protocol):
        return (ListWrapper, (self._storage,))

    # -- appending (what a checkpoint can follow) ------------------------------------------------
    def append(self, value):
        self._check_external_modification()
        value = wrap(value)
        self._storage.append(value)
        self._update_snapshot()
        _added(self, value)

    def extend(self, values):
        for value in list(values):
            self.append(value)

    def __iadd__(self, values):
        self.extend(values)
        return self

    def __imul__(self, n):
        if n <= 0:
            self._check_external_modification()
            if self._has_mutation_or_tracked():
                self._non_append_mutation = True
            self._storage *= n
            self._update_snapshot()
        else:
            length = len(self._storage)
            for _ in range(n - 1):
                for i in range(length):
                    self.append(self._storage[i])
        return self

    # -- other mutations (a tracked element replaced or moved makes the list unsaveable) ---------
    def __setitem__(self, key, value):
        self._check_external_modification()
        if isinstance(key, slice):
            before = list(self._storage)
            self._storage[key] = value
            for i in range(max(len(before), len(self._storage))):
                now = self._storage[i] if i < len(self._storage) else None
                old = before[i] if i < len(before) else None
                if _tracked(old):
                    self._non_append_mutation = True
                if now is not None and now is not old:
                    self._storage[i] = wrap(now)
                    _added(self, self._storage[i])
        else:
            if _tracked(self._storage[key]):
                self._non_append_mutation = True
            self._storage[key] = value = wrap(value)
            _added(self, value)
        self._update_snapshot()

    def __delitem__(self, key):
        self._check_external_modification()
        if self._has_mutation_or_tracked():
            self._non_append_mutation = True
        del self._storage[key]
        self._update_snapshot()

    def insert(self, index, value):
        self._check_external_modification()
        value = wrap(value)
        if self._has_mutation_or_tracked() or _tracked(value):
            self._non_append_mutation = True
        self._storage.insert(index, value)
        self._update_snapshot()
        _added(self, value)

    def sort(self):
        """Sort in place (no `key`/`reverse`, as TF's ListWrapper.sort)."""
        self._check_external_modification()
        if self._has_mutation_or_tracked():
            self._non_append_mutation = True
        self._storage.sort()
        self._update_snapshot()

    def pop(self, index=-1):
        value = self._storage[index]
        del self[index]
        return value

    def remove(self, value):
        del self[self._storage.index(value)]

    def clear(self):
        while self._storage:
            self.pop()

    def reverse(self):
        n = len(self._storage)
        for i in range(n // 2):
            self[i], self[n - i - 1] = self[n - i - 1], self[i]


class DictWrapper(dict):
    """A dict attribute of a module: the wrapped dict itself (shared), tracked for checkpoints.

    Its type is named `_DictWrapper` as TF's; the dict part of the object stays empty (the items live in
    the dict the user assigned).
    """

    def __init__(self, wrapped_dict=None):
        super().__init__()
        if wrapped_dict is None:
            wrapped_dict = {}
        if not isinstance(wrapped_dict, collections.abc.Mapping):   # (key, value) pairs, as nest rebuilds
            wrapped_dict = dict(wrapped_dict)
        self._storage = wrapped_dict
        self._non_string_key = False
        self._external_modification = False
        self._deleted = {}   # tracked values deleted by key: still saved under the key, as TF's dependencies
        for key, value in list(wrapped_dict.items()):
            wrapped_dict[key] = value = wrap(value)
            if not isinstance(key, str) and _tracked(value):
                self._non_string_key = True
        self._update_snapshot()

    # -- bookkeeping -----------------------------------------------------------------------------
    def _dirty(self):
        return self._external_modification or self._non_string_key

    def _check_external_modification(self):
        if self._dirty():
            return
        if self._storage != self._snapshot:
            self._external_modification = True
            self._snapshot = None

    def _update_snapshot(self):
        if not self._dirty():
            self._snapshot = dict(self._storage)

    def _checkpoint_dependencies(self):
        """The string-keyed items, and the tracked values deleted since (TF keeps them as dependencies)."""
        items = [(k, v) for k, v in self._storage.items() if isinstance(k, str)]
        return items + [(k, v) for k, v in self._deleted.items() if k not in self._storage]

    def _check_saveable(self):
        """Raise ValueError where the dict cannot be saved (TF's rules)."""
        self._check_external_modification()
        if self._non_string_key:
            raise ValueError(
                f"Unable to save the object {self} (a dictionary wrapper constructed automatically on attribute "
                "assignment). The wrapped dictionary contains a non-string key which maps to a trackable object or "
                "mutable data structure.\n\nIf you don't need this dictionary checkpointed, wrap it in a "
                "non-trackable object; it will be subsequently ignored. Or use string keys.")
        if self._external_modification:
            raise ValueError(
                f"Unable to save the object {self} (a dictionary wrapper constructed automatically on attribute "
                f"assignment). The wrapped dictionary was modified outside the wrapper (its final value was "
                f"{self}, its value when a checkpoint dependency was added was {self._snapshot}), which breaks "
                "restoration on object creation.\n\nIf you don't need this dictionary checkpointed, assign a copy "
                "to the attribute and change it only through the attribute.")

    # -- reading -----------------------------------------------------------------------------------
    def __getitem__(self, key):
        return self._storage[key]

    def __len__(self):
        return len(self._storage)

    def __iter__(self):
        return iter(self._storage)

    def __reversed__(self):
        return reversed(self._storage)

    def __contains__(self, key):
        return key in self._storage

    def keys(self):
        return self._storage.keys()

    def values(self):
        return self._storage.values()

    def items(self):
        return self._storage.items()

    def get(self, key, default=None):
        return self._storage.get(key, default)

    def __repr__(self):
        return f"DictWrapper({self._storage!r})"

    def __str__(self):
        return str(self._storage)

    def __eq__(self, other):
        return self._storage == (other._storage if isinstance(other, DictWrapper) else other)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        raise TypeError("unhashable type: 'DictWrapper'")

    def __or__(self, other):
        return self._storage | (other._storage if isinstance(other, DictWrapper) else other)

    def __ror__(self, other):
        return other | self._storage

    def __ior__(self, other):
        self.update(other)
        return self

    def __sizeof__(self):
        return super().__sizeof__() + sys.getsizeof(self._storage)

    def copy(self):
        copied = DictWrapper(copy.copy(self._storage))
        copied._external_modification, copied._non_string_key = self._external_modification, self._non_string_key
        return copied

    __copy__ = copy

    def __deepcopy__(self, memo):
        copied = DictWrapper(copy.deepcopy(self._storage, memo))
        copied._external_modification, copied._non_string_key = self._external_modification, self._non_string_key
        return copied

    def __reduce_ex__(self, protocol):
        return (DictWrapper, (self._storage,))

    # -- writing -----------------------------------------------------------------------------------
    def __setitem__(self, key, value):
        self._check_external_modification()
        value = wrap(value)
        if not isinstance(key, str) and _tracked(value):
            self._non_string_key = True
        self._deleted.pop(key, None)
        self._storage[key] = value
        self._update_snapshot()
        _added(self, value)

    def __delitem__(self, key):
        self._check_external_modification()
        value = self._storage.pop(key)
        if isinstance(key, str) and _tracked(value):
            self._deleted[key] = value
        self._update_snapshot()

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self._storage:
            self[key] = default
        return self._storage[key]

    _MISSING = object()

    def pop(self, key, default=_MISSING):
        if key not in self._storage:
            if default is DictWrapper._MISSING:
                raise KeyError(key)
            return default
        value = self._storage[key]
        del self[key]
        return value

    def popitem(self):
        key, value = self._storage.popitem()
        self._storage[key] = value
        del self[key]
        return key, value

    def clear(self):
        for key in list(self._storage):
            del self[key]


class TupleWrapper(tuple):
    """A tuple attribute of a module that holds tracked objects or containers: its elements wrapped (a
    list in it becomes a ListWrapper), printed as TF's `_TupleWrapper((...))`; otherwise a tuple."""

    def __new__(cls, original=()):
        return super().__new__(cls, [wrap(e) for e in original])

    def __repr__(self):
        return f"_TupleWrapper({tuple(self)!r})"

    def __str__(self):
        return tuple.__repr__(self)    # the tuple's own text, as TF's proxy prints

    def __copy__(self):
        return TupleWrapper(copy.copy(tuple(self)))

    def __deepcopy__(self, memo):
        return TupleWrapper(copy.deepcopy(tuple(self), memo))

    def __reduce_ex__(self, protocol):
        return (TupleWrapper, (tuple(self),))


DictWrapper.__name__ = DictWrapper.__qualname__ = "_DictWrapper"   # TF's type names
TupleWrapper.__name__ = TupleWrapper.__qualname__ = "_TupleWrapper"
_TupleWrapper = TupleWrapper
_DictWrapper = DictWrapper   # what pickle finds by the type's name
