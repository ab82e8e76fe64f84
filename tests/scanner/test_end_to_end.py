"""Scan a small but realistic repository and check every finding."""

from apps.scanner.engine import scan_tree
from apps.scanner.report import scan_document
from tests.scanner.support import write_tree

REPOSITORY = {
    ".gitignore": "local_settings.py\n.env.local\n",
    "README.md": (
        "# Content studio\n\n"
        "We compared Qwen and Llama for drafting; GPT-4o and Claude were close on tone.\n\n"
        "```bash\n"
        "ollama pull qwen3:8b\n"
        "```\n"
    ),
    "content/draft.py": (
        '"""Drafting with a local model."""\n'
        "from langchain_ollama import ChatOllama\n"
        "from transformers import AutoModelForCausalLM\n"
        "\n"
        'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"\n'
        "GPT_STYLE_HEADER = 'gpt-4 style'  # a label, not a model\n"
        "\n"
        "model = AutoModelForCausalLM.from_pretrained(DRAFT_MODEL)\n"
        'reviewer = ChatOllama(model="llama3.2", temperature=0)\n'
    ),
    "content/translate.py": (
        "from openai import OpenAI\n"
        "\n"
        'client = OpenAI(base_url="https://dashscope.aliyuncs.com/compatible-mode/v1")\n'
        "\n"
        "\n"
        "def translate(text):\n"
        '    return client.chat.completions.create(model="qwen-mt-plus", messages=[text])\n'
    ),
    "proxy/config.yaml": (
        "model_list:\n"
        "  - model_name: drafts\n"
        "    litellm_params:\n"
        "      model: ollama/qwen2.5:14b\n"
        "  - model_name: reviews\n"
        "    litellm_params:\n"
        "      model: anthropic/claude-3-5-sonnet-20241022\n"
    ),
    "deploy/docker-compose.yml": (
        "services:\n"
        "  vllm:\n"
        "    image: vllm/vllm-openai:latest\n"
        "    command: --model Qwen/Qwen2.5-7B-Instruct --served-model-name qwen\n"
        "  ollama:\n"
        "    image: ollama/ollama\n"
    ),
    "deploy/Modelfile": "FROM qwen2.5:7b\nPARAMETER temperature 0.3\nSYSTEM You write marketing copy.\n",
    "requirements.txt": "django>=5.2\nopenai>=1.40\nqwen-agent[gui]>=0.0.10\nrequests\n",
    "web/package.json": (
        "{\n"
        '  "name": "studio-web",\n'
        '  "dependencies": {\n'
        '    "@anthropic-ai/sdk": "^0.30.0",\n'
        '    "react": "^18.3.0"\n'
        "  }\n"
        "}\n"
    ),
    "tests/test_draft.py": 'def test_split():\n    assert split_id("Qwen/Qwen2.5-7B-Instruct")[0] == "Qwen"\n',
    "web/node_modules/openai/index.js": 'const DEFAULT = { model: "gpt-4o-mini" };\n',
    "local_settings.py": 'SUMMARY_MODEL = "gemini-1.5-pro"\n',
    "assets/logo.png": b"\x89PNG\r\n\x1a\n" + b'model="gpt-4o"',
    "data/cache.db": b'SQLite format 3\x00model="claude-3-opus"',
}


def test_it_finds_every_model_sdk_and_endpoint_of_a_realistic_repository(tmp_path):
    result = scan_tree(write_tree(tmp_path, REPOSITORY))

    assert [(f.path, f.line, f.kind, f.identifier, f.vendor) for f in result.findings] == [
        ("README.md", 6, "model", "qwen3:8b", "alibaba"),
        ("content/draft.py", 5, "model", "Qwen/Qwen2.5-7B-Instruct", "alibaba"),
        ("content/draft.py", 9, "model", "llama3.2", "meta"),
        ("content/translate.py", 3, "endpoint", "dashscope.aliyuncs.com", "alibaba"),
        ("content/translate.py", 7, "model", "qwen-mt-plus", "alibaba"),
        ("deploy/Modelfile", 1, "model", "qwen2.5:7b", "alibaba"),
        ("deploy/docker-compose.yml", 4, "model", "Qwen/Qwen2.5-7B-Instruct", "alibaba"),
        ("proxy/config.yaml", 4, "model", "ollama/qwen2.5:14b", "alibaba"),
        ("proxy/config.yaml", 7, "model", "anthropic/claude-3-5-sonnet-20241022", "anthropic"),
        ("requirements.txt", 2, "package", "openai", "openai"),
        ("requirements.txt", 3, "package", "qwen-agent", "alibaba"),
        ("web/package.json", 4, "package", "@anthropic-ai/sdk", "anthropic"),
    ]
    # Two binary files (one by extension, one sniffed) skipped; ignored and vendored files not listed.
    assert (result.files_scanned, result.files_skipped) == (10, 2)


def test_the_json_document_follows_the_contract(tmp_path):
    result = scan_tree(write_tree(tmp_path, REPOSITORY))
    document = scan_document(result, root="my-repo")

    assert document["schema"] == "riskboard.scan/1"
    assert document["root"] == "my-repo"
    assert (document["files_scanned"], document["files_skipped"]) == (10, 2)
    first = document["findings"][1]
    assert first == {
        "path": "content/draft.py",
        "line": 5,
        "kind": "model",
        "identifier": "Qwen/Qwen2.5-7B-Instruct",
        "vendor": "alibaba",
        "family": "qwen",
        "confidence": "high",
        "evidence": 'DRAFT_MODEL = "Qwen/Qwen2.5-7B-Instruct"',
        "rule": "api_models.argument",
    }
