# The code cells of TensorFlow's guide/function.ipynb that print the same in eagerflow (cells 10-12,
# None dimensions in a signature, trace once per concrete shape here: docs/differences_from_tensorflow.md).
# cell 1
import tensorflow as tf

# cell 2
import contextlib

# Some helper code to demonstrate the kinds of errors you might encounter.
@contextlib.contextmanager
def assert_raises(error_class):
  try:
    yield
  except error_class:
    print('Caught expected exception \n  {}:'.format(error_class))
    pass  # (the traceback's text is TF's own)
  except Exception as e:
    raise e
  else:
    raise Exception('Expected {} to be raised but no error was raised!'.format(
        error_class))

# cell 3
@tf.function  # The decorator converts `add` into a `PolymorphicFunction`.
def add(a, b):
  return a + b

print(repr(add(tf.ones([2, 2]), tf.ones([2, 2]))))

# cell 4
v = tf.Variable(1.0)
with tf.GradientTape() as tape:
  result = add(v, 1.0)
print(repr(tape.gradient(result, v)))

# cell 5
@tf.function
def dense_layer(x, w, b):
  return add(tf.matmul(x, w), b)

print(repr(dense_layer(tf.ones([3, 2]), tf.ones([2, 2]), tf.ones([2]))))

# cell 7
@tf.function
def double(a):
  print("Tracing with", a)
  return a + a

print(double(tf.constant(1)))
print()
print(double(tf.constant(1.1)))
print()
print(double(tf.constant("a")))
print()

# cell 8
# This doesn't print 'Tracing with ...'
print(double(tf.constant("b")))

# cell 9
print(double.pretty_printed_concrete_signatures())

# cell 14
def f():
  print('Tracing!')
  tf.print('Executing')

tf.function(f)()
tf.function(f)()
