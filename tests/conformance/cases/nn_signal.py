import numpy as np
import tensorflow as tf

rng = np.random.default_rng(3)
x = tf.constant(rng.uniform(-1, 1, (2, 3, 8)).round(3), tf.float32)
z = tf.complex(x, tf.reverse(x, [-1]))


def show(name, t):
    t = tf.convert_to_tensor(t)
    v = t.numpy().ravel()[:6]
    if np.iscomplexobj(v):
        v = [complex(round(c.real, 2) + 0.0, round(c.imag, 2) + 0.0) for c in v]
    else:
        v = np.round(v.astype(np.float64), 3).tolist()
    print(name, t.shape, t.dtype, v)


for f in ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"]:
    show(f, getattr(tf.signal, f)(z))
show("fft c128", tf.signal.fft(tf.cast(z, tf.complex128)))
for f, n in [("rfft", None), ("rfft", [5]), ("rfft", [12]), ("rfft2d", None), ("rfft2d", [2, 6]), ("rfft3d", None)]:
    show(f"{f} {n}", getattr(tf.signal, f)(x, n))
spec = tf.signal.rfft(x)
for f, n in [("irfft", None), ("irfft", [7]), ("irfft", [12])]:
    show(f"{f} {n}", getattr(tf.signal, f)(spec, n))
show("irfft2d", tf.signal.irfft2d(tf.signal.rfft2d(x)))
show("irfft3d", tf.signal.irfft3d(tf.signal.rfft3d(x), [2, 3, 6]))
show("fftshift", tf.signal.fftshift(x))
show("fftshift ax", tf.signal.fftshift(x, axes=1))
show("ifftshift", tf.signal.ifftshift(x, axes=[0, 2]))
show("frame", tf.signal.frame(x, 3, 2))
show("frame pad", tf.signal.frame(x, 3, 2, pad_end=True, pad_value=9.0))
show("frame axis", tf.signal.frame(x, 2, 1, axis=1))
show("ola", tf.signal.overlap_and_add(x, 3))
show("ola step", tf.signal.overlap_and_add(x, 8))
for w in ["hann_window", "hamming_window"]:
    for n, p in [(1, True), (5, True), (6, True), (6, False)]:
        show(f"{w} {n} {p}", getattr(tf.signal, w)(n, periodic=p))
show("hann f64", tf.signal.hann_window(5, dtype=tf.float64))
show("kaiser", tf.signal.kaiser_window(7))
show("kaiser b", tf.signal.kaiser_window(6, beta=3.0))
show("kbd", tf.signal.kaiser_bessel_derived_window(8))
show("vorbis", tf.signal.vorbis_window(6))
sig = tf.constant(rng.uniform(-1, 1, (2, 100)), tf.float32)
show("stft", tf.signal.stft(sig, 16, 8))
show("stft pad", tf.signal.stft(sig, 15, 7, fft_length=20, pad_end=True))
show("stft nowin", tf.signal.stft(sig, 16, 8, window_fn=None))
show("istft", tf.signal.inverse_stft(tf.signal.stft(sig, 16, 4), 16, 4))
show("istft inv", tf.signal.inverse_stft(tf.signal.stft(sig, 16, 4), 16, 4,
                                         window_fn=tf.signal.inverse_stft_window_fn(4)))
show("inv win", tf.signal.inverse_stft_window_fn(2)(4, tf.float32))
for t in [1, 2, 3, 4]:
    show(f"dct{t}", tf.signal.dct(x, type=t))
    show(f"idct{t}", tf.signal.idct(x, type=t))
    if t != 1:
        show(f"dct{t} ortho", tf.signal.dct(x, type=t, norm="ortho"))
        show(f"idct{t} ortho", tf.signal.idct(x, type=t, norm="ortho"))
show("dct n", tf.signal.dct(x, n=5))
show("dct n pad", tf.signal.dct(x, n=11))
show("mdct", tf.signal.mdct(sig, 8))
show("mdct kbd", tf.signal.mdct(sig, 12, window_fn=tf.signal.kaiser_bessel_derived_window, pad_end=True, norm="ortho"))
show("imdct", tf.signal.inverse_mdct(tf.signal.mdct(sig, 8)))
show("imdct ortho", tf.signal.inverse_mdct(tf.signal.mdct(sig, 8, norm="ortho"), norm="ortho"))
show("mel", tf.signal.linear_to_mel_weight_matrix())
m = tf.signal.linear_to_mel_weight_matrix(10, 33, 16000, 20.0, 8000.0, tf.float64)
show("mel2", m)
print(np.round(m.numpy()[5:9], 4).tolist())
show("mfcc", tf.signal.mfccs_from_log_mel_spectrograms(x))

with tf.GradientTape(persistent=True) as tape:
    tape.watch([x, z])
    ys = [tf.math.real(tf.signal.fft(z)) ** 2, tf.math.imag(tf.signal.ifft2d(z)),
          tf.abs(tf.signal.rfft(x)), tf.abs(tf.signal.rfft(x, [11])),
          tf.signal.irfft(tf.signal.rfft(x) * tf.signal.rfft(x)), tf.signal.irfft(z),
          tf.abs(tf.signal.rfft2d(x)), tf.signal.irfft2d(z),
          tf.abs(tf.signal.stft(x, 4, 2)), tf.signal.dct(x, type=3) ** 2, tf.signal.frame(x, 3, 2) ** 2,
          tf.signal.overlap_and_add(x, 3) ** 2, tf.signal.mdct(tf.reshape(x, [6, 8]), 4) ** 2]
for i, y in enumerate(ys):
    gx, gz = tape.gradient(y, [x, z])
    show(f"grad{i}", gx if gx is not None else gz)

for call in [lambda: tf.signal.fft(x), lambda: tf.signal.rfft(z), lambda: tf.signal.irfft(x),
             lambda: tf.signal.fft2d(tf.constant([1.0 + 0j])), lambda: tf.signal.dct(x, type=5),
             lambda: tf.signal.dct(x, type=1, norm="ortho"), lambda: tf.signal.dct(x, axis=0),
             lambda: tf.signal.mdct(sig, 6), lambda: tf.signal.hann_window(4, dtype=tf.int32),
             lambda: tf.signal.linear_to_mel_weight_matrix(upper_edge_hertz=5000.0),
             lambda: tf.signal.linear_to_mel_weight_matrix(num_mel_bins=0),
             lambda: tf.signal.overlap_and_add(x[0, 0], 2)]:
    try:
        call()
        print("no error")
    except Exception as e:
        print(type(e).__name__)
