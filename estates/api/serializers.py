from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import ModelSerializer
from rest_framework.validators import UniqueTogetherValidator

from core.api.fields import ChoiceLabelField
from estates.models import Building, ComponentType, Project, Unit, WarrantyOverride


class ProjectSerializer(ModelSerializer):
    company_name = serializers.CharField(source="company.name", read_only=True)
    status_display = ChoiceLabelField(source="status")

    class Meta:
        model = Project
        fields = [
            "id",
            "company",
            "company_name",
            "name",
            "code",
            "city",
            "status",
            "status_display",
            "product_kind",
            "opening_date",
            "delivery_date",
            "address",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # The code's uniqueness holds only for projects that have one: checked in validate(), with its field.
        validators = [
            UniqueTogetherValidator(
                queryset=Project.objects.all(),
                fields=["company", "name"],
                message=_("Another project of this company has this name."),
            )
        ]

    def validate(self, attrs):
        company = attrs.get("company", getattr(self.instance, "company", None))
        code = attrs.get("code", getattr(self.instance, "code", ""))
        others = Project.objects.filter(company=company, code=code).exclude(pk=getattr(self.instance, "pk", None))
        if code and others.exists():
            raise serializers.ValidationError({"code": _("Another project of this company has this code.")})
        return attrs


class BuildingSerializer(ModelSerializer):
    class Meta:
        model = Building
        fields = ["id", "project", "name", "floors", "delivery_date"]


class UnitSerializer(ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(read_only=True)
    building_name = serializers.CharField(source="building.name", read_only=True)
    status_display = ChoiceLabelField(source="status")

    class Meta:
        model = Unit
        fields = [
            "id",
            "project",
            "building",
            "building_name",
            "number",
            "floor",
            "area",
            "layout",
            "list_price",
            "status",
            "status_display",
        ]


class ComponentTypeSerializer(ModelSerializer):
    class Meta:
        model = ComponentType
        fields = ["id", "name", "category", "default_warranty_months"]


class WarrantyOverrideSerializer(ModelSerializer):
    class Meta:
        model = WarrantyOverride
        fields = ["id", "project", "component_type", "warranty_months"]
