import json
from decimal import Decimal

import pytest

from apps.common.prices import BUNDLED_PRICE_MAP, PriceMapError, cost_usd, load_price_map, price_for


@pytest.fixture(scope="module")
def price_map():
    return load_price_map()


def test_the_bundled_map_keeps_litellm_keys_and_sample_spec(price_map):
    assert "sample_spec" in price_map
    assert price_map["gpt-4o"]["litellm_provider"] == "openai"
    assert "deprecation_date" in price_map["gpt-4o"]
    assert (BUNDLED_PRICE_MAP.parent / "README.md").read_text().count("MIT") >= 1


@pytest.mark.parametrize(
    ("identifier", "provider", "key"),
    [
        ("gpt-4o", None, "gpt-4o"),
        ("openai/gpt-4o", None, "gpt-4o"),
        ("qwen-max", None, "dashscope/qwen-max"),
        ("dashscope/qwen-max", None, "dashscope/qwen-max"),
        ("mistral-large-latest", None, "mistral/mistral-large-latest"),
        ("deepseek-chat", None, "deepseek-chat"),
        ("llama3.1:8b", "ollama", "ollama/llama3.1"),
        ("claude-sonnet-latest", None, "claude-sonnet-5-5"),  # alias_of is followed
    ],
)
def test_it_finds_prices_under_litellm_key_variants(price_map, identifier, provider, key):
    assert price_for(identifier, price_map, provider=provider).key == key


def test_an_unknown_model_has_no_price_not_a_zero_one(price_map):
    assert price_for("qwen2.5:7b", price_map, provider="ollama") is None
    assert cost_usd(None, 100, 100) is None


def test_it_computes_cost_exactly_from_per_token_prices(price_map):
    price = price_for("gpt-4o", price_map)

    assert price.input_cost_per_token == Decimal("0.0000025")
    assert cost_usd(price, 1000, 500) == Decimal("0.0075")
    assert price.input_cost_per_million == Decimal("2.5")


def test_cost_is_unknown_without_token_counts(price_map):
    assert cost_usd(price_for("gpt-4o", price_map), None, 10) is None


def test_it_loads_a_map_from_a_path(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"my-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6}}))

    price = price_for("my-model", load_price_map(path))

    assert cost_usd(price, 10, 10) == Decimal("0.00003")


def test_it_refuses_a_file_that_is_not_a_price_map(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text("[1, 2]")

    with pytest.raises(PriceMapError, match="not a LiteLLM price map"):
        load_price_map(path)
