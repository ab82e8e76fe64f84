"""Extension point: later capabilities add exposure factors without touching the score's callers.

A provider takes workflow ids and returns, per workflow, keyword values for `ExposureInputs`
(e.g. {"benchmarked_alternative": "Llama 3.3 70B"}). Apps register theirs in AppConfig.ready().
"""

from collections.abc import Callable, Iterable

FactorProvider = Callable[[Iterable[int]], dict[int, dict]]

_providers: list[FactorProvider] = []


def register_factor_provider(provider: FactorProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def extra_inputs_for(workflow_ids: list[int]) -> dict[int, dict]:
    merged: dict[int, dict] = {}
    for provider in _providers:
        for workflow_id, values in provider(workflow_ids).items():
            merged.setdefault(workflow_id, {}).update(values)
    return merged
