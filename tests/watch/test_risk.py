"""vendor_risk(): a vendor's recent signals → high / medium / low, with the reason."""

from datetime import timedelta

from apps.watch.contract import format_timestamp
from apps.watch.risk import vendor_risk, vendor_risks
from tests.watch.conftest import NOW


def signal(
    kind, severity="info", *, days_ago=1, vendor="alibaba", source="hf:Qwen", subject="Qwen", **detail
):
    return {
        "source": source,
        "kind": kind,
        "subject": subject,
        "vendor": vendor,
        "severity": severity,
        "observed_at": format_timestamp(NOW - timedelta(days=days_ago)),
        "detail": detail,
        "key": f"{kind}-{days_ago}",
    }


def test_a_critical_license_change_makes_the_vendor_high_risk_and_says_so():
    change = signal(
        "license_change", "critical", subject="Qwen/Qwen3-8B", **{"from": "apache-2.0", "to": "other"}
    )

    risk = vendor_risk("alibaba", [change, signal("news")], now=NOW)

    assert risk.level == "high"
    assert risk.reason == "license_change Qwen/Qwen3-8B apache-2.0 → other (critical, 2026-11-28)"
    assert risk.signals == (change,)


def test_a_leadership_change_within_180_days_is_high_and_older_ones_are_forgotten():
    assert (
        vendor_risk("alibaba", [signal("leadership_change", "warning", days_ago=170)], now=NOW).level
        == "high"
    )
    assert (
        vendor_risk("alibaba", [signal("leadership_change", "warning", days_ago=190)], now=NOW).level == "low"
    )


def test_a_cadence_slip_is_medium_until_the_vendor_ships_again():
    slip = signal("cadence_slip", "warning", days_ago=20)

    assert vendor_risk("alibaba", [slip], now=NOW).level == "medium"
    shipped = vendor_risk(
        "alibaba", [slip, signal("new_release", days_ago=2, subject="Qwen/Qwen4-8B")], now=NOW
    )
    assert (shipped.level, shipped.reason) == ("low", "only informational signals in the last 180 days")


def test_several_kinds_of_warning_signs_compound_to_high():
    signals = [
        signal("cadence_slip", "warning"),
        signal("price_change", "warning", source="prices:x", subject="qwen-max"),
        signal("license_change", "warning", subject="Qwen/Qwen2.5-72B"),
    ]

    risk = vendor_risk("alibaba", signals, now=NOW)

    assert risk.level == "high"
    assert risk.reason.startswith("several warning signs: ")


def test_price_cuts_and_news_leave_a_vendor_low_and_other_vendors_are_ignored():
    signals = [signal("price_change", "info"), signal("repo_archived", "critical", vendor="meta")]

    assert vendor_risk("alibaba", signals, now=NOW).level == "low"
    assert vendor_risk("google", signals, now=NOW).reason == "no signals in the last 180 days"
    assert {vendor: risk.level for vendor, risk in vendor_risks(signals, now=NOW).items()} == {
        "alibaba": "low",
        "meta": "high",
    }
