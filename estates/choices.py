from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    SELLING = "selling", _("Selling")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    DELIVERED = "delivered", _("Delivered")


class ProductKind(models.TextChoices):
    """The kind of product, used to show earlier projects' defects to a new one (rule D4)."""

    HIGH_RISE = "high_rise", _("High-rise apartments")
    MID_RISE = "mid_rise", _("Mid-rise apartments")
    TOWNHOUSE = "townhouse", _("Townhouses")
    VILLA = "villa", _("Villas")
    MIXED = "mixed", _("Mixed use")


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Withheld from sale")
    SUBSCRIBED = "subscribed", _("Subscribed")
    SIGNED = "signed", _("Signed")
    DELIVERED = "delivered", _("Delivered")


class SegmentVariant(models.TextChoices):
    """How owners are divided into lifecycle segments (rule M2): two documents disagree."""

    STANDARD = "standard", _("Run-in 3–12 months, stable 1–2 years")
    HALF_YEAR = "half_year", _("Run-in under half a year, stable half a year to 2 years")
