"""The arithmetic an optimizer's update step does on an `IndexedSlices` gradient, with the rules of Keras 3's
ops on TF (keras/src/backend/tensorflow/sparse.py), so a sparse update gives Keras's numbers bit for bit.

The rules, by kind of op:
- unary elementwise (`square`, `sqrt`, `abs`, `sign`, `negative`): the op of each row, same rows;
- `add`/`subtract`/`maximum` (union): two slices with the same indices combine their rows, two with different
  indices combine over the union of their rows; a slices beside a dense tensor or a scalar is densified first;
- `multiply` (intersection): beside a scalar, each row times it; beside a dense tensor, each row times that
  tensor's row (gathered, one per repeated index);
- `divide`: a slices over a scalar, each row over it; over a dense tensor, each row over its row, plus the rows
  where the divisor holds a zero or NaN (there the quotient is not zero); a dense tensor over a slices densifies.

So repeated indices stay repeated until a dense operand meets them: `square(g)` squares each repeated row
before the rows are summed, where the dense gradient would square their sum. For dense operands every function
is the plain op.
"""

from eagerflow.framework.execute import convert_to_tensor
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.framework.tensor import Tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops.slicing_ops import scatter_nd

__all__ = ["is_slices", "square", "sqrt", "abs", "sign", "negative", "add", "subtract", "maximum",
           "multiply", "divide", "clip", "mean", "assign"]


def is_slices(x):
    return isinstance(x, IndexedSlices)


def _rowwise(op):
    def apply(x):
        return x.with_values(op(x.values)) if is_slices(x) else op(x)
    apply.__name__ = op.__name__
    apply.__doc__ = f"`{op.__name__}` of each row of an IndexedSlices (same rows), else of the tensor."
    return apply


square = _rowwise(math_ops.square)
sqrt = _rowwise(math_ops.sqrt)
abs = _rowwise(math_ops.abs)  # noqa: A001 - the op's name, as keras.ops.abs
sign = _rowwise(math_ops.sign)
negative = _rowwise(math_ops.negative)


def _is_scalar(x):
    return not isinstance(x, Tensor) or x.shape.rank == 0


def _one_hot_rows(indices, rows):
    """A bool vector of `rows` entries, True at `indices` (a scatter of ones, as Keras builds it)."""
    ones = array_ops.ones_like(indices, dtype="int32")
    return math_ops.greater(scatter_nd(array_ops.expand_dims(indices, 1), ones, [rows]), 0)


def _values_for_union(slices, union, rows):
    """The rows of `slices` at the `union` indices, zero rows where `slices` has none. As Keras: each index maps
    to its position + 1 by a scatter (so a repeated index maps past the end and the gather raises)."""
    count = int(slices.indices.shape[0])
    if count == int(union.shape[0]):  # as Keras: no index was added, the values are taken as they are
        return slices.values
    position = scatter_nd(array_ops.expand_dims(slices.indices, 1),
                           array_ops.range(1, count + 1, dtype=slices.indices.dtype), [rows])
    padded = array_ops.concat([array_ops.zeros_like(slices.values[0:1]), slices.values], 0)
    return array_ops.gather(padded, array_ops.gather(position, union))


def _union(x1, x2_indices):
    rows = int(x1.dense_shape.numpy()[0])
    mask = math_ops.logical_or(_one_hot_rows(x1.indices, rows), _one_hot_rows(x2_indices, rows))
    union = array_ops.reshape(array_ops.where(mask), [-1])  # int64, as TF's where gives it
    return union, rows


def _binary_union(op):
    def apply(x1, x2):
        if is_slices(x1) and is_slices(x2):
            if x1.indices is x2.indices:
                return x1.with_values(op(x1.values, x2.values))
            union, rows = _union(x1, x2.indices)
            return IndexedSlices(op(_values_for_union(x1, union, rows), _values_for_union(x2, union, rows)),
                                 union, x1.dense_shape)
        x1 = convert_to_tensor(x1) if is_slices(x1) else x1
        x2 = convert_to_tensor(x2) if is_slices(x2) else x2
        return op(x1, x2)
    apply.__name__ = op.__name__
    apply.__doc__ = (f"`{op.__name__}` over the union of the rows of two IndexedSlices; one beside a tensor or "
                     f"a scalar is densified first.")
    return apply


add = _binary_union(math_ops.add)
subtract = _binary_union(math_ops.subtract)
maximum = _binary_union(math_ops.maximum)


def _intersection(x1, x2):
    rows = int(x1.dense_shape.numpy()[0])
    mask = math_ops.logical_and(_one_hot_rows(x1.indices, rows), _one_hot_rows(x2.indices, rows))
    both = array_ops.reshape(array_ops.where(mask), [-1])

    def values_at(s):
        count = int(s.indices.shape[0])
        if count == int(both.shape[0]):
            return s.values
        position = scatter_nd(array_ops.expand_dims(s.indices, 1),
                              array_ops.range(count, dtype=s.indices.dtype), [rows])
        return array_ops.gather(s.values, array_ops.gather(position, both))

    if int(both.shape[0]) == 0:
        return both, x1.values[0:0], x2.values[0:0]
    return both, values_at(x1), values_at(x2)


def multiply(x1, x2):
    """x1 * x2 over the rows both have: a slices times a scalar scales each row, times a tensor multiplies each
    row by that tensor's row.

    >>> from eagerflow.optimizers import sparse_rules
    >>> g = ef.IndexedSlices(ef.constant([[1.0], [2.0]]), ef.constant([1, 1]), ef.constant([3, 1]))
    >>> sparse_rules.multiply(g, ef.constant([[5.0], [6.0], [7.0]])).values.numpy().ravel()
    array([ 6., 12.], dtype=float32)
    """
    if is_slices(x1) and is_slices(x2):
        if x1.indices is x2.indices:
            return x1.with_values(math_ops.multiply(x1.values, x2.values))
        both, v1, v2 = _intersection(x1, x2)
        return IndexedSlices(math_ops.multiply(v1, v2), both, x1.dense_shape)
    if is_slices(x1):
        other = x2 if _is_scalar(x2) else array_ops.gather(x2, x1.indices)
        return x1.with_values(math_ops.multiply(x1.values, other))
    if is_slices(x2):
        other = x1 if _is_scalar(x1) else array_ops.gather(x1, x2.indices)
        return x2.with_values(math_ops.multiply(other, x2.values))
    return math_ops.multiply(x1, x2)


def divide(x1, x2):
    """x1 / x2: a slices over a scalar or a tensor stays a slices (gaining the rows where the divisor is zero or
    NaN); anything over a slices is densified.

    >>> from eagerflow.optimizers import sparse_rules
    >>> g = ef.IndexedSlices(ef.constant([[1.0], [2.0]]), ef.constant([0, 2]), ef.constant([3, 1]))
    >>> q = sparse_rules.divide(g, ef.constant([[4.0], [0.0], [8.0]]))
    >>> q.indices.numpy(), q.values.numpy().ravel()  # row 1 is 0 / 0
    (array([0, 1, 2]), array([0.25,  nan, 0.25], dtype=float32))
    """
    if is_slices(x2):
        x1 = convert_to_tensor(x1) if is_slices(x1) else x1
        return math_ops.divide(x1, convert_to_tensor(x2))
    if not is_slices(x1):
        return math_ops.divide(x1, x2)
    if _is_scalar(x2):
        return x1.with_values(math_ops.divide(x1.values, x2))
    bad = math_ops.equal(x2, 0)
    if x2.dtype.is_floating:
        bad = math_ops.logical_or(bad, math_ops.is_nan(x2))
    bad_rows = math_ops.reduce_any(bad, axis=tuple(range(1, x2.shape.rank))) if x2.shape.rank > 1 else bad
    if not bool(math_ops.reduce_any(bad_rows).numpy()):
        return x1.with_values(math_ops.divide(x1.values, array_ops.gather(x2, x1.indices)))
    union, rows = _union(x1, array_ops.reshape(array_ops.where(bad_rows), [-1]))
    return IndexedSlices(math_ops.divide(_values_for_union(x1, union, rows), array_ops.gather(x2, union)),
                         union, x1.dense_shape)


def clip(x, low, high):
    """x clipped to [low, high]; an IndexedSlices clips its rows and stays one."""
    if is_slices(x):
        return x.with_values(math_ops.clip_by_value(x.values, low, high))
    return math_ops.clip_by_value(x, low, high)


def mean(x):
    """The mean of every entry: of an IndexedSlices, the sum of its rows (repeated ones each) over the number of
    entries of its dense shape, as Keras's mean of one."""
    if not is_slices(x):
        return math_ops.reduce_mean(x)
    total = math_ops.reduce_sum(x.values)
    return total / math_ops.cast(math_ops.reduce_prod(x.dense_shape), total.dtype)


def assign(variable, value, how):
    """variable.assign / assign_add / assign_sub (`how`) of a tensor, or the scatter update of a slices (each
    row in turn, so repeated rows add up one after another, as TF's scatter kernels)."""
    if is_slices(value):
        return getattr(variable, {"assign": "scatter_update", "assign_add": "scatter_add",
                                  "assign_sub": "scatter_sub"}[how])(value)
    return getattr(variable, how)(value)

