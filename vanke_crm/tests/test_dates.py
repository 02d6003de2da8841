"""Dates in the dashboard's forms are written the way the reader's language writes them (2026-12-02 in Chinese),
whatever the browser's own locale, and can be picked from a calendar."""

import datetime

import django_filters
import pytest
from django import forms
from django.conf import settings

from core.browser import chromium_page, chromium_path, sign_in
from core.roles import Role
from core.testing import classes_defined_in, form_modules, make_staff
from core.widgets import DateInput, DateTimeInput


def test_every_date_field_of_every_dashboard_form_and_filter_is_written_in_the_language_with_a_calendar():
    plain = []
    for module in form_modules():
        for form in classes_defined_in(module, forms.BaseForm):
            for name, field in form.base_fields.items():
                if isinstance(field, forms.DateTimeField) and not isinstance(field.widget, DateTimeInput):
                    plain.append(f"{form.__qualname__}.{name}")
                if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
                    plain.append(f"{form.__qualname__}.{name}")
        for filterset in classes_defined_in(module, django_filters.FilterSet):
            for name, found in filterset.base_filters.items():
                if isinstance(found, django_filters.DateFilter) and not isinstance(found.field.widget, DateInput):
                    plain.append(f"{filterset.__qualname__}.{name}")

    assert plain == []


@pytest.mark.parametrize(("language", "also_read"), [("zh-hans", "2026/12/02"), ("en", "12/02/2026")])
def test_a_date_field_shows_and_reads_year_month_day_in_either_language(client, project, staff, language, also_read):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(staff[Role.SALES_SUPERVISOR])

    page = client.get("/members/reports/daily/?date=2026-12-02").text
    assert 'value="2026-12-02"' in page and 'data-format="%Y-%m-%d"' in page and 'placeholder="YYYY-MM-DD"' in page
    assert 'type="date"' not in page
    assert "2026-12-02" in client.get(f"/members/reports/daily/?date={also_read}").text


def test_a_date_time_field_shows_minutes_without_seconds():
    widget = DateTimeInput()
    at = datetime.datetime(2026, 12, 2, 9, 30)

    html = widget.render("call_back_at", at)

    assert 'value="2026-12-02 09:30"' in html and 'data-calendar="datetime-local"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chinese_dashboard_in_an_english_browser_writes_the_day_picked_from_the_calendar_as_2026_03_01(
    live_server, project, monkeypatch
):
    from touchpoints.models import Execution, ProjectAction

    if chromium_path() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests need it.")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_staff(Role.CUSTOMER_SERVICE, projects=[project], username="planner")
    with chromium_page(locale="en-US", viewport={"width": 1366, "height": 900}) as page:
        page.set_default_timeout(20_000)
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}])
        sign_in(page, live_server.url, "planner")
        page.goto(f"{live_server.url}/touchpoints/plan/?project={project.pk}")
        planned = ProjectAction.objects.get(project=project, action__code="sunshine_declaration")
        row = page.locator(f"#plan-{planned.pk}")
        row.locator("summary").click()
        field = row.locator("input[name=executed_on]")

        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert field.get_attribute("type") == "text" and field.get_attribute("placeholder") == "YYYY-MM-DD"
        row.locator(".calendar-button").first.click()
        # The browser's calendar is its own window; choosing a day there sets the native input and fires change.
        row.locator("form.form-grid input.calendar-native").evaluate(
            "input => { input.value = '2026-03-01'; input.dispatchEvent(new Event('change')); }"
        )
        assert field.input_value() == "2026-03-01"
        with page.expect_navigation():
            row.locator("form.form-grid button[type=submit]").click()

        assert page.is_visible(".message-success")
    assert Execution.objects.get(planned_action=planned).executed_on == datetime.date(2026, 3, 1)


def test_no_template_asks_the_browser_for_its_own_date_input():
    written_by_hand = [
        path.relative_to(settings.BASE_DIR).as_posix()
        for path in settings.BASE_DIR.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and ('type="date"' in (text := path.read_text()) or "datetime-local" in text)
    ]

    assert written_by_hand == []
