from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from core.api.calls import CALLABLE_FIELDS
from rest_framework import serializers

from core.api.serializers import ListedRows, ModelSerializer
from core.prefetching import rows_of

from core.access import display_phone, mask_phone, may_see_contact
from estates.selectors import projects_for
from members import policies as members_policies
from members.models import Customer, Purchase
from surveys import selectors
from surveys.models import Answer, Campaign, FollowUp, Invitation, Item, Questionnaire, Response


class ItemSerializer(ModelSerializer):
    options = serializers.ListField(source="option_list", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Item
        fields = ["id", "code", "position", "text", "kind", "role", "options", "required"]


class QuestionnaireSerializer(ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "code", "version", "title", "kind", "step", "introduction", "is_current", "items"]


class AnswerSerializer(ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)
    question = serializers.CharField(source="item.text", read_only=True)

    class Meta:
        model = Answer
        fields = ["id", "item", "code", "question", "score", "yes", "choice", "text"]
        list_serializer_class = ListedRows


# The column of an answer's row each of AnswerSerializer's fields reads (a number, a yes or no, a text: written as
# read); a field added there without its column here fails at import.
ANSWER_COLUMNS = {
    "id": "id",
    "item": "item_id",
    "code": "item__code",
    "question": "item__text",
    "score": "score",
    "yes": "yes",
    "choice": "choice",
    "text": "text",
}
_ANSWER_READ = [(name, ANSWER_COLUMNS[name]) for name in AnswerSerializer.Meta.fields]


def with_answer_rows(responses: list[Response]) -> list[Response]:
    """Each response of a list's page given its answers as AnswerSerializer writes them (`answer_rows`), read as
    rows in one statement: a page of 100 responses has some 600 answers, and a model of each and of its question,
    each read field by field, took most of the page's time."""
    answers = {response.pk: [] for response in responses}
    names = [name for name, _column in _ANSWER_READ]
    rows = (
        Answer.objects.filter(response__in=list(answers))
        .order_by("response", "item__position")
        .values_list("response_id", *(column for _name, column in _ANSWER_READ))
    )
    for response, *values in rows:
        answers[response].append(dict(zip(names, values, strict=True)))
    for response in responses:
        response.answer_rows = answers[response.pk]
    return responses


class ResponseSerializer(ModelSerializer):
    """A survey response. On create, `answers` maps question codes to values: a score 1–5, true/false,
    one of the options, or text; a question left out is skipped."""

    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.filter(is_current=True))
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none(), required=False, allow_null=True)
    purchase = serializers.PrimaryKeyRelatedField(queryset=Purchase.objects.none(), required=False, allow_null=True)
    answers = serializers.DictField(child=serializers.JSONField(), write_only=True)
    answer_list = serializers.SerializerMethodField()
    questionnaire_title = serializers.CharField(source="questionnaire.title", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")

    class Meta:
        model = Response
        fields = [
            "id",
            "questionnaire",
            "questionnaire_title",
            "project",
            "customer",
            "customer_name",
            "purchase",
            "source",
            "kind",
            "step",
            "segment",
            "overall_score",
            "would_buy_again",
            "would_recommend",
            "answered_at",
            "answers",
            "answer_list",
        ]
        read_only_fields = [
            "source",
            "kind",
            "step",
            "segment",
            "overall_score",
            "would_buy_again",
            "would_recommend",
            "answered_at",
        ]
        extra_kwargs = {"project": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["customer"].queryset = members_policies.CUSTOMERS.scope(Customer.objects.all(), request.user)
            self.fields["purchase"].queryset = Purchase.objects.filter(project__in=projects_for(request.user))
            self.fields["project"].queryset = projects_for(request.user)

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answer_list(self, response) -> list[dict]:
        rows = getattr(response, "answer_rows", None)  # (a list's page: with_answer_rows)
        if rows is None:
            rows = AnswerSerializer(rows_of(response, "answers"), many=True, context=self.context).data
        return rows

    def validate(self, attrs):
        if not (attrs.get("customer") or attrs.get("purchase") or attrs.get("project")):
            raise serializers.ValidationError({"customer": [_("Name the customer, the purchase or the project.")]})
        purchase, customer = attrs.get("purchase"), attrs.get("customer")
        if purchase and customer and purchase.customer_id != customer.pk:
            raise serializers.ValidationError({"purchase": [_("This purchase is not the customer's.")]})
        return attrs


class CampaignSerializer(ModelSerializer):
    response_rate = serializers.SerializerMethodField()
    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.filter(is_current=True))

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "questionnaire",
            "project",
            "segment",
            "step",
            "period_start",
            "period_end",
            "by_message",
            "by_call",
            "link_valid_days",
            "reminder_after_days",
            "max_reminders",
            "status",
            "sent_at",
            "invited",
            "answered",
            "response_rate",
            "created_at",
        ]
        read_only_fields = ["status", "sent_at", "invited", "answered", "created_at"]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_response_rate(self, campaign):
        return selectors.response_rate(campaign)


@extend_schema_serializer(component_name="SurveyFollowUp")
class FollowUpSerializer(ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True, default="")
    questionnaire_title = serializers.CharField(source="response.questionnaire.title", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "response",
            "questionnaire_title",
            "project",
            "customer",
            "customer_name",
            "problem",
            "status",
            "assignee",
            "due_on",
            "findings",
            "solution",
            "resolved_at",
            "closed_at",
            "closing_note",
            "created_at",
        ]
        read_only_fields = fields


class FollowUpMoveSerializer(serializers.Serializer):
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    solution = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SurveyCallSerializer(ModelSerializer):
    """A customer the call center should call for a campaign, with the questions to ask."""

    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    project = serializers.IntegerField(source="campaign.project_id", read_only=True)
    project_name = serializers.CharField(source="campaign.project.name", read_only=True)
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    mobile = serializers.SerializerMethodField()
    questionnaire = QuestionnaireSerializer(source="campaign.questionnaire", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "campaign",
            "campaign_name",
            "project",
            "project_name",
            "customer",
            "customer_name",
            "mobile",
            "purchase",
            "expires_at",
            "answered_at",
            "questionnaire",
            *CALLABLE_FIELDS,
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_mobile(self, invitation) -> str:
        mobile = invitation.customer.mobile
        return display_phone(mobile) if may_see_contact(self.context["request"].user) else mask_phone(mobile)


class CallAnswersSerializer(serializers.Serializer):
    """What the customer said on the phone: question code → a score 1–5, true/false, an option or text."""

    answers = serializers.DictField(child=serializers.JSONField())
