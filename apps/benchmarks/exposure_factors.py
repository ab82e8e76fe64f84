"""The `benchmarked_alternative` exposure factor: a replacement passed the workflow's own prompts.

The provider is `selectors.benchmarked_alternatives` (the best eligible model of the latest run of
each suite linked to the workflow, ranked with the default thresholds of `ranking.py`).
"""

from apps.exposure.factors import FactorDefinition

BENCHMARKED_ALTERNATIVE = "benchmarked_alternative"
BENCHMARKED_ALTERNATIVE_POINTS = -8


def _provider(workflow_ids):
    from apps.benchmarks.selectors import benchmarked_alternatives

    return benchmarked_alternatives(workflow_ids)


DEFINITION = FactorDefinition(
    key=BENCHMARKED_ALTERNATIVE,
    label="Benchmarked alternative",
    order=100,
    points=str(BENCHMARKED_ALTERNATIVE_POINTS),
    why="A replacement passed your own prompts, so the switch is de-risked.",
    evaluate=lambda inputs: (
        (inputs.provided[BENCHMARKED_ALTERNATIVE], BENCHMARKED_ALTERNATIVE_POINTS)
        if inputs.provided.get(BENCHMARKED_ALTERNATIVE)
        else None
    ),
    provider=_provider,
    refreshed_when="a benchmark run of a linked suite finishes, or suites are linked or unlinked",
)
