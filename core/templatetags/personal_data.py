"""Template filters that show personal data only to roles that need it: {{ customer|masked_mobile:user }}."""

from django import template
from django.utils.html import format_html

from core.access import display_phone, mask_id_number, mask_phone, may_see_contact, may_see_id_number

register = template.Library()


@register.filter
def masked_mobile(record, user):
    return display_phone(record.mobile) if may_see_contact(user) else mask_phone(record.mobile)


@register.filter
def phone_link(record, user):
    """The number to call with one tap (a tel: link) for the roles that may see it; masked for the others."""
    if not record.mobile:
        return ""
    if not may_see_contact(user):
        return mask_phone(record.mobile)
    return format_html('<a class="tel" href="tel:{}">{}</a>', str(record.mobile), display_phone(record.mobile))


@register.filter
def masked_id_number(record, user):
    return record.id_number if may_see_id_number(user) else mask_id_number(record.id_number)
