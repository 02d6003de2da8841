"""Message templates: a text may use only the variables its occasion fills in, checked in the API and the
admin, and shown filled with sample data before a customer ever reads it."""

import pytest

from core.roles import Role
from core.testing import api_client
from touchpoints.models import MessageTemplate

URL = "/api/v1/message-templates/"


@pytest.fixture
def welcome(db):
    return MessageTemplate.objects.get(code="subscription_welcome")


def test_a_misspelt_or_unclosed_variable_is_refused_with_the_variables_the_template_may_use(staff, welcome):
    client = api_client(staff[Role.CR_HEAD])

    misspelt = client.patch(f"{URL}{welcome.pk}/", {"body": "尊敬的{nmae}，欢迎您"}, format="json")
    assert misspelt.status_code == 400
    assert "{nmae}" in misspelt.json()["body"][0] and "{hotline}" in misspelt.json()["body"][0]

    unclosed = client.patch(f"{URL}{welcome.pk}/", {"body": "尊敬的{name}，{unknown"}, format="json")
    assert unclosed.status_code == 400 and unclosed.json()["body"]

    welcome.refresh_from_db()
    assert "{nmae}" not in welcome.body and "{unknown" not in welcome.body


def test_a_valid_text_is_saved_and_answered_with_its_preview_and_variables(staff, welcome):
    client = api_client(staff[Role.CR_HEAD])

    saved = client.patch(
        f"{URL}{welcome.pk}/", {"body": "{name}您好，恭喜认购{project}{unit}，热线{hotline}"}, format="json"
    )

    assert saved.status_code == 200
    assert saved.json()["preview"] == "张先生您好，恭喜认购万科城市花园3栋1202，热线400-800-0000"
    assert [variable["name"] for variable in saved.json()["variables"]] == ["name", "project", "unit", "hotline"]


def test_each_occasion_offers_its_own_variables(staff):
    client = api_client(staff[Role.CR_HEAD])

    complaint = client.post(
        f"{URL}preview/", {"template_code": "complaint_received", "body": "编号{number}已受理"}, format="json"
    )
    assert complaint.status_code == 200 and complaint.json()["preview"] == "编号1024已受理"
    not_here = client.post(
        f"{URL}preview/", {"template_code": "birthday_greeting", "body": "编号{number}"}, format="json"
    )
    assert not_here.status_code == 400
    unused_code = client.post(
        URL, {"template_code": "new_year", "name": "新年问候", "body": "{name}新年好，{project}"}, format="json"
    )
    assert unused_code.status_code == 400, "a template no occasion sends may greet by {name} only"


def test_customer_service_reads_the_templates_and_only_the_cr_head_edits_them(staff, welcome):
    assert api_client(staff[Role.CUSTOMER_SERVICE]).get(URL).status_code == 200
    refused = api_client(staff[Role.CUSTOMER_SERVICE]).patch(f"{URL}{welcome.pk}/", {"body": "{name}"}, format="json")
    assert refused.status_code == 403
    assert api_client(staff[Role.CONSULTANT]).get(URL).status_code == 403


def test_the_admin_refuses_a_broken_text_and_shows_the_preview(staff, welcome, client):
    client.force_login(staff[Role.CR_HEAD])
    url = f"/admin/touchpoints/messagetemplate/{welcome.pk}/change/"
    form = {"code": welcome.code, "name": welcome.name, "channel": welcome.channel, "is_active": "on"}

    refused = client.post(url, {**form, "body": "尊敬的{nmae}"})
    assert refused.status_code == 200 and "{nmae}" in refused.text and "{hotline}" in refused.text
    welcome.refresh_from_db()
    assert "{nmae}" not in welcome.body

    assert client.post(url, {**form, "body": "{name}您好，热线{hotline}"}).status_code == 302
    assert "张先生您好，热线400-800-0000" in client.get(url).text
