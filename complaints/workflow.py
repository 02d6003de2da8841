"""The complaint, repair-order and crisis workflows (rules C4–C9, C13, C8), each declared once.

Every action: the states it leaves from and goes to, the roles that may take it, what must hold
first, its input form, the service that does the work and its rule. The models' transitions, the
services' checks, the API's action endpoints, the dashboard's buttons and the admin actions are all
derived from these tables (core.workflow).
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import works_on
from core.roles import EVERYONE, MANAGEMENT, OPERATIONS, SERVICE, Role
from core.workflow import Action, Condition, Workflow

from . import inputs
from .choices import OPEN_STATES, ClockStatus, ComplaintState, CrisisStatus, RepairState, Severity

S = ComplaintState
R = RepairState

# Who takes which part (rule R1).
SERVICE_DESK = SERVICE | MANAGEMENT
HANDLERS = SERVICE | MANAGEMENT | OPERATIONS
SUPERVISORS = frozenset({Role.CUSTOMER_SERVICE, Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR})
SENIORS = frozenset({Role.AREA_MANAGER, Role.CR_HEAD, Role.ADMINISTRATOR})


def complaint_visitor_refusal(complaint, user) -> str | None:
    """Rule C9: a minor complaint is visited by the person who received it; a major one by the area manager.

    When the receiver no longer works here, customer service of the project visits instead.
    """
    if complaint.severity == Severity.MINOR:
        receiver = complaint.received_by
        if receiver is not None and receiver.is_active:
            if user.pk == receiver.pk:
                return None
            return gettext("A minor complaint is visited by the person who received it (%(name)s).") % {
                "name": receiver
            }
        if user.has_role(Role.CUSTOMER_SERVICE) and works_on(user, complaint.project_id):
            return None
        return gettext("The receiver has left: customer service of the project makes the visit.")
    if user.has_role(Role.AREA_MANAGER) and works_on(user, complaint.project_id):
        return None
    return gettext("A major complaint is visited in person by the project's area manager.")


def _not_rated_this_cycle(record) -> bool:
    """One owner's rating per cycle of a complaint or repair order (a reopening starts a new cycle)."""
    return not any(rating.cycle == record.reopen_count for rating in record.owner_ratings.all())


def _is_major(complaint) -> bool:
    return complaint.severity != Severity.MINOR


def _has_clocks(status):
    def holds(complaint) -> bool:
        return complaint.clocks.filter(status=status, stopped_at__isnull=True).exists()

    return holds


OPEN = tuple(OPEN_STATES)
MAJOR_ONLY = Condition(_is_major, _("Only a major complaint needs this."))

COMPLAINT_FLOW = Workflow(
    model_label="complaints.Complaint",
    record="complaint",
    actions=[
        # the C4 flow, in order
        Action(
            "analyse",
            _("Analyse and judge validity"),
            inputs.AnalyseForm,
            "complaints.services.workflow.analyse_complaint",
            SERVICE_DESK,
            (S.RECEIVED,),
            S.ANALYSED,
            rule="C2",
            help=_("Judge the complaint valid or invalid (an invalid one with the explanation given)."),
        ),
        Action(
            "dispatch",
            _("Dispatch in writing"),
            inputs.DispatchForm,
            "complaints.services.workflow.dispatch_complaint",
            SERVICE_DESK,
            (S.ANALYSED, S.REOPENED),
            S.DISPATCHED,
            rule="C4",
            help=_("In writing, to the responsible department, with a deadline; its plan is due in an hour."),
        ),
        Action(
            "record-plan",
            _("Record the handling plan"),
            inputs.PlanForm,
            "complaints.services.workflow.record_plan",
            HANDLERS,
            (S.DISPATCHED,),
            S.PLANNED,
            rule="C4",
        ),
        Action(
            "start",
            _("Start handling"),
            inputs.NoteForm,
            "complaints.services.workflow.start_handling",
            HANDLERS,
            (S.PLANNED,),
            S.IN_PROGRESS,
            rule="C4",
        ),
        Action(
            "resolve",
            _("Resolve"),
            inputs.ResolveForm,
            "complaints.services.workflow.resolve_complaint",
            HANDLERS,
            (S.IN_PROGRESS,),
            S.RESOLVED,
            rule="C4",
            help=_("The handling clocks stop; the 24-hour return-visit clock starts."),
        ),
        Action(
            "verify",
            _("Verify"),
            inputs.NoteForm,
            "complaints.services.workflow.verify_complaint",
            SUPERVISORS,
            (S.RESOLVED,),
            S.VERIFIED,
            rule="C4",
        ),
        Action(
            "return-visit",
            _("Record the return visit"),
            inputs.VisitForm,
            "complaints.services.workflow.record_complaint_visit",
            EVERYONE,
            (S.VERIFIED,),
            S.VISITED,
            actor_refusal=complaint_visitor_refusal,
            rule="C9",
            help=_(
                "A minor complaint by its receiver, by phone or WeChat; a major one by the area manager, in "
                "person. A customer still dissatisfied reopens the complaint."
            ),
        ),
        Action(
            "close",
            _("Summarise and close"),
            inputs.SummaryForm,
            "complaints.services.workflow.close_complaint",
            SUPERVISORS,
            (S.VISITED,),
            S.CLOSED,
            rule="C4",
        ),
        Action(
            "archive",
            _("Archive"),
            inputs.NoteForm,
            "complaints.services.workflow.archive_complaint",
            SUPERVISORS,
            (S.CLOSED,),
            S.ARCHIVED,
            rule="C10",
        ),
        Action(
            "reopen",
            _("Reopen"),
            inputs.ReasonForm,
            "complaints.services.workflow.reopen_complaint",
            SENIORS,
            (S.RESOLVED, S.VERIFIED, S.VISITED, S.CLOSED),
            S.REOPENED,
            rule="C9",
            help=_("A new cycle: every clock of the complaint starts again."),
        ),
        # the customer's own rating in the owner portal, beside the staff's return visit (C9)
        Action(
            "owner-rating",
            _("Rate the handling"),
            inputs.OwnerRatingForm,
            "complaints.services.ratings.rate_complaint",
            frozenset(),
            (S.RESOLVED, S.VERIFIED, S.VISITED, S.CLOSED),
            conditions=(Condition(_not_rated_this_cycle, _("The owner has already rated this cycle.")),),
            by_customer=True,
            rule="C9",
            help=_("A rating of 1 or 2 means the customer is still dissatisfied: the complaint reopens."),
        ),
        # facts that stop clocks while the complaint is open (C3, C5, C6)
        Action(
            "classify",
            _("Change validity or severity"),
            inputs.ClassifyForm,
            "complaints.services.intake.classify_complaint",
            SERVICE_DESK,
            OPEN,
            rule="C3",
        ),
        Action(
            "respond",
            _("Respond to the customer"),
            inputs.RespondForm,
            "complaints.services.workflow.respond_to_customer",
            HANDLERS,
            OPEN,
            conditions=(
                Condition(
                    lambda complaint: complaint.responded_at is None,
                    _("The customer has already been answered in this cycle."),
                ),
            ),
            rule="C5",
            help=_("An answer within 24 hours or, when it is not ready, a committed reply time."),
        ),
        Action(
            "report-to-head",
            _("Report to head of department"),
            inputs.ReportForm,
            "complaints.services.workflow.report_to_head",
            SERVICE_DESK,
            OPEN,
            conditions=(
                MAJOR_ONLY,
                Condition(
                    lambda complaint: complaint.reported_to_head_at is None,
                    _("Already reported to the head of department."),
                ),
            ),
            rule="C6",
        ),
        Action(
            "agree-solution",
            _("Record the agreed solution"),
            inputs.SolutionForm,
            "complaints.services.workflow.agree_solution",
            HANDLERS,
            OPEN,
            conditions=(
                MAJOR_ONLY,
                Condition(
                    lambda complaint: complaint.solution_agreed_at is None,
                    _("A solution was already agreed in this cycle."),
                ),
            ),
            rule="C6",
        ),
        Action(
            "pause-clocks",
            _("Pause the clocks"),
            inputs.ReasonForm,
            "complaints.services.clocks.pause_clocks",
            SENIORS,
            OPEN,
            conditions=(Condition(_has_clocks(ClockStatus.RUNNING), _("No clock is running.")),),
            help=_("While the company waits on the customer; resuming adds the pause to every due time."),
        ),
        Action(
            "resume-clocks",
            _("Resume the clocks"),
            inputs.EmptyForm,
            "complaints.services.clocks.resume_clocks",
            SENIORS,
            OPEN,
            conditions=(Condition(_has_clocks(ClockStatus.PAUSED), _("No clock is paused.")),),
        ),
    ],
)

REPAIR_FLOW = Workflow(
    model_label="complaints.RepairOrder",
    record="order",
    actions=[
        Action(
            "assign",
            _("Assign"),
            inputs.AssignForm,
            "complaints.services.repairs.assign_repair",
            SERVICE_DESK,
            (R.REPORTED,),
            R.ASSIGNED,
        ),
        Action(
            "start",
            _("Start"),
            inputs.EmptyForm,
            "complaints.services.repairs.start_repair",
            HANDLERS,
            (R.ASSIGNED,),
            R.IN_PROGRESS,
        ),
        Action(
            "complete",
            _("Complete"),
            inputs.WorkDoneForm,
            "complaints.services.repairs.complete_repair",
            HANDLERS,
            (R.IN_PROGRESS,),
            R.COMPLETED,
            rule="C13",
            help=_("The 24-hour return-visit clock starts."),
        ),
        Action(
            "return-visit",
            _("Record the return visit"),
            inputs.VisitForm,
            "complaints.services.repairs.record_repair_visit",
            SERVICE_DESK,
            (R.COMPLETED,),
            R.VISITED,
            rule="C13",
        ),
        Action(
            "close",
            _("Close"),
            inputs.EmptyForm,
            "complaints.services.repairs.close_repair",
            SUPERVISORS,
            (R.VISITED,),
            R.CLOSED,
        ),
        Action(
            "reopen",
            _("Reopen"),
            inputs.ReasonForm,
            "complaints.services.repairs.reopen_repair",
            SENIORS,
            (R.COMPLETED, R.VISITED, R.CLOSED),
            R.ASSIGNED,
            rule="C13",
            help=_("The work was not good enough: the order goes back to its assignee."),
        ),
        Action(
            "owner-rating",
            _("Rate the repair"),
            inputs.OwnerRatingForm,
            "complaints.services.ratings.rate_repair",
            frozenset(),
            (R.COMPLETED, R.VISITED, R.CLOSED),
            conditions=(Condition(_not_rated_this_cycle, _("The owner has already rated this repair.")),),
            by_customer=True,
            rule="C13",
            help=_("A rating of 1 or 2 means the owner is dissatisfied: the repair reopens."),
        ),
    ],
)

CRISIS_FLOW = Workflow(
    model_label="complaints.CrisisRecord",
    record="crisis",
    field_name="status",
    actions=[
        Action(
            "record-action",
            _("Record an action or decision"),
            inputs.CrisisActionForm,
            "complaints.services.crisis.add_crisis_action",
            SENIORS,
            (CrisisStatus.OPEN,),
            rule="C8",
        ),
        Action(
            "close",
            _("Close the crisis"),
            inputs.CrisisCloseForm,
            "complaints.services.crisis.close_crisis",
            SENIORS,
            (CrisisStatus.OPEN,),
            CrisisStatus.CLOSED,
            rule="C8",
        ),
    ],
)
