"""The owner portal's writes. The owner portal has no rules of its own: sign-in is its only concern; every
repair, complaint, rating and consent goes through the service of the app that owns the rule."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from complaints import services as complaints
from complaints.choices import Channel
from complaints.services.photos import attach_photos, clean_photo, max_photos
from complaints.services.ratings import rate_complaint, rate_repair
from core.errors import DomainError
from members.services import set_message_consent
from touchpoints import messaging

from . import selectors
from .choices import ErasureStatus, SessionKind
from .identity import Owner
from .models import ErasureRequest, OwnerSession, SignInCode


class TooManyRequests(DomainError):
    status_code = 429
    default_code = "too_many_requests"


def setting(name: str):
    defaults = {
        "OWNER_CODE_TTL_MINUTES": 5,
        "OWNER_CODES_PER_MINUTE": 1,
        "OWNER_CODES_PER_HOUR": 5,
        "OWNER_CODE_MAX_TRIES": 5,
        "OWNER_WEB_SESSION_HOURS": 12,
        "OWNER_API_TOKEN_DAYS": 30,
    }
    return getattr(settings, name, defaults[name])


# ---------------------------------------------------------------- sign-in by one-time code


def request_code(*, mobile: str, client_address: str | None) -> None:
    """Send a 6-digit code to the number if an owner has it; answer alike either way (no enumeration).

    At most 1 code a minute and 5 an hour per number and per client address.
    """
    now = timezone.now()
    _refuse_when_throttled(mobile=mobile, client_address=client_address, now=now)
    code = f"{secrets.randbelow(10**6):06d}"
    customers = list(selectors.owner_customers(mobile))
    with transaction.atomic():
        # Any earlier code of the number stops working: only the newest may be used.
        earlier = SignInCode.objects.filter(mobile=mobile, used_at__isnull=True, voided_at__isnull=True)
        messaging.conceal(dedupe_keys=[_occasion(pk) for pk in earlier.values_list("pk", flat=True)])
        earlier.update(voided_at=now)
        row = SignInCode.objects.create(
            mobile=mobile,
            client_address=client_address,
            code_hash=_hash(mobile, code),
            sent=bool(customers),
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=setting("OWNER_CODE_TTL_MINUTES")),
        )
        if customers:
            messaging.queue_message(
                customer=customers[0],
                purpose=messaging.REQUESTED_BY_CUSTOMER + "owner_sign_in",
                dedupe_key=_occasion(row.pk),
                body=_(
                    "Your Vanke owner sign-in verification code is %(code)s, valid for %(minutes)s minutes. "
                    "Do not tell anyone."
                )
                % {"code": code, "minutes": setting("OWNER_CODE_TTL_MINUTES")},
            )


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a token, or the refusal. Returned, not raised, so that a wrong try is counted
    even though the request is refused."""

    token: str | None = None
    session: OwnerSession | None = None
    error: str = ""


def sign_in(*, mobile: str, code: str, kind: str = SessionKind.WEB) -> SignIn:
    """Check the number's newest live code: single use, valid 5 minutes, void after 5 wrong tries."""
    refusal = _("This code is wrong or no longer valid. Ask for a new one.")
    now = timezone.now()
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(mobile=mobile, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            return SignIn(error=refusal)
        if not (row.sent and constant_time_compare(row.code_hash, _hash(mobile, str(code).strip()))):
            row.failed_attempts += 1
            if row.failed_attempts >= setting("OWNER_CODE_MAX_TRIES"):
                row.voided_at = now
                messaging.conceal(dedupe_keys=[_occasion(row.pk)])
            row.save(update_fields=["failed_attempts", "voided_at"])
            return SignIn(error=refusal)
        row.used_at = now
        row.save(update_fields=["used_at"])
        messaging.conceal(dedupe_keys=[_occasion(row.pk)])
        if not selectors.owner_customers(mobile).exists():
            return SignIn(error=refusal)
        token, session = start_session(mobile=mobile, kind=kind)
    return SignIn(token=token, session=session)


def start_session(*, mobile: str, kind: str) -> tuple[str, OwnerSession]:
    token = secrets.token_urlsafe(32)
    lifetime = (
        datetime.timedelta(hours=setting("OWNER_WEB_SESSION_HOURS"))
        if kind == SessionKind.WEB
        else datetime.timedelta(days=setting("OWNER_API_TOKEN_DAYS"))
    )
    now = timezone.now()
    session = OwnerSession.objects.create(
        mobile=mobile, kind=kind, token_hash=_token_hash(token), created_at=now, expires_at=now + lifetime
    )
    return token, session


def owner_for_token(token: str | None, *, kind: str) -> Owner | None:
    """The owner a cookie or API token stands for, or None when it is unknown, expired or ended."""
    if not token:
        return None
    session = (
        OwnerSession.objects.filter(
            token_hash=_token_hash(token), kind=kind, ended_at__isnull=True, expires_at__gt=timezone.now()
        )
        .only("pk", "mobile")
        .first()
    )
    if session is None:
        return None
    ids = tuple(selectors.owner_customers(str(session.mobile)).values_list("pk", flat=True))
    if not ids:
        return None
    return Owner(mobile=str(session.mobile), customer_ids=ids, session_id=session.pk)


def sign_out(*, owner: Owner) -> None:
    OwnerSession.objects.filter(pk=owner.session_id, ended_at__isnull=True).update(ended_at=timezone.now())


def purge_sign_in_records(*, now=None) -> int:
    """Numbers and client addresses are kept only as long as the throttles need them: codes older than a day,
    and sessions a day after they ended or expired, are deleted (running it twice deletes nothing more)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=1)
    codes, _ = SignInCode.objects.filter(created_at__lt=cutoff).delete()
    sessions, _ = OwnerSession.objects.filter(expires_at__lt=cutoff).delete()
    ended, _ = OwnerSession.objects.filter(ended_at__lt=cutoff).delete()
    return codes + sessions + ended


def _refuse_when_throttled(*, mobile, client_address, now) -> None:
    limits = (
        (datetime.timedelta(minutes=1), setting("OWNER_CODES_PER_MINUTE")),
        (datetime.timedelta(hours=1), setting("OWNER_CODES_PER_HOUR")),
    )
    for window, limit in limits:
        recent = SignInCode.objects.filter(created_at__gt=now - window)
        if recent.filter(mobile=mobile).count() >= limit or (
            client_address and recent.filter(client_address=client_address).count() >= limit
        ):
            raise TooManyRequests(_("Too many codes asked for. Please wait a little and try again."))


def _occasion(code_id: int) -> str:
    return f"owner-sign-in:{code_id}"


def _hash(mobile: str, code: str) -> str:
    return salted_hmac("owners.sign-in-code", f"{mobile}:{code}", algorithm="sha256").hexdigest()


def _token_hash(token: str) -> str:
    return salted_hmac("owners.session", token, algorithm="sha256").hexdigest()


# ---------------------------------------------------------------- repairs and complaints


@transaction.atomic
def report_repair(
    *,
    owner: Owner,
    unit_id: int,
    description: str,
    component_type=None,
    photos=(),
    preferred_times=(),
    confirm_duplicates: bool = False,
):
    """A repair request: received as a complaint from the owner portal (C1 duplicate check, C5 receipt and
    clocks) with its repair order, the component's warranty judged, the photos attached."""
    purchase = selectors.owner_purchase(owner, unit_id)
    photos = list(photos)
    if len(photos) > max_photos():
        raise DomainError(
            _("At most %(count)s photos per repair.") % {"count": max_photos()}, code="too_many_photos", field="photos"
        )
    for photo in photos:
        clean_photo(photo)  # refuse a bad file before anything is written
    if not description.strip():
        raise DomainError(_("Describe what needs repairing."), field="description")
    text = description.strip()
    if preferred_times:
        text += "\n" + _("Preferred times: %(times)s") % {"times": ", ".join(str(t) for t in preferred_times)}
    subject = component_type.name if component_type else _("Repair")
    complaint = complaints.receive_complaint(
        actor=None,
        project=purchase.project,
        channel=Channel.OWNER_PORTAL,
        customer=purchase.customer,
        unit=purchase.unit,
        category="quality",
        title=_("Repair: %(what)s") % {"what": subject},
        content=text,
        demand=_("Repair"),
        confirm_duplicates=confirm_duplicates,
    )
    order = complaints.report_repair(
        actor=None,
        unit=purchase.unit,
        description=text,
        customer=purchase.customer,
        component_type=component_type,
        complaint=complaint,
    )
    attach_photos(order=order, uploads=photos)
    return order


@transaction.atomic
def raise_complaint(
    *,
    owner: Owner,
    unit_id: int,
    title: str,
    content: str,
    demand: str = "",
    category=None,
    suggestion: bool = False,
    confirm_duplicates: bool = False,
):
    """A complaint or a suggestion from the owner portal, received under rule C1 with its C5 receipt."""
    purchase = selectors.owner_purchase(owner, unit_id)
    if suggestion:
        title = _("Suggestion: %(title)s") % {"title": title}
    return complaints.receive_complaint(
        actor=None,
        project=purchase.project,
        channel=Channel.OWNER_PORTAL,
        customer=purchase.customer,
        unit=purchase.unit,
        category=category,
        title=title.strip(),
        content=content.strip(),
        demand=demand.strip(),
        confirm_duplicates=confirm_duplicates,
    )


def rate(*, owner: Owner, record, score: int, comment: str = ""):
    """The owner's rating of their own resolved complaint or completed repair (the workflow decides when)."""
    if record._meta.model_name == "complaint":
        return rate_complaint(complaint=record, actor=record.customer, score=score, comment=comment)
    return rate_repair(order=record, actor=record.customer, score=score, comment=comment)


# ---------------------------------------------------------------- privacy


def set_consent(*, owner: Owner, consents: bool) -> None:
    """Rule M3: honoured at once, for every customer record of the owner. The owner's own channel: no
    member of staff is the actor, the change reason says who."""
    for customer in selectors.customers_of(owner):
        customer._change_reason = "owner portal"
        set_message_consent(customer=customer, consents=consents, actor=None)


@transaction.atomic
def request_erasure(*, owner: Owner, reason: str = "") -> list[ErasureRequest]:
    requests = []
    for customer in selectors.customers_of(owner):
        request, _created = ErasureRequest.objects.get_or_create(
            customer=customer, status=ErasureStatus.REQUESTED, defaults={"reason": reason.strip()}
        )
        requests.append(request)
    return requests


@transaction.atomic
def handle_erasure(*, request: ErasureRequest, actor, status: str, outcome: str) -> ErasureRequest:
    """Staff record what was done about an erasure request; the history keeps who and when."""
    if request.status != ErasureStatus.REQUESTED:
        raise DomainError(_("This request has already been handled."), code="already_handled")
    if status not in (ErasureStatus.DONE, ErasureStatus.REFUSED):
        raise DomainError(_("Say whether the data was erased or why not."), field="status")
    if not outcome.strip():
        raise DomainError(_("Record what was erased, or why not."), field="outcome")
    request.status, request.outcome = status, outcome.strip()
    request.handled_by, request.handled_at = actor, timezone.now()
    request._history_user = actor
    request.save()
    return request
