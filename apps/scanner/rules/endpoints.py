"""Vendor API hosts (`https://dashscope.aliyuncs.com/compatible-mode/v1`) and server settings.

An OpenAI-compatible client pointed at DashScope is an Alibaba dependency whatever its SDK is called.
"""

from apps.scanner.rules.base import CODE_ZONES, CONTEXT_ZONES, Rule, alternation

# Host (a regex fragment, lower case) → vendor. Use an anchor-free fragment; the rule adds boundaries.
ENDPOINT_HOSTS: dict[str, str] = {
    r"dashscope(?:-intl|-us)?\.aliyuncs\.com": "alibaba",
    r"api\.openai\.com": "openai",
    r"[\w-]+\.openai\.azure\.com": "openai",
    r"api\.anthropic\.com": "anthropic",
    r"generativelanguage\.googleapis\.com": "google",
    r"(?:[\w-]+-)?aiplatform\.googleapis\.com": "google",
    r"api\.mistral\.ai": "mistral",
    r"codestral\.mistral\.ai": "mistral",
    r"api\.deepseek\.com": "deepseek",
    r"api\.cohere\.(?:ai|com)": "cohere",
    r"api\.x\.ai": "xai",
    r"api\.moonshot\.(?:cn|ai)": "moonshot",
    r"open\.bigmodel\.cn": "zhipu",
    r"api\.z\.ai": "zhipu",
    r"api\.lingyiwanwu\.com": "01-ai",
    r"integrate\.api\.nvidia\.com": "nvidia",
}

# Qwen-Agent's `'model_server': 'dashscope'` (and `model_type: qwen_dashscope`) name a hosted API
# without a URL. Value word (lower case) → vendor.
MODEL_SERVER_VENDORS: dict[str, str] = {
    "dashscope": "alibaba",
}

RULES: tuple[Rule, ...] = (
    Rule(
        "endpoints.api_host",
        "endpoint",
        rf"(?<![\w.-])(?P<id>{'|'.join(f'(?:{host})' for host in ENDPOINT_HOSTS)})(?![\w-])",
        resolver="endpoint_host",
        zones=CODE_ZONES,
        # Azure OpenAI hosts (`<resource>.openai.azure.com`) have no trigger of their own, to keep the
        # prefilter short: they are found on lines that also say "api." (api_base, api-version).
        triggers=("api.", "dashscope", "googleapis", "bigmodel", "mistral.ai"),
    ),
    Rule(
        "endpoints.model_server",
        "endpoint",
        rf"model_(?:server|type)[\"']?\s*[:=]\s*\\?[\"']?(?P<id>[\w-]*{alternation(MODEL_SERVER_VENDORS)}[\w-]*)",
        resolver="model_server",
        zones=CONTEXT_ZONES,
        triggers=("model_server", "model_type"),
    ),
)
