"""Personal data never reaches the logs."""

import logging

import pytest

from core.logging import MaskPersonalData, redact


def test_mobile_and_id_numbers_are_redacted_from_log_lines():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "sms to %s for %s", ("+8613812345678", "11010519491231002X"), None
    )

    MaskPersonalData().filter(record)

    assert "13812345678" not in record.getMessage()
    assert "11010519491231002X" not in record.getMessage()


def test_other_numbers_are_left_alone():
    assert redact("order 2026 unit 1201 price 3580000") == "order 2026 unit 1201 price 3580000"


@pytest.mark.django_db
def test_a_refused_page_is_a_page_in_the_dashboard_frame_and_one_log_line(client, caplog):
    import logging

    from core.logging import OneLineRefusals
    from core.roles import Role
    from core.testing import make_staff

    client.force_login(make_staff(Role.CONSULTANT))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/complaints/report/")
    assert response.status_code == 403
    assert 'class="sidebar"' in response.content.decode() and "/" in response.content.decode()
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    OneLineRefusals().filter(record)
    assert record.exc_info is None
    assert "\n" not in logging.Formatter().format(record)
