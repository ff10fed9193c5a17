"""Automatic differentiation: `GradientTape`, `ForwardAccumulator`, the gradient table, `custom_gradient`."""

from eagerflow.autodiff.custom import custom_gradient  # noqa: F401
from eagerflow.autodiff.gradients import GRADIENTS  # noqa: F401
from eagerflow.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401

__all__ = ["GradientTape", "ForwardAccumulator", "UnconnectedGradients", "custom_gradient", "GRADIENTS"]


def __getattr__(name):  # ForwardAccumulator loads on first use: most programs never need it
    if name == "ForwardAccumulator":
        from eagerflow.autodiff.forwardprop import ForwardAccumulator
        return ForwardAccumulator
    raise AttributeError(f"module 'eagerflow.autodiff' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
