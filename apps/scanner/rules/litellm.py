"""LiteLLM-style `provider/model` strings and promptfoo `provider:model` ids.

The provider is a gateway or runtime, never the vendor: `ollama/qwen2.5:14b` is Alibaba's model. When
the model part names no known family, the provider's own default vendor (if it has one) is used.
"""

from apps.scanner.rules.base import FAMILY_TRIGGERS, Rule, alternation

# LiteLLM provider prefix (lower case) → the vendor whose models it serves by default, or None for
# gateways that serve anyone's models.
PROVIDER_DEFAULT_VENDORS: dict[str, str | None] = {
    "openai": "openai",
    "azure": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "vertex_ai": "google",
    "vertex_ai_beta": "google",
    "palm": "google",
    "mistral": "mistral",
    "codestral": "mistral",
    "deepseek": "deepseek",
    "dashscope": "alibaba",
    "xai": "xai",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "moonshot": "moonshot",
    "zhipuai": "zhipu",
    "nvidia_nim": None,
    "watsonx": "ibm",
    "bedrock": None,
    "sagemaker": None,
    "ollama": None,
    "ollama_chat": None,
    "openrouter": None,
    "together_ai": None,
    "fireworks_ai": None,
    "groq": None,
    "deepinfra": None,
    "huggingface": None,
    "hosted_vllm": None,
    "vllm": None,
    "lm_studio": None,
    "azure_ai": None,
    "perplexity": None,
    "cerebras": None,
    "sambanova": None,
    "novita": None,
    "nebius": None,
    "replicate": None,
    "anyscale": None,
    "cloudflare": None,
    "github": None,
    "friendliai": None,
    "hyperbolic": None,
}

# promptfoo provider ids: `ollama:chat:qwen2.5:7b`, `openai:gpt-4o-mini`, `anthropic:messages:claude-…`.
PROMPTFOO_PROVIDERS: dict[str, str | None] = {
    "openai": "openai",
    "azure": "openai",
    "anthropic": "anthropic",
    "google": "google",
    "vertex": "google",
    "mistral": "mistral",
    "deepseek": "deepseek",
    "alibaba": "alibaba",
    "dashscope": "alibaba",
    "xai": "xai",
    "cohere": "cohere",
    "ollama": None,
    "openrouter": None,
    "bedrock": None,
    "groq": None,
    "togetherai": None,
    "huggingface": None,
    "vllm": None,
}
PROMPTFOO_MODES: frozenset[str] = frozenset({"chat", "completion", "messages", "embedding", "embeddings"})

# Bedrock model ids: `anthropic.claude-3-5-sonnet-20240620-v1:0`, `us.meta.llama3-1-70b-instruct-v1:0`.
BEDROCK_PROVIDER_VENDORS: dict[str, str] = {
    "anthropic": "anthropic",
    "meta": "meta",
    "amazon": "amazon",
    "mistral": "mistral",
    "cohere": "cohere",
    "deepseek": "deepseek",
    "qwen": "alibaba",
    "openai": "openai",
}
BEDROCK_REGION_PREFIXES: tuple[str, ...] = ("us.", "eu.", "apac.", "global.")

RULES: tuple[Rule, ...] = (
    Rule(
        "litellm.provider_model",
        "model",
        rf"(?<![\w./@-])(?P<id>{alternation(PROVIDER_DEFAULT_VENDORS)}/[\w.][\w.:/@+-]*)",
        triggers=(*FAMILY_TRIGGERS, "dashscope", "ollama"),
        needs="/",
    ),
    Rule(
        "litellm.promptfoo_id",
        "model",
        rf"(?<![\w./:@-])(?P<id>{alternation(PROMPTFOO_PROVIDERS)}:[\w.][\w.:/@+-]*)",
        needs=":",
    ),
)
