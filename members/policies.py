from core.access import Policy
from core.roles import MANAGEMENT, OPERATIONS, SALES, SERVICE, Role

CUSTOMERS = Policy(
    read=SALES | SERVICE | MANAGEMENT | OPERATIONS,
    write=SALES | frozenset({Role.CUSTOMER_SERVICE, Role.CALL_CENTER, Role.ADMINISTRATOR}),
    project_path="project",
    owner_path="consultant",
)
