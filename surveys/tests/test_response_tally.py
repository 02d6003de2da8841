"""The home's twelve months of survey figures, read from the responses' tally, follow every way responses change:
at each step they are the figures counted from the responses themselves."""

import datetime

import time_machine

from core.roles import Role
from core.testing import api_client, make_staff
from estates.models import Project
from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import selectors, services
from surveys.models import Answer, ImportBatch, Response

from .test_import import run, workbook

TZ = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 6, 20, 10, tzinfo=TZ)


def home_and_counted(user) -> dict:
    """The home's figures, checked against the same figures counted from the responses; the overall ones."""
    home = selectors.home_figures(user)
    responses = selectors.responses_for(user)
    recent = responses.filter(answered_at__gte=datetime.datetime(2025, 7, 1, tzinfo=TZ))
    assert home["trend"] == selectors.trend(responses)
    assert home["overall"] == selectors.figures(recent)[0]
    assert home["by_segment"] == selectors.figures(recent, by="segment")
    return home["overall"]


def counts(user) -> tuple:
    overall = home_and_counted(user)
    return overall["responses"], overall["satisfied"], overall["loyal"]


@time_machine.travel(TODAY, tick=False)
def test_the_homes_survey_figures_follow_answers_imports_corrections_moves_and_deletions(
    project, other_project, questionnaire, staff
):
    head = make_staff(Role.CR_HEAD)
    service = staff[Role.CUSTOMER_SERVICE]
    assert counts(head) == (0, 0, 0)

    purchase = PurchaseFactory(
        customer=CustomerFactory(project=project, consultant=staff[Role.CONSULTANT]), consultant=staff[Role.CONSULTANT]
    )
    posted = api_client(staff[Role.CONSULTANT]).post(
        "/api/v1/survey-responses/",
        {
            "questionnaire": questionnaire.pk,
            "purchase": purchase.pk,
            "answers": {"overall": 5, "service": 4, "buy_again": True, "recommend": True},
        },
        format="json",
    )
    assert posted.status_code == 201, posted.json()
    assert counts(head) == (1, 1, 1)

    # Answered half an hour either side of midnight, Beijing time, at the end of February (both on the 28th in
    # UTC): February's and March's.
    rows = [
        [project.name, None, "稳定期", "2026-05-01", 3, None, "否", "是", None, None],
        [other_project.name, None, "老业主", "2026-05-02", 4, 4, "是", "否", None, None],
        [other_project.name, None, "老业主", "2025-06-30", 5, 5, "是", "是", None, None],
    ]
    report, batch = run(workbook(rows), questionnaire, service, Project.objects.all())
    assert report.ok, report.errors
    assert counts(head) == (3, 2, 1)  # the last row answered before the twelve months
    for at, overall in (
        (datetime.datetime(2026, 2, 28, 23, 30, tzinfo=TZ), 4),
        (datetime.datetime(2026, 3, 1, 0, 30, tzinfo=TZ), 2),
    ):
        services.record_response(
            questionnaire=questionnaire, answers={"overall": overall}, source="tablet", project=project, answered_at=at
        )
    trend = {row["label"]: row["responses"] for row in selectors.home_figures(head)["trend"]}
    assert (trend["2026-02"], trend["2026-03"]) == (1, 1)
    assert counts(head) == (5, 3, 1)

    low = Answer.objects.get(response=posted.json()["id"], item__code="overall")
    services.amend_answer(answer=low, value=2, actor=service)
    assert counts(head) == (5, 2, 0)

    Response.objects.filter(project=other_project).update(project=project, segment="run_in")
    assert counts(head) == (5, 2, 0)
    assert counts(staff[Role.SALES_MANAGER]) == (5, 2, 0)  # every response now in the manager's project

    ImportBatch.objects.get(pk=batch.pk).delete()  # its responses go with it
    assert counts(head) == (3, 1, 0)
    Response.objects.filter(pk=posted.json()["id"]).delete()
    assert counts(head) == (2, 1, 0)


def test_a_user_sees_the_figures_of_their_projects_only(project, other_project, questionnaire, staff):
    for where, overall in ((project, 5), (other_project, 1), (other_project, 2)):
        services.record_response(
            questionnaire=questionnaire, answers={"overall": overall}, source="tablet", project=where
        )

    assert counts(make_staff(Role.CR_HEAD)) == (3, 1, 0)
    assert counts(staff[Role.CUSTOMER_SERVICE]) == (1, 1, 0)
    assert counts(make_staff(Role.CUSTOMER_SERVICE, projects=[other_project])) == (2, 0, 0)
