"""Owner lifecycle segments (rule M2), from the move-in date and the company's chosen variant."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Q, QuerySet, Value, When

from estates.choices import SegmentVariant

from .choices import OwnerSegment

# Months since move-in at which each later segment begins, per variant.
THRESHOLDS = {
    SegmentVariant.STANDARD: {OwnerSegment.RUN_IN: 3, OwnerSegment.STABLE: 12, OwnerSegment.OLD_OWNER: 24},
    SegmentVariant.HALF_YEAR: {OwnerSegment.RUN_IN: 0, OwnerSegment.STABLE: 6, OwnerSegment.OLD_OWNER: 24},
}


def owner_segment(
    *, moved_in_on: datetime.date | None, on: datetime.date, variant: str = SegmentVariant.STANDARD
) -> OwnerSegment:
    """The segment of an owner who moved in on `moved_in_on` (None: bought, not moved in yet)."""
    if moved_in_on is None or moved_in_on > on:
        return OwnerSegment.PRE_OWNER
    segment = OwnerSegment.PRE_OWNER
    for candidate, months in THRESHOLDS[SegmentVariant(variant)].items():
        if on >= moved_in_on + relativedelta(months=months):
            segment = candidate
    return segment


def annotate_segment(purchases: QuerySet, *, on: datetime.date, field: str = "segment") -> QuerySet:
    """Add the owner segment of each purchase as a database expression, so figures group by it."""
    cases = []
    for variant, thresholds in THRESHOLDS.items():
        for segment, months in sorted(thresholds.items(), key=lambda item: -item[1]):
            cutoff = on - relativedelta(months=months)
            cases.append(
                When(Q(project__company__segment_variant=variant, moved_in_on__lte=cutoff), then=Value(segment.value))
            )
    return purchases.annotate(**{field: Case(*cases, default=Value(OwnerSegment.PRE_OWNER.value))})
