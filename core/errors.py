"""The application's one error type, turned into an HTTP answer by core.api.errors."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that breaks a business rule. `field` names the input at fault, if any."""

    status_code = 400
    default_code = "rule_violation"

    def __init__(self, message, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field


class TransitionNotAllowed(DomainError):
    """A workflow move that the record's state or the actor's role does not allow (HTTP 409)."""

    status_code = 409
    default_code = "transition_not_allowed"


class IdempotencyConflict(DomainError):
    status_code = 422
    default_code = "idempotency_key_reused"

    def __init__(self):
        super().__init__(_("This Idempotency-Key was already used with a different request."))
