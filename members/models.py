"""Customers. Visits, leads, memberships and purchases grow here in later work."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from .choices import Gender, PurchaseStatus, SourceChannel
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


class Purchase(models.Model):
    """One customer's purchase of one unit, from subscription to move-in (rule J23).

    The milestone dates are the facts later duties are computed from: the care schedule reads
    signed_on, delivered_on and moved_in_on; owner segments (M2) read moved_in_on.
    """

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="purchases")
    project = models.ForeignKey("estates.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="purchases", editable=False)
    unit = models.ForeignKey("estates.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="purchases")
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("consultant"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="purchases")
    status = models.CharField(_("status"), max_length=20, choices=PurchaseStatus.choices,
                              default=PurchaseStatus.SUBSCRIBED)
    price = models.DecimalField(_("price (yuan)"), max_digits=12, decimal_places=2)
    discount_points = models.DecimalField(_("discount (percentage points)"), max_digits=5, decimal_places=2,
                                          default=0)
    deposit = models.DecimalField(_("deposit (yuan)"), max_digits=12, decimal_places=2, default=0)
    agreement_number = models.CharField(_("subscription agreement number"), max_length=50, blank=True)
    on_opening_day = models.BooleanField(_("subscribed on a centralized opening day"), default=False)
    subscribed_on = models.DateField(_("subscribed on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    loan_disbursed_on = models.DateField(_("loan disbursed on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-subscribed_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "status"], name="purchase_project_status_idx"),
            models.Index(fields=["signed_on"], name="purchase_signed_on_idx"),
            models.Index(fields=["delivered_on"], name="purchase_delivered_on_idx"),
            models.Index(fields=["moved_in_on"], name="purchase_moved_in_on_idx"),
        ]
        constraints = [
            # A unit is sold once: at most one purchase that is not cancelled.
            models.UniqueConstraint(fields=["unit"], condition=~models.Q(status="cancelled"),
                                    name="one_live_purchase_per_unit"),
        ]

    def __str__(self):
        return f"{self.customer} · {self.unit}"

    def save(self, *args, **kwargs):
        self.project_id = self.unit.project_id
        super().save(*args, **kwargs)
