"""Product defects (D1) raised from complaints, repairs and house checks; delivery objections and reminder
notices (C14); the case library (C11); the quarterly quality handbook (D3)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, TransitionNotAllowed
from touchpoints.choices import Duty
from touchpoints.models import CareIssue

from ..choices import DefectCategory, DefectSource, ObjectionStatus
from ..models import CaseEntry, Defect, DeliveryObjection, DeliveryReminder, HandbookIssue
from ..selectors import previous_quarter
from .common import save
from .inbox import notify
from .intake import category_for


@transaction.atomic
def raise_defect(
    *,
    actor,
    project,
    title: str,
    source: str,
    category: str = "",
    description: str = "",
    complaint=None,
    repair_order=None,
    unit=None,
    component_type=None,
    responsible_department=None,
    house_check_issue=None,
) -> Defect:
    """Rule D1: a defect has a category and comes from a complaint, a repair order or a house check.

    Raised from a complaint without a category, it takes the one its complaint category maps to.
    """
    if not category and complaint is not None:
        category = complaint.category.defect_category
    if category not in DefectCategory.values:
        raise DomainError(_("Choose the defect's category."), field="category")
    if source == DefectSource.COMPLAINT and complaint is None:
        raise DomainError(_("Name the complaint that raised this defect."), field="complaint")
    if source == DefectSource.REPAIR and repair_order is None:
        raise DomainError(_("Name the repair order that raised this defect."), field="repair_order")
    for subject in (complaint, repair_order, unit):
        if subject is not None and subject.project_id != project.pk:
            raise DomainError(_("This record is in another project."), field="project")
    defect = Defect(
        project=project,
        category=category,
        source=source,
        title=title,
        description=description,
        complaint=complaint,
        repair_order=repair_order,
        unit=unit,
        component_type=component_type,
        responsible_department=responsible_department,
        raised_by=actor,
        house_check_issue=house_check_issue,
    )
    return save(defect, actor)


# What kind of defect an issue of each item of the house check list (J17) is, by default.
HOUSE_CHECK_CATEGORIES = {
    "hardware": DefectCategory.MATERIALS,
    "electrical": DefectCategory.CONSTRUCTION,
    "security": DefectCategory.MATERIALS,
    "appliances": DefectCategory.MATERIALS,
    "railings": DefectCategory.CONSTRUCTION,
}


def raise_house_check_defects(*, issue_ids=None) -> int:
    """J17, D1: each issue a one-year house check found becomes a defect (source "house check"), once.

    Called with the issues of one check when it is recorded; without ids (the daily catch-up), for every
    issue still without its defect. The unique link from the defect to its issue makes a repeated or
    concurrent call create nothing more. Returns the number of defects raised.
    """
    issues = CareIssue.objects.filter(task__duty=Duty.ONE_YEAR_CHECK, defect__isnull=True)
    if issue_ids is not None:
        issues = issues.filter(pk__in=issue_ids)
    issues = issues.order_by("pk").select_related("task__project", "task__unit", "task__customer", "task__completed_by")
    raised = 0
    for issue in issues:
        task = issue.task
        label = issue.get_check_item_display() or _("House check")
        try:
            with transaction.atomic():
                raise_defect(
                    actor=task.completed_by,
                    project=task.project,
                    source=DefectSource.HOUSE_CHECK,
                    category=HOUSE_CHECK_CATEGORIES.get(issue.check_item, DefectCategory.CONSTRUCTION),
                    title=f"{label}: {issue.description}"[:200],
                    description=issue.description,
                    unit=task.unit,
                    house_check_issue=issue,
                )
        except IntegrityError:
            continue  # another run raised this issue's defect already
        raised += 1
    return raised


@transaction.atomic
def record_objection(*, actor, unit, customer, reason: str, defects=()) -> DeliveryObjection:
    """Rule C14: a delivery objection over quality, recorded with its defects."""
    if not reason.strip():
        raise DomainError(_("Record the reason for the objection."), field="reason")
    if customer.company_id != unit.project.company_id:
        raise DomainError(_("This customer belongs to another company."), field="customer")
    objection = save(DeliveryObjection(unit=unit, customer=customer, reason=reason.strip(), recorded_by=actor), actor)
    for defect in defects:
        if defect.project_id != unit.project_id:
            raise DomainError(_("This record is in another project."), field="defects")
    objection.defects.set(defects)
    return objection


@transaction.atomic
def settle_objection(*, objection, actor, status: str) -> DeliveryObjection:
    objection = DeliveryObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise TransitionNotAllowed(_("This objection is already settled."))
    if status not in (ObjectionStatus.RESOLVED, ObjectionStatus.REJECTED):
        raise DomainError(_("Choose resolved or rejected."), field="status")
    objection.status = status
    return save(objection, actor)


@transaction.atomic
def issue_delivery_reminder(
    *, actor, unit, customer, take_over_by: datetime.date, text: str, objection=None
) -> DeliveryReminder:
    """Rule C14: a reminder notice goes only to a buyer refusing delivery without a valid reason —
    never while an objection over quality is open or was upheld."""
    if DeliveryObjection.objects.filter(unit=unit, customer=customer, status=ObjectionStatus.OPEN).exists():
        raise DomainError(
            _("An objection over quality is still open for this unit: settle it first."),
            code="objection_open",
            field="unit",
        )
    if take_over_by <= timezone.localdate():
        raise DomainError(_("The take-over date must be in the future."), field="take_over_by")
    if not text.strip():
        raise DomainError(_("Write the notice."), field="text")
    return DeliveryReminder.objects.create(
        unit=unit, customer=customer, objection=objection, take_over_by=take_over_by, text=text.strip(), issued_by=actor
    )


@transaction.atomic
def add_case(
    *, actor, title: str, situation: str, handling: str, lesson: str, complaint=None, category=None
) -> CaseEntry:
    """Rule C11: a typical case goes into the case library, stripped of the customer's identity; under the category
    given, else its complaint's, else "other"."""
    if complaint is not None and CaseEntry.objects.filter(complaint=complaint).exists():
        raise DomainError(_("This complaint is already in the case library."), field="complaint")
    if category is None and complaint is not None:
        category = complaint.category
    return CaseEntry.objects.create(
        title=title,
        category=category_for(category),
        situation=situation,
        handling=handling,
        lesson=lesson,
        complaint=complaint,
        added_by=actor,
    )


def send_quarterly_handbooks(*, today: datetime.date | None = None) -> int:
    """Rule D3: after each quarter, each company's handbook goes to its responsible departments' heads."""
    from estates.models import Company

    today = today or timezone.localdate()
    year, quarter = previous_quarter(today)
    sent = 0
    for company in Company.objects.all():
        try:
            with transaction.atomic():
                HandbookIssue.objects.create(company=company, year=year, quarter=quarter)
                heads = {
                    defect.responsible_department.head
                    for defect in Defect.objects.filter(
                        project__company=company, responsible_department__head__isnull=False
                    ).select_related("responsible_department__head")
                }
                notify(
                    list(heads),
                    _("Quality handbook %(year)s Q%(quarter)s of %(company)s")
                    % {"year": year, "quarter": quarter, "company": company},
                    body=f"/complaints/handbook/?company={company.pk}&year={year}&quarter={quarter}",
                )
        except IntegrityError:
            continue
        sent += 1
    return sent
