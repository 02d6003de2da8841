"""The complaints board's figures by status, read from the projects' tally of complaints (issue 15): they follow
every way complaints come, move on, change project or go, and each user's figures are of the complaints they
may see."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from core.testing import make_staff

from ..models import Complaint

FIGURE = re.compile(r'href="\?state=(\w+)"><div[^>]*>[^<]*</div><div class="n">(\d+)</div>')


def figures(client, user) -> dict[str, int]:
    """The board's figures as `user` sees them, the states with none left out."""
    client.force_login(user)
    page = client.get("/complaints/all/")
    assert page.status_code == 200
    return {state: int(n) for state, n in FIGURE.findall(page.text) if n != "0"}


def counted(complaints) -> dict[str, int]:
    """The complaints' states counted one by one: what the figures must say."""
    states = {}
    for state in complaints.values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    return states


def test_the_boards_figures_follow_complaints_received_moved_on_moved_between_projects_and_deleted(
    client, staff, receive, walk, project, other_project
):
    service = staff[Role.CUSTOMER_SERVICE]
    head = make_staff(Role.CR_HEAD)
    there = make_staff(Role.CUSTOMER_SERVICE, projects=[other_project])

    def check():
        assert figures(client, service) == counted(Complaint.objects.filter(project=project))
        assert figures(client, there) == counted(Complaint.objects.filter(project=other_project))
        assert figures(client, head) == counted(Complaint.objects.all())

    first, second, third = (receive(title=f"投诉{n}") for n in range(3))
    receive(project=other_project, unit=None, customer=None, title="另一个项目的")
    check()
    assert figures(client, service) == {"received": 3}

    walk(first, "dispatch")
    walk(second, "close")
    check()
    assert figures(client, service) == {"received": 1, "dispatched": 1, "closed": 1}

    Complaint.objects.filter(pk=third.pk).update(state="archived")  # a bulk change, past the workflow
    Complaint.objects.filter(pk=first.pk).update(project=other_project)
    check()
    assert figures(client, there) == {"received": 1, "dispatched": 1}

    Complaint.objects.filter(pk__in=[first.pk, third.pk]).delete()
    check()
    assert figures(client, head) == {"received": 1, "closed": 1}


def test_whom_their_projects_do_not_narrow_enough_sees_figures_of_their_own_complaints(
    client, staff, receive, walk, department, project
):
    """An engineer sees the complaints dispatched to their department, a consultant their team's: their figures
    count those alone, not their projects' tally."""
    dispatched = walk(receive(title="派给工程部的"), "dispatch")
    receive(title="还没派的")
    consultant = staff[Role.CONSULTANT]
    receive(actor=consultant, title="顾问受理的")

    assert figures(client, staff[Role.ENGINEERING]) == {dispatched.state: 1}
    assert figures(client, consultant) == {"received": 1}
    assert figures(client, staff[Role.CUSTOMER_SERVICE]) == {"received": 2, dispatched.state: 1}


def test_the_whole_boards_figures_are_read_from_the_tally_not_counted_from_every_complaint(client, staff, receive):
    for _ in range(3):
        receive()
    client.force_login(make_staff(Role.CR_HEAD))

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/complaints/all/")

    assert "共 3 条" in page.text
    statements = [query["sql"] for query in queries.captured_queries]
    assert any('FROM "complaints_complainttally"' in sql for sql in statements)
    assert not any('FROM "complaints_complaint"' in sql and "GROUP BY" in sql for sql in statements)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_that_drops_the_tallys_triggers_is_mended_by_keeping_the_tally_again(receive):
    """SQLite drops a table's triggers when a migration rebuilds it: keeping the tally again (core.db.tallies)
    creates them and counts what changed meanwhile."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite drops a table's triggers when a migration alters the table")
    from importlib import import_module

    from ..selectors import complaints_by_state

    tally = import_module("complaints.migrations.0019_complaint_tally").COMPLAINTS_BY_STATE
    head = make_staff(Role.CR_HEAD)
    receive()
    with connection.schema_editor() as editor:
        tally.drop(None, editor)  # as a rebuild of the table would
    receive()
    receive()
    assert complaints_by_state(head) == {"received": 1}

    with connection.schema_editor() as editor:
        tally.keep(None, editor)
    receive()

    assert complaints_by_state(head) == {"received": 4}
