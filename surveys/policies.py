"""Who may see and change survey records (core.access)."""

from core.access import Policy
from core.roles import MANAGEMENT, SALES, SERVICE, Role

_ORGANISERS = frozenset({Role.CUSTOMER_SERVICE, Role.CR_HEAD, Role.ADMINISTRATOR})

QUESTIONNAIRES = Policy(
    read=SALES | SERVICE | MANAGEMENT, write=frozenset({Role.CR_HEAD, Role.ADMINISTRATOR}), project_path=None
)
CAMPAIGNS = Policy(
    read=SERVICE | MANAGEMENT | frozenset({Role.SALES_MANAGER}), write=_ORGANISERS, project_path="project"
)
# Consultants hand the sales-satisfaction card over on the tablet; the call center enters calls.
RESPONSES = Policy(
    read=SALES | SERVICE | MANAGEMENT, write=SALES | _ORGANISERS | frozenset({Role.CALL_CENTER}), project_path="project"
)
CALL_ENTRY = Policy(
    read=frozenset({Role.CALL_CENTER, Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR}),
    write=frozenset({Role.CALL_CENTER, Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR}),
    project_path="campaign__project",
)
IMPORTS = Policy(read=_ORGANISERS, write=_ORGANISERS, project_path=None)
FOLLOW_UPS = Policy(
    read=SERVICE | MANAGEMENT | frozenset({Role.SALES_MANAGER}), write=SERVICE | MANAGEMENT, project_path="project"
)
# The figures: who reads satisfaction and loyalty, for the projects they work on.
FIGURES = Policy(
    read=SERVICE | MANAGEMENT | frozenset({Role.SALES_MANAGER, Role.SALES_SUPERVISOR}), project_path="project"
)
REMINDERS = Policy(read=CAMPAIGNS.read, project_path="invitation__campaign__project")
# Corrections of recorded answers: customer service and the call center, not the sales team.
ANSWERS = Policy(read=RESPONSES.read, write=RESPONSES.write - SALES, project_path="response__project")
