"""Who may see and change estates records (the permission layer of core.access)."""

from core.access import Policy
from core.roles import EVERYONE, Role

# The developer's companies (their names and service hotlines reach the customers' messages): set up by the
# administrator, never deleted while projects refer to them.
COMPANIES = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR}), delete=frozenset(), project_path=None)
PROJECTS = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR}), project_path="pk")
BUILDINGS = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR}), project_path="project")
UNITS = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR, Role.SALES_MANAGER}), project_path="project")
COMPONENT_TYPES = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR, Role.CR_HEAD}), project_path=None)
WARRANTY_OVERRIDES = Policy(read=EVERYONE, write=frozenset({Role.ADMINISTRATOR, Role.CR_HEAD}), project_path="project")
