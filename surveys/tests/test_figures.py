"""Satisfaction and loyalty figures against values computed by hand on a small fixed data set.

The data set (project P, sales-satisfaction card):

    who  segment    month    overall service buy  recommend
    R1   pre-owner  2026-02  5       4       yes  yes        satisfied, loyal
    R2   pre-owner  2026-02  4       2       yes  no         satisfied, not loyal
    R3   stable     2026-03  3       3       yes  yes        not satisfied
    R4   stable     2026-03  2       —       no   no         skipped the service item
    R5   stable     2026-03  5       5       yes  —          skipped "recommend": not in the loyalty base

Overall satisfaction 3/5 = 60.0 %, loyalty 1/4 = 25.0 %, service item 2/4 = 50.0 %.
Pre-owners 2/2 = 100.0 % and 1/2 = 50.0 %; stable owners 1/3 = 33.3 % and 0/2 = 0.0 %.
"""

import datetime

import pytest
import time_machine

from core.testing import count_queries
from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import selectors, services
from surveys.choices import ResponseSource
from surveys.models import Response

from .factories import standard_questionnaire

TZ = datetime.timezone(datetime.timedelta(hours=8))
FEB, MAR = datetime.datetime(2026, 2, 10, 10, tzinfo=TZ), datetime.datetime(2026, 3, 15, 10, tzinfo=TZ)

DATA = [
    (None, FEB, {"overall": 5, "service": 4, "buy_again": True, "recommend": True}),
    (None, FEB, {"overall": 4, "service": 2, "buy_again": True, "recommend": False}),
    (datetime.date(2024, 6, 1), MAR, {"overall": 3, "service": 3, "buy_again": True, "recommend": True}),
    (datetime.date(2024, 6, 1), MAR, {"overall": 2, "buy_again": False, "recommend": False}),
    (datetime.date(2024, 6, 1), MAR, {"overall": 5, "service": 5, "buy_again": True}),
]


def answer(questionnaire, project, moved_in_on, at, answers):
    purchase = PurchaseFactory(customer=CustomerFactory(project=project), moved_in_on=moved_in_on)
    return services.record_response(
        questionnaire=questionnaire, answers=answers, source=ResponseSource.TABLET, purchase=purchase, answered_at=at
    )


@pytest.fixture
def dataset(project, questionnaire):
    return [answer(questionnaire, project, *row) for row in DATA]


def only(rows):
    assert len(rows) == 1
    return rows[0]


@pytest.mark.rule("S1")
def test_overall_satisfaction_is_the_share_answering_4_or_5(dataset):
    overall = only(selectors.figures(Response.objects.all()))

    assert (overall["respondents"], overall["satisfied"], overall["satisfaction"]) == (5, 3, 60.0)


@pytest.mark.rule("S1")
def test_item_satisfaction_leaves_out_the_respondent_who_skipped_the_item(dataset):
    items = {row["item"]: row for row in selectors.item_figures(Response.objects.all())}

    service = items["service"]
    assert (service["respondents"], service["satisfied"], service["satisfaction"]) == (4, 2, 50.0)
    assert items["overall"]["satisfaction"] == 60.0
    assert items["service"]["low"] == 1
    assert set(items) == {"overall", "service"}  # yes/no, choice and text items have no satisfaction


@pytest.mark.rule("S2")
def test_loyalty_needs_satisfied_and_buy_again_and_recommend(dataset):
    overall = only(selectors.figures(Response.objects.all()))

    assert (overall["loyalty_base"], overall["loyal"], overall["loyalty"]) == (4, 1, 25.0)


@pytest.mark.rule("S1")
@pytest.mark.rule("S2")
def test_no_answers_give_no_figure_rather_than_zero(db):
    overall = only(selectors.figures(Response.objects.none()))

    assert overall["satisfaction"] is None and overall["loyalty"] is None
    assert selectors.item_figures(Response.objects.none()) == []


@pytest.mark.rule("S1")
@pytest.mark.rule("S2")
def test_everyone_answering_3_gives_zero_satisfaction_and_loyalty(project):
    questionnaire = standard_questionnaire()
    for _ in range(3):
        answer(questionnaire, project, None, FEB, {"overall": 3, "service": 3, "buy_again": True, "recommend": True})

    overall = only(selectors.figures(Response.objects.filter(questionnaire=questionnaire)))
    items = selectors.item_figures(Response.objects.filter(questionnaire=questionnaire))

    assert (overall["satisfaction"], overall["loyalty"]) == (0.0, 0.0)
    assert [row["satisfaction"] for row in items] == [0.0, 0.0]


@pytest.mark.rule("S3")
def test_figures_split_by_the_segment_the_owner_was_in_when_answering(dataset):
    rows = {row["key"]: row for row in selectors.figures(Response.objects.all(), by="segment")}

    assert set(rows) == {"pre_owner", "stable"}
    assert (rows["pre_owner"]["satisfaction"], rows["pre_owner"]["loyalty"]) == (100.0, 50.0)
    assert (rows["stable"]["satisfaction"], rows["stable"]["loyalty"]) == (33.3, 0.0)
    assert str(rows["stable"]["label"]) in ("Stable", "稳定期")


@pytest.mark.rule("S3")
def test_figures_split_by_todays_segment_computed_in_the_database(dataset):
    # A year later the stable owners (moved in June 2024) have become old owners.
    rows = {
        row["key"]: row
        for row in selectors.figures(Response.objects.all(), by="current_segment", today=datetime.date(2027, 3, 1))
    }

    assert set(rows) == {"pre_owner", "old_owner"}
    assert rows["old_owner"]["satisfaction"] == 33.3


@pytest.mark.rule("S3")
def test_figures_split_by_project_step_and_item(dataset, other_project):
    questionnaire = dataset[0].questionnaire
    answer(questionnaire, other_project, None, MAR, {"overall": 1, "buy_again": False, "recommend": False})
    responses = Response.objects.all()

    by_project = {row["key"]: row for row in selectors.figures(responses, by="project")}
    by_step = selectors.figures(responses, by="step")
    service_by_segment = {
        row["key"]: row for row in selectors.item_figures(responses, by="segment") if row["item"] == "service"
    }

    assert by_project[dataset[0].project_id]["satisfaction"] == 60.0
    assert by_project[other_project.pk]["satisfaction"] == 0.0
    assert by_project[other_project.pk]["label"] == other_project.name
    assert only(by_step)["key"] == "signing" and only(by_step)["respondents"] == 6
    assert service_by_segment["pre_owner"]["satisfaction"] == 50.0
    assert service_by_segment["stable"]["satisfaction"] == 50.0


@pytest.mark.rule("S3")
def test_the_trend_goes_month_by_month_including_empty_months(dataset):
    rows = selectors.trend(Response.objects.all(), months=3, today=datetime.date(2026, 3, 20))

    assert [row["label"] for row in rows] == ["2026-01", "2026-02", "2026-03"]
    assert [row["satisfaction"] for row in rows] == [None, 100.0, 33.3]
    assert [row["loyalty"] for row in rows] == [None, 50.0, 0.0]


@pytest.mark.rule("S3")
def test_an_answer_counts_in_the_month_of_its_local_date_on_the_home_and_on_the_dashboard(
    project, questionnaire, settings
):
    """Half an hour either side of midnight, Beijing time, on the last day of February (in UTC both are on the
    28th): the first is February's, the second March's."""
    from core.roles import Role
    from core.testing import make_staff

    settings.TIME_ZONE = "Asia/Shanghai"
    answer(questionnaire, project, None, datetime.datetime(2026, 2, 28, 23, 30, tzinfo=TZ), {"overall": 5})
    answer(questionnaire, project, None, datetime.datetime(2026, 3, 1, 0, 30, tzinfo=TZ), {"overall": 2})
    head = make_staff(Role.CR_HEAD)
    on = datetime.date(2026, 3, 20)

    dashboard = selectors.trend(selectors.responses_for(head), months=3, today=on)
    home = selectors.home_figures(head, months=3, today=on)["trend"]

    for rows in (dashboard, home):
        assert [(row["label"], row["responses"], row["satisfaction"]) for row in rows] == [
            ("2026-01", 0, None),
            ("2026-02", 1, 100.0),
            ("2026-03", 1, 0.0),
        ]


def test_figures_take_a_fixed_number_of_queries_whatever_the_data(project, questionnaire):
    answer(questionnaire, project, None, FEB, {"overall": 5})
    few = count_queries(
        lambda: (
            selectors.figures(Response.objects.all(), by="segment"),
            selectors.item_figures(Response.objects.all()),
        )
    )
    for row in DATA:
        answer(questionnaire, project, *row)
    many = count_queries(
        lambda: (
            selectors.figures(Response.objects.all(), by="segment"),
            selectors.item_figures(Response.objects.all()),
        )
    )
    assert many == few == 2


def test_home_figures_cover_the_users_projects_only(dataset, other_project, staff):
    from core.roles import Role

    answer(dataset[0].questionnaire, other_project, None, MAR, {"overall": 1})
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=TZ), tick=False):
        home = selectors.home_figures(staff[Role.CUSTOMER_SERVICE])
        consultant_home = selectors.home_figures(staff[Role.CONSULTANT])

    assert home["overall"]["satisfaction"] == 60.0 and home["overall"]["respondents"] == 5
    assert [row["satisfaction"] for row in home["trend"][-2:]] == [100.0, 33.3]
    assert len(home["trend"]) == 12
    assert sum(row["responses"] for row in home["by_segment"]) == 5
    assert consultant_home is None


def test_the_home_counts_its_three_figures_in_one_grouping_that_agrees_with_each(dataset, staff):
    """The home adds up one grouping by month and segment; each figure counted on its own gives the same."""
    from core.roles import Role

    user = staff[Role.CUSTOMER_SERVICE]
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=TZ), tick=False):
        queries = count_queries(lambda: selectors.home_figures(user))
        home = selectors.home_figures(user)
        recent = selectors.responses_for(user).filter(answered_at__gte=datetime.datetime(2025, 4, 1, tzinfo=TZ))
        overall = only(selectors.figures(recent))
        by_segment = selectors.figures(recent, by="segment")
        trend = selectors.trend(selectors.responses_for(user))

    assert home["overall"] == overall
    assert home["by_segment"] == by_segment and len(by_segment) == 2
    assert home["trend"] == trend
    assert queries <= 4, "the figures in one statement, beside the roles, projects and open follow-ups"


@pytest.mark.rule("S3")
def test_figures_split_by_year_and_filtered_to_a_period(dataset, project, questionnaire):
    answer(questionnaire, project, None, datetime.datetime(2025, 12, 31, 23, tzinfo=TZ), {"overall": 1})
    responses = Response.objects.all()

    by_year = {row["label"]: row["satisfaction"] for row in selectors.figures(responses, by="year")}
    march = selectors.figures(responses.filter(answered_at__date__gte=datetime.date(2026, 3, 1)))[0]

    assert by_year == {"2025": 0.0, "2026": 60.0}
    assert (march["respondents"], march["satisfaction"]) == (3, 33.3)
