from core.access import Policy
from core.roles import EVERYONE, MANAGEMENT, OPERATIONS, SALES, SERVICE, Role

MESSAGES = Policy(
    read=SALES | SERVICE | MANAGEMENT,
    write=frozenset({Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.CR_HEAD, Role.ADMINISTRATOR}),
    project_path="project",
)
MESSAGE_TEMPLATES = Policy(
    read=SERVICE | MANAGEMENT, write=frozenset({Role.CR_HEAD, Role.ADMINISTRATOR}), project_path=None
)

CUSTOMER_RELATIONS = frozenset({Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR})

# The 6+2 catalogue: everyone reads it; management edits it (in the admin).
CATALOGUE = Policy(read=EVERYONE, write=MANAGEMENT, project_path=None)
# A project's plan, executions and scorecard.
PLANS = Policy(
    read=SERVICE | OPERATIONS | MANAGEMENT | frozenset({Role.SALES_MANAGER}),
    write=CUSTOMER_RELATIONS | frozenset({Role.SALES_MANAGER}),
    project_path="project",
)
EXECUTIONS = Policy(read=PLANS.read, write=PLANS.write, project_path="planned_action__project")
# Care tasks: consultants see their own (J9 calls); the other roles their projects' tasks.
CARE_TASKS = Policy(
    read=SALES | SERVICE | OPERATIONS | MANAGEMENT,
    write=SALES | SERVICE | OPERATIONS | MANAGEMENT,
    project_path="project",
    owner_path="owner",
)
CARE_ISSUES = Policy(
    read=SERVICE | OPERATIONS | MANAGEMENT, write=SERVICE | OPERATIONS | MANAGEMENT, project_path="task__project"
)
VISIT_ROUNDS = Policy(read=SERVICE | OPERATIONS | MANAGEMENT, write=CUSTOMER_RELATIONS, project_path="project")
# Site open days are evaluated by customer relations (J10).
OPEN_DAYS = Policy(
    read=SERVICE | OPERATIONS | MANAGEMENT | frozenset({Role.SALES_MANAGER}),
    write=CUSTOMER_RELATIONS,
    project_path="project",
)
MEETINGS = Policy(
    read=SERVICE | OPERATIONS | MANAGEMENT,
    write=CUSTOMER_RELATIONS | frozenset({Role.PROPERTY}),
    project_path="project",
)
CARE_RECORDS = Policy(read=SERVICE | OPERATIONS | MANAGEMENT, write=CUSTOMER_RELATIONS, project_path="project")
CARE_SETTINGS = Policy(read=MANAGEMENT | frozenset({Role.AREA_MANAGER}), write=MANAGEMENT, project_path="project")
MEETING_FEEDBACK = Policy(read=MEETINGS.read, write=MEETINGS.write, project_path="meeting__project")
