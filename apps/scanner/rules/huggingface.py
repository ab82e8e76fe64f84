"""Hugging Face: `org/repo` ids, hub URLs (`hf.co/org/repo-GGUF:Q4_K_M`) and local model directories."""

from apps.common.vendors import HF_ORG_VENDORS
from apps.scanner.rules.base import ANY_TEXT_ZONES, FAMILY_TRIGGERS, Rule, alternation
from apps.scanner.rules.families import BARE_MODEL_NAME

# Organisation names used by gateways (OpenRouter, Together…) on top of the Hub's, lower case → vendor.
GATEWAY_ORG_VENDORS: dict[str, str] = {
    "anthropic": "anthropic",
    "x-ai": "xai",
    "z-ai": "zhipu",
    "alibaba": "alibaba",
    "mistral": "mistral",
    "meta": "meta",
    "cohere": "cohere",
    "moonshot": "moonshot",
}

ORG_VENDORS: dict[str, str] = {**GATEWAY_ORG_VENDORS, **HF_ORG_VENDORS}

# Organisations whose name also heads unrelated paths (`google/protobuf`, `microsoft/vscode`): their ids
# count only when the repo looks like a model or the id is written as a model argument.
GENERIC_ORGS: frozenset[str] = frozenset(
    {"google", "microsoft", "openai", "facebook", "amazon", "nvidia", "ibm", "meta", "alibaba", "cohere"}
)

# First path segments of hub URLs (and of hub cache ids such as `model/gpt2`) that are not organisations.
HUB_NON_ORG_SEGMENTS: frozenset[str] = frozenset(
    {
        "datasets",
        "dataset",
        "model",
        "space",
        "spaces",
        "docs",
        "blog",
        "papers",
        "collections",
        "organizations",
        "settings",
        "learn",
        "tasks",
        "join",
        "login",
        "pricing",
        "models",
        "api",
        "chat",
        "posts",
    }  # fmt: skip
)

HUB_PREFIXES: tuple[str, ...] = ("https://", "http://", "www.", "huggingface.co/", "hf.co/")

_SPECIFIC_ORGS = [org for org in HF_ORG_VENDORS if org not in GENERIC_ORGS]


RULES: tuple[Rule, ...] = (
    Rule(
        "huggingface.repo_id",
        "model",
        rf"(?<![\w.@/-])(?P<id>{alternation(_SPECIFIC_ORGS)}/[a-z0-9][\w.-]*)",
        zones=ANY_TEXT_ZONES,
        # Orgs without a family trigger in their name (THUDM, 01-ai…) are found as model arguments;
        # a trigger each for them would slow every scan for little gain.
        needs="/",
    ),
    Rule(
        "huggingface.hub_url",
        "model",
        r"(?<![\w-])(?P<id>(?:https?://)?(?:www\.)?(?:hf|huggingface)\.co/[\w.-]+/[\w.-]+(?::[\w.-]+)?)",
        zones=ANY_TEXT_ZONES,
        triggers=("huggingface", *FAMILY_TRIGGERS),
    ),
    # Fine-tunes and quantisations re-published by others (`TheBloke/Mistral-7B-Instruct-v0.2-GGUF`):
    # the maker of the base model is the vendor.
    Rule(
        "huggingface.community_repo_id",
        "model",
        rf"(?<![\w.@/-])(?P<id>[a-z0-9][\w.-]*/{BARE_MODEL_NAME})(?![\w/])",
        confidence="medium",
        needs="/",
    ),
    Rule(
        "huggingface.local_model_dir",
        "model",
        rf"(?<![\w:./~-])(?P<id>(?:~|\.{{1,2}})?/(?:[\w.-]+/)*{BARE_MODEL_NAME})(?![\w/-])",
        confidence="medium",
        needs="/",
    ),
)
