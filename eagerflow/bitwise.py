"""`ef.bitwise`: bitwise operations on integer tensors.

>>> int(ef.bitwise.bitwise_and(12, 10))
8
"""

from eagerflow.ops.numeric_ops import bitwise_and, bitwise_or, bitwise_xor, invert, left_shift, right_shift  # noqa: F401

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]
