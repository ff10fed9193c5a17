# tf.test.main()'s command line as absl's app parses it: --flagfile (comments, blank lines, nesting, the
# `--flagfile FILE` form, a missing or circular file), --undefok, boolean flags (`--name`, `--noname`,
# `--name=false/0/t`), --only_check_args/--only_check_flags, and the help flags (--help, -?, --helpshort,
# --helpfull, --helpxml). TF's --helpfull/--helpxml also list flags of TF's own modules (pfor, TPU client,
# tensor tracer), which eagerflow does not have: those sections are left out here.
import os
import re

from main_flags_helper import root, run_logged


def write(name, text):
    with open(os.path.join(root, name), "w") as f:
        f.write(text)


write("outer.flags", "# a comment\n// another comment\n\n   \nLogs\n-v=1\n--flagfile=inner.flags\n"
                     "--noshowprefixforinfo\n")
write("inner.flags", "--logger_levels=other:ERROR\n-flagfile=outer.flags\n")
write("indented.flags", "   --flagfile=inner.flags\n")
run_logged(["--flagfile=outer.flags"])
run_logged(["--flagfile", "outer.flags", "-v", "-1"])  # later flags win
run_logged(["-flagfile=indented.flags", "Logs"])
run_logged(["--flagfile=missing.flags"])
run_logged(["Logs", "--flagfile"])

run_logged(["Logs", "--undefok=foo,bar", "--foo=1", "--nobar", "-v=-1"])
run_logged(["Logs", "--foo=x", "--undefok", "foo", "-v=-1"])
run_logged(["Logs", "--undefok=foo", "--foo", "1", "-v=-1"])
run_logged(["Logs", "--undefok=foo", "--zzzz"])

for args in (["--only_check_args"], ["--only_check_args=t"], ["--only_check_args", "--zzzz"],
             ["--only_check_flags", "--zzzz"], ["--noonly_check_args", "-v=-1"], ["--only_check_args=0", "-v=-1"]):
    run_logged(["Logs", *args])

for args in (["--help"], ["-?"], ["--helpshort"], ["-h"], ["--help=false", "-v=-1"], ["--nohelp", "-v=-1"],
             ["-v=abc", "--help"], ["--help", "-v=abc"]):
    run_logged(["Logs", *args])


def without_tf_modules(lines):
    """--helpfull's lines without the sections of modules named tensorflow.*"""
    kept, skipping = [], False
    for line in lines:
        if re.match(r"^\S+:$", line):
            skipping = line.startswith("tensorflow.")
        if not skipping:
            kept.append(line)
    return kept


p = run_logged(["Logs", "--helpfull"], show_stdout=False)
for line in without_tf_modules(p.stdout.replace(root, "<ROOT>").splitlines()):
    print(" ", line)

p = run_logged(["Logs", "--test_tmpdir=" + os.path.join(root, "given"), "-v", "1", "--noalsologtostderr",
                "--helpxml"], show_stdout=False)
document = p.stdout.replace(root, "<ROOT>")
end = document.index("</AllFlags>")
for part in re.split(r"(?=  <flag>)", document[:end]):
    if "<file>tensorflow." not in part:
        print(part.rstrip("\n"))
print(document[end:].rstrip("\n"))
