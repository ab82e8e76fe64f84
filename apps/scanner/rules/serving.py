"""Command lines that serve or fetch a model: vLLM, TGI, llama.cpp, Ollama and the Hugging Face CLI.

They appear in shell scripts, Dockerfiles, CI files, docker-compose `command:` entries and argument
lists in code (`["--model", "Qwen/…"]`).
"""

from apps.scanner.rules.base import CONTEXT_ZONES, FAMILY_TRIGGERS, VALUE, Rule

# `--model X`, `--model=X`, `"--model", "X"`; TGI's `--model-id`; llama.cpp's `-hf`/`--hf-repo`.
_FLAG = r"(?<![\w-])(?:--model(?:[_-]?(?:id|path|name))?|--hf[_-]repo|-hfr?)"
_FLAG_VALUE_SEPARATOR = r"(?:[\"']?\s*[,=]\s*|\s+)[\"']?"

RULES: tuple[Rule, ...] = (
    Rule(
        "serving.model_flag",
        "model",
        rf"{_FLAG}{_FLAG_VALUE_SEPARATOR}{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=("--model", *FAMILY_TRIGGERS),
    ),
    # `vllm serve Qwen/Qwen2.5-7B-Instruct`, or `command: serve …` for the vLLM image.
    Rule(
        "serving.vllm_serve",
        "model",
        rf"(?<![\w-])serve\s+[\"']?{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=FAMILY_TRIGGERS,
    ),
    Rule(
        "serving.ollama_command",
        "model",
        rf"ollama\s*(?:\s|\.)(?:pull|run|show|push|stop)\s*\(?\s*[\"']?{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=("ollama",),
    ),
    Rule(
        "serving.hf_download",
        "model",
        rf"(?<![\w-])(?:huggingface-cli|hf)\s+download\s+[\"']?{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=("huggingface-cli", *FAMILY_TRIGGERS),
    ),
)
