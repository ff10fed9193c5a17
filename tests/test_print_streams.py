import logging
import re

import pytest

import eagerflow as ef


@pytest.mark.parametrize("level,line", [(logging.INFO, "I.*logging_ops.cc:169"),
                                        (logging.WARNING, "W.*logging_ops.cc:171"),
                                        (logging.ERROR, "E.*logging_ops.cc:173")])
def test_print_to_a_logging_level_writes_tf_s_log_line(level, line, capsys, monkeypatch):
    # TF 2.21 writes a line of its C++ log: severity, absl's uninitialized date and the time, the thread, the line
    # of logging_ops.cc that logs it, the text (with its end, and the log's own newline)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    ef.print("value", ef.constant([1, 2]), output_stream=level)
    err = capsys.readouterr().err
    assert re.fullmatch(line.replace(".*", r"0000 00:00:\d+\.\d{6} +\d+ ") + r"\] value \[1 2\]\n\n", err), err
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")   # as TF: below the minimum level, nothing
    ef.print("value", output_stream=level)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("bad", [logging.CRITICAL, logging.DEBUG, "stdout", 3.5, object()])
def test_print_refuses_other_streams_before_printing(bad):
    with pytest.raises(ValueError, match="Unsupported output stream"):
        ef.print("x", output_stream=bad)
