from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.models import Organization
from apps.common.navigation import SECTIONS_BY_KEY


def render_section_preview(
    request: HttpRequest, organization: Organization, section_key: str
) -> HttpResponse:
    """The page of a section whose capability has not landed yet: what it will do and what feeds it."""
    section = SECTIONS_BY_KEY[section_key]
    return render(request, "common/section_preview.html", {"organization": organization, "section": section})


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for docker-compose and load balancers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the static SVG."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.svg"), permanent=True)
