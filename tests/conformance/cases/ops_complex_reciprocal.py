# reciprocal and division of complex values: Eigen's vectorized division (scaled by max(|re|, |im|), every step
# flushed: 0j gives nan+nanj, a denormal part reads as 0) for the first n - n % 4 complex64 / n - n % 2
# complex128 elements of the (broadcast) output, C++'s std::complex division for the rest (0j gives inf+nanj);
# divide_no_nan of complex values: 0 (+0) where y is 0 or x * conj(y) is 0
import numpy as np
import tensorflow as tf

inf, nan = np.inf, np.nan


def parts(t):
    return [(str(z.real), str(z.imag)) for z in t.numpy().ravel()]


mixed = [0j, 1j, 2, 1e-40, 1e-40j, 3 + 4j, 0j]
odd = [1e-320, 1e-320j, 1e30 + 1e30j, inf, complex(inf, 1), complex(nan, 0), 1e-20, 1e-25j, 1e-310, 5e-324j,
       1e20 + 1e-20j, 3e38j]
tail = [1, 1, 1, 1, 1e-320, 1e-320j, 1e30 + 1e30j, 1e-20, 1e-25j, 1e20 + 1e-20j]
for dt in (tf.complex64, tf.complex128):
    for n in range(1, 10):
        print(dt.name, n, parts(tf.math.reciprocal(tf.zeros([n], dt))))
    for name, values in (("mixed", mixed), ("odd", odd), ("tail", tail)):
        print(dt.name, name, parts(tf.math.reciprocal(tf.constant(np.array(values), dt))))
    print(dt.name, "2-D", parts(tf.math.reciprocal(tf.zeros([2, 3], dt))))

values = [3 + 4j, 1e-20 + 1e20j, complex(inf, 1), complex(nan, 0), 1e30 + 1e30j, 2 + 1e-30j, complex(-0.0, -0.0),
          complex(0, -0.0), 1e-38 + 1e-38j, 5e37 + 5e37j, complex(1, inf), complex(-inf, -inf), -2 - 3j, 1e-25j]
for dt in (tf.complex64, tf.complex128):
    for lead in (0, 1, 2, 3):   # the value last, after `lead` ones: in a packet or in the scalar tail
        print(dt.name, lead, [parts(tf.math.reciprocal(tf.constant(np.array([1 + 0j] * lead + [v]), dt)))[-1]
                              for v in values])

a = np.array([1e-20 + 0j, 1e-20j, 1e-30 + 1e-30j, 3 + 4j, -0.0 + 0j, 1e20 + 1e20j, complex(nan, 0), complex(inf, 0),
              1e-40 + 0j])
b = np.array([1e-20j, 1e-20 + 0j, 1e-10 + 0j, 1 - 2j, -1 + 0j, 1e-20 + 0j, 0j, 1 + 0j, 1 + 0j])
zeros_a = np.array([0j, 1 + 0j, complex(-0.0, 0), complex(0, -0.0), 0j, 2j, complex(-0.0, -0.0)])
zeros_b = np.array([0j, 0j, 0j, 0j, complex(-0.0, 0), 0j, 0j])
for dt in (tf.complex64, tf.complex128):
    print(dt.name, parts(tf.math.divide_no_nan(tf.constant(a, dt), tf.constant(b, dt))))
    print(dt.name, parts(tf.math.divide_no_nan(tf.constant(a, dt), tf.constant(1 + 1j, dt))))
    print(dt.name, parts(tf.math.divide_no_nan(tf.constant(zeros_a, dt), tf.constant(zeros_b, dt))))
    print(dt.name, parts(tf.math.divide_no_nan(tf.constant(zeros_a, dt), tf.constant(1 + 1j, dt))))
print(tf.math.divide_no_nan(tf.constant([1.0, -1.0, 0.0]), tf.constant([0.0, -0.0, 0.0])).numpy())
print(tf.math.divide_no_nan(tf.constant([1, 2]), tf.constant([0, 4])).numpy())

nums = np.array([1 + 2j, 0j, complex(inf, 1), complex(nan, 0), 1e30 + 1e30j, -3 + 0j, complex(0, -0.0), 1e-20 + 1e-20j,
                 2j, complex(1, inf), 5 + 5j])
dens = np.array([0j, 0j, 1 + 1j, 2 + 0j, 1e-30 + 1e-30j, complex(inf, 0), 1 + 1j, 1e-20j, 3e38 + 0j, 1 + 0j,
                 1e-40 + 0j])
for dt in (tf.complex64, tf.complex128):
    for n in (11, 10, 9, 8, 7, 3):
        print(dt.name, n, parts(tf.constant(nums[:n], dt) / tf.constant(dens[:n], dt)))
    print(dt.name, "scalar numerator", parts(tf.constant(1 + 1j, dt) / tf.constant(dens, dt)))
    print(dt.name, "scalar denominator", parts(tf.constant(nums, dt) / tf.constant(0j, dt)))
    print(dt.name, "1 / x", parts(1 / tf.constant(dens[:7], dt)))
    print(dt.name, "broadcast", parts(tf.reshape(tf.constant(nums[:6], dt), [2, 3]) / tf.constant(dens[:3], dt)))
    print(dt.name, "broadcast both", parts(tf.reshape(tf.constant(nums[:3], dt), [3, 1])
                                           / tf.reshape(tf.constant(dens[:2], dt), [1, 2])))
    print(dt.name, "divide", parts(tf.math.divide(tf.ones([5], dt), tf.zeros([5], dt))))
