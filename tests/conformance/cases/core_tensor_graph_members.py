# The graph members of an eager tensor, cpu() and gpu()
import tensorflow as tf
x = tf.constant([1.0])
def t(name, f):
    try:
        r = f()
        print(name, "->", repr(r))
    except Exception as e:
        print(name, "!!", type(e).__name__, e)
print(x.cpu(), x.cpu().device)
for a in ["value_index", "name", "op", "graph"]:
    t(a, lambda a=a: getattr(x, a))
    print(hasattr(x, a))
t("consumers", lambda: x.consumers())
t("gpu", lambda: x.gpu())
t("gpu3", lambda: x.gpu(3))
print(callable(x.cpu), callable(x.consumers))
