"""The projects' unit and sold counts, read from the units' tally, follow every way units change."""

from decimal import Decimal

from core.roles import Role
from core.testing import api_client, make_staff
from estates.models import Project, Unit
from estates.selectors import SOLD, with_unit_counts
from estates.services import add_units
from members.tests.factories import CustomerFactory

from .factories import BuildingFactory, UnitFactory


def shown(*projects):
    """(units, sold) per project as the projects page shows them, beside the units' own count."""
    tallied = with_unit_counts(Project.objects.filter(pk__in=[p.pk for p in projects]))
    counted = {p.pk: (p.units.count(), p.units.filter(status__in=SOLD).count()) for p in projects}
    assert {p.pk: (p.unit_count, p.sold_count) for p in tallied} == counted
    return [counted[p.pk] for p in projects]


def test_a_projects_unit_and_sold_counts_follow_additions_sales_cancellations_moves_and_deletions(
    project, other_project, staff
):
    building = BuildingFactory(project=project)
    layouts = [("三室", Decimal("90")), ("两室", Decimal("70"))]
    units = add_units(building=building, floors=range(1, 3), layouts=layouts, price_per_m2=1)
    one_more = UnitFactory(building=building, number="3301")
    assert shown(project, other_project) == [(5, 0), (0, 0)]

    consultant = staff[Role.CONSULTANT]
    tablet = api_client(consultant)
    sold, cancelled = (
        tablet.post("/api/v1/purchases/", {"customer": customer.pk, "unit": unit.pk, "price": "900000"}).json()["id"]
        for customer, unit in zip(
            CustomerFactory.create_batch(2, project=project, consultant=consultant), units[:2], strict=True
        )
    )
    assert tablet.post(f"/api/v1/purchases/{sold}/sign/").status_code == 200
    assert shown(project) == [(5, 1)]
    assert tablet.post(f"/api/v1/purchases/{cancelled}/cancel/").status_code == 200
    assert Unit.objects.get(pk=units[1].pk).status == "available"

    Unit.objects.filter(pk__in=[units[1].pk, units[2].pk]).update(status="delivered")
    assert shown(project) == [(5, 3)]

    one_more.building = BuildingFactory(project=other_project)
    one_more.save()
    assert shown(project, other_project) == [(4, 3), (1, 0)]

    Unit.objects.get(pk=units[3].pk).delete()
    assert shown(project) == [(3, 3)]
    one_more.building.delete()
    assert shown(project, other_project) == [(3, 3), (0, 0)]


def test_the_project_page_breaks_its_units_down_by_status_and_the_projects_page_totals_them(project):
    building = BuildingFactory(project=project)
    for status in ("available", "available", "subscribed", "signed", "delivered"):
        UnitFactory(building=building, status=status)
    Unit.objects.filter(status="subscribed").update(status="available")
    head = make_staff(Role.CR_HEAD)
    client = api_client()
    client.force_login(head)

    detail = client.get(f"/estates/projects/{project.pk}/")
    listed = client.get("/estates/projects/")

    assert [(row["value"], row["count"]) for row in detail.context["unit_status"]] == [
        ("available", 3),
        ("delivered", 1),
        ("signed", 1),
    ]
    assert detail.context["unit_total"] == 5
    row = next(p for p in listed.context["object_list"] if p.pk == project.pk)
    assert (row.unit_count, row.sold_count) == (5, 2)
