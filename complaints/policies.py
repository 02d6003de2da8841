"""Who may read and write the complaints app's records (core.access)."""

from dataclasses import dataclass, replace

from django.db.models import Q

from core.access import Policy
from core.roles import EVERYONE, MANAGEMENT, OPERATIONS, SALES, SERVICE, Role


@dataclass(frozen=True)
class DepartmentPolicy(Policy):
    """A project-scoped policy where property and engineering staff see only what was dispatched
    to their own department (or what they received themselves)."""

    department_path: str = "department"
    receiver_path: str | None = "received_by"

    def scope(self, queryset, user):
        queryset = super().scope(queryset, user)
        if self._department_scoped(user):
            query = Q(**{self.department_path: user.department_id}) if user.department_id else Q(pk__in=[])
            if self.receiver_path:
                query |= Q(**{self.receiver_path: user.pk})
            queryset = queryset.filter(query)
        return queryset

    def scopes_by_project_alone(self, user) -> bool:
        return super().scopes_by_project_alone(user) and not self._department_scoped(user)

    def _department_scoped(self, user) -> bool:
        return user.is_authenticated and not user.is_superuser and bool(user.roles) and user.roles <= OPERATIONS


# Consultants, team leaders and supervisors see only the complaints their team received (owner_path).
COMPLAINTS = DepartmentPolicy(
    read=SERVICE | MANAGEMENT | OPERATIONS | SALES,
    write=SERVICE | MANAGEMENT | SALES,
    owner_path="received_by",
)
REPAIR_ORDERS = DepartmentPolicy(
    read=SERVICE | MANAGEMENT | OPERATIONS,
    write=SERVICE | MANAGEMENT | OPERATIONS,
    department_path="assignee__department",
    receiver_path="assignee",
)
RETURN_VISITS = Policy(
    read=SERVICE | MANAGEMENT | OPERATIONS | SALES, write=SERVICE | MANAGEMENT | SALES, owner_path="visitor"
)
# The owner's own ratings: read by those who make and check return visits; written only by the owner portal.
OWNER_RATINGS = Policy(read=SERVICE | MANAGEMENT, write=frozenset())
DEFECTS = Policy(read=SERVICE | MANAGEMENT | OPERATIONS, write=SERVICE | MANAGEMENT | OPERATIONS)
OBJECTIONS = Policy(read=SERVICE | MANAGEMENT | frozenset({Role.SALES_MANAGER}), write=SERVICE | MANAGEMENT)
CRISES = Policy(
    read=SERVICE | MANAGEMENT,
    write=frozenset({Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR}),
    project_path="complaint__project",
)
CRISIS_ACTIONS = replace(CRISES, project_path="crisis__complaint__project")
CASES = Policy(read=EVERYONE, write=SERVICE | MANAGEMENT, project_path=None)
REPORTS = Policy(read=MANAGEMENT | frozenset({Role.AREA_MANAGER, Role.CUSTOMER_SERVICE}), project_path="project")
HANDBOOK = Policy(read=MANAGEMENT | frozenset({Role.AREA_MANAGER, Role.ENGINEERING}), project_path=None)
SETTINGS = Policy(read=MANAGEMENT, write=MANAGEMENT, project_path=None)
# What the complaint duties keep (clocks, escalations, notifications, retention): read by management in the admin,
# written only by the duties.
DUTY_RECORDS = Policy(read=MANAGEMENT, delete=frozenset(), project_path=None)
# Everyone has an inbox; services scope it to the recipient.
INBOX = Policy(read=EVERYONE, project_path=None)
