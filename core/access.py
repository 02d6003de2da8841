"""The one permission layer: by role, by project and by ownership of a record (rule R1, L10).

A resource declares a `Policy` once; the API viewset, the dashboard view and the admin all ask
the same policy whether a user may read or write, and which rows the user can see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .roles import COMPANY_WIDE, OWNER_SCOPED, SEES_CONTACT, SEES_ID_NUMBER, Role

# The team structure is at most four levels deep (consultant → leader → supervisor → manager).
TEAM_DEPTH = 4


@dataclass(frozen=True)
class Policy:
    """Who may do what with one kind of record.

    project_path: lookup from the record to its estates.Project; None for company-wide records.
    owner_path: lookup from the record to the staff member who owns it (a consultant); when set,
        users whose only reading roles are owner-scoped (rule L10) see their team's rows only.
    """

    read: frozenset[Role]
    write: frozenset[Role] = frozenset()
    delete: frozenset[Role] = frozenset({Role.ADMINISTRATOR})
    project_path: str | None = "project"
    owner_path: str | None = None

    def can_read(self, user) -> bool:
        return _is_active(user) and user.has_role(*self.read, *self.write)

    def can_write(self, user) -> bool:
        return _is_active(user) and user.has_role(*self.write)

    def can_delete(self, user) -> bool:
        return _is_active(user) and user.has_role(*self.delete)

    def scope(self, queryset: QuerySet, user) -> QuerySet:
        """The rows of `queryset` this user may see."""
        if not self.can_read(user):
            return queryset.none()
        if self.project_path and not sees_all_projects(user):
            queryset = queryset.filter(**{f"{self.project_path}__in": project_ids(user)})
        if self.owner_path and self._owner_scoped(user):
            queryset = queryset.filter(Q(**{f"{self.owner_path}__in": team_member_ids(user)}))
        return queryset

    def sees_every_row(self, user) -> bool:
        """Whether `scope` leaves this user's queryset whole: a query may then skip the scope's filters."""
        return self.scopes_by_project_alone(user) and sees_all_projects(user)

    def scopes_by_project_alone(self, user) -> bool:
        """Whether `scope` narrows this user's rows to their projects and no further (all projects for a
        company-wide role): what a tally kept by project can answer for them."""
        return self.can_read(user) and not (self.owner_path and self._owner_scoped(user))

    def check_project(self, user, project) -> None:
        """Refuse to create or move a record into a project the user does not work on."""
        if project is not None and not works_on(user, project):
            raise PermissionDenied

    def _owner_scoped(self, user) -> bool:
        if user.is_superuser:
            return False
        unrestricted = (self.read | self.write) - OWNER_SCOPED
        return not (user.roles & unrestricted)


def sees_own_team_only(user) -> bool:
    """Sales staff below the manager (rule L10)."""
    return not user.is_superuser and bool(user.roles) and user.roles <= OWNER_SCOPED


def sees_all_projects(user) -> bool:
    return user.is_superuser or bool(user.roles & COMPANY_WIDE)


def works_on(user, project) -> bool:
    if sees_all_projects(user):
        return True
    project_id = getattr(project, "pk", project)
    return str(project_id) in {str(pk) for pk in project_ids(user)}


def project_ids(user) -> list[int]:
    """The ids of the projects the user works on, read once per request's user (with the user: `with_access`).

    A list of numbers, not a subquery: the planner then knows how many rows each project holds, and a user of
    two small projects is not served by walking a million-row index in the list's order."""
    if not hasattr(user, "_project_ids_cache"):
        user._project_ids_cache = sorted(user.projects.values_list("pk", flat=True))
    return user._project_ids_cache


def team_member_ids(user) -> set[int]:
    """The user and everyone who reports to them, directly or through team leaders: one statement walking down
    the reporting line (a statement a level before)."""
    if not hasattr(user, "_team_cache"):
        from django.db import connections, router

        from .models import User

        connection = connections[router.db_for_read(User)]
        name = connection.ops.quote_name
        table, reports_to = name(User._meta.db_table), name(User._meta.get_field("reports_to").column)
        # (the names are the model's own, quoted; the values are parameters)
        down_the_line = (
            f"WITH RECURSIVE team (id, depth) AS (SELECT id, 0 FROM {table} WHERE id = %s UNION ALL "  # noqa: S608
            f"SELECT member.id, team.depth + 1 FROM {table} member JOIN team ON member.{reports_to} = team.id "
            "WHERE team.depth < %s) SELECT id FROM team"
        )
        with connection.cursor() as cursor:
            cursor.execute(down_the_line, [user.pk, TEAM_DEPTH])
            user._team_cache = {row[0] for row in cursor.fetchall()}
    return user._team_cache


def may_see_contact(user) -> bool:
    return _is_active(user) and user.has_role(*SEES_CONTACT)


def may_see_id_number(user) -> bool:
    return _is_active(user) and user.has_role(*SEES_ID_NUMBER)


def display_phone(value) -> str:
    """A mainland number as people write it (13812345678); other countries keep their +prefix."""
    text = str(value or "")
    return text[3:] if text.startswith("+86") else text


def mask_phone(value) -> str:
    """138****5678: keeps the first three and last four digits of a mainland mobile number."""
    digits = display_phone(value)
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(value) -> str:
    text = str(value or "")
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)
