"""Customers. Visits, leads, memberships and purchases grow here in later work."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from .choices import Gender, SourceChannel
from .validators import validate_id_number, validate_mobile


class Customer(models.Model):
    company = models.ForeignKey("estates.Company", verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="customers", editable=False)
    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="customers", help_text=_("The project where the customer registered."))
    name = models.CharField(_("name"), max_length=50)
    mobile = PhoneNumberField(_("mobile phone"), validators=[validate_mobile])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_id_number])
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    source_channel = models.CharField(_("source channel"), max_length=20, choices=SourceChannel.choices,
                                      default=SourceChannel.WALK_IN)
    consents_to_messages = models.BooleanField(_("consents to messages"), default=False)
    consent_changed_at = models.DateTimeField(_("consent changed at"), null=True, blank=True)
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("consultant"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="customers")
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "mobile"], name="unique_customer_mobile_per_company")]
        indexes = [
            models.Index(fields=["project", "consultant"], name="customer_project_owner_idx"),
            models.Index(fields=["birthday"], name="customer_birthday_idx"),
            models.Index(fields=["name"], name="customer_name_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.company_id = self.project.company_id
        super().save(*args, **kwargs)
