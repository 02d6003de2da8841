"""The API's contract: the shared shapes of its error answers, and a schema class that documents them on
every operation, so a client generated from the schema handles every answer the API can give."""
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from .renderers import XLSX_CONTENT_TYPE


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a message and, for the rules' refusals, a machine-readable code."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class TransitionRefusalSerializer(ErrorSerializer):
    """409: the record's state (or a condition) does not allow the action now."""

    state = serializers.CharField(required=False)
    allowed_actions = serializers.ListField(child=serializers.CharField(), required=False)


FIELD_ERRORS = {
    "type": "object",
    "description": "Each field at fault with its messages (`non_field_errors` for the whole input); a refusal "
                   "by a business rule has `detail` and `code` besides.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
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
                responses[code] = {"content": {"application/json": {"schema": schema}},
                                   "description": ERROR_DESCRIPTIONS[code]}
        return responses
