"""Every write of the sales office that carries a rule.

Customers (one phone, one customer per company; consent M3), visits and the club invitation (J5),
leads and their grades (L1, L2, L6–L9), follow-ups (L3), the scheduled duties (L3–L6), club
memberships (M1) and purchases from subscription to move-in (J23) with the three-day
cancellation (J4).
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from itertools import chain
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import sees_own_team_only, team_member_ids, works_on
from core.db import rows_by_id
from core.errors import ActionForbidden, DomainError, TransitionNotAllowed
from core.models import User
from core.roles import SALES, Role
from estates.choices import UnitStatus
from estates.models import Unit
from estates.services import rules_for

from . import cadence, grading, selectors, signals
from .choices import (
    ApprovalKind,
    ApprovalStatus,
    GradeChangeKind,
    InvitationOutcome,
    LeadCriterion,
    LeadGrade,
    LeadStatus,
    MemberLevel,
    PurchaseStatus,
    Reaction,
    ReportKind,
    SourceChannel,
    VisitKind,
)
from .models import (
    Customer,
    FollowUp,
    GradeChange,
    Lead,
    LeadApproval,
    LeadRules,
    Membership,
    OverdueFlag,
    Purchase,
    SalesReport,
    Visit,
)

NOT_A_CONSULTANT_HERE = _("This person is not on the sales team of the customer's project.")
NOT_IN_TEAM = _("You can only give a customer to someone in your own team.")
DUPLICATE_MOBILE = _("A customer with this mobile phone number is already registered in this company.")


@transaction.atomic
def register_customer(*, project, name: str, mobile, actor, consultant=None, **fields) -> Customer:
    """Register a new customer; a known phone number in the same company is refused."""
    _refuse_duplicate(company_id=project.company_id, mobile=mobile)
    if consultant is None and actor is not None and Role.CONSULTANT in actor.roles:
        consultant = actor
    _check_consultant(consultant=consultant, project=project, actor=actor)
    customer = Customer(project=project, name=name, mobile=mobile, consultant=consultant, **fields)
    if customer.consents_to_messages:
        customer.consent_changed_at = timezone.now()
    return _save(customer, actor)


@transaction.atomic
def update_customer(*, customer: Customer, actor, **changes) -> Customer:
    consent_before = customer.consents_to_messages
    for field, value in changes.items():
        setattr(customer, field, value)
    if "mobile" in changes or "project" in changes:
        _refuse_duplicate(company_id=customer.project.company_id, mobile=customer.mobile, exclude=customer.pk)
    if "consultant" in changes or "project" in changes:
        _check_consultant(consultant=customer.consultant, project=customer.project, actor=actor)
    if customer.consents_to_messages != consent_before:
        customer.consent_changed_at = timezone.now()
    return _save(customer, actor)


@transaction.atomic
def set_message_consent(*, customer: Customer, consents: bool, actor) -> Customer:
    """Opt in or out of messages; an opt-out takes effect for the very next message (M3).

    `actor` is who recorded the customer's wish (None only for the customer's own channel, e.g. an
    unsubscribe link); the audit trail names them."""
    if customer.consents_to_messages == consents:
        return customer
    customer.consents_to_messages = consents
    customer.consent_changed_at = timezone.now()
    return _save(customer, actor, update_fields=["consents_to_messages", "consent_changed_at", "updated_at"])


def _check_consultant(*, consultant, project, actor) -> None:
    """A customer's consultant sells on the customer's project; sales staff below the manager may only
    give a customer to someone in their own team (L10)."""
    if consultant is None:
        return
    if not (consultant.has_role(*SALES) and works_on(consultant, project)):
        raise DomainError(NOT_A_CONSULTANT_HERE, code="consultant_not_on_project", field="consultant")
    if actor is not None and sees_own_team_only(actor) and consultant.pk not in team_member_ids(actor):
        raise DomainError(NOT_IN_TEAM, code="consultant_not_in_team", field="consultant")


def _refuse_duplicate(*, company_id: int, mobile, exclude: int | None = None) -> None:
    duplicates = Customer.objects.filter(company_id=company_id, mobile=mobile)
    if exclude:
        duplicates = duplicates.exclude(pk=exclude)
    if duplicates.exists():
        raise DomainError(DUPLICATE_MOBILE, code="duplicate_mobile", field="mobile")


# --- Visits and the club invitation (J5) -------------------------------------------------------


@transaction.atomic
def register_visit(
    *,
    project,
    mobile,
    actor,
    name: str = "",
    consultant=None,
    channel=SourceChannel.WALK_IN,
    visited_at: datetime.datetime | None = None,
    invited_to_club: bool = False,
    invitation_outcome: str = "",
    notes: str = "",
    **customer_fields,
) -> Visit:
    """Record a visit; a known phone links to the customer, an unknown one registers them.

    A first visit (the customer's first to this project) records the club invitation (J5): whether
    it was made and, if so, what the customer answered. Joining makes them a member at once.
    """
    customer = selectors.customer_by_mobile(company_id=project.company_id, mobile=mobile)
    if consultant is None and actor is not None and Role.CONSULTANT in actor.roles:
        consultant = actor
    if customer is None:
        if not name:
            raise DomainError(_("A new visitor needs a name."), code="name_required", field="name")
        customer = register_customer(
            project=project,
            name=name,
            mobile=mobile,
            actor=actor,
            consultant=consultant,
            source_channel=channel,
            **customer_fields,
        )
    kind = VisitKind.RETURN if Visit.objects.filter(customer=customer, project=project).exists() else VisitKind.FIRST
    if invited_to_club and not invitation_outcome:
        raise DomainError(
            _("Record what the visitor answered to the club invitation."),
            code="invitation_outcome_required",
            field="invitation_outcome",
        )
    if invitation_outcome and not invited_to_club:
        raise DomainError(
            _("An outcome needs the invitation to have been made."),
            code="invitation_not_made",
            field="invitation_outcome",
        )
    visit = Visit.objects.create(
        customer=customer,
        project=project,
        consultant=consultant or customer.consultant,
        kind=kind,
        channel=channel,
        visited_at=visited_at or timezone.now(),
        invited_to_club=invited_to_club,
        invitation_outcome=invitation_outcome,
        notes=notes,
    )
    if invitation_outcome == InvitationOutcome.JOINED and not Membership.objects.filter(customer=customer).exists():
        join_club(
            customer=customer, source_project=project, actor=actor, joined_on=timezone.localdate(visit.visited_at)
        )
    return visit


# --- Leads: grading (L1, L2, L9), approvals (L6, L7, L8), reassignment --------------------------

# Who may say yes to each request; a D grade resting on "return visits confirmed no intention" and an
# invalid grade need the sales manager (L1), see approvers_of().
APPROVERS = {
    ApprovalKind.DEMOTE_TO_D: frozenset({Role.SALES_SUPERVISOR, Role.SALES_MANAGER}),
    ApprovalKind.STOP_TRACKING: frozenset({Role.SALES_MANAGER}),
    ApprovalKind.RECLAIM: frozenset({Role.SALES_MANAGER}),
    ApprovalKind.MARK_INVALID: frozenset({Role.SALES_MANAGER}),
}
MANAGER = frozenset({Role.SALES_MANAGER})
REASSIGNERS = frozenset({Role.SALES_SUPERVISOR, Role.SALES_MANAGER})


@dataclass(frozen=True)
class Regrade:
    """The outcome of asking for a new grade: applied to the lead, or waiting for an approval."""

    lead: Lead
    approval: LeadApproval | None = None


def lead_rules_for(project) -> LeadRules:
    rules, _created = LeadRules.objects.get_or_create(project=project)
    return rules


def missing_criteria(grade: str, criteria) -> list[LeadCriterion]:
    """The L1 criteria the grade still needs that the checklist does not tick."""
    return grading.checklist(grade).missing(criteria or ())


def approvers_of(approval: LeadApproval) -> frozenset:
    """The roles that may decide this request."""
    if approval.kind == ApprovalKind.DEMOTE_TO_D and grading.only_through(
        LeadGrade.D, approval.criteria, grading.NEEDS_THE_MANAGER[LeadGrade.D]
    ):
        return MANAGER
    return APPROVERS[approval.kind]


def may_decide(user, approval: LeadApproval) -> bool:
    return user.has_role(*approvers_of(approval))


@transaction.atomic
def open_lead(
    *, customer: Customer, project, grade: str, actor, criteria=(), reason: str = "", consultant=None
) -> Lead:
    """Grade a customer's interest in a project for the first time: one lead per customer and project.

    A new lead is never invalid on a consultant's word: only the sales manager confirms an invalid visit (L1).
    """
    if customer.company_id != project.company_id:
        raise DomainError(_("The customer belongs to another company."), code="wrong_company", field="customer")
    if Lead.objects.filter(customer=customer, project=project).exists():
        raise DomainError(
            _("This customer already has a lead in this project."), code="duplicate_lead", field="customer"
        )
    criteria = _clean(criteria)
    _check_criteria(grade, criteria)
    if grade == LeadGrade.INVALID:
        _require_reason(reason)
        if actor is None or not actor.has_role(*MANAGER):
            raise ActionForbidden(
                _("Only the sales manager can confirm a new lead as invalid."),
                code="manager_confirms_invalid",
                field="grade",
            )
    if consultant is None:
        consultant = actor if actor is not None and Role.CONSULTANT in actor.roles else customer.consultant
    lead = Lead(
        customer=customer, project=project, consultant=consultant, grade="", criteria=criteria, graded_at=timezone.now()
    )
    _check_record_bears_out(lead, grade, criteria)
    _save(lead, actor)
    _apply_grade(lead=lead, grade=grade, actor=actor, reason=reason or gettext("First grading"), criteria=criteria)
    return lead


@transaction.atomic
def regrade_lead(*, lead: Lead, grade: str, reason: str, actor, criteria=None) -> Regrade:
    """The one way a grade changes by hand (L1). Moves that need a superior become a request (L6, L8):
    D from a consultant (the supervisor decides; the manager where only return visits show no intention),
    invalid unless two or more consultants found no chance of a deal (the manager decides)."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_active(lead)
    _require_reason(reason)
    if criteria is None:
        # Left out: what was confirmed before still counts where it belongs to the new grade.
        own = set(grading.checklist(grade).criteria) if grade in LeadGrade.values else set()
        criteria = [value for value in lead.criteria if value in own]
    criteria = _clean(criteria)
    _check_criteria(grade, criteria)
    _check_record_bears_out(lead, grade, criteria)
    if grade == lead.grade:
        if criteria != lead.criteria:
            lead.criteria = criteria
            _save(lead, actor, update_fields=["criteria"])
        return Regrade(lead=lead)
    kind = _approval_needed(lead=lead, grade=grade, criteria=criteria, actor=actor)
    if kind is not None:
        approval = request_approval(lead=lead, kind=kind, reason=reason, actor=actor, criteria=criteria)
        return Regrade(lead=lead, approval=approval)
    _apply_grade(lead=lead, grade=grade, actor=actor, reason=reason, criteria=criteria)
    return Regrade(lead=lead)


@transaction.atomic
def request_approval(*, lead: Lead, kind: str, reason: str, actor, criteria=()) -> LeadApproval:
    """Ask a superior: demote to D (L6), stop tracking a D lead (L7), mark invalid or follow an invalid lead
    again (L8). `criteria` is the checklist the new grade rests on (D, invalid)."""
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_reason(reason, message=_("Give the detailed reason for the request."))
    criteria = _clean(criteria)
    if kind == ApprovalKind.DEMOTE_TO_D:
        _require_active(lead)
        if lead.grade == LeadGrade.D:
            raise TransitionNotAllowed(_("The lead is already graded D."))
        if not lead.follow_ups.exists():
            raise TransitionNotAllowed(
                _("Record the follow-ups before asking to demote the lead to D."), code="follow_ups_required"
            )
        _check_criteria(LeadGrade.D, criteria)
    elif kind == ApprovalKind.MARK_INVALID:
        _require_active(lead)
        _check_criteria(LeadGrade.INVALID, criteria)
    elif kind == ApprovalKind.STOP_TRACKING:
        _require_active(lead)
        if lead.grade != LeadGrade.D:
            raise TransitionNotAllowed(_("Only a D lead may stop being tracked."))
        needed = lead_rules_for(lead.project).d_return_visits
        done = lead.follow_ups.filter(happened_at__gte=lead.graded_at).count()
        if done < needed:
            raise TransitionNotAllowed(
                _("A D lead stops being tracked only after %(needed)s return visits; %(done)s so far.")
                % {"needed": needed, "done": done},
                code="return_visits_required",
            )
    elif kind == ApprovalKind.RECLAIM:
        if lead.status != LeadStatus.ARCHIVED:
            raise TransitionNotAllowed(_("Only an archived invalid lead can be reclaimed."))
    if LeadApproval.objects.filter(lead=lead, kind=kind, status=ApprovalStatus.PENDING).exists():
        raise TransitionNotAllowed(_("The same request is already waiting for a decision."), code="already_pending")
    return LeadApproval.objects.create(lead=lead, kind=kind, reason=reason, requested_by=actor, criteria=criteria)


@transaction.atomic
def decide_approval(*, approval: LeadApproval, approve: bool, actor, note: str = "", reassign_to=None) -> LeadApproval:
    """A superior's yes or no. C→D needs a supervisor; stopping a D lead, marking invalid and reclaiming need
    the manager. A yes carries the change out and the grade history names the request (L9)."""
    approval = LeadApproval.objects.select_for_update().select_related("lead").get(pk=approval.pk)
    if approval.status != ApprovalStatus.PENDING:
        raise TransitionNotAllowed(_("This request has already been decided."))
    if not may_decide(actor, approval):
        raise PermissionDenied
    lead = Lead.objects.select_for_update().get(pk=approval.lead_id)
    if approve:
        if approval.kind in (ApprovalKind.DEMOTE_TO_D, ApprovalKind.MARK_INVALID):
            _require_active(lead)
            grade = LeadGrade.D if approval.kind == ApprovalKind.DEMOTE_TO_D else LeadGrade.INVALID
            _apply_grade(
                lead=lead,
                grade=grade,
                actor=actor,
                reason=approval.reason,
                kind=GradeChangeKind.APPROVED,
                approval=approval,
                criteria=approval.criteria or None,
            )
            if reassign_to is not None and grade == LeadGrade.D:
                reassign_lead(lead=lead, consultant=reassign_to, actor=actor)
        elif approval.kind == ApprovalKind.STOP_TRACKING:
            lead.status, lead.next_follow_up_on = LeadStatus.STOPPED, None
            _save(lead, actor, update_fields=["status", "next_follow_up_on"])
        elif approval.kind == ApprovalKind.RECLAIM:
            lead.status, lead.archived_at = LeadStatus.ACTIVE, None
            lead.consultant = approval.requested_by or lead.consultant
            _save(lead, actor, update_fields=["status", "archived_at", "consultant"])
            _apply_grade(
                lead=lead,
                grade=LeadGrade.C,
                actor=actor,
                reason=approval.reason,
                kind=GradeChangeKind.APPROVED,
                approval=approval,
                criteria=[],
            )
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note
    approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return approval


@transaction.atomic
def reassign_lead(*, lead: Lead, consultant, actor, reason: str = "") -> Lead:
    """Hand a lead to another consultant (L6, L7): a supervisor within the team, a manager project-wide."""
    if not actor.has_role(*REASSIGNERS):
        raise PermissionDenied
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    _require_active(lead)
    if not consultant.has_role(Role.CONSULTANT) or not works_on(consultant, lead.project):
        raise DomainError(
            _("Choose a consultant who works on this project."), code="not_a_consultant", field="consultant"
        )
    if consultant.pk == lead.consultant_id:
        raise DomainError(_("The lead already belongs to this consultant."), code="same_consultant", field="consultant")
    if not actor.has_role(Role.SALES_MANAGER, Role.ADMINISTRATOR) and consultant.pk not in team_member_ids(actor):
        raise DomainError(
            _("A supervisor hands leads only to their own team."), code="outside_team", field="consultant"
        )
    lead.consultant = consultant
    # The new consultant starts with a fresh try the same day.
    lead.next_follow_up_on = timezone.localdate()
    lead._change_reason = reason
    _save(lead, actor, update_fields=["consultant", "next_follow_up_on"])
    return lead


def _approval_needed(*, lead: Lead, grade: str, criteria, actor) -> str | None:
    """Which request a hand-made grade change must become, or None when the actor may apply it."""
    if grade == LeadGrade.D:
        needs_manager = grading.only_through(LeadGrade.D, criteria, grading.NEEDS_THE_MANAGER[LeadGrade.D])
        deciders = MANAGER if needs_manager else APPROVERS[ApprovalKind.DEMOTE_TO_D]
        return None if actor is not None and actor.has_role(*deciders) else ApprovalKind.DEMOTE_TO_D
    if grade == LeadGrade.INVALID:
        if actor is not None and actor.has_role(*MANAGER):
            return None
        if (
            LeadCriterion.NO_DEAL_AFTER_CONSULTANTS in criteria
            and _consultants_who_followed(lead) >= grading.CONSULTANTS_FOR_NO_DEAL
        ):
            return None
        return ApprovalKind.MARK_INVALID
    return None


def _consultants_who_followed(lead: Lead) -> int:
    return lead.follow_ups.filter(consultant__isnull=False).values("consultant_id").distinct().count()


def _check_record_bears_out(lead: Lead, grade: str, criteria) -> None:
    """A ticked criterion the lead's own record must show: the return visits that confirmed no intention."""
    if grade == LeadGrade.D and LeadCriterion.NO_INTENTION_CONFIRMED in criteria:
        needed = lead_rules_for(lead.project).d_return_visits
        done = lead.follow_ups.count() if lead.pk else 0
        if done < needed:
            raise DomainError(
                _("No intention is confirmed only after %(needed)s return visits; %(done)s so far.")
                % {"needed": needed, "done": done},
                code="return_visits_required",
                field="criteria",
            )


def _apply_grade(
    *,
    lead: Lead,
    grade: str,
    actor,
    reason: str,
    kind: str = GradeChangeKind.MANUAL,
    cycle: datetime.date | None = None,
    approval: LeadApproval | None = None,
    criteria=None,
) -> GradeChange:
    """Every grade change goes through here and is kept: from, to, who, when, why, which approval (L9).

    `criteria` replaces the lead's checklist; without it, what still belongs to the new grade is kept.
    """
    now = timezone.now()
    change = GradeChange.objects.create(
        lead=lead,
        from_grade=lead.grade,
        to_grade=grade,
        kind=kind,
        actor=actor,
        reason=reason,
        cycle=cycle,
        at=now,
        approval=approval,
    )
    own = set(grading.checklist(grade).criteria)
    lead.criteria = sorted(criteria) if criteria is not None else [c for c in lead.criteria if c in own]
    lead.grade, lead.graded_at = grade, now
    if grade == LeadGrade.INVALID:
        # L8: invalid leads are archived and leave every follow-up list.
        lead.status, lead.archived_at, lead.next_follow_up_on = LeadStatus.ARCHIVED, now, None
    else:
        rules = lead_rules_for(lead.project)
        lead.next_follow_up_on = cadence.due_after_grading(grade=grade, graded_on=timezone.localdate(now), rules=rules)
    lead._change_reason = reason
    _save(lead, actor)
    return change


def _check_criteria(grade: str, criteria) -> None:
    """L1: the grade's checklist is met, and nothing of another grade's is ticked."""
    if grade not in LeadGrade.values:
        raise DomainError(_("Unknown grade."), code="unknown_grade", field="grade")
    foreign = grading.outside(grade, criteria)
    if foreign:
        raise DomainError(
            _("These criteria do not describe a grade %(grade)s lead: %(foreign)s.")
            % {
                "grade": LeadGrade(grade).heading,
                "foreign": "; ".join(str(LeadCriterion(value).label) for value in foreign),
            },
            code="criteria_not_of_grade",
            field="criteria",
            extra={"not_of_grade": list(foreign)},
        )
    missing = missing_criteria(grade, criteria)
    if missing:
        raise DomainError(
            _("Grade %(grade)s needs these criteria: %(missing)s.")
            % {"grade": LeadGrade(grade).heading, "missing": "; ".join(str(criterion.label) for criterion in missing)},
            code="criteria_missing",
            field="criteria",
            extra={"missing": [criterion.value for criterion in missing]},
        )


def _clean(criteria) -> list[str]:
    unknown = [value for value in criteria or () if value not in LeadCriterion.values]
    if unknown:
        raise DomainError(
            _("Unknown criteria: %(unknown)s.") % {"unknown": ", ".join(map(str, unknown))},
            code="unknown_criteria",
            field="criteria",
        )
    return sorted(set(criteria or ()))


def _require_reason(reason, *, message=None) -> None:
    if not (reason or "").strip():
        raise DomainError(message or _("Say why the grade changes."), code="reason_required", field="reason")


def _save(instance, actor, **kwargs):
    """Save with the actor in the audit trail (R2), whether the change comes from a request, Celery or the shell."""
    instance._history_user = actor
    instance.save(**kwargs)
    return instance


def _require_active(lead: Lead) -> None:
    if lead.status == LeadStatus.ARCHIVED:
        raise TransitionNotAllowed(
            _("This lead is archived as invalid; ask the manager to reclaim it."), code="lead_archived"
        )
    if lead.status == LeadStatus.STOPPED:
        raise TransitionNotAllowed(_("This lead is no longer tracked."), code="lead_stopped")


# --- Follow-ups (L3) ------------------------------------------------------------------------------


@transaction.atomic
def record_follow_up(
    *,
    lead: Lead,
    method: str,
    content: str,
    actor,
    reaction: str = Reaction.UNCHANGED,
    happened_at: datetime.datetime | None = None,
    next_on: datetime.date | None = None,
) -> FollowUp:
    """Record a follow-up; the next one falls due on the consultant's date, or when the cadence says (L3)."""
    lead = Lead.objects.select_for_update().select_related("project").get(pk=lead.pk)
    _require_active(lead)
    now = timezone.now()
    happened_at = happened_at or now
    if happened_at > now + datetime.timedelta(minutes=5):
        raise DomainError(_("A follow-up cannot be in the future."), code="future_follow_up", field="happened_at")
    followed_on = timezone.localdate(happened_at)
    if next_on is not None and next_on < followed_on:
        raise DomainError(_("The next follow-up cannot be before this one."), code="next_before_this", field="next_on")
    latest = cadence.latest_due(
        grade=lead.grade,
        followed_on=followed_on,
        rules=lead_rules_for(lead.project),
        opening_date=lead.project.opening_date,
    )
    if next_on is not None and latest is not None and next_on > latest:
        # L3: the consultant may come back sooner than the cadence, never later; said, not silently moved.
        raise DomainError(
            _("A “%(grade)s” lead is followed up again by %(latest)s at the latest: choose that day or an earlier one.")
            % {"grade": LeadGrade(lead.grade).heading, "latest": latest.isoformat()},
            code="next_after_cadence",
            field="next_on",
            extra={"latest": latest.isoformat()},
        )
    due = next_on or latest
    follow_up = _save(
        FollowUp(
            lead=lead,
            consultant=actor,
            method=method,
            content=content,
            reaction=reaction,
            happened_at=happened_at,
            grade=lead.grade,
            next_on=due,
        ),
        actor,
    )
    if lead.last_follow_up_at is None or happened_at >= lead.last_follow_up_at:
        lead.last_follow_up_at, lead.next_follow_up_on = happened_at, due
        _save(lead, actor, update_fields=["last_follow_up_at", "next_follow_up_on"])
    return follow_up


# --- Scheduled duties (L3, L4, L5, L6): each guarded by a unique constraint -----------------------


OVERDUE_FLAG_BATCH = 5000
FLAGGED = ("next_follow_up_on", "consultant_id")


def flag_overdue_follow_ups(*, on: datetime.date | None = None) -> int:
    """L3: flag every overdue follow-up to its consultant and to their supervisor, once per due date.

    Each recipient's overdue leads not yet flagged to them are read as ids and flagged in bulk: a second run the same
    day writes nothing, and flags only those who became someone's since (a supervisor named after the first). The
    constraint keeps a run at the same time from flagging anyone twice."""
    on = on or timezone.localdate()
    overdue = selectors.overdue_leads(at=selectors.end_of_day(on)).filter(consultant__isnull=False)
    flagged = OverdueFlag.objects.filter(lead=OuterRef("pk"), due_on=OuterRef("next_follow_up_on"))

    def unflagged_to(recipient):
        return overdue.exclude(Exists(flagged.filter(recipient=recipient)))

    teams = defaultdict(set)
    consultants = overdue.order_by().values_list("consultant_id", flat=True).distinct()
    for consultant, supervisor in selectors.supervisors_of(consultants).items():
        teams[supervisor].add(consultant)
    # Each lead's own consultant, reading every overdue lead a batch at a time; then each supervisor, reading their
    # team's through the index of the leads by consultant, not walking every lead by id for a twentieth of them.
    every_lead = rows_by_id(unflagged_to(OuterRef("consultant_id")), *FLAGGED, size=OVERDUE_FLAG_BATCH)
    each_team = (
        (supervisor, unflagged_to(supervisor).filter(consultant_id__in=team).order_by().values_list("pk", *FLAGGED))
        for supervisor, team in teams.items()
    )
    created = 0
    for recipient, rows in chain(((None, batch) for batch in every_lead), each_team):
        flags = [
            OverdueFlag(lead_id=lead, due_on=due_on, recipient_id=recipient or consultant)
            for lead, due_on, consultant in rows
        ]
        OverdueFlag.objects.bulk_create(flags, batch_size=OVERDUE_FLAG_BATCH, ignore_conflicts=True)
        created += len(flags)
    return created


def send_daily_ab_digests(*, on: datetime.date | None = None) -> int:
    """L4: each sales supervisor receives the day's A and B follow-ups of their team, once a day."""
    on = on or timezone.localdate()
    created = 0
    sent = SalesReport.objects.filter(kind=ReportKind.DAILY_AB, period_start=on, project=OuterRef("pk"))
    for supervisor in User.objects.filter(groups__name=Role.SALES_SUPERVISOR.value, is_active=True).distinct():
        # A run again the same day reads the day's follow-ups only for digests not yet sent (a project joined since)
        projects = list(supervisor.projects.exclude(Exists(sent.filter(recipient=supervisor))))
        if not projects:
            continue
        digests = selectors.ab_digests(projects=projects, supervisor=supervisor, on=on)
        for project in projects:
            payload = digests[project.pk]
            created += _create_once(
                kind=ReportKind.DAILY_AB,
                project=project,
                recipient=supervisor,
                period_start=on,
                period_end=on,
                payload=payload,
            )
    return created


def build_weekly_summaries(*, on: datetime.date | None = None) -> int:
    """L5: a summary per grade and per consultant of the week before, once per project and week."""
    on = on or timezone.localdate()
    start = on - datetime.timedelta(days=on.weekday() + 7)
    end = start + datetime.timedelta(days=6)
    from estates.models import Project

    created = 0
    projects = list(selectors.projects_with_sales(Project.objects.all()))
    summaries = selectors.weekly_summaries(projects=projects, start=start, end=end)
    for project in projects:
        payload = summaries[project.pk]
        created += _create_once(
            kind=ReportKind.WEEKLY, project=project, recipient=None, period_start=start, period_end=end, payload=payload
        )
    return created


def run_monthly_cycle(*, on: datetime.date | None = None) -> int:
    """L6: after a cycle an undecided A lead becomes B, and a B lead whose intention weakened becomes C."""
    on = on or timezone.localdate()
    changed = 0
    rules_cache: dict[int, LeadRules] = {}
    candidates = Lead.objects.filter(status=LeadStatus.ACTIVE, grade__in=[LeadGrade.A, LeadGrade.B]).select_related(
        "project"
    )
    for lead in candidates.iterator():
        rules = rules_cache.setdefault(lead.project_id, lead_rules_for(lead.project))
        cycle_end = timezone.localdate(lead.graded_at) + datetime.timedelta(days=rules.cycle_days)
        if cycle_end > on:
            continue
        if lead.grade == LeadGrade.A and not selectors.has_live_purchase(lead):
            target, reason = LeadGrade.B, gettext("Still undecided after a cycle.")
        elif (
            lead.grade == LeadGrade.B
            and lead.follow_ups.filter(happened_at__gte=lead.graded_at, reaction=Reaction.WEAKENED).exists()
        ):
            target, reason = LeadGrade.C, gettext("Intention weakened during the cycle.")
        else:
            continue
        try:
            with transaction.atomic():
                locked = Lead.objects.select_for_update().get(pk=lead.pk)
                if locked.grade != lead.grade:
                    continue
                _apply_grade(
                    lead=locked, grade=target, actor=None, reason=reason, kind=GradeChangeKind.CYCLE, cycle=cycle_end
                )
        except IntegrityError:
            continue  # this cycle already changed the lead
        changed += 1
    return changed


def _create_once(**fields) -> int:
    try:
        with transaction.atomic():
            SalesReport.objects.create(**fields)
    except IntegrityError:
        return 0
    return 1


# --- Club membership (M1, M3) ---------------------------------------------------------------------


@transaction.atomic
def join_club(
    *,
    customer: Customer,
    source_project,
    actor,
    joined_on: datetime.date | None = None,
    level: str = MemberLevel.REGULAR,
    consents_to_messages: bool | None = None,
) -> Membership:
    """Make a customer a club member with a member number; consent is the customer's own flag (M3)."""
    if Membership.objects.filter(customer=customer).exists():
        raise DomainError(_("This customer is already a club member."), code="already_member", field="customer")
    membership = Membership(
        customer=customer,
        source_project=source_project,
        level=level,
        joined_on=joined_on or timezone.localdate(),
        member_number=uuid.uuid4().hex[:20],
    )
    _save(membership, actor)
    membership.member_number = f"WK{source_project.pk:04d}{membership.pk:06d}"
    _save(membership, actor, update_fields=["member_number"])
    if consents_to_messages is not None:
        set_message_consent(customer=customer, consents=consents_to_messages, actor=actor)
    return membership


@transaction.atomic
def update_membership(
    *, membership: Membership, actor, level: str | None = None, consents_to_messages: bool | None = None
) -> Membership:
    if level is not None and level != membership.level:
        membership.level = level
        _save(membership, actor, update_fields=["level"])
    if consents_to_messages is not None:
        set_message_consent(customer=membership.customer, consents=consents_to_messages, actor=actor)
    return membership


# --- Purchases (J23) and the three-day cancellation (J4) ------------------------------------------

# step: (allowed from, to, the milestone date field, the unit's status afterwards or None to leave it)
PURCHASE_STEPS = {
    "sign": ((PurchaseStatus.SUBSCRIBED,), PurchaseStatus.SIGNED, "signed_on", UnitStatus.SIGNED),
    "disburse_loan": ((PurchaseStatus.SIGNED,), PurchaseStatus.LOAN_DISBURSED, "loan_disbursed_on", None),
    "deliver": (
        (PurchaseStatus.SIGNED, PurchaseStatus.LOAN_DISBURSED),
        PurchaseStatus.DELIVERED,
        "delivered_on",
        UnitStatus.DELIVERED,
    ),
    "move_in": ((PurchaseStatus.DELIVERED,), PurchaseStatus.MOVED_IN, "moved_in_on", None),
}
MILESTONES = ["subscribed_on", "signed_on", "loan_disbursed_on", "delivered_on", "moved_in_on"]


@transaction.atomic
def subscribe(
    *,
    customer: Customer,
    unit,
    price,
    actor,
    subscribed_on: datetime.date | None = None,
    discount_points=Decimal("0"),
    deposit=Decimal("0"),
    agreement_number: str = "",
    on_opening_day: bool = False,
    consultant=None,
) -> Purchase:
    """A subscription (认购): the unit is confirmed and withheld for this customer."""
    unit = Unit.objects.select_for_update().select_related("project").get(pk=unit.pk)
    if unit.project.company_id != customer.company_id:
        raise DomainError(_("The unit belongs to another company."), code="wrong_company", field="unit")
    if unit.status != UnitStatus.AVAILABLE:
        raise TransitionNotAllowed(
            _("Unit %(unit)s is not available (%(status)s).")
            % {"unit": unit.number, "status": unit.get_status_display()},
            code="unit_not_available",
        )
    subscribed_on = subscribed_on or timezone.localdate()
    if subscribed_on > timezone.localdate():
        raise DomainError(_("A date cannot be in the future."), code="future_date", field="subscribed_on")
    if consultant is None:
        consultant = actor if actor is not None and Role.CONSULTANT in actor.roles else customer.consultant
    purchase = _save(
        Purchase(
            customer=customer,
            unit=unit,
            consultant=consultant,
            price=price,
            discount_points=discount_points,
            deposit=deposit,
            agreement_number=agreement_number,
            on_opening_day=on_opening_day,
            subscribed_on=subscribed_on,
        ),
        actor,
    )
    _set_unit_status(unit_id=unit.pk, status=UnitStatus.SUBSCRIBED)
    signals.purchase_moved.send(sender=Purchase, purchase_id=purchase.pk, step="subscribe")
    return purchase


@transaction.atomic
def advance_purchase(*, purchase: Purchase, step: str, actor, on: datetime.date | None = None) -> Purchase:
    """Signing, loan disbursed, delivery, move-in: each from the right stage, on a date not before the last."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    sources, target, date_field, unit_status = PURCHASE_STEPS[step]
    if purchase.status not in sources:
        raise TransitionNotAllowed(
            _("A purchase that is %(status)s cannot move to %(target)s.")
            % {"status": purchase.get_status_display(), "target": target.label}
        )
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("A date cannot be in the future."), code="future_date", field="on")
    earlier = [getattr(purchase, field) for field in MILESTONES[: MILESTONES.index(date_field)]]
    last = max(filter(None, earlier))
    if on < last:
        raise DomainError(
            _("The date cannot be before the previous milestone (%(date)s).") % {"date": last},
            code="date_before_previous",
            field="on",
        )
    purchase.status = target
    setattr(purchase, date_field, on)
    _save(purchase, actor, update_fields=["status", date_field])
    if unit_status:
        _set_unit_status(unit_id=purchase.unit_id, status=unit_status)
    signals.purchase_moved.send(sender=Purchase, purchase_id=purchase.pk, step=step)
    return purchase


# Recording a cancellation that happened on an earlier day needs the sales manager (J4).
LATE_CANCELLATION_RECORDERS = frozenset({Role.SALES_MANAGER})


def cancellation_refusal(*, purchase: Purchase, on: datetime.date | None = None) -> str | None:
    """J4: why a no-reason cancellation on `on` (by default today, the day it is asked for) is not possible,
    or None when it is."""
    on = on or timezone.localdate()
    if purchase.status != PurchaseStatus.SUBSCRIBED:
        return gettext("Only a subscription that is not yet signed can be cancelled without reason.")
    rules = rules_for(purchase.project)
    if not rules.three_day_cancellation:
        return gettext("This project does not offer the no-reason cancellation.")
    last_day = purchase.subscribed_on + datetime.timedelta(days=rules.cancellation_days)
    if on > last_day:
        return gettext("The %(days)s-day cancellation window ended on %(date)s.") % {
            "days": rules.cancellation_days,
            "date": last_day.isoformat(),
        }
    if purchase.on_opening_day and rules.cancellation_excludes_opening_day:
        return gettext("Subscriptions made on a centralized opening day cannot be cancelled without reason.")
    if purchase.discount_points >= rules.cancellation_discount_threshold:
        return gettext("The unit carried a special discount of %(points)s points (the limit is %(limit)s).") % {
            "points": purchase.discount_points,
            "limit": rules.cancellation_discount_threshold,
        }
    return None


@transaction.atomic
def cancel_purchase(*, purchase: Purchase, actor, reason: str = "", on: datetime.date | None = None) -> Purchase:
    """The three-day no-reason cancellation (J4); anything else is refused with the reason (409).

    The window is judged on the day of the request. A cancellation the customer made on an earlier day and
    that is recorded late is judged on that day, only the sales manager may record it (403 for anyone else),
    and the audit trail says it was recorded late and by whom.
    """
    purchase = Purchase.objects.select_for_update().select_related("project").get(pk=purchase.pk)
    today = timezone.localdate()
    on = on or today
    if on > today or on < purchase.subscribed_on:
        raise DomainError(
            _("The cancellation date must be between the subscription and today."),
            code="bad_cancellation_date",
            field="on",
        )
    late = on < today
    if late and (actor is None or not actor.has_role(*LATE_CANCELLATION_RECORDERS)):
        raise ActionForbidden(
            _(
                "A cancellation is judged on the day it is asked for; only the sales manager can record one that "
                "happened on an earlier day."
            ),
            code="late_cancellation_needs_manager",
            field="on",
        )
    refusal = cancellation_refusal(purchase=purchase, on=on)
    if refusal:
        raise TransitionNotAllowed(refusal, code="cancellation_refused")
    purchase.status, purchase.cancelled_on, purchase.cancellation_reason = PurchaseStatus.CANCELLED, on, reason
    if late:
        purchase._change_reason = gettext(
            "Cancellation of %(on)s recorded late on %(today)s, with the sales manager's approval (%(manager)s)."
        ) % {"on": on.isoformat(), "today": today.isoformat(), "manager": actor}
    _save(purchase, actor, update_fields=["status", "cancelled_on", "cancellation_reason"])
    _set_unit_status(unit_id=purchase.unit_id, status=UnitStatus.AVAILABLE)
    signals.purchase_moved.send(sender=Purchase, purchase_id=purchase.pk, step="cancel")
    return purchase


def _set_unit_status(*, unit_id: int, status: str) -> None:
    """The unit's sales status follows its purchase."""
    Unit.objects.filter(pk=unit_id).update(status=status)
