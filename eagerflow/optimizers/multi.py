"""`OptimizerMap` and `MultiOptimizer`: different optimizers for different variables, as Keras 3's."""

import re
from collections.abc import MutableMapping

from eagerflow.keras_variables import unwrap
from eagerflow.optimizers.loss_scale import LossScaleOptimizer
from eagerflow.optimizers.optimizer import Optimizer

__all__ = ["OptimizerMap", "MultiOptimizer"]


def _path(variable):
    """Keras's variable path: a Keras variable's, an ef.Variable's name without the ':0'."""
    path = getattr(variable, "path", None)
    return path if isinstance(path, str) else variable.name.rsplit(":", 1)[0]


class OptimizerMap(MutableMapping):
    """Variable paths (or regular expressions matching whole paths) mapped to optimizers, with a default.

    >>> m = ef.optimizers.OptimizerMap(ef.optimizers.SGD(), {"encoder/.*": ef.optimizers.Adam()})
    >>> type(m["encoder/dense/kernel"]).__name__, type(m["head/bias"]).__name__
    ('Adam', 'SGD')
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError(f"default_optimizer must be a Keras Optimizer instance. Received: {default_optimizer}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = dict(optimizer_map or {})

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value {self._optimizer_map[key]}. "
                             f"Please make sure to not use duplicated keys.")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: {optimizer}")
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("optimizer cannot be LossScaleOptimizer.")
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("optimizer cannot be MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[_path(variable)]


class MultiOptimizer(Optimizer):
    """Each variable updated by the optimizer its `optimizer_map` (an OptimizerMap or a callable of the
    variable) gives; its own state is `iterations` (and the unused rate), then each sub-optimizer's.

    >>> enc, head = ef.Variable([1.0], name="encoder/w"), ef.Variable([1.0], name="head/w")
    >>> opt = ef.optimizers.MultiOptimizer(ef.optimizers.OptimizerMap(ef.optimizers.SGD(0.5),
    ...                                                               {"encoder/.*": ef.optimizers.SGD(0.1)}))
    >>> _ = opt.apply_gradients([(ef.constant([1.0]), enc), (ef.constant([1.0]), head)])
    >>> round(float(enc[0]), 4), float(head[0])
    (0.9, 0.5)
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        for opt in list(getattr(optimizer_map, "values", lambda: [])()) + [
                getattr(optimizer_map, "default_optimizer", None)]:
            if opt is not None and opt not in self._inner_optimizers:
                opt.loss_scale_factor = loss_scale_factor
                self._inner_optimizers.append(opt)

    @property
    def optimizers(self):
        return self._inner_optimizers

    @property
    def variables(self):
        out = self._variables[:]
        for opt in self._inner_optimizers:
            out.extend(opt.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate on the "
                             "individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the learning rate on the "
                             "individual sub-optimizers instead.")

    def build(self, var_list):
        if self.built:
            return
        references = list(var_list)  # Keras variables: their slots are named by path
        var_list = [unwrap(v) for v in references]
        self._var_to_optimizer = {}
        groups = {}
        for var, reference in zip(var_list, references):
            opt = self._optimizer_map(reference)
            if not isinstance(opt, Optimizer):
                raise ValueError(f"Optimizer for variable {var} is not an Optimizer instance.")
            if isinstance(opt, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside an MultiOptimizer.")
            if isinstance(opt, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside an MultiOptimizer.")
            if opt not in self._inner_optimizers:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner_optimizers.append(opt)
            self._var_to_optimizer[id(var)] = opt
            groups.setdefault(id(opt), []).append(reference)
        for opt in self._inner_optimizers:
            if id(opt) in groups:
                opt.build(groups[id(opt)])
        super().build(references)

    def apply(self, grads, trainable_variables=None):
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer must already be built on "
                                 "a list of variables. Call `optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        given = list(trainable_variables)
        trainable_variables = [unwrap(v) for v in given]
        if not self.built:
            self.build(given)
        if len(grads) != len(self._trainable_variables_indices):
            raise ValueError(f"Gradients must match trainable variables one-to-one. Received {len(grads)} gradients "
                             f"and {len(self._trainable_variables_indices)} variables.")
        groups = {}
        for g, v in zip(grads, trainable_variables):
            groups.setdefault(id(self._var_to_optimizer[id(v)]), []).append((g, v))
        for opt in self._inner_optimizers:
            pairs = groups.get(id(opt))
            if pairs:
                sub_grads, sub_vars = zip(*pairs)
                opt.apply(list(sub_grads), list(sub_vars))
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        for var in map(unwrap, var_list):
            self._var_to_optimizer[id(var)].finalize_variable_values([var])

    def get_config(self):
        return {"optimizer_map": self._optimizer_map, "loss_scale_factor": self.loss_scale_factor, "name": self.name}
