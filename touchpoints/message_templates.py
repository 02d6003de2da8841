"""What each message template may say: the {variables} its occasion fills in, checked when a template is
saved (in the admin or through the API) and shown filled with sample data as a preview.

Each app registers the templates it sends (touchpoints here, complaints in its AppConfig.ready); a
template with a code no occasion uses may greet the customer by {name} and nothing else.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Variable:
    name: str
    label: str
    sample: str


NAME = Variable("name", gettext_lazy("the customer's name"), "张先生")
PROJECT = Variable("project", gettext_lazy("the project"), "万科城市花园")
UNIT = Variable("unit", gettext_lazy("the unit"), "3栋1202")
HOTLINE = Variable("hotline", gettext_lazy("the service hotline"), "400-800-0000")

_CATALOGUE: dict[str, tuple[Variable, ...]] = {}


def register(code: str, *variables: Variable) -> None:
    """The variables the occasion that sends template `code` fills in."""
    _CATALOGUE[code] = tuple(variables)


def variables_of(code: str) -> tuple[Variable, ...]:
    return _CATALOGUE.get(code, (NAME,))


def problems(code: str, body: str) -> list[str]:
    """What is wrong with `body` as the text of template `code`: broken braces or unknown variables."""
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(body)]
    except ValueError:
        return [_("A brace is not closed or not opened: write a variable as {name}, a brace itself as {{ or }}.")]
    allowed = {variable.name for variable in variables_of(code)}
    found = [name for name, _spec, _conversion in fields if name is not None]
    errors = []
    if any(not name for name in found):
        errors.append(_("Empty braces {} name no variable."))
    unknown = sorted({name for name in found if name and name not in allowed})
    if unknown:
        errors.append(
            _("Unknown variables: %(unknown)s. This template may use: %(allowed)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "allowed": ", ".join(f"{{{variable.name}}}" for variable in variables_of(code)),
            }
        )
    if any(spec or conversion for name, spec, conversion in fields if name):
        errors.append(_("Write a variable as a plain {name}, without a format after it."))
    return errors


def preview(code: str, body: str) -> str:
    """The text as a customer would read it, the variables filled with sample data ("" while it has problems)."""
    if problems(code, body):
        return ""
    return body.format(**{variable.name: variable.sample for variable in variables_of(code)})


def help_text(code: str) -> str:
    return ", ".join(f"{{{variable.name}}} {variable.label}" for variable in variables_of(code))


register("subscription_welcome", NAME, PROJECT, UNIT, HOTLINE)
register("birthday_greeting", NAME, PROJECT, UNIT, HOTLINE)
register(
    "warranty_expiry",
    NAME,
    PROJECT,
    UNIT,
    HOTLINE,
    Variable("component", gettext_lazy("the component"), "外墙涂料"),
    Variable("date", gettext_lazy("the expiry date"), "12月31日"),
)
register(
    "warranty_community_notice",
    HOTLINE,
    Variable("component", gettext_lazy("the component"), "外墙涂料"),
    Variable("month", gettext_lazy("the expiry month"), "2027年1月"),
)
