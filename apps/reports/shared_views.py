"""The public side of share links: no account, no link into the app, nothing but one client's report.

`/shared/<token>/` checks the token, puts the link's id in the session (never the token) and
redirects to `/shared/report/<id>/`, so the token leaves the address bar and browser history at
once. That page checks again on every request that the session holds the id and that the link is
still active: a revoked or expired link answers 410 also to a browser that opened it before.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from apps.reports import charts, selectors, services
from apps.reports.models import ShareLink
from apps.reports.sections import report_build

SESSION_KEY = "riskboard_share_links"


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _gone(request: HttpRequest, status: int) -> HttpResponse:
    message = "This link has ended." if status == 410 else "There is no such link."
    return _private(render(request, "reports/shared_gone.html", {"message": message}, status=status))


@require_GET
def shared_open(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_for_token(raw=token)
    if link is None:
        return _gone(request, 404)
    if not link.is_active:
        return _gone(request, 410)
    granted = [i for i in request.session.get(SESSION_KEY, []) if i != link.pk][-19:]
    request.session[SESSION_KEY] = [*granted, link.pk]
    return _private(redirect("shared:report", link_id=link.pk))


@require_GET
def shared_report(request: HttpRequest, link_id: int) -> HttpResponse:
    if link_id not in request.session.get(SESSION_KEY, []):
        return _gone(request, 404)
    link = ShareLink.objects.select_related("organization", "client").filter(pk=link_id).first()
    if link is None:
        return _gone(request, 404)
    if not link.is_active:
        return _gone(request, 410)
    services.share_link_record_open(link=link)
    if link.mode == ShareLink.Mode.FROZEN and link.snapshot:
        report = link.snapshot
    else:
        report = report_build(organization=link.organization, client=link.client)
    context = {"report": report, "figures": charts.report_figures(report), "link": link}
    return _private(render(request, "reports/shared.html", context))
