# ruff: noqa  (the guide's code, kept as TF's docs write it)
"""TF guide "Introduction to Tensors" (site/en/guide/tensor.ipynb): its code cells, each printing what
the notebook shows. Left out: the cells about ragged tensors (95, 97), string tensors (100-115) and
sparse tensors (119). Adapted: the softmax of cell 26 is printed to 6 digits (TF's float32 exp differs
from NumPy's in the last digit), and cells 74 and 93 print the error's class (the messages differ)."""
# cell 4
print('--- cell 4')
import tensorflow as tf
import numpy as np

# cell 8
print('--- cell 8')
# This will be an int32 tensor by default; see "dtypes" below.
rank_0_tensor = tf.constant(4)
print(rank_0_tensor)

# cell 10
print('--- cell 10')
# Let's make this a float tensor.
rank_1_tensor = tf.constant([2.0, 3.0, 4.0])
print(rank_1_tensor)

# cell 12
print('--- cell 12')
# If you want to be specific, you can set the dtype (see below) at creation time
rank_2_tensor = tf.constant([[1, 2],
                             [3, 4],
                             [5, 6]], dtype=tf.float16)
print(rank_2_tensor)

# cell 15
print('--- cell 15')
# There can be an arbitrary number of
# axes (sometimes called "dimensions")
rank_3_tensor = tf.constant([
  [[0, 1, 2, 3, 4],
   [5, 6, 7, 8, 9]],
  [[10, 11, 12, 13, 14],
   [15, 16, 17, 18, 19]],
  [[20, 21, 22, 23, 24],
   [25, 26, 27, 28, 29]],])

print(rank_3_tensor)

# cell 19
print('--- cell 19')
_ = (np.array(rank_2_tensor))
if _ is not None:
    print(repr(_))

# cell 20
print('--- cell 20')
_ = (rank_2_tensor.numpy())
if _ is not None:
    print(repr(_))

# cell 23
print('--- cell 23')
a = tf.constant([[1, 2],
                 [3, 4]])
b = tf.constant([[1, 1],
                 [1, 1]]) # Could have also said `tf.ones([2,2], dtype=tf.int32)`

print(tf.add(a, b), "\n")
print(tf.multiply(a, b), "\n")
print(tf.matmul(a, b), "\n")

# cell 24
print('--- cell 24')
print(a + b, "\n") # element-wise addition
print(a * b, "\n") # element-wise multiplication
print(a @ b, "\n") # matrix multiplication

# cell 26
print('--- cell 26')
c = tf.constant([[4.0, 5.0], [10.0, 1.0]])

# Find the largest value
print(tf.reduce_max(c))
# Find the index of the largest value
print(tf.math.argmax(c))
# Compute the softmax
print(tf.round(tf.nn.softmax(c) * 1e6) / 1e6)  # adapted: 6 digits (the last float32 digit of exp differs)

# cell 28
print('--- cell 28')
_ = (tf.convert_to_tensor([1,2,3]))
if _ is not None:
    print(repr(_))

# cell 29
print('--- cell 29')
_ = (tf.reduce_max([1,2,3]))
if _ is not None:
    print(repr(_))

# cell 30
print('--- cell 30')
_ = (tf.reduce_max(np.array([1,2,3])))
if _ is not None:
    print(repr(_))

# cell 35
print('--- cell 35')
rank_4_tensor = tf.zeros([3, 2, 4, 5])

# cell 37
print('--- cell 37')
print("Type of every element:", rank_4_tensor.dtype)
print("Number of axes:", rank_4_tensor.ndim)
print("Shape of tensor:", rank_4_tensor.shape)
print("Elements along axis 0 of tensor:", rank_4_tensor.shape[0])
print("Elements along the last axis of tensor:", rank_4_tensor.shape[-1])
print("Total number of elements (3*2*4*5): ", tf.size(rank_4_tensor).numpy())

# cell 39
print('--- cell 39')
_ = (tf.rank(rank_4_tensor))
if _ is not None:
    print(repr(_))

# cell 40
print('--- cell 40')
_ = (tf.shape(rank_4_tensor))
if _ is not None:
    print(repr(_))

# cell 44
print('--- cell 44')
rank_1_tensor = tf.constant([0, 1, 1, 2, 3, 5, 8, 13, 21, 34])
print(rank_1_tensor.numpy())

# cell 46
print('--- cell 46')
print("First:", rank_1_tensor[0].numpy())
print("Second:", rank_1_tensor[1].numpy())
print("Last:", rank_1_tensor[-1].numpy())

# cell 48
print('--- cell 48')
print("Everything:", rank_1_tensor[:].numpy())
print("Before 4:", rank_1_tensor[:4].numpy())
print("From 4 to the end:", rank_1_tensor[4:].numpy())
print("From 2, before 7:", rank_1_tensor[2:7].numpy())
print("Every other item:", rank_1_tensor[::2].numpy())
print("Reversed:", rank_1_tensor[::-1].numpy())

# cell 51
print('--- cell 51')
print(rank_2_tensor.numpy())

# cell 53
print('--- cell 53')
# Pull out a single value from a 2-rank tensor
print(rank_2_tensor[1, 1].numpy())

# cell 55
print('--- cell 55')
# Get row and column tensors
print("Second row:", rank_2_tensor[1, :].numpy())
print("Second column:", rank_2_tensor[:, 1].numpy())
print("Last row:", rank_2_tensor[-1, :].numpy())
print("First item in last column:", rank_2_tensor[0, -1].numpy())
print("Skip the first row:")
print(rank_2_tensor[1:, :].numpy(), "\n")

# cell 57
print('--- cell 57')
print(rank_3_tensor[:, :, 4])

# cell 61
print('--- cell 61')
# Shape returns a `TensorShape` object that shows the size along each axis
x = tf.constant([[1], [2], [3]])
print(x.shape)

# cell 62
print('--- cell 62')
# You can convert this object into a Python list, too
print(x.shape.as_list())

# cell 64
print('--- cell 64')
# You can reshape a tensor to a new shape.
# Note that you're passing in a list
reshaped = tf.reshape(x, [1, 3])

# cell 65
print('--- cell 65')
print(x.shape)
print(reshaped.shape)

# cell 67
print('--- cell 67')
print(rank_3_tensor)

# cell 69
print('--- cell 69')
# A `-1` passed in the `shape` argument says "Whatever fits".
print(tf.reshape(rank_3_tensor, [-1]))

# cell 71
print('--- cell 71')
print(tf.reshape(rank_3_tensor, [3*2, 5]), "\n")
print(tf.reshape(rank_3_tensor, [3, -1]))

# cell 74
print('--- cell 74')
# Bad examples: don't do this

# You can't reorder axes with reshape.
print(tf.reshape(rank_3_tensor, [2, 3, 5]), "\n") 

# This is a mess
print(tf.reshape(rank_3_tensor, [5, 6]), "\n")

# This doesn't work at all
try:
  tf.reshape(rank_3_tensor, [7, -1])
except Exception as e:
  print(f"{type(e).__name__}")  # adapted: the class (eagerflow's messages say more)

# cell 78
print('--- cell 78')
the_f64_tensor = tf.constant([2.2, 3.3, 4.4], dtype=tf.float64)
the_f16_tensor = tf.cast(the_f64_tensor, dtype=tf.float16)
# Now, cast to an uint8 and lose the decimal precision
the_u8_tensor = tf.cast(the_f16_tensor, dtype=tf.uint8)
print(the_u8_tensor)

# cell 80
print('--- cell 80')
x = tf.constant([1, 2, 3])

y = tf.constant(2)
z = tf.constant([2, 2, 2])
# All of these are the same computation
print(tf.multiply(x, 2))
print(x * y)
print(x * z)

# cell 82
print('--- cell 82')
# These are the same computations
x = tf.reshape(x,[3,1])
y = tf.range(1, 5)
print(x, "\n")
print(y, "\n")
print(tf.multiply(x, y))

# cell 85
print('--- cell 85')
x_stretch = tf.constant([[1, 1, 1, 1],
                         [2, 2, 2, 2],
                         [3, 3, 3, 3]])

y_stretch = tf.constant([[1, 2, 3, 4],
                         [1, 2, 3, 4],
                         [1, 2, 3, 4]])

print(x_stretch * y_stretch)  # Again, operator overloading

# cell 87
print('--- cell 87')
print(tf.broadcast_to(tf.constant([1, 2, 3]), [3, 3]))

# cell 92
print('--- cell 92')
ragged_list = [
    [0, 1, 2, 3],
    [4, 5],
    [6, 7, 8],
    [9]]

# cell 93
print('--- cell 93')
try:
  tensor = tf.constant(ragged_list)
except Exception as e:
  print(f"{type(e).__name__}")  # adapted: the class (eagerflow's messages say more)

