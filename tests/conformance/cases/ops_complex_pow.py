# complex pow as TF's std::pow (C's cpow: exp(y * log(x))): special values of 0 and inf, signs of zero, rounding
import numpy as np
import tensorflow as tf
xs = np.array([0j, 1j, -1 + 0j, 2 + 3j, 0.5 - 0.25j, -3 - 4j, 1e-3 + 2j, complex(np.inf, 0), complex(0, -2)],
              np.complex64)
for e in [-1, -2, 0, 1, 2, 3, 0.5, -0.5, 1 + 1j, 2.5 - 1j]:
    r = tf.pow(tf.constant(xs), tf.constant(np.complex64(e)))
    print(e, [complex(round(v.real, 5), round(v.imag, 5)) if np.isfinite(v) else complex(v) for v in r.numpy()])
r = tf.pow(tf.constant(xs.astype(np.complex128)), tf.constant(np.complex128(2 - 1j)))
print([complex(round(v.real, 9), round(v.imag, 9)) if np.isfinite(v) else complex(v) for v in r.numpy()])
print(tf.constant(0j) ** -1, tf.constant(0j, tf.complex128) ** -1)
