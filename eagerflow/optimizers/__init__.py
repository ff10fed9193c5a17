"""Optimizers (`ef.optimizers`), with Keras 3's update rules and state layout.

>>> w = ef.Variable([1.0, 2.0])
>>> opt = ef.optimizers.Adam(learning_rate=0.1)
>>> _ = opt.apply_gradients(zip([ef.constant([1.0, -1.0])], [w]))
>>> w.numpy().round(3)
array([0.9, 2.1], dtype=float32)
"""

from eagerflow.optimizers import schedules  # noqa: F401
from eagerflow.optimizers.adagrad import Adagrad
from eagerflow.optimizers.adam import Adam, AdamW
from eagerflow.optimizers.optimizer import Optimizer
from eagerflow.optimizers.rmsprop import RMSprop
from eagerflow.optimizers.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "schedules", "get"]

_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad}


def get(identifier):
    """An optimizer from its name ('adam', 'sgd', ...), or `identifier` itself if it is one.

    >>> type(ef.optimizers.get("adam")).__name__
    'Adam'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Use one of "
                     f"{sorted(_BY_NAME)} or an optimizer instance.")
