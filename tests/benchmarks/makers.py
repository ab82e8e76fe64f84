"""Objects of the benchmarks app for tests, built through the real services."""

import json

from apps.benchmarks import services
from apps.benchmarks.importers import parse_bench_payload
from apps.benchmarks.models import Case, Endpoint, Run, Suite


def make_suite(organization, *, name="Product copy", cases=3, workflows=()) -> Suite:
    suite = services.suite_save(
        suite=Suite(organization=organization, name=name, description="Our own prompts"),
        workflow_ids=[workflow.pk for workflow in workflows],
    )
    for number in range(1, cases + 1):
        services.case_save(
            case=Case(
                suite=suite,
                key=f"case-{number}",
                description=f"Headline {number}",
                prompt="Write a headline about {{topic}}",
                vars={"topic": f"shipping offer {number}"},
                assertions=[{"type": "icontains", "value": "shipping"}],
            )
        )
    return suite


def make_endpoint(
    organization,
    *,
    base_url="http://127.0.0.1:9/v1",
    name="Local server",
    api_key=None,
    kind="vllm",
    **fields,
) -> Endpoint:
    return services.endpoint_save(
        endpoint=Endpoint(organization=organization, name=name, base_url=base_url, kind=kind, **fields),
        api_key=api_key,
    )


def native_document(results: list[dict], *, suite: str | None = None, name: str = "Imported run") -> dict:
    document = {"schema": "riskboard.bench/1", "name": name, "results": results}
    if suite is not None:
        document["suite"] = suite
    return document


def import_run(organization, document: dict, *, sha256: str = "") -> Run:
    run, _created = services.bench_results_import(
        organization=organization,
        bench_run=parse_bench_payload(json.dumps(document)),
        source=Run.Source.IMPORT,
        payload_sha256=sha256,
    )
    return run


def results_for(
    model: str, *, passed: int, failed: int = 0, latency_ms: float = 500.0, cost_usd=None
) -> list[dict]:
    """`passed` passing then `failed` failing results of one model on cases case-1, case-2, …"""
    verdicts = [True] * passed + [False] * failed
    return [
        {
            "model": model,
            "case": f"case-{number}",
            "passed": verdict,
            "score": 1.0 if verdict else 0.0,
            "latency_ms": latency_ms,
            "completion_tokens": 20,
            "cost_usd": cost_usd,
            "output": f"{model} answer {number}",
        }
        for number, verdict in enumerate(verdicts, start=1)
    ]
