"""Ollama: `name:tag` model tags in code and configuration, and `FROM` lines of Modelfiles."""

from apps.scanner.rules.base import CONTEXT_ZONES, VALUE, Rule
from apps.scanner.rules.families import BARE_MODEL_NAME

# What may follow the colon of a tag: a size or version ("7b", "0.6b", "8x7b-instruct-q4_K_M") or one
# of Ollama's word tags. Anything else after "llama:" is more likely a dict key or a label.
TAG = r"(?:[\w.-]*\d[\w.-]*|latest|mini|small|medium|large|instruct|chat|text|code|vision|embed)"

RULES: tuple[Rule, ...] = (
    Rule(
        "ollama.tag",
        "model",
        rf"(?<![\w./:@-])(?P<id>{BARE_MODEL_NAME}:{TAG})(?![\w:/@-])",
        confidence="medium",
        needs=":",
    ),
    Rule(
        "ollama.modelfile_from",
        "model",
        rf"^\s*from\s+[\"']?{VALUE}",
        zones=CONTEXT_ZONES,
        triggers=(),
        files=("modelfile", "*.modelfile", "modelfile.*"),
    ),
)
