"""`ef.test.TestCase`: TF's `tf.test.TestCase` for eager code: TF's assertions on top of absltest's
(`eagerflow.test.base_case`), which are on top of unittest's.

Values may be tensors, variables, NumPy arrays or nested Python values; the assertions compare them
as NumPy arrays, as TF's do. Sessions do not exist in eager execution: `cached_session()` yields an
object whose `run(t)` evaluates `t`, `session()` one that refuses every use, as in TF.
"""

import atexit
import collections
import contextlib
import math
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import abc

import numpy as np

from eagerflow import dtypes, errors, tf_logging
from eagerflow.device.spec import DeviceSpec
from eagerflow.framework import nest
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.test import temp_paths
from eagerflow.test.base_case import BaseTestCase

__all__ = ["TestCase", "IndexedSlicesValue", "CapturedWrites"]

# TF 2.21's tensorflow/core/public/version.h: the GraphDef versions assertProtoEqualsVersion puts first
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0

DEFAULT_GRAPH_SEED = 87654321  # TF's: every test starts from it (Python's, NumPy's and the global seed)

# What evaluate() gives for an IndexedSlices, as TF's tf.compat.v1.IndexedSlicesValue
IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])


class FakeEagerSession:
    """What `cached_session()` yields in eager execution: `run(t)` is `evaluate(t)`."""

    def __init__(self, test_case):
        self._test_case = test_case

    def run(self, fetches, *args, **kwargs):
        if kwargs.pop("feed_dict", {}):
            raise RuntimeError("feed_dict is not supported when eager execution is enabled (in this case, "
                               "sess.run(t) is shorthand for t.numpy())")
        if args or kwargs:
            raise RuntimeError("Optional args are not supported when eager execution is enabled (in this case, "
                               "sess.run(t) is shorthand for t.numpy())")
        return self._test_case.evaluate(fetches)


class EagerSessionWarner:
    """What `session()` yields in eager execution: there is no session to use."""

    def __getattr__(self, attr):
        raise AttributeError(f"Trying to access {attr!r} on the result of self.session(), self.cached_session(), "
                             f"etc while eager execution is enabled: there is no session. Evaluate tensors with "
                             f"self.evaluate(t) or t.numpy().")


_process_temp_dir = None


def process_temp_dir():
    """The directory of this process's `get_temp_dir()`s, made on first use and removed when Python exits:
    a fresh one under $TEST_TMPDIR when set, else in the system temp dir named after the main script."""
    global _process_temp_dir
    if _process_temp_dir is None:
        if os.environ.get("TEST_TMPDIR"):
            prefix = os.environ["TEST_TMPDIR"]
        else:
            frame = sys._getframe()
            while frame.f_back is not None:  # the outermost frame runs the main script
                frame = frame.f_back
            script = os.path.basename(frame.f_code.co_filename)
            prefix = os.path.join(tempfile.gettempdir(), script[:-3] if script.endswith(".py") else script)
        path = tempfile.mkdtemp(prefix=prefix)
        atexit.register(temp_paths.remove_path, path)
        _process_temp_dir = path
    return _process_temp_dir


class CapturedWrites:
    """What `captureWritesToStream` caught: `contents()` is the text written so far."""

    def __init__(self, capture_location):
        self.capture_location = capture_location

    def contents(self):
        """The captured writes, as one string."""
        with open(self.capture_location) as f:
            return f.read()


class _CheckedThread:
    """A thread whose exception fails the test when joined (made by `TestCase.checkedThread`)."""

    def __init__(self, testcase, target, args=None, kwargs=None):
        self._testcase = testcase
        self._target = target
        self._args = () if args is None else args
        self._kwargs = {} if kwargs is None else kwargs
        self._thread = threading.Thread(target=self._protected_run)
        self._exception = None
        self._is_thread_joined = False

    def _protected_run(self):
        try:
            self._target(*self._args, **self._kwargs)
        except Exception as e:  # kept for join(), which fails the test with it
            self._exception = e

    def start(self):
        """Start running the target in the thread (once)."""
        self._thread.start()

    def join(self):
        """Wait for the thread to end; fail the test if the target raised."""
        self._is_thread_joined = True
        self._thread.join()
        if self._exception is not None:
            self._testcase.fail(f"Error in checkedThread: {self._exception}")

    def is_alive(self):
        """Whether the thread is running."""
        return self._thread.is_alive()

    def check_termination(self):
        """At tearDown: fail the test if the thread was never joined; RuntimeError if it still runs."""
        if not self._is_thread_joined:
            self._testcase.fail("A checked thread was not joined.")
        if self.is_alive():
            raise RuntimeError("Thread was not joined with main thread, and is still running when the test "
                               "finished.")


def _where(condition):
    return np.where(condition) if condition.ndim else ()


class TestCase(BaseTestCase):
    """Base class for tests of eager TF code, with TF's assertions (`assertAllClose`, `assertAllEqual`, ...).

    >>> class AddTest(ef.test.TestCase):
    ...     def test_add(self):
    ...         self.assertAllClose(ef.constant([1.0, 2.0]) + 1, [2.0, 3.0])
    ...         self.assertAllEqual(self.evaluate(ef.range(3)), [0, 1, 2])
    >>> import os, unittest
    >>> unittest.TextTestRunner(stream=open(os.devnull, "w")).run(AddTest("test_add")).wasSuccessful()
    True
    >>> ef.random.set_seed(None)  # setUp seeded the global generator (87654321), as TF's does
    """

    _set_default_seed = True

    def __init__(self, methodName="runTest"):
        super().__init__(methodName)
        self._tempdir = None
        self._threads = []
        self._test_start_time = None

    def setUp(self):
        super().setUp()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        if self._set_default_seed:
            from eagerflow.ops import random_ops

            random_ops.set_seed(DEFAULT_GRAPH_SEED)
        if self.id().endswith(".test_session"):  # TF's deprecated method, not a test
            self.skipTest("Not a test.")
        self._test_start_time = time.time()

    def tearDown(self):
        # TF's tests log their time at INFO: shown under ef.test.main (verbosity 0), hidden elsewhere
        if self._test_start_time is not None:
            tf_logging.info("time(%s): %ss", self.id(), round(time.time() - self._test_start_time, 2))
        for thread in self._threads:  # every checkedThread must have been joined
            thread.check_termination()
        super().tearDown()

    # ------------------------------------------------------------------ values
    def evaluate(self, tensors):
        """The NumPy values of a tensor, variable or nested structure of them (None stays None; a
        callable is called first)."""
        if tensors is None:
            return None
        return nest.map_structure(self._evaluate_one, tensors)

    def _evaluate_one(self, tensor):
        if tensor is None:
            return None
        if isinstance(tensor, IndexedSlices):
            return IndexedSlicesValue(tensor.values.numpy(), tensor.indices.numpy(),
                                      None if tensor.dense_shape is None else tensor.dense_shape.numpy())
        if callable(tensor) and not hasattr(tensor, "numpy"):
            return self.evaluate(tensor())
        numpy = getattr(tensor, "numpy", None)
        if not callable(numpy):
            raise ValueError(f"Unsupported type {type(tensor).__name__!r}: evaluate() takes tensors, variables and "
                             f"nested structures of them.")
        return numpy()

    def _array(self, a):
        if hasattr(a, "numpy") and callable(a.numpy):
            a = a.numpy()
        if isinstance(a, np.ndarray):
            return a
        try:
            return np.array(a)
        except ValueError as e:
            if "inhomogeneous" in str(e):
                return np.array(a, dtype=object)
            raise

    # ------------------------------------------------------------------ sessions (eager: none)
    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """An object whose `run(t)` evaluates `t` (TF's stand-in for a session under eager execution)."""
        yield FakeEagerSession(self)

    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """An object that refuses every use: eager execution has no session (as TF)."""
        yield EagerSessionWarner()

    @contextlib.contextmanager
    def test_session(self, graph=None, config=None, use_gpu=True, force_gpu=False):
        """TF's deprecated form of `cached_session()`: under eager execution it yields None."""
        yield None

    def get_temp_dir(self):
        """A temporary directory for this test, the same one for every call within the test, a new one for
        each test; all are removed when Python exits."""
        if not self._tempdir:
            self._tempdir = tempfile.mkdtemp(dir=process_temp_dir())
        return self._tempdir

    @contextlib.contextmanager
    def captureWritesToStream(self, stream):
        """Capture what is written to `stream` (a stream with a file descriptor and `flush()`, such as
        `sys.stdout`; not a notebook's) in the block, by the process's descriptor: the `CapturedWrites` it
        yields has the text in `contents()`."""
        stream.flush()
        fd = stream.fileno()
        capture, capture_path = tempfile.mkstemp(dir=self.get_temp_dir())
        saved = os.dup(fd)
        os.dup2(capture, fd)
        try:
            yield CapturedWrites(capture_path)
        finally:
            stream.flush()
            os.close(capture)
            os.dup2(saved, fd)
            os.close(saved)

    # ------------------------------------------------------------------ threads
    def checkedThread(self, target, args=None, kwargs=None):
        """A thread running `target(*args, **kwargs)` whose exception fails the test at `join()`; tearDown
        fails the test if it was not joined."""
        thread = _CheckedThread(self, target, args, kwargs)
        self._threads.append(thread)
        return thread

    # ------------------------------------------------------------------ strings, dicts and protos
    def assertStartsWith(self, actual, expected_start, msg=None):
        """`actual.startswith(expected_start)` (TF's own message: the user's `msg` comes quoted)."""
        if not actual.startswith(expected_start):
            self.fail(f"{actual!r} does not start with {expected_start!r}" + (f" : {msg!r}" if msg else ""))

    def assertDictEqual(self, a, b, msg=None):
        """Two dicts are equal: by `==` (absltest's report on failure), or, where that fails, key by key with
        `assertAllClose` for floating values and `assertAllEqual` for others (dicts of tensors)."""
        try:
            super().assertDictEqual(a, b, msg)
        except Exception:
            self.assertSameElements(a.keys(), b.keys())
            for key, value in a.items():
                left, right = self.evaluate_if_both_tensors(value, b[key])
                if np.issubdtype(self._array(left).dtype, np.floating):
                    self.assertAllClose(value, b[key], msg=key)
                else:
                    self.assertAllEqual(value, b[key], msg=key)

    def evaluate_if_both_tensors(self, a, b):
        """`(a, b)` as NumPy values when both are TF values other than eager tensors (variables, say),
        else unchanged."""
        from eagerflow.framework.execute import is_tensor_like
        from eagerflow.framework.tensor import Tensor

        def graph_like(x):
            return (is_tensor_like(x) or isinstance(x, IndexedSlices)) and not isinstance(x, Tensor)
        if graph_like(a) and graph_like(b):
            return self.evaluate((a, b))
        return (a, b)

    def assertProtoEquals(self, expected_message_maybe_ascii, validate_message, msg=None, relative_tolerance=None):
        """The protocol buffer `validate_message` equals `expected_message_maybe_ascii` (a message of its type,
        or its text format); floats compare to `relative_tolerance` when given. Needs `protobuf`, as the
        messages do; the failure shows the difference of the two text forms."""
        from eagerflow.test import proto_compare

        proto_compare.assert_proto_equals(self, expected_message_maybe_ascii, validate_message, msg,
                                          relative_tolerance)

    def assertProtoEqualsVersion(self, expected, actual, producer=GRAPH_DEF_VERSION,
                                 min_consumer=GRAPH_DEF_VERSION_MIN_CONSUMER, msg=None):
        """`assertProtoEquals` of a GraphDef text with a `versions { producer min_consumer }` field first."""
        expected = f"versions {{ producer: {producer:d} min_consumer: {min_consumer:d} }};\n{expected}"
        self.assertProtoEquals(expected, actual, msg=msg)

    # ------------------------------------------------------------------ closeness
    def _assert_array_close(self, a, b, rtol, atol, msg):
        a, b = self._array(a), self._array(b)
        detail = f" with contents {b}" if b.ndim <= 3 or b.size < 500 else ""
        self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}{detail}.")
        a_dtype = a.dtype
        a = a.astype(np.float32) if a.dtype.kind == "V" else a  # bfloat16 / float8 (ml_dtypes)
        b = b.astype(np.float32) if b.dtype.kind == "V" else b
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            bad = np.logical_or(np.abs(a - b) > atol + rtol * np.abs(b), np.isnan(a) != np.isnan(b))
            x, y = (a[_where(bad)], b[_where(bad)]) if a.ndim else (a, b)
            lines = [msg, f"not close where = {_where(bad)}", f"not close lhs = {x}", f"not close rhs = {y}",
                     f"not close dif = {np.abs(x - y)}", f"not close tol = {atol + rtol * np.abs(y)}",
                     f"dtype = {a_dtype}, shape = {a.shape}"]
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg="\n".join(lines), equal_nan=True)

    def _assert_close_nested(self, a, b, rtol, atol, path, msg):
        where = "".join(f"[{p}]" for p in path)
        if hasattr(a, "_asdict"):
            a = a._asdict()
        if hasattr(b, "_asdict"):
            b = b._asdict()
        if isinstance(a, abc.Mapping) != isinstance(b, abc.Mapping):
            raise ValueError(f"Can't compare dict to non-dict, a{where} vs b{where}. {msg}")
        if isinstance(a, abc.Mapping):
            self.assertCountEqual(a.keys(), b.keys(), msg=f"mismatched keys: a{where} has keys {a.keys()}, but "
                                                          f"b{where} has keys {b.keys()}. {msg}")
            for k in a:
                self._assert_close_nested(a[k], b[k], rtol, atol, path + [k], msg)
        elif isinstance(a, (list, tuple)):
            try:  # as one array when the structure is one
                self._assert_array_close(self._array(a), self._array(b), rtol, atol,
                                         f"Mismatched value: a{where} is different from b{where}. {msg}")
            except (ValueError, TypeError, NotImplementedError):
                if len(a) != len(b):
                    raise ValueError(f"Mismatched length: a{where} has {len(a)} items, but b{where} has {len(b)} "
                                     f"items. {msg}") from None
                for i, (x, y) in enumerate(zip(a, b)):
                    self._assert_close_nested(x, y, rtol, atol, path + [str(i)], msg)
        else:
            self._assert_array_close(a, b, rtol, atol, f"Mismatched value: a{where} is different from b{where}. {msg}")

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """`a` and `b` (tensors, arrays, nested lists, tuples, dicts and namedtuples of them) have the same
        structure and shapes, and values within `atol + rtol * abs(b)` (NaN equals NaN)."""
        self._assert_close_nested(a, b, rtol, atol, [], msg or "")

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6, float_atol=1e-6,
                                      half_rtol=1e-3, half_atol=1e-3, bfloat16_rtol=1e-2, bfloat16_atol=1e-2,
                                      msg=None):
        """`assertAllClose` with at least the tolerances of the lower-precision dtype of `a` or `b`."""
        a, b = self._array(a), self._array(b)
        kinds = {a.dtype, b.dtype}
        if kinds & {np.dtype(np.float32), np.dtype(np.complex64)}:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.dtype(np.float16) in kinds:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        if dtypes.bfloat16.as_numpy_dtype in kinds:
            rtol, atol = max(rtol, bfloat16_rtol), max(atol, bfloat16_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):
        """Some element of `a` is not close to `b`'s (see `assertAllClose`)."""
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(f"The two values are close at all elements. {msg or ''}")

    # ------------------------------------------------------------------ equality and order
    def assertAllEqual(self, a, b, msg=None):
        """`a` and `b` have the same shape and equal elements (NaN equals NaN for floating types)."""
        msg = msg or ""
        a, b = self._array(a), self._array(b)
        contents = f" Contents: {b!r}. \n{msg}." if b.ndim <= 3 or b.size < 500 else f" {msg}"
        self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}.{contents}")
        same = a == b
        if a.dtype.kind in "fcV":
            same = np.logical_or(same, np.logical_and(np.isnan(a.astype(np.complex128) if a.dtype.kind == "c"
                                                               else a.astype(np.float64)), np.isnan(b)))
        if not np.all(same):
            diff = np.logical_not(same)
            x, y = (a[_where(diff)], b[_where(diff)]) if a.ndim else (a, b)
            lines = [msg, f"not equal where = {_where(diff)}", f"not equal lhs = {x!r}", f"not equal rhs = {y!r}"]
            if a.dtype.kind != b.dtype.kind and {a.dtype.kind, b.dtype.kind} <= {"U", "S", "O"}:
                a, b = (np.array([v.encode("utf-8") if isinstance(v, str) else v for v in arr.flat])
                        for arr in (a, b))
            np.testing.assert_array_equal(a, b, err_msg="\n".join(lines))

    def assertNotAllEqual(self, a, b, msg=None):
        """Some element of `a` differs from `b`'s."""
        try:
            self.assertAllEqual(a, b)
        except AssertionError:
            return
        raise AssertionError(f"The two values are equal at all elements. {msg or ''}")

    def assertAllGreater(self, a, comparison_target):
        """Every element of `a` is greater than `comparison_target`."""
        self.assertGreater(np.min(self._array(a)), self._array(comparison_target))

    def assertAllGreaterEqual(self, a, comparison_target):
        """Every element of `a` is at least `comparison_target`."""
        self.assertGreaterEqual(np.min(self._array(a)), self._array(comparison_target))

    def assertAllLess(self, a, comparison_target):
        """Every element of `a` is less than `comparison_target`."""
        self.assertLess(np.max(self._array(a)), self._array(comparison_target))

    def assertAllLessEqual(self, a, comparison_target):
        """Every element of `a` is at most `comparison_target`."""
        self.assertLessEqual(np.max(self._array(a)), self._array(comparison_target))

    @staticmethod
    def _subscripts(subscripts, value, limit=10):
        lines = []
        for i, index in enumerate(zip(*subscripts)):
            if i == limit:
                lines.append("...")
                break
            lines.append(f"  {[int(i) for i in index]} : {value[index]}")
        return lines

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False, open_upper_bound=False):
        """Every element of `target` (integers or floats, no NaN) lies in [lower_bound, upper_bound]; the
        bounds themselves are outside when `open_lower_bound`/`open_upper_bound`."""
        target = self._array(target)
        if target.dtype.kind not in "iuf":
            raise AssertionError(f"The value of {target} does not have an ordered numeric type, instead it has "
                                 f"type: {target.dtype}")
        values = np.atleast_1d(target)
        nan = np.nonzero(np.isnan(values))
        if np.size(nan):
            raise AssertionError(f"{len(nan[0])} of the {target.size} element(s) are NaN. Subscripts(s) and value(s) "
                                 "of the NaN element(s):\n" + "\n".join(self._subscripts(nan, values)))
        low = np.less_equal(values, lower_bound) if open_lower_bound else np.less(values, lower_bound)
        high = np.greater_equal(values, upper_bound) if open_upper_bound else np.greater(values, upper_bound)
        bad = np.nonzero(np.logical_or(low, high))
        if np.size(bad):
            span = f"{'(' if open_lower_bound else '['}{lower_bound}, {upper_bound}{')' if open_upper_bound else ']'}"
            raise AssertionError(f"{len(bad[0])} of the {target.size} element(s) are outside the range {span}. "
                                 "Subscript(s) and value(s) of the offending elements:\n"
                                 + "\n".join(self._subscripts(bad, values)))

    def assertAllInSet(self, target, expected_set):
        """Every element of `target` is in `expected_set`."""
        diff = np.setdiff1d(self._array(target).flatten(), list(expected_set))
        if np.size(diff):
            raise AssertionError(f"{np.size(diff)} unique element(s) are not in the set {expected_set}: {diff}")

    def assertDTypeEqual(self, target, expected_dtype):
        """`target`'s NumPy dtype equals `expected_dtype` (a NumPy dtype or type, or an ef.DType)."""
        expected = getattr(expected_dtype, "as_numpy_dtype", expected_dtype)
        self.assertEqual(self._array(target).dtype, expected)

    def assertShapeEqual(self, input_a, input_b, msg=None):
        """Two NumPy arrays, NumPy scalars or tensors have the same shape."""
        from eagerflow.framework.tensor import Tensor

        shapes = []
        for which, value in (("input_a", input_a), ("input_b", input_b)):
            if not isinstance(value, (np.ndarray, np.generic, Tensor)):
                raise TypeError(f"{which} must be a Numpy ndarray, Numpy scalar, or a Tensor. Instead received "
                                f"{type(value)}")
            shapes.append(value.shape.as_list() if isinstance(value, Tensor) else value.shape)
        self.assertAllEqual(shapes[0], shapes[1], msg=msg)

    def assertNear(self, f1, f2, err, msg=None):
        """Scalars `f1` and `f2` differ by at most `err`."""
        f1, f2 = np.squeeze(self._array(f1)), np.squeeze(self._array(f2))
        if f1 != f2:
            diff = math.fabs(f1 - f2)
            self.assertTrue(diff <= err, f"{float(f1):f} != {float(f2):f} +/- {float(err):f} (difference: {diff:g})"
                                         + (f" ({msg})" if msg is not None else ""))

    def assertArrayNear(self, farray1, farray2, err, msg=None):
        """Two equally long sequences of scalars, element by element within `err`."""
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):
        """The Euclidean norm of `ndarray1 - ndarray2` is less than `err`."""
        self.assertTrue(np.linalg.norm(self._array(ndarray1) - self._array(ndarray2)) < err, msg=msg)

    def assertDeviceEqual(self, device1, device2, msg=None):
        """Two device names name the same device (`'/cpu:0'` and `'/device:CPU:0'`, say)."""
        device1, device2 = (DeviceSpec.from_string(d or "").to_string() for d in (device1, device2))
        self.assertEqual(device1, device2, f"Devices {device1} and {device2} are not equal. {msg}")

    # ------------------------------------------------------------------ errors
    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):
        """The block raises `exception_type` whose message matches the regex (or satisfies the predicate)."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                text = e.message if isinstance(e, errors.OpError) else str(e)
                return re.search(expected_err_re_or_predicate, text)
        try:
            yield
            # inside the try, as TF's: no exception reads "Exception of type <class 'AssertionError'>: ..."
            self.fail(exception_type.__name__ + " not raised")
        except Exception as e:
            if not isinstance(e, exception_type) or not predicate(e):
                raise AssertionError(f"Exception of type {type(e)}: {e}") from e

    def assertRaisesOpError(self, expected_err_re_or_predicate):
        """The block raises an `ef.errors.OpError` whose message matches (see `assertRaisesWithPredicateMatch`)."""
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)

    def assertRaisesIncompatibleShapesError(self, exception_type=errors.InvalidArgumentError):
        """The block raises `exception_type` about shapes that do not broadcast."""
        return self.assertRaisesWithPredicateMatch(
            exception_type, r"Incompatible shapes|Dimensions must be equal|required broadcastable shapes")
