"""Whether a user may open a dashboard page, asked of the page's own view before a link to it is shown."""

from django.urls import NoReverseMatch, Resolver404, resolve, reverse


def may_open(user, url_name: str, *args, **kwargs) -> bool:
    """The view's `may_open(user)` decides (PolicyMixin's asks the same policy its dispatch does).

    A page whose view declares no such check is open to every signed-in user.
    """
    try:
        path = reverse(url_name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return False
    return may_open_path(user, path)


def may_open_path(user, path: str) -> bool:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    view_class = getattr(match.func, "view_class", None)
    check = getattr(view_class, "may_open", None)
    if check is None:
        return bool(user and user.is_authenticated)
    return check(user)
