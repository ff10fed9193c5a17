"""Automatic differentiation: `GradientTape`, the gradient table, `custom_gradient`."""

from eagerflow.autodiff.custom import custom_gradient  # noqa: F401
from eagerflow.autodiff.gradients import GRADIENTS  # noqa: F401
from eagerflow.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401

__all__ = ["GradientTape", "UnconnectedGradients", "custom_gradient", "GRADIENTS"]
