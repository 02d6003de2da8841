"""Reusable reads of customers."""
from .models import Customer


def customer_by_mobile(*, company_id: int, mobile) -> Customer | None:
    return Customer.objects.filter(company_id=company_id, mobile=mobile).first()


def customer_list():
    """The base queryset of customer lists: one query whatever the page size."""
    return Customer.objects.select_related("project", "consultant")
