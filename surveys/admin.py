from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.admin import CallAttemptInline, PolicyAdmin, PolicyHistoryAdmin, PolicyInline
from core.errors import DomainError
from estates.selectors import projects_for

from . import policies, services
from .models import (
    Answer,
    Campaign,
    FollowUp,
    ImportBatch,
    Invitation,
    Item,
    Questionnaire,
    Reminder,
    Response,
    SurveyCall,
)


class ItemInline(PolicyInline, admin.TabularInline):
    editable = True
    model = Item
    extra = 1
    fields = ["position", "code", "text", "kind", "role", "options", "required"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(PolicyAdmin):
    """Questionnaires are edited here. Saving one that has answers saves a new version instead."""

    policy = policies.QUESTIONNAIRES
    inlines = [ItemInline]
    list_display = ["title", "code", "version", "kind", "step", "is_current", "created_at"]
    list_filter = ["kind", "step", "is_current"]
    search_fields = ["title", "code"]
    readonly_fields = ["version", "is_current"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        questionnaire = self.get_object(request, unquote(object_id)) if object_id else None
        if request.method != "POST" or questionnaire is None or not services.has_answers(questionnaire):
            return super().change_view(request, object_id, form_url, extra_context)
        with transaction.atomic():
            new, item_map = services.new_version(questionnaire=questionnaire, actor=request.user)
            request.POST = _remap(request.POST, questionnaire.pk, new.pk, item_map)
            response = super().change_view(request, str(new.pk), form_url, extra_context)
            if response.status_code != 302:
                response.render()  # the form with its errors, before the new version is rolled back
                transaction.set_rollback(True)
                return response
        messages.info(
            request,
            _(
                "This questionnaire has answers: your changes were saved as version %(version)s; "
                "the answers keep the version they were given to."
            )
            % {"version": new.version},
        )
        return response


def _remap(post, old_pk, new_pk, item_map):
    """Point the submitted inline rows at the new version's copies of the items."""
    data = post.copy()
    for key in list(data.keys()):
        if key.startswith("items-") and key.endswith("-id") and data[key].isdigit():
            data[key] = str(item_map.get(int(data[key]), data[key]))
        elif key.startswith("items-") and key.endswith("-questionnaire") and data[key] == str(old_pk):
            data[key] = str(new_pk)
    return data


class CampaignAdminForm(forms.ModelForm):
    """The admin's campaign form passes the same checks as the API and the dashboard (surveys.services)."""

    class Meta:
        model = Campaign
        fields = [
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
            "created_by",
        ]

    def clean(self):
        cleaned = super().clean()
        try:
            services.check_campaign(**cleaned)
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(PolicyHistoryAdmin):
    policy = policies.CAMPAIGNS
    form = CampaignAdminForm
    list_display = ["name", "questionnaire", "project", "segment", "step", "status", "sent_at", "invited", "answered"]
    list_filter = ["status", "project", "step", "segment"]
    search_fields = ["name", "questionnaire__title"]
    list_select_related = ["questionnaire", "project"]
    readonly_fields = ["status", "sent_at", "invited", "answered", "created_by"]
    autocomplete_fields = ["project"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "project":
            kwargs["queryset"] = projects_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)


class ReadOnlyMixin:
    """Records made by the channels and duties: shown, never added by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SurveyCallInline(CallAttemptInline):
    model = SurveyCall


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyMixin, PolicyAdmin):
    policy = policies.CALL_ENTRY
    list_display = [
        "campaign",
        "customer",
        "created_at",
        "expires_at",
        "answered_at",
        "last_call_outcome",
        "call_back_at",
    ]
    list_filter = ["campaign__status", "last_call_outcome"]
    search_fields = ["customer__name", "campaign__name"]
    list_select_related = ["campaign", "customer"]
    exclude = ["token_hash"]
    inlines = [SurveyCallInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, PolicyAdmin):
    policy = policies.REMINDERS
    list_display = ["invitation", "number", "message", "created_at"]
    list_filter = ["number"]
    search_fields = ["invitation__customer__name"]
    exclude = ["token_hash"]


class AnswerInline(PolicyInline, admin.TabularInline):
    model = Answer
    fields = ["item", "score", "yes", "choice", "text"]
    readonly_fields = fields
    extra = 0


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, PolicyHistoryAdmin):
    policy = policies.RESPONSES
    inlines = [AnswerInline]
    list_display = ["questionnaire", "project", "customer", "segment", "source", "overall_score", "answered_at"]
    list_filter = ["source", "kind", "step", "segment", "project", "answered_at"]
    search_fields = ["customer__name", "questionnaire__title"]
    list_select_related = ["questionnaire", "project", "customer"]


@admin.register(Answer)
class AnswerAdmin(PolicyHistoryAdmin):
    """Corrections of a recorded answer go through the service, so figures follow (audit trail: R2)."""

    policy = policies.ANSWERS
    list_display = ["response", "item", "score", "yes", "choice"]
    list_filter = ["item__kind", "score"]
    search_fields = ["response__customer__name", "item__text"]
    list_select_related = ["response__questionnaire", "response__project", "response__customer", "item"]
    fields = ["response", "item", "score", "yes", "choice", "text"]
    readonly_fields = ["response", "item"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        item = obj.item
        value = {"scale": obj.score, "yes_no": obj.yes, "choice": obj.choice, "text": obj.text}[item.kind]
        services.amend_answer(answer=obj, value=value, actor=request.user)


@admin.register(FollowUp)
class FollowUpAdmin(PolicyHistoryAdmin):
    policy = policies.FOLLOW_UPS
    list_display = ["customer", "project", "status", "assignee", "due_on", "resolved_at", "closed_at"]
    list_filter = ["status", "project"]
    search_fields = ["customer__name", "problem", "solution"]
    list_select_related = ["customer", "project", "assignee"]
    readonly_fields = ["response", "project", "customer", "problem", "status", "resolved_at", "closed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyMixin, PolicyAdmin):
    policy = policies.IMPORTS
    list_display = ["firm", "file_name", "questionnaire", "row_count", "status", "imported_by", "imported_at"]
    list_filter = ["status"]
    search_fields = ["firm", "file_name"]
    list_select_related = ["questionnaire", "imported_by"]
