"""Every write of the complaints app that carries a rule (C1–C14, D1–D4), one module per concern.

- intake: receiving a complaint (C1, with the duplicate check) and its classification (C2, C3)
- workflow: the steps of rule C4 and the facts that stop clocks (C5, C6, C9)
- clocks: the service-level clocks, their breach and escalation (C5–C7, C13), pausing
- crisis: crisis records (C8)
- repairs: repair orders and their return visit (C13)
- defects: defects (D1), delivery objections (C14), the case library (C11), the quality handbook (D3)
- retention: archived complaints purged or anonymised after the retention period (C10)
- inbox: the staff's in-app notifications

The names below are the public ones; each lives in the module that owns it.
"""

from .clocks import check_clocks, pause_clocks, resume_clocks
from .common import settings_for
from .crisis import add_crisis_action, close_crisis, crisis_team, open_crisis
from .defects import (
    add_case,
    issue_delivery_reminder,
    raise_defect,
    raise_house_check_defects,
    record_objection,
    send_quarterly_handbooks,
    settle_objection,
)
from .inbox import mark_read
from .intake import category_for, classify_complaint, receive_complaint, severity_by_rules
from .repairs import (
    assign_repair,
    close_repair,
    complete_repair,
    record_repair_visit,
    report_repair,
    start_repair,
    warranty_status,
)
from .retention import apply_retention
from .workflow import (
    agree_solution,
    analyse_complaint,
    archive_complaint,
    close_complaint,
    dispatch_complaint,
    record_complaint_visit,
    record_plan,
    reopen_complaint,
    report_to_head,
    resolve_complaint,
    respond_to_customer,
    start_handling,
    verify_complaint,
)

__all__ = [
    "add_case",
    "add_crisis_action",
    "agree_solution",
    "analyse_complaint",
    "apply_retention",
    "archive_complaint",
    "assign_repair",
    "category_for",
    "check_clocks",
    "classify_complaint",
    "close_complaint",
    "close_crisis",
    "close_repair",
    "complete_repair",
    "crisis_team",
    "dispatch_complaint",
    "issue_delivery_reminder",
    "mark_read",
    "open_crisis",
    "pause_clocks",
    "raise_defect",
    "raise_house_check_defects",
    "receive_complaint",
    "record_complaint_visit",
    "record_objection",
    "record_plan",
    "record_repair_visit",
    "reopen_complaint",
    "report_repair",
    "report_to_head",
    "resolve_complaint",
    "respond_to_customer",
    "resume_clocks",
    "send_quarterly_handbooks",
    "settings_for",
    "settle_objection",
    "severity_by_rules",
    "start_handling",
    "start_repair",
    "verify_complaint",
    "warranty_status",
]
