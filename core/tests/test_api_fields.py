"""The API writes moments as DRF does, in the reader's time zone (core.api.fields.DateTimeField), with the zone
looked up once per serializer."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from core.api.fields import DateTimeField

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
MOMENTS = [
    datetime.datetime(2026, 3, 1, 0, 0, tzinfo=SHANGHAI),
    datetime.datetime(2026, 2, 28, 16, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC),
    datetime.datetime(1900, 1, 1, 12, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 6, 1, 8, 30),  # naive: made aware in the zone, as DRF does
    "2026-06-01T08:30:00+08:00",  # a string is written as given
    None,
]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_a_moment_reads_as_drf_writes_it(zone, moment):
    with timezone.override(zone):
        ours, drfs = DateTimeField(), serializers.DateTimeField()
        assert ours.to_representation(moment) == drfs.to_representation(moment)


def test_utc_is_written_with_a_z_and_shanghai_with_its_offset():
    moment = datetime.datetime(2026, 2, 28, 16, 0, tzinfo=datetime.UTC)
    with timezone.override("UTC"):
        assert DateTimeField().to_representation(moment) == "2026-02-28T16:00:00Z"
    with timezone.override("Asia/Shanghai"):
        assert DateTimeField().to_representation(moment) == "2026-03-01T00:00:00+08:00"


def test_a_format_other_than_iso_is_drfs_to_write():
    moment = datetime.datetime(2026, 2, 28, 16, 0, tzinfo=datetime.UTC)
    with timezone.override("Asia/Shanghai"):
        assert DateTimeField(format="%Y-%m-%d %H:%M").to_representation(moment) == "2026-03-01 00:00"
