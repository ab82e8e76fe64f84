"""Match a model identifier found anywhere (a form, a spreadsheet, code, a benchmark file) to the catalog.

Pure functions over an index of aliases, so the scanner and the importers share one notion of
"which model is this". Matching tries the identifier as written, then progressively looser forms:
gateway prefixes removed (the vendor is the model's maker, not the gateway), quantisation and
`:latest` suffixes dropped, a local path reduced to its last part, `-instruct`/`-it` dropped.
"""

import re
from collections.abc import Iterator, Mapping

# Prefixes that name a runtime or gateway, never the model's maker. Longest first when stripping.
GATEWAY_PREFIXES: tuple[str, ...] = (
    "ollama:chat:",
    "ollama:completion:",
    "openai:chat:",
    "openai:completion:",
    "anthropic:messages:",
    "vertex:",
    "bedrock/",
    "azure/",
    "ollama_chat/",
    "ollama/",
    "ollama:",
    "openrouter/",
    "openrouter:",
    "dashscope/",
    "together_ai/",
    "togetherai/",
    "groq/",
    "fireworks_ai/",
    "huggingface/",
    "hf.co/",
    "hf:",
    "vllm:",
    "vllm/",
    "hosted_vllm/",
    "lm_studio/",
    "litellm/",
    "litellm_proxy/",
    "gemini/",
    "vertex_ai/",
    "mistral/",
    "deepseek/",
    "anthropic/",
    "anthropic:",
    "openai/",
    "openai:",
    "xai/",
    "cohere/",
    "dashscope:",
)
_QUANT_SUFFIX = re.compile(
    r"(-gguf|-awq|-gptq|-int4|-int8|-fp8|-bf16|-mlx|-4bit|-8bit)?(:q\d[\w.]*|:(fp|bf)16|:latest)?$"
)
_VARIANT_SUFFIX = re.compile(r"-(instruct|it|chat)(-\d{4})?$")


def normalize(identifier: str) -> str:
    return identifier.strip().strip("\"'`").strip().lower()


def _without_gateway(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in GATEWAY_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key = key[len(prefix) :]
                changed = True
                break
    return key


def candidate_keys(identifier: str) -> Iterator[str]:
    """The identifier, then looser spellings of it, most specific first (duplicates removed)."""
    seen: set[str] = set()

    def fresh(key: str) -> bool:
        if key and key not in seen:
            seen.add(key)
            return True
        return False

    key = normalize(identifier)
    if fresh(key):
        yield key
    stripped = _without_gateway(key)
    if fresh(stripped):
        yield stripped
    unquantised = _QUANT_SUFFIX.sub("", stripped)
    if fresh(unquantised):
        yield unquantised
    basename = unquantised.rstrip("/").rsplit("/", 1)[-1]
    if fresh(basename):
        yield basename
    plain = _VARIANT_SUFFIX.sub("", basename)
    if fresh(plain):
        yield plain


def index_key_variants(alias: str) -> Iterator[str]:
    """Keys under which an alias is findable: itself, and for `org/repo` ids the bare repo name."""
    key = normalize(alias)
    yield key
    if "/" in key:
        yield key.rsplit("/", 1)[-1]


def build_alias_index(aliases: Iterator[tuple[str, int]]) -> dict[str, int]:
    """alias → model id. Exact aliases win over derived repo names when two models would share a key."""
    exact: dict[str, int] = {}
    derived: dict[str, int] = {}
    for alias, model_id in aliases:
        for position, key in enumerate(index_key_variants(alias)):
            target = exact if position == 0 else derived
            target.setdefault(key, model_id)
    return {**derived, **exact}


def match_model_id(identifier: str, index: Mapping[str, int]) -> int | None:
    for key in candidate_keys(identifier):
        if key in index:
            return index[key]
    return None
