"""{% may_open "complaints:handbook" as can_open_handbook %}: show a link only to those who may follow it."""

from django import template

from core.pages import may_open as user_may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name, *args):
    return user_may_open(context["request"].user, url_name, *args)
