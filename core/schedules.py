"""Scheduled duties are declared in code and upserted into django-celery-beat by name.

Upserting by name keeps what an administrator changed in the admin (enabled, last run) across
deploys, while a new duty appears by itself after `migrate`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

_duties: dict[str, Duty] = {}


@dataclass(frozen=True)
class Duty:
    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    description: str = ""


def register(duty: Duty) -> Duty:
    _duties[duty.name] = duty
    return duty


def registered() -> list[Duty]:
    return sorted(_duties.values(), key=lambda duty: duty.name)


def sync() -> int:
    """Create or update one PeriodicTask per registered duty. Returns how many were created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for duty in registered():
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=duty.minute,
            hour=duty.hour,
            day_of_week=duty.day_of_week,
            day_of_month=duty.day_of_month,
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        _, was_created = PeriodicTask.objects.update_or_create(
            name=duty.name,
            defaults={"task": duty.task, "crontab": schedule, "interval": None, "description": duty.description},
        )
        created += was_created
    return created
