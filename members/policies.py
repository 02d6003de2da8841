from core.access import Policy
from core.roles import MANAGEMENT, OPERATIONS, SALES, SERVICE, Role

CUSTOMERS = Policy(
    read=SALES | SERVICE | MANAGEMENT | OPERATIONS,
    write=SALES | frozenset({Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.ADMINISTRATOR}),
    project_path="project",
    owner_path="consultant",
)

# The sales office's own records: a consultant sees their own, a leader or supervisor the team's,
# a manager the project's (rule L10).
SALES_WRITERS = SALES | frozenset({Role.ADMINISTRATOR})
# Area managers oversee the sales offices of their projects without acting in them.
SALES_READERS = SALES | MANAGEMENT | frozenset({Role.AREA_MANAGER})

VISITS = Policy(read=SALES_READERS, write=SALES_WRITERS, project_path="project", owner_path="consultant")
LEADS = Policy(read=SALES_READERS, write=SALES_WRITERS, project_path="project", owner_path="consultant")
FOLLOW_UPS = Policy(read=SALES_READERS, write=SALES_WRITERS, project_path="project", owner_path="lead__consultant")
# L9: a lead's grade history is read like the lead; only the services write it.
GRADE_CHANGES = Policy(read=SALES_READERS, project_path="lead__project", owner_path="lead__consultant")
APPROVALS = Policy(read=SALES_READERS, write=SALES_WRITERS, project_path="lead__project", owner_path="lead__consultant")
MEMBERSHIPS = Policy(
    read=SALES | SERVICE | MANAGEMENT,
    write=SALES | frozenset({Role.CUSTOMER_SERVICE, Role.ADMINISTRATOR}),
    project_path="source_project",
    owner_path="customer__consultant",
)
PURCHASES = Policy(
    read=SALES | SERVICE | MANAGEMENT, write=SALES_WRITERS, project_path="project", owner_path="consultant"
)
# Reports for those who lead sales people: the supervisor's daily digest and the weekly summary.
REPORTS = Policy(
    read=frozenset({Role.TEAM_LEADER, Role.SALES_SUPERVISOR, Role.SALES_MANAGER}) | MANAGEMENT,
    project_path="project",
    owner_path=None,
)
LEAD_RULES = Policy(read=SALES | MANAGEMENT, write=frozenset({Role.SALES_MANAGER}) | MANAGEMENT, project_path="project")
