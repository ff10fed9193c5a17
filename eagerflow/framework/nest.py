"""`ef.nest`: nested structures of lists, tuples (named or not) and dicts, as `tf.nest`.

Dicts are walked in sorted key order, as TF, so `flatten({"b": 1, "a": 2})` is `[2, 1]`; anything
else (tensors, variables, numbers, strings, None) is a leaf. The gradient tape uses these functions
for its nests of targets and sources.

>>> ef.nest.flatten({"b": [1, 2], "a": (3, {"z": 4, "y": 5})})
[3, 5, 4, 1, 2]
"""

import collections
import collections.abc

__all__ = ["flatten", "is_nested", "pack_sequence_as", "map_structure", "assert_same_structure"]


def _is_mapping(x):
    return isinstance(x, collections.abc.Mapping)


def _is_sequence(x):
    return isinstance(x, (list, tuple))


def is_nested(seq):
    """True for a list, tuple or dict (empty ones too); False for leaves such as tensors and strings.

    >>> ef.nest.is_nested([1]), ef.nest.is_nested({}), ef.nest.is_nested("ab"), ef.nest.is_nested(1)
    (True, True, False, False)
    """
    return _is_sequence(seq) or _is_mapping(seq)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, depth first (dict values in sorted key order); a leaf gives [leaf].

    >>> ef.nest.flatten([1, (2, {"b": 3, "a": 4})]), ef.nest.flatten(None)
    ([1, 2, 4, 3], [None])
    """
    out = []
    stack = [structure]
    while stack:
        item = stack.pop()
        if type(item) is list or type(item) is tuple:  # the common containers, without the ABC check
            stack.extend(reversed(item))
        elif _is_mapping(item):
            stack.extend(item[k] for k in reversed(sorted(item)))
        elif _is_sequence(item):
            stack.extend(reversed(item))
        else:
            out.append(item)
    return out


def _rebuild(like, values):
    """A container of the type of `like` holding `values` (for a mapping: in sorted key order)."""
    if _is_mapping(like):
        by_key = dict(zip(sorted(like), values))
        pairs = [(k, by_key[k]) for k in like]  # the original key order, as TF
        if type(like) is dict:
            return dict(pairs)
        if isinstance(like, collections.defaultdict):
            return type(like)(like.default_factory, pairs)
        return type(like)(pairs)
    if hasattr(like, "_fields"):  # namedtuple
        return type(like)(*values)
    return type(like)(values)


def _children(item):
    return [item[k] for k in sorted(item)] if _is_mapping(item) else list(item)


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`flat_sequence` (a list of leaves) in the shape of `structure`: the inverse of `flatten`.

    >>> ef.nest.pack_sequence_as({"b": [1, 2], "a": 3}, [10, 20, 30])
    {'b': [20, 30], 'a': 10}
    """
    flat = list(flat_sequence)
    count = len(flatten(structure))
    if count != len(flat):
        raise ValueError(f"Could not pack sequence. Structure had {count} atoms, but flat_sequence had {len(flat)} "
                         f"items. Structure: {structure}, flat_sequence: {flat}. Give one item per leaf of the "
                         f"structure (ef.nest.flatten(structure) lists them).")
    it = iter(flat)

    def build(item):
        if is_nested(item):
            return _rebuild(item, [build(child) for child in _children(item)])
        return next(it)

    return build(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raise ValueError unless the two nests have the same shape (TypeError for different container types).

    >>> ef.nest.assert_same_structure([1, (2, 3)], ["a", ("b", "c")])
    """
    stack = [(nest1, nest2)]
    while stack:
        a, b = stack.pop()
        if is_nested(a) != is_nested(b) or (is_nested(a) and len(a) != len(b)):
            raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1!r}\n\nSecond structure: {nest2!r}\n\nMore specifically: {a!r} and {b!r} "
                             f"differ in {'length' if is_nested(a) and is_nested(b) else 'nesting'}.")
        if not is_nested(a):
            continue
        if check_types and type(a) is not type(b) and not (_is_mapping(a) and _is_mapping(b)):
            raise TypeError(f"The two structures don't have the same sequence type. Input structure has type "
                            f"{type(a)}, while shallow structure has type {type(b)}. Pass check_types=False "
                            f"to compare only their shape.")
        if _is_mapping(a) and set(a) != set(b):
            raise ValueError(f"The two dictionaries don't have the same set of keys: {sorted(a, key=repr)} and "
                             f"{sorted(b, key=repr)}.")
        stack.extend(zip(_children(a), _children(b)))


def map_structure(func, *structure, check_types=True, expand_composites=False):
    """`func` applied to the leaves of one or more nests of the same shape; the result has that shape.

    >>> ef.nest.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)])
    [11, (22, 33)]
    """
    if not structure:
        raise ValueError("map_structure needs at least one structure: map_structure(func, structure, ...).")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])
