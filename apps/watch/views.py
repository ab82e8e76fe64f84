"""Watch pages: the signals timeline, vendor pages with their cadence, sources, alert rules, inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.access import organization_view
from apps.accounts.models import Membership, Organization
from apps.common.forms import apply_validation_error
from apps.common.http import HtmxHttpRequest, partial
from apps.common.pagination import paginate
from apps.common.vocab import SEVERITY_CHOICES, SIGNAL_KIND_CHOICES
from apps.inventory.models import Vendor
from apps.inventory.selectors import vendor_risks_for_organization
from apps.watch import charts, selectors
from apps.watch.cadence import cadence_of
from apps.watch.forms import AlertRuleForm, SignalForm, SourceForm
from apps.watch.models import AlertRule, Signal
from apps.watch.services import alerts, signals, sources
from apps.watch.sources import InvalidSourceSpec

EDITOR = Membership.Role.EDITOR
ADMIN = Membership.Role.ADMIN


def _index_url(organization: Organization) -> str:
    return reverse("watch:index", kwargs={"org_slug": organization.slug})


@require_GET
@organization_view()
def index(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    filters = {key: request.GET.get(key, "") for key in selectors.SIGNAL_FILTERS}
    page = paginate(request, selectors.signal_list_filtered(organization=organization, filters=filters))
    context = {
        "organization": organization,
        "page": page,
        "filters": filters,
        "kinds": SIGNAL_KIND_CHOICES,
        "severities": SEVERITY_CHOICES,
        "statuses": Signal.Status.choices,
        "vendors": Vendor.objects.all(),
        "counts": selectors.signal_counts_by_status(organization=organization),
    }
    return render(request, partial("watch/signal_list.html", request, "results"), context)


@require_POST
@organization_view(EDITOR)
def signal_status(request: HtmxHttpRequest, organization: Organization, signal_id: int) -> HttpResponse:
    signal = selectors.signal_for_organization(organization=organization, signal_id=signal_id)
    try:
        signals.signal_set_status(signal=signal, status=request.POST.get("status", ""), user=request.user)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422)
    if request.htmx:
        return render(
            request, "watch/signal_list.html#signal-row", {"organization": organization, "signal": signal}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = _index_url(organization)
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
@organization_view(EDITOR)
def signal_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = SignalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signals.signal_record(
                organization=organization,
                user=request.user,
                kind=data["kind"],
                subject=data["subject"],
                vendor=data["vendor"],
                severity=data["severity"],
                observed_at=data["observed_at"],
                note=data["note"],
                url=data["url"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Signal recorded.")
            return redirect(_index_url(organization))
    status = 422 if request.method == "POST" else 200
    return render(
        request, "watch/signal_form.html", {"organization": organization, "form": form}, status=status
    )


@require_GET
@organization_view()
def vendor_detail(request: HtmxHttpRequest, organization: Organization, vendor_slug: str) -> HttpResponse:
    vendor = selectors.vendor_by_slug(slug=vendor_slug)
    releases = selectors.vendor_releases(organization=organization, vendor=vendor)
    now = timezone.now()
    cadence = cadence_of(release.released_at for release in releases)
    context = {
        "organization": organization,
        "vendor": vendor,
        "risk": vendor_risks_for_organization(organization=organization)[vendor.id],
        "releases": releases[:50],
        "cadence": cadence,
        "cadence_points": charts.cadence_points(cadence, now=now) if cadence else None,
        "cadence_chart": charts.release_intervals_against_slip_threshold(cadence, now=now)
        if cadence
        else None,
        "signals": selectors.signal_list_filtered(organization=organization, filters={"vendor": vendor.slug})[
            :20
        ],
    }
    return render(request, "watch/vendor_detail.html", context)


@require_http_methods(["GET", "POST"])
@organization_view()
def source_list(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    form = SourceForm(request.POST or None, organization=organization)
    status = 200
    if request.method == "POST":
        if not request.membership.can_edit:
            return HttpResponse("Adding a source needs the editor role.", status=403)
        if form.is_valid():
            try:
                sources.source_create(organization=organization, **form.cleaned_data)
            except (ValidationError, InvalidSourceSpec) as error:
                apply_validation_error(
                    form, error if isinstance(error, ValidationError) else ValidationError(str(error))
                )
            else:
                messages.success(
                    request, f"Watching {form.cleaned_data['spec']}; it is polled on the next round."
                )
                return redirect("watch:source_list", org_slug=organization.slug)
        status = 422
    context = {
        "organization": organization,
        "sources": selectors.sources_for_organization(organization=organization),
        "form": form,
    }
    return render(request, partial("watch/source_list.html", request, "add-source"), context, status=status)


@require_POST
@organization_view(EDITOR)
def source_toggle(request: HtmxHttpRequest, organization: Organization, source_id: int) -> HttpResponse:
    source = selectors.source_for_organization(organization=organization, source_id=source_id)
    sources.source_update(
        source=source, enabled=not source.enabled, poll_interval_minutes=source.poll_interval_minutes
    )
    return redirect("watch:source_list", org_slug=organization.slug)


@require_GET
@organization_view(ADMIN)
def rule_list(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    context = {
        "organization": organization,
        "rules": selectors.alert_rules_for_organization(organization=organization),
        "new_secret": request.session.pop("watch_new_webhook_secret", None),
    }
    return render(request, "watch/rule_list.html", context)


def _rule_form_page(request: HtmxHttpRequest, organization: Organization, rule: AlertRule) -> HttpResponse:
    form = AlertRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            rule, secret = alerts.alert_rule_save(
                rule=form.save(commit=False), rotate_secret=form.cleaned_data["rotate_secret"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if secret:
                # Shown once, on the next page, then forgotten by the session.
                request.session["watch_new_webhook_secret"] = {"rule": rule.name, "secret": secret}
            messages.success(request, f"Alert rule “{rule.name}” saved.")
            return redirect("watch:rule_list", org_slug=organization.slug)
    status = 422 if request.method == "POST" else 200
    context = {"organization": organization, "form": form, "rule": rule}
    return render(request, "watch/rule_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@organization_view(ADMIN)
def rule_create(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    return _rule_form_page(
        request, organization, AlertRule(organization=organization, created_by=request.user)
    )


@require_http_methods(["GET", "POST"])
@organization_view(ADMIN)
def rule_edit(request: HtmxHttpRequest, organization: Organization, rule_id: int) -> HttpResponse:
    rule = selectors.alert_rule_for_organization(organization=organization, rule_id=rule_id)
    return _rule_form_page(request, organization, rule)


@require_POST
@organization_view(ADMIN)
def rule_delete(request: HtmxHttpRequest, organization: Organization, rule_id: int) -> HttpResponse:
    rule = selectors.alert_rule_for_organization(organization=organization, rule_id=rule_id)
    alerts.alert_rule_delete(rule=rule)
    messages.success(request, f"Alert rule “{rule.name}” deleted.")
    return redirect("watch:rule_list", org_slug=organization.slug)


@require_GET
@organization_view()
def inbox(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    page = paginate(request, selectors.inbox_for_user(user=request.user, organization=organization))
    return render(
        request, partial("watch/inbox.html", request, "results"), {"organization": organization, "page": page}
    )


@require_POST
@organization_view()
def inbox_read(request: HtmxHttpRequest, organization: Organization) -> HttpResponse:
    notification_id = request.POST.get("notification", "")
    alerts.inbox_mark_read(
        user=request.user,
        organization=organization,
        notification_id=int(notification_id) if notification_id.isdigit() else None,
    )
    return redirect("watch:inbox", org_slug=organization.slug)
