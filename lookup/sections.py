"""The caller card at the top of the customer page (members), added from here so members need not know lookup."""

from django.utils.translation import gettext_lazy as _

from core.sections import Section
from members.policies import CUSTOMERS

from . import selectors


def caller_card(*, user, customer) -> Section | None:
    if not CUSTOMERS.can_read(user):
        return None
    return Section(
        title=_("At a glance"),
        template="lookup/_card.html",
        context={"card": selectors.caller_card(user, customer, with_contacts=False), "on_customer_page": True},
    )
