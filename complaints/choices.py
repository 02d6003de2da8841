"""Enumerations of the complaints app: short English slugs, translated labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where the complaint came in (rule C1)."""

    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    FORUM = "forum", _("Online forum")
    WECHAT = "wechat", _("WeChat")
    LETTER = "letter", _("Letter")
    MEDIA = "media", _("Media")
    GOVERNMENT = "government", _("Government hotline")
    OWNER_PORTAL = "owner_portal", _("Owner portal")
    OTHER = "other", _("Other")


class Validity(models.TextChoices):
    """Rule C2."""

    PENDING = "pending", _("Not yet judged")
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")


class Severity(models.TextChoices):
    """Rule C3."""

    MINOR = "minor", _("Minor")
    MAJOR = "major", _("Major")
    CRISIS = "crisis", _("Crisis")


class ComplaintState(models.TextChoices):
    """Rule C4: the complaint workflow."""

    RECEIVED = "received", _("Received")
    ANALYSED = "analysed", _("Analysed")
    DISPATCHED = "dispatched", _("Dispatched")
    PLANNED = "planned", _("Plan recorded")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    VERIFIED = "verified", _("Verified")
    VISITED = "visited", _("Return visit done")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")
    REOPENED = "reopened", _("Reopened")


OPEN_STATES = [
    ComplaintState.RECEIVED,
    ComplaintState.ANALYSED,
    ComplaintState.DISPATCHED,
    ComplaintState.PLANNED,
    ComplaintState.IN_PROGRESS,
    ComplaintState.REOPENED,
]
UNRESOLVED_STATES = OPEN_STATES


class ClockKind(models.TextChoices):
    """The service-level clocks (rules C5, C6, C7, C9, C13)."""

    RESPONSE = "response", _("Response to the customer (24 h)")
    REPORT_HEAD = "report_head", _("Report to head of department (10 min)")
    SOLUTION = "solution", _("Solution agreed (12 h)")
    PLAN = "plan", _("Department plan (1 h)")
    DEADLINE = "deadline", _("Dispatch deadline")
    AUTO_MAJOR = "auto_major", _("Unresolved after 10 days")
    RETURN_VISIT = "return_visit", _("Return visit (24 h)")


class ClockStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")


class EscalationLevel(models.IntegerChoices):
    HANDLER = 1, _("Handler")
    DEPARTMENT_HEAD = 2, _("Head of department")
    CR_HEAD = 3, _("Customer-relations head")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRANSITION = "transition", _("Status changed")
    CLASSIFIED = "classified", _("Classified")
    RESPONDED = "responded", _("Responded to the customer")
    REPORTED = "reported", _("Reported to head of department")
    SOLUTION = "solution", _("Solution agreed")
    BREACH = "breach", _("Clock breached")
    ESCALATED = "escalated", _("Escalated")
    CRISIS = "crisis", _("Crisis opened")
    RETURN_VISIT = "return_visit", _("Return visit")
    CLOCKS = "clocks", _("Clocks paused or resumed")
    ANONYMISED = "anonymised", _("Anonymised")
    OWNER_RATING = "owner_rating", _("Owner's rating")


class VisitMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    IN_PERSON = "in_person", _("In person")


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neutral")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


# Rule S1: 4 or 5 is satisfied; an owner's rating of 1 or 2 counts as still dissatisfied (C9).
DISSATISFIED_RATINGS = frozenset({1, 2})

SATISFACTION_SCORES = {
    Satisfaction.VERY_SATISFIED: 100,
    Satisfaction.SATISFIED: 80,
    Satisfaction.NEUTRAL: 60,
    Satisfaction.DISSATISFIED: 0,
}


class RepairState(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    VISITED = "visited", _("Return visit done")
    CLOSED = "closed", _("Closed")


class DefectCategory(models.TextChoices):
    """Rule D1."""

    DESIGN = "design", _("Design rationality")
    CONSTRUCTION = "construction", _("Construction quality")
    MATERIALS = "materials", _("Materials and equipment")


class DefectSource(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPAIR = "repair", _("Repair order")
    HOUSE_CHECK = "house_check", _("House check")


class VisitSubject(models.TextChoices):
    """What a return visit is made for (rules C9, C13)."""

    COMPLAINT = "complaint", _("Complaint")
    REPAIR_ORDER = "repair_order", _("Repair order")


class CrisisStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected: no valid reason")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise")
    PURGE = "purge", _("Purge")


class ClockCalendar(models.TextChoices):
    CALENDAR = "calendar", _("Calendar hours")
    BUSINESS = "business", _("Business hours (Chinese working days)")
