"""The workflow tables walked whole, through the API: for every action of the complaint, repair-order and
crisis workflows, the allowed path, every state that must refuse it (409, nothing changed) and every role
that must refuse it (403, nothing changed).

The cases are generated from complaints.workflow itself, so a new action is tested by adding it.
"""

import datetime

import pytest
from django import forms
from django.utils import timezone

from core.models import Department
from core.roles import Role
from core.testing import api_client, make_staff

from .. import services
from ..choices import ComplaintState, CrisisStatus, RepairState, Severity, VisitMethod
from ..models import Complaint, ComplaintEvent, CrisisRecord, RepairOrder
from ..workflow import COMPLAINT_FLOW, CRISIS_FLOW, REPAIR_FLOW

# Who takes an action on the allowed path when several roles may: the first of these that the action allows.
PREFERRED = [Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD]


class Table:
    """How to bring a record of one workflow into a state, and where its API lives."""

    def __init__(self, flow, url, states, make, force):
        self.flow, self.url, self.states, self.make, self.force = flow, url, states, make, force


def _complaint(staff, project, unit, **fields):
    return services.receive_complaint(
        actor=staff[Role.CUSTOMER_SERVICE],
        project=project,
        unit=unit,
        channel="hotline",
        title="厨房渗水",
        content="天花板渗水",
        confirm_duplicates=True,
        **fields,
    )


def _force(model, field):
    def force(record, state):
        model.objects.filter(pk=record.pk).update(**{field: state})
        return model.objects.get(pk=record.pk)

    return force


TABLES = {
    "complaint": Table(
        COMPLAINT_FLOW,
        "/api/v1/complaints/",
        list(ComplaintState),
        lambda staff, project, unit, **fields: _complaint(staff, project, unit, **fields),
        _force(Complaint, "state"),
    ),
    "repair": Table(
        REPAIR_FLOW,
        "/api/v1/repair-orders/",
        list(RepairState),
        lambda staff, project, unit, **fields: services.report_repair(
            actor=staff[Role.CUSTOMER_SERVICE], unit=unit, description="门锁损坏"
        ),
        _force(RepairOrder, "state"),
    ),
    "crisis": Table(
        CRISIS_FLOW,
        "/api/v1/crises/",
        list(CrisisStatus),
        lambda staff, project, unit, **fields: _complaint(staff, project, unit, people_count=20).crisis,
        _force(CrisisRecord, "status"),
    ),
}
# The customer's own actions (owner portal) have no staff endpoint: owners/tests walk them.
CASES = [(name, action.name) for name, table in TABLES.items() for action in table.flow.staff_actions()]

# What an action needs beyond its state, and who may take it where the table says "the actor's part decides".
MAJOR = {"severity": Severity.MAJOR, "severity_reason": "多次要求未兑现"}
SETUP = {
    ("complaint", "report-to-head"): {"fields": MAJOR},
    ("complaint", "agree-solution"): {"fields": MAJOR},
    ("complaint", "resume-clocks"): {
        "before": lambda record, staff: services.pause_clocks(
            complaint=record, actor=staff[Role.AREA_MANAGER], reason="客户出差"
        )
    },
    # Rule C9: a minor complaint is visited by its receiver (customer service here), by phone.
    ("complaint", "return-visit"): {
        "actor": Role.CUSTOMER_SERVICE,
        "refused": [Role.AREA_MANAGER, Role.CR_HEAD],
        "input": {"method": VisitMethod.PHONE},
    },
}


@pytest.fixture
def world(staff, project):
    from estates.tests.factories import BuildingFactory, UnitFactory

    head = make_staff(Role.ENGINEERING, projects=[project], username="engineering-head")
    department = Department.objects.create(name="工程部", code="engineering", head=head)
    staff[Role.ENGINEERING].department = department
    staff[Role.ENGINEERING].save()
    return {"unit": UnitFactory(building=BuildingFactory(project=project)), "department": department}


def sample_input(flow, name, world, staff) -> dict:
    """A valid body for the action's form: its required fields filled the way a user would."""
    data = {}
    form = flow.form_for(name)
    for field_name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            if field_name == "department":
                data[field_name] = world["department"].pk
            elif field.required:
                data[field_name] = staff[Role.ENGINEERING].pk
        elif not field.required:
            continue
        elif isinstance(field, forms.ChoiceField):
            data[field_name] = next(value for value, _label in field.choices if value)
        elif isinstance(field, forms.DateTimeField):
            data[field_name] = (timezone.now() + datetime.timedelta(days=2)).isoformat()
        elif isinstance(field, forms.IntegerField):
            data[field_name] = field.max_value or 1
        else:
            data[field_name] = "已处理"
    return {**data, **SETUP.get((_table_of(flow), name), {}).get("input", {})}


def _table_of(flow) -> str:
    return next(name for name, table in TABLES.items() if table.flow is flow)


def _prepared(table_name, action_name, state, staff, project, world):
    table = TABLES[table_name]
    setup = SETUP.get((table_name, action_name), {})
    record = table.make(staff, project, world["unit"], **setup.get("fields", {}))
    if "before" in setup:
        setup["before"](record, staff)
    return table.force(record, state)


def _allowed_actor(table_name, action):
    setup = SETUP.get((table_name, action.name), {})
    return setup.get("actor") or next(role for role in PREFERRED if role in action.roles)


def _post(table, record, action_name, user, body):
    return api_client(user).post(f"{table.url}{record.pk}/{action_name}/", body, format="json")


def _snapshot(table, record):
    field = table.flow.field_name
    model = type(record)
    return model.objects.values_list(field, flat=True).get(pk=record.pk), ComplaintEvent.objects.count()


@pytest.mark.rule("C4")
@pytest.mark.parametrize("table_name, action_name", CASES)
def test_the_allowed_path_takes_the_action(table_name, action_name, staff, project, world):
    table = TABLES[table_name]
    action = table.flow[action_name]
    record = _prepared(table_name, action_name, action.sources[0], staff, project, world)
    actor = staff[_allowed_actor(table_name, action)]

    response = _post(table, record, action_name, actor, sample_input(table.flow, action_name, world, staff))

    assert response.status_code == 200, response.json()
    state = type(record).objects.values_list(table.flow.field_name, flat=True).get(pk=record.pk)
    expected = action.target or action.sources[0]
    if action_name == "return-visit" and table_name == "complaint":
        expected = ComplaintState.VISITED  # a satisfied customer: the complaint stays visited
    assert state == expected
    assert response.json()[table.flow.field_name] == expected


@pytest.mark.rule("C4")
@pytest.mark.parametrize("table_name, action_name", CASES)
def test_every_other_state_refuses_the_action_with_409(table_name, action_name, staff, project, world):
    table = TABLES[table_name]
    action = table.flow[action_name]
    actor = staff[_allowed_actor(table_name, action)]
    refusing = [state for state in table.states if state not in action.sources]
    if not refusing:
        pytest.skip(f"{action_name} is open from every state of the {table_name} workflow")

    for state in refusing:
        record = _prepared(table_name, action_name, state, staff, project, world)
        before = _snapshot(table, record)

        response = _post(table, record, action_name, actor, sample_input(table.flow, action_name, world, staff))

        assert response.status_code == 409, (state, response.json())
        body = response.json()
        assert body["code"] == "transition_not_allowed" and body["state"] == state
        assert action_name not in body["allowed_actions"]
        assert set(body["allowed_actions"]) <= {other.name for other in table.flow}
        assert _snapshot(table, record) == before


@pytest.mark.rule("R1")
@pytest.mark.parametrize("table_name, action_name", CASES)
def test_every_other_role_is_refused_with_403(table_name, action_name, staff, project, world):
    table = TABLES[table_name]
    action = table.flow[action_name]
    setup = SETUP.get((table_name, action_name), {})
    refused = [role for role in Role if role not in action.roles]
    refused += setup.get("refused", [])
    if not refused:
        pytest.skip(f"every role may {action_name}; the actor's part decides (see the allowed path)")

    for role in refused:
        record = _prepared(table_name, action_name, action.sources[0], staff, project, world)
        before = _snapshot(table, record)

        response = _post(table, record, action_name, staff[role], sample_input(table.flow, action_name, world, staff))

        # A role that may read the record is told why not (403); one that cannot see it, that it is not there.
        seen = api_client(staff[role]).get(f"{table.url}{record.pk}/").status_code
        assert response.status_code == (404 if seen == 404 else 403), (role, response.json())
        assert response.json()["detail"]
        assert _snapshot(table, record) == before


def test_every_action_has_its_service_and_form():
    for table in TABLES.values():
        for action in table.flow:
            assert callable(table.flow.service(action.name)), action.name
            assert issubclass(action.form, forms.Form)
            assert action.sources, action.name


def test_every_action_is_documented_in_the_schema_with_its_input_and_409(client, staff):
    client.force_login(staff[Role.CR_HEAD])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for table in TABLES.values():
        for action in table.flow.staff_actions():
            path = f"{table.url}{{id}}/{action.name}/"
            operation = schema["paths"][path]["post"]
            assert {"200", "400", "403", "404", "409"} <= set(operation["responses"]), path
            if action.form.base_fields:
                assert "requestBody" in operation, path
