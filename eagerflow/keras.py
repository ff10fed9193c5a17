"""`ef.keras`: the Keras names of eagerflow's layers, optimizers and initializers (`ef.keras.layers.Dense`, ...).

>>> ef.keras.optimizers.Adam is ef.optimizers.Adam
True
"""

import types

from eagerflow import keras_initializers as initializers  # noqa: F401
from eagerflow import layers, optimizers  # noqa: F401
from eagerflow.keras_variables import Variable  # noqa: F401
from eagerflow.layers import Model, Sequential  # noqa: F401
from eagerflow.module import reset_unique_names


def clear_session():
    """Forget the layer and optimizer names handed out so far: the next `Dense()` is 'dense' again."""
    reset_unique_names()


backend = types.SimpleNamespace(clear_session=clear_session)

__all__ = ["initializers", "layers", "optimizers", "backend", "Model", "Sequential", "Variable"]
