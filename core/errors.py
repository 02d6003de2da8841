"""The application's one error type, turned into an HTTP answer by core.api.errors."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that breaks a business rule. `field` names the input at fault, if any; `extra`
    carries what the answer says besides (the actions open now, for a refused transition)."""

    status_code = 400
    default_code = "rule_violation"

    def __init__(self, message, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}


class ActionForbidden(DomainError, PermissionDenied):
    """An actor whose role, or whose part in the record, does not allow the action (HTTP 403).

    Also a PermissionDenied, so a dashboard page that does not catch it answers 403 as well."""

    status_code = 403
    default_code = "not_allowed_for_actor"


class TransitionNotAllowed(DomainError):
    """A workflow move that the record's state does not allow (HTTP 409)."""

    status_code = 409
    default_code = "transition_not_allowed"


class IdempotencyConflict(DomainError):
    status_code = 422
    default_code = "idempotency_key_reused"

    def __init__(self):
        super().__init__(_("This Idempotency-Key was already used with a different request."))


class Conflict(DomainError):
    """A change that existing records stand in the way of (HTTP 409): they must be dealt with first."""

    status_code = 409
    default_code = "conflict"
