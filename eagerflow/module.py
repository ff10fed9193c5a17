"""`Module` (as `tf.Module`), `name_scope`, and Keras-style unique names.

A Module finds its variables and submodules by walking its attributes: each attribute in
sorted order of its name, lists and tuples in order, dicts in sorted key order, then the
submodules found, each walked the same way. Every object is reported once.

>>> class Linear(ef.Module):
...     def __init__(self):
...         super().__init__()
...         self.w = ef.Variable([[1.0]], name="w")
...         self.b = ef.Variable([0.0], name="b", trainable=False)
>>> m = Linear()
>>> [v.name for v in m.variables], [v.name for v in m.trainable_variables]
(['b:0', 'w:0'], ['w:0'])
"""

import collections
import functools
import re
import threading

from eagerflow.checkpoint.deferred import ACTIVE as _DEFERRED_RESTORATIONS
from eagerflow.checkpoint.deferred import attribute_set
from eagerflow.checkpoint.data_structures import wrap as _wrap_container
from eagerflow.device import context
from eagerflow.keras_variables import Variable as KerasVariable
from eagerflow.variables import Variable

__all__ = ["Module", "name_scope", "camel_to_snake", "unique_name", "reset_unique_names"]

_state = context.thread_state()
_VALID_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")
_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")


def camel_to_snake(value):
    """TF's module-name rule: `camel_to_snake('MyDense') == 'my_dense'`."""
    return _CAMEL_TO_SNAKE.sub(r"_\1", value).lower()


# ----------------------------------------------------------------------------- unique names

_uid_lock = threading.Lock()
_name_uids = collections.defaultdict(int)


def unique_name(base):
    """Keras's rule: the first object named `base` gets `base`, the next `base_1`, `base_2`, ...

    >>> reset_unique_names(); unique_name("dense"), unique_name("dense")
    ('dense', 'dense_1')
    """
    with _uid_lock:
        count = _name_uids[base]
        _name_uids[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def reset_unique_names():
    """Forget the names handed out so far (`keras.backend.clear_session()` does this in Keras)."""
    with _uid_lock:
        _name_uids.clear()


# ----------------------------------------------------------------------------- name scopes

class name_scope:  # noqa: N801 - TF's name
    """A context manager prefixing the names of variables created inside it, as `tf.name_scope`.

    Scopes nest (`a/b/w:0`); a name ending in '/' is absolute and replaces the outer scopes;
    an empty name clears the prefix. Names are never made unique (TF's eager behaviour).
    The object can be entered again and again; `as` gives the scope string.

    >>> with ef.name_scope("x") as scope:
    ...     v = ef.Variable(1.0, name="w")
    >>> scope, v.name
    ('x/', 'x/w:0')
    """

    __slots__ = ("_name", "_saved")

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError(f"name for name_scope must be a string, got {name!r} of type "
                             f"{type(name).__name__}. Pass e.g. ef.name_scope('layer1').")
        self._name = name
        self._saved = []

    @property
    def name(self):
        return self._name

    def __enter__(self):
        old = _state.name_scope
        name = self._name
        if not name:
            scope = ""
        elif name.endswith("/"):
            scope = name
        else:
            scope = f"{old}{name}/"
        self._saved.append(old)
        _state.name_scope = scope
        return scope

    def __exit__(self, *exc):
        _state.name_scope = self._saved.pop()
        return False

    def __repr__(self):
        return f"name_scope({self._name!r})"


def current_name_scope():
    """The prefix new variable names get now, e.g. 'model/dense/' ('' outside any scope)."""
    return _state.name_scope


# ----------------------------------------------------------------------------- walking

_VARIABLES = (Variable, KerasVariable)  # a layer's weights are Keras variables


def _is_variable(obj):
    return isinstance(obj, _VARIABLES)


def _is_trainable_variable(obj):
    return isinstance(obj, _VARIABLES) and obj.trainable


def _is_non_trainable_variable(obj):
    return isinstance(obj, _VARIABLES) and not obj.trainable


def _is_module(obj):
    return isinstance(obj, Module)


def _leaves_with_paths(value, path=(), expand_composites=False):
    """(path, leaf) for each leaf of a nest of lists, tuples and dicts, in tf.nest order; with
    `expand_composites`, a composite of variables (a ShardedVariable: `_composite_variables()`) is its
    variables, as TF's composite tensors expand to their components."""
    if isinstance(value, (list, tuple)) and not isinstance(value, Variable):
        for i, item in enumerate(value):
            yield from _leaves_with_paths(item, path + (i,), expand_composites)
    elif isinstance(value, collections.abc.Mapping):
        for key in sorted(value):
            yield from _leaves_with_paths(value[key], path + (key,), expand_composites)
    elif expand_composites and hasattr(type(value), "_composite_variables"):
        for i, part in enumerate(value._composite_variables()):
            yield path + (i,), part
    else:
        yield path, value


def _flatten_module(module, recursive, predicate, attribute_traversal_key, attributes_to_ignore,
                    with_path, expand_composites, module_path=(), seen=None, stack=None):
    """The walk of `tf.Module._flatten`: direct attributes first, then each submodule's."""
    module_id = id(module)
    if seen is None:
        seen = {module_id}
    if stack is None:
        stack = []
    if module_id in stack:  # a cycle: report what is here, do not go around again
        recursive = False
    attributes = vars(module)
    submodules = []
    for key in sorted(attributes, key=attribute_traversal_key):
        if key in attributes_to_ignore:
            continue
        prop = attributes[key]
        try:
            leaves = list(_leaves_with_paths(prop, expand_composites=expand_composites))
        except TypeError as cause:
            raise ValueError(f"Error processing property {key!r} of {module!r}: {cause}. Give dicts held by "
                             f"a module keys that sort together (all strings or all numbers).") from cause
        for leaf_path, leaf in leaves:
            leaf_path = (key,) + leaf_path
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (module_path + leaf_path, leaf) if with_path else leaf
            if recursive and isinstance(leaf, Module):
                submodules.append((module_path + leaf_path, leaf))
    stack.append(module_id)
    for sub_path, sub in submodules:
        yield from _flatten_module(sub, recursive, predicate, attribute_traversal_key, attributes_to_ignore,
                                   with_path, expand_composites, sub_path, seen, stack)
    stack.pop()


class Module:
    """A named container of variables and other modules, as `tf.Module`.

    `variables`, `trainable_variables`, `non_trainable_variables` and `submodules` are found by
    walking the attributes (see the module docstring for the order). `name` defaults to the class
    name in snake case and, as in TF, is not made unique; layers (`ef.layers`) make theirs unique.

    >>> class Scale(ef.Module):
    ...     @ef.Module.with_name_scope
    ...     def __call__(self, x):
    ...         if not hasattr(self, "w"):
    ...             self.w = ef.Variable(2.0, name="w")
    ...         return x * self.w
    >>> s = Scale(); float(s(3.0)), s.w.name
    (6.0, 'scale/w:0')
    """

    _TF_MODULE_IGNORED_PROPERTIES = frozenset()
    _WRAPS_CONTAINERS = True   # a list or dict attribute becomes a ListWrapper/_DictWrapper, as TF's AutoTrackable

    def __init__(self, name=None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not isinstance(name, str) or not _VALID_IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid Python identifiers "
                             f"(e.g. a valid class name): letters, digits and '_', not starting with a digit.")
        self._name = name
        self._name_scope = name_scope(f"{_state.name_scope}{name}/")

    @property
    def name(self):
        """The module's name (not unique: two `ef.Module()` are both 'module')."""
        return self._name

    @property
    def name_scope(self):
        """The (absolute) `name_scope` of this module: `with m.name_scope:` prefixes 'name/'."""
        return self._name_scope

    @property
    def variables(self):
        """Every `Variable` of this module and its submodules, each once, in walk order (a
        ShardedVariable's shards in its place, as TF)."""
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(predicate=_is_trainable_variable, expand_composites=True))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(predicate=_is_non_trainable_variable, expand_composites=True))

    @property
    def submodules(self):
        """Every module reachable from this one (not itself), each once."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None, with_path=False,
                 expand_composites=False):
        """Walk the attributes, yielding what `predicate` accepts (with its attribute path if asked).

        >>> m = ef.Module(); m.layers = [ef.Variable(1.0, name="a")]
        >>> [(path, v.name) for path, v in m._flatten(predicate=lambda x: isinstance(x, ef.Variable),
        ...                                           with_path=True)]
        [(('layers', 0), 'a:0')]
        """
        if predicate is None:
            predicate = lambda _: True  # noqa: E731
        return _flatten_module(self, recursive, predicate, attribute_traversal_key,
                               self._TF_MODULE_IGNORED_PROPERTIES, with_path, expand_composites)

    @classmethod
    def with_name_scope(cls, method):
        """Decorate a method so that it runs inside `self.name_scope`."""
        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope

    def __setattr__(self, name, value):
        if self._WRAPS_CONTAINERS:
            value = _wrap_container(value)
        object.__setattr__(self, name, value)
        if _DEFERRED_RESTORATIONS and isinstance(value, (Variable, KerasVariable, Module, list, tuple, dict)):
            attribute_set(self, value)  # restored on attachment, as TF's tracked attributes

    # repr: Python's default (`<__main__.Dense object at 0x...>`), as TF's guides print it
