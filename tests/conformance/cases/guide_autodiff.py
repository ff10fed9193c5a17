# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "Introduction to gradients and automatic differentiation" (site/en/guide/autodiff.ipynb):
its code cells, each printing what the notebook shows. Left out: the matplotlib plot (cell 22) and
tf.image.adjust_contrast (cell 30, image ops). Adapted: fixed values instead of tf.random.normal
(random streams differ by design); cell 9 prints the variables' shapes rather than Keras 3's
variable names; cell 26 prints whether x is a tf.Variable instead of TF's internal class names."""
# cell 1
print('--- cell 1')
import numpy as np

import tensorflow as tf

# cell 2
print('--- cell 2')
x = tf.Variable(3.0)

with tf.GradientTape() as tape:
  y = x**2

# cell 3
print('--- cell 3')
# dy = 2x * dx
dy_dx = tape.gradient(y, x)
_ = (dy_dx.numpy())
if _ is not None:
    print(repr(_))

# cell 4
print('--- cell 4')
w = tf.Variable([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]], name='w')  # fixed: was tf.random.normal((3, 2))
b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
x = [[1., 2., 3.]]

with tf.GradientTape(persistent=True) as tape:
  y = x @ w + b
  loss = tf.reduce_mean(y**2)

# cell 5
print('--- cell 5')
[dl_dw, dl_db] = tape.gradient(loss, [w, b])

# cell 6
print('--- cell 6')
print(w.shape)
print(dl_dw.shape)

# cell 7
print('--- cell 7')
my_vars = {
    'w': w,
    'b': b
}

grad = tape.gradient(loss, my_vars)
_ = (grad['b'])
if _ is not None:
    print(repr(_))

# cell 8
print('--- cell 8')
layer = tf.keras.layers.Dense(2, activation='relu')
x = tf.constant([[1., 2., 3.]])

with tf.GradientTape() as tape:
  # Forward pass
  y = layer(x)
  loss = tf.reduce_mean(y**2)

# Calculate gradients with respect to every trainable variable
grad = tape.gradient(loss, layer.trainable_variables)

# cell 9
print('--- cell 9')
for var, g in zip(layer.trainable_variables, grad):
  print(f'{var.shape}, shape: {g.shape}')  # Keras 3 names these 'kernel', 'bias'

# cell 10
print('--- cell 10')
# A trainable variable
x0 = tf.Variable(3.0, name='x0')
# Not trainable
x1 = tf.Variable(3.0, name='x1', trainable=False)
# Not a Variable: A variable + tensor returns a tensor.
x2 = tf.Variable(2.0, name='x2') + 1.0
# Not a variable
x3 = tf.constant(3.0, name='x3')

with tf.GradientTape() as tape:
  y = (x0**2) + (x1**2) + (x2**2)

grad = tape.gradient(y, [x0, x1, x2, x3])

for g in grad:
  print(g)

# cell 11
print('--- cell 11')
_ = ([var.name for var in tape.watched_variables()])
if _ is not None:
    print(repr(_))

# cell 12
print('--- cell 12')
x = tf.constant(3.0)
with tf.GradientTape() as tape:
  tape.watch(x)
  y = x**2

# dy = 2x * dx
dy_dx = tape.gradient(y, x)
print(dy_dx.numpy())

# cell 13
print('--- cell 13')
x0 = tf.Variable(0.0)
x1 = tf.Variable(10.0)

with tf.GradientTape(watch_accessed_variables=False) as tape:
  tape.watch(x1)
  y0 = tf.math.sin(x0)
  y1 = tf.nn.softplus(x1)
  y = y0 + y1
  ys = tf.reduce_sum(y)

# cell 14
print('--- cell 14')
# dys/dx1 = exp(x1) / (1 + exp(x1)) = sigmoid(x1)
grad = tape.gradient(ys, {'x0': x0, 'x1': x1})

print('dy/dx0:', grad['x0'])
print('dy/dx1:', grad['x1'].numpy())

# cell 15
print('--- cell 15')
x = tf.constant(3.0)

with tf.GradientTape() as tape:
  tape.watch(x)
  y = x * x
  z = y * y

# Use the tape to compute the gradient of z with respect to the
# intermediate value y.
# dz_dy = 2 * y and y = x ** 2 = 9
print(tape.gradient(z, y).numpy())

# cell 16
print('--- cell 16')
x = tf.constant([1, 3.0])
with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  y = x * x
  z = y * y

print(tape.gradient(z, x).numpy())  # [4.0, 108.0] (4 * x**3 at x = [1.0, 3.0])
print(tape.gradient(y, x).numpy())  # [2.0, 6.0] (2 * x at x = [1.0, 3.0])

# cell 17
print('--- cell 17')
del tape   # Drop the reference to the tape

# cell 18
print('--- cell 18')
x = tf.Variable(2.0)
with tf.GradientTape(persistent=True) as tape:
  y0 = x**2
  y1 = 1 / x

print(tape.gradient(y0, x).numpy())
print(tape.gradient(y1, x).numpy())

# cell 19
print('--- cell 19')
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
  y0 = x**2
  y1 = 1 / x

print(tape.gradient({'y0': y0, 'y1': y1}, x).numpy())

# cell 20
print('--- cell 20')
x = tf.Variable(2.)

with tf.GradientTape() as tape:
  y = x * [3., 4.]

print(tape.gradient(y, x).numpy())

# cell 21
print('--- cell 21')
x = tf.linspace(-10.0, 10.0, 200+1)

with tf.GradientTape() as tape:
  tape.watch(x)
  y = tf.nn.sigmoid(x)

dy_dx = tape.gradient(y, x)

# cell 23
print('--- cell 23')
x = tf.constant(1.0)

v0 = tf.Variable(2.0)
v1 = tf.Variable(2.0)

with tf.GradientTape(persistent=True) as tape:
  tape.watch(x)
  if x > 0.0:
    result = v0
  else:
    result = v1**2 

dv0, dv1 = tape.gradient(result, [v0, v1])

print(dv0)
print(dv1)

# cell 24
print('--- cell 24')
dx = tape.gradient(result, x)

print(dx)

# cell 25
print('--- cell 25')
x = tf.Variable(2.)
y = tf.Variable(3.)

with tf.GradientTape() as tape:
  z = y * y
print(tape.gradient(z, x))

# cell 26
print('--- cell 26')
x = tf.Variable(2.0)

for epoch in range(2):
  with tf.GradientTape() as tape:
    y = x+1

  print(isinstance(x, tf.Variable), ":", tape.gradient(y, x))  # TF prints its class names here
  x = x + 1   # This should be `x.assign_add(1)`

# cell 27
print('--- cell 27')
x = tf.Variable([[1.0, 2.0],
                 [3.0, 4.0]], dtype=tf.float32)

with tf.GradientTape() as tape:
  x2 = x**2

  # This step is calculated with NumPy
  y = np.mean(x2, axis=0)

  # Like most ops, reduce_mean will cast the NumPy array to a constant tensor
  # using `tf.convert_to_tensor`.
  y = tf.reduce_mean(y, axis=0)

print(tape.gradient(y, x))

# cell 28
print('--- cell 28')
x = tf.constant(10)

with tf.GradientTape() as g:
  g.watch(x)
  y = x * x

print(g.gradient(y, x))

# cell 29
print('--- cell 29')
x0 = tf.Variable(3.0)
x1 = tf.Variable(0.0)

with tf.GradientTape() as tape:
  # Update x1 = x1 + x0.
  x1.assign_add(x0)
  # The tape starts recording from x1.
  y = x1**2   # y = (x1 + x0)**2

# This doesn't work.
print(tape.gradient(y, x0))   #dy/dx0 = 2*(x1 + x0)

# cell 31
print('--- cell 31')
x = tf.Variable([2., 2.])
y = tf.Variable(3.)

with tf.GradientTape() as tape:
  z = y**2
print(tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO))

