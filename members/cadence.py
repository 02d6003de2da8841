"""The follow-up cadence engine (rules L2, L3): when a lead's next follow-up falls due.

Pure functions of the grade, the dates and the project's LeadRules, so the services, the
monthly cycle and the tests all compute the same dates.
"""

from __future__ import annotations

import datetime

from .choices import C_FAMILY, LeadGrade


def due_after_grading(*, grade: str, graded_on: datetime.date, rules) -> datetime.date | None:
    """L2: a newly graded A, B or C lead is followed up the same day; D waits its interval."""
    if grade in (LeadGrade.A, LeadGrade.B) or grade in C_FAMILY:
        return graded_on
    if grade == LeadGrade.D:
        return graded_on + datetime.timedelta(days=rules.d_interval_days)
    return None


def latest_due(
    *, grade: str, followed_on: datetime.date, rules, opening_date: datetime.date | None = None
) -> datetime.date | None:
    """L3: the latest day the next follow-up may fall on after one made on `followed_on`."""
    if grade == LeadGrade.A:
        due = followed_on + datetime.timedelta(days=rules.a_interval_days)
        if opening_date and followed_on < opening_date:
            # Weekly before the opening, and once within a few days after it.
            due = min(due, opening_date + datetime.timedelta(days=rules.a_after_opening_days))
        return due
    if grade == LeadGrade.B:
        return followed_on + datetime.timedelta(days=rules.b_interval_days)
    if grade in C_FAMILY:
        return followed_on + datetime.timedelta(days=rules.c_interval_days)
    if grade == LeadGrade.D:
        return followed_on + datetime.timedelta(days=rules.d_interval_days)
    return None
