"""The complaints app's records, one module per concern."""

from .clocks import Escalation, Notification, SlaClock
from .complaint import CaseEntry, Complaint, ComplaintCategory, ComplaintEvent, ComplaintTally, ReturnVisit
from .crisis import CrisisAction, CrisisRecord
from .defects import Defect, DeliveryObjection, DeliveryReminder, HandbookIssue
from .owner import OwnerRating, RepairPhoto
from .repairs import RepairOrder
from .settings import ComplaintSettings, RetentionRecord

__all__ = [
    "CaseEntry",
    "Complaint",
    "ComplaintCategory",
    "ComplaintEvent",
    "ComplaintTally",
    "ComplaintSettings",
    "CrisisAction",
    "CrisisRecord",
    "Defect",
    "DeliveryObjection",
    "DeliveryReminder",
    "Escalation",
    "HandbookIssue",
    "Notification",
    "OwnerRating",
    "RepairOrder",
    "RepairPhoto",
    "RetentionRecord",
    "ReturnVisit",
    "SlaClock",
]
