"""prices:PATH — a LiteLLM-format price map read from disk and diffed."""

import json
from datetime import timedelta

import pytest

from apps.watch.detect import detect
from apps.watch.sources import SourceError, parse_spec, poll
from tests.watch.conftest import NOW


def write_price_map(path, **models):
    document = {
        "sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "one of https://docs.litellm.ai/"},
        **models,
    }
    path.write_text(json.dumps(document))


def chat(input_cost, output_cost, provider, **extra):
    return {
        "input_cost_per_token": input_cost,
        "output_cost_per_token": output_cost,
        "litellm_provider": provider,
        "mode": "chat",
        "max_input_tokens": 128000,
        **extra,
    }


def test_a_price_rise_is_a_signal_with_old_new_and_percent(tmp_path, poll_settings):
    price_map = tmp_path / "model_prices_and_context_window.json"
    write_price_map(price_map, **{"dashscope/qwen-max": chat(1.6e-06, 6.4e-06, "dashscope")})
    spec = parse_spec(f"prices:{price_map}")
    first = poll(spec, None, settings=poll_settings, now=NOW)
    write_price_map(price_map, **{"dashscope/qwen-max": chat(2.4e-06, 6.4e-06, "dashscope")})

    second = poll(spec, first.state, settings=poll_settings, now=NOW)
    [signal] = detect(source=str(spec), previous=first.snapshot, current=second.snapshot, now=NOW)

    assert "sample_spec" not in first.snapshot["models"]
    assert (signal["kind"], signal["subject"], signal["vendor"]) == (
        "price_change",
        "dashscope/qwen-max",
        "alibaba",
    )
    assert signal["severity"] == "critical"  # +50%
    assert signal["detail"] == {
        "from": {"input_cost_per_token": 1.6e-06},
        "to": {"input_cost_per_token": 2.4e-06},
        "percent_change": {"input_cost_per_token": 50.0},
    }


def test_a_deprecation_inside_the_horizon_is_reported_once(tmp_path, poll_settings):
    price_map = tmp_path / "prices.json"
    soon = (NOW + timedelta(days=45)).date().isoformat()
    write_price_map(
        price_map,
        **{
            "gpt-4o-2024-05-13": chat(5e-06, 1.5e-05, "openai", deprecation_date=soon),
            "gpt-3.5-turbo-0301": chat(1.5e-06, 2e-06, "openai", deprecation_date="2024-06-13"),
            "claude-3-opus-20240229": chat(1.5e-05, 7.5e-05, "anthropic", deprecation_date="2027-06-01"),
        },
    )
    spec = parse_spec(f"prices:{price_map}")

    first = poll(spec, None, settings=poll_settings, now=NOW)
    baseline = detect(source=str(spec), previous=None, current=first.snapshot, now=NOW)
    second = poll(spec, first.state, settings=poll_settings, now=NOW + timedelta(days=1))
    again = detect(
        source=str(spec), previous=first.snapshot, current=second.snapshot, now=NOW + timedelta(days=1)
    )

    assert [(s["kind"], s["subject"], s["severity"]) for s in baseline] == [
        ("deprecation", "gpt-4o-2024-05-13", "warning")
    ]
    assert baseline[0]["detail"]["deprecation_date"] == soon
    assert again == []


def test_a_missing_or_malformed_map_is_a_permanent_error(tmp_path, poll_settings):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")

    for location in (tmp_path / "absent.json", broken):
        with pytest.raises(SourceError) as failure:
            poll(parse_spec(f"prices:{location}"), None, settings=poll_settings, now=NOW)
        assert not failure.value.transient
