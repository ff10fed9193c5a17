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
from eagerflow.optimizers.keras3 import Adadelta, Adafactor, Adamax, Ftrl, Lamb, Lion, Nadam, ScheduleFreeAdamW
from eagerflow.optimizers.loss_scale import LossScaleOptimizer
from eagerflow.optimizers.multi import MultiOptimizer, OptimizerMap
from eagerflow.optimizers.optimizer import Optimizer
from eagerflow.optimizers.rmsprop import RMSprop
from eagerflow.optimizers.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adafactor", "Adamax", "Ftrl",
           "Lamb", "Lion", "Nadam", "ScheduleFreeAdamW", "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap",
           "schedules", "get", "serialize", "deserialize"]

_BY_NAME = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad, "adadelta": Adadelta,
            "adafactor": Adafactor, "adamax": Adamax, "ftrl": Ftrl, "lamb": Lamb, "lion": Lion, "nadam": Nadam,
            "schedulefreeadamw": ScheduleFreeAdamW, "lossscaleoptimizer": LossScaleOptimizer}


def get(identifier):
    """An optimizer from its name ('adam', 'sgd', ...), or `identifier` itself if it is one.

    >>> type(ef.optimizers.get("adam")).__name__
    'Adam'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME and identifier.lower() != "lossscaleoptimizer":
        return _BY_NAME[identifier.lower()]()
    if isinstance(identifier, dict) and "class_name" in identifier:
        return deserialize(identifier)
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Use one of "
                     f"{sorted(_BY_NAME)} or an optimizer instance.")


def serialize(optimizer):
    """The optimizer as Keras's dict: module, class_name, config (its get_config), registered_name.

    >>> ef.optimizers.serialize(ef.optimizers.Adam(0.01))["config"]["learning_rate"]
    0.009999999776482582
    """
    cls = type(optimizer)
    builtin = _BY_NAME.get(cls.__name__.lower()) is cls
    return {"module": "keras.optimizers" if builtin else cls.__module__, "class_name": cls.__name__,
            "config": optimizer.get_config(), "registered_name": None if builtin else cls.__name__}


def deserialize(config, custom_objects=None):
    """The optimizer a `serialize` dict describes (class names are case-insensitive for the built-in ones).

    >>> type(ef.optimizers.deserialize({"class_name": "nadam", "config": {"learning_rate": 0.1}})).__name__
    'Nadam'
    """
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {name!r}. Use one of {sorted(_BY_NAME)} or pass "
                         f"custom_objects.")
    return cls.from_config(config["config"], custom_objects=custom_objects) if cls is LossScaleOptimizer else \
        cls.from_config(config["config"])
