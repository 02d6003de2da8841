from core import demo as core_demo
from estates import demo as estates_demo
from members import demo as members_demo
from touchpoints import demo
from touchpoints.choices import Duty
from core import timeline
from touchpoints.models import CareIssue, CareTask, Meeting, OutboundMessage, VisitRound


def test_the_demo_shows_every_kind_of_care_task_and_is_idempotent(db):
    staff = core_demo.seed()
    projects = estates_demo.seed(staff)
    members_demo.seed(projects=projects, staff=staff)

    demo.seed({"staff": staff, "projects": projects})
    counts = (CareTask.objects.count(), OutboundMessage.objects.count())
    demo.seed({"staff": staff, "projects": projects})

    assert (CareTask.objects.count(), OutboundMessage.objects.count()) == counts
    assert set(CareTask.objects.values_list("duty", flat=True)) == set(Duty.values)


def test_the_demo_has_meetings_and_visit_rounds_that_show_on_a_timeline(db):
    staff = core_demo.seed()
    projects = estates_demo.seed(staff)
    members_demo.seed(projects=projects, staff=staff)

    demo.seed({"staff": staff, "projects": projects})
    demo.seed({"staff": staff, "projects": projects})

    assert Meeting.objects.count() == 2 and VisitRound.objects.exists()
    assert sorted(CareIssue.objects.values_list("status", flat=True)) == ["closed", "open"]
    owner = Meeting.objects.get(kind="management_meeting").feedback.get().customer
    kinds = {event.kind for event in timeline.events_for(owner.pk)}
    assert {"meeting", "visit_round"} <= kinds
