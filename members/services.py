"""Every write to a customer that carries a rule: one phone, one customer per company; consent (M3)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.roles import Role

from .models import Customer

DUPLICATE_MOBILE = _("A customer with this mobile phone number is already registered in this company.")


@transaction.atomic
def register_customer(*, project, name: str, mobile, actor, consultant=None, **fields) -> Customer:
    """Register a new customer; a known phone number in the same company is refused."""
    _refuse_duplicate(company_id=project.company_id, mobile=mobile)
    if consultant is None and actor is not None and Role.CONSULTANT in actor.roles:
        consultant = actor
    customer = Customer(project=project, name=name, mobile=mobile, consultant=consultant, **fields)
    if customer.consents_to_messages:
        customer.consent_changed_at = timezone.now()
    customer.save()
    return customer


@transaction.atomic
def update_customer(*, customer: Customer, actor, **changes) -> Customer:
    consent_before = customer.consents_to_messages
    for field, value in changes.items():
        setattr(customer, field, value)
    if "mobile" in changes or "project" in changes:
        _refuse_duplicate(company_id=customer.project.company_id, mobile=customer.mobile, exclude=customer.pk)
    if customer.consents_to_messages != consent_before:
        customer.consent_changed_at = timezone.now()
    customer.save()
    return customer


@transaction.atomic
def set_message_consent(*, customer: Customer, consents: bool, actor=None) -> Customer:
    """Opt in or out of messages; an opt-out takes effect for the very next message (M3)."""
    if customer.consents_to_messages == consents:
        return customer
    customer.consents_to_messages = consents
    customer.consent_changed_at = timezone.now()
    customer.save(update_fields=["consents_to_messages", "consent_changed_at", "updated_at"])
    return customer


def _refuse_duplicate(*, company_id: int, mobile, exclude: int | None = None) -> None:
    duplicates = Customer.objects.filter(company_id=company_id, mobile=mobile)
    if exclude:
        duplicates = duplicates.exclude(pk=exclude)
    if duplicates.exists():
        raise DomainError(DUPLICATE_MOBILE, code="duplicate_mobile", field="mobile")
