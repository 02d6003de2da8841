"""The one search box and the caller's card: reads over every app, each row scoped by its own policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, RepairOrder
from complaints.policies import COMPLAINTS, REPAIR_ORDERS
from core.access import display_phone, mask_phone, may_see_contact
from estates.models import Unit
from estates.policies import UNITS
from members.models import Customer, Lead, Membership, Purchase
from members.policies import CUSTOMERS, LEADS, MEMBERSHIPS, PURCHASES
from members.selectors import customers_named


HITS_PER_KIND = 8
KINDS = {
    "customer": _("Customers"),
    "unit": _("Units"),
    "complaint": _("Complaints"),
    "repair": _("Repair orders"),
    "member": _("Club members"),
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_UNIT = re.compile(r"^(?P<building>[^-\s]+)-(?P<number>[\w-]+)$")


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    label: str
    detail: str
    url: str


@dataclass
class SearchResults:
    query: str
    groups: dict[str, list[Hit]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())

    def grouped(self):
        """(kind label, hits) for each kind that found something, in a fixed order."""
        return [(KINDS[kind], hits) for kind, hits in self.groups.items() if hits]


def search(user, text: str, limit: int = HITS_PER_KIND) -> SearchResults:
    """Everything the user may see that the text names: a mobile number (whole or its last four
    digits), a name (characters or pinyin initials), a unit (`1栋-201`, `1-201` or `201`), a complaint
    or repair number (`#12` or `12`), a member number."""
    query = (text or "").strip()
    results = SearchResults(query=query, groups={kind: [] for kind in KINDS})
    if not query:
        return results
    digits = re.sub(r"[\s-]", "", query.lstrip("#+"))
    customers = customer_condition(query)
    if customers:
        results.groups["customer"] = _customer_hits(user, customers, limit)
    results.groups["unit"] = _unit_hits(user, query, limit)
    if digits.isdigit() and len(digits) <= 9:
        number = int(digits)
        results.groups["complaint"] = _case_hits(user, Complaint, COMPLAINTS, number, "complaint")
        results.groups["repair"] = _case_hits(user, RepairOrder, REPAIR_ORDERS, number, "repair")
    if query.isalnum() and not digits.isdigit() or len(digits) >= 6:
        results.groups["member"] = _member_hits(user, query, limit)
    return results


def customer_condition(query: str) -> Q:
    """Customers named by the text: a whole mobile number, its last four digits, the start of a name in
    characters (as the lists' search finds them: members.selectors.customers_named) or in pinyin initials; an
    empty Q when the text names no customer (it may name a unit or a case)."""
    digits = re.sub(r"[\s-]", "", query.lstrip("#+"))
    if digits.isdigit():
        national = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
        return customers_named(national) if len(national) in (4, 11) else Q()
    if _CJK.search(query):
        return customers_named(query)
    if query.isascii() and query.replace(" ", "").isalpha():
        return Q(search_key__initials__startswith=query.replace(" ", "").lower())
    return Q()


def unit_condition(query: str) -> Q:
    """Units named by the text (`1栋-201`, `1-201` or `201`); an empty Q when it names none."""
    match = _UNIT.match(query)
    if match:
        building, number = match["building"], match["number"]
        return Q(building__name__in=[building, f"{building}栋", f"{building}号楼"], number=number) | Q(number=query)
    if query.isdigit() and len(query) >= 3:
        return Q(number=query)
    return Q()


# How many of the customers a text names are put in order of name, at most: a text many share (a surname, two
# initials) shows the first by name of these, and is narrowed by typing on.
NAMES_SORTED = 500


def first_by_name(customers, limit: int) -> list[Customer]:
    """The first `limit` of `customers` by name (with their projects), ordered here among the first NAMES_SORTED
    found. Ordered by name in the database, the customers a name's start names were looked for by walking the
    names in order from the first, past every name before theirs (the head's "王" among a million customers:
    600 ms): the planner takes them for spread evenly through that order, not gathered in one place of it."""
    found = sorted(customers.order_by().values_list("name", "pk")[:NAMES_SORTED])[:limit]
    chosen = Customer.objects.select_related("project").in_bulk([pk for _name, pk in found])
    return [chosen[pk] for _name, pk in found]


def _customer_hits(user, condition: Q, limit: int) -> list[Hit]:
    customers = first_by_name(CUSTOMERS.scope(Customer.objects.all(), user).filter(condition), limit)
    sees_contact = may_see_contact(user)
    return [
        Hit(
            "customer",
            c.pk,
            c.name,
            f"{display_phone(c.mobile) if sees_contact else mask_phone(c.mobile)} · {c.project.name}",
            reverse("members:customer-detail", args=[c.pk]),
        )
        for c in customers
    ]


def _unit_hits(user, query: str, limit: int) -> list[Hit]:
    condition = unit_condition(query)
    if not condition:
        return []
    units = (
        UNITS.scope(Unit.objects.all(), user)
        .filter(condition)
        .select_related("building", "project")
        .order_by("project__name", "building__name", "number")[:limit]
    )
    return [
        Hit(
            "unit",
            u.pk,
            str(u),
            f"{u.project.name} · {u.get_status_display()}",
            reverse("estates:unit-detail", args=[u.pk]),
        )
        for u in units
    ]


def _case_hits(user, model, policy, number: int, kind: str) -> list[Hit]:
    if not policy.can_read(user):
        return []
    cases = policy.scope(model.objects.all(), user).filter(pk=number).select_related("project")
    route = "complaints:complaint-detail" if kind == "complaint" else "complaints:repair-detail"
    return [
        Hit(
            kind,
            case.pk,
            str(case),
            f"{case.project.name} · {case.get_state_display()}",
            reverse(route, args=[case.pk]),
        )
        for case in cases
    ]


def _member_hits(user, query: str, limit: int) -> list[Hit]:
    memberships = (
        MEMBERSHIPS.scope(Membership.objects.all(), user)
        .filter(member_number=query.upper())  # (numbers are written in capitals: members.services)
        .select_related("customer")[:limit]
    )
    return [
        Hit(
            "member",
            m.pk,
            m.member_number,
            f"{m.customer.name} · {m.get_level_display()}",
            reverse("members:customer-detail", args=[m.customer_id]),
        )
        for m in memberships
    ]


LAST_CONTACTS = 5
CARDS_PER_CALL = 5


@dataclass
class CallerCard:
    """Who is calling, at a glance: the screen pop of the call center and the top of the customer page."""

    customer: Customer
    mobile: str
    member: Membership | None
    purchases: list[Purchase]
    leads: list[Lead]
    open_complaints: list[Complaint]
    open_repairs: list[RepairOrder]
    last_contacts: list


def caller_cards(user, phone: str) -> list[CallerCard]:
    """The customers the user may see whose mobile number is `phone` (one, unless several companies or
    a shared family number), each with what an agent needs in the first seconds of the call."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) != 11:
        return []
    customers = list(
        CUSTOMERS.scope(Customer.objects.all(), user)
        .filter(customers_named(digits))
        .select_related("project", "consultant")
        .order_by("pk")[:CARDS_PER_CALL]
    )
    return [caller_card(user, customer) for customer in customers]


def caller_card(user, customer: Customer, *, with_contacts: bool = True) -> CallerCard:
    from core.timeline import events_for

    from complaints.choices import OPEN_STATES, RepairState

    member = MEMBERSHIPS.scope(Membership.objects.filter(customer=customer), user).first()
    purchases = list(
        PURCHASES.scope(Purchase.objects.filter(customer=customer), user)
        .select_related("unit__building", "project")
        .order_by("-subscribed_on")
    )
    leads = list(
        LEADS.scope(Lead.objects.filter(customer=customer), user)
        .select_related("project", "consultant")
        .order_by("-graded_at")
    )
    clocks = Prefetch("clocks", to_attr="clock_list")
    open_complaints = list(
        COMPLAINTS.scope(Complaint.objects.filter(customer=customer, state__in=OPEN_STATES), user)
        .select_related("project")
        .prefetch_related(clocks)
        .order_by("-pk")
    )
    open_repairs = list(
        REPAIR_ORDERS.scope(RepairOrder.objects.filter(customer=customer), user)
        .exclude(state__in=[RepairState.CLOSED])
        .select_related("unit__building", "project")
        .prefetch_related(clocks)
        .order_by("-pk")
    )
    mobile = display_phone(customer.mobile) if may_see_contact(user) else mask_phone(customer.mobile)
    return CallerCard(
        customer=customer,
        mobile=mobile,
        member=member,
        purchases=purchases,
        leads=leads,
        open_complaints=open_complaints,
        open_repairs=open_repairs,
        last_contacts=events_for(customer.pk, viewer=user)[:LAST_CONTACTS] if with_contacts else [],
    )
