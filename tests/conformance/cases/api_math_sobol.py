# tf.math.sobol_sample: the first points, skip, dtypes.
import tensorflow as tf

print(tf.math.sobol_sample(3, 5).numpy().tolist())
print(tf.math.sobol_sample(2, 3, skip=4, dtype=tf.float64).numpy().tolist())
print(tf.math.sobol_sample(5, 9, skip=10).numpy().tolist())
print(tf.math.sobol_sample(1, 2).dtype)
