"""The admin takes complaints in through the same service and configures the company's clocks."""

import pytest

from core.roles import Role

from .. import services
from ..models import Complaint, ComplaintCategory, ComplaintSettings


@pytest.mark.rule("C1")
def test_a_complaint_taken_in_through_the_admin_starts_its_clocks(client, staff, project, unit):
    client.force_login(staff[Role.CR_HEAD])
    response = client.post(
        "/admin/complaints/complaint/add/",
        {
            "project": project.pk,
            "unit": unit.pk,
            "channel": "letter",
            "category": ComplaintCategory.objects.get(code="design").pk,
            "title": "来信投诉",
            "content": "户型设计不合理",
            "demand": "",
            "people_count": 1,
            "severity": "minor",
            "severity_reason": "",
            "slaclock_set-TOTAL_FORMS": 0,
            "slaclock_set-INITIAL_FORMS": 0,
            "clocks-TOTAL_FORMS": 0,
            "clocks-INITIAL_FORMS": 0,
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.channel == "letter" and complaint.received_by == staff[Role.CR_HEAD]
    assert complaint.clocks.filter(kind="response").exists()


def test_clock_targets_are_configured_per_company_in_the_admin(client, staff, company):
    client.force_login(staff[Role.CR_HEAD])
    assert client.get("/admin/complaints/complaintsettings/add/").status_code == 200
    ComplaintSettings.objects.create(company=company, response_hours=12)
    assert "12" in client.get("/admin/complaints/complaintsettings/").text


@pytest.mark.rule("C4")
def test_the_admin_moves_complaints_through_the_same_workflow_actions(client, staff, receive):
    """The list's actions come from the workflow table: an action with input asks for it first; a row
    whose state does not allow the action is reported, not moved."""
    waiting, done = receive(), receive()
    services.analyse_complaint(complaint=done, actor=staff[Role.CUSTOMER_SERVICE], validity="valid")
    client.force_login(staff[Role.CR_HEAD])
    url = "/admin/complaints/complaint/"
    chosen = {"action": "workflow_analyse", "_selected_action": [waiting.pk, done.pk]}

    asked = client.post(url, chosen)
    assert asked.status_code == 200 and 'name="workflow-validity"' in asked.text
    applied = client.post(url, {**chosen, "apply": "1", "workflow-validity": "valid"}, follow=True)

    assert Complaint.objects.get(pk=waiting.pk).state == "analysed"
    assert Complaint.objects.get(pk=done.pk).state == "analysed"
    messages = [str(message) for message in applied.context["messages"]]
    assert any(str(done) in message for message in messages)  # refused: already analysed
    assert Complaint.objects.get(pk=waiting.pk).events.filter(to_state="analysed", actor=staff[Role.CR_HEAD]).exists()


def test_a_complaints_clocks_and_history_are_read_in_the_admin_never_changed_there(client, staff, receive):
    """Management reads what the duties keep; the clocks run by the workflow's rules (C4, C5), not by hand."""
    complaint = receive()
    clock = complaint.clocks.get(kind="response")
    client.force_login(staff[Role.CR_HEAD])

    page = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    shown = {formset.opts.model._meta.model_name: formset for formset in page.context["inline_admin_formsets"]}
    assert set(shown) == {"slaclock", "complaintevent"}
    assert not any(formset.has_add_permission or formset.has_change_permission for formset in shown.values())
    assert client.get("/admin/complaints/slaclock/").status_code == 200
    assert client.get(f"/admin/complaints/slaclock/{clock.pk}/change/").status_code == 200
    assert client.post(f"/admin/complaints/slaclock/{clock.pk}/change/", {"status": "stopped"}).status_code == 403
    assert client.post(f"/admin/complaints/slaclock/{clock.pk}/delete/", {"post": "yes"}).status_code == 403
    clock.refresh_from_db()
    assert clock.status == "running"
    event = complaint.events.get()
    assert client.get("/admin/complaints/complaintevent/").status_code == 200
    assert client.get("/admin/complaints/complaintevent/add/").status_code == 403
    edited = {"complaint": complaint.pk, "kind": event.kind, "at_0": "2026-01-01", "at_1": "00:00", "note": "by hand"}
    assert client.post(f"/admin/complaints/complaintevent/{event.pk}/change/", edited).status_code == 403
    assert client.post(f"/admin/complaints/complaintevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert list(complaint.events.values_list("pk", "note")) == [(event.pk, event.note)]

    client.force_login(staff[Role.CUSTOMER_SERVICE])  # not a configuration role: no admin at all
    assert client.get("/admin/complaints/slaclock/").status_code == 302


@pytest.mark.rule("C8")
def test_a_crisis_action_is_recorded_through_the_crisis_workflow_and_shown_on_the_crisis_page(client, staff, receive):
    crisis = services.open_crisis(complaint=receive(), actor=staff[Role.CR_HEAD])
    client.force_login(staff[Role.CR_HEAD])

    client.post(
        "/admin/complaints/crisisrecord/",
        {
            "action": "workflow_record_action",
            "_selected_action": [crisis.pk],
            "apply": "1",
            "workflow-description": "通知区域总经理到场",
        },
    )
    page = client.get(f"/admin/complaints/crisisrecord/{crisis.pk}/change/")

    (actions,) = page.context["inline_admin_formsets"]
    assert "通知区域总经理到场" in page.text and not actions.has_add_permission
    assert crisis.actions.get().actor == staff[Role.CR_HEAD]
    assert client.get("/admin/complaints/crisisaction/add/").status_code == 403
