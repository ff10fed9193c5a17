"""`ef.linalg.LinearOperator` and its structured subclasses, as TF's: a (batch of) matrix known by its
structure, with matmul/solve/determinant/... computed from the structure where that is cheap (diagonal,
triangular, identity, Kronecker, circulant, ...) and from the dense matrix otherwise. Everything is written
with eagerflow ops, so gradients flow through every method.
"""

import numpy as np

from eagerflow import dtypes as _dtypes
from eagerflow import errors
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.ops import array_ops, math_ops
from eagerflow.ops import linalg_ops as la
from eagerflow.tensor_shape import TensorShape

__all__ = ["LinearOperator", "LinearOperatorFullMatrix", "LinearOperatorDiag", "LinearOperatorIdentity",
           "LinearOperatorScaledIdentity", "LinearOperatorLowerTriangular", "LinearOperatorZeros",
           "LinearOperatorAdjoint", "LinearOperatorInversion", "LinearOperatorComposition",
           "LinearOperatorBlockDiag", "LinearOperatorBlockLowerTriangular", "LinearOperatorKronecker",
           "LinearOperatorLowRankUpdate", "LinearOperatorHouseholder", "LinearOperatorPermutation",
           "LinearOperatorToeplitz", "LinearOperatorTridiag", "LinearOperatorCirculant", "LinearOperatorCirculant2D",
           "LinearOperatorCirculant3D"]


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


def _adj(x):
    return la.matrix_transpose(x, conjugate=True)


class LinearOperator:
    """Base class: a subclass gives `_shape()` (batch + [rows, cols]) and `_to_dense()`, and may override
    `_matmul`, `_solve`, `_determinant`, `_log_abs_determinant`, `_diag_part` with structured versions.

    >>> op = ef.linalg.LinearOperatorFullMatrix([[2.0, 0.0], [0.0, 4.0]])
    >>> op.matvec([1.0, 1.0]).numpy(), float(op.determinant())
    (array([2., 4.], dtype=float32), 8.0)
    """

    def __init__(self, dtype, graph_parents=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None, parameters=None):
        if is_positive_definite and is_non_singular is False:
            raise ValueError("A positive definite matrix is always non-singular.")
        if is_positive_definite:
            is_non_singular = True
        self._dtype = _dtypes.as_dtype(dtype)
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters or {})

    # ------------------------------------------------------------------ properties
    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def parameters(self):
        return dict(self._parameters)

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        rows, cols = self.shape[-2], self.shape[-1]
        return rows == cols if self._is_square_hint is None else self._is_square_hint

    @property
    def shape(self):
        return TensorShape(self._shape())

    @property
    def batch_shape(self):
        return self.shape[:-2]

    @property
    def tensor_rank(self):
        return self.shape.rank

    @property
    def range_dimension(self):
        return self.shape[-2]

    @property
    def domain_dimension(self):
        return self.shape[-1]

    def shape_tensor(self, name="shape_tensor"):
        return array_ops.constant(self.shape.as_list(), dtype=_dtypes.int32)

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        return array_ops.constant(self.batch_shape.as_list(), dtype=_dtypes.int32)

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        return array_ops.constant(self.tensor_rank, dtype=_dtypes.int32)

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        return array_ops.constant(self.range_dimension, dtype=_dtypes.int32)

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        return array_ops.constant(self.domain_dimension, dtype=_dtypes.int32)

    # ------------------------------------------------------------------ dense forms
    def to_dense(self, name="to_dense"):
        """The matrix, as a tensor of shape `shape`."""
        return self._to_dense()

    def _to_dense(self):
        raise NotImplementedError(f"{type(self).__name__} must implement _to_dense()")

    def _shape(self):
        raise NotImplementedError(f"{type(self).__name__} must implement _shape()")

    def _check_input(self, x):
        t = _t(x, dtype=self._dtype) if not hasattr(x, "dtype") else _t(x)
        if t.dtype is not self._dtype:
            raise TypeError(f"Expected argument to have dtype {self._dtype.name}. Found: {t.dtype.name} in tensor {t}")
        return t

    # ------------------------------------------------------------------ products and solves
    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """`A @ x` (or `A^H @ x`; `adjoint_arg` uses x^H); another LinearOperator gives their Composition."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            return LinearOperatorComposition([left, right])
        x = self._check_input(x)
        x = _adj(x) if adjoint_arg else x
        want = self.shape[-2] if adjoint else self.shape[-1]
        if want is not None and x.shape[-2] != want:
            raise ValueError(f"Dimensions must be equal: the operator's {'range' if adjoint else 'domain'} has "
                             f"{want} dimensions, the argument {x.shape[-2]} rows (shape {x.shape})")
        return self._matmul(x, adjoint)

    def _matmul(self, x, adjoint):
        return math_ops.matmul(self.to_dense(), x, adjoint_a=adjoint)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec"):
        """`A @ x` for a (batch of) vector(s) x."""
        x = self._check_input(x)
        return self.matmul(x[..., None], adjoint=adjoint)[..., 0]

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """x with `A @ x = rhs` (A^H with `adjoint`); another LinearOperator gives inverse(A) @ it."""
        if self._is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be singular.")
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            return LinearOperatorComposition([left.inverse(), rhs.adjoint() if adjoint_arg else rhs])
        rhs = self._check_input(rhs)
        rhs = _adj(rhs) if adjoint_arg else rhs
        return self._solve(rhs, adjoint)

    def _solve(self, rhs, adjoint):
        return la.solve(self.to_dense(), rhs, adjoint=adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        rhs = self._check_input(rhs)
        return self.solve(rhs[..., None], adjoint=adjoint)[..., 0]

    # ------------------------------------------------------------------ scalars and parts
    def _square_only(self, what):
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is expected to not be "
                                      "square." if what == "determinant" else f"{what} needs a square operator.")

    def determinant(self, name="det"):
        self._square_only("determinant")
        return self._determinant()

    def _determinant(self):
        return la.det(self.to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        self._square_only("determinant")
        return self._log_abs_determinant()

    def _log_abs_determinant(self):
        return la.slogdet(self.to_dense())[1]

    def diag_part(self, name="diag_part"):
        return self._diag_part()

    def _diag_part(self):
        return la.diag_part(self.to_dense())

    def trace(self, name="trace"):
        return math_ops.reduce_sum(self.diag_part(), axis=-1)

    def add_to_tensor(self, x, name="add_to_tensor"):
        return self.to_dense() + self._check_input(x)

    def eigvals(self, name="eigvals"):
        if not self._is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        return la.eigvalsh(self.to_dense())

    def cond(self, name="cond"):
        s = la.svd(self.to_dense(), compute_uv=False)
        return math_ops.reduce_max(s, axis=-1) / math_ops.reduce_min(s, axis=-1)

    def cholesky(self, name="cholesky"):
        if not (self._is_self_adjoint and self._is_positive_definite):
            raise ValueError("Cholesky decomposition is only supported for self-adjoint positive definite matrices.")
        return LinearOperatorLowerTriangular(la.cholesky(self.to_dense()), is_non_singular=True)

    def inverse(self, name="inverse"):
        if self._is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        return LinearOperatorInversion(self)

    def adjoint(self, name="adjoint"):
        if self._is_self_adjoint:
            return self
        return LinearOperatorAdjoint(self)

    H = property(adjoint)

    def assert_non_singular(self, name="assert_non_singular"):
        s = la.svd(self.to_dense(), compute_uv=False)
        if bool(math_ops.reduce_any(math_ops.equal(s, 0))):
            raise errors.InvalidArgumentError(None, None, "Singular matrix up to tolerance epsilon.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        la.cholesky((self.to_dense() + _adj(self.to_dense())) / 2)

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        dense = self.to_dense()
        if not bool(math_ops.reduce_all(math_ops.equal(dense, _adj(dense)))):
            raise errors.InvalidArgumentError(None, None, "Matrix was not equal to its adjoint.")

    def __repr__(self):
        return (f"<ef.linalg.{type(self).__name__} '{self._name}' is_non_singular={self._is_non_singular} "
                f"is_self_adjoint={self._is_self_adjoint} is_positive_definite={self._is_positive_definite} "
                f"is_square={self.is_square} shape={self.shape} dtype={self._dtype.name}>")


class LinearOperatorFullMatrix(LinearOperator):
    """An operator that is its (batch of) matrix.

    >>> ef.linalg.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]]).shape
    TensorShape([2, 2])
    """

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorFullMatrix"):
        self._matrix = _t(matrix)
        if self._matrix.ndim < 2:
            raise ValueError(f"Argument matrix must have at least 2 dimensions. Found: {self._matrix}")
        super().__init__(self._matrix.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square, name=name,
                         parameters={"matrix": matrix})

    def _shape(self):
        return self._matrix.shape.as_list()

    def _to_dense(self):
        return self._matrix


class LinearOperatorDiag(LinearOperator):
    """The diagonal matrix diag(d): products, solves and determinants from `d` alone.

    >>> ef.linalg.LinearOperatorDiag([2.0, 4.0]).solvevec([2.0, 2.0]).numpy()
    array([1. , 0.5], dtype=float32)
    """

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=True, name="LinearOperatorDiag"):
        self._diag = _t(diag)
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        if not self._diag.dtype.is_complex and is_self_adjoint is False:
            raise ValueError("A real diagonal operator is always self adjoint.")
        if not self._diag.dtype.is_complex:
            is_self_adjoint = True
        super().__init__(self._diag.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"diag": diag})

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        n = self._diag.shape.as_list()
        return n + [n[-1]]

    def _to_dense(self):
        return la.diag(self._diag)

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        if isinstance(x, LinearOperatorDiag):  # as TF's registered matmul: a product of diagonals is one
            return LinearOperatorDiag(self._d(adjoint) * x._d(adjoint_arg))
        return super().matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)

    def inverse(self, name="inverse"):
        return LinearOperatorDiag(1.0 / self._diag)

    def _d(self, adjoint):
        return math_ops.conj(self._diag) if adjoint and self._dtype.is_complex else self._diag

    def _matmul(self, x, adjoint):
        return self._d(adjoint)[..., None] * x

    def _solve(self, rhs, adjoint):
        return rhs / self._d(adjoint)[..., None]

    def _determinant(self):
        return math_ops.reduce_prod(self._diag, axis=-1)

    def _log_abs_determinant(self):
        mag = math_ops.abs(self._diag)
        return math_ops.reduce_sum(math_ops.log(mag), axis=-1)

    def _diag_part(self):
        return self._diag


class LinearOperatorIdentity(LinearOperator):
    """The identity matrix of `num_rows` rows (and `batch_shape`).

    >>> ef.linalg.LinearOperatorIdentity(2).matvec([3.0, 4.0]).numpy()
    array([3., 4.], dtype=float32)
    """

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True, is_self_adjoint=True,
                 is_positive_definite=True, is_square=True, assert_proper_shapes=False, name="LinearOperatorIdentity"):
        if not (is_non_singular and is_self_adjoint and is_positive_definite and is_square):
            raise ValueError("An identity operator is always non-singular, self-adjoint, positive definite and "
                             "square.")
        self._num_rows = int(num_rows)
        if self._num_rows < 0:
            raise ValueError(f"Argument num_rows must be non-negative. Found: {num_rows}")
        self._batch = list(batch_shape or [])
        super().__init__(dtype or _dtypes.float32, is_non_singular=True, is_self_adjoint=True,
                         is_positive_definite=True, is_square=True, name=name,
                         parameters={"num_rows": num_rows, "batch_shape": batch_shape, "dtype": dtype})

    def _shape(self):
        return self._batch + [self._num_rows, self._num_rows]

    def _to_dense(self):
        return array_ops.eye(self._num_rows, batch_shape=self._batch or None, dtype=self._dtype)

    def _matmul(self, x, adjoint):
        return x + array_ops.zeros(self._batch + [1, 1], self._dtype) if self._batch else x

    def _solve(self, rhs, adjoint):
        return self._matmul(rhs, adjoint)

    def _determinant(self):
        return array_ops.ones(self._batch, self._dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(self._batch, self._dtype)

    def _diag_part(self):
        return array_ops.ones(self._batch + [self._num_rows], self._dtype)


class LinearOperatorScaledIdentity(LinearOperator):
    """`multiplier` times the identity of `num_rows` rows (a batch of multipliers gives a batch).

    >>> float(ef.linalg.LinearOperatorScaledIdentity(3, 2.0).determinant())
    8.0
    """

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorScaledIdentity"):
        self._num_rows = int(num_rows)
        self._multiplier = _t(multiplier)
        if not self._multiplier.dtype.is_complex:
            is_self_adjoint = True if is_self_adjoint is None else is_self_adjoint
        super().__init__(self._multiplier.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"num_rows": num_rows, "multiplier": multiplier})

    @property
    def multiplier(self):
        return self._multiplier

    def _shape(self):
        return self._multiplier.shape.as_list() + [self._num_rows, self._num_rows]

    def _m(self, adjoint):
        m = math_ops.conj(self._multiplier) if adjoint and self._dtype.is_complex else self._multiplier
        return m[..., None, None]

    def _to_dense(self):
        return self._m(False) * array_ops.eye(self._num_rows, dtype=self._dtype)

    def _matmul(self, x, adjoint):
        return self._m(adjoint) * x

    def _solve(self, rhs, adjoint):
        return rhs / self._m(adjoint)

    def _determinant(self):
        return math_ops.pow(self._multiplier, float(self._num_rows)) if not self._dtype.is_complex else \
            math_ops.pow(self._multiplier, complex(self._num_rows))

    def _log_abs_determinant(self):
        return self._num_rows * math_ops.log(math_ops.abs(self._multiplier))

    def _diag_part(self):
        return self._multiplier[..., None] * array_ops.ones([self._num_rows], self._dtype)


class LinearOperatorLowerTriangular(LinearOperator):
    """The lower triangle of `tril` (the rest is ignored); solves by substitution.

    >>> ef.linalg.LinearOperatorLowerTriangular([[2.0, 9.0], [1.0, 1.0]]).to_dense().numpy()
    array([[2., 0.],
           [1., 1.]], dtype=float32)
    """

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowerTriangular"):
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        self._tril = _t(tril)
        super().__init__(self._tril.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"tril": tril})

    def _shape(self):
        return self._tril.shape.as_list()

    def _to_dense(self):
        return la.band_part(self._tril, -1, 0)

    def _solve(self, rhs, adjoint):
        return la.triangular_solve(self._tril, rhs, lower=True, adjoint=adjoint)

    def _determinant(self):
        return math_ops.reduce_prod(la.diag_part(self._tril), axis=-1)

    def _log_abs_determinant(self):
        return math_ops.reduce_sum(math_ops.log(math_ops.abs(la.diag_part(self._tril))), axis=-1)

    def _diag_part(self):
        return la.diag_part(self._tril)


class LinearOperatorZeros(LinearOperator):
    """The zero matrix of `num_rows` x `num_columns`.

    >>> ef.linalg.LinearOperatorZeros(2, 3).matvec([1.0, 2.0, 3.0]).numpy()
    array([0., 0.], dtype=float32)
    """

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None, is_non_singular=False,
                 is_self_adjoint=True, is_positive_definite=False, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorZeros"):
        if is_non_singular:
            raise ValueError("A zero operator is always singular.")
        if is_positive_definite:
            raise ValueError("A zero operator is always not positive-definite.")
        self._rows = int(num_rows)
        self._cols = self._rows if num_columns is None else int(num_columns)
        self._batch = list(batch_shape or [])
        super().__init__(dtype or _dtypes.float32, is_non_singular=False, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=False, is_square=self._rows == self._cols, name=name,
                         parameters={"num_rows": num_rows, "num_columns": num_columns})

    def _shape(self):
        return self._batch + [self._rows, self._cols]

    def _to_dense(self):
        return array_ops.zeros(self._shape(), self._dtype)

    def _matmul(self, x, adjoint):
        rows = self._cols if adjoint else self._rows
        lead = list(np.broadcast_shapes(tuple(self._batch), tuple(x.shape.as_list()[:-2])))
        return array_ops.zeros(lead + [rows, x.shape[-1]], self._dtype)

    def _determinant(self):
        return array_ops.zeros(self._batch, self._dtype)

    def _log_abs_determinant(self):
        return math_ops.log(array_ops.zeros(self._batch, self._dtype))

    def _diag_part(self):
        return array_ops.zeros(self._batch + [min(self._rows, self._cols)], self._dtype)


class LinearOperatorAdjoint(LinearOperator):
    """The adjoint (conjugate transpose) of `operator`.

    >>> ef.linalg.LinearOperatorAdjoint(ef.linalg.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])).to_dense().numpy()
    array([[1., 3.],
           [2., 4.]], dtype=float32)
    """

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        self._operator = operator
        super().__init__(operator.dtype, is_non_singular=operator.is_non_singular if is_non_singular is None
                         else is_non_singular, is_self_adjoint=operator.is_self_adjoint,
                         is_positive_definite=operator.is_positive_definite, is_square=operator.is_square,
                         name=name or operator.name + "_adjoint", parameters={"operator": operator})

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        s = self._operator.shape.as_list()
        return s[:-2] + [s[-1], s[-2]]

    def _to_dense(self):
        return _adj(self._operator.to_dense())

    def _matmul(self, x, adjoint):
        return self._operator.matmul(x, adjoint=not adjoint)

    def _solve(self, rhs, adjoint):
        return self._operator.solve(rhs, adjoint=not adjoint)

    def _determinant(self):
        d = self._operator.determinant()
        return math_ops.conj(d) if self._dtype.is_complex else d

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _diag_part(self):
        d = self._operator.diag_part()
        return math_ops.conj(d) if self._dtype.is_complex else d


class LinearOperatorInversion(LinearOperator):
    """The inverse of a non-singular `operator`: its matmul is the operator's solve and back.

    >>> ef.linalg.LinearOperatorInversion(ef.linalg.LinearOperatorDiag([2.0, 4.0])).to_dense().numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError("operator and supplied hints must have is_non_singular equal to True or None.")
        if operator.is_square is False:
            raise ValueError("The inverse of a non-square operator is not defined; use a square operator.")
        self._operator = operator
        super().__init__(operator.dtype, is_non_singular=operator.is_non_singular,
                         is_self_adjoint=operator.is_self_adjoint, is_positive_definite=operator.is_positive_definite,
                         is_square=True, name=name or operator.name + "_inv", parameters={"operator": operator})

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        return self._operator.shape.as_list()

    def _to_dense(self):
        return self._operator.solve(array_ops.eye(self._operator.shape[-1], batch_shape=self.batch_shape.as_list()
                                                  or None, dtype=self._dtype))

    def _matmul(self, x, adjoint):
        return self._operator.solve(x, adjoint=adjoint)

    def _solve(self, rhs, adjoint):
        return self._operator.matmul(rhs, adjoint=adjoint)

    def _determinant(self):
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self):
        return -self._operator.log_abs_determinant()


class LinearOperatorComposition(LinearOperator):
    """The product operators[0] @ operators[1] @ ..., applied right to left.

    >>> d = ef.linalg.LinearOperatorDiag([2.0, 3.0])
    >>> float(ef.linalg.LinearOperatorComposition([d, d]).determinant())
    36.0
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        dtypes = {op.dtype for op in operators}
        if len(dtypes) > 1:
            raise TypeError(f"Expected every operation in `operators` to have the same dtype, got "
                            f"{sorted(d.name for d in dtypes)}")
        self._operators = operators
        if all(op.is_non_singular for op in operators):
            is_non_singular = True if is_non_singular is None else is_non_singular
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_o_".join(op.name for op in operators), parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        first, last = self._operators[0].shape.as_list(), self._operators[-1].shape.as_list()
        batch = np.broadcast_shapes(*[tuple(op.batch_shape.as_list()) for op in self._operators])
        return list(batch) + [first[-2], last[-1]]

    def _to_dense(self):
        out = self._operators[-1].to_dense()
        for op in reversed(self._operators[:-1]):
            out = op.matmul(out)
        return out

    def _matmul(self, x, adjoint):
        ops = self._operators if adjoint else list(reversed(self._operators))
        for op in ops:
            x = op.matmul(x, adjoint=adjoint)
        return x

    def _solve(self, rhs, adjoint):
        ops = list(reversed(self._operators)) if adjoint else self._operators
        for op in ops:
            rhs = op.solve(rhs, adjoint=adjoint)
        return rhs

    def _determinant(self):
        out = self._operators[0].determinant()
        for op in self._operators[1:]:
            out = out * op.determinant()
        return out

    def _log_abs_determinant(self):
        out = self._operators[0].log_abs_determinant()
        for op in self._operators[1:]:
            out = out + op.log_abs_determinant()
        return out


def _block_sizes(operators, index):
    return [op.shape[index] for op in operators]


class LinearOperatorBlockDiag(LinearOperator):
    """The block-diagonal matrix of square `operators`.

    >>> op = ef.linalg.LinearOperatorBlockDiag([ef.linalg.LinearOperatorDiag([1.0]),
    ...                                         ef.linalg.LinearOperatorFullMatrix([[2.0, 1.0], [0.0, 2.0]])])
    >>> op.to_dense().numpy()
    array([[1., 0., 0.],
           [0., 2., 1.],
           [0., 0., 2.]], dtype=float32)
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=True, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        self._operators = operators
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_ds_".join(op.name for op in operators), parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _batch(self):
        return list(np.broadcast_shapes(*[tuple(op.batch_shape.as_list()) for op in self._operators]))

    def _shape(self):
        return self._batch() + [sum(_block_sizes(self._operators, -2)), sum(_block_sizes(self._operators, -1))]

    def _to_dense(self):
        batch = self._batch()
        cols = sum(_block_sizes(self._operators, -1))
        rows, offset = [], 0
        for op in self._operators:
            d = op.to_dense() + array_ops.zeros(batch + op.shape.as_list()[-2:], self._dtype)
            n = op.shape[-1]
            pad = [[0, 0]] * len(batch) + [[0, 0], [offset, cols - offset - n]]
            rows.append(array_ops.pad(d, pad))
            offset += n
        return array_ops.concat(rows, axis=-2)

    def _split(self, x, sizes):
        return array_ops.split(x, sizes, axis=-2)

    def _matmul(self, x, adjoint):
        parts = self._split(x, _block_sizes(self._operators, -2 if adjoint else -1))
        return array_ops.concat([op.matmul(p, adjoint=adjoint) for op, p in zip(self._operators, parts)], axis=-2)

    def _solve(self, rhs, adjoint):
        parts = self._split(rhs, _block_sizes(self._operators, -1 if adjoint else -2))
        return array_ops.concat([op.solve(p, adjoint=adjoint) for op, p in zip(self._operators, parts)], axis=-2)

    def _determinant(self):
        out = self._operators[0].determinant()
        for op in self._operators[1:]:
            out = out * op.determinant()
        return out

    def _log_abs_determinant(self):
        out = self._operators[0].log_abs_determinant()
        for op in self._operators[1:]:
            out = out + op.log_abs_determinant()
        return out

    def _diag_part(self):
        return array_ops.concat([op.diag_part() for op in self._operators], axis=-1)


class LinearOperatorBlockLowerTriangular(LinearOperator):
    """A block lower-triangular matrix: `operators[i]` lists the blocks of row i, the last on the diagonal.

    >>> d = ef.linalg.LinearOperatorDiag([2.0])
    >>> op = ef.linalg.LinearOperatorBlockLowerTriangular([[d], [ef.linalg.LinearOperatorFullMatrix([[1.0]]), d]])
    >>> op.solvevec([2.0, 5.0]).numpy()
    array([1., 2.], dtype=float32)
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorBlockLowerTriangular"):
        rows = [list(r) for r in operators]
        for i, r in enumerate(rows):
            if len(r) != i + 1:
                raise ValueError(f"Argument `operators[{i}]` must contain `{i + 1}` blocks. Found: {len(r)} blocks.")
        self._rows = rows
        super().__init__(rows[0][0].dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"operators": operators})

    @property
    def operators(self):
        return [list(r) for r in self._rows]

    def _sizes(self):
        return [r[-1].shape[-1] for r in self._rows]

    def _shape(self):
        n = sum(self._sizes())
        return list(self._rows[0][0].batch_shape.as_list()) + [n, n]

    def _to_dense(self):
        sizes = self._sizes()
        total = sum(sizes)
        out_rows = []
        for i, row in enumerate(self._rows):
            blocks = [op.to_dense() for op in row]
            right = total - sum(sizes[:i + 1])
            if right:
                blocks.append(array_ops.zeros(blocks[0].shape.as_list()[:-1] + [right], self._dtype))
            out_rows.append(array_ops.concat(blocks, axis=-1))
        return array_ops.concat(out_rows, axis=-2)

    def _solve(self, rhs, adjoint):
        if adjoint:
            return la.solve(self.to_dense(), rhs, adjoint=True)
        parts = array_ops.split(rhs, self._sizes(), axis=-2)
        solved = []
        for i, row in enumerate(self._rows):  # forward substitution by blocks
            acc = parts[i]
            for j, op in enumerate(row[:-1]):
                acc = acc - op.matmul(solved[j])
            solved.append(row[-1].solve(acc))
        return array_ops.concat(solved, axis=-2)

    def _determinant(self):
        out = self._rows[0][0].determinant()
        for row in self._rows[1:]:
            out = out * row[-1].determinant()
        return out

    def _log_abs_determinant(self):
        out = self._rows[0][0].log_abs_determinant()
        for row in self._rows[1:]:
            out = out + row[-1].log_abs_determinant()
        return out


class LinearOperatorKronecker(LinearOperator):
    """The Kronecker product operators[0] (x) operators[1] (x) ...

    >>> a = ef.linalg.LinearOperatorDiag([1.0, 2.0])
    >>> ef.linalg.LinearOperatorKronecker([a, a]).diag_part().numpy()
    array([1., 2., 2., 4.], dtype=float32)
    """

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a list of >=1 operators. Found: {operators}")
        self._operators = operators
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_x_".join(op.name for op in operators), parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        rows = int(np.prod(_block_sizes(self._operators, -2)))
        cols = int(np.prod(_block_sizes(self._operators, -1)))
        batch = np.broadcast_shapes(*[tuple(op.batch_shape.as_list()) for op in self._operators])
        return list(batch) + [rows, cols]

    def _to_dense(self):
        out = self._operators[0].to_dense()
        for op in self._operators[1:]:
            b = op.to_dense()
            m, n = out.shape[-2], out.shape[-1]
            p, q = b.shape[-2], b.shape[-1]
            k = out[..., :, None, :, None] * b[..., None, :, None, :]
            out = array_ops.reshape(k, k.shape.as_list()[:-4] + [m * p, n * q])
        return out

    def _determinant(self):
        total = self.shape[-1]
        out = None
        for op in self._operators:
            d = math_ops.pow(op.determinant(), float(total // op.shape[-1]))
            out = d if out is None else out * d
        return out

    def _log_abs_determinant(self):
        total = self.shape[-1]
        out = None
        for op in self._operators:
            d = op.log_abs_determinant() * float(total // op.shape[-1])
            out = d if out is None else out + d
        return out

    def _diag_part(self):
        out = self._operators[0].diag_part()
        for op in self._operators[1:]:
            d = op.diag_part()
            k = out[..., :, None] * d[..., None, :]
            out = array_ops.reshape(k, k.shape.as_list()[:-2] + [-1])
        return out


class LinearOperatorLowRankUpdate(LinearOperator):
    """base_operator + U diag(diag_update) V^H (V = U when not given); solves by the Woodbury identity.

    >>> op = ef.linalg.LinearOperatorLowRankUpdate(ef.linalg.LinearOperatorIdentity(2), [[1.0], [1.0]])
    >>> op.to_dense().numpy()
    array([[2., 1.],
           [1., 2.]], dtype=float32)
    """

    def __init__(self, base_operator, u, diag_update=None, v=None, is_diag_update_positive=None,
                 is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowRankUpdate"):
        self._base = base_operator
        self._u = _t(u, dtype=base_operator.dtype)
        self._v = self._u if v is None else _t(v, dtype=base_operator.dtype)
        self._diag_update = None if diag_update is None else _t(diag_update, dtype=base_operator.dtype)
        if v is None and self._base.is_self_adjoint and is_self_adjoint is None:
            is_self_adjoint = True
        super().__init__(base_operator.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square, name=name,
                         parameters={"base_operator": base_operator, "u": u, "diag_update": diag_update, "v": v})

    @property
    def base_operator(self):
        return self._base

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    def _shape(self):
        return self._base.shape.as_list()

    def _ud(self):
        return self._u if self._diag_update is None else self._u * self._diag_update[..., None, :]

    def _to_dense(self):
        return self._base.to_dense() + math_ops.matmul(self._ud(), self._v, adjoint_b=True)

    def _matmul(self, x, adjoint):
        if adjoint:
            d = self._diag_update
            vd = self._v if d is None else self._v * (math_ops.conj(d) if self._dtype.is_complex else d)[..., None, :]
            return self._base.matmul(x, adjoint=True) + math_ops.matmul(vd, math_ops.matmul(self._u, x,
                                                                                           adjoint_a=True))
        return self._base.matmul(x) + math_ops.matmul(self._ud(), math_ops.matmul(self._v, x, adjoint_a=True))

    def _solve(self, rhs, adjoint):
        if adjoint:
            return la.solve(self.to_dense(), rhs, adjoint=True)
        # Woodbury: (B + U D V^H)^-1 = B^-1 - B^-1 U (D^-1 + V^H B^-1 U)^-1 V^H B^-1
        b_inv_rhs = self._base.solve(rhs)
        b_inv_u = self._base.solve(self._u)
        k = self._u.shape[-1]
        d_inv = (array_ops.eye(k, dtype=self._dtype) if self._diag_update is None
                 else la.diag(1.0 / self._diag_update))
        capacitance = d_inv + math_ops.matmul(self._v, b_inv_u, adjoint_a=True)
        return b_inv_rhs - math_ops.matmul(b_inv_u, la.solve(capacitance, math_ops.matmul(self._v, b_inv_rhs,
                                                                                         adjoint_a=True)))


class LinearOperatorHouseholder(LinearOperator):
    """The reflection I - 2 v v^H / |v|^2 about the hyperplane orthogonal to `reflection_axis` v.

    >>> ef.linalg.LinearOperatorHouseholder([1.0, 0.0]).matvec([3.0, 4.0]).numpy()
    array([-3.,  4.], dtype=float32)
    """

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorHouseholder"):
        self._axis = _t(reflection_axis)
        if is_self_adjoint is False or is_non_singular is False:
            raise ValueError("A Householder operator is always self adjoint and non-singular.")
        if is_positive_definite:
            raise ValueError("A Householder operator is always non-positive definite.")
        super().__init__(self._axis.dtype, is_non_singular=is_non_singular, is_self_adjoint=True,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"reflection_axis": reflection_axis})

    @property
    def reflection_axis(self):
        return self._axis

    def _shape(self):
        n = self._axis.shape.as_list()
        return n + [n[-1]]

    def _unit(self):
        return la.normalize(self._axis, axis=-1)[0]

    def _matmul(self, x, adjoint):
        u = self._unit()[..., None]
        return x - 2 * math_ops.matmul(u, math_ops.matmul(u, x, adjoint_a=True))

    def _to_dense(self):
        u = self._unit()[..., None]
        matrix = -2 * (u * _adj(u))  # an outer product, so the signs of the zeros are TF's
        return la.set_diag(matrix, 1.0 + la.diag_part(matrix))

    def _solve(self, rhs, adjoint):
        return self._matmul(rhs, adjoint)

    def _determinant(self):
        return -array_ops.ones(self.batch_shape.as_list(), self._dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(self.batch_shape.as_list(), self._dtype)


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix P with P[i, perm[i]] = 1: (P @ x)[i] = x[perm[i]].

    >>> ef.linalg.LinearOperatorPermutation([1, 2, 0]).to_dense().numpy()
    array([[0., 1., 0.],
           [0., 0., 1.],
           [1., 0., 0.]], dtype=float32)
    """

    def __init__(self, perm, dtype=_dtypes.float32, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorPermutation"):
        self._perm = _t(perm)
        if not self._perm.dtype.is_integer:
            raise TypeError(f"Argument `perm` must be integer dtype. Found: {self._perm}")
        if is_non_singular is False:
            raise ValueError(f"A Permutation operator is always non-singular. Expected argument `is_non_singular` to "
                             f"be True. Received: {is_non_singular}.")
        super().__init__(dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"perm": perm, "dtype": dtype})

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        n = self._perm.shape.as_list()
        return n + [n[-1]]

    def _to_dense(self):
        return math_ops.cast(array_ops.one_hot(self._perm, self.shape[-1]), self._dtype)

    def _matmul(self, x, adjoint):
        perm = array_ops.argsort(self._perm, axis=-1) if adjoint else self._perm
        return array_ops.gather(x, perm, axis=-2, batch_dims=self._perm.ndim - 1)

    def _solve(self, rhs, adjoint):
        return self._matmul(rhs, not adjoint)

    def _determinant(self):
        return la.det(self.to_dense())

    def _log_abs_determinant(self):
        return array_ops.zeros(self.batch_shape.as_list(), self._dtype)


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix T[i, j] = col[i - j] for i >= j, row[j - i] for i < j (col[0] is the diagonal).

    >>> ef.linalg.LinearOperatorToeplitz([1.0, 2.0, 3.0], [1.0, 4.0, 5.0]).to_dense().numpy()
    array([[1., 4., 5.],
           [2., 1., 4.],
           [3., 2., 1.]], dtype=float32)
    """

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorToeplitz"):
        self._col = _t(col)
        self._row = _t(row, dtype=self._col.dtype)
        super().__init__(self._col.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"col": col, "row": row})

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        n = self._col.shape.as_list()
        return n + [n[-1]]

    def _to_dense(self):
        n = self._col.shape[-1]
        # values = [row[n-1], ..., row[1], col[0], col[1], ..., col[n-1]]; T[i, j] = values[n - 1 + i - j]
        values = array_ops.concat([array_ops.reverse(self._row[..., 1:], [-1]), self._col], axis=-1)
        index = (n - 1) + np.arange(n)[:, None] - np.arange(n)[None, :]
        return array_ops.gather(values, array_ops.constant(index.astype(np.int32)), axis=-1,
                                batch_dims=self._col.ndim - 1)


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal matrix from its diagonals ('compact' (..., 3, n), 'sequence' or 'matrix', as
    tridiagonal_solve); products and solves by the tridiagonal ops.

    >>> op = ef.linalg.LinearOperatorTridiag([[1.0, 1.0, 0.0], [2.0, 2.0, 2.0], [0.0, 1.0, 1.0]])
    >>> op.matvec([1.0, 1.0, 1.0]).numpy()
    array([3., 4., 3.], dtype=float32)
    """

    def __init__(self, diagonals, diagonals_format="compact", is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorTridiag"):
        if diagonals_format not in ("compact", "matrix", "sequence"):
            raise ValueError(f"Diagonals Format must be one of compact, matrix, sequence, got : {diagonals_format}")
        self._diagonals = diagonals
        self._format = diagonals_format
        sup, main, sub = la._tridiagonals(diagonals, diagonals_format)
        self._parts = (sup, main, sub)
        super().__init__(main.dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"diagonals": diagonals, "diagonals_format": diagonals_format})

    @property
    def diagonals(self):
        return self._diagonals

    @property
    def diagonals_format(self):
        return self._format

    def _shape(self):
        n = self._parts[1].shape.as_list()
        return n + [n[-1]]

    def _compact(self):
        return array_ops.stack(list(self._parts), axis=-2)

    def _to_dense(self):
        sup, main, sub = self._parts
        return la.diag(array_ops.stack([sup, main, sub], axis=-2), k=(-1, 1), num_rows=self.shape[-1],
                       num_cols=self.shape[-1], align="LEFT_RIGHT")

    def _matmul(self, x, adjoint):
        if adjoint:
            return math_ops.matmul(self.to_dense(), x, adjoint_a=True)
        return la.tridiagonal_matmul(self._compact(), x)

    def _solve(self, rhs, adjoint):
        if adjoint:
            return la.solve(self.to_dense(), rhs, adjoint=True)
        return la.tridiagonal_solve(self._compact(), rhs)

    def _diag_part(self):
        return self._parts[1]


def _complex_of(dtype):
    return _dtypes.complex128 if dtype in (_dtypes.float64, _dtypes.complex128) else _dtypes.complex64


class _Circulant(LinearOperator):
    """Block-circulant operators of `rank` levels, defined by their `spectrum` (the DFT of their kernel)."""

    _RANK = 1

    def __init__(self, spectrum, input_output_dtype=_dtypes.complex64, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name=None):
        s = _t(spectrum)
        if not (s.dtype.is_floating or s.dtype.is_complex):
            raise TypeError(f"Argument spectrum must have dtype float or complex, got {s.dtype.name}")
        self._spectrum = s if s.dtype.is_complex else math_ops.cast(s, _complex_of(s.dtype))
        if not s.dtype.is_complex and is_self_adjoint is None:  # a real spectrum makes a Hermitian operator
            is_self_adjoint = True
        self._block = s.shape.as_list()[-self._RANK:]
        super().__init__(input_output_dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True,
                         name=name or type(self).__name__, parameters={"spectrum": spectrum})

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_shape(self):
        return TensorShape(self._block)

    def block_shape_tensor(self):
        return array_ops.constant(self._block, dtype=_dtypes.int32)

    def _shape(self):
        n = int(np.prod(self._block))
        return self._spectrum.shape.as_list()[:-self._RANK] + [n, n]

    def _apply(self, x, spectrum):
        xc = x if x.dtype.is_complex else math_ops.cast(x, self._spectrum.dtype)
        cols = xc.shape[-1]
        lead = xc.shape.as_list()[:-2]
        # (..., N, R) -> (..., R, n1, ..., nk): the DFT runs over the block axes
        moved = la.matrix_transpose(xc)
        blocks = array_ops.reshape(moved, lead + [cols] + self._block)
        fft, ifft = _block_ffts(self._RANK)
        out = ifft(fft(blocks) * array_ops.expand_dims(spectrum, -self._RANK - 1))
        out = la.matrix_transpose(array_ops.reshape(out, lead + [cols, int(np.prod(self._block))]))
        return out if self._dtype.is_complex else math_ops.cast(math_ops.real(out), self._dtype)

    def _matmul(self, x, adjoint):
        spectrum = math_ops.conj(self._spectrum) if adjoint else self._spectrum
        return self._apply(x, spectrum)

    def _solve(self, rhs, adjoint):
        spectrum = math_ops.conj(self._spectrum) if adjoint else self._spectrum
        return self._apply(rhs, 1.0 / spectrum)

    def _to_dense(self):
        n = int(np.prod(self._block))
        eye = array_ops.eye(n, batch_shape=self.batch_shape.as_list() or None, dtype=self._dtype)
        return self._matmul(eye, False)

    def _flat_spectrum(self):
        return array_ops.reshape(self._spectrum, self._spectrum.shape.as_list()[:-self._RANK] + [-1])

    def _determinant(self):
        d = math_ops.reduce_prod(self._flat_spectrum(), axis=-1)
        return d if self._dtype.is_complex else math_ops.cast(math_ops.real(d), self._dtype)

    def _log_abs_determinant(self):
        out = math_ops.reduce_sum(math_ops.log(math_ops.abs(self._flat_spectrum())), axis=-1)
        return out if not self._dtype.is_complex else math_ops.cast(out, self._dtype)

    def _diag_part(self):
        mean = math_ops.reduce_mean(self._flat_spectrum(), axis=-1, keepdims=True)
        n = int(np.prod(self._block))
        d = mean * array_ops.ones([n], mean.dtype)
        return d if self._dtype.is_complex else math_ops.cast(math_ops.real(d), self._dtype)

    def convolution_kernel(self, name="convolution_kernel"):
        return _block_ffts(self._RANK)[1](self._spectrum)


def _block_ffts(rank):
    """(DFT, inverse DFT) over the `rank` innermost axes, as TF's circulant operators run them (FFT, FFT2D or FFT3D:
    TF has no CPU kernel for FFTND)."""
    from eagerflow.ops import signal_ops
    return {1: (signal_ops.fft, signal_ops.ifft), 2: (signal_ops.fft2d, signal_ops.ifft2d),
            3: (signal_ops.fft3d, signal_ops.ifft3d)}[rank]


class LinearOperatorCirculant(_Circulant):
    """The circulant matrix whose eigenvalues are `spectrum` (of its DFT basis): C = F^-1 diag(spectrum) F.

    >>> op = ef.linalg.LinearOperatorCirculant(ef.constant([6.0, -2.0, -2.0]), input_output_dtype=ef.float32)
    >>> op.to_dense().numpy().round(4)
    array([[0.6667, 2.6667, 2.6667],
           [2.6667, 0.6667, 2.6667],
           [2.6667, 2.6667, 0.6667]], dtype=float32)
    """

    _RANK = 1


class LinearOperatorCirculant2D(_Circulant):
    """A block-circulant matrix with circulant blocks, from a 2-D `spectrum` (acting on row-major flattened
    2-D signals by 2-D convolution).

    >>> ef.linalg.LinearOperatorCirculant2D(ef.ones([2, 2], ef.complex64)).shape
    TensorShape([4, 4])
    """

    _RANK = 2


class LinearOperatorCirculant3D(_Circulant):
    """The 3-level block-circulant matrix of a 3-D `spectrum`.

    >>> ef.linalg.LinearOperatorCirculant3D(ef.ones([2, 1, 2], ef.complex64)).shape
    TensorShape([4, 4])
    """

    _RANK = 3
