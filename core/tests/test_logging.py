"""Personal data never reaches the logs."""
import logging

from core.logging import MaskPersonalData, redact


def test_mobile_and_id_numbers_are_redacted_from_log_lines():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sms to %s for %s",
                               ("+8613812345678", "11010519491231002X"), None)

    MaskPersonalData().filter(record)

    assert "13812345678" not in record.getMessage()
    assert "11010519491231002X" not in record.getMessage()


def test_other_numbers_are_left_alone():
    assert redact("order 2026 unit 1201 price 3580000") == "order 2026 unit 1201 price 3580000"
