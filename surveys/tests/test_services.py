"""Recording answers, questionnaire versions, low-score follow-ups and the audit trail."""

import datetime

import pytest
import time_machine

from core.errors import DomainError, TransitionNotAllowed
from core.roles import Role
from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import services
from surveys.choices import FollowUpStatus, ItemKind, ResponseSource
from surveys.models import Answer, FollowUp, Questionnaire, Response

from .factories import ItemFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 6, 1, 10, tzinfo=TZ)


def record(questionnaire, customer, answers, **kwargs):
    return services.record_response(
        questionnaire=questionnaire, answers=answers, source=ResponseSource.TABLET, customer=customer, **kwargs
    )


def test_all_kinds_of_answers_are_stored_with_the_loyalty_facts(project, questionnaire):
    customer = CustomerFactory(project=project)

    response = record(
        questionnaire,
        customer,
        {"overall": "5", "service": 4, "buy_again": "是", "recommend": False, "channel": "网络", "comment": "很好"},
    )

    assert (response.overall_score, response.would_buy_again, response.would_recommend) == (5, True, False)
    values = {answer.item.code: answer.display_value for answer in response.answers.select_related("item")}
    assert values["service"] == "4" and values["channel"] == "网络" and values["comment"] == "很好"
    assert response.project == project and response.kind == questionnaire.kind and response.step == "signing"


@pytest.mark.parametrize(
    "answers, field",
    [
        ({"overall": 6}, "overall"),
        ({"overall": "good"}, "overall"),
        ({"buy_again": "maybe"}, "buy_again"),
        ({"channel": "电视"}, "channel"),
        ({}, "answers"),
        ({"nonsense": 3}, "answers"),
    ],
)
def test_a_wrong_answer_is_refused_naming_the_question_and_nothing_is_saved(project, questionnaire, answers, field):
    with pytest.raises(DomainError) as refused:
        record(questionnaire, CustomerFactory(project=project), answers)

    assert refused.value.field == field
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_required_question_must_be_answered(project, questionnaire):
    questionnaire.items.filter(code="overall").update(required=True)

    with pytest.raises(DomainError) as refused:
        record(questionnaire, CustomerFactory(project=project), {"service": 4})
    assert refused.value.field == "overall"


@pytest.mark.rule("S3")
@pytest.mark.parametrize(
    "moved_in_on, segment",
    [
        (None, "pre_owner"),
        (datetime.date(2026, 4, 1), "pre_owner"),
        (datetime.date(2025, 12, 1), "run_in"),
        (datetime.date(2025, 1, 1), "stable"),
        (datetime.date(2023, 1, 1), "old_owner"),
    ],
)
def test_the_respondents_owner_segment_is_recorded_when_answering(project, questionnaire, moved_in_on, segment):
    purchase = PurchaseFactory(customer=CustomerFactory(project=project), moved_in_on=moved_in_on)

    with time_machine.travel(NOW, tick=False):
        response = record(questionnaire, purchase.customer, {"overall": 4})

    assert response.segment == segment


@pytest.mark.rule("S3")
def test_a_customer_who_has_not_bought_is_recorded_as_a_visitor(project, questionnaire):
    response = record(questionnaire, CustomerFactory(project=project), {"overall": 4})
    assert response.segment == "visitor"


@pytest.mark.rule("S3")
def test_the_company_half_year_variant_changes_the_recorded_segment(project, questionnaire):
    project.company.segment_variant = "half_year"
    project.company.save()
    purchase = PurchaseFactory(customer=CustomerFactory(project=project), moved_in_on=datetime.date(2025, 9, 1))

    with time_machine.travel(NOW, tick=False):
        response = record(questionnaire, purchase.customer, {"overall": 4})

    assert response.segment == "stable"  # 9 months: run-in in the standard variant, stable in this one


def test_editing_an_answered_questionnaire_makes_a_new_version_and_old_answers_keep_theirs(project, questionnaire):
    old_response = record(questionnaire, CustomerFactory(project=project), {"overall": 4, "service": 5})

    revised = services.revise_questionnaire(
        questionnaire=questionnaire, changes={"title": "签约满意度卡（新版）"}, actor=None
    )

    questionnaire.refresh_from_db()
    assert revised.pk != questionnaire.pk and revised.code == questionnaire.code
    assert (questionnaire.version, revised.version) == (1, 2)
    assert (questionnaire.is_current, revised.is_current) == (False, True)
    assert revised.items.count() == questionnaire.items.count() == 6
    assert old_response.questionnaire == questionnaire
    assert set(old_response.answers.values_list("item__questionnaire", flat=True)) == {questionnaire.pk}


def test_editing_an_unanswered_questionnaire_changes_it_in_place(questionnaire):
    revised = services.revise_questionnaire(questionnaire=questionnaire, changes={"title": "新标题"}, actor=None)
    assert revised.pk == questionnaire.pk and revised.version == 1
    assert Questionnaire.objects.count() == 1


@pytest.mark.rule("S6")
def test_a_score_of_1_or_2_raises_one_follow_up_naming_the_low_items(project, questionnaire):
    customer = CustomerFactory(project=project)

    with time_machine.travel(NOW, tick=False):
        response = record(questionnaire, customer, {"overall": 2, "service": 1, "buy_again": True})

    follow_up = FollowUp.objects.get()
    assert follow_up.response == response and follow_up.customer == customer and follow_up.project == project
    assert "总体满意度: 2" in follow_up.problem and "置业顾问服务: 1" in follow_up.problem
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.due_on == datetime.date(2026, 6, 4)


@pytest.mark.rule("S6")
def test_scores_of_3_and_above_raise_nothing(project, questionnaire):
    record(questionnaire, CustomerFactory(project=project), {"overall": 3, "service": 5})
    assert not FollowUp.objects.exists()


@pytest.mark.rule("S6")
def test_the_follow_up_is_tracked_to_closure_with_its_solution(project, questionnaire, staff):
    record(questionnaire, CustomerFactory(project=project), {"overall": 1})
    follow_up, agent = FollowUp.objects.get(), staff[Role.CUSTOMER_SERVICE]

    services.start_follow_up(follow_up=follow_up, actor=agent, findings="停车位不足")
    with pytest.raises(DomainError):
        services.resolve_follow_up(follow_up=follow_up, actor=agent, solution=" ")
    services.resolve_follow_up(follow_up=follow_up, actor=agent, solution="增设临时车位")
    services.reopen_follow_up(follow_up=follow_up, actor=agent, note="客户仍不满意")
    services.resolve_follow_up(follow_up=follow_up, actor=agent, solution="租用相邻停车场")
    services.close_follow_up(follow_up=follow_up, actor=staff[Role.AREA_MANAGER], note="客户确认满意")

    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.CLOSED and follow_up.assignee == agent
    assert follow_up.solution == "租用相邻停车场" and follow_up.closed_at is not None
    assert [h.status for h in follow_up.history.order_by("history_date")] == [
        "open",
        "in_progress",
        "resolved",
        "in_progress",
        "resolved",
        "closed",
    ]


@pytest.mark.rule("S6")
def test_a_closed_follow_up_cannot_move_again(project, questionnaire, staff):
    record(questionnaire, CustomerFactory(project=project), {"overall": 1})
    follow_up = FollowUp.objects.get()

    with pytest.raises(TransitionNotAllowed):
        services.close_follow_up(follow_up=follow_up, actor=staff[Role.CUSTOMER_SERVICE])
    assert FollowUp.objects.get().status == FollowUpStatus.OPEN


@pytest.mark.rule("R2")
def test_answers_and_their_corrections_are_kept_in_the_audit_trail(project, questionnaire, staff):
    clerk = staff[Role.CALL_CENTER]
    response = record(questionnaire, CustomerFactory(project=project), {"overall": 4, "service": 5}, actor=clerk)
    answer = response.answers.get(item__code="overall")

    services.amend_answer(answer=answer, value=2, actor=staff[Role.CUSTOMER_SERVICE])

    history = list(answer.history.order_by("history_date"))
    assert [(h.score, h.history_type) for h in history] == [(4, "+"), (2, "~")]
    assert history[0].history_user == clerk and history[1].history_user == staff[Role.CUSTOMER_SERVICE]
    response.refresh_from_db()
    assert response.overall_score == 2
    assert response.history.filter(overall_score=4).exists() and response.history.filter(overall_score=2).exists()
    assert FollowUp.objects.filter(response=response).exists()  # the corrected score is low


def test_a_choice_item_without_options_refuses_every_answer(project, questionnaire):
    ItemFactory(questionnaire=questionnaire, code="empty_choice", kind=ItemKind.CHOICE, options="")
    with pytest.raises(DomainError):
        record(questionnaire, CustomerFactory(project=project), {"empty_choice": "x"})


@pytest.mark.rule("S4")
def test_every_survey_kind_can_be_run_and_its_figures_read_apart(project):
    from surveys import selectors
    from surveys.choices import SurveyKind

    from .factories import standard_questionnaire

    kinds = [
        "visitor",
        "sales_card",
        "signing_visit",
        "delivery_visit",
        "three_month",
        "complaint_visit",
        "monthly",
        "year_end",
    ]
    assert list(SurveyKind.values) == kinds
    for score, kind in enumerate(kinds):
        questionnaire = standard_questionnaire(kind=kind)
        record(questionnaire, CustomerFactory(project=project), {"overall": 1 + score % 5})

    rows = {row["key"]: row for row in selectors.figures(Response.objects.all(), by="kind")}

    assert set(rows) == set(kinds)
    assert rows["year_end"]["satisfaction"] == 0.0 and rows["three_month"]["satisfaction"] == 100.0
    assert str(rows["three_month"]["label"]) in ("Three-month visit", "入住三个月回访")
