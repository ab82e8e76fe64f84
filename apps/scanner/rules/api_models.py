"""Model names written as a model argument, a configuration value or an environment variable.

API names such as `gpt-4o-mini`, `o3`, `qwen-max` or `claude-3-5-sonnet-latest` are ordinary words in
prose, so they only count in one of these positions. The value is then named by apps.scanner.naming,
which also understands the Hugging Face, LiteLLM and Ollama forms.
"""

from apps.scanner.rules.base import CONTEXT_ZONES, FAMILY_TRIGGERS, VALUE, Rule, Zone

# A key that holds a model: `model`, `model_name`, `model_id`, `model_path`, and anything ending in them
# (`DRAFT_MODEL`, `default_model`, `openai_model`); `llm` as CrewAI and others spell it. `served-model-name` is an alias a server answers to,
# and a LiteLLM `model_name:` entry is the public alias of a deployment whose real model is its
# `litellm_params.model`, so neither names a model.
_MODEL_KEY = r"(?:(?<!served[-_])model(?:[_-]?name(?![\"']?\s*:)|[_-]?id|[_-]?path)?|(?<![a-z0-9])llm)"
# Between key and value: a closing quote (`"model": …`), a separator, and an optional Python
# annotation (`model: str = "…"`).
_ASSIGN = r"[\"']?\s*(?::(?!=)|=(?!=)|=>)\s*(?:(?:str|string|optional\[str\]|str\s*\|\s*none)\s*=\s*)?"

RULES: tuple[Rule, ...] = (
    Rule(
        "api_models.argument",
        "model",
        rf"{_MODEL_KEY}{_ASSIGN}\\?[\"'`]{VALUE}",
        zones=CONTEXT_ZONES,
        # `llm=` is not a trigger of its own (short words cost the most to look for): it is found
        # when the value names a family, as it nearly always does (`llm="gpt-4o"`).
        triggers=("model", *FAMILY_TRIGGERS),
    ),
    # `MODEL=qwen2.5:7b` in .env, `model: qwen-max` in YAML: the value needs no quotes there.
    Rule(
        "api_models.config_value",
        "model",
        rf"{_MODEL_KEY}{_ASSIGN}{VALUE}",
        zones=frozenset({Zone.CONFIG, Zone.DOC_CODE}),
        triggers=("model", *FAMILY_TRIGGERS),
    ),
    # Constructors and loaders that take the model first: GenerativeModel("gemini-1.5-flash"),
    # init_chat_model("qwen3:1.7b", …), LLM("dashscope/qwen3-max"), AutoModel.from_pretrained("…").
    Rule(
        "api_models.positional_argument",
        "model",
        rf"(?:model|llm|pretrained)\s*\(\s*\\?[\"']{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=("model", *FAMILY_TRIGGERS),
    ),
    # Environment variables with a default: os.getenv("DRAFT_MODEL", "qwen2.5:7b"),
    # process.env.OPENAI_MODEL ?? "gpt-4o-mini", ${LLM_MODEL:-qwen3:8b}.
    Rule(
        "api_models.env_default",
        "model",
        rf"model\w*\\?[\"']?\s*(?:,|\|\||\?\?|:-)\s*\\?[\"']?{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=("model",),
    ),
)
