"""When benchmark evidence for a migration target is too thin to trust, in plain words (pure).

Thresholds: fewer than MIN_CASES cases; fewer languages in the suite than the workflow serves (the
article's multilingual warning: alternatives cover 20–30 languages where Qwen covers 119); no
latency figure at all; no benchmark run (a target chosen by hand).
"""

from __future__ import annotations

MIN_CASES = 20
LANGUAGE_VAR_NAMES = ("language", "lang", "locale", "target_language", "target_lang")


def evidence_warnings(evidence: dict | None, *, languages_served: int | None = None) -> list[str]:
    if not evidence:
        return [
            "No benchmark evidence: the target was chosen by hand. Run your own cases through it before "
            "the cut-over."
        ]
    warnings = []
    cases = evidence.get("cases") or 0
    if cases < MIN_CASES:
        rate = evidence.get("pass_rate")
        rate_text = f" a pass rate of {rate:.0%}" if isinstance(rate, int | float) else " the result"
        warnings.append(
            f"Only {cases} case{'s' if cases != 1 else ''}: too few to trust{rate_text}; aim for "
            f"{MIN_CASES} or more."
        )
    languages = evidence.get("languages") or []
    if languages_served and languages_served > 1 and len(languages) < languages_served:
        if languages:
            covered = ", ".join(languages)
            warnings.append(
                f"The suite covers {len(languages)} language{'s' if len(languages) != 1 else ''} "
                f"({covered}) but the workflow serves {languages_served}."
            )
        else:
            warnings.append(
                f"The suite's cases name no language, but the workflow serves {languages_served}: add cases "
                "per language (a `language` variable)."
            )
    if evidence.get("latency_ms_p95") is None:
        warnings.append("No latency figures: the run did not measure how fast the target answers.")
    return warnings


def languages_of_cases(case_vars: list[dict]) -> list[str]:
    """Distinct language values named by the cases' variables, in first-seen order."""
    found: dict[str, None] = {}
    for variables in case_vars:
        for name in LANGUAGE_VAR_NAMES:
            value = (variables or {}).get(name)
            if isinstance(value, str) and value.strip():
                found.setdefault(value.strip(), None)
    return list(found)
