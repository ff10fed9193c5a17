"""ef.Variable: everything the "Introduction to Variables" guide and issue 2 say about it."""

import gc
import threading
import weakref

import ml_dtypes
import numpy as np
import pytest

import eagerflow as ef
from eagerflow import errors
from conftest import assert_matches

# ----------------------------------------------------------------------------- creation


def test_create_from_tensor_keeps_dtype_and_shape():
    t = ef.constant([[1.0, 2.0], [3.0, 4.0]])
    v = ef.Variable(t)
    assert v.dtype is ef.float32 and v.shape == ef.TensorShape([2, 2])
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4]])
    assert v.trainable and v.name == "Variable:0"
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.mark.parametrize("value,dtype", [([False, False, False, True], ef.bool), ([5 + 4j, 6 + 1j], ef.complex128),
                                         (1, ef.int32), (2.5, ef.float32), ("s", ef.string),
                                         (np.array([1.0]), ef.float64), (np.uint8(3), ef.uint8)])
def test_variables_of_all_kinds(value, dtype):
    v = ef.Variable(value)
    assert v.dtype is dtype
    np.testing.assert_array_equal(v.numpy(), ef.constant(value).numpy())


def test_create_with_dtype_and_callable():
    v = ef.Variable([1, 2], dtype=ef.float32)
    assert_matches(ef.convert_to_tensor(v), np.array([1, 2], np.float32))
    v = ef.Variable(lambda: [1.0, 2.0])
    assert_matches(v.read_value(), np.array([1, 2], np.float32))
    v = ef.Variable(lambda: ef.ones([2]), dtype=ef.float32)
    assert_matches(v.value(), np.ones(2, np.float32))
    with pytest.raises(TypeError):
        ef.Variable([1.0, 2], dtype=ef.int32)
    with pytest.raises(ValueError):
        ef.Variable(None)


def test_copy_from_variable_never_shares_memory():
    a = ef.Variable([2.0, 3.0])
    b = ef.Variable(a)
    a.assign([5, 6])
    np.testing.assert_array_equal(a.numpy(), [5, 6])
    np.testing.assert_array_equal(b.numpy(), [2, 3])
    b.assign_add([1, 1])
    np.testing.assert_array_equal(a.numpy(), [5, 6])
    assert not np.shares_memory(a._buf, b._buf)


def test_create_from_numpy_copies():
    arr = np.array([1.0, 2.0], np.float32)
    v = ef.Variable(arr)
    arr[0] = 100
    assert v.numpy()[0] == 1.0
    v.assign_add([1, 1])
    assert arr[1] == 2.0


def test_names():
    assert ef.Variable(1.0).name == "Variable:0"
    a = ef.Variable([1.0], name="Mark")
    b = ef.Variable([2.0], name="Mark")
    assert a.name == b.name == "Mark:0"
    assert not np.array_equal(a.numpy(), b.numpy())
    assert ef.Variable(1.0, name="x/y").name == "x/y:0"


def test_trainable():
    assert ef.Variable(1).trainable is True
    assert ef.Variable(1, trainable=False).trainable is False


def test_shape_argument():
    v = ef.Variable([1.0, 2], shape=[None])
    assert v.shape == ef.TensorShape([None]) and v.shape.as_list() == [None]
    with pytest.raises(ValueError, match="not compatible with the explicitly supplied `shape`"):
        ef.Variable([1.0, 2], shape=[3])


# ----------------------------------------------------------------------------- repr


@pytest.mark.parametrize("make,text", [  # TF 2.21's text with ef. for tf.
    (lambda: ef.Variable([[1.0, 2.0], [3.0, 4.0]]),
     "<ef.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=\n"
     "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"),
    (lambda: ef.Variable(1), "<ef.Variable 'Variable:0' shape=() dtype=int32, numpy=1>"),
    (lambda: ef.Variable(3.0), "<ef.Variable 'Variable:0' shape=() dtype=float32, numpy=3.0>"),
    (lambda: ef.Variable([1, 2]),
     "<ef.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>"),
    (lambda: ef.Variable("s"), "<ef.Variable 'Variable:0' shape=() dtype=string, numpy=b's'>"),
    (lambda: ef.Variable([True]), "<ef.Variable 'Variable:0' shape=(1,) dtype=bool, numpy=array([ True])>"),
    (lambda: ef.Variable([1 + 2j]), "<ef.Variable 'Variable:0' shape=(1,) dtype=complex128, numpy=array([1.+2.j])>"),
    (lambda: ef.Variable([1.5], dtype=ef.bfloat16),
     f"<ef.Variable 'Variable:0' shape=(1,) dtype=bfloat16, numpy={np.array([1.5], ml_dtypes.bfloat16)!r}>"),
    (lambda: ef.Variable([[1.0, 2.0], [3.0, 4.0]], name="x/y"),
     "<ef.Variable 'x/y:0' shape=(2, 2) dtype=float32, numpy=\n"
     "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"),
    (lambda: ef.Variable(ef.range(2000)),
     "<ef.Variable 'Variable:0' shape=(2000,) dtype=int32, numpy=\narray([   0,    1,    2, ..., 1997, 1998, 1999],\n"
     "      shape=(2000,), dtype=int32)>"),
    (lambda: ef.Variable([1.0, 2], shape=ef.TensorShape(None)),
     "<ef.Variable 'Variable:0' shape=<unknown> dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
])
def test_repr_as_tf(make, text):
    v = make()
    assert repr(v) == text
    assert str(v) == text


# ----------------------------------------------------------------------------- acts as a tensor


def test_reads_give_tensors():
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    for t in (ef.convert_to_tensor(v), v.value(), v.read_value(), ef.identity(v)):
        assert type(t) is ef.Tensor
        assert_matches(t, np.array([[1, 2], [3, 4]], np.float32))
    assert str(ef.convert_to_tensor(v)) == "ef.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"
    with pytest.raises(ValueError):
        ef.convert_to_tensor(v, dtype=ef.float64)


def test_every_operator_accepts_variables():
    v, w = ef.Variable([6.0, 3.0]), ef.Variable([3.0, 1.0])
    a, b = np.array([6.0, 3.0], np.float32), np.array([3.0, 1.0], np.float32)
    pairs = [(v + w, a + b), (v - w, a - b), (v * w, a * b), (v / w, a / b), (v // w, a // b), (v % w, a % b),
             (v ** w, a ** b), (-v, -a), (abs(-v), a), (v < w, a < b), (v <= 3, a <= 3), (v > w, a > b),
             (v >= 6, a >= 6), (v == w, a == b), (v != w, a != b), (1 + v, 1 + a), (10 - v, 10 - a), (2 * v, 2 * a),
             (12 / v, 12 / a), (v + a, a + a)]
    for got, want in pairs:
        assert_matches(got, want)
    m = ef.Variable([[1.0, 2.0]])
    assert_matches(m @ ef.Variable([[1.0], [1.0]]), np.array([[3.0]], np.float32))
    assert_matches([[1.0], [1.0]] @ m, np.array([[1, 2], [1, 2]], np.float32))
    p, q = ef.Variable([True, False]), ef.Variable([True, True])
    assert_matches(p & q, np.array([True, False]))
    assert_matches(p | q, np.array([True, True]))
    assert_matches(p ^ q, np.array([False, True]))
    assert_matches(~p, np.array([False, True]))
    i = ef.Variable([6, 3])
    assert_matches(i & 3, np.array([2, 3], np.int32))
    assert_matches(i // 2, np.array([3, 1], np.int32))


def test_ops_accept_variables():
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert_matches(ef.math.argmax(v), np.array([1, 1], np.int64))
    assert_matches(ef.reduce_sum(v), np.float32(10))
    assert_matches(ef.matmul(v, v), np.array([[7, 10], [15, 22]], np.float32))
    assert_matches(ef.nn.relu(v), np.array([[1, 2], [3, 4]], np.float32))
    assert_matches(ef.concat([v, v], 0), np.array([[1, 2], [3, 4], [1, 2], [3, 4]], np.float32))
    assert_matches(ef.gather(v, [1]), np.array([[3, 4]], np.float32))
    assert_matches(ef.cast(v, ef.int32), np.array([[1, 2], [3, 4]], np.int32))


def test_python_protocols():
    v = ef.Variable([1, 2, 3])
    assert [int(x) for x in v] == [1, 2, 3]
    assert float(ef.Variable(2.5)) == 2.5 and int(ef.Variable(3)) == 3 and bool(ef.Variable(True)) is True
    assert complex(ef.Variable(1 + 2j)) == 1 + 2j
    # as TF, a variable is not a tensor: no len(), no unary +, not a Python index, no comparison with None
    for refused in (lambda: len(v), lambda: +v, lambda: [10, 20][ef.Variable(1)], lambda: range(ef.Variable(2))):
        with pytest.raises(TypeError):
            refused()
    for refused in (lambda: v == None, lambda: v != None):  # noqa: E711
        with pytest.raises(ValueError, match="None"):
            refused()
    assert not hasattr(v, "ndim")
    assert np.asarray(v).tolist() == [1, 2, 3]
    with pytest.raises(TypeError, match="unhashable"):
        hash(v)
    assert {v.ref(): 1}[v.ref()] == 1 and v.ref().deref() is v


def test_slicing():
    v = ef.Variable([[1, 2], [3, 4]])
    assert_matches(v[1:, 0], np.array([3], np.int32))
    assert_matches(v[-1], np.array([3, 4], np.int32))
    assert_matches(v[..., ef.newaxis], np.array([[[1], [2]], [[3], [4]]], np.int32))
    with pytest.raises(errors.InvalidArgumentError):
        v[5]


def test_cannot_reshape_a_variable():
    v = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    r = ef.reshape(v, [1, 4])
    assert str(r) == "ef.Tensor([[1. 2. 3. 4.]], shape=(1, 4), dtype=float32)"
    assert v.shape == [2, 2] and v.numpy().shape == (2, 2)
    v.assign([[0.0, 0.0], [0.0, 0.0]])
    assert_matches(r, np.array([[1, 2, 3, 4]], np.float32))  # the reshaped copy does not follow the variable


# ----------------------------------------------------------------------------- assign


def test_assign_converts_as_tf():
    a = ef.Variable([2.0, 3.0])
    a.assign([1, 2])  # ints into a float32 variable stay float32
    assert a.dtype is ef.float32
    assert_matches(a.read_value(), np.array([1, 2], np.float32))
    a.assign(ef.constant([4.0, 5.0]))
    np.testing.assert_array_equal(a.numpy(), [4, 5])
    a.assign(1.5 * np.ones(2))  # a float64 array converts into float32
    np.testing.assert_array_equal(a.numpy(), [1.5, 1.5])
    i = ef.Variable([1, 2])
    with pytest.raises(TypeError, match="Cannot convert"):
        i.assign([1.5, 2])
    with pytest.raises(ValueError):
        i.assign(ef.constant([1.0, 2.0]))  # TF: Tensor conversion requested dtype int32 for Tensor with dtype float32
    with pytest.raises(ValueError):
        a.assign(ef.constant([1, 2]))
    np.testing.assert_array_equal(i.numpy(), [1, 2])


@pytest.mark.parametrize("var_value,bad", [([1, 2], ["a", "b"]), ([1.0, 2.0], ["a", "b"]), (1.0, "1.0"), (1, b"1")])
def test_strings_into_numbers_is_type_error(var_value, bad):
    v = ef.Variable(var_value)
    before = v.numpy()
    for method in (v.assign, v.assign_add, v.assign_sub):
        with pytest.raises(TypeError, match="Cannot convert"):
            method(bad)
    np.testing.assert_array_equal(v.numpy(), before)


def test_assign_return_values():
    v = ef.Variable([1.0, 2.0])
    for r in (v.assign([3, 4]), v.assign_add([1, 1]), v.assign_sub([1, 1])):
        # as TF: an unread view of the variable, one object for the variable's life
        assert isinstance(r, ef.Variable) and r is not v and r.name == "UnreadVariable" and r is v.assign_add([0, 0])
    r = v.assign([5, 6])
    v.assign([7, 8])
    assert r.numpy().tolist() == [7, 8] and repr(r).startswith("<ef.Variable 'UnreadVariable' shape=(2,)")
    assert r.assign_add([1, 1]).assign_sub([2, 2]).numpy().tolist() == [6, 7] and v.numpy().tolist() == [6, 7]
    assert (r + 1).numpy().tolist() == [7, 8] and r.dtype == v.dtype and r.device == v.device
    assert v.assign([0, 0], read_value=False) is None
    assert v.assign_add([1, 2], read_value=False) is None
    assert v.assign_sub([1, 1], read_value=False) is None
    np.testing.assert_array_equal(v.numpy(), [0, 1])
    assert_matches(v.assign_add([2, 3]).read_value(), np.array([2, 4], np.float32))
    assert v.assign([1, 1], use_locking=True, name="x") is v.assign([1, 1])


def test_assign_add_sub_as_guide():
    a = ef.Variable([5.0, 6.0])
    np.testing.assert_array_equal(a.assign_add([2, 3]).numpy(), [7, 9])
    np.testing.assert_array_equal(a.assign_sub([7, 9]).numpy(), [0, 0])


def test_shape_mismatch_message_as_tf():
    a = ef.Variable([2.0, 3.0])
    with pytest.raises(ValueError) as info:
        a.assign([1.0, 2.0, 3.0])
    assert str(info.value) == ("Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (2,), "
                               "and the assigned value shape (3,) are incompatible.")
    with pytest.raises(errors.InvalidArgumentError, match=r"shapes must be equal. \[Op:AssignAddVariableOp\]"):
        a.assign_add([1.0, 2.0, 3.0])
    with pytest.raises(errors.InvalidArgumentError, match="AssignSubVariableOp"):
        a.assign_sub(1.0)  # TF does not broadcast the delta either
    np.testing.assert_array_equal(a.numpy(), [2, 3])


def test_unknown_shape_variables():
    v = ef.Variable([1.0, 2.0], shape=ef.TensorShape(None))
    assert v.shape.rank is None
    v.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [1, 2, 3])
    v.assign([[1.0], [2.0]])
    assert v.numpy().shape == (2, 1) and v.shape.rank is None
    w = ef.Variable([1.0, 2.0], shape=[None])
    w.assign([5.0, 6.0, 7.0])
    np.testing.assert_array_equal(w.numpy(), [5, 6, 7])
    with pytest.raises(ValueError, match="Shape mismatch"):
        w.assign([[1.0]])


def test_scatter_nd():
    v = ef.Variable([1, 2, 3, 4])
    assert v.scatter_nd_update([[1], [3]], [10, 20]).name == "UnreadVariable"
    np.testing.assert_array_equal(v.numpy(), [1, 10, 3, 20])
    v.scatter_nd_add([[1], [1]], [10, 20])  # repeated indices add up
    np.testing.assert_array_equal(v.numpy(), [1, 40, 3, 20])
    m = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    m.scatter_nd_update([[1]], [[7.0, 8.0]])
    m.scatter_nd_add([[0, 1]], [5])
    np.testing.assert_array_equal(m.numpy(), [[1, 7], [7, 8]])
    with pytest.raises(errors.InvalidArgumentError):
        v.scatter_nd_update([[5]], [10])
    with pytest.raises(errors.InvalidArgumentError):
        v.scatter_nd_update([[1]], [10, 20])
    np.testing.assert_array_equal(v.numpy(), [1, 40, 3, 20])


def test_sliced_assign():
    v = ef.Variable([1, 2, 3, 4])
    out = v[1:3].assign([5, 6])
    np.testing.assert_array_equal(v.numpy(), [1, 5, 6, 4])
    assert out.name == "UnreadVariable" and out.numpy().tolist() == [1, 5, 6, 4]
    m = ef.Variable([[1.0, 2.0], [3.0, 4.0]])
    m[:, 0].assign([9, 8])
    m[1, 1].assign(0.5)
    np.testing.assert_array_equal(m.numpy(), [[9, 2], [8, 0.5]])
    m[0].assign_add([1.0, 1.0])
    np.testing.assert_array_equal(m.numpy(), [[10, 3], [8, 0.5]])
    with pytest.raises(errors.InvalidArgumentError):
        v[1:3].assign([5, 6, 7])
    np.testing.assert_array_equal(v.numpy(), [1, 5, 6, 4])


# ----------------------------------------------------------------------------- in place, copy-on-write


def test_assign_add_never_allocates():
    v = ef.Variable(np.zeros(1000, np.float32))
    address = v._buf.ctypes.data
    delta = ef.constant(np.ones(1000, np.float32))
    for _ in range(1000):
        v.assign_add(delta)
    assert v._buf.ctypes.data == address
    for _ in range(10):
        v.assign([0.0] * 1000)
        v.assign_sub(delta)
        v.assign_add([1.0] * 1000)
    assert v._buf.ctypes.data == address
    np.testing.assert_array_equal(v.numpy(), np.zeros(1000, np.float32))


def test_operations_reading_a_variable_do_not_copy_it():
    v = ef.Variable(np.zeros(100, np.float32))
    address = v._buf.ctypes.data
    for _ in range(20):
        _ = v + 1.0
        _ = ef.reduce_sum(v)
        v.assign_add(ef.ones([100]))
    assert v._buf.ctypes.data == address


def test_a_read_keeps_its_value_copy_on_write():
    v = ef.Variable([1.0, 2.0])
    before = v.read_value()
    value = v.value()
    converted = ef.convert_to_tensor(v)
    v.assign_add([10, 10])
    assert_matches(before, np.array([1, 2], np.float32))
    assert_matches(value, np.array([1, 2], np.float32))
    assert_matches(converted, np.array([1, 2], np.float32))
    snapshot = v.read_value()
    v.assign([0, 0])
    v[0].assign(5.0)
    v.scatter_nd_add([[1]], [3.0])
    assert_matches(snapshot, np.array([11, 12], np.float32))
    np.testing.assert_array_equal(v.numpy(), [5, 3])
    arr = np.asarray(v)
    v.assign_sub([1, 1])
    np.testing.assert_array_equal(arr, [5, 3])


def test_atomic_assign_add_from_threads():
    v = ef.Variable(0)
    one = ef.constant(1)

    def work():
        for _ in range(10000):
            v.assign_add(one)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert int(v) == 80000


def test_failed_updates_change_nothing():
    v = ef.Variable([1.0, 2.0])
    address = v._buf.ctypes.data
    bad = [lambda: v.assign([1.0, 2.0, 3.0]), lambda: v.assign(["a", "b"]), lambda: v.assign_add([1.0]),
           lambda: v.assign_sub(ef.constant([1, 2])), lambda: v.scatter_nd_update([[9]], [1.0]),
           lambda: v[0:2].assign([1.0]), lambda: v.assign([[1.0, 2.0]])]
    for update in bad:
        with pytest.raises((ValueError, TypeError, errors.InvalidArgumentError)):
            update()
        np.testing.assert_array_equal(v.numpy(), [1, 2])
    assert v.dtype is ef.float32 and v.shape == [2] and v._buf.ctypes.data == address
    i = ef.Variable(5, dtype=ef.int32)
    with pytest.raises(ValueError, match="out of its range"):
        i.assign(2**40)
    with pytest.raises(ValueError):
        i.assign_add(2**40)
    assert int(i) == 5


def test_a_variable_is_freed_when_its_last_reference_goes():
    v = ef.Variable(np.zeros(1000, np.float32))
    v.assign_add(ef.ones([1000]))
    _ = v + 1
    _ = v.read_value()
    ref = weakref.ref(v)
    del v
    assert ref() is None  # at once, without gc.collect()
    w = ef.Variable([1.0])
    ref = weakref.ref(w)
    w = None
    gc.collect()
    assert ref() is None


def test_np_asarray_of_a_scalar_variable_is_a_0d_array():
    # numpy() of a scalar variable is a NumPy scalar (as TF), but __array__ must still give an array
    a = np.asarray(ef.Variable(3.0))
    assert type(a) is np.ndarray and a.shape == () and a.dtype == np.float32
    assert np.asarray(ef.Variable(b"x")).dtype == object
    assert ef.constant(ef.constant(b"a"), shape=[2]).numpy().tolist() == [b"a", b"a"]


def test_an_update_result_keeps_the_variable_alive_and_frees_it_with_itself():
    device = ef.config.list_logical_devices("CPU")[0].name
    base = ef.config.experimental.get_memory_info(device)["current"]
    v = ef.Variable(np.zeros(1000, np.float32))
    ref = weakref.ref(v)
    r = v.assign_add(ef.ones([1000]))
    del v
    assert ref() is not None and r.numpy()[0] == 1.0  # the result still reads the variable
    r.assign_add(ef.ones([1000]))
    assert float(ef.reduce_sum(r)) == 2000.0
    del r
    gc.collect()
    assert ref() is None and ef.config.experimental.get_memory_info(device)["current"] == base


def test_in_place_operators_are_refused_and_leave_the_variable_unchanged():
    v = ef.Variable([1.0, 2.0])
    w = v
    for op in ("+=", "-=", "*=", "/=", "//=", "%=", "**="):
        with pytest.raises(RuntimeError, match="not supported"):
            exec(f"w {op} 2", {"w": w})
    assert w is v and v.numpy().tolist() == [1.0, 2.0]


def test_the_unread_view_follows_set_shape():
    v = ef.Variable([1.0, 2.0], shape=[None])
    r = v.assign([3.0, 4.0])
    r.set_shape([2])
    assert v.shape == [2] and r.shape == [2]
    with pytest.raises(ValueError):
        v.set_shape([3])


def test_count_up_to_is_atomic_and_stops_at_the_limit():
    import threading
    c = ef.Variable(0)
    seen, lock = [], threading.Lock()

    def count():
        for _ in range(50):
            try:
                value = int(c.count_up_to(150))
            except ef.errors.OutOfRangeError:
                return
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=count) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(seen) == list(range(150)) and int(c) == 150


def test_row_scatters_match_numpy_with_repeated_rows():
    rng = np.random.default_rng(0)
    start = rng.normal(size=(5, 3)).astype(np.float32)
    rows = np.array([4, 1, 4, 0, 4])
    values = rng.uniform(0.5, 2.0, size=(5, 3)).astype(np.float32)
    for method, ufunc in [("scatter_add", np.add), ("scatter_mul", np.multiply), ("scatter_div", np.divide),
                          ("scatter_max", np.maximum), ("scatter_min", np.minimum)]:
        v = ef.Variable(start)
        getattr(v, method)(ef.IndexedSlices(ef.constant(values), ef.constant(rows)))
        expected = start.copy()
        ufunc.at(expected, rows, values)
        np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6, err_msg=method)
