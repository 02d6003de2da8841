"""Privacy: consent changed at once (M3), the personal-data download, and erasure requests handled by staff."""

import io

import pytest
from openpyxl import load_workbook

from core.roles import Role
from touchpoints.messaging import deliver, queue_message
from touchpoints.models import OutboundMessage

from ..choices import ErasureStatus
from ..models import ErasureRequest


@pytest.mark.rule("M3")
def test_opting_out_in_the_portal_is_honoured_for_the_very_next_message(owner_web, owner_customer):
    owner_customer.consents_to_messages = True
    owner_customer.save()
    queued = queue_message(customer=owner_customer, purpose="birthday", dedupe_key="birthday:1", body="生日快乐")
    client = owner_web(owner_customer)

    answer = client.post("/owner/privacy/", {"action": "consent"})  # the box left unticked

    assert answer.status_code == 302
    owner_customer.refresh_from_db()
    assert owner_customer.consents_to_messages is False and owner_customer.consent_changed_at
    assert deliver(queued.pk) == "suppressed"


@pytest.mark.rule("M3")
def test_consent_through_the_api(owner_api, owner_customer):
    api = owner_api(owner_customer)
    assert api.put("/api/v1/owner/consent/", {"consents": True}, format="json").json() == {"consents": True}
    owner_customer.refresh_from_db()
    assert owner_customer.consents_to_messages is True
    assert api.get("/api/v1/owner/consent/").json() == {"consents": True}


def test_the_personal_data_download_holds_the_owners_data_and_no_one_elses(owner_api, owner_customer, other_owner):
    api = owner_api(owner_customer)

    answer = api.get("/api/v1/owner/my-data/")

    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert owner_customer.name in cells and "13912345678" in cells
    assert other_owner.name not in cells
    assert not any("验证码" in cell or "verification code" in cell for cell in cells)  # sign-in codes left out
    assert OutboundMessage.objects.filter(purpose__startswith="requested:").exists()


def test_the_portal_download_is_an_excel_file(owner_web, owner_customer):
    answer = owner_web(owner_customer).get("/owner/privacy/my-data.xlsx")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_erasure_request_is_recorded_once_and_handled_in_the_admin_with_its_audit(
    owner_web, owner_customer, browser, staff
):
    client = owner_web(owner_customer)
    client.post("/owner/privacy/", {"action": "erase", "reason": "已卖房"})
    client.post("/owner/privacy/", {"action": "erase", "reason": "again"})
    request = ErasureRequest.objects.get()
    assert (request.customer, request.reason, request.status) == (owner_customer, "已卖房", ErasureStatus.REQUESTED)

    service = staff[Role.CUSTOMER_SERVICE]
    service.is_staff = True
    service.save()
    admin = browser(service)
    answer = admin.post(
        f"/admin/owners/erasurerequest/{request.pk}/change/",
        {"status": ErasureStatus.DONE, "outcome": "已删除联系方式；合同依法保留"},
    )

    assert answer.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (ErasureStatus.DONE, service)
    assert request.history.latest().history_user == service
    assert staff[Role.CONSULTANT].has_role(Role.CONSULTANT)
    staff[Role.CONSULTANT].is_staff = True
    staff[Role.CONSULTANT].save()
    assert browser(staff[Role.CONSULTANT]).get("/admin/owners/erasurerequest/").status_code == 403
