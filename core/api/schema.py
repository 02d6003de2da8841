"""The shared shapes of the API's error answers, for the OpenAPI schema."""
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a message and a machine-readable code; a field at fault is named with its messages."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class TransitionRefusalSerializer(ErrorSerializer):
    """409: the record's state (or a condition) does not allow the action now."""

    state = serializers.CharField(required=False)
    allowed_actions = serializers.ListField(child=serializers.CharField(), required=False)


ERROR_RESPONSES = {
    400: OpenApiResponse(description="Invalid input: each field at fault with its messages; rule refusals "
                                     "carry `detail` and `code`."),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role or part in the record does not allow it."),
    404: OpenApiResponse(ErrorSerializer, description="No such record among those the caller may see."),
}
