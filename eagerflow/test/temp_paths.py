"""Temporary directories and files of a test, as `self.create_tempdir()` and `self.create_tempfile()` give them.

TF's `tf.test.TestCase` gets these from `absltest.TestCase`; they behave the same here, without absl:

- everything lives under the test's own directory, `<root>/<Class qualname>/<test method>`, where the root
  is `--test_tmpdir` of `ef.test.main()`'s command line, else the environment variable TEST_TMPDIR (test
  runners such as Bazel set it), else `<tempfile.gettempdir()>/absl_testing`, as absl's default;
- a name given explicitly is cleared first (no state left from an earlier run); a missing name is a fresh
  unique one;
- when the test ends, the created path is removed (`TempFileCleanup.ALWAYS`, the default), removed only if the
  test passed (`SUCCESS`: a failing test leaves its files to look at) or kept (`OFF`); for a name with
  slashes, the whole top directory of the name goes.
"""

import contextlib
import enum
import os
import shutil
import stat
import tempfile

# _TempDir and _TempFile carry absltest's class names: users see them in type(d).__name__
__all__ = ["TempFileCleanup", "test_tmpdir", "default_root", "set_root", "remove_path", "cleanup_policy"]


class TempFileCleanup(enum.Enum):
    """When the paths made by `create_tempdir`/`create_tempfile` are removed (absltest's values)."""

    ALWAYS = "always"   # when the test ends, whatever its result
    SUCCESS = "success"  # only when the test passed: a failure leaves its files to inspect
    OFF = "never"        # never


def cleanup_policy(value):
    """`value` as a TempFileCleanup: one of its members, or a member of another enum with the same values
    (absltest.TempFileCleanup), or one of the value strings."""
    raw = getattr(value, "value", value)
    try:
        return TempFileCleanup(raw)
    except ValueError:
        raise AssertionError(f"Unexpected cleanup value: {value!r}; expected one of "
                             f"{[member for member in TempFileCleanup]} (or their values "
                             f"{[member.value for member in TempFileCleanup]})") from None


_root = None  # --test_tmpdir, once `ef.test.main()` has parsed the command line


def default_root():
    """$TEST_TMPDIR, or <system temp dir>/absl_testing: the root when no --test_tmpdir was given."""
    return os.environ.get("TEST_TMPDIR") or os.path.join(tempfile.gettempdir(), "absl_testing")


def set_root(path):
    """Make `path` the root of every test's temporary paths (what `ef.test.main()` does with --test_tmpdir)."""
    global _root
    _root = path


def test_tmpdir():
    """The root of every test's temporary paths: the one `ef.test.main()` set, else `default_root()`."""
    return _root or default_root()


def remove_path(path):
    """Remove a file or a directory tree; a path already gone (or that cannot be removed) is no error."""
    if os.path.isfile(path) or os.path.islink(path):
        with contextlib.suppress(OSError):
            os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


def first_part(relative_path):
    """The top component of a relative path ('a/b/c.txt' -> 'a'): what cleanup removes."""
    return relative_path.split(os.sep, 1)[0]


class _TempDir:
    """A test's temporary directory: `full_path`, usable wherever a path is (`os.fspath`, `os.path.join`)."""

    def __init__(self, path):
        self._path = path

    @property
    def full_path(self):
        """The directory's path, as a string."""
        return self._path

    def __fspath__(self):
        return self._path

    def create_file(self, file_path=None, content=None, mode="w", encoding="utf8", errors="strict"):
        """A file in this directory (`file_path` relative to it, missing directories made; unnamed: a unique
        name), holding `content` (str written with `mode`/`encoding`/`errors`, or bytes); empty without one.
        An existing file is made writable and overwritten."""
        temp_file, _ = _TempFile.create(self._path, file_path, content, mode, encoding, errors)
        return temp_file

    def mkdir(self, dir_path=None):
        """A directory in this one (`dir_path` relative to it, parents made; unnamed: a unique name)."""
        path = os.path.join(self._path, dir_path) if dir_path else tempfile.mkdtemp(dir=self._path)
        os.makedirs(path, exist_ok=True)
        return _TempDir(path)


class _TempFile:
    """A test's temporary file: `full_path`, usable wherever a path is, with read/write/open helpers."""

    def __init__(self, path):
        self._path = path

    @classmethod
    def create(cls, base_path, file_path, content, mode, encoding, errors):
        """The file `file_path` under `base_path` (unnamed: a unique one) with `content`, and the path that
        cleans it up (the top directory of a nested name)."""
        if content is not None and not isinstance(content, (str, bytes, bytearray)):
            raise TypeError(f"content must be str or bytes, got {type(content).__name__}: {content!r}")
        if file_path:
            path = os.path.join(base_path, file_path)
            cleanup_path = os.path.join(base_path, first_part(file_path))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.exists(path) and not os.access(path, os.W_OK):  # truncating needs write permission
                os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR)
        else:
            os.makedirs(base_path, exist_ok=True)
            fd, path = tempfile.mkstemp(dir=base_path)
            os.close(fd)
            cleanup_path = path
        temp_file = cls(path)
        if not content:
            temp_file.write_bytes(b"")
        elif isinstance(content, str):
            temp_file.write_text(content, mode=mode, encoding=encoding, errors=errors)
        else:
            temp_file.write_bytes(content, mode)
        return temp_file, cleanup_path

    @property
    def full_path(self):
        """The file's path, as a string."""
        return self._path

    def __fspath__(self):
        return self._path

    def read_text(self, encoding="utf8", errors="strict"):
        """The file's contents as text."""
        with self.open_text(encoding=encoding, errors=errors) as f:
            return f.read()

    def read_bytes(self):
        """The file's contents as bytes."""
        with self.open_bytes() as f:
            return f.read()

    def write_text(self, text, mode="w", encoding="utf8", errors="strict"):
        """Write `text` (mode 'w' replaces the contents, 'a' appends)."""
        with self.open_text(mode, encoding=encoding, errors=errors) as f:
            f.write(text)

    def write_bytes(self, data, mode="wb"):
        """Write `data` (mode 'wb' replaces the contents, 'ab' appends)."""
        with self.open_bytes(mode) as f:
            f.write(data)

    def open_text(self, mode="rt", encoding="utf8", errors="strict"):
        """A context manager giving the file opened in text mode (`mode` without 'b')."""
        if "b" in mode:
            raise ValueError(f'Invalid mode {mode!r}: "b" flag not allowed when opening file in text mode')
        return open(self._path, mode if "t" in mode else mode + "t", encoding=encoding, errors=errors)

    def open_bytes(self, mode="rb"):
        """A context manager giving the file opened in binary mode (`mode` without 't')."""
        if "t" in mode:
            raise ValueError(f'Invalid mode {mode!r}: "t" flag not allowed when opening file in binary mode')
        return open(self._path, mode if "b" in mode else mode + "b")
