"""Model families: the vendor table in apps.common.vendors plus names only the scanner needs."""

from apps.common.vendors import FAMILY_PREFIXES
from apps.scanner.rules.base import alternation

# Model-name prefixes (lower case) → (family, vendor) that apps.common.vendors does not list, mostly
# API names. One line per prefix; the longest prefix wins.
EXTRA_FAMILY_PREFIXES: dict[str, tuple[str, str]] = {
    "davinci": ("gpt", "openai"),
    "babbage": ("gpt", "openai"),
    "codex": ("gpt", "openai"),
    "tts-1": ("gpt", "openai"),
    "omni-moderation": ("gpt", "openai"),
    "text-moderation": ("gpt", "openai"),
    "open-mixtral": ("mistral", "mistral"),
    "open-codestral": ("mistral", "mistral"),
    "mathstral": ("mistral", "mistral"),
    "voxtral": ("mistral", "mistral"),
    "text-bison": ("palm", "google"),
    "chat-bison": ("palm", "google"),
    "imagen": ("imagen", "google"),
    "flan-t5": ("t5", "google"),
    "embed-english": ("command", "cohere"),
    "embed-multilingual": ("command", "cohere"),
    "c4ai-command": ("command", "cohere"),
    "janus": ("deepseek", "deepseek"),
}

MODEL_FAMILIES: dict[str, tuple[str, str]] = {**FAMILY_PREFIXES, **EXTRA_FAMILY_PREFIXES}

# Too short or too common to be recognised outside a model argument ("o3" is also a CSS class, a
# chemical, a variable…): `model="o3"` is found, a bare `o3` is not.
CONTEXT_ONLY_FAMILIES: frozenset[str] = frozenset({"o1", "o3", "o4", "yi", "aya", "nova", "titan", "command"})

# A bare model name in code: a family word, then nothing or a version/size part ("qwen2.5-7b").
# Written for the lower-cased line, like every rule pattern.
BARE_MODEL_NAME = alternation(set(MODEL_FAMILIES) - CONTEXT_ONLY_FAMILIES) + r"(?:[\d.-][\w.-]*)?"
