"""SDK and framework dependencies declared in requirements files, pyproject.toml, Pipfile, package.json.

Only declarations count (not lockfiles, not imports): a declared SDK is a deliberate dependency.
"""

from apps.scanner.rules.base import CODE_ZONES, Rule, Zone

# PyPI name (normalised: lower case, runs of -_. as "-") → (vendor, family or None).
PYPI_PACKAGES: dict[str, tuple[str, str | None]] = {
    "openai": ("openai", "gpt"),
    "openai-agents": ("openai", "gpt"),
    "tiktoken": ("openai", "gpt"),
    "anthropic": ("anthropic", "claude"),
    "claude-agent-sdk": ("anthropic", "claude"),
    "mistralai": ("mistral", "mistral"),
    "mistral-common": ("mistral", "mistral"),
    "mistral-inference": ("mistral", "mistral"),
    "google-generativeai": ("google", "gemini"),
    "google-genai": ("google", "gemini"),
    "google-cloud-aiplatform": ("google", "gemini"),
    "vertexai": ("google", "gemini"),
    "google-adk": ("google", "gemini"),
    "dashscope": ("alibaba", "qwen"),
    "qwen-agent": ("alibaba", "qwen"),
    "qwen-vl-utils": ("alibaba", "qwen"),
    "qwen-omni-utils": ("alibaba", "qwen"),
    "cohere": ("cohere", "command"),
    "xai-sdk": ("xai", "grok"),
    "zhipuai": ("zhipu", "glm"),
    "zai-sdk": ("zhipu", "glm"),
    "llama-stack": ("meta", "llama"),
    "llama-models": ("meta", "llama"),
    "langchain-openai": ("openai", "gpt"),
    "langchain-anthropic": ("anthropic", "claude"),
    "langchain-google-genai": ("google", "gemini"),
    "langchain-google-vertexai": ("google", "gemini"),
    "langchain-mistralai": ("mistral", "mistral"),
    "langchain-deepseek": ("deepseek", "deepseek"),
    "langchain-cohere": ("cohere", "command"),
    "langchain-xai": ("xai", "grok"),
    "langchain-qwq": ("alibaba", "qwen"),
    "llama-index-llms-openai": ("openai", "gpt"),
    "llama-index-llms-anthropic": ("anthropic", "claude"),
    "llama-index-llms-gemini": ("google", "gemini"),
    "llama-index-llms-google-genai": ("google", "gemini"),
    "llama-index-llms-mistralai": ("mistral", "mistral"),
    "llama-index-llms-dashscope": ("alibaba", "qwen"),
    "llama-index-llms-deepseek": ("deepseek", "deepseek"),
}

# npm package name (lower case) → (vendor, family or None).
NPM_PACKAGES: dict[str, tuple[str, str | None]] = {
    "openai": ("openai", "gpt"),
    "@openai/agents": ("openai", "gpt"),
    "@anthropic-ai/sdk": ("anthropic", "claude"),
    "@anthropic-ai/claude-agent-sdk": ("anthropic", "claude"),
    "@google/generative-ai": ("google", "gemini"),
    "@google/genai": ("google", "gemini"),
    "@google-cloud/vertexai": ("google", "gemini"),
    "@mistralai/mistralai": ("mistral", "mistral"),
    "cohere-ai": ("cohere", "command"),
    "@ai-sdk/openai": ("openai", "gpt"),
    "@ai-sdk/anthropic": ("anthropic", "claude"),
    "@ai-sdk/google": ("google", "gemini"),
    "@ai-sdk/google-vertex": ("google", "gemini"),
    "@ai-sdk/mistral": ("mistral", "mistral"),
    "@ai-sdk/deepseek": ("deepseek", "deepseek"),
    "@ai-sdk/xai": ("xai", "grok"),
    "@ai-sdk/cohere": ("cohere", "command"),
    "@langchain/openai": ("openai", "gpt"),
    "@langchain/anthropic": ("anthropic", "claude"),
    "@langchain/google-genai": ("google", "gemini"),
    "@langchain/mistralai": ("mistral", "mistral"),
    "@langchain/deepseek": ("deepseek", "deepseek"),
    "qwen-ai-provider": ("alibaba", "qwen"),
}

_MANIFEST_ZONES = CODE_ZONES | {Zone.TESTS}
_PYTHON_NAME = r"(?P<id>[a-z0-9][\w.-]*)\s*(?:\[[^\]]*\])?\s*"
REQUIREMENTS_FILES = ("requirements*.txt", "requirements*.in", "*-requirements.txt", "*_requirements.txt")

RULES: tuple[Rule, ...] = (
    # `openai>=1.40`, `qwen-agent[gui,rag]==0.0.10 ; python_version >= "3.10"`
    Rule(
        "packages.requirements",
        "package",
        rf"^\s*{_PYTHON_NAME}(?:[<>=!~;@#]|$)",
        resolver="pypi",
        zones=_MANIFEST_ZONES,
        triggers=(),
        files=(*REQUIREMENTS_FILES, "setup.cfg"),
    ),
    # PEP 621 / setup.py lists: `dependencies = ["openai>=1", "dashscope"]`
    Rule(
        "packages.python_quoted",
        "package",
        rf"[\"']{_PYTHON_NAME}(?:[<>=!~;@][^\"']*)?[\"']",
        resolver="pypi",
        zones=_MANIFEST_ZONES,
        triggers=(),
        files=("pyproject.toml", "setup.py"),
    ),
    # Poetry tables and Pipfile: `openai = "^1.40"`, `anthropic = {version = "*"}`
    Rule(
        "packages.toml_key",
        "package",
        r"^\s*[\"']?(?P<id>[a-z0-9][\w.-]*)[\"']?\s*=",
        resolver="pypi",
        zones=_MANIFEST_ZONES,
        triggers=(),
        files=("pyproject.toml", "pipfile"),
    ),
    # package.json dependencies: `"@anthropic-ai/sdk": "^0.30.0"`
    Rule(
        "packages.npm",
        "package",
        r"^\s*\"(?P<id>@?[a-z0-9][\w.-]*(?:/[\w.-]+)?)\"\s*:\s*\"",
        resolver="npm",
        zones=_MANIFEST_ZONES,
        triggers=(),
        files=("package.json",),
    ),
)
