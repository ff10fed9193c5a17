"""tf.data errors: the class of each (raised where TF raises it, at the element that failed)."""
import tensorflow as tf

D = tf.data.Dataset


def attempt(name, fn):
    try:
        out = fn()
        print(name, "ok", out)
    except Exception as e:  # noqa: BLE001
        print(name, type(e).__name__)


def consume(ds):
    return [x.numpy().tolist() for x in ds]


attempt("slices_scalar", lambda: D.from_tensor_slices(1))
attempt("slices_mismatch", lambda: D.from_tensor_slices(([1, 2], [1, 2, 3])))
attempt("concat_specs", lambda: D.range(3).concatenate(D.from_tensor_slices([1.0])))
attempt("concat_structure", lambda: D.range(3).concatenate(D.zip((D.range(1), D.range(1)))))
attempt("zip_lengths", lambda: consume(D.zip((D.range(2), D.range(5))).map(lambda a, b: a + b)))
attempt("zip_list", lambda: D.zip([D.range(2), D.range(2)]))
attempt("batch_zero", lambda: D.range(3).batch(0))
attempt("batch_shapes", lambda: consume(D.range(1, 4).map(lambda x: tf.fill([x], x)).batch(2)))
attempt("shuffle_zero", lambda: D.range(3).shuffle(0))
attempt("shard_index", lambda: D.range(3).shard(2, 2))
attempt("shard_zero", lambda: D.range(3).shard(0, 0))
attempt("range_step", lambda: D.range(0, 5, 0))
attempt("len_inf", lambda: len(D.range(2).repeat()))
attempt("len_unknown", lambda: len(D.range(2).filter(lambda x: x > 0)))
attempt("single_empty", lambda: D.range(0).get_single_element())
attempt("single_many", lambda: D.range(2).get_single_element())
attempt("unbatch_scalar", lambda: D.range(2).unbatch())
attempt("window_size", lambda: D.range(2).window(0))
attempt("group_args", lambda: D.range(2).group_by_window(lambda x: x, lambda k, w: w))
attempt("choose_spec", lambda: D.choose_from_datasets([D.range(2)], D.range(2).map(lambda x: tf.cast(x, tf.int32))))
attempt("sample_weights", lambda: D.sample_from_datasets([D.range(2)], weights=[0.5, 0.5]))
attempt("apply_not_ds", lambda: D.range(2).apply(lambda d: 3))
attempt("unique_float", lambda: D.from_tensor_slices([1.0]).unique())
attempt("list_files", lambda: D.list_files("/nonexistent_dir_xyz/*.none"))
attempt("tfrecord_missing", lambda: consume(tf.data.TFRecordDataset("/nonexistent_dir_xyz/a.tfrecord")))
attempt("text_missing", lambda: consume(tf.data.TextLineDataset("/nonexistent_dir_xyz/a.txt")))


def gen_bad_type():
    yield "a"


def gen_bad_shape():
    yield [1, 2, 3]


def gen_bad_structure():
    yield 1


attempt("gen_type", lambda: consume(D.from_generator(gen_bad_type, output_signature=tf.TensorSpec((), tf.int32))))
attempt("gen_shape", lambda: consume(D.from_generator(gen_bad_shape, output_signature=tf.TensorSpec((2,), tf.int32))))
pair = (tf.TensorSpec((), tf.int32), tf.TensorSpec((), tf.int32))
attempt("gen_structure", lambda: consume(D.from_generator(gen_bad_structure, output_signature=pair)))
attempt("gen_no_sig", lambda: D.from_generator(gen_bad_structure))


# an error inside map comes at the element that failed, and the elements before it arrive
def check_positive(x):
    return tf.gather([10.0, 20.0, 30.0], x)  # an index out of range fails


for parallel in (None, 3):
    it = iter(D.from_tensor_slices([2, 1, 5, 0]).map(check_positive, num_parallel_calls=parallel))
    got = []
    try:
        for x in it:
            got.append(float(x))
    except tf.errors.InvalidArgumentError as e:
        print("map_error", parallel, got, type(e).__name__)
print("ignore_errors", consume(D.from_tensor_slices([2, 1, 5, 0]).map(check_positive).ignore_errors()))
it = iter(D.from_tensor_slices([1, 7, 2]).map(check_positive).prefetch(2))
got = []
try:
    for x in it:
        got.append(float(x))
except tf.errors.InvalidArgumentError as e:
    print("prefetch_error", got, type(e).__name__)
print("filter_bad", end=" ")
attempt("", lambda: consume(D.range(3).filter(lambda x: x)))
