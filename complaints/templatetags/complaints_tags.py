from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def countdown(delta) -> str:
    """A clock's time left as people say it: '3 h 20 min', or 'overdue 1 h 5 min'."""
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    overdue = seconds < 0
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)d d") % {"n": days})
    if hours or days:
        parts.append(_("%(n)d h") % {"n": hours})
    parts.append(_("%(n)d min") % {"n": minutes})
    text = " ".join(parts)
    return _("overdue %(time)s") % {"time": text} if overdue else text


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:g}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
