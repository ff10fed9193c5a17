"""A small Keras-style layer set on `ef.Module`: `Dense` and `Sequential` (`ef.layers`).

Layers get unique names the way Keras does (`dense`, `dense_1`, ...) and create their weights
lazily, on the first call, inside their name scope. Weights are Keras variables
(`ef.keras.Variable`): `.name` `kernel`, `.path` `dense/kernel` (nested inside the scope of
whatever calls them, e.g. `sequential/dense/kernel`), wrapping an `ef.Variable` `dense/kernel:0`.

>>> ef.random.set_seed(0)
>>> model = ef.layers.Sequential([ef.layers.Dense(4, activation="relu"), ef.layers.Dense(2)])
>>> model(ef.ones([3, 5])).shape
TensorShape([3, 2])
>>> len(model.trainable_variables); ef.random.set_seed(None)
4
"""

import contextlib
import functools
import re

from eagerflow import dtypes as _dtypes
from eagerflow import keras_initializers
from eagerflow.checkpoint.deferred import restore_deferred
from eagerflow.framework.execute import convert_to_tensor
from eagerflow.keras_variables import Variable as KerasVariable
from eagerflow.module import Module, current_name_scope, name_scope, unique_name
from eagerflow.ops import array_ops, math_ops, nn_ops
from eagerflow.tensor_shape import TensorShape
from eagerflow.variables import Variable

__all__ = ["Layer", "Dense", "Sequential", "TrackedList", "TrackedDict", "TrackedSet", "get_activation",
           "get_initializer"]


def _snake(name):
    """Keras's `to_snake_case`: 'MyDense' -> 'my_dense'."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


# ----------------------------------------------------------------------------- activations

def _linear(x):
    return x


_ACTIVATIONS = {
    None: _linear, "linear": _linear, "relu": nn_ops.relu, "relu6": nn_ops.relu6, "elu": nn_ops.elu,
    "sigmoid": math_ops.sigmoid, "tanh": math_ops.tanh, "softplus": nn_ops.softplus, "gelu": nn_ops.gelu,
    "silu": nn_ops.silu, "swish": nn_ops.silu, "leaky_relu": nn_ops.leaky_relu, "exponential": math_ops.exp,
    "softmax": lambda x: nn_ops.softmax(x, axis=-1), "log_softmax": lambda x: nn_ops.log_softmax(x, axis=-1),
}


def get_activation(identifier):
    """An activation function from its Keras name ('relu', 'softmax', ...), a callable, or None (linear).

    >>> ef.layers.get_activation("relu")(ef.constant([-1.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)
    """
    if callable(identifier):
        return identifier
    try:
        return _ACTIVATIONS[identifier]
    except (KeyError, TypeError):
        names = ", ".join(sorted(k for k in _ACTIVATIONS if k))
        raise ValueError(f"Could not interpret activation function identifier: {identifier!r}. Use one of "
                         f"{names}, None, or a callable.") from None


# ----------------------------------------------------------------------------- initializers

def get_initializer(identifier):
    """An initializer `init(shape, dtype)`: `ef.keras.initializers.get` (a Keras name such as 'he_normal', a
    config dict, an initializer class or instance, an array), or any callable `fn(shape, dtype)`.

    Unseeded random initializers take their seed from `ef.random` (the global seed) when they are made, so
    `ef.random.set_seed` makes the weights of a model reproducible.

    >>> ef.layers.get_initializer("ones")([2], ef.float32).numpy()
    array([1., 1.], dtype=float32)
    """
    return keras_initializers.get(identifier)


# ----------------------------------------------------------------------------- layers

def _track(layer, value):
    """Add the Keras variables and layers in `value` (walking lists, tuples, sets and dicts) to `layer`'s."""
    trainable, non_trainable, layers = layer._tracked()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, KerasVariable):
            if not any(w is item for w in trainable) and not any(w is item for w in non_trainable):
                _check_unlocked(layer)
                (trainable if item.trainable else non_trainable).append(item)
        elif isinstance(item, Layer):
            if item is not layer and not any(x is item for x in layers):
                _check_unlocked(layer)
                layers.append(item)
        elif isinstance(item, (list, tuple, set)):
            stack.extend(reversed(list(item)))
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))


def _check_unlocked(layer):
    # as Keras 3: a built layer's state is locked (a model's is not: it may be edited and rebuilt)
    if layer.__dict__.get("built") and not isinstance(layer, (Model, Sequential)):
        raise ValueError(f"You cannot add new elements of state (variables or sub-layers) to a layer that is "
                         f"already built (layer {layer._name!r}). All state must be created in the `__init__()` "
                         f"method or in the `build()` method.")


def _untrack(layer, value):
    trainable, non_trainable, layers = layer._tracked()
    for lst in (trainable, non_trainable, layers):
        lst[:] = [x for x in lst if x is not value]


def _tracking_container(value, layer):
    """A list or dict given to a layer becomes Keras 3's TrackedList/TrackedDict (a copy that tracks
    what it is given later); nested ones too."""
    if type(value) is list:
        return TrackedList(value, layer)
    if type(value) is dict:
        return TrackedDict(value, layer)
    if type(value) is set:
        return TrackedSet(value, layer)
    return value


class _TrackedContainer:
    """What the tracked containers share: the layer they report additions and removals to."""

    _layer = None  # until set (unpickling adds the items before it restores the attributes)

    def _add(self, value):
        value = _tracking_container(value, self._layer)
        if self._layer is not None:
            _track(self._layer, value)
        return value

    def _removed(self, value):
        if self._layer is not None:
            _untrack(self._layer, value)
        return value


class TrackedList(list, _TrackedContainer):
    """A list attribute of a layer, as Keras 3's: a list that tracks the layers and variables added to it."""

    def __init__(self, values=(), layer=None):
        self._layer = layer
        super().__init__(_tracking_container(v, layer) for v in values)

    def append(self, value):
        super().append(self._add(value))

    def insert(self, index, value):
        super().insert(index, self._add(value))

    def extend(self, values):
        super().extend(self._add(v) for v in values)

    def __iadd__(self, values):
        self.extend(values)
        return self

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            super().__setitem__(index, [self._add(v) for v in value])
        else:
            super().__setitem__(index, self._add(value))

    def remove(self, value):
        super().remove(value)
        self._removed(value)

    def pop(self, index=-1):
        return self._removed(super().pop(index))


class TrackedDict(dict, _TrackedContainer):
    """A dict attribute of a layer, as Keras 3's: a dict that tracks the layers and variables added to it."""

    def __init__(self, values=None, layer=None):
        self._layer = layer
        super().__init__({k: _tracking_container(v, layer) for k, v in (values or {}).items()})

    def __setitem__(self, key, value):
        super().__setitem__(key, self._add(value))

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def pop(self, key, *default):
        return self._removed(super().pop(key, *default))


class TrackedSet(set, _TrackedContainer):
    """A set attribute of a layer, as Keras 3's: a set that tracks the layers and variables added to it
    (`remove` and `pop` untrack, `discard` does not, as Keras's)."""

    def __init__(self, values=(), layer=None):
        self._layer = layer
        super().__init__(values)

    def add(self, value):
        if self._layer is not None:
            _track(self._layer, value)
        super().add(value)

    def update(self, *values):
        for group in values:
            for value in group:
                self.add(value)

    def remove(self, value):
        super().remove(value)
        self._removed(value)

    def pop(self):
        return self._removed(super().pop())


class Layer(Module):
    """Base class: a `Module` with a Keras-unique name, built on its first call.

    Subclasses implement `build(input_shape)` (create variables with `add_weight`) and
    `call(inputs)`. Calling the layer enters its name scope, builds it once, then calls.

    >>> class Scale(ef.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=[input_shape[-1]], initializer="ones", name="w")
    ...     def call(self, x):
    ...         return x * self.w
    >>> Scale()(ef.constant([[1.0, 2.0]])).numpy()
    array([[1., 2.]], dtype=float32)
    """

    _WRAPS_CONTAINERS = False   # a layer's lists, dicts and sets are Keras's TrackedList/Dict/Set, not TF's wrappers

    def __init__(self, name=None, trainable=True, dtype=None):
        if name is None:
            name = unique_name(_snake(type(self).__name__))
        elif not isinstance(name, str) or "/" in name or not name:
            raise ValueError(f"Argument `name` must be a non-empty string and cannot contain character `/`. "
                             f"Received: name={name!r} (layer {type(self).__name__}). Use e.g. name='dense_out'.")
        self._name = name
        self._name_scope = name_scope(name)  # relative: nests inside the caller's scope, as Keras 3 paths
        self.built = False
        self._trainable = bool(trainable)
        self._dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32

    @property
    def dtype(self):
        return self._dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """As Keras 3: freezing a layer freezes its weights and its sublayers'."""
        self._trainable = bool(value)
        trainable, non_trainable, layers = self._tracked()
        for v in (*trainable, *non_trainable):
            v.trainable = value
        for layer in layers:
            layer.trainable = value

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None:  # as Keras: a layer builds in its own name scope, however build is reached
            @functools.wraps(build)
            def build_in_scope(self, *args, **kw):
                with self._own_scope():
                    out = build(self, *args, **kw)
                self.built = True  # built however build was reached (Keras sets it too)
                return out
            cls.build = build_in_scope

    # ------------------------------------------------------------------ tracking, as Keras 3's
    # A layer tracks the Keras variables and layers it is given (attributes, and what lists, dicts and
    # tuples assigned to it hold or are given later) and the weights add_weight makes, in that order.
    # A plain ef.Variable is not tracked: Keras 3 layers do not track tf.Variables.

    def __setattr__(self, name, value):
        if not name.startswith("_tracked"):
            value = _tracking_container(value, self)
            _track(self, value)
        super().__setattr__(name, value)

    def _tracked(self):
        try:
            return self._tracked_trainable, self._tracked_non_trainable, self._tracked_layers
        except AttributeError:  # a subclass that sets attributes before Layer.__init__
            lists = ([], [], [])
            self._tracked_trainable, self._tracked_non_trainable, self._tracked_layers = lists
            return lists

    @property
    def variables(self):
        """This layer's weights (trainable ones first, as Keras tracks them), then each sublayer's."""
        trainable, non_trainable, layers = self._tracked()
        out, seen = [], set()
        for w in [*trainable, *non_trainable, *(w for layer in layers for w in layer.weights)]:
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        return out

    weights = variables

    @property
    def trainable_variables(self):
        return [v for v in self.variables if v.trainable] if self._trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        every = self.variables
        return [v for v in every if not v.trainable] if self._trainable else every

    non_trainable_weights = non_trainable_variables

    def __repr__(self):
        return f"<{type(self).__name__} name={self._name}, built={self.built}>"

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, name=None):
        """A new Keras variable `<scope>/<name>` initialised by `initializer(shape, dtype)`, as Keras 3's
        `add_weight` (the initializer defaults to glorot_uniform for floats, zeros otherwise)."""
        dtype = _dtypes.as_dtype(dtype) if dtype is not None else self._dtype
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        shape = () if shape is None else tuple(int(d) for d in shape)
        if name is None:
            name = unique_name("variable")
        elif not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: "
                             f"name={name!r} (layer {self._name!r}).")
        value = get_initializer(initializer)(shape, dtype)
        trainable = bool(trainable) and self._trainable
        with self._own_scope():  # its path is the layer's path + name, wherever it is built
            weight = KerasVariable._wrap(Variable(value, name=name, trainable=trainable, dtype=dtype), name)
        _track(self, weight)
        return weight

    def _own_scope(self):
        """The layer's name scope, unless it is already the innermost one (Keras: `caller=self`)."""
        return contextlib.nullcontext() if current_name_scope().endswith(f"{self._name}/") else self._name_scope

    def build(self, input_shape):
        self.built = True

    def call(self, inputs):
        raise NotImplementedError(f"Layer {type(self).__name__} ({self._name!r}) must implement call(inputs).")

    def __call__(self, inputs, *args, **kwargs):
        with self._name_scope:
            if not self.built:
                shape = getattr(inputs, "shape", None)
                if shape is None:
                    inputs = convert_to_tensor(inputs, dtype_hint=self._dtype)
                    shape = inputs.shape
                self.build(shape)
                self.built = True
                restore_deferred(self)  # variables restored from a checkpoint read before they existed
            return self.call(inputs, *args, **kwargs)


class Dense(Layer):
    """A densely connected layer: `activation(inputs @ kernel + bias)`, as `keras.layers.Dense`.

    `kernel` (shape `[input_dim, units]`) and `bias` (`[units]`) are created on the first call,
    from the last dimension of the input. Integer inputs are cast to the layer's dtype.

    >>> ef.random.set_seed(1)
    >>> d = ef.layers.Dense(3, activation="relu", name="hidden")
    >>> d(ef.ones([2, 4])).shape, d.kernel.path, d.bias.shape
    (TensorShape([2, 3]), 'hidden/kernel', TensorShape([3]))
    >>> ef.random.set_seed(None)
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", name=None, trainable=True, dtype=None, **kwargs):
        if kwargs:
            raise TypeError(f"Dense got unsupported argument(s) {sorted(kwargs)}; eagerflow's Dense takes units, "
                            f"activation, use_bias, kernel_initializer, bias_initializer, name, trainable, dtype.")
        super().__init__(name=name, trainable=trainable, dtype=dtype)
        units = int(units) if not isinstance(units, bool) else -1
        if units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. "
                             f"Received: units={units} (layer {self._name!r}).")
        self.units = units
        self.activation = get_activation(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = get_initializer(kernel_initializer)
        self.bias_initializer = get_initializer(bias_initializer)

    def build(self, input_shape):
        dims = list(input_shape)
        last = dims[-1] if dims else None
        if last is None:
            raise ValueError(f"The last dimension of the inputs to Dense layer {self._name!r} should be defined. "
                             f"Found None (input shape {input_shape}).")
        # `_kernel` behind a `kernel` property, as Keras 3: checkpoints key it `dense/_kernel`, as TF's
        self._kernel = self.add_weight((int(last), self.units), self.kernel_initializer, name="kernel")
        self.bias = self.add_weight((self.units,), self.bias_initializer, name="bias") if self.use_bias else None
        self.built = True

    @property
    def kernel(self):
        """The `[input_dim, units]` weight matrix (created on the first call)."""
        try:
            return self._kernel
        except AttributeError:
            raise AttributeError(f"Dense layer {self._name!r} has no kernel yet: it is created on the first call "
                                 f"(or build(input_shape)).") from None

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        kernel = self.kernel._var  # the wrapped variables: ops read them one call sooner
        if x._dtype is not kernel.dtype:
            x = math_ops.cast(x, kernel.dtype)
        if x.ndim == 2:
            y = math_ops.matmul(x, kernel)
        else:
            if x.shape[-1] != kernel.shape[0]:
                raise ValueError(f"Input of Dense layer {self._name!r} has last dimension {x.shape[-1]}, but the "
                                 f"layer was built for {kernel.shape[0]}.")
            y = math_ops.tensordot(x, kernel, [[x.ndim - 1], [0]])
        if self.bias is not None:
            y = y + self.bias._var
        return self.activation(y)


class Model(Layer):
    """A layer made of layers, as a subclassed `keras.Model`: define the layers in `__init__` and the
    forward pass in `call`; its variables are its layers' (in Keras 3's order). Training helpers
    (`compile`, `fit`, `save_weights`) are not provided: write the loop with a GradientTape.

    >>> class Net(ef.keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.l1 = ef.keras.layers.Dense(2, kernel_initializer="ones")
    ...     def call(self, x):
    ...         return self.l1(x)
    >>> net = Net(); net(ef.constant([[1.0, 2.0]])).numpy(), len(net.trainable_variables)
    (array([[3., 3.]], dtype=float32), 2)
    """


class Sequential(Layer):
    """A stack of layers (or any callables), each called on the output of the previous one.

    >>> ef.random.set_seed(2)
    >>> mlp = ef.layers.Sequential([ef.layers.Dense(8, activation="relu"), ef.layers.Dense(1)])
    >>> mlp(ef.ones([4, 3])).shape, len(mlp.layers)
    (TensorShape([4, 1]), 2)
    >>> ef.random.set_seed(None)
    """

    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self.layers = []
        for layer in layers or ():
            self.add(layer)

    def add(self, layer):
        """Append `layer` (callable) to the stack."""
        if not callable(layer):
            raise TypeError(f"Sequential {self._name!r} can only hold callables (layers); got {layer!r}.")
        self.layers.append(layer)

    def build(self, input_shape):
        """Build every layer for inputs of `input_shape`, as Keras: its layers see a batch of zeros (a
        None dimension taken as 1), which creates their weights."""
        dims = [1 if d is None else int(d) for d in TensorShape(input_shape).as_list()]
        self.built = True
        self.call(array_ops.zeros(dims, dtype=self._dtype))

    def call(self, inputs):
        x = inputs
        for layer in self.layers:
            x = layer(x)
        return x
