"""The API's contract: the shared shapes of its error answers, and a schema class that documents them on
every operation, so a client generated from the schema handles every answer the API can give."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .renderers import XLSX_CONTENT_TYPE


class TabletTokenScheme(KnoxTokenScheme):
    """The schema names our token check (knox's, lighter) as knox's: an `Authorization: Token …` header."""

    target_class = "core.api.authentication.TokenAuthentication"


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a message and, for the rules' refusals, a machine-readable code."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class TransitionRefusalSerializer(ErrorSerializer):
    """409: the record's state (or a condition) does not allow the action now."""

    state = serializers.CharField(required=False)
    allowed_actions = serializers.ListField(child=serializers.CharField(), required=False)


# `detail` and `code` are a rule's message and code, or the messages of an input field of that name (a
# questionnaire's or a project's code).
_TEXT_OR_MESSAGES = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field at fault with its messages (`non_field_errors` for the whole input); a refusal "
    "by a business rule has `detail` and `code` besides.",
    "properties": {"detail": _TEXT_OR_MESSAGES, "code": _TEXT_OR_MESSAGES},
    "additionalProperties": True,
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input or a refusal by a business rule.",
    "401": "Not signed in: no valid token or session.",
    "403": "The caller's role, project or part in the record does not allow it.",
    "404": "No such record (or page) among those the caller may see.",
    "406": "The requested format is not offered.",
    "409": "The record's state does not allow it, or it conflicts with an existing record.",
    "415": "The request body's content type is not accepted.",
    "422": "The Idempotency-Key was already used with a different request.",
    "429": "Too many requests: slow down and retry later.",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class ContractSchema(AutoSchema):
    """drf-spectacular's schema, with every error answer documented on every operation (one shared error
    shape) and Excel answers declared as files."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            content = response.get("content", {})
            if XLSX_CONTENT_TYPE in content:
                content[XLSX_CONTENT_TYPE] = {"schema": {"type": "string", "format": "binary"}}
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        codes = ["400", "401", "403", "404", "406", "429"]
        if self.method in UNSAFE:
            codes += ["409", "415", "422"]
        for code in codes:
            if code not in responses:
                schema = FIELD_ERRORS if code == "400" else error
                responses[code] = {
                    "content": {"application/json": {"schema": schema}},
                    "description": ERROR_DESCRIPTIONS[code],
                }
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            _declare_blank_and_null(field)
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _declare_blank_and_null(field) -> None:
    """A read-only choice of a model field that may be blank or null answers "" or null, although DRF drops
    allow_blank and allow_null from read-only fields: the schema says so, or a client rejects the answer."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or an annotation: nothing to declare
        return
    field.allow_blank = field.allow_blank or getattr(model_field, "blank", False)
    field.allow_null = field.allow_null or getattr(model_field, "null", False)
