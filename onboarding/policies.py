"""Who may onboard data: administrators and the CR head everywhere, sales managers for their projects."""

from core.access import Policy
from core.roles import Role

ONBOARDING = Policy(
    read=frozenset({Role.ADMINISTRATOR, Role.CR_HEAD, Role.SALES_MANAGER}),
    write=frozenset({Role.ADMINISTRATOR, Role.CR_HEAD, Role.SALES_MANAGER}),
    project_path="project",
)
