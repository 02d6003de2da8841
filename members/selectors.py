"""Reusable reads of the sales office: customers, leads due, reports (L4, L5, J5)."""

from __future__ import annotations

import datetime
from collections import defaultdict

import phonenumbers
from django.db import connections, router
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Right
from django.db.models.lookups import Exact
from django.utils import timezone

from core import paging
from core.access import TEAM_DEPTH, team_member_ids
from core.db import Among, starts_with
from core.labels import with_names_of
from core.models import User
from core.roles import Role

from .choices import LeadGrade, LeadStatus, PurchaseStatus, VisitKind
from .models import Customer, FollowUp, GradeChange, Lead, LeadApproval, Membership, Purchase, Visit
from .validators import parse_phone


def customer_by_mobile(*, company_id: int, mobile) -> Customer | None:
    return Customer.objects.filter(company_id=company_id, mobile=mobile).first()


# A search of another list through its customers' names (leads by their customer's name) reads the customers it
# names first when they are at most this many; beyond, they are common enough that the list's own order meets them
# soon.
FEW_NAMED = 4_000


def customers_named(text: str, *, through: str = "") -> Q:
    """The customers a list's search box names: the start of their name, or their mobile number whole (as written
    in any form: 138 0013 8000, +86 …), its first digits (five or more) or its last four.

    Each is found through an index (Customer.Meta.indexes), so that a search among a million customers reads only
    the rows it finds: a name or number merely *containing* the text would be looked for in every row (2 s for a
    name among the million's leads). `through`: the path from the searched model to its customer ("customer__")."""
    text = text.strip()
    digits = "".join(text.split()).replace("-", "")
    if not digits.lstrip("+").isdigit():
        return _named(text, through)
    national = digits.lstrip("+")
    if len(national) == 4:
        return Q(Exact(Right(f"{through}mobile", 4), national))
    number = parse_phone(digits)
    if number is not None and phonenumbers.is_valid_number(number):
        whole = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return Q(**{f"{through}mobile": whole})
    if len(national) >= 5:
        prefix = digits if digits.startswith("+") else f"+86{national}"
        return Q(**{f"{through}mobile__startswith": prefix})
    return _named(text, through)


def _named(start: str, through: str) -> Q:
    """Customers whose name starts with `start` (core.db.starts_with). Through another model they are looked up
    first, when they are few (FEW_NAMED): the database cannot tell how many customers a name's start names, and for
    a start some hundreds share it walked the list's order looking for them (the leads of "罗秀…", 862 among a
    million: 110 ms). Given their ids as a list, it still walked that order: it counted the ids, but expected to
    meet them as often early in the order as late. Looked up through `Among`, their rows are read by the
    customer's index and then put in order: the head's list of them 35 → 19 ms."""
    alias = router.db_for_read(Customer)
    if through:
        named = Customer.objects.filter(starts_with("name", start, alias=alias)).order_by().values("pk")
        if not named[FEW_NAMED : FEW_NAMED + 1].exists():
            return Q(Among(f"{through}pk", named))
    return starts_with(f"{through}name", start, alias=alias)


def customer_list():
    """The base queryset of customer lists: one query whatever the page size."""
    return Customer.objects.select_related("project", "consultant")


def customer_rows(customers=None):
    """Customers (all of them by default) as a list shows them: each with the names of its project and
    consultant."""
    return with_names_of(Customer.objects.all() if customers is None else customers, "project", staff=("consultant",))


def consenting(customers):
    """M3: only customers who consent to messages, as the flag stands right now."""
    return customers.filter(consents_to_messages=True)


def visit_list():
    return Visit.objects.select_related("customer", "project", "consultant")


def visit_rows():
    """Visits as a list shows them: each with the names of its customer and consultant."""
    return with_names_of(Visit.objects.all(), "customer", staff=("consultant",))


def lead_list():
    return Lead.objects.select_related("customer", "project", "consultant")


def lead_rows(leads=None):
    """Leads (all of them by default) as a list shows them: each lead with the names of its customer, project and
    consultant."""
    leads = Lead.objects.all() if leads is None else leads
    return with_names_of(leads, "customer", "project", staff=("consultant",))


def follow_up_list():
    return FollowUp.objects.select_related("lead", "consultant")


def membership_list():
    return Membership.objects.select_related("customer", "source_project")


def membership_rows():
    """Memberships as a list shows them: each with its customer's name and consent, and its project's name."""
    return with_names_of(
        Membership.objects.all(), "customer", "source_project", also=("customer__consents_to_messages",)
    )


def purchase_list():
    return Purchase.objects.select_related("customer", "project", "unit__building", "consultant")


def purchase_rows(purchases=None):
    """Purchases (all of them by default) as a list shows them: each with its customer's, project's and
    consultant's names and its unit's label."""
    return with_names_of(
        Purchase.objects.all() if purchases is None else purchases,
        "customer",
        "project",
        staff=("consultant",),
        also=("unit__number", "unit__building__name"),
    )


def approval_list():
    return LeadApproval.objects.select_related(
        "lead__customer", "lead__project", "lead__consultant", "requested_by", "decided_by"
    )


def approval_rows():
    """Approval requests as the API lists them: each with its lead's customer's name and the names of who asked
    and who decided."""
    return with_names_of(LeadApproval.objects.all(), "lead__customer", staff=("requested_by", "decided_by"))


def grade_history(lead: Lead):
    """L9: every grade change of one lead, oldest first, with who made it and the approval it carried out."""
    return (
        GradeChange.objects.filter(lead=lead)
        .select_related("actor", "approval__requested_by", "approval__decided_by")
        .order_by("at", "pk")
    )


# --- Overdue (L3): the one definition every page, report, digest and the API use -----------------


def overdue_q(*, at: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A lead being followed is overdue at `at` (default: now) once the day its follow-up fell due has
    passed; a follow-up due today is not overdue until tomorrow. `prefix` reaches a lead from another model."""
    return Q(**{f"{prefix}status": LeadStatus.ACTIVE, f"{prefix}next_follow_up_on__lt": _day_of(at)})


def not_yet_overdue_q(*, at: datetime.datetime | None = None, prefix: str = "") -> Q:
    """A lead being followed whose follow-up is not overdue at `at`: due that day or later. Written as a range,
    not as the negation of `overdue_q`, so that the (grade, status, next follow-up) index serves it."""
    return Q(**{f"{prefix}status": LeadStatus.ACTIVE, f"{prefix}next_follow_up_on__gte": _day_of(at)})


def overdue_leads(*, at: datetime.datetime | None = None):
    """Leads being followed whose follow-up is overdue at `at` (L3)."""
    return Lead.objects.filter(overdue_q(at=at))


def with_overdue(leads, *, at: datetime.datetime | None = None):
    """The leads, each carrying `is_overdue` from the same definition, for lists."""
    return leads.annotate(is_overdue=ExpressionWrapper(overdue_q(at=at), output_field=BooleanField()))


def is_overdue(lead: Lead, *, at: datetime.datetime | None = None) -> bool:
    """The same definition as overdue_q, for a lead already in hand."""
    return bool(lead.status == LeadStatus.ACTIVE and lead.next_follow_up_on and lead.next_follow_up_on < _day_of(at))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a local day: "as of the end of the day" for reports about a day or a week."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _day_of(at: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(at or timezone.now())


def due_leads(*, on: datetime.date):
    return Lead.objects.filter(status=LeadStatus.ACTIVE, next_follow_up_on=on)


MY_DAY_ROWS = 20


def my_day(*, leads, on: datetime.date, rows_per_group: int = MY_DAY_ROWS) -> dict:
    """A consultant's day: follow-ups due that day and overdue (as of its end), grouped by grade (A first).

    Counted in the database; each group lists its first rows only, so a backlog of thousands costs the
    same page as a normal day (the lead list, filtered by grade and overdue, shows the rest)."""
    at = min(timezone.now(), end_of_day(on))
    todays = leads.filter(status=LeadStatus.ACTIVE, next_follow_up_on__lte=on)
    late, not_late = overdue_q(at=at), not_yet_overdue_q(at=at)
    if paging.capped_count(todays) <= paging.COUNT_CAP:
        counts = {
            row["grade"]: row
            for row in todays.order_by()
            .values("grade")
            .annotate(overdue=Count("pk", filter=late), due=Count("pk", filter=not_late))
        }
    else:  # a backlog past the cap (a whole company's) is counted up to it, per grade, as the lead list would be
        counts = {
            grade.value: {
                "overdue": paging.capped_count(todays.filter(late, grade=grade)),
                "due": paging.capped_count(todays.filter(not_late, grade=grade)),
            }
            for grade in LeadGrade
        }
    rows = with_names_of(todays, "customer", "project", staff=("consultant",)).order_by("next_follow_up_on", "pk")
    wanted = {}  # (grade, late or not): the group's first rows, all read in one statement where the engine can
    for grade in LeadGrade:
        count = counts.get(grade.value) or {}
        if count.get("overdue"):
            wanted[grade.value, True] = rows.filter(late, grade=grade)[:rows_per_group]
        if count.get("due"):
            wanted[grade.value, False] = rows.filter(not_late, grade=grade)[:rows_per_group]
    listed = _first_rows_of(wanted, is_late=lambda lead: is_overdue(lead, at=at))
    groups = []
    for grade in LeadGrade:
        count = counts.get(grade.value)
        if not count or not (count["due"] or count["overdue"]):
            continue
        capped = max(count["due"], count["overdue"]) > paging.COUNT_CAP
        due_count, overdue_count = min(count["due"], paging.COUNT_CAP), min(count["overdue"], paging.COUNT_CAP)
        overdue, due = listed.get((grade.value, True), []), listed.get((grade.value, False), [])
        groups.append(
            {
                "grade": grade,
                "due": due,
                "overdue": overdue,
                "due_count": due_count,
                "overdue_count": overdue_count,
                "capped": capped,
                "more": max(0, due_count + overdue_count - len(due) - len(overdue)),
            }
        )
    return {
        "groups": groups,
        "due_count": sum(g["due_count"] for g in groups),
        "overdue_count": sum(g["overdue_count"] for g in groups),
        "capped": any(g["capped"] for g in groups),
    }


def _first_rows_of(groups: dict, *, is_late) -> dict:
    """Each of `groups` (sliced querysets of leads, by grade and lateness) as a list: in one UNION ALL where the
    engine takes sliced parts in one (PostgreSQL), one statement a group where it does not (SQLite)."""
    parts = list(groups.values())
    if len(parts) < 2 or not connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        return {key: list(part) for key, part in groups.items()}
    listed = {key: [] for key in groups}
    for lead in parts[0].union(*parts[1:], all=True):
        listed[lead.grade, is_late(lead)].append(lead)
    for leads in listed.values():  # (a union keeps no order: each group's own, as its part sorted it)
        leads.sort(key=lambda lead: (lead.next_follow_up_on, lead.pk))
    return listed


def supervisors_of(consultant_ids) -> dict[int, int]:
    """Each consultant's first sales supervisor above them in the team, for those who have one: two statements a
    level up the reporting line, whatever the number of consultants."""
    supervisors: dict[int, int] = {}
    above = dict(User.objects.filter(pk__in=set(consultant_ids)).values_list("pk", "reports_to_id"))
    seeking = {consultant: boss for consultant, boss in above.items() if boss is not None}
    for _level in range(TEAM_DEPTH):
        if not seeking:
            break
        bosses = set(seeking.values())
        supervising = set(
            User.objects.filter(pk__in=bosses, groups__name=Role.SALES_SUPERVISOR.value).values_list("pk", flat=True)
        )
        above = dict(User.objects.filter(pk__in=bosses - supervising).values_list("pk", "reports_to_id"))
        for consultant, boss in list(seeking.items()):
            if boss in supervising:
                supervisors[consultant] = seeking.pop(consultant)
            elif above.get(boss) is None:
                del seeking[consultant]
            else:
                seeking[consultant] = above[boss]
    return supervisors


def has_live_purchase(lead: Lead) -> bool:
    """A lead is decided when its customer has bought in the project (a purchase not cancelled)."""
    return (
        Purchase.objects.filter(customer_id=lead.customer_id, project_id=lead.project_id)
        .exclude(status=PurchaseStatus.CANCELLED)
        .exists()
    )


def ab_digest(*, project, supervisor, on: datetime.date) -> dict:
    """L4: the A and B follow-ups the supervisor's team made on one day, per consultant."""
    return ab_digests(projects=[project], supervisor=supervisor, on=on)[project.pk]


def ab_digests(*, projects, supervisor, on: datetime.date) -> dict[int, dict]:
    """`ab_digest` of each of `projects`, in two queries however many projects there are."""
    project_ids = [getattr(project, "pk", project) for project in projects]
    team = team_member_ids(supervisor)
    follow_ups = (
        FollowUp.objects.filter(
            project__in=project_ids,
            consultant_id__in=team,
            grade__in=[LeadGrade.A, LeadGrade.B],
            happened_at__range=(start_of_day(on), end_of_day(on)),
        )
        .select_related("lead__customer", "consultant")
        .order_by("consultant_id", "happened_at")
    )
    rows = defaultdict(list)
    for f in follow_ups:
        rows[f.project_id].append(
            {
                "lead": f.lead_id,
                "customer": f.lead.customer.name,
                "grade": f.grade,
                "consultant": str(f.consultant or ""),
                "method": f.method,
                "reaction": f.reaction,
                "content": f.content[:200],
                "at": timezone.localtime(f.happened_at).isoformat(),
                "next_on": f.next_on.isoformat() if f.next_on else None,
            }
        )
    overdue = dict(
        overdue_leads(at=min(timezone.now(), end_of_day(on)))
        .filter(project__in=project_ids, consultant_id__in=team, grade__in=[LeadGrade.A, LeadGrade.B])
        .values_list("project_id")
        .annotate(n=Count("pk"))
    )
    return {
        pk: {"date": on.isoformat(), "follow_ups": rows[pk], "overdue_ab": overdue.get(pk, 0)} for pk in project_ids
    }


def projects_with_leads(projects):
    """The projects among `projects` with any lead: those the daily digest lists."""
    return projects.filter(Exists(Lead.objects.filter(project=OuterRef("pk"))))


def projects_with_sales(projects):
    """The projects among `projects` with any lead or visit: those the sales reports list."""
    return projects.filter(
        Exists(Lead.objects.filter(project=OuterRef("pk"))) | Exists(Visit.objects.filter(project=OuterRef("pk")))
    )


def weekly_summary(*, project, start: datetime.date, end: datetime.date, consultant_ids=None) -> dict:
    """L5 and J5: per consultant, leads by grade, follow-ups, overdue leads (as of the end of the week, or now
    for the current week) and the club invitation rate."""
    return weekly_summaries(projects=[project], start=start, end=end, consultant_ids=consultant_ids)[project.pk]


def weekly_summaries(*, projects, start: datetime.date, end: datetime.date, consultant_ids=None) -> dict[int, dict]:
    """`weekly_summary` of each of `projects`, in five queries however many projects there are."""
    project_ids = [getattr(project, "pk", project) for project in projects]
    week = (start_of_day(start), end_of_day(end))
    leads = Lead.objects.filter(project__in=project_ids, status=LeadStatus.ACTIVE)
    follow_ups = FollowUp.objects.filter(project__in=project_ids, happened_at__range=week)
    visits = Visit.objects.filter(project__in=project_ids, kind=VisitKind.FIRST, visited_at__range=week)
    if consultant_ids is not None:
        leads = leads.filter(consultant_id__in=consultant_ids)
        follow_ups = follow_ups.filter(consultant_id__in=consultant_ids)
        visits = visits.filter(consultant_id__in=consultant_ids)
    tables: dict = {
        pk: defaultdict(
            lambda: {
                "grades": {grade.value: 0 for grade in LeadGrade},
                "follow_ups": 0,
                "overdue": 0,
                "first_visits": 0,
                "invited": 0,
            }
        )
        for pk in project_ids
    }
    overdue = overdue_q(at=min(timezone.now(), end_of_day(end)))
    for row in leads.values("project_id", "consultant_id").annotate(
        overdue=Count("pk", filter=overdue),
        **{f"grade_{grade.value}": Count("pk", filter=Q(grade=grade)) for grade in LeadGrade},
    ):
        figures = tables[row["project_id"]][row["consultant_id"]]
        figures["grades"] = {grade.value: row[f"grade_{grade.value}"] for grade in LeadGrade}
        figures["overdue"] = row["overdue"]
    # COUNT(*), not of a column: the week's follow-ups are then counted from the (project, time, consultant) index
    for row in follow_ups.values("project_id", "consultant_id").annotate(n=Count("*")):
        tables[row["project_id"]][row["consultant_id"]]["follow_ups"] = row["n"]
    for row in visits.values("project_id", "consultant_id").annotate(
        n=Count("pk"), invited=Count("pk", filter=Q(invited_to_club=True))
    ):
        figures = tables[row["project_id"]][row["consultant_id"]]
        figures["first_visits"], figures["invited"] = row["n"], row["invited"]
    consultants = {pk for table in tables.values() for pk in table if pk}
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=consultants)}
    return {pk: _weekly_rows(table, names, start, end) for pk, table in tables.items()}


def _weekly_rows(table: dict, names: dict, start: datetime.date, end: datetime.date) -> dict:
    rows = []
    for consultant_id, figures in sorted(table.items(), key=lambda item: names.get(item[0], "")):
        rate = round(100 * figures["invited"] / figures["first_visits"]) if figures["first_visits"] else None
        rows.append(
            {
                "consultant_id": consultant_id,
                "consultant": names.get(consultant_id, ""),
                **figures,
                "invitation_rate": rate,
            }
        )
    totals = {grade.value: sum(row["grades"][grade.value] for row in rows) for grade in LeadGrade}
    return {"start": start.isoformat(), "end": end.isoformat(), "rows": rows, "grade_totals": totals}


def invitation_rates(*, visits) -> list[dict]:
    """J5: per consultant, the share of first visits where the club invitation was made (target 100%)."""
    rows = (
        visits.filter(kind=VisitKind.FIRST)
        .values("consultant_id")
        .annotate(first_visits=Count("pk"), invited=Count("pk", filter=Q(invited_to_club=True)))
        .order_by("consultant_id")
    )
    names = {user.pk: str(user) for user in User.objects.filter(pk__in=[row["consultant_id"] for row in rows])}
    return [
        {
            **row,
            "consultant": names.get(row["consultant_id"], ""),
            "rate": round(100 * row["invited"] / row["first_visits"]) if row["first_visits"] else None,
        }
        for row in rows
    ]


def lead_timeline_rows(lead: Lead):
    """Follow-ups and grade changes of one lead, newest first, for its page."""
    follow_ups = [("follow_up", f.happened_at, f) for f in lead.follow_ups.select_related("consultant")]
    changes = [("grade", c.at, c) for c in grade_history(lead)]
    return sorted(follow_ups + changes, key=lambda row: row[1], reverse=True)


def audit_trail(history, *, limit: int = 50) -> list[dict]:
    """R2: who changed what and when, newest first, from django-simple-history records.

    `history` is a historical queryset of one or more records; changes are computed between
    consecutive versions of the same record, in memory.
    """
    records = list(history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    records.reverse()
    previous: dict = {}
    rows = []
    for record in records:
        before = previous.get(record.id)
        changes = []
        if before is not None:
            for change in record.diff_against(before).changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _shown(field, change.old),
                        "new": _shown(field, change.new),
                    }
                )
        previous[record.id] = record
        if before is not None and not changes:
            continue
        rows.append(
            {
                "at": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "changes": changes,
                "object": str(record.id),
            }
        )
    return list(reversed(rows))[:limit]


def _shown(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value
