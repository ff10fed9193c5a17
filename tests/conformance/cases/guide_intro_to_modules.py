# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "Introduction to modules, layers, and models" (site/en/guide/intro_to_modules.ipynb): its
code cells, each printing what the notebook shows. Left out: the TensorBoard graph trace (cell 35),
SavedModel (cells 37-48: eagerflow has no graphs to save) and the Keras cells (53 on). Adapted:
initial weights come from NumPy's seeded generator instead of tf.random.normal (random streams
differ by design)."""
# cell 5
print('--- cell 5')
import tensorflow as tf
import numpy as np
from datetime import datetime

_rng = np.random.default_rng(0)
def fixed_normal(shape):  # adapted: the guide's tf.random.normal (random streams differ by design)
  return tf.constant(_rng.normal(size=shape), tf.float32)


# cell 7
print('--- cell 7')
class SimpleModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)
    self.a_variable = tf.Variable(5.0, name="train_me")
    self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")
  def __call__(self, x):
    return self.a_variable * x + self.non_trainable_variable

simple_module = SimpleModule(name="simple")

_ = (simple_module(tf.constant(5.0)))
if _ is not None:
    print(repr(_))

# cell 9
print('--- cell 9')
# All trainable variables
print("trainable variables:", simple_module.trainable_variables)
# Every variable
print("all variables:", simple_module.variables)

# cell 11
print('--- cell 11')
class Dense(tf.Module):
  def __init__(self, in_features, out_features, name=None):
    super().__init__(name=name)
    self.w = tf.Variable(
      fixed_normal([in_features, out_features]), name='w')
    self.b = tf.Variable(tf.zeros([out_features]), name='b')
  def __call__(self, x):
    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

# cell 13
print('--- cell 13')
class SequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = Dense(in_features=3, out_features=3)
    self.dense_2 = Dense(in_features=3, out_features=2)

  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a model!
my_model = SequentialModule(name="the_model")

# Call it, with random results
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))

# cell 15
print('--- cell 15')
print("Submodules:", my_model.submodules)

# cell 16
print('--- cell 16')
for var in my_model.variables:
  print(var, "\n")

# cell 18
print('--- cell 18')
class FlexibleDenseModule(tf.Module):
  # Note: No need for `in_features`
  def __init__(self, out_features, name=None):
    super().__init__(name=name)
    self.is_built = False
    self.out_features = out_features

  def __call__(self, x):
    # Create variables on first call.
    if not self.is_built:
      self.w = tf.Variable(
        fixed_normal([x.shape[-1], self.out_features]), name='w')
      self.b = tf.Variable(tf.zeros([self.out_features]), name='b')
      self.is_built = True

    y = tf.matmul(x, self.w) + self.b
    return tf.nn.relu(y)

# cell 19
print('--- cell 19')
# Used in a module
class MySequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = FlexibleDenseModule(out_features=3)
    self.dense_2 = FlexibleDenseModule(out_features=2)

  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

my_model = MySequentialModule(name="the_model")
print("Model results:", my_model(tf.constant([[2.0, 2.0, 2.0]])))

# cell 22
print('--- cell 22')
chkp_path = "my_checkpoint"
checkpoint = tf.train.Checkpoint(model=my_model)
_ = (checkpoint.write(chkp_path))
if _ is not None:
    print(repr(_))

# cell 24
print('--- cell 24')


# cell 26
print('--- cell 26')
_ = (tf.train.list_variables(chkp_path))
if _ is not None:
    print(repr(_))

# cell 28
print('--- cell 28')
new_model = MySequentialModule()
new_checkpoint = tf.train.Checkpoint(model=new_model)
new_checkpoint.restore("my_checkpoint")

# Should be the same result as above
_ = (new_model(tf.constant([[2.0, 2.0, 2.0]])))
if _ is not None:
    print(repr(_))

# cell 31
print('--- cell 31')
class MySequentialModule(tf.Module):
  def __init__(self, name=None):
    super().__init__(name=name)

    self.dense_1 = Dense(in_features=3, out_features=3)
    self.dense_2 = Dense(in_features=3, out_features=2)

  @tf.function
  def __call__(self, x):
    x = self.dense_1(x)
    return self.dense_2(x)

# You have made a model with a graph!
my_model = MySequentialModule(name="the_model")

# cell 33
print('--- cell 33')
print(my_model([[2.0, 2.0, 2.0]]))
print(my_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]))

