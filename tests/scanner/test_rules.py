"""Every rule, with a line it must recognise and a tricky line it must leave alone."""

from dataclasses import dataclass

import pytest

from apps.scanner.matcher import scan_bytes
from apps.scanner.rules import ALL_RULES


@dataclass(frozen=True)
class Case:
    path: str
    positive: str
    identifier: str
    vendor: str
    negative_path: str
    negative: str


CASES: dict[str, Case] = {
    "api_models.argument": Case(
        "app/llm.py", 'llm = ChatOllama(model="qwen2.5:7b", temperature=0)', "qwen2.5:7b", "alibaba",
        "app/llm.py", 'server_args = dict(served_model_name="qwen2.5-7b")',
    ),
    "api_models.config_value": Case(
        "deploy/.env", "DRAFT_MODEL=qwen2.5:7b", "qwen2.5:7b", "alibaba",
        # A LiteLLM alias, not a model: the real one is under litellm_params.
        "litellm/config.yaml", "  - model_name: gpt-4o",
    ),
    "api_models.positional_argument": Case(
        "app/gen.py", 'model = genai.GenerativeModel("gemini-1.5-pro")', "gemini-1.5-pro", "google",
        "app/gen.py", 'model = load_model("checkpoints/final")',
    ),
    "api_models.env_default": Case(
        "app/settings.py", 'DRAFT_MODEL = os.getenv("DRAFT_MODEL", "deepseek-chat")', "deepseek-chat", "deepseek",
        "app/settings.py", 'DRAFT_MODEL = os.getenv("DRAFT_MODEL", DEFAULT_DRAFT)',
    ),
    "serving.model_flag": Case(
        "deploy/docker-compose.yml", "    command: --model mistralai/Mistral-7B-Instruct-v0.3 --port 8000",
        "mistralai/Mistral-7B-Instruct-v0.3", "mistral",
        "deploy/run.sh", "python serve.py --model ./checkpoint --served-model-name qwen2.5-7b",
    ),
    "serving.vllm_serve": Case(
        "deploy/start.sh", "vllm serve google/gemma-2-9b-it --max-model-len 8192", "google/gemma-2-9b-it", "google",
        "deploy/start.sh", "npx serve ./public  # static docs for the llama team",
    ),
    "serving.ollama_command": Case(
        "scripts/setup.sh", "ollama pull phi3:mini", "phi3:mini", "microsoft",
        "scripts/setup.sh", 'ollama pull "$MODEL"',
    ),
    "serving.hf_download": Case(
        "scripts/fetch.sh", "huggingface-cli download microsoft/Phi-3-mini-4k-instruct --local-dir /models",
        "microsoft/Phi-3-mini-4k-instruct", "microsoft",
        "scripts/fetch.sh", "huggingface-cli download microsoft/vscode-docs",
    ),
    "ollama.tag": Case(
        "app/chains.py", 'LOCAL_MODELS = ["llama3.1:8b", "mistral:latest"]', "llama3.1:8b", "meta",
        "app/chains.py", 'FLAGS = {"llama:enabled", "gemma:off"}',
    ),
    "ollama.modelfile_from": Case(
        "ollama/Modelfile", "from Qwen3:8b", "Qwen3:8b", "alibaba",
        "docker/Dockerfile", "FROM python:3.12-slim",
    ),
    "litellm.provider_model": Case(
        "app/router.py", 'FALLBACKS = ["anthropic/claude-3-5-sonnet-20241022"]',
        "anthropic/claude-3-5-sonnet-20241022", "anthropic",
        "deploy/docker-compose.yml", "    image: ollama/ollama:latest",
    ),
    "litellm.promptfoo_id": Case(
        "evals/promptfooconfig.yaml", "  - ollama:chat:qwen2.5:7b", "ollama:chat:qwen2.5:7b", "alibaba",
        "web/flags.js", "const features = {openai:true, ollama:false};",
    ),
    "huggingface.repo_id": Case(
        "app/distill.py", 'TEACHER = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"',
        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "deepseek",
        "app/links.py", 'SOURCE = "https://github.com/QwenLM/Qwen2.5"',
    ),
    "huggingface.hub_url": Case(
        "config/models.yaml", "weights_url: https://huggingface.co/unsloth/Llama-3.2-1B-Instruct-GGUF",
        "unsloth/Llama-3.2-1B-Instruct-GGUF", "meta",
        "app/links.py", 'DOCS = "https://huggingface.co/docs/transformers/llama"',
    ),
    "huggingface.community_repo_id": Case(
        "app/local.py", 'REPO = "TheBloke/Mistral-7B-Instruct-v0.2-GGUF"', "TheBloke/Mistral-7B-Instruct-v0.2-GGUF",
        "mistral",
        "app/local.py", 'PLUGIN = "someone/llama-recipes"',
    ),
    "huggingface.local_model_dir": Case(
        "deploy/serve.py", 'weights = Path("/models/Qwen2.5-7B-Instruct")', "Qwen2.5-7B-Instruct", "alibaba",
        "deploy/serve.py", 'docs = Path("/srv/www/llama-docs")',
    ),
    "endpoints.api_host": Case(
        "app/client.py", 'client = OpenAI(base_url="https://dashscope-intl.aliyuncs.com/compatible-mode/v1")',
        "dashscope-intl.aliyuncs.com", "alibaba",
        "app/client.py", 'MIRROR = "https://api.openai.community.example/v1"',
    ),
    "endpoints.model_server": Case(
        "agent/bot.py", "llm_cfg = {'model_server': 'dashscope', 'api_key': KEY}", "dashscope", "alibaba",
        "agent/bot.py", "llm_cfg = {'model_server': 'http://localhost:8000/v1'}",
    ),
    "packages.requirements": Case(
        "requirements.txt", "qwen-agent[gui,rag]>=0.0.10", "qwen-agent", "alibaba",
        "requirements.txt", "# openai is pinned by the platform team",
    ),
    "packages.python_quoted": Case(
        "pyproject.toml", '    "anthropic>=0.40",', "anthropic", "anthropic",
        "pyproject.toml", 'description = "A wrapper around openai and anthropic"',
    ),
    "packages.toml_key": Case(
        "Pipfile", 'mistralai = "*"', "mistralai", "mistral",
        "Pipfile", 'name = "openai"',
    ),
    "packages.npm": Case(
        "web/package.json", '    "@google/generative-ai": "^0.21.0",', "@google/generative-ai", "google",
        "web/package.json", '  "description": "Chat UI for openai and @anthropic-ai/sdk",',
    ),
}  # fmt: skip


def _findings(path: str, line: str):
    return scan_bytes(path, (line + "\n").encode())


def test_every_rule_has_a_positive_and_a_negative_case():
    assert sorted(CASES) == sorted(rule.name for rule in ALL_RULES)


def test_rule_names_are_unique():
    names = [rule.name for rule in ALL_RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule_name", sorted(CASES))
def test_it_recognises_the_positive_case(rule_name):
    case = CASES[rule_name]
    found = [(f.rule, f.identifier, f.vendor, f.line) for f in _findings(case.path, case.positive)]
    assert (rule_name, case.identifier, case.vendor, 1) in found


@pytest.mark.parametrize("rule_name", sorted(CASES))
def test_it_ignores_the_negative_case(rule_name):
    case = CASES[rule_name]
    assert _findings(case.negative_path, case.negative) == []
