"""Intake, classification and the complaint state machine (C1–C4, C8, C9, R2)."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from core.errors import DomainError, TransitionNotAllowed
from core.roles import Role
from core.testing import make_staff

from .. import selectors, services
from ..choices import Channel, ComplaintState, CrisisStatus, EventKind, Satisfaction, Severity, VisitMethod
from ..models import Complaint, CrisisRecord, Notification
from .conftest import START


@pytest.mark.rule("C1")
@pytest.mark.parametrize("channel", list(Channel))
def test_a_complaint_is_recorded_from_every_channel_with_its_facts(receive, unit, customer, channel):
    complaint = receive(channel=channel)

    complaint.refresh_from_db()
    assert complaint.channel == channel
    assert (complaint.customer, complaint.unit, complaint.category.code) == (customer, unit, "quality")
    assert complaint.content == "厨房天花板渗水三天" and complaint.demand == "尽快维修"
    assert complaint.state == ComplaintState.RECEIVED
    assert complaint.events.filter(kind=EventKind.RECEIVED).exists()


@pytest.mark.rule("C1")
def test_open_complaints_of_the_same_customer_and_unit_are_possible_duplicates(receive, walk, customer, unit, project):
    from estates.tests.factories import BuildingFactory, UnitFactory

    open_one = receive()
    closed_one = walk(receive(), "close")
    receive(unit=UnitFactory(building=BuildingFactory(project=project)))

    duplicates = list(selectors.possible_duplicates(customer=customer, unit=unit))

    assert duplicates == [open_one]
    assert closed_one not in duplicates


def test_a_unit_of_another_project_is_refused(receive, other_project):
    from estates.tests.factories import BuildingFactory, UnitFactory

    with pytest.raises(DomainError) as error:
        receive(unit=UnitFactory(building=BuildingFactory(project=other_project)))
    assert error.value.field == "unit"


@pytest.mark.rule("C2")
def test_an_invalid_complaint_needs_and_keeps_its_explanation(receive, staff):
    complaint = receive()

    with pytest.raises(DomainError) as error:
        services.analyse_complaint(complaint=complaint, actor=staff[Role.CUSTOMER_SERVICE], validity="invalid")
    assert error.value.field == "validity_reason"
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RECEIVED

    services.analyse_complaint(
        complaint=complaint,
        actor=staff[Role.CUSTOMER_SERVICE],
        validity="invalid",
        validity_reason="要求超出合同约定，已向客户解释",
    )
    complaint.refresh_from_db()
    assert complaint.validity == "invalid" and "合同" in complaint.validity_reason
    assert complaint.state == ComplaintState.ANALYSED


@pytest.mark.rule("C3")
@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"people_count": 9}, Severity.MINOR),
        ({"people_count": 10}, Severity.CRISIS),
        ({"media_exposure": True}, Severity.CRISIS),
        ({"channel": Channel.MEDIA}, Severity.CRISIS),
        ({"severity": Severity.MAJOR, "severity_reason": "多次报修未处理"}, Severity.MAJOR),
        ({"severity": Severity.MINOR, "people_count": 12}, Severity.CRISIS),
    ],
)
def test_severity_is_set_by_hand_or_raised_by_the_rules(receive, fields, expected):
    assert receive(**fields).severity == expected


@pytest.mark.rule("C3")
def test_the_crisis_threshold_is_a_company_setting(receive, project):
    config = services.settings_for(project.company)
    config.crisis_people = 20
    config.save()

    assert receive(people_count=12).severity == Severity.MINOR


@pytest.mark.rule("C3")
def test_severity_can_be_changed_by_hand_later(receive, staff):
    complaint = receive()

    services.classify_complaint(
        complaint=complaint,
        actor=staff[Role.AREA_MANAGER],
        severity=Severity.MAJOR,
        severity_reason="邻里纠纷影响正常生活",
    )

    complaint.refresh_from_db()
    assert complaint.severity == Severity.MAJOR
    assert complaint.clocks.filter(kind="report_head").exists()

    services.classify_complaint(
        complaint=complaint, actor=staff[Role.AREA_MANAGER], severity=Severity.MINOR, severity_reason="核实后为一般投诉"
    )
    assert not complaint.clocks.filter(kind__in=["report_head", "solution"]).exists()


@pytest.mark.rule("C4")
def test_a_phone_complaint_goes_from_intake_to_archive_with_an_event_for_every_step(receive, walk):
    with time_machine.travel(START, tick=False):
        complaint = walk(receive(), "archive")

    assert complaint.state == ComplaintState.ARCHIVED
    moves = list(complaint.events.filter(kind=EventKind.TRANSITION).values_list("from_state", "to_state"))
    assert moves == [
        ("received", "analysed"),
        ("analysed", "dispatched"),
        ("dispatched", "planned"),
        ("planned", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "verified"),
        ("verified", "visited"),
        ("visited", "closed"),
        ("closed", "archived"),
    ]
    assert complaint.dispatch_note == "请工程部处理" and complaint.deadline is not None


@pytest.mark.rule("C4")
def test_a_dispatch_needs_a_written_instruction_and_a_future_deadline(receive, walk, staff, department):
    import datetime

    from django.utils import timezone

    complaint = walk(receive(), "analyse")
    cs = staff[Role.CUSTOMER_SERVICE]
    with pytest.raises(DomainError):
        services.dispatch_complaint(
            complaint=complaint,
            actor=cs,
            department=department,
            instruction=" ",
            deadline=timezone.now() + datetime.timedelta(days=1),
        )
    with pytest.raises(DomainError):
        services.dispatch_complaint(
            complaint=complaint,
            actor=cs,
            department=department,
            instruction="处理",
            deadline=timezone.now() - datetime.timedelta(hours=1),
        )
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.ANALYSED


@pytest.mark.rule("C4")
def test_an_illegal_transition_is_refused_and_changes_nothing(receive, staff):
    complaint = receive()
    events = complaint.events.count()

    with pytest.raises(TransitionNotAllowed):
        services.resolve_complaint(complaint=complaint, actor=staff[Role.ENGINEERING], resolution="已修复")

    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED and complaint.resolution == ""
    assert complaint.events.count() == events


@pytest.mark.rule("C4")
def test_each_transition_belongs_to_given_roles(receive, walk, staff):
    complaint = receive()
    with pytest.raises(PermissionDenied):
        services.analyse_complaint(complaint=complaint, actor=staff[Role.CONSULTANT], validity="valid")
    with pytest.raises(PermissionDenied):
        services.analyse_complaint(complaint=complaint, actor=staff[Role.ENGINEERING], validity="valid")
    complaint = walk(complaint, "resolve")
    with pytest.raises(PermissionDenied):
        services.verify_complaint(complaint=complaint, actor=staff[Role.ENGINEERING])
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.RESOLVED


@pytest.mark.rule("C4")
def test_the_state_cannot_be_set_directly(receive):
    complaint = receive()
    with pytest.raises(AttributeError):
        complaint.state = ComplaintState.CLOSED


@pytest.mark.rule("C9")
def test_a_dissatisfied_customer_reopens_the_complaint(receive, walk, staff):
    complaint = walk(receive(), "verify")

    services.record_complaint_visit(
        complaint=complaint,
        actor=staff[Role.CUSTOMER_SERVICE],
        method=VisitMethod.PHONE,
        satisfaction=Satisfaction.DISSATISFIED,
        shortcomings="仍有渗水",
    )

    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.REOPENED and complaint.reopen_count == 1
    assert complaint.return_visits.get().shortcomings == "仍有渗水"
    # handled again from the top: dispatched anew
    assert complaint.clocks.filter(kind="response", cycle=1, status="running").exists()


@pytest.mark.rule("C9")
def test_a_minor_complaint_is_visited_by_its_receiver_by_phone_or_wechat(receive, walk, staff, project):
    consultant = staff[Role.CONSULTANT]
    complaint = walk(receive(actor=consultant, channel=Channel.WALK_IN), "verify")
    other = make_staff(Role.CONSULTANT, projects=[project])

    for outsider, method in ((other, VisitMethod.WECHAT), (staff[Role.PROPERTY], VisitMethod.IN_PERSON)):
        with pytest.raises(PermissionDenied):
            services.record_complaint_visit(
                complaint=complaint, actor=outsider, method=method, satisfaction=Satisfaction.SATISFIED
            )
    visit = services.record_complaint_visit(
        complaint=complaint,
        actor=consultant,
        method=VisitMethod.WECHAT,
        satisfaction=Satisfaction.SATISFIED,
        service_quality=4,
        attitude=5,
        fee_checked=True,
        fee_note="未收费",
        suggestions="加快响应",
    )

    assert (visit.visitor, visit.method, visit.fee_checked, visit.suggestions) == (
        consultant,
        VisitMethod.WECHAT,
        True,
        "加快响应",
    )
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.VISITED


@pytest.mark.rule("C9")
def test_a_major_complaint_is_visited_in_person_by_the_area_manager(receive, walk, staff):
    complaint = walk(receive(severity=Severity.MAJOR), "verify")

    with pytest.raises(DomainError):
        services.record_complaint_visit(
            complaint=complaint,
            actor=staff[Role.AREA_MANAGER],
            method=VisitMethod.PHONE,
            satisfaction=Satisfaction.SATISFIED,
        )
    with pytest.raises(PermissionDenied):
        services.record_complaint_visit(
            complaint=complaint,
            actor=staff[Role.CUSTOMER_SERVICE],
            method=VisitMethod.IN_PERSON,
            satisfaction=Satisfaction.SATISFIED,
        )
    services.record_complaint_visit(
        complaint=complaint,
        actor=staff[Role.AREA_MANAGER],
        method=VisitMethod.IN_PERSON,
        satisfaction=Satisfaction.SATISFIED,
    )
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.VISITED


@pytest.mark.rule("C8")
def test_a_crisis_alerts_the_crisis_team_at_once_and_is_tracked_until_closed(receive, staff, project):
    team_member = staff[Role.CR_HEAD]
    area_manager = staff[Role.AREA_MANAGER]

    complaint = receive(people_count=15, title="业主集体投诉")

    crisis = CrisisRecord.objects.get(complaint=complaint)
    assert crisis.status == CrisisStatus.OPEN
    alerted = set(Notification.objects.filter(complaint=complaint).values_list("recipient", flat=True))
    assert {team_member.pk, area_manager.pk} <= alerted
    services.add_crisis_action(crisis=crisis, actor=area_manager, description="现场沟通，安抚业主")
    services.close_crisis(crisis=crisis, actor=team_member, conclusion="已达成一致")
    crisis.refresh_from_db()
    assert crisis.status == CrisisStatus.CLOSED and crisis.actions.count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.add_crisis_action(crisis=crisis, actor=area_manager, description="再次沟通")


@pytest.mark.rule("C8")
def test_the_crisis_team_is_configurable_per_company(receive, project):
    member = make_staff(Role.CUSTOMER_SERVICE, projects=[project])
    services.settings_for(project.company).crisis_team.add(member)

    complaint = receive(media_exposure=True)

    assert list(Notification.objects.filter(complaint=complaint).values_list("recipient", flat=True)) == [member.pk]


@pytest.mark.rule("R2")
def test_every_change_of_a_complaint_is_on_the_audit_trail_with_who_and_when(receive, walk, staff):
    complaint = walk(receive(), "plan")

    trail = list(complaint.history.order_by("history_date").values_list("state", "history_user"))
    assert trail[0] == ("received", staff[Role.CUSTOMER_SERVICE].pk)
    assert ("planned", staff[Role.ENGINEERING].pk) in trail
    latest = complaint.history.latest()
    assert latest.diff_against(latest.prev_record).changed_fields  # what changed is kept


@pytest.mark.rule("C11")
def test_a_typical_case_goes_into_the_case_library_once(receive, walk, staff):
    complaint = walk(receive(), "close")
    services.add_case(
        actor=staff[Role.CR_HEAD],
        title="厨房渗水",
        category="quality",
        situation="渗水",
        handling="返修防水层",
        lesson="防水施工旁站",
        complaint=complaint,
    )
    with pytest.raises(DomainError):
        services.add_case(
            actor=staff[Role.CR_HEAD],
            title="again",
            category="quality",
            situation="s",
            handling="h",
            lesson="l",
            complaint=complaint,
        )
    assert complaint.case.lesson == "防水施工旁站"
