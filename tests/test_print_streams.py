import logging

import pytest

import eagerflow as ef


@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING, logging.ERROR])
def test_print_to_a_logging_level_logs_one_record(level, caplog):
    with caplog.at_level(logging.DEBUG, logger="eagerflow"):
        ef.print("value", ef.constant([1, 2]), output_stream=level)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [("eagerflow", level, "value [1 2]")]


@pytest.mark.parametrize("bad", [logging.CRITICAL, logging.DEBUG, "stdout", 3.5, object()])
def test_print_refuses_other_streams_before_printing(bad):
    with pytest.raises(ValueError, match="Unsupported output stream"):
        ef.print("x", output_stream=bad)
