"""What users see when they print a concrete function: str is TF's pretty-printed signature, repr the
one-line form, and a function that captures a variable lists it under Captures."""
import tensorflow as tf

f = tf.function(lambda x: x * 2)
c = f.get_concrete_function(tf.TensorSpec([2], tf.float32))
print(c)
print(repr(c).split(" at ")[0])
print(c(tf.constant([1., 2.])))
print(c.structured_input_signature)
print(f.experimental_get_tracing_count())

v = tf.Variable(3.0)


@tf.function
def scale(x, k=2):
    return x * v * k


c2 = scale.get_concrete_function(tf.TensorSpec([2], tf.float32))
text = str(c2).splitlines()
print("\n".join(line if not line.strip()[:1].isdigit() else "  <id>: " + line.split(": ", 1)[1] for line in text))
print(c2(tf.constant([1., 2.])))
