from core.access import Policy
from core.roles import MANAGEMENT, SALES, SERVICE, Role

MESSAGES = Policy(
    read=SALES | SERVICE | MANAGEMENT,
    write=frozenset({Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.CR_HEAD, Role.ADMINISTRATOR}),
    project_path="project",
)
MESSAGE_TEMPLATES = Policy(read=SERVICE | MANAGEMENT, write=frozenset({Role.CR_HEAD, Role.ADMINISTRATOR}),
                           project_path=None)
