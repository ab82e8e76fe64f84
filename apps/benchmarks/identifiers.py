"""Turn the names benchmark tools give models into a clean identifier and a (family, vendor) guess.

promptfoo names a provider ``<runtime>:[<mode>:]<model>`` (``ollama:chat:qwen2.5:7b``,
``openai:gpt-4o``, ``anthropic:messages:claude-3-5-sonnet-20241022``,
``openrouter:qwen/qwen-2.5-72b-instruct``); lm-evaluation-harness writes ``model_args`` such as
``pretrained=Qwen/Qwen2.5-7B,dtype=bfloat16``. The runtime (Ollama, OpenRouter, vLLM…) is not the
vendor: whoever made the model behind it is (see apps/common/vendors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from apps.common.vendors import family_for_model_name, vendor_for_hf_org

# The segment promptfoo puts between the runtime and the model to pick an API flavour.
_PROVIDER_MODES = frozenset(
    {
        "chat",
        "completion",
        "completions",
        "messages",
        "responses",
        "assistant",
        "realtime",
        "embedding",
        "embeddings",
        "text-generation",
        "feature-extraction",
    }
)
# Providers that are code or URLs rather than a model: their id is the best name we have.
_CUSTOM_PROVIDER_PREFIXES = ("file://", "exec:", "python:", "http://", "https://", "webhook:", "echo")
# Bedrock writes "us.anthropic.claude-…-v2:0": region and publisher before the model's own name.
_DOTTED_PREFIXES = frozenset(
    {"us", "eu", "apac", "global", "anthropic", "meta", "mistral", "amazon", "cohere", "deepseek", "qwen"}
)
# Where lm-eval model types keep the model's name inside model_args.
_LM_EVAL_NAME_ARGS = ("pretrained", "model", "path", "engine", "model_name")


@dataclass(frozen=True, slots=True)
class ModelRef:
    identifier: str
    vendor: str  # a slug from VENDOR_SLUGS, "unknown" when the name gives nothing away
    family: str | None = None
    runtime: str | None = None  # ollama, openai, openrouter, hf, vllm, …


def guess_family_vendor(identifier: str) -> tuple[str | None, str]:
    """(family, vendor) for a model identifier; the publishing organisation wins over the family."""
    name = identifier.strip()
    for prefix in ("hf.co/", "huggingface.co/"):
        name = name.removeprefix(prefix)
    parts = [part for part in name.split("/") if part]
    org_vendor = vendor_for_hf_org(parts[-2]) if len(parts) >= 2 else "unknown"
    base_name = _strip_dotted_prefixes(parts[-1] if parts else name)

    family_and_vendor = family_for_model_name(base_name)
    if family_and_vendor is None and "-" in base_name:
        # "Meta-Llama-3.1-8B-Instruct": a publisher word sometimes precedes the family.
        family_and_vendor = family_for_model_name(base_name.split("-", 1)[1])
    family = family_and_vendor[0] if family_and_vendor else None
    family_vendor = family_and_vendor[1] if family_and_vendor else "unknown"
    # A fine-tune published by a known organisation (nvidia/Llama-3.1-Nemotron…) is theirs.
    return family, org_vendor if org_vendor != "unknown" else family_vendor


def model_ref(identifier: str, *, runtime: str | None = None) -> ModelRef:
    family, vendor = guess_family_vendor(identifier)
    return ModelRef(identifier=identifier, vendor=vendor, family=family, runtime=runtime)


def model_ref_from_provider_id(provider_id: str) -> ModelRef:
    """Parse a promptfoo provider id (or a bare model name) into a ModelRef."""
    provider_id = provider_id.strip()
    if provider_id.startswith(_CUSTOM_PROVIDER_PREFIXES) or ":" not in provider_id:
        return model_ref(provider_id, runtime=None if ":" not in provider_id else "custom")

    runtime, rest = provider_id.split(":", 1)
    mode, _, after_mode = rest.partition(":")
    if mode in _PROVIDER_MODES and after_mode:
        rest = after_mode
    # Ollama tags ("qwen2.5:7b") keep their colon: only the runtime and mode are split off.
    return model_ref(rest, runtime=runtime.lower())


def model_ref_from_lm_eval(
    *, model_args: str | Mapping[str, Any] | None, model_name: str | None, model_type: str | None
) -> ModelRef | None:
    """The model an lm-evaluation-harness run evaluated, or None when the file does not say."""
    identifier = (model_name or "").strip() or _name_from_model_args(model_args)
    if not identifier:
        return None
    if identifier.startswith(("/", "./", "~")):
        # A local checkpoint: its folder name ("/models/Qwen2.5-7B-Instruct") names the model.
        identifier = identifier.rstrip("/").rsplit("/", 1)[-1]
    return model_ref(identifier, runtime=model_type)


def _name_from_model_args(model_args: str | Mapping[str, Any] | None) -> str:
    if isinstance(model_args, Mapping):
        args = {str(key): str(value) for key, value in model_args.items()}
    elif isinstance(model_args, str):
        args = dict(
            item.split("=", 1) if "=" in item else (item, "") for item in model_args.split(",") if item
        )
        args = {key.strip(): value.strip() for key, value in args.items()}
    else:
        return ""
    for key in _LM_EVAL_NAME_ARGS:
        if args.get(key):
            return args[key]
    return ""


def _strip_dotted_prefixes(name: str) -> str:
    head, dot, tail = name.partition(".")
    while dot and head.lower() in _DOTTED_PREFIXES and tail:
        name = tail
        head, dot, tail = name.partition(".")
    return name
