"""Survey pages as people meet them: the dashboard, the call center, follow-ups, import, the public link."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from core.testing import count_queries, make_staff
from members.tests.factories import CustomerFactory, PurchaseFactory
from surveys import services
from surveys.choices import ResponseSource
from surveys.models import FollowUp, Invitation, Questionnaire, Response

from .factories import standard_questionnaire
from .test_import import HEADERS, workbook

TZ = datetime.timezone(datetime.timedelta(hours=8))


def respond(project, answers, questionnaire=None, **kwargs):
    purchase = PurchaseFactory(customer=CustomerFactory(project=project))
    return services.record_response(
        questionnaire=questionnaire or standard_questionnaire(),
        answers=answers,
        source=ResponseSource.TABLET,
        purchase=purchase,
        **kwargs,
    )


@pytest.fixture
def invitation(project, questionnaire):
    customer = CustomerFactory(project=project, name="王女士", mobile="+8613812345678")
    PurchaseFactory(customer=customer)
    campaign = services.create_campaign(
        name="签约回访", questionnaire=questionnaire, project=project, by_call=True, actor=None
    )
    services.send_campaign(campaign=campaign, base_url="http://testserver", actor=None)
    return Invitation.objects.get()


# ---------------------------------------------------------------- dashboard


@pytest.mark.rule("S3")
def test_the_dashboard_shows_the_figures_and_charts_of_the_users_projects(project, other_project, staff, browser):
    questionnaire = standard_questionnaire()
    respond(project, {"overall": 5, "buy_again": True, "recommend": True}, questionnaire)
    respond(project, {"overall": 3, "buy_again": True, "recommend": True}, questionnaire)
    respond(other_project, {"overall": 1}, questionnaire)

    page = browser(staff[Role.CUSTOMER_SERVICE]).get("/surveys/")

    assert page.status_code == 200
    assert page.context["overall"]["satisfaction"] == 50.0 and page.context["overall"]["loyalty"] == 50.0
    assert 'src="data:image/svg+xml;base64,' in page.text and "50.0%" in page.text
    assert "/api/v1/reports/satisfaction/?" in page.text


def test_the_dashboard_filters_with_the_api_parameters(project, staff, browser):
    questionnaire = standard_questionnaire()
    respond(project, {"overall": 5}, questionnaire, answered_at=datetime.datetime(2026, 1, 5, tzinfo=TZ))
    respond(project, {"overall": 1}, questionnaire, answered_at=datetime.datetime(2026, 3, 5, tzinfo=TZ))

    page = browser(staff[Role.CR_HEAD]).get("/surveys/", {"answered_after": "2026-02-01"})

    assert page.context["overall"]["satisfaction"] == 0.0 and page.context["overall"]["respondents"] == 1


def test_the_dashboard_is_refused_to_consultants_and_needs_a_sign_in(staff, browser, client, project):
    assert browser(staff[Role.CONSULTANT]).get("/surveys/").status_code == 403
    client.logout()
    assert client.get("/surveys/").status_code == 302


def test_the_dashboard_query_count_does_not_grow_with_answers(project, staff, browser):
    client = browser(staff[Role.CR_HEAD])
    questionnaire = standard_questionnaire()
    respond(project, {"overall": 4}, questionnaire)
    few = count_queries(lambda: client.get("/surveys/"))
    for score in (1, 2, 3, 5):
        respond(project, {"overall": score, "service": score, "buy_again": True, "recommend": False}, questionnaire)
    assert count_queries(lambda: client.get("/surveys/")) == few


def test_response_pages_show_answers_and_hide_other_projects(project, other_project, staff, browser):
    mine = respond(project, {"overall": 2, "comment": "太吵"})
    theirs = respond(other_project, {"overall": 5})
    client = browser(staff[Role.SALES_MANAGER])

    assert "太吵" in client.get(f"/surveys/responses/{mine.pk}/").text
    assert client.get(f"/surveys/responses/{theirs.pk}/").status_code == 404
    assert mine.customer.name in client.get("/surveys/responses/").text


# ---------------------------------------------------------------- campaigns and the call center


def test_customer_service_creates_and_sends_a_campaign_on_the_dashboard(project, questionnaire, staff, browser):
    PurchaseFactory(customer=CustomerFactory(project=project))
    client = browser(staff[Role.CUSTOMER_SERVICE])

    created = client.post(
        "/surveys/campaigns/new/",
        {
            "name": "月度调查",
            "questionnaire": questionnaire.pk,
            "project": project.pk,
            "by_message": "on",
            "link_valid_days": 14,
            "reminder_after_days": 3,
            "max_reminders": 1,
        },
    )
    campaign_url = created.url
    sent = client.post(f"{campaign_url}send/")
    detail = client.get(campaign_url)

    assert created.status_code == 302 and sent.status_code == 302
    assert detail.context["object"].invited == 1 and detail.context["rate"] == 0.0
    assert browser(staff[Role.SALES_MANAGER]).post(f"{campaign_url}close/").status_code == 403


def test_the_call_center_enters_the_answers_of_a_call(invitation, staff, browser):
    client = browser(staff[Role.CALL_CENTER])

    queue = client.get("/surveys/calls/")
    saved = client.post(
        f"/surveys/calls/{invitation.pk}/",
        {"overall": "2", "service": "4", "buy_again": "yes", "recommend": "no", "comment": "交房晚了"},
    )
    again = client.post(f"/surveys/calls/{invitation.pk}/", {"overall": "5"})

    assert "王女士" in queue.text and "13812345678" in queue.text  # the call center needs the number
    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.source == "call_center" and response.entered_by == staff[Role.CALL_CENTER]
    assert (response.overall_score, response.would_buy_again, response.would_recommend) == (2, True, False)
    assert again.status_code == 200 and Response.objects.count() == 1  # answered once only
    assert FollowUp.objects.filter(response=response).exists()
    assert "王女士" not in client.get("/surveys/calls/").text


def test_the_call_queue_pages_filters_by_campaign_and_shows_questionnaires_by_title(
    project, other_project, questionnaire, staff, browser
):
    def campaign(name, in_project, customers):
        for n in range(customers):
            PurchaseFactory(customer=CustomerFactory(project=in_project, name=f"{name}客户{n}"))
        made = services.create_campaign(
            name=name, questionnaire=questionnaire, project=in_project, by_call=True, actor=None
        )
        services.send_campaign(campaign=made, base_url="http://testserver", actor=None)
        return made

    signing = campaign("签约回访", project, 30)
    delivery = campaign("交付回访", other_project, 3)
    for other in (project, other_project):
        other.staff.add(staff[Role.CALL_CENTER])
    client = browser(staff[Role.CALL_CENTER])

    first = client.get("/surveys/calls/")
    assert len(first.context["object_list"]) == 25 and first.context["page_obj"].paginator.count == 33
    assert questionnaire.title in first.text and f"(v{questionnaire.version})" not in first.text
    filtered = client.get("/surveys/calls/", {"campaign": delivery.pk})
    assert {i.campaign for i in filtered.context["object_list"]} == {delivery}
    assert filtered.context["page_obj"].paginator.count == 3
    assert signing.invitations.count() == 30
    full_page = count_queries(lambda: client.get("/surveys/calls/"))  # 25 rows
    # 8 rows: no more statements, and the last page gives the count without counting
    assert count_queries(lambda: client.get("/surveys/calls/", {"page": 2})) == full_page - 1


def test_the_call_screen_is_refused_to_sales_staff(invitation, staff, browser):
    assert browser(staff[Role.CONSULTANT]).get(f"/surveys/calls/{invitation.pk}/").status_code == 403


# ---------------------------------------------------------------- follow-ups


@pytest.mark.rule("S6")
def test_the_follow_up_queue_and_its_moves_on_the_dashboard(project, staff, browser):
    respond(project, {"overall": 1})
    follow_up = FollowUp.objects.get()
    client = browser(staff[Role.CUSTOMER_SERVICE])

    assert follow_up.customer.name in client.get("/surveys/follow-ups/", {"status": "open"}).text
    client.post(f"/surveys/follow-ups/{follow_up.pk}/resolve/", {"solution": "维修完成"})
    client.post(f"/surveys/follow-ups/{follow_up.pk}/close/", {"note": "客户满意"})

    follow_up = FollowUp.objects.get()
    assert follow_up.status == "closed" and follow_up.solution == "维修完成"
    assert browser(staff[Role.CONSULTANT]).get("/surveys/follow-ups/").status_code == 403


# ---------------------------------------------------------------- import page


@pytest.mark.rule("S5")
@pytest.mark.rule("R3")
def test_the_import_page_lists_row_errors_and_imports_nothing(project, staff, browser):
    questionnaire = standard_questionnaire(kind="year_end")
    rows = [
        [project.name, None, "稳定期", "2026-12-01", 5, 4, "是", "是", None, None],
        [project.name, None, "稳定期", "2026-12-01", 9, 4, "是", "是", None, None],
    ]
    upload = SimpleUploadedFile("year-end.xlsx", workbook(rows).read())

    page = browser(staff[Role.CUSTOMER_SERVICE]).post(
        "/surveys/import/", {"questionnaire": questionnaire.pk, "firm": "零点调查", "file": upload}
    )

    assert page.status_code == 200 and "import-errors" in page.text
    assert [(error.row, error.column) for error in page.context["errors"]] == [(3, "总体满意度")]
    assert not Response.objects.exists()


@pytest.mark.rule("S5")
def test_the_import_page_imports_a_clean_file(project, staff, browser):
    questionnaire = standard_questionnaire(kind="year_end")
    rows = [[project.name, None, "稳定期", "2026-12-01", 5, 4, "是", "是", None, None]]

    page = browser(staff[Role.CUSTOMER_SERVICE]).post(
        "/surveys/import/",
        {
            "questionnaire": questionnaire.pk,
            "firm": "零点调查",
            "file": SimpleUploadedFile("year-end.xlsx", workbook(rows, HEADERS).read()),
        },
    )

    assert page.status_code == 302 and Response.objects.get().source == "import"
    assert browser(staff[Role.CONSULTANT]).get("/surveys/import/").status_code == 403


# ---------------------------------------------------------------- the public page


@pytest.fixture
def token(invitation):
    return services.issue_link(invitation=invitation)


def test_the_public_page_opens_without_sign_in_and_is_mobile_ready(client, token):
    page = client.get(f"/surveys/s/{token}/")

    assert page.status_code == 200
    assert 'name="viewport"' in page.text and "王女士" in page.text and "总体满意度" in page.text
    assert "sidebar" not in page.text and "13812345678" not in page.text


def test_the_public_page_takes_the_answers_once(client, token):
    first = client.post(f"/surveys/s/{token}/", {"overall": "4", "buy_again": "yes", "recommend": "yes"})
    second = client.post(f"/surveys/s/{token}/", {"overall": "1"})
    reopened = client.get(f"/surveys/s/{token}/")

    assert first.status_code == 200 and "survey-status" in first.text
    assert second.status_code == 409 and reopened.status_code == 409
    assert Response.objects.get().overall_score == 4 and Response.objects.get().source == "web"


def test_the_public_page_says_when_the_link_has_expired_or_is_wrong(client, token, invitation):
    with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
        assert client.get(f"/surveys/s/{token}/").status_code == 410
        assert client.post(f"/surveys/s/{token}/", {"overall": "4"}).status_code == 410
    assert client.get("/surveys/s/not-a-real-token/").status_code == 404
    assert not Response.objects.exists()


def test_a_missing_required_answer_keeps_the_form(client, token, questionnaire):
    questionnaire.items.filter(code="overall").update(required=True)
    page = client.post(f"/surveys/s/{token}/", {"service": "4"})
    assert page.status_code == 200 and page.context["form"].errors["overall"]
    assert not Response.objects.exists()


# ---------------------------------------------------------------- the admin's versions


def test_saving_an_answered_questionnaire_in_the_admin_saves_a_new_version(project, questionnaire, client):
    respond(project, {"overall": 4}, questionnaire)
    head = make_staff(Role.CR_HEAD, projects=[project], is_staff=True)
    client.force_login(head)
    inline = client.get(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/").context["inline_admin_formsets"][0]
    data = {
        "code": questionnaire.code,
        "title": "签约满意度卡 2027",
        "kind": questionnaire.kind,
        "step": questionnaire.step,
        "introduction": "",
    }
    formset = inline.formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": formset.initial_form_count(),
            f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
            f"{formset.prefix}-MIN_NUM_FORMS": 0,
            f"{formset.prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for index, item_form in enumerate(formset.forms):
        item = item_form.instance
        if item.pk is None:
            continue
        data.update(
            {
                f"{formset.prefix}-{index}-{name}": getattr(item, name)
                for name in ("position", "code", "text", "kind", "role", "options")
            }
        )
        data[f"{formset.prefix}-{index}-id"] = item.pk
        data[f"{formset.prefix}-{index}-questionnaire"] = questionnaire.pk
    data[f"{formset.prefix}-0-text"] = "您对本次签约服务的总体评价"

    saved = client.post(f"/admin/surveys/questionnaire/{questionnaire.pk}/change/", data)

    assert saved.status_code == 302
    old, new = Questionnaire.objects.order_by("version")
    assert (old.title, new.title, new.version, new.is_current, old.is_current) == (
        questionnaire.title,
        "签约满意度卡 2027",
        2,
        True,
        False,
    )
    assert old.items.get(code="overall").text == "总体满意度"
    assert new.items.get(code="overall").text == "您对本次签约服务的总体评价"
    assert Response.objects.get().questionnaire == old


def test_the_admin_refuses_a_second_questionnaire_with_a_code_in_use(project, questionnaire, client):
    client.force_login(make_staff(Role.CR_HEAD, projects=[project], is_staff=True))

    page = client.post(
        "/admin/surveys/questionnaire/add/",
        {
            "code": questionnaire.code,
            "title": "重复",
            "kind": "monthly",
            "step": "caring",
            "introduction": "",
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000,
        },
    )

    assert page.status_code == 200 and page.context["adminform"].form.errors["code"]
    assert Questionnaire.objects.count() == 1


def test_an_invalid_edit_of_an_answered_questionnaire_leaves_no_new_version(project, questionnaire, client):
    respond(project, {"overall": 4}, questionnaire)
    client.force_login(make_staff(Role.CR_HEAD, projects=[project], is_staff=True))

    page = client.post(
        f"/admin/surveys/questionnaire/{questionnaire.pk}/change/",
        {
            "code": questionnaire.code,
            "title": "",
            "kind": questionnaire.kind,
            "step": questionnaire.step,
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000,
        },
    )

    assert page.status_code == 200 and page.context["adminform"].form.errors["title"]
    assert Questionnaire.objects.count() == 1 and Questionnaire.objects.get().is_current


def test_answers_and_low_scores_appear_on_the_customers_timeline(project, staff, browser):
    response = respond(project, {"overall": 1})

    page = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/members/customers/{response.customer_id}/")

    assert response.questionnaire.title in page.text
    assert f"/surveys/follow-ups/{FollowUp.objects.get().pk}/" in page.text


@pytest.mark.rule("R3")
def test_the_dashboards_excel_link_works_with_the_signed_in_session(project, staff, browser):
    respond(project, {"overall": 5, "buy_again": True, "recommend": True})

    response = browser(staff[Role.CR_HEAD]).get("/api/v1/reports/loyalty/", {"by": "month", "format": "xlsx"})

    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
