"""When a clock is due: calendar hours by default, or business hours on Chinese working days.

Working days come from `chinesecalendar` (public holidays and the adjusted working weekends the
State Council publishes); for years the package does not cover yet, Monday to Friday.
"""

from __future__ import annotations

import datetime

import chinese_calendar
from django.utils import timezone

from .choices import ClockCalendar


def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def due_after(start: datetime.datetime, duration: datetime.timedelta, config) -> datetime.datetime:
    """`start` plus `duration`, counted in the company's clock hours."""
    if config is None or config.calendar == ClockCalendar.CALENDAR:
        return start + duration
    zone = timezone.get_current_timezone()
    moment = timezone.localtime(start, zone)
    remaining = duration
    for _day in range(3660):  # ten years of days: far beyond any clock
        day = moment.date()
        opens = timezone.make_aware(datetime.datetime.combine(day, config.workday_starts), zone)
        closes = timezone.make_aware(datetime.datetime.combine(day, config.workday_ends), zone)
        if is_workday(day) and moment < closes:
            moment = max(moment, opens)
            available = closes - moment
            if remaining <= available:
                return moment + remaining
            remaining -= available
        next_day = day + datetime.timedelta(days=1)
        moment = timezone.make_aware(datetime.datetime.combine(next_day, config.workday_starts), zone)
    raise ValueError("duration too long for business hours")
