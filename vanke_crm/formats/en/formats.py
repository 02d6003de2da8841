"""English forms show dates as Chinese ones do (year-month-day, unambiguous); the US forms are still accepted."""

from django.conf.locale.en.formats import DATE_INPUT_FORMATS as _DJANGO_DATES
from django.conf.locale.en.formats import DATETIME_INPUT_FORMATS as _DJANGO_DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DJANGO_DATES if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", *(f for f in _DJANGO_DATETIMES if f != "%Y-%m-%d %H:%M")]
