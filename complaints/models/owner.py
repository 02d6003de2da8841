"""What the owner adds in the owner portal: photos of a repair, and their own rating (C9, C13)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def photo_path(photo, filename: str) -> str:
    """A random name: the owner's file name (personal, sometimes) is never kept."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"repair-photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class RepairPhoto(models.Model):
    """A photo of a repair, checked by content, re-encoded without its metadata, kept in the media storage."""

    repair_order = models.ForeignKey(
        "complaints.RepairOrder", verbose_name=_("repair order"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=30)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("repair photo")
        verbose_name_plural = _("repair photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return f"{self.repair_order_id} · {self.pk}"


class OwnerRating(models.Model):
    """The owner's own rating (1–5) of a resolved complaint or a completed repair, once per cycle."""

    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owner_ratings",
    )
    repair_order = models.ForeignKey(
        "complaints.RepairOrder",
        verbose_name=_("repair order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="owner_ratings",
    )
    project = models.ForeignKey(
        "estates.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="owner_ratings",
        editable=False,
    )
    customer = models.ForeignKey(
        "members.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owner_ratings",
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=0)
    score = models.PositiveSmallIntegerField(_("rating (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)

    class Meta:
        verbose_name = _("owner's rating")
        verbose_name_plural = _("owners' ratings")
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(complaint__isnull=False) | models.Q(repair_order__isnull=False),
                name="owner_rating_has_subject",
            ),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5), name="owner_rating_score_1_to_5"),
            models.UniqueConstraint(fields=["complaint", "cycle"], name="one_owner_rating_per_complaint_cycle"),
            models.UniqueConstraint(fields=["repair_order", "cycle"], name="one_owner_rating_per_repair_cycle"),
        ]

    def __str__(self):
        return f"{self.score}/5"
