# tf.keras.initializers (Keras 3): reprs, configs, dtypes, shapes, the statistics of the random ones (their
# streams differ from TF's: only bounds and moments are compared), identifiers and errors.
import numpy as np
import tensorflow as tf

I = tf.keras.initializers
names = ("Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotUniform",
         "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal", "Identity",
         "VarianceScaling")
for name in names:
    init = getattr(I, name)()
    t = init([3, 4])
    print(name, repr(init), init.get_config(), t.dtype.name, t.shape)
print([getattr(I, n.lower() if n not in ("RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotUniform",
                                         "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal",
                                         "VarianceScaling") else
               "".join("_" + c.lower() if c.isupper() else c for c in n).lstrip("_")) is getattr(I, n)
       for n in names])
print(I.IdentityInitializer is I.Identity, I.OrthogonalInitializer is I.Orthogonal)

# dtypes
for dtype in ("float64", tf.float16, "bfloat16", None, "int32", tf.int64):
    row = []
    for name in ("Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotUniform",
                 "Orthogonal", "Identity"):
        try:
            row.append(getattr(I, name)()([2, 2], dtype=dtype).dtype.name)
        except (TypeError, ValueError, tf.errors.InvalidArgumentError) as e:
            row.append(type(e).__name__)
    print(dtype, row)
print(I.Zeros()([2], "bool").numpy(), I.Ones()([]).numpy(), I.Constant(3)([2], "int32").numpy())
print(I.Constant([1, 2])([2]).numpy(), I.Identity(2.0)([2, 3]).numpy(), I.Constant(3).get_config())
try:
    I.Constant([1, 2])([3])
except tf.errors.InvalidArgumentError:
    print("InvalidArgumentError")

# seeds: an int gives the same values every call, and across instances; repeated calls of an unseeded one agree
g = I.GlorotUniform(seed=3)
print(bool(tf.reduce_all(g([4, 4]) == g([4, 4]))), bool(tf.reduce_all(g([4, 4]) == I.GlorotUniform(seed=3)([4, 4]))))
u = I.RandomUniform()
print(bool(tf.reduce_all(u([5]) == u([5]))), I.GlorotUniform(seed=2).get_config())


# statistics: bounds and moments of large draws
def stats(label, t, low=None, high=None, std=None, mean=0.0):
    x = t.numpy().astype(np.float64)
    out = [label, t.shape, t.dtype.name]
    if low is not None:
        out.append(bool(x.min() >= low and x.max() < high and x.min() < low + 0.05 * (high - low)
                        and x.max() > high - 0.05 * (high - low)))
    if std is not None:
        out += [bool(abs(x.std() - std) < 0.05 * std), bool(abs(x.mean() - mean) < 0.05 * std + 1e-3)]
    print(*out)


shape = [300, 200]
lim = np.sqrt(6 / 500)
stats("glorot_uniform", I.GlorotUniform(seed=1)(shape), -lim, lim)
stats("he_uniform", I.HeUniform(seed=1)(shape), -np.sqrt(6 / 300), np.sqrt(6 / 300))
stats("lecun_uniform", I.LecunUniform(seed=1)(shape), -np.sqrt(3 / 300), np.sqrt(3 / 300))
stats("glorot_normal", I.GlorotNormal(seed=1)(shape), std=np.sqrt(2 / 500))
stats("he_normal", I.HeNormal(seed=1)(shape), std=np.sqrt(2 / 300))
stats("lecun_normal", I.LecunNormal(seed=1)(shape), std=np.sqrt(1 / 300))
stats("random_normal", I.RandomNormal(mean=1.0, stddev=2.0, seed=1)(shape), std=2.0, mean=1.0)
stats("random_uniform", I.RandomUniform(-3.0, 5.0, seed=1)(shape, "float64"), -3.0, 5.0)
t = I.TruncatedNormal(mean=1.0, stddev=2.0, seed=1)(shape)
stats("truncated_normal", t, std=2.0 * 0.87962566103423978, mean=1.0)
print(bool(np.abs(t.numpy() - 1.0).max() <= 4.0))
stats("variance_scaling", I.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=1)(shape), std=np.sqrt(2 / 200))
conv = I.VarianceScaling(1.0, "fan_avg", "uniform", seed=1)([3, 3, 16, 32])
stats("conv kernel", conv, -np.sqrt(3 / (9 * 24)), np.sqrt(3 / (9 * 24)))
axes = I.VarianceScaling(2.0, "fan_out", "uniform", seed=1, input_axes=[0], output_axes=[1])([30, 50, 70])
stats("axes", axes, -np.sqrt(6 / 50), np.sqrt(6 / 50))
print(I.VarianceScaling(distribution="normal").get_config()["distribution"])
ints = I.GlorotUniform(seed=1)([2, 2], "int32").numpy()
print(ints.dtype, bool(((ints >= -1) & (ints < 1)).all()))
o = I.Orthogonal(gain=2.0, seed=1)([4, 3]).numpy()
print(o.shape, np.allclose(o.T @ o, 4 * np.eye(3), atol=1e-5))
o = I.Orthogonal(seed=1)([3, 2, 6]).numpy().reshape(6, 6)
print(np.allclose(o @ o.T, np.eye(6), atol=1e-5), I.Orthogonal(seed=1)([2, 5], "float16").dtype)

# identifiers
print(type(I.get("glorot_uniform")).__name__, type(I.get("Ones")).__name__, type(I.get("one")).__name__,
      type(I.get("zero")).__name__, I.get("uniform").get_config(), I.get("normal").get_config(), I.get(None))
print(I.get({"class_name": "RandomNormal", "config": {"stddev": 2.0}}).get_config(), type(I.get(I.Ones)).__name__)
print(I.get(np.ones([2]))([2]).numpy())
f = lambda shape, dtype=None: tf.ones(shape)  # noqa: E731
print(I.get(f) is f, type(I.get(I.HeNormal(seed=1))).__name__)
print(I.serialize(I.Constant(2.0)))
print(I.serialize(I.GlorotUniform(seed=2)))
print(type(I.deserialize({"class_name": "Constant", "config": {"value": 2.0}})).__name__,
      I.deserialize({"class_name": "Ones"}).get_config(), I.deserialize({"class_name": "Nope", "config": {}}))
c = I.VarianceScaling(3.0, "fan_avg", "uniform", seed=5).clone()
print(type(c).__name__, c.get_config(), I.Identity(3.0).clone().get_config())
print(I.Initializer().get_config(), I.RandomNormal.from_config({"mean": 1.0}).get_config())


class My(I.Initializer):
    def __call__(self, shape, dtype=None):
        return tf.zeros(shape, dtype or "float32")


print(I.serialize(My()), My()([2]).numpy())
for bad in (lambda: I.VarianceScaling(scale=0), lambda: I.VarianceScaling(mode="x"),
            lambda: I.VarianceScaling(distribution="x"), lambda: I.Identity()([2, 2, 2]), lambda: I.Orthogonal()([3]),
            lambda: I.RandomNormal(seed="a"), lambda: I.get(3), lambda: I.get("ONES"), lambda: I.get("nope"),
            lambda: I.get({"class_name": "Nope", "config": {}}), lambda: I.deserialize({"config": {}}),
            lambda: I.get(np.ones([2]))([3]), lambda: I.Initializer()([2])):
    try:
        bad()
    except (ValueError, NotImplementedError) as e:
        print(type(e).__name__, e)

# layers take them
layer = tf.keras.layers.Dense(3, kernel_initializer=I.Constant(2.0), bias_initializer="ones")
layer.build((None, 2))
print(layer.kernel.numpy(), layer.bias.numpy())
layer = tf.keras.layers.Dense(3, kernel_initializer="he_normal")
layer.build((None, 2))
print(type(layer.kernel_initializer).__name__, layer.kernel.shape)
