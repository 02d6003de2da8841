from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter")
    CALL = "call", _("Phone call")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Not sent: no consent")
    CANCELLED = "cancelled", _("Cancelled")


class ActionKind(models.TextChoices):
    """The three kinds of action in the 2010 standard (J2)."""

    STANDARD = "standard", _("Standard action")
    OPTIONAL = "optional", _("Optional action")
    EXECUTION = "execution", _("Execution action")


class Duty(models.TextChoices):
    """The care duties the daily scan makes due (J6–J20)."""

    SUBSCRIPTION_MESSAGE = "subscription_message", _("Subscription message (J7)")
    SIGNING_SURVEY_CALL = "signing_survey_call", _("Signing satisfaction call (J8)")
    DELIVERY_SURVEY_CALL = "delivery_survey_call", _("Delivery satisfaction call (J8)")
    SIGNING_FOLLOW_UP_CALL = "signing_follow_up_call", _("7-day call after signing (J9)")
    HOME_PACK = "home_pack", _("Home pack before delivery (J13)")
    MOVE_IN_VISIT = "move_in_visit", _("Move-in congratulation visit (J14)")
    THREE_MONTH_VISIT = "three_month_visit", _("Three-month home visit (J15)")
    WARRANTY_NOTICE = "warranty_notice", _("Warranty-expiry notice (J16)")
    ONE_YEAR_CHECK = "one_year_check", _("One-year house check (J17)")
    BIRTHDAY_GREETING = "birthday_greeting", _("Birthday greeting (J18)")
    QUALITY_CHECK = "quality_check", _("Post-delivery quality check (J19)")
    FOUR_YEAR_PLAN = "four_year_plan", _("Four-year improvement plan (J20)")
    PROGRESS_LETTER = "progress_letter", _("Progress letter (J11)")
    GROUP_PURCHASE = "group_purchase", _("Yearly group-purchase event (J12)")
    MYSTERY_SHOPPER = "mystery_shopper", _("Mystery-shopper check (J6)")
    SITE_OPEN_DAY = "site_open_day", _("Site open day evaluation (J10)")


# Duties whose task is a message the scan queues by itself; the task is done once the message is queued.
MESSAGE_DUTIES = frozenset({Duty.SUBSCRIPTION_MESSAGE, Duty.WARRANTY_NOTICE, Duty.BIRTHDAY_GREETING})


class TaskStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    DEFERRED = "deferred", _("Deferred")
    CANCELLED = "cancelled", _("Cancelled")


class SubjectKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    PURCHASE = "purchase", _("Purchase")
    UNIT = "unit", _("Unit")
    PROJECT = "project", _("Project")
    COMPANY = "company", _("Company")
    OPEN_DAY = "open_day", _("Site open day")


class CheckItem(models.TextChoices):
    """The one-year house check list (J17)."""

    HARDWARE = "hardware", _("Door, window, cabinet and wardrobe locks and hardware")
    ELECTRICAL = "electrical", _("Electrical insulation")
    SECURITY = "security", _("Security system")
    APPLIANCES = "appliances", _("Air conditioner, range hood, gas stove")
    RAILINGS = "railings", _("Iron railings, louvers")


class CheckResult(models.TextChoices):
    OK = "ok", _("In order")
    ISSUE = "issue", _("Issue found")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ShopperInterval(models.IntegerChoices):
    EVERY_TWO_MONTHS = 2, _("Every two months")
    QUARTERLY = 3, _("Every quarter")


class OpenDaySequence(models.IntegerChoices):
    FIRST = 1, _("First opening")
    SECOND = 2, _("Second opening")


class OpenDayStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class MeetingKind(models.TextChoices):
    OWNERS_FORUM = "owners_forum", _("Owners' forum")
    MANAGEMENT_MEETING = "management_meeting", _("Management face-to-face meeting")
