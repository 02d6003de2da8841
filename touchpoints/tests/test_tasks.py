"""The beat duty: registered with core.schedules and runs the scan through Celery."""

import datetime

from core import schedules
from touchpoints.choices import Duty
from touchpoints.models import CareTask
from touchpoints.tasks import run_care_schedule


def test_the_daily_care_scan_is_a_registered_beat_duty(db):
    duty = next(d for d in schedules.registered() if d.task == "touchpoints.run_care_schedule")
    assert (duty.hour, duty.minute) == ("6", "15")


def test_the_task_runs_the_scan(project, buy, frozen):
    buy(signed_on=datetime.date(2026, 3, 1))

    with frozen(datetime.date(2026, 3, 2)):
        result = run_care_schedule.apply().get()

    assert result["created"] >= 2
    assert CareTask.objects.filter(duty=Duty.SIGNING_SURVEY_CALL).count() == 1
