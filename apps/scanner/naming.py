"""Turn the text a rule captured into (identifier, vendor, family).

One function understands every way code names a model, so a value found after `model=` is named the
same way as the same value found bare: Hugging Face ids and hub URLs, LiteLLM `provider/model`,
promptfoo `provider:mode:model`, Bedrock ids, Ollama tags, local paths and plain API names.
"""

import re
from dataclasses import dataclass

from apps.scanner.findings import Confidence
from apps.scanner.rules.endpoints import ENDPOINT_HOSTS, MODEL_SERVER_VENDORS
from apps.scanner.rules.families import MODEL_FAMILIES
from apps.scanner.rules.huggingface import GENERIC_ORGS, HUB_NON_ORG_SEGMENTS, HUB_PREFIXES, ORG_VENDORS
from apps.scanner.rules.litellm import (
    BEDROCK_PROVIDER_VENDORS,
    BEDROCK_REGION_PREFIXES,
    PROMPTFOO_MODES,
    PROMPTFOO_PROVIDERS,
    PROVIDER_DEFAULT_VENDORS,
)
from apps.scanner.rules.packages import NPM_PACKAGES, PYPI_PACKAGES


@dataclass(frozen=True, slots=True)
class Named:
    identifier: str
    vendor: str
    family: str | None
    confidence: Confidence = "high"


_PREFIXES_LONGEST_FIRST = sorted(MODEL_FAMILIES, key=len, reverse=True)
# After the family word: nothing, or a version, size or variant ("qwen2.5", "claude-3", "gpt.4").
# A letter would make it another word (phind, yield, commander) and "_" a variable name (phi_model).
_FAMILY_BOUNDARY = frozenset("0123456789-.:")
_WEIGHT_SUFFIXES = (".gguf", ".safetensors", ".bin", ".pt", ".pth", ".onnx", ".ggml")
_SOURCE_SUFFIXES = (".py", ".js", ".ts", ".json", ".md", ".txt", ".yaml", ".yml", ".toml", ".html", ".cfg")
_TRAILING_PUNCTUATION = ".,:;"
_NAME_TOKEN = re.compile(r"[A-Za-z0-9][\w.]*")


def family_of(name: str) -> tuple[str, str] | None:
    """(family, vendor) when `name` starts with a known family word, e.g. 'Qwen2.5-7B' → qwen."""
    lowered = name.lower()
    for prefix in _PREFIXES_LONGEST_FIRST:
        if lowered.startswith(prefix):
            rest = lowered[len(prefix) :]
            if not rest or rest[0] in _FAMILY_BOUNDARY:
                return MODEL_FAMILIES[prefix]
            return None
    return None


def _family_anywhere(repo: str) -> tuple[str, str] | None:
    """Family of a hub repo name, looking past a leading word: 'Meta-Llama-3-8B', 'Hermes-3-Llama-3.1'."""
    if found := family_of(repo):
        return found
    for match in _NAME_TOKEN.finditer(repo.replace("-", " ").replace("_", " ")):
        if found := family_of(repo[match.start() :]):
            return found
    return None


def identify_model(text: str) -> Named | None:
    value = text.strip().strip("\"'`").rstrip(_TRAILING_PUNCTUATION)
    if not value or len(value) > 200:
        return None
    lowered = value.lower()
    if lowered.startswith(HUB_PREFIXES):
        return _hub_url(value)
    if "://" in value:
        return None
    if named := _promptfoo_id(value):
        return named
    if "/" in value:
        return _slashed(value)
    if named := _bedrock_id(value):
        return named
    if found := family_of(value):
        family, vendor = found
        return Named(value, vendor, family)
    return None


def _hub_url(value: str) -> Named | None:
    rest = value
    lowered = rest.lower()
    while lowered.startswith(HUB_PREFIXES):
        prefix = next(p for p in HUB_PREFIXES if lowered.startswith(p))
        rest, lowered = rest[len(prefix) :], lowered[len(prefix) :]
    org, _, repo = rest.partition("/")
    if org.lower() in HUB_NON_ORG_SEGMENTS:
        return None
    repo = repo.split("/", 1)[0].split(":", 1)[0]  # drop "/resolve/main/…" and Ollama's ":Q4_K_M"
    return _hub_repo(org, repo, named_on_hub=True)


def _hub_repo(org: str, repo: str, *, named_on_hub: bool = False) -> Named | None:
    repo = repo.rstrip(_TRAILING_PUNCTUATION)
    if not org or not repo or repo.lower().endswith(_SOURCE_SUFFIXES):
        return None
    identifier = f"{org}/{repo}"
    found = _family_anywhere(repo)
    family = found[0] if found else None
    org_vendor = ORG_VENDORS.get(org.lower())
    looks_like_a_model = found is not None or any(ch.isdigit() for ch in repo)
    if org_vendor:
        if org.lower() in GENERIC_ORGS and not looks_like_a_model:
            return None  # google/protobuf, microsoft/vscode
        return Named(identifier, org_vendor, family)
    if found and org.lower() not in HUB_NON_ORG_SEGMENTS and (named_on_hub or any(c.isdigit() for c in repo)):
        # Someone else's upload of a known model (TheBloke/…-GGUF, unsloth/…): the base model's maker.
        return Named(identifier, found[1], family, "medium")
    return None


def _slashed(value: str) -> Named | None:
    first, _, rest = value.partition("/")
    provider = first.lower()
    if provider in PROVIDER_DEFAULT_VENDORS and rest:
        inner = identify_model(rest)
        if inner:
            return Named(value, inner.vendor, inner.family, inner.confidence)
        if default_vendor := PROVIDER_DEFAULT_VENDORS[provider]:
            return Named(value, default_vendor, None, "medium")
        return None
    if value.startswith(("/", "./", "../", "~/")) or value.count("/") > 1:
        return _local_path(value)
    return _hub_repo(first, rest)


def _local_path(value: str) -> Named | None:
    """A directory or weights file named after the model: /models/Qwen2.5-7B-Instruct."""
    name = value.rstrip("/").rsplit("/", 1)[-1]
    lowered = name.lower()
    for suffix in _WEIGHT_SUFFIXES:
        if lowered.endswith(suffix):
            name = name[: -len(suffix)]
            break
    # Without a version or size ("/srv/llama-docs") a family word in a path is just a word.
    if (found := family_of(name)) and any(ch.isdigit() for ch in name):
        family, vendor = found
        return Named(name, vendor, family, "medium")
    return None


def _promptfoo_id(value: str) -> Named | None:
    provider, _, rest = value.partition(":")
    if provider.lower() not in PROMPTFOO_PROVIDERS or not rest:
        return None
    mode, _, after_mode = rest.partition(":")
    if mode.lower() in PROMPTFOO_MODES and after_mode:
        rest = after_mode
    inner = identify_model(rest)
    return Named(value, inner.vendor, inner.family, inner.confidence) if inner else None


def _bedrock_id(value: str) -> Named | None:
    lowered = value.lower()
    for region in BEDROCK_REGION_PREFIXES:
        if lowered.startswith(region):
            lowered = lowered[len(region) :]
            break
    provider, dot, model = lowered.partition(".")
    if not dot or provider not in BEDROCK_PROVIDER_VENDORS:
        return None
    found = family_of(model)
    return Named(value, BEDROCK_PROVIDER_VENDORS[provider], found[0] if found else None)


_ENDPOINT_PATTERNS = [(re.compile(host), vendor) for host, vendor in ENDPOINT_HOSTS.items()]


def identify_endpoint_host(text: str) -> Named | None:
    host = text.lower()
    for pattern, vendor in _ENDPOINT_PATTERNS:
        if pattern.fullmatch(host):
            return Named(host, vendor, None)
    return None


def identify_model_server(text: str) -> Named | None:
    lowered = text.lower()
    for word, vendor in MODEL_SERVER_VENDORS.items():
        if word in lowered:
            return Named(word, vendor, None)
    return None


def normalise_pypi_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def identify_pypi_package(text: str) -> Named | None:
    name = normalise_pypi_name(text)
    if entry := PYPI_PACKAGES.get(name):
        return Named(name, *entry)
    return None


def identify_npm_package(text: str) -> Named | None:
    name = text.lower()
    if entry := NPM_PACKAGES.get(name):
        return Named(name, *entry)
    return None
