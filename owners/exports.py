"""The owner's personal-data download: everything we hold about them, one workbook (openpyxl write-only)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.access import display_phone
from core.excel import Sheet, xlsx_response

from . import selectors


def personal_data_response(owner):
    customers = list(selectors.customers_of(owner))
    ids = owner.customer_ids
    from complaints.models import Complaint
    from touchpoints.models import OutboundMessage

    sheets = [
        Sheet(
            _("Personal data"),
            [
                pgettext("owner portal", "Name"),
                _("Mobile phone"),
                _("ID number"),
                _("Birthday"),
                _("Project"),
                _("Consents to messages"),
                _("Registered at"),
            ],
            (
                [
                    c.name,
                    display_phone(c.mobile),
                    c.id_number,
                    c.birthday,
                    c.project.name,
                    _("Yes") if c.consents_to_messages else _("No"),
                    c.created_at,
                ]
                for c in customers
            ),
        ),
        Sheet(
            _("Homes"),
            [_("Project"), _("Unit"), _("Status"), _("Signed on"), _("Delivered on"), _("Moved in on")],
            (
                [p.project.name, str(p.unit), p.get_status_display(), p.signed_on, p.delivered_on, p.moved_in_on]
                for p in selectors.purchases_of(owner)
            ),
        ),
        Sheet(
            _("Repairs"),
            [_("Number"), _("Unit"), _("Component"), _("Description"), _("Status"), _("Reported at")],
            (
                [
                    o.pk,
                    str(o.unit),
                    str(o.component_type or ""),
                    o.description,
                    selectors.public_status(o).label,
                    o.reported_at,
                ]
                for o in selectors.repairs_of(owner)
            ),
        ),
        Sheet(
            _("Complaints"),
            [_("Number"), _("Subject"), _("Content"), _("Demand"), _("Status"), _("Received at")],
            (
                [c.pk, c.title, c.content, c.demand, selectors.public_status(c).label, c.received_at]
                for c in Complaint.objects.filter(customer_id__in=ids).order_by("received_at")
            ),
        ),
        Sheet(
            _("Messages"),
            [_("Sent at"), _("Purpose"), _("Text")],
            (
                [m.sent_at or m.created_at, m.purpose, m.body]
                for m in OutboundMessage.objects.filter(customer_id__in=ids)
                .exclude(purpose__startswith="requested:")
                .order_by("created_at")
            ),
        ),
    ]
    return xlsx_response(f"personal-data-{timezone.localdate():%Y%m%d}.xlsx", sheets)
