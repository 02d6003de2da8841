"""Every write of the surveys app: versions, answers, campaigns and links, reminders, imports, follow-ups."""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from core import calls, progress
from core.dispatch import dispatch_on_commit
from core.errors import DomainError, TransitionNotAllowed
from core.excel import ImportReport, RowError, declared_rows, read_rows
from core.languages import in_language_of
from estates.models import Project
from estates.selectors import projects_for
from members.models import Customer, Purchase
from members.choices import PurchaseStatus
from members.segments import owner_segment
from touchpoints.messaging import outbound_message, queue_messages
from touchpoints.models import OutboundMessage

from . import policies, selectors
from .choices import CampaignStatus, ImportStatus, ItemKind, ItemRole, RespondentSegment, ResponseSource
from .models import Answer, Campaign, FollowUp, ImportBatch, Invitation, Item, Questionnaire, Reminder, Response

logger = logging.getLogger(__name__)

LOW_SCORE = 2  # rule S6: an answer of 1 or 2 raises a follow-up
YES_WORDS = {"1", "y", "yes", "true", "是", "会", "愿意", "√"}
NO_WORDS = {"0", "n", "no", "false", "否", "不会", "不愿意", "×"}


# ---------------------------------------------------------------- questionnaire versions


def has_answers(questionnaire: Questionnaire) -> bool:
    return questionnaire.responses.exists()


@transaction.atomic
def new_version(*, questionnaire: Questionnaire, actor) -> tuple[Questionnaire, dict[int, int]]:
    """Copy a questionnaire and its items as the next version; the old one stays with its answers.

    Returns the new version and the map old item id → new item id.
    """
    old = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    latest = Questionnaire.objects.filter(code=old.code).order_by("-version").values_list("version", flat=True)[0]
    for current in Questionnaire.objects.filter(code=old.code, is_current=True):
        current.is_current = False
        _save_with_actor(current, actor)
    items = list(old.items.all())
    copy = _save_with_actor(
        Questionnaire(
            code=old.code,
            version=latest + 1,
            title=old.title,
            kind=old.kind,
            step=old.step,
            introduction=old.introduction,
            is_current=True,
        ),
        actor,
    )
    mapping = {}
    for item in items:
        old_id = item.pk
        item.pk, item.questionnaire = None, copy
        item.save()
        mapping[old_id] = item.pk
    return copy, mapping


@transaction.atomic
def revise_questionnaire(*, questionnaire: Questionnaire, changes: dict, actor) -> Questionnaire:
    """Change a questionnaire's wording; once answered, the change goes into a new version."""
    if has_answers(questionnaire):
        questionnaire, _mapping = new_version(questionnaire=questionnaire, actor=actor)
    for field, value in changes.items():
        setattr(questionnaire, field, value)
    return _save_with_actor(questionnaire, actor)


def _save_with_actor(instance, actor):
    """Save with the actor recorded in the audit trail (R2), from a request, Celery or the shell alike."""
    instance._history_user = actor
    instance.save()
    return instance


# ---------------------------------------------------------------- answers


def respondent_segment(*, customer: Customer | None, purchase: Purchase | None, on: datetime.date) -> str:
    """The owner segment (M2) of the respondent on the day of answering; a visitor has not bought."""
    if purchase is None and customer is not None:
        purchase = _latest_purchases([customer]).get(customer.pk)
    return _segment_of(purchase, on=on)


def _latest_purchases(customers, *, chunk: int = 2000) -> dict[int, Purchase]:
    """Each customer's latest purchase that stands (by subscription), by customer id: a statement for every
    `chunk` customers."""
    ids = sorted({customer.pk for customer in customers})
    latest = {}
    for start in range(0, len(ids), chunk):
        purchases = (
            Purchase.objects.filter(customer__in=ids[start : start + chunk])
            .exclude(status=PurchaseStatus.CANCELLED)
            .select_related("project__company")
            .order_by("customer", "-subscribed_on", "-pk")
        )
        for purchase in purchases:
            latest.setdefault(purchase.customer_id, purchase)
    return latest


def _segment_of(purchase: Purchase | None, *, on: datetime.date) -> str:
    if purchase is None:
        return RespondentSegment.VISITOR
    return owner_segment(
        moved_in_on=purchase.moved_in_on, on=on, variant=purchase.project.company.segment_variant
    ).value


def clean_answers(*, questionnaire: Questionnaire, raw: dict) -> dict[Item, dict]:
    """Check raw answers {item code: value} against the items; an empty value is a skipped item.

    Raises DomainError naming the first item at fault.
    """
    items = {item.code: item for item in questionnaire.items.all()}
    unknown = set(raw) - set(items)
    if unknown:
        raise DomainError(
            _("Unknown question: %(code)s.") % {"code": sorted(unknown)[0]}, field="answers", code="unknown_item"
        )
    cleaned = {}
    for code, item in items.items():
        value = raw.get(code)
        if value is None or (isinstance(value, str) and not value.strip()):
            if item.required:
                raise DomainError(
                    _("Please answer: %(question)s") % {"question": item.text}, field=code, code="required"
                )
            continue
        cleaned[item] = _clean_value(item, value)
    if not cleaned:
        raise DomainError(_("No question was answered."), field="answers", code="empty")
    return cleaned


@dataclass(frozen=True)
class Respondent:
    """One respondent's answers as `record_responses` takes them: checked (clean_answers), by whom, when."""

    answers: dict
    customer: Customer | None = None
    purchase: Purchase | None = None
    project: Project | None = None
    invitation: Invitation | None = None
    segment: str | None = None
    answered_at: datetime.datetime | None = None


def record_response(
    *,
    questionnaire: Questionnaire,
    answers: dict,
    source: str,
    customer: Customer | None = None,
    purchase: Purchase | None = None,
    project: Project | None = None,
    invitation: Invitation | None = None,
    import_batch: ImportBatch | None = None,
    segment: str | None = None,
    answered_at=None,
    actor=None,
) -> Response:
    """Record one respondent's answers; a score of 1 or 2 raises a follow-up (S6)."""
    cleaned = answers if _is_cleaned(answers) else clean_answers(questionnaire=questionnaire, raw=answers)
    respondent = Respondent(cleaned, customer, purchase, project, invitation, segment, answered_at)
    (response,) = record_responses(
        questionnaire=questionnaire, respondents=[respondent], source=source, import_batch=import_batch, actor=actor
    )
    return response


@transaction.atomic
def record_responses(
    *,
    questionnaire: Questionnaire,
    respondents: list[Respondent],
    source: str,
    import_batch: ImportBatch | None = None,
    actor=None,
) -> list[Response]:
    """Record each respondent's answers: the response in its project, with the owner segment on the day of answering
    (S3) and the loyalty facts copied from the answers, then the answers; a score of 1 or 2 raises a follow-up (S6).
    A few statements for them all (a firm's year-end file holds thousands), not a few for each."""
    now = timezone.now()
    # (the customers whose segment is to be worked out from their latest purchase)
    latest = _latest_purchases(r.customer for r in respondents if r.customer and not (r.segment or r.purchase))
    responses = []
    for respondent in respondents:
        purchase, customer, project = respondent.purchase, respondent.customer, respondent.project
        if purchase is not None:
            customer = customer or purchase.customer
            project = purchase.project
        elif customer is not None:
            project = project or customer.project
        if project is None:
            raise DomainError(_("Name the customer or the project."), field="project", code="required")
        answered_at = respondent.answered_at or now
        segment = respondent.segment or _segment_of(
            purchase or (latest.get(customer.pk) if customer is not None else None), on=timezone.localdate(answered_at)
        )
        by_role = {item.role: value for item, value in respondent.answers.items() if item.role}
        responses.append(
            Response(
                questionnaire=questionnaire,
                project=project,
                customer=customer,
                purchase=purchase,
                invitation=respondent.invitation,
                import_batch=import_batch,
                source=source,
                kind=questionnaire.kind,
                step=questionnaire.step,
                segment=segment,
                overall_score=by_role.get(ItemRole.OVERALL, {}).get("score"),
                would_buy_again=by_role.get(ItemRole.BUY_AGAIN, {}).get("yes"),
                would_recommend=by_role.get(ItemRole.RECOMMEND, {}).get("yes"),
                answered_at=answered_at,
                entered_by=actor,
            )
        )
    responses = bulk_create_with_history(responses, Response, default_user=actor)
    answers, follow_ups = [], []
    for response, respondent in zip(responses, respondents, strict=True):
        answers += [Answer(response=response, item=item, **value) for item, value in respondent.answers.items()]
        low = {
            item: value["score"]
            for item, value in respondent.answers.items()
            if value.get("score") is not None and value["score"] <= LOW_SCORE
        }
        if low:
            today = timezone.localdate(response.answered_at)
            follow_ups.append(_follow_up(response=response, low_scores=low, today=today))
    bulk_create_with_history(answers, Answer, default_user=actor)
    bulk_create_with_history(follow_ups, FollowUp, default_user=actor)
    return responses


@transaction.atomic
def amend_answer(*, answer: Answer, value, actor) -> Answer:
    """Correct one recorded answer (kept in the audit trail, R2) and refresh the response's figures."""
    answer = Answer.objects.select_for_update().select_related("item", "response").get(pk=answer.pk)
    cleaned = _clean_value(answer.item, value)
    for field in ("score", "yes", "choice", "text"):
        setattr(answer, field, cleaned.get(field, Answer._meta.get_field(field).get_default()))
    answer._history_user = actor
    answer.save()
    response = answer.response
    role_field = {
        ItemRole.OVERALL: "overall_score",
        ItemRole.BUY_AGAIN: "would_buy_again",
        ItemRole.RECOMMEND: "would_recommend",
    }.get(answer.item.role)
    if role_field:
        setattr(response, role_field, answer.score if role_field == "overall_score" else answer.yes)
        response._history_user = actor
        response.save(update_fields=[role_field])
    if (
        answer.score is not None
        and answer.score <= LOW_SCORE
        and not FollowUp.objects.filter(response=response).exists()
    ):
        _follow_up(response=response, low_scores={answer.item: answer.score}, today=timezone.localdate()).save()
    return answer


def _clean_value(item: Item, value) -> dict:
    if item.kind == ItemKind.SCALE:
        score = _as_score(value)
        if score is None or not 1 <= score <= 5:
            raise DomainError(
                _("%(question)s: give a score from 1 to 5.") % {"question": item.text},
                field=item.code,
                code="invalid_score",
            )
        return {"score": score}
    if item.kind == ItemKind.YES_NO:
        if isinstance(value, bool):
            return {"yes": value}
        word = str(value).strip().lower()
        if word in YES_WORDS:
            return {"yes": True}
        if word in NO_WORDS:
            return {"yes": False}
        raise DomainError(
            _("%(question)s: answer yes or no.") % {"question": item.text}, field=item.code, code="invalid_yes_no"
        )
    if item.kind == ItemKind.CHOICE:
        choice = str(value).strip()
        if choice not in item.option_list:
            raise DomainError(
                _("%(question)s: choose one of the options.") % {"question": item.text},
                field=item.code,
                code="invalid_choice",
            )
        return {"choice": choice}
    return {"text": str(value).strip()}


def _as_score(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def _is_cleaned(answers: dict) -> bool:
    return bool(answers) and all(isinstance(key, Item) for key in answers)


def _follow_up(*, response: Response, low_scores: dict[Item, int], today: datetime.date) -> FollowUp:
    """Rule S6: the follow-up a response's low scores raise (unsaved), naming each low answer."""
    days = getattr(settings, "SURVEY_FOLLOW_UP_DAYS", 3)
    return FollowUp(
        response=response,
        project=response.project,
        customer=response.customer,
        problem="\n".join(f"{item.text}: {score}" for item, score in low_scores.items()),
        due_on=today + datetime.timedelta(days=days),
    )


# ---------------------------------------------------------------- follow-ups (S6)


@transaction.atomic
def start_follow_up(*, follow_up: FollowUp, actor, findings: str = "") -> FollowUp:
    follow_up = _lock(follow_up)
    _move(follow_up, "start")
    follow_up.assignee = follow_up.assignee or actor
    follow_up.findings = findings or follow_up.findings
    return _save(follow_up, actor)


@transaction.atomic
def resolve_follow_up(*, follow_up: FollowUp, actor, solution: str, findings: str = "") -> FollowUp:
    if not solution.strip():
        raise DomainError(_("Describe the solution."), field="solution", code="required")
    follow_up = _lock(follow_up)
    _move(follow_up, "resolve")
    follow_up.assignee = follow_up.assignee or actor
    follow_up.solution, follow_up.resolved_at = solution.strip(), timezone.now()
    follow_up.findings = findings or follow_up.findings
    return _save(follow_up, actor)


@transaction.atomic
def close_follow_up(*, follow_up: FollowUp, actor, note: str = "") -> FollowUp:
    follow_up = _lock(follow_up)
    _move(follow_up, "close")
    follow_up.closed_at, follow_up.closing_note = timezone.now(), note.strip()
    return _save(follow_up, actor)


@transaction.atomic
def reopen_follow_up(*, follow_up: FollowUp, actor, note: str) -> FollowUp:
    if not note.strip():
        raise DomainError(_("Say why the solution did not work."), field="note", code="required")
    follow_up = _lock(follow_up)
    _move(follow_up, "reopen")
    follow_up.resolved_at, follow_up.closing_note = None, note.strip()
    return _save(follow_up, actor)


def _lock(follow_up: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update().get(pk=follow_up.pk)


def _move(follow_up: FollowUp, name: str) -> None:
    from django_fsm import can_proceed

    method = getattr(follow_up, name)
    if not can_proceed(method):
        raise TransitionNotAllowed(
            _("A follow-up that is %(status)s cannot do that.") % {"status": follow_up.get_status_display()}
        )
    method()


def _save(follow_up: FollowUp, actor) -> FollowUp:
    follow_up._history_user = actor
    follow_up.save()
    return follow_up


# ---------------------------------------------------------------- campaigns, links, reminders


INVITATION_BATCH_SIZE = 1_000  # rows a statement inserts when a campaign is sent


def make_token() -> tuple[str, str]:
    """An unguessable link token and the hash that is stored; the token itself is never stored."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_campaign(*, actor, **fields) -> Campaign:
    check_campaign(**fields)
    return _save_with_actor(Campaign(created_by=actor, **fields), actor)


def check_campaign(**fields) -> None:
    """What a campaign needs, wherever it is made (API, dashboard, admin): the current questionnaire
    version, at least one channel, a period that ends after it starts."""
    questionnaire = fields.get("questionnaire")
    if questionnaire is not None and not questionnaire.is_current:
        raise DomainError(_("Choose the current version of the questionnaire."), field="questionnaire")
    if not (fields.get("by_message", True) or fields.get("by_call", False)):
        raise DomainError(_("Choose at least one channel."), field="by_message", code="required")
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and start > end:
        raise DomainError(_("The period ends before it starts."), field="period_end")


@transaction.atomic
def send_campaign(*, campaign: Campaign, base_url: str, actor, now=None) -> int:
    """Invite every target customer once; a message carries each one a one-time link. Returns new invitations.

    A campaign to every owner of a large project invites tens of thousands: the invitations and their messages are
    written in a few statements each, and one worker task drains the queue after commit."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().select_related("project", "questionnaire").get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise TransitionNotAllowed(_("This campaign is closed."))
    campaign.public_base_url = base_url.rstrip("/") or campaign.public_base_url
    invited = set(campaign.invitations.values_list("customer_id", flat=True))
    expires_at = now + datetime.timedelta(days=campaign.link_valid_days)
    invitations, tokens = [], []
    for customer, purchase in selectors.campaign_targets(campaign, on=timezone.localdate(now)):
        if customer.pk in invited:
            continue
        token, token_hash = make_token()
        invitations.append(
            Invitation(
                campaign=campaign, customer=customer, purchase=purchase, token_hash=token_hash, expires_at=expires_at
            )
        )
        tokens.append(token)
    Invitation.objects.bulk_create(invitations, batch_size=INVITATION_BATCH_SIZE)
    if campaign.by_message:
        queue_messages(
            [
                _link_message(invitation=invitation, token=token, key=f"survey:{invitation.pk}", actor=actor)
                for invitation, token in zip(invitations, tokens, strict=True)
            ]
        )
    campaign.status, campaign.sent_at = CampaignStatus.SENT, campaign.sent_at or now
    campaign._history_user = actor
    campaign.save(update_fields=["status", "sent_at", "public_base_url"])
    return len(invitations)


def issue_link(*, invitation: Invitation) -> str:
    """A fresh link for an invitation (the call center reads it out, tests open it); returns the token."""
    token, token_hash = make_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=token_hash)
    invitation.token_hash = token_hash
    return token


@transaction.atomic
def close_campaign(*, campaign: Campaign, actor) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        raise TransitionNotAllowed(_("This campaign is closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign._history_user = actor
    campaign.save(update_fields=["status"])
    return campaign


def send_due_reminders(*, now=None) -> int:
    """Remind those who have not answered, once per reminder number: every reminder due, a batch at a time, each
    batch's reminders and their messages written together. The constraint on (invitation, number) keeps a second
    run, or one running at the same time, from reminding anyone twice: its reminders and their messages (the same
    occasions) are left unwritten. Returns the reminders this run wrote."""
    now = now or timezone.now()
    sent = 0
    for due in selectors.reminders_due(now=now):
        with transaction.atomic():
            sent += _remind(due)
    return sent


def _remind(due: list[tuple[Invitation, int]]) -> int:
    reminders, messages = [], []
    for invitation, number in due:
        token, token_hash = make_token()
        key = f"survey-reminder:{invitation.pk}:{number}"
        messages.append(_link_message(invitation=invitation, token=token, key=key, reminder=True))
        reminders.append(Reminder(invitation=invitation, number=number, token_hash=token_hash))
    # The messages first: a run at the same time waits on the first of them until this one commits, then leaves
    # them, and its reminders, to this run's.
    queue_messages(messages)
    message_ids = dict(
        OutboundMessage.objects.filter(dedupe_key__in=[m.dedupe_key for m in messages]).values_list("dedupe_key", "pk")
    )
    for reminder, message in zip(reminders, messages, strict=True):
        reminder.message_id = message_ids.get(message.dedupe_key)
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    return Reminder.objects.filter(token_hash__in=[reminder.token_hash for reminder in reminders]).count()


@functools.cache
def _link_text(reminder: bool) -> str:
    """The Chinese text of an invitation's or a reminder's message (translated once, not once a message: a
    campaign writes thousands)."""
    with translation.override("zh-hans"):
        if reminder:
            return gettext("Dear %(name)s, a reminder: %(project)s would still like your opinion (%(title)s): %(url)s")
        return gettext(
            "Dear %(name)s, %(project)s invites you to answer a short survey (%(title)s): %(url)s "
            "The link can be used once within %(days)s days."
        )


def _link_message(*, invitation: Invitation, token: str, key: str, reminder: bool = False, actor=None):
    """The message carrying an invitation's link (not yet queued), written in Chinese as every message is."""
    campaign = invitation.campaign
    url = f"{campaign.public_base_url or settings.PUBLIC_BASE_URL}/surveys/s/{token}/"
    template = _link_text(reminder)
    body = template % {
        "name": invitation.customer.name,
        "project": campaign.project.name,
        "title": campaign.questionnaire.title,
        "url": url,
        "days": campaign.link_valid_days,
    }
    return outbound_message(
        customer=invitation.customer,
        purpose="survey",
        dedupe_key=key,
        body=body,
        actor=actor,
        project=campaign.project,
    )


@transaction.atomic
def submit_by_link(*, token: str, answers: dict) -> Response:
    """Answer through the one-time link: it works once, until it expires."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        raise DomainError(_("This link is not valid."), code="invalid_link")
    invitation = Invitation.objects.select_for_update().select_related("campaign__questionnaire").get(pk=invitation.pk)
    check_link_open(invitation)
    return _answer_invitation(invitation=invitation, answers=answers, source=ResponseSource.WEB, actor=None)


@transaction.atomic
def answer_by_call(*, invitation: Invitation, answers: dict, actor) -> Response:
    """The call center enters what the customer said on the phone."""
    invitation = Invitation.objects.select_for_update().select_related("campaign__questionnaire").get(pk=invitation.pk)
    if invitation.answered_at:
        raise TransitionNotAllowed(_("This survey has already been answered."), code="already_answered")
    return _answer_invitation(invitation=invitation, answers=answers, source=ResponseSource.CALL_CENTER, actor=actor)


@transaction.atomic
def record_call(*, invitation: Invitation, actor, outcome: str, call_back_at=None, note: str = ""):
    """A survey call that got no answers. A wrong number or a refusal takes the customer off the call queue."""
    invitation = Invitation.objects.select_for_update().select_related("campaign").get(pk=invitation.pk)
    check_link_open(invitation)
    return calls.record_attempt(
        item=invitation, attempts=invitation.calls, actor=actor, outcome=outcome, call_back_at=call_back_at, note=note
    )


@transaction.atomic
def answer_as_owner(*, invitation: Invitation, answers: dict) -> Response:
    """An owner signed in to the portal answers their invitation: as the link would, once, until it expires."""
    invitation = Invitation.objects.select_for_update().select_related("campaign__questionnaire").get(pk=invitation.pk)
    check_link_open(invitation)
    return _answer_invitation(invitation=invitation, answers=answers, source=ResponseSource.OWNER_PORTAL, actor=None)


def check_link_open(invitation: Invitation) -> None:
    if invitation.answered_at:
        raise TransitionNotAllowed(_("This survey has already been answered. Thank you."), code="already_answered")
    if invitation.expires_at <= timezone.now() or invitation.campaign.status == CampaignStatus.CLOSED:
        raise TransitionNotAllowed(_("This link has expired."), code="expired")


def _answer_invitation(*, invitation: Invitation, answers: dict, source: str, actor) -> Response:
    response = record_response(
        questionnaire=invitation.campaign.questionnaire,
        answers=answers,
        source=source,
        customer=invitation.customer,
        purchase=invitation.purchase,
        project=invitation.campaign.project,
        invitation=invitation,
        actor=actor,
    )
    invitation.answered_at = response.answered_at
    invitation.save(update_fields=["answered_at"])
    return response


# ---------------------------------------------------------------- Excel import of year-end results (S5)

IMPORT_COLUMNS = {"项目": "project", "手机号": "mobile", "业主类型": "segment", "答题日期": "answered_on"}


def import_columns(questionnaire: Questionnaire) -> dict[str, str]:
    """The workbook's headers: the fixed columns, then one column per question, headed by its text."""
    return {**IMPORT_COLUMNS, **{item.text: f"item:{item.code}" for item in questionnaire.items.all()}}


def import_results(
    *, file, questionnaire: Questionnaire, firm: str, file_name: str, actor, projects
) -> tuple[ImportReport, ImportBatch | None]:
    """Check every row first; import all rows in one transaction only when none has an error (S5, R3).

    A file of more than SURVEY_IMPORT_ASYNC_ROWS rows is kept and handed to a worker (`run_import`), which checks
    and writes it while the batch's page shows the progress, or the rows' errors; the request does not wait."""
    batch = ImportBatch(
        questionnaire=questionnaire,
        firm=firm,
        file_name=file_name[:200],
        imported_by=actor,
        language=translation.get_language() or "",
    )
    declared = declared_rows(file)
    if (declared or 0) > settings.SURVEY_IMPORT_ASYNC_ROWS:
        return ImportReport(), _queue_import(batch, file, rows=declared)
    report, respondents = _checked_rows(file, questionnaire, projects)
    if not report.ok:
        return report, None
    if len(respondents) > settings.SURVEY_IMPORT_ASYNC_ROWS:  # a file that did not declare its size
        return report, _queue_import(batch, file, rows=len(respondents))
    with transaction.atomic():
        batch.row_count, batch.finished_at = len(respondents), timezone.now()
        batch.save()
        _write_rows(batch, respondents)
    return report, batch


def _queue_import(batch: ImportBatch, file, *, rows: int) -> ImportBatch:
    """Keep the file with its batch, importing, and hand it to a worker (`run_import`) once that is committed."""
    from .tasks import import_results as worker_import

    file.seek(0)
    batch.row_count, batch.status = rows, ImportStatus.IMPORTING
    with transaction.atomic():
        batch.file.save(batch.file_name, file)
        dispatch_on_commit(worker_import, batch.pk)
    return batch


@in_language_of(ImportBatch)
def run_import(*, batch_id: int) -> ImportBatch:
    """A worker writes a kept file whole, or nothing and says why (in the importer's language); a batch no longer
    importing is left as it is (the task repeated), and the batch's row lock keeps a second worker out while the
    first writes."""
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update(of=("self",)).select_related("imported_by").get(pk=batch_id)
            if batch.status != ImportStatus.IMPORTING:
                return batch
            actor = batch.imported_by
            if actor is None or not policies.IMPORTS.can_write(actor):
                return _import_failed(batch, reason=gettext("The person who uploaded this file may no longer import."))
            batch.questionnaire = Questionnaire.objects.prefetch_related("items").get(pk=batch.questionnaire_id)
            with batch.file.open("rb") as file:
                report, respondents = _checked_rows(file, batch.questionnaire, projects_for(actor))
            if not report.ok:
                return _import_failed(batch, errors=report.errors)
            batch.row_count = len(respondents)
            _write_rows(batch, respondents, told=lambda done: progress.tell(_import_job(batch_id), done))
            batch.status, batch.finished_at = ImportStatus.DONE, timezone.now()
            batch.save(update_fields=["status", "finished_at", "row_count"])
            return batch
    except Exception as error:  # a database failure part-way: the transaction has undone every row
        logger.error("survey import %s failed: %s", batch_id, error.__class__.__name__)
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status == ImportStatus.IMPORTING:
                _import_failed(batch, reason=gettext("The import failed; nothing was saved."))
            return batch
    finally:
        progress.forget(_import_job(batch_id))


def import_progress(batch: ImportBatch) -> int:
    """Rows written so far, 0-100 %: the worker's figure while it imports."""
    return progress.percent(
        _import_job(batch.pk), total=batch.row_count, finished=batch.status != ImportStatus.IMPORTING
    )


IMPORT_CHUNK = 2000  # respondents written together; the worker tells its progress after each chunk
IMPORT_ERRORS_KEPT = 500


def _write_rows(batch: ImportBatch, respondents: list[Respondent], *, told=None) -> None:
    for start in range(0, len(respondents), IMPORT_CHUNK):
        record_responses(
            questionnaire=batch.questionnaire,
            respondents=respondents[start : start + IMPORT_CHUNK],
            source=ResponseSource.IMPORT,
            import_batch=batch,
            actor=batch.imported_by,
        )
        if told:
            told(min(start + IMPORT_CHUNK, len(respondents)))


def _import_failed(batch: ImportBatch, *, errors: list[RowError] = (), reason: str = "") -> ImportBatch:
    """Nothing written: the rows' errors (the first IMPORT_ERRORS_KEPT), or the reason the file as a whole failed."""
    batch.status, batch.finished_at = ImportStatus.FAILED, timezone.now()
    batch.errors = [{"row": e.row, "column": e.column, "message": str(e.message)} for e in errors[:IMPORT_ERRORS_KEPT]]
    batch.error_count = len(errors)
    if reason:
        batch.errors.insert(0, {"row": None, "column": "", "message": reason})
        batch.error_count += 1
    batch.save(update_fields=["status", "finished_at", "errors", "error_count"])
    return batch


def _import_job(batch_id: int) -> str:
    return f"surveys-import:{batch_id}"


def _checked_rows(file, questionnaire: Questionnaire, projects) -> tuple[ImportReport, list[Respondent]]:
    """Every row of the file checked: its errors in the report, or each row as the respondent it records."""
    prefetch_related_objects([questionnaire], "items")  # every row's answers are checked against them
    report = read_rows(file, import_columns(questionnaire))
    if not report.ok:
        return report, []
    by_name = {project.name: project for project in projects}
    customers = _customers_named_by_mobile(report.rows, by_name)
    segments = _segment_names()
    respondents = []
    for row in report.rows:
        number, errors = row["_row"], []
        project = by_name.get(str(row["project"] or "").strip())
        if project is None:
            errors.append(RowError(number, "项目", gettext("unknown project or not yours")))
        customer = None
        mobile = _row_mobile(row)
        if mobile and project is not None:
            customer = customers.get((project.company_id, mobile))
            if customer is None:
                errors.append(RowError(number, "手机号", gettext("no customer with this mobile number")))
        segment = segments.get(str(row["segment"] or "").strip())
        if row["segment"] not in (None, "") and segment is None:
            errors.append(RowError(number, "业主类型", gettext("unknown owner segment")))
        answered_on = _as_date(row["answered_on"])
        if answered_on is None:
            errors.append(RowError(number, "答题日期", gettext("not a date (YYYY-MM-DD)")))
        raw = {key.removeprefix("item:"): value for key, value in row.items() if key.startswith("item:")}
        try:
            cleaned = clean_answers(questionnaire=questionnaire, raw=raw)
        except DomainError as error:
            item = next((item for item in questionnaire.items.all() if item.code == error.field), None)
            errors.append(RowError(number, item.text if item else "", str(error.message)))
        if errors:
            report.errors.extend(errors)
            continue
        respondents.append(
            Respondent(
                cleaned,
                customer=customer,
                project=project,
                segment=segment,
                answered_at=timezone.make_aware(datetime.datetime.combine(answered_on, datetime.time(12))),
            )
        )
    return report, respondents


def _row_mobile(row: dict) -> str:
    """The row's mobile number as stored (+86 and its last eleven digits), or "" when the row has none."""
    digits = str(row["mobile"] or "").strip().removesuffix(".0")
    return f"+86{digits[-11:]}" if digits else ""


def _customers_named_by_mobile(rows: list[dict], projects_by_name: dict, *, chunk: int = 2000) -> dict:
    """The customers the rows name, a statement for every `chunk` mobiles: {(company id, mobile): customer}."""
    companies = {project.company_id for project in projects_by_name.values()}
    mobiles = sorted({mobile for mobile in map(_row_mobile, rows) if mobile})
    found = {}
    for start in range(0, len(mobiles) if companies else 0, chunk):
        customers = Customer.objects.filter(company_id__in=companies, mobile__in=mobiles[start : start + chunk])
        found.update({(customer.company_id, customer.mobile.as_e164): customer for customer in customers})
    return found


def _segment_names() -> dict[str, str]:
    """An owner segment as the firm may write it: the slug, or its Chinese or English name."""
    names = {value: value for value in RespondentSegment.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.update({str(label): value for value, label in RespondentSegment.choices})
    return names


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return None
