"""Vendor slugs (a data contract, see docs/contracts.md) and the names that point at each vendor.

Runtimes and gateways (Ollama, vLLM, LiteLLM, OpenRouter, …) are not vendors: whoever made the
model behind them is. Everything that maps a name to a vendor uses the tables below, so adding a
vendor or an alias is a one-line change here.
"""

VENDOR_SLUGS: tuple[str, ...] = (
    "alibaba",
    "openai",
    "anthropic",
    "google",
    "meta",
    "mistral",
    "deepseek",
    "microsoft",
    "cohere",
    "xai",
    "amazon",
    "nvidia",
    "ibm",
    "zhipu",
    "moonshot",
    "01-ai",
    "unknown",
)

VENDOR_NAMES: dict[str, str] = {
    "alibaba": "Alibaba (Qwen)",
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "google": "Google",
    "meta": "Meta",
    "mistral": "Mistral AI",
    "deepseek": "DeepSeek",
    "microsoft": "Microsoft",
    "cohere": "Cohere",
    "xai": "xAI",
    "amazon": "Amazon",
    "nvidia": "NVIDIA",
    "ibm": "IBM",
    "zhipu": "Zhipu AI",
    "moonshot": "Moonshot AI",
    "01-ai": "01.AI",
    "unknown": "Unknown vendor",
}

# Hugging Face organisations (lower-case) → vendor.
HF_ORG_VENDORS: dict[str, str] = {
    "qwen": "alibaba",
    "qwenlm": "alibaba",
    "alibaba-nlp": "alibaba",
    "meta-llama": "meta",
    "facebook": "meta",
    "codellama": "meta",
    "mistralai": "mistral",
    "mistral-community": "mistral",
    "deepseek-ai": "deepseek",
    "google": "google",
    "microsoft": "microsoft",
    "openai": "openai",
    "cohereforai": "cohere",
    "coherelabs": "cohere",
    "xai-org": "xai",
    "amazon": "amazon",
    "nvidia": "nvidia",
    "ibm-granite": "ibm",
    "ibm": "ibm",
    "thudm": "zhipu",
    "zai-org": "zhipu",
    "moonshotai": "moonshot",
    "01-ai": "01-ai",
}

# Model family (lower-case prefix of a model name) → (family slug, vendor). Longest prefix wins.
FAMILY_PREFIXES: dict[str, tuple[str, str]] = {
    "qwen": ("qwen", "alibaba"),
    "qwq": ("qwen", "alibaba"),
    "qvq": ("qwen", "alibaba"),
    "llama": ("llama", "meta"),
    "codellama": ("llama", "meta"),
    "mistral": ("mistral", "mistral"),
    "mixtral": ("mistral", "mistral"),
    "codestral": ("mistral", "mistral"),
    "pixtral": ("mistral", "mistral"),
    "ministral": ("mistral", "mistral"),
    "magistral": ("mistral", "mistral"),
    "devstral": ("mistral", "mistral"),
    "open-mistral": ("mistral", "mistral"),
    "gemma": ("gemma", "google"),
    "codegemma": ("gemma", "google"),
    "gemini": ("gemini", "google"),
    "phi": ("phi", "microsoft"),
    "deepseek": ("deepseek", "deepseek"),
    "gpt": ("gpt", "openai"),
    "chatgpt": ("gpt", "openai"),
    "o1": ("o-series", "openai"),
    "o3": ("o-series", "openai"),
    "o4": ("o-series", "openai"),
    "text-embedding": ("gpt", "openai"),
    "dall-e": ("dall-e", "openai"),
    "whisper": ("whisper", "openai"),
    "claude": ("claude", "anthropic"),
    "command": ("command", "cohere"),
    "aya": ("command", "cohere"),
    "grok": ("grok", "xai"),
    "nova": ("nova", "amazon"),
    "titan": ("nova", "amazon"),
    "nemotron": ("nemotron", "nvidia"),
    "granite": ("granite", "ibm"),
    "glm": ("glm", "zhipu"),
    "chatglm": ("glm", "zhipu"),
    "kimi": ("kimi", "moonshot"),
    "moonshot": ("kimi", "moonshot"),
    "yi": ("yi", "01-ai"),
}


def vendor_for_hf_org(org: str) -> str:
    return HF_ORG_VENDORS.get(org.lower(), "unknown")


def family_for_model_name(name: str) -> tuple[str, str] | None:
    """Return (family, vendor) for a bare model name such as 'qwen2.5:7b' or 'claude-3-5-sonnet'."""
    lowered = name.lower()
    for prefix in sorted(FAMILY_PREFIXES, key=len, reverse=True):
        if lowered.startswith(prefix):
            return FAMILY_PREFIXES[prefix]
    return None
