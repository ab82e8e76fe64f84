"""Watch pages: who may see and do what, and what they show."""

import pytest
from django.urls import reverse

from apps.watch.models import AlertRule, Notification, Signal, Source
from tests.watch.factories import alert_rule, contract_signal, import_signals, stored_signal

pytestmark = pytest.mark.django_db


def url(name: str, organization, **kwargs) -> str:
    return reverse(f"watch:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def test_the_timeline_filters_by_kind_severity_vendor_and_status_with_shareable_urls(
    viewer_client, organization
):
    import_signals(
        organization,
        [
            contract_signal(),
            contract_signal(
                kind="new_release", subject="Qwen/Qwen4-8B", vendor="alibaba", severity="info", detail={}
            ),
        ],
    )

    everything = viewer_client.get(url("index", organization))
    licences = viewer_client.get(
        url("index", organization) + "?kind=license_change&vendor=meta&severity=critical"
    )
    none = viewer_client.get(url("index", organization) + "?status=noise")

    assert everything.status_code == 200
    assert sorted(s.subject for s in everything.context["page"].object_list) == [
        "Qwen/Qwen4-8B",
        "meta-llama/Llama-3.1-8B-Instruct",
    ]
    assert [s.kind for s in licences.context["page"].object_list] == ["license_change"]
    assert b"llama3.1 \xe2\x86\x92 other" in licences.content
    assert list(none.context["page"].object_list) == []
    assert b"match these filters" in none.content


def test_htmx_asks_for_the_results_only(viewer_client, organization):
    stored_signal(organization)

    response = viewer_client.get(url("index", organization), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b'id="results"' in response.content
    assert b"<html" not in response.content


def test_an_editor_acknowledges_or_marks_noise_and_a_viewer_cannot(client, editor, viewer, organization):
    signal = stored_signal(organization)
    client.force_login(viewer)
    assert (
        client.post(url("signal_status", organization, signal_id=signal.pk), {"status": "noise"}).status_code
        == 403
    )

    client.force_login(editor)
    response = client.post(url("signal_status", organization, signal_id=signal.pk), {"status": "noise"})
    htmx = client.post(
        url("signal_status", organization, signal_id=signal.pk),
        {"status": "acknowledged"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 302
    assert htmx.status_code == 200 and f'id="signal-{signal.pk}"'.encode() in htmx.content
    signal.refresh_from_db()
    assert (signal.status, signal.status_changed_by) == ("acknowledged", editor)


LEADERSHIP_CHANGE = {
    "kind": "leadership_change",
    "vendor": "alibaba",
    "subject": "Qwen technical lead leaves",
    "severity": "warning",
    "observed_on": "2026-11-20",
    "url": "https://example.com/news",
    "note": "Joins a proprietary lab.",
}


def test_an_editor_records_a_leadership_change_by_hand(editor_client, editor, organization):
    response = editor_client.post(url("signal_create", organization), LEADERSHIP_CHANGE)
    again = editor_client.post(url("signal_create", organization), LEADERSHIP_CHANGE)

    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.kind, signal.source_spec, signal.recorded_by, signal.vendor.slug) == (
        "leadership_change",
        "manual",
        editor,
        "alibaba",
    )
    assert signal.detail == {"note": "Joins a proprietary lab.", "url": "https://example.com/news"}
    assert again.status_code == 422 and b"already recorded" in again.content


def test_a_viewer_cannot_record_signals(viewer_client, organization):
    assert viewer_client.get(url("signal_create", organization)).status_code == 403


def test_an_invalid_signal_form_is_shown_again_with_errors(editor_client, organization):
    response = editor_client.post(url("signal_create", organization), {"kind": "leadership_change"})

    assert response.status_code == 422
    assert response.context["form"].errors["subject"]


def test_the_vendor_page_shows_release_history_and_the_cadence_against_the_slip_threshold(
    viewer_client, organization
):
    Source.objects.create(
        organization=organization,
        spec="hf:Qwen",
        kind="hf",
        snapshot={
            "kind": "hf",
            "org": "Qwen",
            "vendor": "alibaba",
            "models": {
                f"Qwen/Q-{day}": {"created_at": f"2025-{month:02d}-{day:02d}T10:00:00Z"}
                for month, day in [(1, 10), (2, 10), (3, 12), (4, 10)]
            },
        },
    )

    response = viewer_client.get(url("vendor_detail", organization, vendor_slug="alibaba"))

    assert response.status_code == 200
    points = response.context["cadence_points"]
    assert points["slipping"] is True
    assert points["labels"][-1] == "now"
    assert points["days"][-1] > points["threshold_days"]
    assert b"Slipping" in response.content
    assert b"data-plotly-figure" in response.content
    assert b"Qwen/Q-12" in response.content


def test_an_unknown_vendor_is_a_404(viewer_client, organization):
    assert viewer_client.get(url("vendor_detail", organization, vendor_slug="nobody")).status_code == 404


def test_sources_show_health_and_editors_add_one(client, editor, viewer, organization):
    Source.objects.create(
        organization=organization,
        spec="feed:https://example.com/rss",
        kind="feed",
        last_error="timed out after 15s",
        last_error_transient=True,
    )
    client.force_login(viewer)
    page = client.get(url("source_list", organization))
    refused = client.post(
        url("source_list", organization), {"spec": "hf:mistralai", "poll_interval_minutes": 60}
    )

    client.force_login(editor)
    added = client.post(
        url("source_list", organization), {"spec": "hf:mistralai", "poll_interval_minutes": 60}
    )
    bad = client.post(
        url("source_list", organization), {"spec": "hf:mistralai/Mistral-7B", "poll_interval_minutes": 60}
    )

    assert b"timed out after 15s" in page.content and b"will retry" in page.content
    assert refused.status_code == 403
    assert added.status_code == 302
    assert Source.objects.filter(
        organization=organization, spec="hf:mistralai", poll_interval_minutes=60
    ).exists()
    assert bad.status_code == 422 and b"takes an organization" in bad.content
    local_file = client.post(
        url("source_list", organization), {"spec": "prices:/etc/passwd", "poll_interval_minutes": 60}
    )
    assert local_file.status_code == 422 and b"must be an http(s) URL" in local_file.content


def test_admins_manage_alert_rules_and_see_the_webhook_secret_once(client, admin_user, editor, organization):
    client.force_login(editor)
    assert client.get(url("rule_list", organization)).status_code == 403

    client.force_login(admin_user)
    created = client.post(
        url("rule_create", organization),
        {
            "name": "Leadership",
            "enabled": "on",
            "kinds": ["license_change", "leadership_change"],
            "min_severity": "warning",
            "notify_inbox": "on",
            "notify_webhook": "on",
            "webhook_url": "https://hooks.example.com/riskboard",
            "delivery": "weekly",
        },
    )
    first_view = client.get(url("rule_list", organization))
    second_view = client.get(url("rule_list", organization))

    rule = AlertRule.objects.get()
    assert created.status_code == 302
    assert rule.kinds == ["license_change", "leadership_change"] and rule.delivery == "weekly"
    assert rule.webhook_secret.startswith("whsec_")
    assert rule.webhook_secret.encode() in first_view.content
    assert rule.webhook_secret.encode() not in second_view.content


def test_a_webhook_rule_needs_a_url(admin_client_org, organization):
    response = admin_client_org.post(
        url("rule_create", organization),
        {"name": "Hook", "min_severity": "warning", "notify_webhook": "on", "delivery": "immediate"},
    )

    assert response.status_code == 422
    assert not AlertRule.objects.exists()


def test_the_inbox_shows_my_notifications_and_marks_them_read(viewer_client, viewer, editor, organization):
    alert_rule(organization)
    import_signals(organization, [contract_signal()])

    page = viewer_client.get(url("inbox", organization))
    viewer_client.post(url("inbox_read", organization))
    after = viewer_client.get(url("index", organization))

    assert [n.user for n in page.context["page"].object_list] == [viewer]
    assert page.context["watch_inbox_unread"] == 1
    assert after.context["watch_inbox_unread"] == 0
    assert Notification.objects.filter(user=editor, read_at__isnull=True).count() == 1
