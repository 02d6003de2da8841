"""The API side of core.calls: the attempt a tablet or the phone system records, and the queue's fields."""

from rest_framework import serializers

from core.calls import CallOutcome

CALLABLE_FIELDS = ["call_attempts", "last_call_outcome", "call_back_at"]


class CallAttemptSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CallOutcome.choices)
    call_back_at = serializers.DateTimeField(required=False, allow_null=True)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
