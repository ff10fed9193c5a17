# Variable row scatters (IndexedSlices), nd max/min, batch_scatter_update, count_up_to, load and the members
# eager TF refuses
import tensorflow as tf

I = tf.IndexedSlices


def t(name, f):
    try:
        r = f()
        print(name, "->", repr(r))
    except Exception as e:
        print(name, "!!", type(e).__name__)


v = tf.Variable([1.0, 2.0, 3.0, 4.0])
s = I(tf.constant([10.0, 20.0]), tf.constant([0, 2]))
for m in ["scatter_update", "scatter_add", "scatter_sub", "scatter_max", "scatter_min", "scatter_mul",
          "scatter_div", "batch_scatter_update"]:
    r = getattr(v, m)(s)
    print(m, r, r.name, r is v, isinstance(r, tf.Variable))
t("nd_max", lambda: v.scatter_nd_max([[1]], [100.0]))
t("nd_min", lambda: v.scatter_nd_min([[1]], [-100.0]))
t("upd plain", lambda: v.scatter_update(tf.constant([1.0])))
t("upd tuple", lambda: v.scatter_update(([0], [1.0])))
t("upd oob", lambda: v.scatter_update(I(tf.constant([1.0]), tf.constant([7]))))
t("upd neg", lambda: v.scatter_update(I(tf.constant([1.0]), tf.constant([-1]))))
t("upd dup", lambda: v.scatter_update(I(tf.constant([5.0, 6.0]), tf.constant([1, 1]))))
t("add dup", lambda: v.scatter_add(I(tf.constant([5.0, 6.0]), tf.constant([1, 1]))))
t("mul dup", lambda: v.scatter_mul(I(tf.constant([2.0, 3.0, 0.5]), tf.constant([3, 3, 0]))))
t("upd dtype", lambda: v.scatter_update(I(tf.constant([5, 6]), tf.constant([1, 1]))))
t("upd shape", lambda: v.scatter_update(I(tf.constant([5.0, 6.0, 7.0]), tf.constant([1, 1]))))
t("upd scalar upd", lambda: v.scatter_update(I(tf.constant(5.0), tf.constant([1, 2]))))
t("upd scalar idx", lambda: v.scatter_update(I(tf.constant(5.0), tf.constant(1))))
t("upd int64 idx", lambda: v.scatter_update(I(tf.constant([8.0]), tf.constant([1], tf.int64))))
t("upd lists", lambda: v.scatter_update(I([5.0], [1])))
print(v.numpy())
m = tf.Variable([[1, 2], [3, 4], [5, 6]])
t("m upd", lambda: m.scatter_update(I(tf.constant([[7, 8]]), tf.constant([1]))))
t("m div zero", lambda: m.scatter_div(I(tf.constant([[2, 0]]), tf.constant([2]))))
print(m.numpy().tolist())
t("m div neg", lambda: m.scatter_div(I(tf.constant([[-2, 3]]), tf.constant([0]))))
t("m rank", lambda: m.scatter_update(I(tf.constant([1, 2]), tf.constant([1]))))
t("m 2d idx", lambda: m.scatter_update(I(tf.constant([[[7, 7]], [[8, 8]]]), tf.constant([[0], [2]]))))
t("m scalar upd", lambda: m.scatter_add(I(tf.constant(1), tf.constant([0, 0]))))
t("m empty", lambda: m.scatter_add(I(tf.zeros([0, 2], tf.int32), tf.zeros([0], tf.int32))))
t("m nd_max", lambda: m.scatter_nd_max([[0, 0]], [9]))
t("m nd_min row", lambda: m.scatter_nd_min([[0]], [[0, 0]]))
t("m nd_max oob", lambda: m.scatter_nd_max([[5, 0]], [9]))
t("m nd_max neg", lambda: m.scatter_nd_max([[-1, 0]], [9]))
t("m nd_max shape", lambda: m.scatter_nd_max([[0, 0]], [9, 9]))
t("m nd_max dtype", lambda: m.scatter_nd_max([[0, 0]], [9.0]))
t("m nd_max float idx", lambda: m.scatter_nd_max([[0.0, 0]], [9]))
t("m nd_update float idx", lambda: m.scatter_nd_update([[0.0, 0]], [9]))
t("m nd_max dup", lambda: m.scatter_nd_max([[0, 0], [0, 0]], [19, 20]))
t("m batch", lambda: m.batch_scatter_update(I(tf.constant([[7, 8]]), tf.constant([1]))))
b = tf.Variable([[1, 2, 3], [4, 5, 6]])
t("b batch", lambda: b.batch_scatter_update(I(tf.constant([[70], [80]]), tf.constant([[1], [2]]))))
t("b batch2", lambda: b.batch_scatter_update(I(tf.constant([[70, 71], [80, 81]]), tf.constant([[0, 1], [2, 0]]))))
t("b batch bad", lambda: b.batch_scatter_update(I(tf.constant([70]), tf.constant([0]))))
t("b batch oob", lambda: b.batch_scatter_update(I(tf.constant([[70], [80]]), tf.constant([[1], [5]]))))
t("b batch plain", lambda: b.batch_scatter_update([1]))
t("batch 1d var", lambda: tf.Variable([1, 2, 3]).batch_scatter_update(I(tf.constant([9]), tf.constant([1]))))
t("batch 3d", lambda: tf.Variable(tf.zeros([2, 2, 2])).batch_scatter_update(
    I(tf.ones([2, 2, 1]), tf.constant([[[1], [0]], [[0], [1]]]))))
fd = tf.Variable([1.0, 2.0])
t("fdiv0", lambda: fd.scatter_div(I(tf.constant([0.0]), tf.constant([0]))))
t("max nan", lambda: tf.Variable([1.0, float("nan"), 3.0]).scatter_max(
    I(tf.constant([float("nan"), 5.0, 1.0]), tf.constant([0, 1, 2]))))
t("min nan", lambda: tf.Variable([1.0, float("nan"), 3.0]).scatter_min(
    I(tf.constant([float("nan"), 5.0, 1.0]), tf.constant([0, 1, 2]))))
t("ndmax nan", lambda: tf.Variable([1.0, float("nan"), 3.0]).scatter_nd_max([[0], [1], [2]], [float("nan"), 5.0, 1.0]))
t("div int", lambda: tf.Variable([7, -7, 7, -7]).scatter_div(I(tf.constant([2, 2, -2, -2]), tf.constant([0, 1, 2, 3]))))
t("div int dup", lambda: tf.Variable([100]).scatter_div(I(tf.constant([3, 3]), tf.constant([0, 0]))))
t("mul u8", lambda: tf.Variable([200], dtype=tf.uint8).scatter_mul(I(tf.constant([2], tf.uint8), tf.constant([0]))))
t("sub u8", lambda: tf.Variable([1], dtype=tf.uint8).scatter_sub(I(tf.constant([2], tf.uint8), tf.constant([0]))))
sc = tf.Variable(3.0)
t("scalar var upd", lambda: sc.scatter_update(I(tf.constant([1.0]), tf.constant([0]))))
t("scalar var upd2", lambda: sc.scatter_update(I(tf.constant(1.0), tf.constant(0))))
t("chained", lambda: v.scatter_add(I(tf.constant([1.0]), tf.constant([0]))).scatter_add(
    I(tf.constant([1.0]), tf.constant([0]))))
t("use_locking", lambda: v.scatter_add(I(tf.constant([1.0]), tf.constant([0])), use_locking=True, name="x"))
t("unread later", lambda: (lambda r: (v.assign([0.0, 0.0, 0.0, 0.0]), r)[1])(v.scatter_add(I([1.0], [3]))))

c = tf.Variable(1)
for _ in range(3):
    t("count_up_to", lambda: c.count_up_to(3))
print(c)
t("count_up_to float", lambda: v.count_up_to(3))
t("count_up_to int64", lambda: tf.Variable(1, dtype=tf.int64).count_up_to(1))
t("count_up_to neg", lambda: tf.Variable(1).count_up_to(-5))
t("count_up_to str", lambda: tf.Variable("a").count_up_to(5))
t("count_up_to vector", lambda: tf.Variable([1]).count_up_to(5))
t("count_up_to limit float", lambda: tf.Variable(1).count_up_to(5.5))
t("load", lambda: v.load([1., 2., 3., 4.]))
print(v.numpy())
t("load bad", lambda: tf.Variable([1.0, 2.0]).load([1.0]))
t("initialized_value", lambda: v.initialized_value())
t("to_proto", lambda: v.to_proto())
t("from_proto", lambda: tf.Variable.from_proto(None))
t("nonzero", lambda: tf.Variable(1.0).__nonzero__())
t("nonzero0", lambda: tf.Variable(0).__nonzero__())
t("nonzero vector", lambda: v.__nonzero__())

# through ef.function and a tape
w = tf.Variable([1.0, 2.0, 3.0])


@tf.function
def step(rows, values):
    w.scatter_add(tf.IndexedSlices(values, rows))
    w.scatter_nd_max([[0]], [5.0])
    return w.read_value()


print(step(tf.constant([1, 1]), tf.constant([1.0, 2.0])))
print(step(tf.constant([2, 0]), tf.constant([1.0, 2.0])))
print(w.numpy())
with tf.GradientTape() as tape:
    y = tf.reduce_sum(w * 2.0)
    w.scatter_update(tf.IndexedSlices(tf.constant([0.0]), tf.constant([0])))
print(tape.gradient(y, w), w.numpy())
