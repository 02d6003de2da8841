"""Owner lifecycle segments (M2), in both variants, in Python and in the database."""

import datetime

import pytest

from estates.choices import SegmentVariant
from members.choices import OwnerSegment
from members.segments import annotate_segment, owner_segment

from .factories import PurchaseFactory

TODAY = datetime.date(2026, 11, 24)

STANDARD_CASES = [
    (None, OwnerSegment.PRE_OWNER),
    (datetime.date(2026, 9, 1), OwnerSegment.PRE_OWNER),  # under 3 months
    (datetime.date(2026, 8, 24), OwnerSegment.RUN_IN),  # exactly 3 months
    (datetime.date(2025, 11, 25), OwnerSegment.RUN_IN),  # a day short of a year
    (datetime.date(2025, 11, 24), OwnerSegment.STABLE),  # one year
    (datetime.date(2024, 11, 25), OwnerSegment.STABLE),
    (datetime.date(2024, 11, 24), OwnerSegment.OLD_OWNER),  # two years
]
HALF_YEAR_CASES = [
    (None, OwnerSegment.PRE_OWNER),
    (datetime.date(2026, 11, 1), OwnerSegment.RUN_IN),
    (datetime.date(2026, 5, 25), OwnerSegment.RUN_IN),
    (datetime.date(2026, 5, 24), OwnerSegment.STABLE),  # half a year
    (datetime.date(2024, 11, 24), OwnerSegment.OLD_OWNER),
]


@pytest.mark.rule("M2")
@pytest.mark.parametrize(("moved_in_on", "expected"), STANDARD_CASES)
def test_standard_segments(moved_in_on, expected):
    assert owner_segment(moved_in_on=moved_in_on, on=TODAY) == expected


@pytest.mark.rule("M2")
@pytest.mark.parametrize(("moved_in_on", "expected"), HALF_YEAR_CASES)
def test_half_year_variant_segments(moved_in_on, expected):
    assert owner_segment(moved_in_on=moved_in_on, on=TODAY, variant=SegmentVariant.HALF_YEAR) == expected


@pytest.mark.rule("M2")
@pytest.mark.parametrize("variant", list(SegmentVariant))
def test_the_database_agrees_with_python(db, variant):
    cases = STANDARD_CASES if variant == SegmentVariant.STANDARD else HALF_YEAR_CASES
    purchases = [PurchaseFactory(moved_in_on=moved_in_on) for moved_in_on, _ in cases]
    for purchase in purchases:
        purchase.project.company.segment_variant = variant
        purchase.project.company.save()

    from members.models import Purchase

    rows = dict(
        annotate_segment(Purchase.objects.filter(pk__in=[p.pk for p in purchases]), on=TODAY).values_list(
            "pk", "segment"
        )
    )
    assert [rows[purchase.pk] for purchase in purchases] == [expected.value for _, expected in cases]
