"""Rule L1: what each lead grade requires, declared once.

The services validate a grading against this table; the API documents it, the dashboard draws one
group of checkboxes per grade from it and the admin shows a lead's checklist with it.

A grade fits when every criterion of one of its ways is ticked: most grades have one way, D and
invalid have alternatives (the seed's "or").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import lazy

from .choices import LeadCriterion as C
from .choices import LeadGrade


@dataclass(frozen=True)
class Checklist:
    grade: LeadGrade
    ways: tuple[tuple[C, ...], ...]

    @property
    def criteria(self) -> tuple[C, ...]:
        """Every criterion that belongs to the grade, in the table's order."""
        seen: list[C] = []
        for way in self.ways:
            seen.extend(criterion for criterion in way if criterion not in seen)
        return tuple(seen)

    def fits(self, ticked) -> bool:
        return any(set(way) <= set(ticked) for way in self.ways)

    def missing(self, ticked) -> list[C]:
        """What is still to tick: for a grade with alternatives, the way closest to being met."""
        if self.fits(ticked):
            return []
        gaps = [[criterion for criterion in way if criterion not in set(ticked)] for way in self.ways]
        return min(gaps, key=len)

    def alternatives(self) -> str:
        """The ways in the API's words: `a + b` for all of them, `x | y` for either."""
        return " | ".join(" + ".join(criterion.value for criterion in way) for way in self.ways)


C_WAY = (C.HAS_NEED, C.CAN_AFFORD, C.CAN_BE_GUIDED)

CHECKLISTS: dict[str, Checklist] = {
    checklist.grade: checklist
    for checklist in (
        # Unit chosen, intention or reservation money paid, funds or loan eligibility ready.
        Checklist(LeadGrade.A, ((C.UNIT_CHOSEN, C.MONEY_PAID, C.FUNDS_READY),)),
        # Clear intention, units shortlisted, can afford, accepts location, product and price (or close).
        Checklist(
            LeadGrade.B,
            (
                (
                    C.CLEAR_INTENTION,
                    C.UNITS_SHORTLISTED,
                    C.CAN_AFFORD,
                    C.ACCEPTS_LOCATION,
                    C.ACCEPTS_PRODUCT,
                    C.ACCEPTS_PRICE,
                ),
            ),
        ),
        # A need and some intention, some means, the rest can be guided.
        Checklist(LeadGrade.C, (C_WAY,)),
        # As C, but a price resistance that cannot be guided: buys at promotions.
        Checklist(LeadGrade.C1, ((*C_WAY, C.PRICE_RESISTANCE),)),
        # The current product cannot meet the need, a later phase can: kept as reserve.
        Checklist(LeadGrade.C2, ((C.HAS_NEED, C.CAN_AFFORD, C.LATER_PHASE_FITS),)),
        # No product fits, or no means, or return visits confirmed no intention (and the manager approves).
        Checklist(LeadGrade.D, ((C.NO_FIT,), (C.NO_MEANS,), (C.NO_INTENTION_CONFIRMED,))),
        # Two or more consultants found no chance of a deal, or an invalid visit the manager confirms.
        Checklist(LeadGrade.INVALID, ((C.NO_DEAL_AFTER_CONSULTANTS,), (C.INVALID_VISIT,))),
    )
}

# Criteria the record itself must bear out: (criterion, what the service checks).
# NO_INTENTION_CONFIRMED: the project's number of return visits (LeadRules.d_return_visits) was made.
# NO_DEAL_AFTER_CONSULTANTS: two or more consultants recorded follow-ups; otherwise the manager confirms.
NEEDS_THE_MANAGER = {LeadGrade.D: (C.NO_INTENTION_CONFIRMED,), LeadGrade.INVALID: (C.INVALID_VISIT,)}
CONSULTANTS_FOR_NO_DEAL = 2


def checklist(grade: str) -> Checklist:
    return CHECKLISTS[grade]


def outside(grade: str, ticked) -> list[str]:
    """Ticked criteria that are not part of the grade's checklist."""
    own = set(CHECKLISTS[grade].criteria)
    return [value for value in ticked if value not in own]


def only_through(grade: str, ticked, criteria) -> bool:
    """Whether the grade fits only by a way that contains one of `criteria` (so that way's conditions apply)."""
    fitting = [way for way in CHECKLISTS[grade].ways if set(way) <= set(ticked)]
    return bool(fitting) and all(set(way) & set(criteria) for way in fitting)


def _describe() -> str:
    return "; ".join(f"{checklist.grade.value}: {checklist.alternatives()}" for checklist in CHECKLISTS.values())


# The table in the API's words, for the schema.
describe = lazy(_describe, str)


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """(grade, [(criterion, label), …]) for one group of checkboxes per grade."""
    return [
        (checklist.grade.value, [(criterion.value, criterion.label) for criterion in checklist.criteria])
        for checklist in CHECKLISTS.values()
    ]
