"""The owner's own rating, beside the staff's return visit: a dissatisfied owner reopens the record (C9, C13)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import DISSATISFIED_RATINGS, EventKind
from ..models import Complaint, OwnerRating, RepairOrder
from ..workflow import COMPLAINT_FLOW, REPAIR_FLOW
from .common import event, lock


@transaction.atomic
def rate_complaint(*, complaint: Complaint, actor, score: int, comment: str = "") -> OwnerRating:
    """`actor` is the complaint's customer (members.Customer); the workflow refuses anyone else."""
    complaint = lock(complaint)
    COMPLAINT_FLOW.take(complaint, "owner-rating", actor)
    rating = OwnerRating.objects.create(
        complaint=complaint,
        project=complaint.project,
        customer=actor,
        cycle=complaint.reopen_count,
        score=score,
        comment=comment.strip(),
    )
    event(
        complaint,
        EventKind.OWNER_RATING,
        None,
        note=f"{score}/5 {rating.comment}".strip(),
        data={"rating": rating.pk, "score": score},
    )
    if score in DISSATISFIED_RATINGS:
        from .workflow import _reopen

        _reopen(
            complaint,
            None,
            _("The owner rated the handling %(score)s/5 in the owner portal: %(comment)s")
            % {"score": score, "comment": rating.comment or "—"},
            check_actor=False,
        )
    return rating


@transaction.atomic
def rate_repair(*, order: RepairOrder, actor, score: int, comment: str = "") -> OwnerRating:
    from .repairs import _lock, reopen

    order = _lock(order)
    REPAIR_FLOW.take(order, "owner-rating", actor)
    rating = OwnerRating.objects.create(
        repair_order=order,
        project=order.project,
        customer=actor,
        cycle=order.reopen_count,
        score=score,
        comment=comment.strip(),
    )
    if score in DISSATISFIED_RATINGS:
        reopen(
            order,
            None,
            _("The owner rated the repair %(score)s/5 in the owner portal: %(comment)s")
            % {"score": score, "comment": rating.comment or "—"},
            check_actor=False,
        )
    return rating
