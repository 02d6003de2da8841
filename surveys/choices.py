from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    """The surveys of rule S4."""

    VISITOR = "visitor", _("Visitor questionnaire")
    SALES_CARD = "sales_card", _("Sales-satisfaction card")
    SIGNING_VISIT = "signing_visit", _("Signing return visit")
    DELIVERY_VISIT = "delivery_visit", _("Delivery return visit")
    THREE_MONTH = "three_month", _("Three-month visit")
    COMPLAINT_VISIT = "complaint_visit", _("Complaint return visit")
    MONTHLY = "monthly", _("Monthly survey")
    YEAR_END = "year_end", _("Year-end survey")


class Step(models.TextChoices):
    """The eight steps of the 6+2 journey (rule J1), in order; the step a questionnaire measures."""

    VIEWING = "viewing", _("1 Hand in hand (viewing)")
    SIGNING = "signing", _("2 Tying the knot (subscription, signing)")
    WAITING = "waiting", _("3 Close contact (waiting for construction)")
    MOVING_IN = "moving_in", _("4 Welcome home (delivery, move-in)")
    CARING = "caring", _("5 Warm regards (living)")
    RESPONSIBILITY = "responsibility", _("6 Taking responsibility (repairs)")
    ALONG_THE_WAY = "along_the_way", _("+1 All the way together")
    FOUR_YEARS = "four_years", _("+2 The four-year promise")


class ItemKind(models.TextChoices):
    SCALE = "scale", _("5-point scale")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class ItemRole(models.TextChoices):
    """What an item means for the figures (rules S1, S2)."""

    NONE = "", _("Other item")
    OVERALL = "overall", _("Overall satisfaction")
    BUY_AGAIN = "buy_again", _("Would buy again")
    RECOMMEND = "recommend", _("Would recommend")


class ResponseSource(models.TextChoices):
    TABLET = "tablet", _("Sales-office tablet")
    CALL_CENTER = "call_center", _("Call center")
    WEB = "web", _("Mobile link")
    OWNER_PORTAL = "owner_portal", _("Owner portal")
    IMPORT = "import", _("Excel import")


class ImportStatus(models.TextChoices):
    """A year-end file's import (S5): a large one is written by a worker while the page shows its progress."""

    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    CLOSED = "closed", _("Closed")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Solution carried out")
    CLOSED = "closed", _("Closed")


class RespondentSegment(models.TextChoices):
    """The owner segment (rule M2) recorded with an answer; a visitor has not bought."""

    VISITOR = "visitor", _("Not an owner")
    PRE_OWNER = "pre_owner", _("Pre-owner")
    RUN_IN = "run_in", _("Run-in")
    STABLE = "stable", _("Stable")
    OLD_OWNER = "old_owner", _("Old owner")
