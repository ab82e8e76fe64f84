"""Recognition rules, one table per ecosystem. Order matters only to break ties between rules that
match the same text: earlier rules win."""

from apps.scanner.rules import api_models, endpoints, huggingface, litellm, ollama, packages, serving
from apps.scanner.rules.base import Rule, Zone

ALL_RULES: tuple[Rule, ...] = (
    *api_models.RULES,
    *serving.RULES,
    *ollama.RULES,
    *litellm.RULES,
    *huggingface.RULES,
    *endpoints.RULES,
    *packages.RULES,
)

__all__ = ["ALL_RULES", "Rule", "Zone"]
