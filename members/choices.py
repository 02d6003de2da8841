from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not given")


class SourceChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone enquiry")
    REFERRAL = "referral", _("Owner referral")
    CLUB = "club", _("Vanke club")
    ONLINE = "online", _("Online")
    OUTDOOR = "outdoor", _("Outdoor advertising")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")


class PurchaseStatus(models.TextChoices):
    """The milestones of a purchase (rule J23), in the order they happen."""

    SUBSCRIBED = "subscribed", _("Subscribed")
    SIGNED = "signed", _("Signed")
    LOAN_DISBURSED = "loan_disbursed", _("Loan disbursed")
    DELIVERED = "delivered", _("Delivered")
    MOVED_IN = "moved_in", _("Moved in")
    CANCELLED = "cancelled", _("Cancelled")


class OwnerSegment(models.TextChoices):
    """Owner lifecycle segments by time since move-in (rule M2)."""

    PRE_OWNER = "pre_owner", _("Pre-owner")
    RUN_IN = "run_in", _("Run-in")
    STABLE = "stable", _("Stable")
    OLD_OWNER = "old_owner", _("Old owner")
