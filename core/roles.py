"""The staff roles of rule R1. Each role is a Django group whose name is the role's slug."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Sales consultant")
    TEAM_LEADER = "team_leader", _("Team leader")
    SALES_SUPERVISOR = "sales_supervisor", _("Sales supervisor")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    AREA_MANAGER = "area_manager", _("Area manager")
    CALL_CENTER = "call_center", _("Call center")
    PROPERTY = "property", _("Property management")
    ENGINEERING = "engineering", _("Engineering")
    CR_HEAD = "cr_head", _("Customer-relations head")
    ADMINISTRATOR = "administrator", _("Administrator")


# Sales staff below the manager see only their own and their team's records (rule L10).
OWNER_SCOPED = frozenset({Role.CONSULTANT, Role.TEAM_LEADER, Role.SALES_SUPERVISOR})
SALES = frozenset({Role.CONSULTANT, Role.TEAM_LEADER, Role.SALES_SUPERVISOR, Role.SALES_MANAGER})
SERVICE = frozenset({Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CALL_CENTER})
OPERATIONS = frozenset({Role.PROPERTY, Role.ENGINEERING})
MANAGEMENT = frozenset({Role.CR_HEAD, Role.ADMINISTRATOR})
EVERYONE = frozenset(Role)

# Roles that work for the whole company rather than for the projects they are attached to.
COMPANY_WIDE = frozenset({Role.CR_HEAD, Role.ADMINISTRATOR, Role.CALL_CENTER})

# Roles that must reach the customer by phone; the others see the number masked.
SEES_CONTACT = SALES | SERVICE | MANAGEMENT
# Roles that handle contracts and identity checks; the others see the ID number masked.
SEES_ID_NUMBER = frozenset({Role.SALES_MANAGER, Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR})
