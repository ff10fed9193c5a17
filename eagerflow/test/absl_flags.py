"""The command line flags of a TF test program, as absl defines and parses them (without absl).

`tf.test.main()` runs under absl's `app.run`, so every test program accepts the flags of absl's app,
logging and absltest modules plus absl's two special flags (`--flagfile`, `--undefok`). This module holds
their definitions (names, defaults, help texts as absl shows them), parses a command line the way absl's
`FlagValues` does, and renders `--helpfull`/`--helpxml`. What the flags do is up to the runner
(eagerflow/test/test_program.py) and the log handler (eagerflow/test/absl_logging.py).

Parsing, as absl:
- `--flagfile=FILE` (or `--flagfile FILE`) is replaced by the lines of FILE, before anything is parsed;
  blank lines and lines starting with `#` or `//` are skipped, a line that starts with `--flagfile=` nests
  another file (a file already being read is skipped with a warning), other lines are stripped and used whole;
- `--name=value`, `--name value`, `-name=value`, a short name (`-v 1`); a boolean flag alone means true,
  `--noname` false, and takes `true/t/1` or `false/f/0` after `=`;
- `--undefok=a,b` lets the unknown flags `a`, `b` (and `noa`, `nob`) pass without a value of their own;
- a positional argument is kept for unittest and parsing goes on; `--` ends the flags.
"""

import os
import shutil
import sys
import textwrap
import xml.dom.minidom

from eagerflow.test import temp_paths

__all__ = ["Flag", "FlagsError", "SPECIAL", "definitions", "parse", "suggestions", "usage_head", "help_text",
           "help_xml"]


class FlagsError(ValueError):
    """A flag that is unknown, lacks its value, has a malformed one, or a flagfile that cannot be read
    (absl's `flags.Error`: the program prints "FATAL Flags parsing error" and exits with status 1)."""


def _parse_bool(text):
    lowered = text.lower()
    if lowered in ("true", "t", "1"):
        return True
    if lowered in ("false", "f", "0"):
        return False
    raise ValueError("Non-boolean argument to boolean flag", text)


def _parse_int(text):
    """An integer as absl reads one: decimal, or 0x.../0o... (underscores and spaces allowed, as int())."""
    base = 10
    if len(text) > 2 and text[0] == "0" and text[1] in "ox":
        base = 8 if text[1] == "o" else 16
    return int(text, base)


def _parse_logger_levels(text):
    """`name:level,...` -> {name: level} in the order given (levels are checked when they are applied)."""
    levels = {}
    for pair in (p.strip() for p in text.split(",")):
        if pair:
            name, level = pair.split(":", 1)
            levels[name.strip()] = level.strip()
    return levels


_CPP_LEVELS = {"0": "info", "1": "warning", "2": "error", "3": "fatal"}
_THRESHOLD_NAMES = ("debug", "info", "warning", "warn", "error", "fatal")


def _check_stderrthreshold(text):
    """The canonical level name of a --stderrthreshold value (absl checks it as it sets the flag)."""
    if text in _CPP_LEVELS:
        return _CPP_LEVELS[text]
    if text.lower() in _THRESHOLD_NAMES:
        return "warning" if text.lower() == "warn" else text.lower()
    # a plain ValueError, as absl's: it checks the value as it sets the flag, where no parsing error is caught
    raise ValueError("--stderrthreshold must be one of (case-insensitive) 'debug', 'info', 'warning', 'error', "
                      f"'fatal', or '0', '1', '2', '3', not '{text}'")


class Flag:
    """One flag: its names, the absl module that defines it, its default (a parsed value), its help, how
    its text is read (`parse`) and checked once read (`check`), and how absl shows it."""

    def __init__(self, name, module, default, help_text, *, kind="string", short_name=None, parse=str,
                 check=None, serialize=None, alias_of=None):
        self.name, self.module, self.default, self.help = name, module, default, help_text
        self.alias_of = alias_of  # the flag this one sets (and shows the value of), as absl's aliases
        self.kind, self.short_name = kind, short_name  # kind: absl's type name ('bool', 'int', 'string')
        self.parse = _parse_bool if kind == "bool" else parse
        self.check = check
        self.serialize = serialize

    @property
    def boolean(self):
        return self.kind == "bool"

    def default_text(self):
        """The default as absl's help shows it (quoted), or None when there is none."""
        if self.default is None:
            return None
        if self.serialize is not None:
            return repr(self.serialize(self.default))
        if self.boolean:
            return repr("true" if self.default else "false")
        return repr(str(self.default))

    def read(self, text):
        """The value of `text` for this flag; FlagsError names the flag and the value, as absl's message."""
        try:
            value = self.parse(text)
        except (TypeError, ValueError) as e:
            raise FlagsError(f"flag --{self.name}={text}: {e}") from None
        return self.check(value) if self.check is not None else value


_PDB_NOTE = ("PDB is used by default; $PYTHONBREAKPOINT (https://docs.python.org/3/using/cmdline.html"
             "#envvar-PYTHONBREAKPOINT) can be used to specify")


def _default_random_seed():
    try:
        return int(os.environ.get("TEST_RANDOM_SEED", ""))
    except ValueError:
        return 301


def definitions():
    """Every flag of a test program, by name, with defaults read from the environment now (as absl reads them
    when its modules are imported)."""
    app, logs, tests = "absl.app", "absl.logging", "absl.testing.absltest"
    table = [
        Flag("help", app, False, "show this help", kind="bool", short_name="?"),
        Flag("helpfull", app, False, "show full help", kind="bool"),
        Flag("helpshort", app, False, "show this help", kind="bool"),
        Flag("helpxml", app, False, "like --helpfull, but generates XML output", kind="bool"),
        Flag("only_check_args", app, False, "Set to true to validate args and exit.", kind="bool"),
        Flag("only_check_flags", app, False, "Check if all flag definitions are valid and exit before main.",
             kind="bool"),
        Flag("pdb", app, False, "Alias for --pdb_post_mortem.", kind="bool", alias_of="pdb_post_mortem"),
        Flag("pdb_post_mortem", app, False, "Set to true to handle uncaught exceptions with the post mortem "
             f"debugger. {_PDB_NOTE} a custom one.", kind="bool"),
        Flag("profile_file", app, os.environ.get("ABSL_PYTHON_PROFILE_FILE"), "Dump profile information to a "
             "file (for python -m pstats). Implies --run_with_profiling."),
        Flag("run_with_pdb", app, False, f"Set to true for debug mode. {_PDB_NOTE} a custom debugger.",
             kind="bool"),
        Flag("run_with_profiling", app, False, "Set to true for profiling the script. Execution will be slower, "
             "and the output format might change over time.", kind="bool"),
        Flag("use_cprofile_for_profiling", app, True, "Use cProfile instead of the profile module for "
             "profiling. This has no effect unless --run_with_profiling is set.", kind="bool"),
        Flag("alsologtostderr", logs, False, "also log to stderr?", kind="bool"),
        Flag("log_dir", logs, os.environ.get("TEST_TMPDIR", ""), "directory to write logfiles into"),
        Flag("logger_levels", logs, {}, "Specify log level of loggers. The format is a CSV list of "
             "`name:level`. Where `name` is the logger name used with `logging.getLogger()`, and `level` is a "
             "level name  (INFO, DEBUG, etc). e.g. `myapp.foo:INFO,other.logger:DEBUG`",
             parse=_parse_logger_levels, serialize=lambda levels: ",".join(f"{n}:{v}" for n, v in levels.items())),
        Flag("logtostderr", logs, False, "Should only log to stderr?", kind="bool"),
        Flag("showprefixforinfo", logs, True, "If False, do not prepend prefix to info messages when it's logged "
             "to stderr, --verbosity is set to INFO level, and python logging is used.", kind="bool"),
        Flag("stderrthreshold", logs, "fatal", "log messages at this level, or more severe, to stderr in "
             "addition to the logfile.  Possible values are 'debug', 'info', 'warning', 'error', and 'fatal'.  "
             "Obsoletes --alsologtostderr. Using --alsologtostderr cancels the effect of this flag. Please also "
             "note that this flag is subject to --verbosity and requires logfile not be stderr.",
             check=_check_stderrthreshold),
        Flag("verbosity", logs, -1, "Logging verbosity level. Messages logged at this level or lower will be "
             "included. Set to 1 for debug logging. If the flag was not set or supplied, the value will be "
             "changed from the default of -1 (warning) to 0 (info) after flags are parsed.", kind="int",
             short_name="v", parse=_parse_int),
        Flag("test_random_seed", tests, _default_random_seed(), "Random seed for testing. Some test frameworks "
             "may change the default value of this flag between runs, so it is not appropriate for seeding "
             "probabilistic tests.", kind="int", parse=_parse_int),
        Flag("test_randomize_ordering_seed", tests, "", "If positive, use this as a seed to randomize the "
             "execution order for test cases. If \"random\", pick a random seed to use. If 0 or not set, do not "
             "randomize test case execution order. This flag also overrides the TEST_RANDOMIZE_ORDERING_SEED "
             "environment variable."),
        Flag("test_srcdir", tests, os.environ.get("TEST_SRCDIR", ""), "Root of directory tree where source "
             "files live"),
        Flag("test_tmpdir", tests, temp_paths.default_root(), "Directory for temporary testing files"),
        Flag("xml_output_file", tests, "", "File to store XML test results"),
    ]
    return {flag.name: flag for flag in table}


# absl's special flags: read by the parser itself, listed last in the help
SPECIAL = {flag.name: flag for flag in (
    Flag("flagfile", "absl.flags", "", "Insert flag definitions from the given file into the command line."),
    Flag("undefok", "absl.flags", "", "comma-separated list of flag names that it is okay to specify on the "
         "command line even if the program does not define a flag with that name.  IMPORTANT: flags in this "
         "list that have arguments MUST use the --flag=value format."),
)}


# ----------------------------------------------------------------------------- flagfiles
def _flagfile_name(arg):
    """The file of a `--flagfile=FILE`/`-flagfile=FILE` argument, else None."""
    for prefix in ("--flagfile=", "-flagfile="):
        if arg.startswith(prefix):
            return os.path.expanduser(arg[len(prefix):].strip())
    return None


def _flagfile_lines(filename, reading):
    """The arguments a flagfile holds (nested flagfiles expanded in place); `reading`: the files open above."""
    if not filename:
        return []
    if filename in reading:
        sys.stderr.write(f"Warning: Hit circular flagfile dependency. Ignoring flagfile: {filename}\n")
        return []
    try:
        with open(filename) as f:
            lines = f.readlines()
    except OSError as e:
        raise FlagsError(f"ERROR:: Unable to open flagfile: {e}") from None
    reading.append(filename)
    args = []
    for line in lines:
        if line.isspace() or line.startswith(("#", "//")):
            continue
        nested = _flagfile_name(line) if line.startswith(("--flagfile=", "-flagfile=")) else None
        if nested is not None:
            args += _flagfile_lines(nested, reading)
        else:
            args.append(line.strip())
    reading.pop()
    return args


def _expand_flagfiles(args):
    """`args` with each flagfile argument replaced by the file's arguments (up to `--`)."""
    expanded, rest = [], list(args)
    while rest:
        arg = rest.pop(0)
        if arg in ("--flagfile", "-flagfile"):
            if not rest:
                raise FlagsError("--flagfile with no argument")
            expanded += _flagfile_lines(os.path.expanduser(rest.pop(0)), [])
            continue
        filename = _flagfile_name(arg)
        if filename is not None:
            expanded += _flagfile_lines(filename, [])
            continue
        expanded.append(arg)
        if arg == "--":
            break
    return expanded + rest


# ----------------------------------------------------------------------------- parsing
def _edit_distance(a, b):
    """Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`."""
    previous_previous, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        previous_previous, previous = previous, current
    return previous[-1]


def suggestions(attempt, names):
    """The flag names closest to `attempt` (compared with their prefixes of its length), if close enough."""
    if len(attempt) <= 2:
        return []
    scored = sorted((_edit_distance(attempt, name[:len(attempt)]), name) for name in names)
    best = scored[0][0]
    if best >= 0.5 * len(attempt):
        return []
    return [name for distance, name in scored if distance == best]


def _by_any_name(flags):
    """name -> flag, for long and short names."""
    named = dict(flags)
    named.update({flag.short_name: flag for flag in flags.values() if flag.short_name})
    return named


def _next_value(arg, args):
    """The value of flag `arg` given apart, as the next argument (whatever it looks like)."""
    if not args:
        raise FlagsError(f"Missing value for flag {arg}")
    return args.pop(0)


def parse(argv, flags, on_value=None):
    """Parse the flags of `argv` as absl does. Returns (given: name -> value, in the order set, a name set again
    keeping its last value; the arguments left for unittest: argv[0], the positional ones, those after `--`).
    `on_value(flag, value, given)` is called as each flag is read, before it is kept (absl acts on some flags
    there: the help flags print and exit, the logging flags take effect)."""
    named = _by_any_name(flags)
    args = _expand_flagfiles(argv[1:])
    given, rest, unknown, undefok = {}, [argv[0]] if argv else [], [], set()
    while args:
        arg = args.pop(0)
        if arg == "--":
            break
        body = arg[2:] if arg.startswith("--") else arg[1:]
        name, has_value, value = body.partition("=")
        if not arg.startswith("-") or not name:
            rest.append(arg)
            continue
        if name == "undefok":
            listed = [n.strip() for n in (value if has_value else _next_value(arg, args)).split(",")]
            undefok.update(listed + ["no" + n for n in listed])
            continue
        flag = named.get(name)
        if flag is not None:
            text = value if has_value else "true" if flag.boolean else _next_value(arg, args)
        elif name.startswith("no") and len(name) > 2 and getattr(named.get(name[2:]), "boolean", False):
            if has_value:
                raise ValueError(f"{arg} does not take an argument")  # plain, as absl: not a parsing error
            flag, text = named[name[2:]], "false"
        else:
            unknown.append(name)
            continue
        parsed = flag.read(text)
        if flag.alias_of is not None:
            given.pop(flag.alias_of, None)
            given[flag.alias_of] = parsed
        if on_value is not None:  # before the value is kept, as absl's help flags print before they keep theirs
            on_value(flag, parsed, given)
        given.pop(flag.name, None)
        given[flag.name] = parsed
    for name in unknown:
        if name not in undefok:
            tip = suggestions(name, list(named))
            raise FlagsError(f"Unknown command line flag '{name}'" + (f". Did you mean: {', '.join(tip)} ?"
                                                                     if tip else ""))
    return given, rest + args


# ----------------------------------------------------------------------------- help
def _wrap(text, indent, first_indent=None):
    """absl's text_wrap: each line of `text` wrapped to the help width, the first with `first_indent`."""
    width = shutil.get_terminal_size(fallback=(80, 1)).columns
    first = textwrap.TextWrapper(width=width, initial_indent=indent if first_indent is None else first_indent,
                                 subsequent_indent=indent)
    later = textwrap.TextWrapper(width=width, initial_indent=indent, subsequent_indent=indent)
    lines = []
    for paragraph in (p.strip() for p in text.expandtabs(4).splitlines()):
        lines.extend(first.wrap(paragraph) if paragraph else [""])
        first = later
    return "\n".join(lines)


def usage_head(program):
    """What absl's usage prints first for a program without a docstring."""
    return _wrap(f"\nUSAGE: {program} [flags]\n", "       ", "")


def _describe(flag):
    names = (f"-{flag.short_name}," if flag.short_name else "") + (f"--[no]{flag.name}:" if flag.boolean
                                                                   else f"--{flag.name}:")
    text = _wrap(f"{names} {flag.help}", "    ", "  ")
    if flag.default_text() is not None:
        text += "\n" + _wrap(f"(default: {flag.default_text()})", "    ")
    if flag.kind == "int":
        text += "\n" + _wrap("(an integer)", "    ")
    return text


def help_text(program, flags):
    """`--helpfull`'s text: the usage, then each module's flags sorted by name (with their defaults), absl's special
    flags last."""
    modules = {}
    for flag in flags.values():
        modules.setdefault(flag.module, []).append(flag)
    lines = []
    for module in sorted(modules):
        lines.append(f"\n{module}:")
        lines += [_describe(flag) for flag in sorted(modules[module], key=lambda f: f.name)]
    lines.append("\nabsl.flags:")
    lines += [_describe(flag) for flag in SPECIAL.values()]
    return usage_head(program) + "\nflags:\n" + "\n".join(lines) + "\n"


def _xml_text(value):
    return str(value).lower() if isinstance(value, bool) else str(value)


def help_xml(program, flags, values):
    """`--helpxml`'s document: each flag (module, names, help, default, current value, type), as absl writes it."""
    doc = xml.dom.minidom.Document()
    root = doc.createElement("AllFlags")
    doc.appendChild(root)

    def element(parent, name, value):
        child = doc.createElement(name)
        child.appendChild(doc.createTextNode(_xml_text(value)))
        parent.appendChild(child)

    element(root, "program", os.path.basename(program))
    element(root, "usage", f"\nUSAGE: {program} [flags]\n")
    for flag in sorted(flags.values(), key=lambda f: (f.module, f.name)):
        entry = doc.createElement("flag")
        root.appendChild(entry)
        element(entry, "file", flag.module)
        element(entry, "name", flag.name)
        if flag.short_name:
            element(entry, "short_name", flag.short_name)
        element(entry, "meaning", flag.help)
        if flag.default is None:
            element(entry, "default", "")
        else:
            element(entry, "default", flag.serialize(flag.default) if flag.serialize else flag.default)
        element(entry, "current", values.get(flag.alias_of or flag.name, flag.default))
        element(entry, "type", flag.kind)
    return doc.toprettyxml(indent="  ", encoding="utf-8").decode("utf-8")
