from core import demo as core_demo
from estates import demo as estates_demo
from members import demo as members_demo
from touchpoints import demo
from touchpoints.choices import Duty
from touchpoints.models import CareTask, OutboundMessage


def test_the_demo_shows_every_kind_of_care_task_and_is_idempotent(db):
    staff = core_demo.seed()
    projects = estates_demo.seed(staff)
    members_demo.seed(projects=projects, staff=staff)

    demo.seed({"staff": staff, "projects": projects})
    counts = (CareTask.objects.count(), OutboundMessage.objects.count())
    demo.seed({"staff": staff, "projects": projects})

    assert (CareTask.objects.count(), OutboundMessage.objects.count()) == counts
    assert set(CareTask.objects.values_list("duty", flat=True)) == set(Duty.values)
