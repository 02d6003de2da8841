from django.conf import settings

from . import navigation


def navigation_items(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {
        "nav_items": navigation.items_for(user, request.path),
        "user_role_labels": [role.label for role in sorted(user.roles)],
        "languages": settings.LANGUAGES,
    }
