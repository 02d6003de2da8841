"""Staff organisation and the records every app shares: users, departments, idempotency keys."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Role


class Department(models.Model):
    """A department of the company (customer service, engineering, property, design, legal …).

    Complaints are dispatched to departments; escalation goes to the department's head.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    head = models.ForeignKey(
        "core.User",
        verbose_name=_("head of department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff. Roles are groups; projects come from estates.Project.staff."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    mobile = models.CharField(_("work mobile"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    reports_to = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
        help_text=_("The team structure: consultant → team leader → sales supervisor → sales manager."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["username"]

    # What a staff member's name is read from (__str__): a list showing only names loads only these.
    LABEL_FIELDS = ("display_name", "first_name", "last_name", "username")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def roles(self) -> frozenset[Role]:
        """The user's roles, read once per request and cached on the instance: a request's user is read with
        them (`with_access`)."""
        if not hasattr(self, "_roles_cache"):
            names = {group.name for group in self.groups.all()}
            self._roles_cache = frozenset(role for role in Role if role.value in names)
        return self._roles_cache

    def take_access(self, roles: str | None, projects: str | None) -> None:
        """Keep the roles and projects `with_access` read with the user (see core.access.project_ids)."""
        names = set(roles.split(",")) if roles else set()
        self._roles_cache = frozenset(role for role in Role if role.value in names)
        self._project_ids_cache = sorted(int(pk) for pk in projects.split(",")) if projects else []

    @classmethod
    def from_access_row(cls, alias: str, row) -> "User":
        """The user in `row`, the values of `access_row_fields()` read from a queryset `with_access`."""
        user = cls.from_db(alias, USER_FIELDS, row[: len(USER_FIELDS)])
        user.take_access(*row[len(USER_FIELDS) :])
        return user

    def has_role(self, *roles: Role) -> bool:
        return self.is_superuser or bool(self.roles & set(roles))


class _Joined(models.expressions.RawSQL):
    """A correlated subquery's values joined by commas, on either engine: `sql` is the subquery with `{joined}`
    where the aggregate goes."""

    def __init__(self, sql: str, column: str):
        self.column = column
        super().__init__(sql, [], output_field=models.TextField())

    def as_sql(self, compiler, connection):
        if connection.vendor == "sqlite":
            joined = f"GROUP_CONCAT({self.column}, ',')"
        else:
            joined = f"STRING_AGG(CAST({self.column} AS TEXT), ',')"
        return f"({self.sql.format(joined=joined)})", []


USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)


def access_row_fields(prefix: str = "") -> tuple[str, ...]:
    """What `values_list` reads of a queryset `with_access` for `User.from_access_row`: the user's fields (through
    `prefix`, "user__" on a token), then the roles and the projects."""
    return (*(f"{prefix}{name}" for name in USER_FIELDS), "access_roles", "access_projects")


def with_access(queryset, user: str = "pk"):
    """`queryset` reading, in its own statement, the roles and the projects of the staff member at `user` (`pk`
    on users, `user_id` on a token): what every request asks before anything else. `User.from_access_row` reads them.

    The two subqueries are written out (names from the models' meta), not built as ORM `Subquery`s: those cost
    more to resolve and compile on every request than the statement takes to run. `queryset`'s table must be the
    statement's own."""
    from django.db import connection

    q = connection.ops.quote_name

    def column(model, name: str) -> str:
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        return f"{q(model._meta.db_table)}.{q(field.column)}"

    groups, projects = User.groups.through, User.projects.through  # estates.Project.staff, by its reverse name
    group = groups._meta.get_field("group").related_model
    outer = column(queryset.model, user)
    # Every name here is a model's table or column, quoted: nothing comes from outside.
    holders, named, held_by = q(groups._meta.db_table), q(group._meta.db_table), column(groups, "user")
    joins = f"INNER JOIN {named} ON {column(groups, 'group')} = {column(group, 'pk')}"
    roles = f"SELECT {{joined}} FROM {holders} {joins} WHERE {held_by} = {outer}"  # noqa: S608
    staffed, staffed_by = q(projects._meta.db_table), column(projects, "user")
    project_ids = f"SELECT {{joined}} FROM {staffed} WHERE {staffed_by} = {outer}"  # noqa: S608
    return queryset.annotate(
        access_roles=_Joined(roles, column(group, "name")),
        access_projects=_Joined(project_ids, column(projects, "project")),
    )


class IdempotencyKey(models.Model):
    """The first answer to a POST that carried an Idempotency-Key header, replayed on repeats."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")]

    def __str__(self):
        return self.key


class SignInRecord(models.Model):
    """One sign-in, failed sign-in or lock-out, on the dashboard or the API, or a lock-out lifted by the
    administrator: the security trail."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        FAILED = "failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out")
        LOCK_OUT_LIFTED = "lifted", _("Lock-out lifted")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    user = models.ForeignKey(
        User, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("user name given"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sign-in record")
        verbose_name_plural = _("sign-in records")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_outcome_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"


class QueuedTask(models.Model):
    """A task for the workers, written in the same transaction as the change that calls for it.

    It is handed to the broker when the transaction commits; if the broker is down then, the sweeper
    hands it over once the broker is back, so an outage delays work but never loses it.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(_("hand-over attempts"), default=0)

    class Meta:
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", pgettext_lazy("export", "Failed")


class Export(models.Model):
    """A list's Excel file written on a worker: too many rows to write while the page waits (core.exports)."""

    requested_by = models.ForeignKey(
        User, verbose_name=pgettext_lazy("export", "requested by"), on_delete=models.CASCADE, related_name="exports"
    )
    title = models.CharField(_("title"), max_length=200)
    path = models.CharField(_("page"), max_length=200)
    query = models.TextField(_("filters"), blank=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="export_owner_idx")]

    def __str__(self):
        return f"{self.title} · {self.created_at:%Y-%m-%d %H:%M}"
