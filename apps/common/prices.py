"""Model prices from a LiteLLM-format price map (a trimmed copy ships in apps/common/data/).

    price_map = load_price_map()                       # or a path / URL to a full, current map
    price = price_for("qwen-max", price_map)           # tries "qwen-max", "dashscope/qwen-max", …
    cost = cost_usd(price, prompt_tokens=1200, completion_tokens=300)

A model the map does not know has an *unknown* price: ``price_for`` returns None and so does
``cost_usd`` — callers show "unknown", never 0. Costs are Decimals computed from the per-token
prices as written in the map, so they add up exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from apps.common import outbound
from apps.common.vendors import family_for_model_name

BUNDLED_PRICE_MAP = Path(__file__).parent / "data" / "model_prices.json"
PriceMap = dict[str, dict[str, Any]]

# Where LiteLLM files a family's first-party API when the bare name is not a key.
_FAMILY_PROVIDER_PREFIXES = {
    "qwen": ("dashscope",),
    "mistral": ("mistral", "codestral"),
    "gemini": ("gemini",),
    "deepseek": ("deepseek",),
    "claude": ("anthropic",),
    "gpt": ("openai",),
    "o-series": ("openai",),
}
# Runtimes and gateways whose name prefixes a model without being part of its price key.
_ROUTE_PREFIXES = frozenset(
    {
        "openai",
        "anthropic",
        "dashscope",
        "mistral",
        "codestral",
        "gemini",
        "deepseek",
        "ollama",
        "ollama_chat",
        "litellm",
    }
)
_MAX_ALIAS_HOPS = 5


@dataclass(frozen=True, slots=True)
class Price:
    key: str  # the price-map key that matched, e.g. "dashscope/qwen-max"
    input_cost_per_token: Decimal | None
    output_cost_per_token: Decimal | None
    litellm_provider: str | None = None
    mode: str | None = None
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    deprecation_date: str | None = None  # YYYY-MM-DD as LiteLLM writes it

    @property
    def input_cost_per_million(self) -> Decimal | None:
        return self.input_cost_per_token * 1_000_000 if self.input_cost_per_token is not None else None

    @property
    def output_cost_per_million(self) -> Decimal | None:
        return self.output_cost_per_token * 1_000_000 if self.output_cost_per_token is not None else None


class PriceMapError(ValueError):
    pass


def load_price_map(path_or_url: str | Path | None = None, *, timeout: float = 15.0) -> PriceMap:
    """The bundled map, or one read from a path or fetched from an http(s) URL."""
    if path_or_url is None:
        path_or_url = BUNDLED_PRICE_MAP
    source = str(path_or_url)
    try:
        if source.startswith(("http://", "https://")):
            with outbound.client(timeout=timeout, follow_redirects=True) as client:
                response = client.get(source)
            response.raise_for_status()
            document = response.json()
        else:
            document = json.loads(Path(source).read_text(encoding="utf-8"))
    except httpx.TransportError as exc:
        raise PriceMapError(f"cannot load price map {source}: {outbound.describe_error(exc)}") from exc
    except (OSError, httpx.HTTPError, ValueError) as exc:
        raise PriceMapError(f"cannot load price map {source}: {exc}") from exc
    if not isinstance(document, dict) or not all(isinstance(entry, dict) for entry in document.values()):
        raise PriceMapError(f"{source} is not a LiteLLM price map (an object of model name → object)")
    return document


def price_for(model_identifier: str, price_map: PriceMap, *, provider: str | None = None) -> Price | None:
    """The price of a model, trying the key variants LiteLLM uses; None when unknown.

    ``provider`` is a runtime hint such as "ollama" or "dashscope" (a promptfoo runtime or an
    endpoint's kind) that is tried as a key prefix first.
    """
    for key in _candidate_keys(model_identifier, provider):
        entry = _resolve_alias(key, price_map)
        if entry is not None and key != "sample_spec":
            resolved_key, fields = entry
            return _price(resolved_key, fields)
    return None


def cost_usd(price: Price | None, prompt_tokens: int | None, completion_tokens: int | None) -> Decimal | None:
    """USD for one request; None when the price or a token count it needs is unknown."""
    if price is None or prompt_tokens is None or completion_tokens is None:
        return None
    if (prompt_tokens and price.input_cost_per_token is None) or (
        completion_tokens and price.output_cost_per_token is None
    ):
        return None
    return (price.input_cost_per_token or Decimal(0)) * prompt_tokens + (
        price.output_cost_per_token or Decimal(0)
    ) * completion_tokens


def _candidate_keys(model_identifier: str, provider: str | None) -> list[str]:
    name = model_identifier.strip()
    bare = name
    head, slash, tail = name.partition("/")
    if slash and head.lower() in _ROUTE_PREFIXES:
        bare = tail  # "openai/gpt-4o" is priced as "gpt-4o" (and as itself)
    family = family_for_model_name(bare.rsplit("/", 1)[-1])
    prefixes: list[str] = []
    if provider:
        prefixes.append(provider.lower())
    if family:
        prefixes.extend(_FAMILY_PROVIDER_PREFIXES.get(family[0], ()))
    if ":" in bare and "/" not in bare:
        prefixes.append("ollama")  # "llama3:8b" is an Ollama tag

    keys = [name, bare, bare.lower()]
    for prefix in prefixes:
        keys += [f"{prefix}/{bare}", f"{prefix}/{bare.lower()}"]
    if "ollama" in prefixes and ":" in bare:
        keys.append(f"ollama/{bare.split(':', 1)[0]}")  # the untagged entry prices every tag
    return list(dict.fromkeys(keys))


def _resolve_alias(key: str, price_map: PriceMap) -> tuple[str, dict[str, Any]] | None:
    for _ in range(_MAX_ALIAS_HOPS):
        entry = price_map.get(key)
        if entry is None:
            return None
        if "alias_of" not in entry:
            return key, entry
        key = str(entry["alias_of"])
    return None


def _price(key: str, fields: dict[str, Any]) -> Price:
    return Price(
        key=key,
        input_cost_per_token=_decimal(fields.get("input_cost_per_token")),
        output_cost_per_token=_decimal(fields.get("output_cost_per_token")),
        litellm_provider=fields.get("litellm_provider"),
        mode=fields.get("mode"),
        max_input_tokens=fields.get("max_input_tokens")
        if isinstance(fields.get("max_input_tokens"), int)
        else None,
        max_output_tokens=fields.get("max_output_tokens")
        if isinstance(fields.get("max_output_tokens"), int)
        else None,
        deprecation_date=fields.get("deprecation_date"),
    )


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None
