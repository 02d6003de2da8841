"""The outbound message outbox (J22, M3): templates and one row per message occasion."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.db import empties_last_descending

from .. import message_templates
from ..choices import Channel, Duty, MessageStatus

# A message the customer asked for this moment (an owner's sign-in code): its purpose starts so.
REQUESTED_BY_CUSTOMER = "requested:"
# Purposes of messages no care duty sends.
OTHER_PURPOSES = {"manual": _("Sent by staff"), "survey": _("Survey invitation")}


class MessageTemplate(models.Model):
    """A message text with {variables}, editable in the admin; each duty names its template by code."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    body = models.TextField(_("text"), help_text=_("Variables in braces, e.g. {name}, {component}, {date}, {hotline}."))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        problems = message_templates.problems(self.code, self.body)
        if problems:
            raise ValidationError({"body": problems})


class OutboundMessage(models.Model):
    """One message to one customer. `dedupe_key` names the occasion, so it can exist only once."""

    customer = models.ForeignKey(
        "members.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="messages"
    )
    project = models.ForeignKey(
        "estates.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    template = models.ForeignKey(
        MessageTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    purpose = models.CharField(_("purpose"), max_length=60, help_text=_("The duty or person that sent it."))
    dedupe_key = models.CharField(_("occasion key"), max_length=200, unique=True)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    send_after = models.DateTimeField(_("send after"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(
        _("claimed at"), null=True, blank=True, help_text=_("When a worker last took the message to send it.")
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    gateway_message_id = models.CharField(_("gateway message id"), max_length=100, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_by = models.ForeignKey(
        "core.User", verbose_name=_("cancelled by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "send_after"], name="message_due_idx"),
            models.Index(fields=["customer", "created_at"], name="message_customer_idx"),
            models.Index(fields=["project", "created_at"], name="message_project_idx"),
            models.Index(fields=["-created_at", "-id"], name="message_list_order_idx"),
            models.Index(fields=["channel", "-created_at", "-id"], name="message_channel_order_idx"),  # a filter
            # by sending time, both ways (a nullable field's empties last: core.ordering); the index that says
            # NULLS LAST is PostgreSQL's only (core.db.descending_empties_last_index)
            models.Index(fields=["sent_at", "id"], name="message_sent_order_idx"),
            empties_last_descending("sent_at", "message_sent_desc_idx"),
            # within a project, as its staff read them, both ways (core/tests/test_list_indexes.py)
            models.Index(fields=["project", "sent_at", "id"], name="message_project_sent_idx"),
            empties_last_descending("sent_at", "message_project_sent_desc_idx", within="project"),
        ]

    def __str__(self):
        return f"{self.purpose} → {self.customer}"

    @staticmethod
    def care_key(task_id: int) -> str:
        """The occasion key of a care task's message: a task sends one message at most."""
        return f"care:{task_id}"

    @property
    def purpose_label(self) -> str:
        """Why the message went, in the reader's words: the duty, or the template for other senders."""
        if self.purpose in Duty.values:
            return Duty(self.purpose).label
        if self.purpose in OTHER_PURPOSES:
            return OTHER_PURPOSES[self.purpose]
        if self.purpose.startswith(REQUESTED_BY_CUSTOMER):
            return _("Requested by the customer")
        return self.template.name if self.template_id else self.purpose

    @property
    def reference(self) -> str:
        """The idempotency reference a gateway receives: the same for every try of this message."""
        return self.dedupe_key
