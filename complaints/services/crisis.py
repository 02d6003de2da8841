"""Crises (一级投诉, rule C8): the crisis team is alerted at once, a record is opened and tracked until closed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import User
from core.roles import Role

from ..choices import EventKind
from ..models import CrisisAction, CrisisRecord
from ..workflow import CRISIS_FLOW
from .common import event, save, settings_for
from .inbox import notify


@transaction.atomic
def open_crisis(*, complaint, actor) -> CrisisRecord:
    """Alert the crisis team at once and open the crisis record (once per complaint)."""
    crisis, created = CrisisRecord.objects.get_or_create(complaint=complaint)
    if created:
        team = crisis_team(complaint)
        notify(team, _("CRISIS: %(title)s") % {"title": complaint.title}, complaint=complaint, body=complaint.content)
        event(
            complaint,
            EventKind.CRISIS,
            actor,
            note=", ".join(str(user) for user in team),
            data={"alerted": [user.pk for user in team]},
        )
    return crisis


def crisis_team(complaint) -> list:
    """The company's configured crisis team; without one, the customer-relations heads and the project's
    area managers."""
    config = settings_for(complaint.project.company)
    team = list(config.crisis_team.filter(is_active=True))
    if not team:
        team = list(
            User.objects.filter(is_active=True)
            .filter(
                Q(groups__name=Role.CR_HEAD.value) | Q(groups__name=Role.AREA_MANAGER.value, projects=complaint.project)
            )
            .distinct()
        )
    return team


@transaction.atomic
def add_crisis_action(*, crisis, actor, description: str) -> CrisisAction:
    """An action taken or a decision made while the crisis is open."""
    crisis = CrisisRecord.objects.select_for_update().select_related("complaint__project").get(pk=crisis.pk)
    CRISIS_FLOW.take(crisis, "record-action", actor)
    if not description.strip():
        raise DomainError(_("Describe the action taken."), field="description")
    return CrisisAction.objects.create(crisis=crisis, actor=actor, description=description.strip())


@transaction.atomic
def close_crisis(*, crisis, actor, conclusion: str) -> CrisisRecord:
    crisis = CrisisRecord.objects.select_for_update().select_related("complaint__project").get(pk=crisis.pk)
    CRISIS_FLOW.take(crisis, "close", actor)
    if not conclusion.strip():
        raise DomainError(_("Record the conclusion."), field="conclusion")
    crisis.closed_at, crisis.conclusion = timezone.now(), conclusion.strip()
    save(crisis, actor)
    event(
        crisis.complaint,
        EventKind.CRISIS,
        actor,
        note=_("Crisis closed: %(conclusion)s") % {"conclusion": crisis.conclusion},
        data={"closed": True},
    )
    return crisis
