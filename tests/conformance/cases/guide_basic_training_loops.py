# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "Basic training loops" (site/en/guide/basic_training_loops.ipynb): its code cells, each
printing what the notebook shows. Left out: the matplotlib plots (cells 3, 10; the plot lines of 6
and 11) and the Keras Model cells (12-14: tf.keras.Model, compile/fit, save_weights). Adapted: a
fixed noise vector instead of tf.random.normal (random streams differ by design)."""
# cell 1
print('--- cell 1')
import tensorflow as tf


# cell 2
print('--- cell 2')
# The actual line
TRUE_W = 3.0
TRUE_B = 2.0

NUM_EXAMPLES = 201

# A vector of random x values
x = tf.linspace(-2,2, NUM_EXAMPLES)
x = tf.cast(x, tf.float32)

def f(x):
  return x * TRUE_W + TRUE_B

# Generate some noise
noise = tf.sin(tf.range(NUM_EXAMPLES, dtype=tf.float32) * 12.9898)  # fixed: was tf.random.normal

# Calculate y
y = f(x) + noise

# cell 4
print('--- cell 4')
class MyModel(tf.Module):
  def __init__(self, **kwargs):
    super().__init__(**kwargs)
    # Initialize the weights to `5.0` and the bias to `0.0`
    # In practice, these should be randomly initialized
    self.w = tf.Variable(5.0)
    self.b = tf.Variable(0.0)

  def __call__(self, x):
    return self.w * x + self.b

model = MyModel()

# List the variables tf.modules's built-in variable aggregation.
print("Variables:", model.variables)

# Verify the model works
assert model(3.0).numpy() == 15.0

# cell 5
print('--- cell 5')
# This computes a single loss value for an entire batch
def loss(target_y, predicted_y):
  return tf.reduce_mean(tf.square(target_y - predicted_y))

# cell 6
print('--- cell 6')

print("Current loss: %1.6f" % loss(y, model(x)).numpy())

# cell 7
print('--- cell 7')
# Given a callable model, inputs, outputs, and a learning rate...
def train(model, x, y, learning_rate):

  with tf.GradientTape() as t:
    # Trainable variables are automatically tracked by GradientTape
    current_loss = loss(y, model(x))

  # Use GradientTape to calculate the gradients with respect to W and b
  dw, db = t.gradient(current_loss, [model.w, model.b])

  # Subtract the gradient scaled by the learning rate
  model.w.assign_sub(learning_rate * dw)
  model.b.assign_sub(learning_rate * db)

# cell 8
print('--- cell 8')
model = MyModel()

# Collect the history of W-values and b-values to plot later
weights = []
biases = []
epochs = range(10)

# Define a training loop
def report(model, loss):
  return f"W = {model.w.numpy():1.2f}, b = {model.b.numpy():1.2f}, loss={loss:2.5f}"


def training_loop(model, x, y):

  for epoch in epochs:
    # Update the model with the single giant batch
    train(model, x, y, learning_rate=0.1)

    # Track this before I update
    weights.append(model.w.numpy())
    biases.append(model.b.numpy())
    current_loss = loss(y, model(x))

    print(f"Epoch {epoch:2d}:")
    print("    ", report(model, current_loss))

# cell 9
print('--- cell 9')
current_loss = loss(y, model(x))

print(f"Starting:")
print("    ", report(model, current_loss))

_ = (training_loop(model, x, y))
if _ is not None:
    print(repr(_))

# cell 11
print('--- cell 11')

print("Current loss: %1.6f" % loss(model(x), y).numpy())

