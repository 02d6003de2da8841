from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerSearchKey(models.Model):
    """The pinyin initials of a customer's name (张三 → "zs"), kept beside the customer on every save, for the
    search box: a name's characters and a mobile number are found through the customer's own indexes
    (members.selectors.customers_named), initials only here, so that the members app need not know pinyin.
    """

    customer = models.OneToOneField(
        "members.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_key",
    )
    initials = models.CharField(_("pinyin initials"), max_length=50)

    class Meta:
        verbose_name = _("customer search key")
        verbose_name_plural = _("customer search keys")
        indexes = [
            models.Index(fields=["initials"], name="search_initials_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.initials


class CustomerMerge(models.Model):
    """One merge of two records of the same person: who did it, what the removed record held and what moved."""

    survivor = models.ForeignKey(
        "members.Customer", verbose_name=_("surviving customer"), on_delete=models.PROTECT, related_name="merges"
    )
    duplicate_id = models.PositiveIntegerField(_("merged customer's id"))
    duplicate = models.JSONField(_("merged customer's record"), help_text=_("The record as it was before the merge."))
    kept_from_duplicate = models.JSONField(_("values kept from the merged record"), default=list, blank=True)
    moved = models.JSONField(
        _("records moved"),
        default=dict,
        blank=True,
        help_text=_("How many records of each kind now belong to the survivor."),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer merge")
        verbose_name_plural = _("customer merges")
        ordering = ["-merged_at"]

    def __str__(self):
        return f"{self.duplicate.get('name', '')} → {self.survivor_id}"
