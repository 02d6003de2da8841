from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    CANCELLED = "cancelled", pgettext_lazy("purchase", "Cancelled")


class OwnerSegment(models.TextChoices):
    """Owner lifecycle segments by time since move-in (rule M2)."""

    PRE_OWNER = "pre_owner", _("Pre-owner")
    RUN_IN = "run_in", _("Run-in")
    STABLE = "stable", _("Stable")
    OLD_OWNER = "old_owner", _("Old owner")


class VisitKind(models.TextChoices):
    FIRST = "first", _("First visit")
    RETURN = "return", pgettext_lazy("sales visit", "Return visit")


class InvitationOutcome(models.TextChoices):
    """What a first-time visitor answered to the club invitation (rule J5)."""

    JOINED = "joined", _("Joined the club")
    CONSIDERING = "considering", _("Will think about it")
    DECLINED = "declined", _("Declined")


class LeadGrade(models.TextChoices):
    """Lead grades of rule L1, from the most to the least likely to buy."""

    A = "A", _("A – ready to buy")
    B = "B", _("B – clear intention")
    C = "C", _("C – can be guided")
    C1 = "C1", _("C1 – buys at promotions")
    C2 = "C2", _("C2 – reserve for a later phase")
    D = "D", _("D – no fit")
    INVALID = "invalid", _("Invalid")

    @property
    def heading(self) -> str:
        """The grade as a column heading: its letter, or the word for an invalid lead."""
        return self.label if self == LeadGrade.INVALID else self.value


C_FAMILY = frozenset({LeadGrade.C, LeadGrade.C1, LeadGrade.C2})


class LeadCriterion(models.TextChoices):
    """The checklist of rule L1: what the consultant has confirmed about the customer.

    Which criteria each grade needs is declared once, in members.grading.
    """

    UNIT_CHOSEN = "unit_chosen", _("Has chosen a unit")
    MONEY_PAID = "money_paid", _("Has paid intention or reservation money")
    FUNDS_READY = "funds_ready", _("Funds or loan eligibility ready")
    CLEAR_INTENTION = "clear_intention", _("Clear intention to buy")
    UNITS_SHORTLISTED = "units_shortlisted", _("One or more units shortlisted")
    CAN_AFFORD = "can_afford", _("Can afford it (cash or loan)")
    ACCEPTS_LOCATION = "accepts_location", _("Accepts the location")
    ACCEPTS_PRODUCT = "accepts_product", _("Accepts the product")
    ACCEPTS_PRICE = "accepts_price", _("Accepts the price (or close)")
    HAS_NEED = "has_need", _("Has a need and some intention")
    CAN_BE_GUIDED = "can_be_guided", _("Resistance to location and project can be guided")
    PRICE_RESISTANCE = "price_resistance", _("Price resistance that cannot be guided")
    LATER_PHASE_FITS = "later_phase_fits", _("The current product cannot meet the need; a later phase can")
    NO_FIT = "no_fit", _("No product of the project meets the need")
    NO_MEANS = "no_means", _("No means to buy")
    NO_INTENTION_CONFIRMED = "no_intention_confirmed", _("Return visits confirmed there is no intention")
    NO_DEAL_AFTER_CONSULTANTS = (
        "no_deal_after_consultants",
        _("Two or more consultants followed up: no chance of a deal"),
    )
    INVALID_VISIT = "invalid_visit", _("Invalid visit")


class LeadStatus(models.TextChoices):
    ACTIVE = "active", _("Being followed")
    STOPPED = "stopped", _("Tracking stopped")
    ARCHIVED = "archived", _("Archived (invalid)")


class FollowUpMethod(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    MESSAGE = "message", _("Text message")


class Reaction(models.TextChoices):
    """The customer's reaction to a follow-up; a weakened intention feeds the monthly cycle (L6)."""

    STRONGER = "stronger", _("Intention stronger")
    UNCHANGED = "unchanged", _("Unchanged")
    WEAKENED = "weakened", _("Intention weakened")
    NO_ANSWER = "no_answer", _("No answer")


class GradeChangeKind(models.TextChoices):
    MANUAL = "manual", _("By a consultant")
    CYCLE = "cycle", _("Monthly cycle")
    APPROVED = "approved", _("Approved request")


class ApprovalKind(models.TextChoices):
    DEMOTE_TO_D = "demote_to_d", _("Demote to D")
    STOP_TRACKING = "stop_tracking", _("Stop tracking a D lead")
    RECLAIM = "reclaim", _("Follow an invalid lead again")
    MARK_INVALID = "mark_invalid", _("Mark the lead invalid")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MemberLevel(models.TextChoices):
    REGULAR = "regular", _("Regular member")
    SILVER = "silver", _("Silver member")
    GOLD = "gold", _("Gold member")
    OWNER = "owner", _("Owner member")


class ReportKind(models.TextChoices):
    DAILY_AB = "daily_ab", _("Daily A/B follow-up digest")
    WEEKLY = "weekly", _("Weekly summary")
