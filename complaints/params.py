"""Query parameters the complaints reports take, read alike by the API and the dashboard.

Each reader takes the request's query dict (`request.GET` or DRF's `request.query_params`) and answers
the values or a DomainError on the parameter at fault.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from estates.models import Company
from estates.selectors import projects_for

from .selectors import previous_quarter


def year_month(params) -> tuple[int, int]:
    """`?year=&month=`, this month by default (rule C12)."""
    today = timezone.localdate()
    try:
        year = int(params.get("year") or today.year)
        month = int(params.get("month") or today.month)
    except ValueError as error:
        raise DomainError(_("Give the year and month as numbers."), field="month") from error
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise DomainError(_("No such month."), field="month")
    return year, month


def day(params, name: str = "day") -> datetime.date | None:
    value = params.get(name)
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError as error:
        raise DomainError(_("Give the day as YYYY-MM-DD."), field=name) from error


def handbook_companies(user):
    """Rule D3: the companies whose handbook this reader may open — those of the projects they work on."""
    return Company.objects.filter(projects__in=projects_for(user)).distinct().order_by("name")


def handbook(params, user) -> tuple[Company, int, int]:
    """`?company=&year=&quarter=`: the reader's company (their first by default) and the last quarter."""
    companies = handbook_companies(user)
    chosen = params.get("company")
    if chosen:
        company = companies.filter(pk=int(chosen) if str(chosen).isdigit() else 0).first()
        if company is None:
            raise DomainError(_("No such company among yours."), code="unknown_company", field="company")
    else:
        company = companies.first()
        if company is None:
            raise DomainError(_("You work on no company's projects."), code="unknown_company", field="company")
    default_year, default_quarter = previous_quarter(timezone.localdate())
    try:
        year = int(params.get("year") or default_year)
        quarter = int(params.get("quarter") or default_quarter)
    except ValueError as error:
        raise DomainError(_("Give the year and quarter as numbers."), field="quarter") from error
    if quarter not in (1, 2, 3, 4):
        raise DomainError(_("A quarter is 1 to 4."), field="quarter")
    if not 2000 <= year <= 2100:
        raise DomainError(_("No such year."), field="year")
    return company, year, quarter
