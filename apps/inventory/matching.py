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
_QUANT_TAG = re.compile(r"q\d[\w.]*|(?:fp|bf)16|latest")  # Ollama tags that name a quantisation, not a model
_QUANT_SUFFIXES = ("-gguf", "-awq", "-gptq", "-int4", "-int8", "-fp8", "-bf16", "-mlx", "-4bit", "-8bit")
_VARIANT_SUFFIX = re.compile(r"-(instruct|it|chat)(-\d{4})?$")


def normalize(identifier: str) -> str:
    return identifier.strip().strip("\"'`").strip().lower()


# One pass of a compiled alternation (longest prefix first) instead of a loop over the prefixes: the
# scanner matches every distinct identifier of a scan, sometimes tens of thousands.
_GATEWAY_RUN = re.compile(
    "^(?:" + "|".join(re.escape(prefix) for prefix in sorted(GATEWAY_PREFIXES, key=len, reverse=True)) + ")+"
)


def _without_gateway(key: str) -> str:
    stripped = _GATEWAY_RUN.sub("", key, count=1)
    return stripped or key  # an identifier that is nothing but a prefix stays as it was


def _without_quantisation(key: str) -> str:
    head, colon, tag = key.rpartition(":")
    if colon and _QUANT_TAG.fullmatch(tag):
        key = head
    if key.endswith(_QUANT_SUFFIXES):  # one C-level check; which suffix only when there is one
        return key[: key.rindex("-")]
    return key


def _looser_spellings(key: str):
    """The normalised identifier, then looser spellings of it, most specific first (may repeat)."""
    yield key
    key = _without_gateway(key)
    yield key
    key = _without_quantisation(key)
    yield key
    key = key.rstrip("/").rsplit("/", 1)[-1]
    yield key
    yield _VARIANT_SUFFIX.sub("", key)


def candidate_keys(identifier: str) -> list[str]:
    """The identifier, then looser spellings of it, most specific first (duplicates removed)."""
    return [key for key in dict.fromkeys(_looser_spellings(normalize(identifier))) if key]


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
    # Stops at the first spelling found: the scanner calls this for every distinct identifier of a scan.
    for key in _looser_spellings(normalize(identifier)):
        model_id = index.get(key)
        if model_id is not None:
            return model_id
    return None
