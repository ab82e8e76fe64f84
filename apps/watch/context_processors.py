from django.http import HttpRequest


def inbox(request: HttpRequest) -> dict:
    """The unread inbox count for the topbar: one cheap query, only on organization pages."""
    organization = getattr(request, "organization", None)
    user = getattr(request, "user", None)
    if organization is None or user is None or not user.is_authenticated:
        return {}
    from apps.watch.selectors import inbox_unread_count

    return {"watch_inbox_unread": inbox_unread_count(user=user, organization=organization)}
