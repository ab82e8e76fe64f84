from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.accounts.selectors import memberships_for_user


def current_organization(request: HttpRequest) -> dict:
    """The organization the page belongs to and the user's other ones, for the switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "current_org": getattr(request, "organization", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": SimpleLazyObject(lambda: list(memberships_for_user(user=user))),
    }
