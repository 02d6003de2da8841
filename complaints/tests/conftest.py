import datetime

import pytest
from django.utils import timezone

from core.models import Department
from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members.tests.factories import CustomerFactory

from .. import services
from ..choices import Channel, Satisfaction, VisitMethod

SHANGHAI = timezone.get_fixed_timezone(480)
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday morning


@pytest.fixture
def department(staff, project):
    head = make_staff(Role.ENGINEERING, projects=[project], username="engineering-head")
    dept = Department.objects.create(name="工程部", code="engineering", head=head)
    staff[Role.ENGINEERING].department = dept
    staff[Role.ENGINEERING].save()
    return dept


@pytest.fixture
def unit(project):
    return UnitFactory(building=BuildingFactory(project=project))


@pytest.fixture
def customer(project):
    return CustomerFactory(project=project)


@pytest.fixture
def receive(staff, project, unit, customer):
    """Take a complaint by phone, as customer service does. Several complaints of the one customer and unit
    are taken knowingly (the duplicate warning of rule C1 is confirmed) unless a test asks otherwise."""

    def make(**fields):
        data = {
            "actor": staff[Role.CUSTOMER_SERVICE],
            "project": project,
            "channel": Channel.HOTLINE,
            "title": "厨房漏水",
            "content": "厨房天花板渗水三天",
            "customer": customer,
            "unit": unit,
            "category": "quality",
            "demand": "尽快维修",
            "confirm_duplicates": True,
            **fields,
        }
        return services.receive_complaint(**data)

    return make


@pytest.fixture
def walk(staff, department):
    """Move a complaint along the workflow up to (and including) the named step."""

    steps = ["analyse", "dispatch", "plan", "start", "resolve", "verify", "visit", "close", "archive"]

    def go(complaint, until):
        cs, eng, area = staff[Role.CUSTOMER_SERVICE], staff[Role.ENGINEERING], staff[Role.AREA_MANAGER]
        for step in steps[: steps.index(until) + 1]:
            if step == "analyse":
                complaint = services.analyse_complaint(complaint=complaint, actor=cs, validity="valid")
            elif step == "dispatch":
                complaint = services.dispatch_complaint(
                    complaint=complaint,
                    actor=cs,
                    department=department,
                    instruction="请工程部处理",
                    deadline=timezone.now() + datetime.timedelta(days=3),
                    handler=eng,
                )
            elif step == "plan":
                complaint = services.record_plan(complaint=complaint, actor=eng, plan="明天上门检查")
            elif step == "start":
                complaint = services.start_handling(complaint=complaint, actor=eng)
            elif step == "resolve":
                complaint = services.resolve_complaint(complaint=complaint, actor=eng, resolution="已修复")
            elif step == "verify":
                complaint = services.verify_complaint(complaint=complaint, actor=cs)
            elif step == "visit":
                visitor, method = (
                    (area, VisitMethod.IN_PERSON) if complaint.severity != "minor" else (cs, VisitMethod.PHONE)
                )
                services.record_complaint_visit(
                    complaint=complaint, actor=visitor, method=method, satisfaction=Satisfaction.SATISFIED
                )
                complaint.refresh_from_db()
            elif step == "close":
                complaint = services.close_complaint(complaint=complaint, actor=cs, summary="处理完毕")
            elif step == "archive":
                complaint = services.archive_complaint(complaint=complaint, actor=cs)
        return complaint

    return go


def escalated() -> str:
    """The start of an escalation notice's title, in the active language."""
    from django.utils.translation import gettext

    return gettext("Escalated (%(level)s): %(clock)s overdue — %(subject)s").split("%")[0]
