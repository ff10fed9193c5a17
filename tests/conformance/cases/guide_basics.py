# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "TensorFlow basics" (site/en/guide/basics.ipynb): its code cells, each printing what the
notebook shows. Left out: SavedModel (cells 48, 50: eagerflow has no graphs to save), the matplotlib
cells (54, 60, 61, 68, 74) and the Keras cells (71-75). Adapted: the data's noise comes from NumPy's
seeded generator and the model's initial values are fixed (random streams differ by design), the
dataset is not shuffled, the softmax and mean are rounded (last float32 digits), and the trained variables are printed instead of plotted."""
# cell 6
print('--- cell 6')
import numpy as np
import tensorflow as tf

x = tf.constant([[1., 2., 3.],
                 [4., 5., 6.]])

print(x)
print(x.shape)
print(x.dtype)

# cell 9
print('--- cell 9')
_ = (x + x)
if _ is not None:
    print(repr(_))

# cell 10
print('--- cell 10')
_ = (5 * x)
if _ is not None:
    print(repr(_))

# cell 11
print('--- cell 11')
_ = (x @ tf.transpose(x))
if _ is not None:
    print(repr(_))

# cell 12
print('--- cell 12')
_ = (tf.concat([x, x, x], axis=0))
if _ is not None:
    print(repr(_))

# cell 13
print('--- cell 13')
_ = (tf.round(tf.nn.softmax(x, axis=-1) * 1e6) / 1e6)  # adapted: 6 digits (TF's float32 exp differs in the last)
if _ is not None:
    print(repr(_))

# cell 14
print('--- cell 14')
_ = (tf.reduce_sum(x))
if _ is not None:
    print(repr(_))

# cell 16
print('--- cell 16')
_ = (tf.convert_to_tensor([1,2,3]))
if _ is not None:
    print(repr(_))

# cell 17
print('--- cell 17')
_ = (tf.reduce_sum([1,2,3]))
if _ is not None:
    print(repr(_))

# cell 19
print('--- cell 19')
if tf.config.list_physical_devices('GPU'):
  print("TensorFlow **IS** using the GPU")
else:
  print("TensorFlow **IS NOT** using the GPU")

# cell 22
print('--- cell 22')
var = tf.Variable([0.0, 0.0, 0.0])

# cell 23
print('--- cell 23')
_ = (var.assign([1, 2, 3]))
if _ is not None:
    print(repr(_))

# cell 24
print('--- cell 24')
_ = (var.assign_add([1, 1, 1]))
if _ is not None:
    print(repr(_))

# cell 27
print('--- cell 27')
x = tf.Variable(1.0)

def f(x):
  y = x**2 + 2*x - 5
  return y

# cell 28
print('--- cell 28')
_ = (f(x))
if _ is not None:
    print(repr(_))

# cell 30
print('--- cell 30')
with tf.GradientTape() as tape:
  y = f(x)

g_x = tape.gradient(y, x)  # g(x) = dy/dx

_ = (g_x)
if _ is not None:
    print(repr(_))

# cell 34
print('--- cell 34')
@tf.function
def my_func(x):
  print('Tracing.\n')
  return tf.reduce_sum(x)

# cell 36
print('--- cell 36')
x = tf.constant([1, 2, 3])
_ = (my_func(x))
if _ is not None:
    print(repr(_))

# cell 38
print('--- cell 38')
x = tf.constant([10, 9, 8])
_ = (my_func(x))
if _ is not None:
    print(repr(_))

# cell 40
print('--- cell 40')
x = tf.constant([10.0, 9.1, 8.2], dtype=tf.float32)
_ = (my_func(x))
if _ is not None:
    print(repr(_))

# cell 45
print('--- cell 45')
class MyModule(tf.Module):
  def __init__(self, value):
    self.weight = tf.Variable(value)

  @tf.function
  def multiply(self, x):
    return x * self.weight

# cell 46
print('--- cell 46')
mod = MyModule(3)
_ = (mod.multiply(tf.constant([1, 2, 3])))
if _ is not None:
    print(repr(_))

# cell 55
print('--- cell 55')
x = tf.linspace(-2, 2, 201)
x = tf.cast(x, tf.float32)

def f(x):
  y = x**2 + 2*x - 5
  return y

y = f(x) + tf.constant(np.random.default_rng(0).normal(size=[201]), tf.float32)  # adapted: was tf.random.normal
print(round(float(tf.reduce_mean(y)), 4))  # adapted: a float32 sum's last digit depends on its order

# cell 57
print('--- cell 57')
class Model(tf.Module):

  def __init__(self):
    # Randomly generate weight and bias terms
    rand_init = tf.constant([3.6, 1.2, 4.1])  # adapted: was tf.random.uniform(shape=[3], minval=0., maxval=5., seed=22)
    # Initialize model parameters
    self.w_q = tf.Variable(rand_init[0])
    self.w_l = tf.Variable(rand_init[1])
    self.b = tf.Variable(rand_init[2])
  
  @tf.function
  def __call__(self, x):
    # Quadratic Model : quadratic_weight * x^2 + linear_weight * x + bias
    return self.w_q * (x**2) + self.w_l * x + self.b

# cell 59
print('--- cell 59')
quad_model = Model()

# cell 63
print('--- cell 63')
def mse_loss(y_pred, y):
  return tf.reduce_mean(tf.square(y_pred - y))

# cell 65
print('--- cell 65')
batch_size = 32
dataset = tf.data.Dataset.from_tensor_slices((x, y))
dataset = dataset.batch(batch_size)  # adapted: no shuffle (random streams differ by design)

# cell 66
print('--- cell 66')
# Set training parameters
epochs = 100
learning_rate = 0.01
losses = []

# Format training loop
for epoch in range(epochs):
  for x_batch, y_batch in dataset:
    with tf.GradientTape() as tape:
      batch_loss = mse_loss(quad_model(x_batch), y_batch)
    # Update parameters with respect to the gradient calculations
    grads = tape.gradient(batch_loss, quad_model.variables)
    for g,v in zip(grads, quad_model.variables):
        v.assign_sub(learning_rate*g)
  # Keep track of model loss per epoch
  loss = mse_loss(quad_model(x), y)
  losses.append(loss)
  if epoch % 10 == 0:
    print(f'Mean squared error for step {epoch}: {loss.numpy():0.3f}')

print([round(float(v), 3) for v in quad_model.variables])  # adapted: instead of the plot

