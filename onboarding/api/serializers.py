from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ModelSerializer

from estates.models import Building

from ..choices import ImportKind
from ..models import ImportBatch


class StackSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=99)
    area = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=1)
    layout = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, default=0)


class UnitPlanSerializer(serializers.Serializer):
    building = serializers.PrimaryKeyRelatedField(queryset=Building.objects.select_related("project"))
    stacks = StackSerializer(many=True, allow_empty=False)
    first_floor = serializers.IntegerField(min_value=-5, max_value=200, default=1)
    last_floor = serializers.IntegerField(min_value=-5, max_value=200, required=False)
    skip_floors = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_("Floors the company does not number, e.g. [4, 13, 14]."),
    )
    pattern = serializers.CharField(max_length=60, default="{floor:02d}{stack:02d}")
    entrance = serializers.CharField(max_length=10, required=False, default="", allow_blank=True)


class PlannedUnitSerializer(serializers.Serializer):
    number = serializers.CharField()
    floor = serializers.IntegerField()
    stack = serializers.IntegerField()
    area = serializers.DecimalField(max_digits=8, decimal_places=2)
    layout = serializers.CharField()
    list_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    exists = serializers.BooleanField(help_text=_("The building already has this unit: it is not created again."))


class UnitGenerationSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    units = PlannedUnitSerializer(many=True)


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField()


class RefusalSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    reason = serializers.CharField()


class DryRunSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("Rows to create, update, leave unchanged and refuse.")
    )
    notes = serializers.ListField(child=serializers.CharField())
    refusals = RefusalSerializer(many=True)
    error = serializers.CharField(required=False)


class ImportBatchSerializer(ModelSerializer):
    report = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text=_("Percent of rows checked or written by the worker."))
    created_by = serializers.StringRelatedField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "status",
            "file_name",
            "row_count",
            "progress",
            "report",
            "created_by",
            "created_at",
            "finished_at",
        ]

    def get_report(self, batch) -> dict:
        # (empty while a worker checks the file; only the error when the check itself failed)
        report = {"rows": 0, "counts": {}, "notes": [], "refusals": []}
        report.update((key, batch.report[key]) for key in (*report, "error") if key in batch.report)
        return DryRunSerializer(report).data

    def get_progress(self, batch) -> int:
        from ..services import progress_of

        return progress_of(batch)
