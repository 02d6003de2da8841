"""Who may see and change the organisation's own records: staff accounts, their roles and departments."""

from .access import Policy
from .roles import MANAGEMENT, Role

# The administrator keeps the staff list (accounts, roles); an account is closed, not deleted, except by a
# superuser. A superuser's account is a superuser's to change.
STAFF = Policy(
    read=frozenset({Role.ADMINISTRATOR}), write=frozenset({Role.ADMINISTRATOR}), delete=frozenset(), project_path=None
)
DEPARTMENTS = Policy(read=MANAGEMENT, write=frozenset({Role.ADMINISTRATOR}), project_path=None)
# The system's own trails (sign-ins, replayed API writes, tasks waiting for the broker): the administrator's to read.
SYSTEM_TRAILS = Policy(read=frozenset({Role.ADMINISTRATOR}), delete=frozenset(), project_path=None)
# Who exported which list, filtered how: management answers for the personal data that leaves in files.
EXPORT_TRAIL = Policy(read=MANAGEMENT, delete=frozenset(), project_path=None)
