"""Automatic differentiation: `GradientTape`, `ForwardAccumulator`, the gradient table, `custom_gradient`."""

from eagerflow.autodiff.custom import custom_gradient  # noqa: F401
from eagerflow.autodiff.forwardprop import ForwardAccumulator  # noqa: F401
from eagerflow.autodiff.gradients import GRADIENTS  # noqa: F401
from eagerflow.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401

__all__ = ["GradientTape", "ForwardAccumulator", "UnconnectedGradients", "custom_gradient", "GRADIENTS"]
