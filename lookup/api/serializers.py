from rest_framework import serializers

from complaints.api.serializers import ClockSerializer
from core.api.fields import ChoiceLabelField, LabelField


class HitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The record's page on the dashboard.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    hits = HitSerializer(many=True)


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    total = serializers.IntegerField()
    groups = serializers.SerializerMethodField()

    def get_groups(self, results) -> list[dict]:
        from ..selectors import KINDS

        return SearchGroupSerializer(
            [{"kind": kind, "label": str(KINDS[kind]), "hits": hits} for kind, hits in results.groups.items() if hits],
            many=True,
        ).data


class CardCustomerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    project = serializers.IntegerField(source="project_id")
    project_name = serializers.CharField(source="project.name")
    consultant_name = LabelField(source="consultant")
    consents_to_messages = serializers.BooleanField()


class CardMemberSerializer(serializers.Serializer):
    member_number = serializers.CharField()
    level = serializers.CharField()
    level_label = ChoiceLabelField(source="level")


class CardUnitSerializer(serializers.Serializer):
    purchase = serializers.IntegerField(source="pk")
    unit = serializers.IntegerField(source="unit_id")
    unit_label = LabelField(source="unit")
    project_name = serializers.CharField(source="project.name")
    status = serializers.CharField()
    status_label = ChoiceLabelField(source="status")
    delivered_on = serializers.DateField(allow_null=True)


class CardLeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_name = serializers.CharField(source="project.name")
    grade = serializers.CharField()
    status = serializers.CharField()
    consultant_name = LabelField(source="consultant")
    next_follow_up_on = serializers.DateField(allow_null=True)


class CardCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = LabelField(source="*")
    state = serializers.CharField()
    state_label = ChoiceLabelField(source="state")
    clocks = ClockSerializer(source="clock_list", many=True)


class CardContactSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    actor = serializers.CharField()


class CallerCardSerializer(serializers.Serializer):
    customer = CardCustomerSerializer()
    mobile = serializers.CharField(help_text="Masked for roles that do not need the number.")
    member = CardMemberSerializer(allow_null=True)
    units = CardUnitSerializer(source="purchases", many=True)
    leads = CardLeadSerializer(many=True)
    open_complaints = CardCaseSerializer(many=True)
    open_repairs = CardCaseSerializer(many=True)
    last_contacts = CardContactSerializer(many=True)


class DifferenceSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    survivor = serializers.CharField()
    duplicate = serializers.CharField()


class MergePreviewSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(source="survivor.pk")
    duplicate = serializers.IntegerField(source="duplicate.pk")
    differences = DifferenceSerializer(many=True)
    to_move = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many records of each kind would move to the survivor."
    )
    conflicts = serializers.ListField(
        child=serializers.CharField(), help_text="What must be settled before the merge; empty when it can go ahead."
    )


class MergeInputSerializer(serializers.Serializer):
    survivor = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    keep_from_duplicate = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Fields whose value the duplicate gives the survivor.",
    )


class CustomerMergeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    survivor = serializers.IntegerField(source="survivor_id")
    duplicate_id = serializers.IntegerField()
    duplicate = serializers.DictField(help_text="The merged record as it was.")
    kept_from_duplicate = serializers.ListField(child=serializers.CharField())
    moved = serializers.DictField(child=serializers.IntegerField())
    merged_by_name = LabelField(source="merged_by")
    merged_at = serializers.DateTimeField()


class DuplicatePairSerializer(serializers.Serializer):
    survivor = CardCustomerSerializer()
    duplicate = CardCustomerSerializer()
    reason = serializers.CharField()
