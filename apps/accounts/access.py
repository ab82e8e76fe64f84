"""Tenant access for views: every organization-scoped view goes through `organization_view`."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from apps.accounts.models import Membership
from apps.accounts.selectors import membership_for_user

LAST_ORGANIZATION_SESSION_KEY = "riskboard_last_org"


def organization_view(role: str = Membership.Role.VIEWER, *, allow_client: bool = False) -> Callable:
    """Resolve the URL's `org_slug` into the user's organization, or 404; check the role, or 403.

    The wrapped view receives `organization` in place of `org_slug`; `request.membership` is set
    so templates and helpers know what the user may do.

    Client viewers (bound to one client of an agency) are refused everywhere unless the view says
    `allow_client=True`; such a view must then scope everything it shows to
    `request.membership.client` (see apps/reports/views.py).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, org_slug: str, *args, **kwargs) -> HttpResponse:
            membership = membership_for_user(user=request.user, org_slug=org_slug)
            if membership.is_client_viewer:
                if not allow_client:
                    raise PermissionDenied("A client viewer can open their client's report only.")
            elif not membership.has_role(role):
                raise PermissionDenied(f"This needs the {role} role in {membership.organization}.")
            request.membership = membership
            request.organization = membership.organization
            if request.session.get(LAST_ORGANIZATION_SESSION_KEY) != org_slug:
                request.session[LAST_ORGANIZATION_SESSION_KEY] = org_slug
            return view(request, membership.organization, *args, **kwargs)

        return wrapper

    return decorator
