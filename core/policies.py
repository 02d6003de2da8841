"""Who may see and change the organisation's own records: staff accounts, their roles and departments."""

from .access import Policy
from .roles import MANAGEMENT, Role

# The administrator keeps the staff list (accounts, roles); an account is closed, not deleted, except by a
# superuser. A superuser's account is a superuser's to change.
STAFF = Policy(
    read=frozenset({Role.ADMINISTRATOR}), write=frozenset({Role.ADMINISTRATOR}), delete=frozenset(), project_path=None
)
DEPARTMENTS = Policy(read=MANAGEMENT, write=frozenset({Role.ADMINISTRATOR}), project_path=None)
