"""The Variables guide, run unchanged on eagerflow, prints what TensorFlow 2.21 prints."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_variables_guide_output_matches_tensorflow():
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "variables_guide.py")], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    expected = (ROOT / "tests" / "guide_expected.txt").read_text().splitlines()
    got = result.stdout.splitlines()
    for number, (want, line) in enumerate(zip(expected, got), start=1):
        assert line == want, f"line {number}: expected {want!r}, got {line!r}"
    assert len(got) == len(expected), f"{len(got)} lines printed, {len(expected)} expected"
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr
