"""Workflows as data: every action of a record's life declared once, in one table.

An `Action` says which states it leaves from and goes to, which roles may take it, what must hold
on the record first (its conditions, each with the reason it gives), any further check of the
actor, its input form, the service that does the work and the rule it serves. From one `Workflow`
table the rest is derived:

- the django-fsm transitions of the model (`Workflow.transitions()`, a mixin of the model class);
- the checks every service makes before it changes the record (`Workflow.take`): 403 with the
  reason for an actor who may not act, 409 with the actions open now for a state or condition
  that does not allow it;
- the API's action endpoints (core.api.workflow), the dashboard's buttons and forms, and the
  admin actions (core.admin.workflow_actions).

Adding a step to a flow is one entry in its table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django_fsm import transition

from .errors import ActionForbidden, TransitionNotAllowed
from .roles import Role


@dataclass(frozen=True)
class Condition:
    """Something that must hold on the record, and what the refusal says when it does not."""

    holds: Callable[[object], bool]
    reason: str


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type[forms.Form]
    perform: str
    roles: frozenset[Role]
    sources: tuple[str, ...]
    target: str | None = None
    conditions: tuple[Condition, ...] = ()
    actor_refusal: Callable[[object, object], str | None] | None = None
    rule: str = ""
    help: str = ""
    # Taken by the record's own customer (the owner portal), never by staff: no staff endpoint, button or
    # admin action is derived from it.
    by_customer: bool = False

    @property
    def method(self) -> str:
        """The model method of the transition: `record-plan` → `record_plan`."""
        return self.name.replace("-", "_")

    @property
    def changes_state(self) -> bool:
        return self.target is not None


@dataclass
class Workflow:
    """One record type's actions. `record` is the keyword its services take the record by."""

    model_label: str
    record: str
    actions: Iterable[Action]
    field_name: str = "state"
    by_name: dict[str, Action] = field(init=False)

    def __post_init__(self):
        self.actions = tuple(self.actions)
        self.by_name = {action.name: action for action in self.actions}

    def __iter__(self):
        return iter(self.actions)

    def __getitem__(self, name: str) -> Action:
        return self.by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self.by_name

    # ------------------------------------------------------------------ what is possible

    def state_of(self, record) -> str:
        return getattr(record, self.field_name)

    def state_refusal(self, record, action: Action) -> str | None:
        """Why the record's state or a condition does not allow the action now (None: it does)."""
        if self.state_of(record) not in action.sources:
            return gettext("“%(action)s” is not possible while the record is “%(state)s”.") % {
                "action": action.label,
                "state": self._state_label(record),
            }
        for condition in action.conditions:
            if not condition.holds(record):
                return str(condition.reason)
        return None

    def actor_refusal(self, record, action: Action, user) -> str | None:
        """Why this user may not take the action on this record (None: they may)."""
        if action.by_customer:
            return _customer_refusal(record, action, user)
        if not (user and getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*action.roles)):
            return gettext("Your role may not “%(action)s”.") % {"action": action.label}
        if action.actor_refusal is not None:
            return action.actor_refusal(record, user)
        return None

    def possible(self, record) -> list[Action]:
        """The actions the record's state and conditions allow now, whoever asks."""
        return [action for action in self.actions if self.state_refusal(record, action) is None]

    def available(self, record, user) -> list[Action]:
        """The actions this user can take on the record now."""
        open_now = []
        for action in self.actions:
            if action.by_customer and _customer_refusal(record, action, user):
                continue  # not this user's to take: its conditions (queries, perhaps) need not be read
            if self.state_refusal(record, action) is None and self.actor_refusal(record, action, user) is None:
                open_now.append(action)
        return open_now

    def staff_actions(self) -> list[Action]:
        """The actions staff take (the customer's own are taken in the owner portal only)."""
        return [action for action in self.actions if not action.by_customer]

    # ------------------------------------------------------------------ taking an action

    def take(self, record, name: str, actor, *, check_actor: bool = True) -> str:
        """Check the action against the actor and the record, then move the state; returns the old state.

        The caller holds the record's row lock. An actor who may not act gets ActionForbidden (403)
        with the reason; a state or condition that does not allow it, TransitionNotAllowed (409)
        with the actions open to this actor now. `check_actor=False` is for moves the rules make by
        themselves (a dissatisfied return visit reopens the complaint).
        """
        action = self[name]
        if check_actor:
            refusal = self.actor_refusal(record, action, actor)
            if refusal:
                raise ActionForbidden(refusal)
        refusal = self.state_refusal(record, action)
        if refusal:
            open_now = self.available(record, actor) if check_actor else self.possible(record)
            raise TransitionNotAllowed(
                refusal, extra={"state": self.state_of(record), "allowed_actions": [other.name for other in open_now]}
            )
        before = self.state_of(record)
        if action.changes_state:
            getattr(record, action.method)()
        return before

    def service(self, name: str) -> Callable:
        return self._services[name]

    def perform(self, record, name: str, actor, data: dict):
        """Call the action's service, as every face does: service(<record>=record, actor=actor, **data)."""
        return self.service(name)(**{self.record: record}, actor=actor, **data)

    # ------------------------------------------------------------------ derived pieces

    def transitions(self) -> type:
        """A mixin for the model class: one django-fsm transition per state-changing action."""
        methods = {}
        for action in self.actions:
            if not action.changes_state:
                continue
            methods[action.method] = transition(
                field=self.field_name,
                source=list(action.sources),
                target=action.target,
                conditions=[condition.holds for condition in action.conditions],
                permission=_permission(self, action),
            )(_noop(action))
        return type(f"{self.model_label.split('.')[-1]}Transitions", (), methods)

    def form_for(self, name: str, *, record=None, user=None, data=None, prefix: str | None = None) -> forms.Form:
        """The action's input form, bound to `data` when given; forms may narrow choices by record and user."""
        form_class = self[name].form
        kwargs = {"data": data, "prefix": prefix}
        if getattr(form_class, "takes_context", False):
            kwargs.update(record=record, user=user)
        return form_class(**kwargs)

    @cached_property
    def _services(self) -> dict[str, Callable]:
        return {action.name: import_string(action.perform) for action in self.actions}

    def _state_label(self, record) -> str:
        display = getattr(record, f"get_{self.field_name}_display", None)
        return str(display()) if display else str(self.state_of(record))


def _customer_refusal(record, action: Action, actor) -> str | None:
    """A customer's own action: only the record's customer (a members.Customer, never a staff member) takes it."""
    from .models import User

    customer_id = getattr(record, "customer_id", None)
    if isinstance(actor, User) or customer_id is None or getattr(actor, "pk", None) != customer_id:
        return gettext("Only the customer may “%(action)s”, in the owner portal.") % {"action": action.label}
    return None


def _noop(action: Action):
    def move(self):
        """The state change itself; the service around it does the work."""

    move.__name__ = action.method
    move.__doc__ = str(action.label)
    return move


def _permission(flow: Workflow, action: Action):
    def allowed(record, user) -> bool:
        return flow.actor_refusal(record, action, user) is None

    return allowed
