"""detect(): sequences of snapshots → signals, with no server involved."""

from datetime import timedelta

from apps.common.vocab import SEVERITIES, SIGNAL_KINDS
from apps.watch.contract import format_timestamp
from apps.watch.detect import detect
from tests.watch.conftest import NOW


def hf_snapshot(models, *, taken_at=NOW, org="Qwen", vendor="alibaba"):
    return {
        "kind": "hf",
        "org": org,
        "vendor": vendor,
        "taken_at": format_timestamp(taken_at),
        "models": models,
    }


def hf_model(created_at, license="apache-2.0", license_name=None, license_link=None, family="qwen"):
    return {
        "created_at": created_at,
        "last_modified": created_at,
        "license": license,
        "license_name": license_name,
        "license_link": license_link,
        "family": family,
        "pipeline_tag": "text-generation",
        "gated": False,
    }


def days_ago(days):
    return format_timestamp(NOW - timedelta(days=days))


def steady_org(**extra_models):
    """Qwen shipping every 30 days, the last release 10 days ago: on time."""
    models = {f"Qwen/Qwen3-{i}B": hf_model(days_ago(10 + 30 * i)) for i in range(4)}
    return models | extra_models


def test_no_change_means_no_signal_for_every_kind_of_source():
    snapshots = [
        hf_snapshot(steady_org()),
        {
            "kind": "github",
            "repo": "QwenLM/Qwen3",
            "vendor": "alibaba",
            "taken_at": format_timestamp(NOW),
            "archived": False,
            "license": {"license": "apache-2.0", "license_name": "Apache License 2.0", "license_link": None},
            "releases": {"v1": {"name": "v1", "published_at": days_ago(5), "prerelease": False, "url": None}},
        },
        {
            "kind": "feed",
            "url": "https://news.example/rss",
            "title": "",
            "taken_at": format_timestamp(NOW),
            "items": {
                "a": {"title": "Qwen lead steps down", "link": None, "summary": "", "published": days_ago(1)}
            },
        },
        {
            "kind": "prices",
            "location": "x",
            "taken_at": format_timestamp(NOW),
            "models": {
                "gpt-4o": {
                    "input_cost_per_token": 2.5e-06,
                    "output_cost_per_token": 1e-05,
                    "provider": "openai",
                    "mode": "chat",
                    "deprecation_date": (NOW + timedelta(days=10)).date().isoformat(),
                }
            },
        },
    ]
    for snapshot in snapshots:
        later = {**snapshot, "taken_at": format_timestamp(NOW + timedelta(hours=1))}
        assert detect(source="s", previous=snapshot, current=later, now=NOW + timedelta(hours=1)) == []


def test_a_baseline_does_not_report_history_as_new_releases():
    assert detect(source="hf:Qwen", previous=None, current=hf_snapshot(steady_org()), now=NOW) == []


def test_signals_have_the_contract_shape_and_a_stable_key():
    before = hf_snapshot(steady_org())
    after = hf_snapshot(steady_org(**{"Qwen/Qwen4-8B": hf_model(days_ago(0))}))

    first = detect(source="hf:Qwen", previous=before, current=after, now=NOW)
    again = detect(source="hf:Qwen", previous=before, current=after, now=NOW + timedelta(minutes=5))

    [signal] = first
    assert set(signal) == {"source", "kind", "subject", "vendor", "severity", "observed_at", "detail", "key"}
    assert signal["kind"] in SIGNAL_KINDS and signal["severity"] in SEVERITIES
    assert signal["observed_at"] == "2026-11-29T10:00:00Z"
    assert again[0]["key"] == signal["key"]  # same observation, same key, whenever it is seen


def test_a_license_change_compares_license_name_and_link_together():
    before = hf_snapshot(
        steady_org(**{"Qwen/Qwen2.5-72B": hf_model(days_ago(400), "other", "qwen", "LICENSE")})
    )
    link_moved = hf_snapshot(
        steady_org(
            **{"Qwen/Qwen2.5-72B": hf_model(days_ago(400), "other", "qwen", "https://qwen.ai/license")}
        )
    )
    name_moved = hf_snapshot(
        steady_org(**{"Qwen/Qwen2.5-72B": hf_model(days_ago(400), "other", "qwen-research", "LICENSE")})
    )

    [by_link] = detect(source="hf:Qwen", previous=before, current=link_moved, now=NOW)
    [by_name] = detect(source="hf:Qwen", previous=before, current=name_moved, now=NOW)

    assert (by_link["kind"], by_link["severity"]) == ("license_change", "warning")  # same tier
    assert by_link["detail"]["to_license_link"] == "https://qwen.ai/license"
    assert (by_name["severity"], by_name["detail"]["to_restrictiveness"]) == ("critical", "restricted")


def test_a_license_that_loosens_is_informational():
    before = hf_snapshot(steady_org(**{"Qwen/Qwen2.5-3B": hf_model(days_ago(400), "other", "qwen-research")}))
    after = hf_snapshot(steady_org(**{"Qwen/Qwen2.5-3B": hf_model(days_ago(400), "apache-2.0")}))

    [signal] = detect(source="hf:Qwen", previous=before, current=after, now=NOW)

    assert signal["severity"] == "info"


def test_a_cadence_slip_is_reported_when_it_starts_and_not_again():
    models = {f"Qwen/Qwen3-{i}B": hf_model(days_ago(80 + 20 * i)) for i in range(4)}  # every 20 days
    on_time = hf_snapshot(models, taken_at=NOW - timedelta(days=30))  # 50 days after the last one
    overdue = hf_snapshot(models, taken_at=NOW)  # 80 days after: past 3 × 20 = 60

    quiet = detect(source="hf:Qwen", previous=None, current=on_time, now=NOW - timedelta(days=30))
    [slip] = detect(source="hf:Qwen", previous=on_time, current=overdue, now=NOW)
    next_day = {**overdue, "taken_at": format_timestamp(NOW + timedelta(days=1))}

    assert quiet == []
    assert slip["kind"] == "cadence_slip" and slip["subject"] == "Qwen"
    assert slip["detail"]["median_interval_days"] == 20.0
    assert slip["detail"]["threshold_days"] == 60.0
    assert slip["detail"]["days_since_last_release"] == 80.0
    assert detect(source="hf:Qwen", previous=overdue, current=next_day, now=NOW + timedelta(days=1)) == []


def test_placeholder_dates_take_no_part_in_the_cadence():
    models = {
        "Qwen/Qwen-7B": hf_model(None),
        "Qwen/Qwen-14B": hf_model(None),
        "Qwen/Qwen3-8B": hf_model(days_ago(400)),
    }

    assert detect(source="hf:Qwen", previous=None, current=hf_snapshot(models), now=NOW) == []


def test_price_changes_are_graded_by_how_much_a_price_rises():
    def prices(input_cost, output_cost):
        model = {
            "input_cost_per_token": input_cost,
            "output_cost_per_token": output_cost,
            "provider": "openai",
        }
        return {
            "kind": "prices",
            "location": "x",
            "taken_at": format_timestamp(NOW),
            "models": {"gpt-4o": model},
        }

    def severity(before, after):
        [signal] = detect(source="prices:x", previous=prices(*before), current=prices(*after), now=NOW)
        return signal["severity"], signal["detail"]["percent_change"]

    assert severity((1e-06, 2e-06), (1.1e-06, 2e-06)) == ("warning", {"input_cost_per_token": 10.0})
    assert severity((1e-06, 2e-06), (1e-06, 3e-06)) == ("critical", {"output_cost_per_token": 50.0})
    assert severity((1e-06, 2e-06), (5e-07, 2e-06)) == ("info", {"input_cost_per_token": -50.0})
    assert severity((0.0, 0.0), (1e-06, 0.0)) == ("critical", {"input_cost_per_token": None})
    # An unknown price becoming known is not a change.
    assert detect(source="prices:x", previous=prices(None, None), current=prices(1e-06, 2e-06), now=NOW) == []
